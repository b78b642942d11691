"""SPARQL as dtkg reads it, whatever answers: what form a query text has (SELECT, ASK, an update…,
read past comments, strings and IRIs), an answer in one shape, and the embedded store behind the
same interface as a remote endpoint (`Local`)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyoxigraph import QueryBoolean, QuerySolutions, Store, Triple

from kg.base.errors import InputError, UsageError, one_line

# -- what a query is ---------------------------------------------------------------------------

_TOKEN = re.compile(r"""
    (?P<space>\s+) | (?P<comment>\#[^\n]*) | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<word>[A-Za-z_][\w.-]*:?[\w.-]*) | (?P<other>.)
""", re.VERBOSE | re.DOTALL)
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_FORMS = ("INSERT", "DELETE", "WITH", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD")


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE for a query; None for an update (or anything else).

    Reads past comments and the prologue (BASE, PREFIX) to the first keyword. Only a query form
    is ever sent as a query, and the parsers reject an update sent as one, so a wrong guess can
    only refuse a request, never run an update."""
    word = first_keyword(text)
    return word if word in QUERY_FORMS else None


def first_keyword(text: str) -> str:
    """The first word after comments and the prologue, upper-cased ("" when there is none)."""
    tokens = [m for m in _TOKEN.finditer(text) if m.lastgroup not in ("space", "comment")]
    i = 0
    while i < len(tokens):
        word = tokens[i].group().upper() if tokens[i].lastgroup == "word" else ""
        if word == "BASE":
            i += 2
        elif word == "PREFIX":
            i += 3
        else:
            return word
    return ""


@dataclass
class Answer:
    """What a query gave: rows (SELECT), a boolean (ASK) or triples (CONSTRUCT, DESCRIBE)."""

    form: str
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[Triple] = field(default_factory=list)


# -- the embedded store behind the same interface -----------------------------------------------


class Local:
    """The embedded store (opened read-only) with `select` and `run` like `Endpoint`'s."""

    def __init__(self, store: Store):
        self.store = store

    def select(self, text: str) -> tuple[list[str], list[dict[str, Any]]]:
        from kg.store.local import select
        return select(self.store, text)

    def run(self, text: str) -> Answer:
        form = query_form(text)
        if form is None:
            raise UsageError("this is an update, not a query; give --update to change the store")
        try:
            from kg.store.local import query
            result = query(self.store, text)
            if isinstance(result, QuerySolutions):
                names = [v.value for v in result.variables]
                return Answer("SELECT", names, [{n: s[n] for n in names} for s in result])
            if isinstance(result, QueryBoolean):
                return Answer("ASK", boolean=bool(result))
            return Answer(form, triples=list(result))
        except SyntaxError as exc:
            raise InputError(f"SPARQL syntax error: {one_line(str(exc))}") from None
        except (OSError, RuntimeError, ValueError) as exc:  # raised while evaluating, e.g. a SERVICE that fails
            raise InputError(f"the query failed: {one_line(str(exc))}") from None


def update_local(store_dir: Any, text: str) -> None:
    """Runs a SPARQL update on the embedded store (opened for writing)."""
    from kg.store.local import open_writable, refresh_union
    from kg.store.lock import writer_lock
    with writer_lock(Path(store_dir), "dtkg sparql --update"):
        store = open_writable(store_dir)
        try:
            store.update(text)
            refresh_union(store)
            store.flush()
        except SyntaxError as exc:
            raise InputError(f"SPARQL syntax error: {one_line(str(exc))}") from None
        except (OSError, RuntimeError, ValueError) as exc:  # a LOAD of a file or URL that cannot be read
            raise InputError(f"the update failed: {_load_problem(text, one_line(str(exc), 160)) or one_line(str(exc))}; "
                             "nothing was changed") from None
        finally:
            del store


def _load_problem(text: str, reason: str) -> str | None:
    """What is wrong with the update's LOAD sources, said as a person would (Oxigraph says
    "invalid format" for a missing file): the first file that is not there or not readable, or
    the URL and what a LOAD needs."""
    from urllib.parse import unquote, urlparse

    sources = re.findall(r"\bLOAD\s+(?:SILENT\s+)?<([^>]*)>", text, re.IGNORECASE)
    for source in sources:
        url = urlparse(source)
        if url.scheme == "file":
            path = Path(unquote(url.path))
            if not path.is_file():
                return f"LOAD <{source}>: {path} is not a file (no such file)"
            if not os.access(path, os.R_OK):
                return f"LOAD <{source}>: {path} cannot be read (permission denied)"
    if sources:
        return (f"LOAD <{sources[0]}> could not be read ({reason}): expected a reachable file or URL with RDF "
                "whose format its extension or Content-Type gives (.ttl, .nt, .nq, .trig, .rdf, .jsonld)")
    return None


# -- a query checked before it runs ---------------------------------------------------------


class QueryRefused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def check_query(text: str, max_bytes: int = 1_000_000, max_depth: int = 64, allow_service: bool = False) -> frozenset[str]:
    """Raises QueryRefused for a query too big, nested too deep, or calling SERVICE; else gives the
    query's words (upper-cased, outside strings, IRIs and comments), e.g. to see if it names graphs."""
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise QueryRefused(413, f"the query is {size:,} bytes; at most {max_bytes:,} are accepted")
    depth = deepest = 0
    words = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                j += 2 if text[j] == "\\" else 1
            i = j + len(quote)
            continue
        if c == "<":
            m = re.match(r"<[^<>\"{}|^`\\\s]*>", text[i:i + 4096])
            if m:
                i += m.end()
                continue
        if c in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "})]":
            depth -= 1
        elif c.isalpha():
            m = re.match(r"[A-Za-z_]+", text[i:i + 64])
            words.append(m.group(0).upper())
            i += m.end()
            continue
        i += 1
    if deepest > max_depth:
        raise QueryRefused(400, f"the query nests brackets {deepest} deep; at most {max_depth} are accepted")
    if not allow_service and "SERVICE" in words:
        raise QueryRefused(403, "SERVICE is refused here (it would make this server call other hosts); "
                                "start `dtkg serve --allow-service` to allow it")
    return frozenset(words)
