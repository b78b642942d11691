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

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from pyoxigraph import BlankNode, NamedNode, Quad, RdfFormat, parse

from kg.graph.build import NumberIndex, map_records
from kg.base.errors import DtkgError, InputError, RecordError
from kg.graph.mapping import MappedRecord, document_iris, map_record
from kg.base.namespaces import (
    DERIVED_GRAPH, META_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH, VOCABULARY_GRAPH, record_graph,
)
from kg.graph.provinces import Gazetteer, default_gazetteer
from kg.records.reader import Record, load
from kg.validation.context import Context, data_graph_for, data_store_for, focus_nodes
from kg.validation.locate import Locator, _mapping_path
from kg.validation.report import _VI, Finding, Report, input_error
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



# ==================================================================================================
# One record, one RDF file, the whole graph
# ==================================================================================================


def load_record(path: Path | str) -> Record:
    """One record through the record stage (kg.records.reader.load)."""
    return load(path)


@dataclass
class Checked:
    """A record after validation: its findings, and (when it maps) its quads."""

    record: Record | None
    findings: list[Finding]
    mapped: MappedRecord | None = None

    @property
    def ok(self) -> bool:
        return not any(f.severity in ("violation", "error") for f in self.findings)


def _home(data: dict[str, Any], gazetteer: Gazetteer) -> str:
    """The province a record's `implements` prefer (as the build does)."""
    try:
        return gazetteer.resolve(data["province"]).iri if data["documents"] and data.get("province") else ""
    except DtkgError:
        return ""


def map_entry(data: dict[str, Any], context: Context) -> MappedRecord:
    """A checked record → its quads, `implements` resolved against the context (RecordError)."""
    return map_record(data, context.gazetteer, context.index.lookup_for(_home(data, context.gazetteer)))


def check_record(path: Path | str, context: Context, root: Path, record: Record | None = None,
                 display: str | None = None, engine: str = DEFAULT_ENGINE) -> Checked:
    """Both stages for one record file. InputError (unreadable) is raised, not returned."""
    record = record or load_record(path)
    name = display or str(path)
    findings = [Finding(name, p.severity, p.rule, p.message, _VI.get(p.rule, ""), line=record.line_of(p.path))
                for p in record.problems]
    if findings:
        return Checked(record, findings)
    context = context.without(record_graph(record.id))
    try:
        mapped = map_entry(record.data, context)
    except RecordError as exc:
        json_path, rule = _mapping_path(record.data, exc.message)
        return Checked(record, [Finding(name, "violation", rule, exc.message, _VI.get(rule, _VI["RecordMapping"]),
                                        line=record.line_of(json_path))])
    locator = Locator(record.data, mapped)
    results = shacl_results(mapped.quads, context, root, engine)
    for r in results:
        where = locator.path_of(_plain(r["focus"]), r["path"], _plain(r["value"]))
        findings.append(_finding(name, r, line=record.line_of(where)))
    return Checked(record, findings, mapped)


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


def validate_files(paths: Iterable[Path | str], root: Path, context: Context, engine: str = DEFAULT_ENGINE) -> Report:
    """`dtkg validate FILE...`: each file on its own against the context."""
    report = Report()
    for path in map(Path, paths):
        report.files += 1
        try:
            if is_record(path):
                checked = check_record(path, context, root, engine=engine)
                report.findings += checked.findings
                report.notices += _already_there(path, checked.record, root)
            else:
                report.findings += check_rdf(path, context, root, engine=engine)
        except InputError as exc:
            report.findings.append(input_error(path, exc))
    return report


def _already_there(path: Path, record: Record | None, root: Path) -> list[str]:
    """A record checked as it would replace one already in data/records: `dtkg add` will want to
    know (same content: a no-op; other content: --replace), so the clerk learns it now."""
    record_id = record.data.get("id") if record is not None and isinstance(record.data, dict) else None
    existing = root / "data" / "records" / f"{record_id}.yaml" if isinstance(record_id, str) else None
    if existing is None or not existing.is_file() or existing.resolve() == path.resolve():
        return []
    return [f"{path}: checked as a replacement of record {record_id!r}, already in "
            f"{existing.relative_to(root)}; `dtkg add` takes it only with the same content or --replace"]


