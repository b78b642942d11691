"""Quotes against their source: does every quote in a record stand, verbatim, in the source
text, and do its offsets (code points in the normalised text) point at it?

Used by curators (`dtkg check-quotes RECORD --corpus DIR`) before a record goes in; the
corpus is an argument because the repository does not ship third-party articles.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.base.errors import InputError
from kg.records.reader import Record, quotes, read_text


@dataclass
class QuoteProblem:
    path: tuple[Any, ...]
    message: str
    severity: str = "violation"  # or "notice": nothing could be checked, nothing is wrong


def locate(text: str, quote: str) -> tuple[int, int] | None:
    at = text.find(quote)
    return (at, at + len(quote)) if at >= 0 else None


def check(record: Record, corpus: Path) -> list[QuoteProblem]:
    """Problems with the record's quotes against `corpus/<source.file>`."""
    source = record.data.get("source", {})
    if source.get("kind") == "web":  # the page's text is not kept: nothing to check against
        return [QuoteProblem(("source", "url"), f"web source, not checked against a file: {source.get('url')}", severity="notice")]
    name = source.get("file")
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
