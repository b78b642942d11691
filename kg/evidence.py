"""Quotes against their source: does every quote in a record stand, verbatim, in the source
text, and do its offsets (code points in the normalised text) point at it?

Used by curators (`dtkg check-quotes RECORD --corpus DIR`) before a record goes in; the
corpus is an argument because the repository does not ship third-party articles.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from .errors import InputError
from .records import Record, read_text


@dataclass
class QuoteProblem:
    path: tuple[Any, ...]
    message: str


def quotes(data: dict[str, Any]) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
    """Every quote in a record with its place: (json path, {quote, start?, end?})."""
    def walk(node: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "quote":
                    yield path + (key,), value if isinstance(value, dict) else {"quote": value}
                elif key == "evidence" and isinstance(value, dict):
                    for name, quote in value.items():
                        yield path + (key, name), quote if isinstance(quote, dict) else {"quote": quote}
                else:
                    yield from walk(value, path + (key,))
        elif isinstance(node, list):
            for i, item in enumerate(node):
                yield from walk(item, path + (i,))
    yield from walk(data, ())


def locate(text: str, quote: str) -> tuple[int, int] | None:
    at = text.find(quote)
    return (at, at + len(quote)) if at >= 0 else None


def check(record: Record, corpus: Path) -> list[QuoteProblem]:
    """Problems with the record's quotes against `corpus/<source.file>`."""
    name = record.data.get("source", {}).get("file")
    if not name:
        raise InputError("source.file is not set, so the source text cannot be found", str(record.path))
    text = read_text(corpus / name)
    problems = []
    for path, entry in quotes(record.data):
        span = locate(text, entry["quote"])
        if span is None:
            problems.append(QuoteProblem(path, f"quote not found verbatim in {name}: {entry['quote'][:80]!r}"))
        elif "start" in entry and text[entry["start"]:entry.get("end", entry["start"])] != entry["quote"]:
            problems.append(QuoteProblem(path, f"offsets {entry['start']}–{entry.get('end')} do not hold the quote; it is at {span[0]}–{span[1]}"))
    return problems