def validate_graph(root: Path, store_dir: Path, display: Callable[[Path], str] = str,
                   engine: str = DEFAULT_ENGINE) -> Report:
    """`dtkg validate`: every record (both stages, each problem on its line), then SHACL on the whole
    built graph, each result mapped back to the record (or reference file) it comes from.

    A store built from the records as they are now (kg.graph.build.is_fresh) has been through the record
    stage already (the build refuses a record with any problem), so only SHACL runs then."""
    from kg.graph.build import ensure_built
    from kg.store.local import is_fresh, open_read_only

    gazetteer = default_gazetteer(root)
    report = Report()
    paths = sorted((root / "data" / "records").glob("*.yaml"))
    report.files = len(paths)
    if not is_fresh(root, store_dir):
        _record_stage(root, paths, gazetteer, report, display)
        if report.findings:
            report.notices.append("SHACL not run on the graph: fix the records above first")
            return report
        ensure_built(root, store_dir)
    store = open_read_only(store_dir)
    try:
        if engine == "pyshacl":
            with data_graph_for(list(store.quads_for_pattern(None, None, None, None)), None) as graph:
                results = run_shacl(graph, root)
        else:
            from kg.validation import sparql_engine as shacl_sparql

            results = shacl_sparql.validate(store, root, None, union=True)
        homes = _homes(store, [r["focus"] for r in results])
        report.findings += _place(results, homes, store, root, paths, gazetteer, display)
    finally:
        del store
    return report


def _record_stage(root: Path, paths: list[Path], gazetteer: Gazetteer, report: Report,
                  display: Callable[[Path], str]) -> None:
    """Both record-stage checks and the mapping of every record, each problem on its line."""
    from kg.graph.build import load_many, static_quads

    try:
        records = load_many(paths)
    except InputError:  # one is unreadable: read them one by one to report each
        records = []
        for path in paths:
            try:
                records.append(load_record(path))
            except InputError as exc:
                report.findings.append(input_error(path, exc, display(path)))
    for record in records:
        report.findings += [Finding(display(record.path), p.severity, p.rule, p.message, _VI.get(p.rule, ""),
                                    line=record.line_of(p.path)) for p in record.problems]
    if report.findings:
        return
    # Map each record on its own, so a mapping error names its file and line.
    index = NumberIndex()
    index.add_graph_quads(static_quads(root))
    for record in records:
        try:
            _, numbers, provinces = document_iris(record.data, gazetteer)
            for doc in record.data["documents"]:
                if doc.get("number"):
                    index.add(doc["number"], numbers[doc["number"]], provinces[doc["ref"]])
        except RecordError:
            pass  # reported below
    for record in records:
        try:
            map_records([record.data], gazetteer, index)
        except RecordError as exc:
            json_path, rule = _mapping_path(record.data, exc.message)
            report.findings.append(Finding(display(record.path), "violation", rule, exc.message,
                                           _VI.get(rule, _VI["RecordMapping"]), line=record.line_of(json_path)))


# Where a node is described: a record if any, else the reference data, vocabularies, ontology.
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


def _place(results: list[dict[str, Any]], homes: dict[Any, str], store: Any, root: Path, paths: list[Path],
           gazetteer: Gazetteer, display: Callable[[Path], str]) -> list[Finding]:
    """Each result as a finding on the line of the record it comes from (the record is read and
    mapped again to find the line), or on the reference file's node."""
    from kg.validation.incremental import StoreContext

    files = _RecordFiles(paths)
    located: dict[str, tuple[Record, Locator] | None] = {}
    findings = []
    for r in results:
        graph = homes.get(r["focus"], "")
        if graph.startswith(record_graph("")) and graph not in located:
            located[graph] = _locate(files.record(graph), StoreContext(store, gazetteer, root))
        if located.get(graph):
            record, locator = located[graph]
            where = locator.path_of(_plain(r["focus"]), r["path"], _plain(r["value"]))
            findings.append(_finding(display(record.path), r, line=record.line_of(where)))
        else:
            findings.append(_finding(_STATIC_FILES.get(graph, "(graph)"), r, node=_plain(r["focus"])))
    return findings


class _RecordFiles:
    """Record files by the graph they make: ID.yaml by convention; when a file breaks it, every
    record is read once to find the ids."""

    def __init__(self, paths: list[Path]):
        self.paths = paths
        self.by_graph = {record_graph(p.stem): p for p in paths}
        self.read_all = False

    def record(self, graph: str) -> Record | None:
        path = self.by_graph.get(graph)
        record = _readable(path) if path else None
        if record is not None and record_graph(record.id) == graph:
            return record
        if self.read_all:
            return None
        self.read_all = True
        for path in self.paths:
            found = _readable(path)
            if found is not None:
                self.by_graph[record_graph(found.id)] = path
        return self.record(graph)


def _readable(path: Path) -> Record | None:
    try:
        return load_record(path)
    except InputError:
        return None


def _locate(record: Record | None, context: Any) -> tuple[Record, Locator] | None:
    """A record with a Locator for its nodes; None if there is none or it cannot be mapped."""
    if record is None:
        return None
    try:
        return record, Locator(record.data, map_entry(record.data, context.without(record_graph(record.id))))
    except RecordError:
        return None

