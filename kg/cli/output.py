"""SELECT results → table, CSV, JSON, Markdown or SPARQL JSON. Values are shown as written:
a literal's text, an IRI in full. Column names are the query's variable names."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

FORMATS = ("table", "csv", "json", "md", "sparql-json")


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


TABLE_CELL = 60  # a terminal table clips longer cells; csv, json and md never clip


def _clip(value: str) -> str:
    value = value.replace("\n", " ")
    return value if len(value) <= TABLE_CELL else value[: TABLE_CELL - 1] + "…"


def render(rows: list[dict[str, Any]], columns: list[str], fmt: str) -> str:
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
    table = [[_clip(v) for v in line] for line in table]
    widths = [max([len(c)] + [len(line[i]) for line in table]) for i, c in enumerate(columns)]
    fmt_line = lambda vals: "  ".join(v.ljust(w) for v, w in zip(vals, widths)).rstrip()  # noqa: E731
    out = [fmt_line(columns), fmt_line(["-" * w for w in widths])] + [fmt_line(line) for line in table]
    out.append(f"({len(table)} row{'s' if len(table) != 1 else ''})")
    return "\n".join(out) + "\n"
