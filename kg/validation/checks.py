"""Validation: records, RDF files or the whole graph → one finding per problem.

Two stages, in order. (1) The record stage (kg.records.reader.load): an unreadable file is an error
(exit 2), schema and rule problems are violations on the record's line. (2) SHACL (the shapes in
shapes/) on the entry's triples together with the part of the graph it refers to, run by
kg.validation.sparql_engine (the shapes as SPARQL in Oxigraph, the default) or by pySHACL (the reference,
`engine="pyshacl"`); both give results in the same form, and tests/test_engines.py checks they
are the same. Mapping errors between the two (an unknown province, a province not in
force at the act's date, an `implements` that names nothing) are violations on the record's line.

Every finding prints as one line,

    FILE:LINE: SEVERITY: [SHAPE] MESSAGE-EN / MESSAGE-VI (focus NODE, path PATH, value VALUE)

with `FILE: <NODE>` in place of `FILE:LINE` for RDF input, then a summary line
(`2 violations, 1 warning in 1 file`). Exit status: 0 valid (warnings allowed), 1 violations,
2 an input cannot be read.

Which data an entry is checked against is decided in one place per engine, `data_graph_for`
(rdflib, for pySHACL) and `data_store_for` (Oxigraph): with a kg.validation.incremental.StoreContext, the
entry with the part of the store it touches.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from pyoxigraph import BlankNode, NamedNode, Quad, RdfFormat, parse

from kg.base.errors import InputError
from kg.base.namespaces import (
    DERIVED_GRAPH, META_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH, VOCABULARY_GRAPH, record_graph,
)
from kg.validation.context import Context, data_graph_for, data_store_for, focus_nodes
from kg.validation.report import Finding
from kg.validation.shacl import _plain, _shape_name, _show, run_shacl

RDF_FORMATS = {
    ".ttl": RdfFormat.TURTLE, ".turtle": RdfFormat.TURTLE, ".trig": RdfFormat.TRIG,
    ".nt": RdfFormat.N_TRIPLES, ".nq": RdfFormat.N_QUADS, ".jsonld": RdfFormat.JSON_LD,
    ".json-ld": RdfFormat.JSON_LD, ".rdf": RdfFormat.RDF_XML, ".owl": RdfFormat.RDF_XML,
}
RECORD_SUFFIXES = (".yaml", ".yml", ".json")
MAX_RDF_BYTES = 200_000_000

ENGINES = ("sparql", "pyshacl")
DEFAULT_ENGINE = "sparql"



def shacl_results(entry: list[Quad], context: Context | None, root: Path, engine: str = DEFAULT_ENGINE) -> list[dict[str, Any]]:
    """The SHACL results for an entry's focus nodes, by kg.validation.sparql_engine (the default) or pySHACL
    (the reference); the same results, as tests/test_engines.py checks."""
    focus = focus_nodes(entry)
    if engine == "pyshacl":
        with data_graph_for(entry, context) as graph:
            return run_shacl(graph, root, focus)
    from kg.validation import sparql_engine as shacl_sparql

    with data_store_for(entry, context) as store:
        return shacl_sparql.validate(store, root, focus)




def check_entry(name: str, quads: list[Quad], context: Context, root: Path, locate: Callable[[Any, Any, Any], int | None],
                engine: str = DEFAULT_ENGINE) -> list[Finding]:
    """SHACL on a mapped entry (its quads) against the context; `locate(focus, path, value)` gives
    the line each finding belongs on (the caller knows the record; validation does not)."""
    return [_finding(name, r, line=locate(_plain(r["focus"]), r["path"], _plain(r["value"])))
            for r in shacl_results(quads, context, root, engine)]


def graph_results(store: Any, root: Path, engine: str = DEFAULT_ENGINE) -> list[dict[str, Any]]:
    """SHACL on the whole built graph (the union of its named graphs)."""
    if engine == "pyshacl":
        from kg.store.local import graph_quads
        with data_graph_for(list(graph_quads(store)), None) as graph:
            return run_shacl(graph, root)
    from kg.validation import sparql_engine

    return sparql_engine.validate(store, root, None, union=True)


def place_results(results: list[dict[str, Any]], store: Any,
                  locate: Callable[[str], tuple[str, Callable[[Any, Any, Any], int | None]] | None]) -> list[Finding]:
    """Each result as a finding: on its record's line when `locate(graph)` knows the record that
    graph comes from ((file, locate) or None), else on the reference file's node."""
    homes = _homes(store, [r["focus"] for r in results])
    located: dict[str, Any] = {}
    findings = []
    for r in results:
        graph = homes.get(r["focus"], "")
        if graph not in located:
            located[graph] = locate(graph) if graph.startswith(record_graph("")) else None
        if located[graph]:
            file, line_of = located[graph]
            findings.append(_finding(file, r, line=line_of(_plain(r["focus"]), r["path"], _plain(r["value"]))))
        else:
            findings.append(_finding(_STATIC_FILES.get(graph, "(graph)"), r, node=_plain(r["focus"])))
    return findings


