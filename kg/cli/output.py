"""SELECT results → table, CSV, JSON, Markdown or SPARQL JSON. Values are shown as written:
a literal's text, an IRI in full. Column names are the query's variable names. The table alone
fits the terminal: IRI columns hidden, long cells cut."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from typing import Any

FORMATS = ("table", "csv", "json", "md", "sparql-json")


class Plain:
    """A plain value dressed as a term for the renderer."""
    def __init__(self, value: str):
        self.value = value


MATRIX_FORMATS = ("table", "csv", "md")


def matrix(rows: list[dict[str, Any]], shape: dict[str, str]) -> tuple[list[str], list[dict[str, Any]]]:
    """The long answer (a row per non-empty cell) as a matrix: a row per `shape['rows']` (told
    apart by `key`: two units may share a name), a column per `shape['columns']` in label order,
    `value` in the cells, 0 where the long form has no row."""
    from kg.base.text import fold
    lines: dict[tuple[str, str], dict[str, str]] = {}
    heads: set[str] = set()
    for r in rows:
        line = lines.setdefault((_plain(r.get(shape["rows"])), _plain(r.get(shape["key"]))), {})
        head = _plain(r.get(shape["columns"]))
        heads.add(head)
        line[head] = _plain(r.get(shape["value"]))
    names = Counter(name for name, _ in lines)
    columns = [shape["rows"]] + sorted(heads, key=lambda h: (fold(h), h))
    out = []
    for (name, key), cells in sorted(lines.items(), key=lambda item: (fold(item[0][0]), item[0])):
        shown = name if names[name] == 1 else f"{name} ({key.rsplit('/', 1)[-1]})"  # Cần Thơ before and after 2025
        out.append({shape["rows"]: Plain(shown), **{h: Plain(cells.get(h, "0")) for h in columns[1:]}})
    return columns, out


def _plain(term: Any) -> str:
    return "" if term is None else term.value


def _sparql_json_term(term: Any) -> dict[str, str]:
    kind = type(term).__name__
    if kind == "NamedNode":
        return {"type": "uri", "value": term.value}
    if kind == "BlankNode":
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype and term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


DEFAULT_WIDTH = 100  # a table's width when stdout is not a terminal and COLUMNS is not set
MIN_CELL = 8  # a column cut to fit is never narrower than this (or its longest cell)


def terminal_width() -> int:
    """COLUMNS, else the terminal's width, else DEFAULT_WIDTH (a pipe, a file)."""
    import shutil
    return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns


def _is_iri(term: Any) -> bool:
    return type(term).__name__ == "NamedNode"


def _iri_columns(rows: list[dict[str, Any]], columns: list[str]) -> list[str]:
    """Columns whose every value is an IRI: a reader of a table wants the labels beside them."""
    return [c for c in columns
            if any(r.get(c) is not None for r in rows) and all(_is_iri(r[c]) for r in rows if r.get(c) is not None)]


def _fit(widths: list[int], width: int) -> list[int]:
    """Column widths that fit `width` with two spaces between columns: the widest are cut first,
    down to MIN_CELL; a table with too many columns for any cut stays as narrow as it can."""
    room = width - 2 * (len(widths) - 1)
    if sum(widths) <= room:
        return widths
    cap = max(widths)
    while cap > MIN_CELL and sum(min(w, cap) for w in widths) > room:
        cap -= 1
    return [min(w, cap) for w in widths]


def _cut(value: str, width: int) -> str:
    return value if len(value) <= width else value[: width - 1] + "…"


def _table(rows: list[dict[str, Any]], columns: list[str], iri: bool, width: int | None) -> str:
    hidden = [] if iri else _iri_columns(rows, columns)
    if len(hidden) == len(columns):  # nothing but IRIs: show them rather than an empty table
        hidden = []
    shown = [c for c in columns if c not in hidden]
    table = [[_plain(r.get(c)).replace("\n", " ") for c in shown] for r in rows]
    natural = [max([len(c)] + [len(line[i]) for line in table]) for i, c in enumerate(shown)]
    widths = _fit(natural, width or terminal_width())
    fmt_line = lambda vals: "  ".join(_cut(v, w).ljust(w) for v, w in zip(vals, widths)).rstrip()  # noqa: E731
    out = [fmt_line(shown), fmt_line(["-" * w for w in widths])] + [fmt_line(line) for line in table]
    note = f"; {len(hidden)} IRI column{'s' if len(hidden) != 1 else ''} hidden, --iri shows them" if hidden else ""
    out.append(f"({len(table)} row{'s' if len(table) != 1 else ''}{note})")
    return "\n".join(out) + "\n"


def render(rows: list[dict[str, Any]], columns: list[str], fmt: str, *, iri: bool = False,
           width: int | None = None) -> str:
    """The rows in `fmt`. Only the table is shaped for a person: IRI columns hidden unless `iri`,
    cells cut to fit `width` (default: the terminal's); CSV, JSON, MD keep every column whole."""
    if fmt == "sparql-json":
        bindings = [{c: _sparql_json_term(r[c]) for c in columns if r.get(c) is not None} for r in rows]
        return json.dumps({"head": {"vars": columns}, "results": {"bindings": bindings}}, ensure_ascii=False, indent=2) + "\n"
    table = [[_plain(r.get(c)) for c in columns] for r in rows]
    if fmt == "json":
        return json.dumps([dict(zip(columns, line)) for line in table], ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(table)
        return buffer.getvalue()
    if fmt == "md":
        esc = lambda v: v.replace("|", "\\|").replace("\n", " ")  # noqa: E731
        lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        lines += ["| " + " | ".join(esc(v) for v in line) + " |" for line in table]
        return "\n".join(lines) + "\n"
    return _table(rows, columns, iri, width)
