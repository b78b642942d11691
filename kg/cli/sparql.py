"""`dtkg sparql`'s glue: the query text from an argument or a file, an update on the endpoint or the
embedded store (built first), and an answer rendered in the chosen format."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pyoxigraph import RdfFormat, serialize

from kg.base.errors import InputError, UsageError
from kg.store.endpoint import Endpoint, redact
from kg.store.sparql import UPDATE_FORMS, Answer, first_keyword, update_local


def refuse_file_as_format(fmt: str) -> None:
    """`-f` was `--file` here before it meant the format, as in every other command: a path given
    to it gets a pointer to `--file` rather than "unknown format"."""
    from kg.cli.output import FORMATS
    if fmt not in FORMATS and (Path(fmt).exists() or fmt == "-" or any(c in fmt for c in "/\\.")):
        raise UsageError("-f is the output format now; use --file PATH")


def read_query(text: str | None, file: Path | None) -> str:
    """The query from the argument or from FILE (`-`: stdin), normalised like every input."""
    from kg.base.text import normalize
    if (text is None) == (file is None):
        raise UsageError("give the query as an argument or with --file FILE (one of them)")
    if file is not None and str(file) == "-":
        text = sys.stdin.read()
    elif file is not None:
        from kg.base.files import read_utf8
        text = read_utf8(Path(file), "a SPARQL query")
    if not (text or "").strip():
        raise UsageError("the query is empty")
    from kg.store.sparql import QueryRefused, check_query
    try:  # as `dtkg serve` checks it: a deeply nested query would overflow Oxigraph's stack
        check_query(text or "", max_bytes=10_000_000, allow_service=True)
    except QueryRefused as refused:
        raise InputError(str(refused), str(file) if file is not None else None) from None
    return normalize(text or "")


def run_update(text: str, allowed: bool, store_dir: tuple[Path, Path] | None = None,
               remote: "Endpoint | None" = None) -> str:
    """Runs an update on the endpoint, or on the embedded store given as (root, store folder);
    refused unless `allowed` (--update). Returns what was updated, for the message."""
    word = first_keyword(text)
    if word not in UPDATE_FORMS:
        found = word or text.strip()[:20]
        raise InputError(f"not SPARQL: it starts with {found!r}; expected a query (SELECT, ASK, CONSTRUCT, "
                         "DESCRIBE) or, with --update, an update (INSERT, DELETE, DROP…)")
    if not allowed:
        raise UsageError("this is a SPARQL update; updates are refused unless --update is given")
    if remote is not None:
        remote.update(text)
        return redact(remote.url)
    from kg.graph.build import ensure_built
    root, folder = store_dir  # type: ignore[misc]
    ensure_built(root, folder)
    update_local(folder, text)
    return f"the embedded store {folder} (until `dtkg build` remakes it from a changed data/)"


def render_answer(answer: Answer, fmt: str, iri: bool = False) -> bytes:
    """SELECT rows in the chosen format; ASK as true/false (JSON forms for json, sparql-json);
    CONSTRUCT and DESCRIBE as Turtle whatever the format."""
    from kg.base.namespaces import PREFIXES
    from kg.cli.output import render
    if answer.form == "SELECT":
        return render(answer.rows, answer.variables, fmt, iri=iri).encode("utf-8")
    if answer.form == "ASK":
        if fmt == "sparql-json":
            return (json.dumps({"head": {}, "boolean": answer.boolean}) + "\n").encode()
        return (json.dumps(answer.boolean) + "\n").encode()
    return serialize(answer.triples, format=RdfFormat.TURTLE, prefixes=PREFIXES) or b""