def _finding(file: str, r: dict[str, Any], line: int | None = None, node: str | None = None) -> Finding:
    if r["value"] is not None and r["value"] == r["focus"]:
        r = {**r, "value": None}  # a node shape's result names its focus as the value
    return Finding(file, r["severity"], _shape_name(r["shape"]), r["message_en"], r["message_vi"], line=line,
                   node=node, focus=_show(r["focus"]), path=_show(r["path"]) if r["path"] is not None else None,
                   value=_show(r["value"]) if r["value"] is not None else None)



def read_rdf(path: Path) -> list[Quad]:
    """An RDF file's quads (format from the extension), or InputError saying where it breaks."""
    fmt = RDF_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"cannot tell the format from the extension {path.suffix!r}; expected a record "
                         f"({', '.join(RECORD_SUFFIXES)}) or RDF ({', '.join(sorted(RDF_FORMATS))})", str(path))
    try:
        if path.stat().st_size > MAX_RDF_BYTES:
            raise InputError(f"file is larger than {MAX_RDF_BYTES:,} bytes; validate it in parts", str(path))
        return list(parse(path=str(path), format=fmt, base_iri=path.resolve().as_uri()))
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", str(path)) from None
    except (SyntaxError, ValueError) as exc:
        raise InputError(f"not valid {fmt.name}: {exc}", str(path)) from None


def check_rdf(path: Path, context: Context, root: Path, display: str | None = None,
              engine: str = DEFAULT_ENGINE) -> list[Finding]:
    quads = read_rdf(path)
    name = display or str(path)
    if not quads:
        raise InputError("no triples in the file", str(path))
    results = shacl_results(quads, context, root, engine)
    return [_finding(name, r, node=_plain(r["focus"])) for r in results]


def is_record(path: Path) -> bool:
    return path.suffix.lower() in RECORD_SUFFIXES or path.suffix.lower() not in RDF_FORMATS



_RANK = {REFERENCE_GRAPH: 1, VOCABULARY_GRAPH: 2, ONTOLOGY_GRAPH: 3, META_GRAPH: 4, DERIVED_GRAPH: 5}
_STATIC_FILES = {ONTOLOGY_GRAPH: "ontology/dtkg.ttl", VOCABULARY_GRAPH: "ontology/vocabularies.ttl",
                 REFERENCE_GRAPH: "data/reference/provinces.ttl", META_GRAPH: "(dataset description)"}


def _homes(store: Any, nodes: list[Any]) -> dict[Any, str]:
    """Each node → the graph that describes it (see _RANK), asked of the store for these nodes only."""
    graphs: dict[Any, set[str]] = {}
    iris = list(dict.fromkeys(n for n in nodes if isinstance(n, NamedNode)))
    for i in range(0, len(iris), 500):
        rows = store.query("SELECT DISTINCT ?s ?g WHERE { VALUES ?s { " + " ".join(map(str, iris[i:i + 500]))
                           + " } GRAPH ?g { ?s ?p ?o } }")
        for row in rows:
            graphs.setdefault(row["s"], set()).add(row["g"].value)
    for node in dict.fromkeys(n for n in nodes if isinstance(n, BlankNode)):
        graphs[node] = {q.graph_name.value for q in store.quads_for_pattern(node, None, None, None)
                        if isinstance(q.graph_name, NamedNode)}
    return {node: min(found, key=lambda g: (_RANK.get(g, 0), g)) for node, found in graphs.items() if found}


