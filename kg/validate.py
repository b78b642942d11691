"""Validation: records, RDF files or the whole graph → one finding per problem.

Two stages, in order. (1) The record stage (kg.records.load): an unreadable file is an error
(exit 2), schema and rule problems are violations on the record's line. (2) SHACL (the shapes in
shapes/) on the entry's triples together with the part of the graph it refers to, run by
kg.shacl_sparql (the shapes as SPARQL in Oxigraph, the default) or by pySHACL (the reference,
`engine="pyshacl"`); both give results in the same form, and tests/test_engines.py checks they
are the same. Mapping errors between the two (an unknown province, a province not in
force at the act's date, an `implements` that names nothing) are violations on the record's line.

Every finding prints as one line,

    FILE:LINE: SEVERITY: [SHAPE] MESSAGE-EN / MESSAGE-VI (focus NODE, path PATH, value VALUE)

with `FILE: <NODE>` in place of `FILE:LINE` for RDF input, then a summary line
(`2 violations, 1 warning in 1 file`). Exit status: 0 valid (warnings allowed), 1 violations,
2 an input cannot be read.

Which data an entry is checked against is decided in one place per engine, `data_graph_for`
(rdflib, for pySHACL) and `data_store_for` (Oxigraph): with a kg.incremental.StoreContext, the
entry with the part of the store it touches.
"""

from __future__ import annotations

import json
import logging
import re
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, parse

from . import iris
from .build import NumberIndex, map_records
from .errors import DtkgError, InputError, RecordError
from .mapping import MappedRecord, document_iris, map_record
from .namespaces import (
    DCT, DERIVED_GRAPH, DTKG, ELI, ID, META_GRAPH, ONTOLOGY_GRAPH, ORG, PREFIXES, RDF, REFERENCE_GRAPH,
    SCHEMA, VOCABULARY_GRAPH, concept, record_graph,
)
from .provinces import Gazetteer, default_gazetteer
from .records import Record, load
from .text import slug

SHAPES = "https://w3id.org/dtkg/shapes#"
SH = "http://www.w3.org/ns/shacl#"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

RDF_FORMATS = {
    ".ttl": RdfFormat.TURTLE, ".turtle": RdfFormat.TURTLE, ".trig": RdfFormat.TRIG,
    ".nt": RdfFormat.N_TRIPLES, ".nq": RdfFormat.N_QUADS, ".jsonld": RdfFormat.JSON_LD,
    ".json-ld": RdfFormat.JSON_LD, ".rdf": RdfFormat.RDF_XML, ".owl": RdfFormat.RDF_XML,
}
RECORD_SUFFIXES = (".yaml", ".yml", ".json")
MAX_RDF_BYTES = 200_000_000

# Vietnamese for the record stage, whose messages (kg.records) are in English only.
_VI = {
    "RecordSchema": "bản ghi không đúng định dạng (xem kg/record.schema.json)",
    "DateShape": "ngày không có thật hoặc ở tương lai; dùng YYYY-MM-DD, YYYY-MM hoặc YYYY",
    "PeriodShape": "giai đoạn không hợp lệ: năm cuối không được trước năm đầu",
    "EvidenceShape": "thiếu bằng chứng: cần đoạn trích từ nguồn chứng minh dữ kiện này",
    "Record-unique": "đã có một bản ghi khác cùng mã (id)",
    "Province-inForce": "tỉnh không có trong dữ liệu tham chiếu hoặc không có hiệu lực vào ngày của văn bản (mốc 01/7/2025)",
    "Directive-implements": "văn bản được thực hiện không có trong bản ghi cũng như trong đồ thị",
    "RecordMapping": "không chuyển được bản ghi thành RDF",
    "InputError": "không đọc được tệp",
}


# ==================================================================================================
# Findings and the report
# ==================================================================================================


@dataclass
class Finding:
    """One problem. `line` for records, `node` for RDF input; `severity` is violation, warning,
    info, or error (the input could not be read)."""

    file: str
    severity: str
    shape: str
    message_en: str
    message_vi: str = ""
    line: int | None = None
    node: str | None = None
    focus: str | None = None
    path: str | None = None
    value: str | None = None

    def format(self) -> str:
        if self.line:
            where = f"{self.file}:{self.line}"
        elif self.node:
            where = f"{self.file}: <{self.node}>"
        else:
            where = self.file
        message = self.message_en
        if self.message_vi and self.message_vi != self.message_en:
            message += f" / {self.message_vi}"
        details = [(k, v) for k, v in (("focus", self.focus), ("path", self.path), ("value", self.value))
                   if v and not (k == "focus" and self.node)]
        tail = f" ({', '.join(f'{k} {v}' for k, v in details)})" if details else ""
        return f"{where}: {self.severity}: [{self.shape}] {message}{tail}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    notices: list[str] = field(default_factory=list)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def exit_code(self) -> int:
        if self.count("error"):
            return 2
        return 1 if self.count("violation") else 0

    @property
    def conforms(self) -> bool:
        return self.exit_code == 0

    def summary(self) -> str:
        parts = [_plural(self.count("violation"), "violation"), _plural(self.count("warning"), "warning")]
        if self.count("info"):
            parts.append(_plural(self.count("info"), "info"))
        if self.count("error"):
            parts.append(f"{self.count('error')} unreadable")
        return f"{', '.join(parts)} in {_plural(self.files, 'file') if self.files else 'the graph'}"

    def lines(self) -> list[str]:
        return [f.format() for f in self.findings] + [self.summary()]

    def to_json(self) -> str:
        return json.dumps({
            "conforms": self.conforms, "exit_code": self.exit_code, "files": self.files,
            "violations": self.count("violation"), "warnings": self.count("warning"),
            "infos": self.count("info"), "unreadable": self.count("error"),
            "summary": self.summary(), "notices": self.notices,
            "results": [{k: v for k, v in asdict(f).items() if v is not None} for f in self.findings],
        }, ensure_ascii=False, indent=2)

    def render(self, fmt: str = "text") -> str:
        return self.to_json() if fmt == "json" else "\n".join(self.lines())


def input_error(path: Path | str, exc: DtkgError, display: str | None = None) -> Finding:
    """An unreadable input as a finding: FILE[:LINE]: error: [InputError] message."""
    where = exc.where or str(path)
    if display is not None:
        where = where.replace(str(path), display, 1)
    match = re.match(r"^(.*?):(\d+)(?::\d+)?$", where)
    file, line = (match[1], int(match[2])) if match else (where, None)
    return Finding(file, "error", "InputError", exc.message, _VI["InputError"], line=line)


# ==================================================================================================
# The graph an entry refers to
# ==================================================================================================


class Context:
    """The graph an entry is validated against (ontology, vocabularies, reference data and the
    records already added), and the number index `implements` is resolved with."""

    def __init__(self, quads: list[Quad], gazetteer: Gazetteer):
        self.quads = quads
        self.gazetteer = gazetteer
        self.index = NumberIndex()
        self.index.add_graph_quads(quads)
        self._graph: Any = None
        self._store: Any = None

    @classmethod
    def from_store(cls, store: Any, gazetteer: Gazetteer) -> Context:
        return cls(list(store.quads_for_pattern(None, None, None, None)), gazetteer)

    def oxigraph_store(self) -> Any:
        """The context as an in-memory Oxigraph store (what kg.shacl_sparql reads), made once."""
        if self._store is None:
            from pyoxigraph import Store

            self._store = Store()
            self._store.extend(Quad(q.subject, q.predicate, q.object) for q in self.quads)
        return self._store

    def rdflib_graph(self) -> Any:
        """The context as an rdflib graph (what pySHACL reads), made once."""
        if self._graph is None:
            self._graph = _graph_class()()
            for quad in self.quads:
                self._graph.add(_triple(quad))
        return self._graph

    def without(self, graph: str) -> Context:
        """The context less one record's graph (the record being replaced or re-validated)."""
        if not any(q.graph_name.value == graph for q in self.quads if isinstance(q.graph_name, NamedNode)):
            return self
        kept = [q for q in self.quads if getattr(q.graph_name, "value", None) != graph]
        return Context(kept, self.gazetteer)

    def with_quads(self, quads: list[Quad]) -> Context:
        return Context(self.quads + quads, self.gazetteer)


@contextmanager
def data_graph_for(entry: list[Quad], context: Context | None) -> Iterator[Any]:
    """The data graph pySHACL checks an entry against: with a kg.incremental.StoreContext (what
    `dtkg validate FILE` uses), the entry with the part of the store it touches; with a Context,
    the entry added to the whole in-memory graph (converted to rdflib once and kept, the entry's
    triples taken out again afterwards); with none, the entry alone."""
    _quiet_libraries()
    graph_for = getattr(context, "graph_for", None)
    if graph_for is not None:  # kg.incremental.StoreContext: only the part of the graph the entry touches
        yield graph_for(entry, focus_nodes(entry))
        return
    if context is None:
        graph = _graph_class()()
        for quad in entry:
            graph.add(_triple(quad))
        yield graph
        return
    graph = context.rdflib_graph()
    added = [t for t in dict.fromkeys(map(_triple, entry)) if t not in graph]
    for triple in added:
        graph.add(triple)
    try:
        yield graph
    finally:
        for triple in added:
            graph.remove(triple)


@contextmanager
def data_store_for(entry: list[Quad], context: Context | None) -> Iterator[Any]:
    """What data_graph_for is for pySHACL, as an Oxigraph store for kg.shacl_sparql: the same
    triples (in its default graph), made without rdflib."""
    from pyoxigraph import Store

    store_for = getattr(context, "store_for", None)
    if store_for is not None:  # kg.incremental.StoreContext
        yield store_for(entry, focus_nodes(entry))
        return
    if context is None:
        store = Store()
        store.extend(Quad(q.subject, q.predicate, q.object) for q in entry)
        yield store
        return
    store = context.oxigraph_store()
    added = [t for t in dict.fromkeys(Quad(q.subject, q.predicate, q.object) for q in entry) if t not in store]
    store.extend(added)
    try:
        yield store
    finally:
        for quad in added:
            store.remove(quad)


ENGINES = ("sparql", "pyshacl")
DEFAULT_ENGINE = "sparql"


def shacl_results(entry: list[Quad], context: Context | None, root: Path, engine: str = DEFAULT_ENGINE) -> list[dict[str, Any]]:
    """The SHACL results for an entry's focus nodes, by kg.shacl_sparql (the default) or pySHACL
    (the reference); the same results, as tests/test_engines.py checks."""
    focus = focus_nodes(entry)
    if engine == "pyshacl":
        with data_graph_for(entry, context) as graph:
            return run_shacl(graph, root, focus)
    from . import shacl_sparql

    with data_store_for(entry, context) as store:
        return shacl_sparql.validate(store, root, focus)


def _triple(quad: Quad) -> tuple[Any, Any, Any]:
    return _rdflib(quad.subject), _rdflib(quad.predicate), _rdflib(quad.object)


def focus_nodes(entry: list[Quad]) -> list[str]:
    """What to check for an entry: every IRI it describes or points to (not classes)."""
    nodes = {q.subject.value for q in entry if isinstance(q.subject, NamedNode)}
    nodes |= {q.object.value for q in entry if isinstance(q.object, NamedNode) and q.predicate.value != RDF.type}
    return sorted(nodes)


_TERMS: dict[Any, Any] = {}


def _rdflib(term: Any) -> Any:
    found = _TERMS.get(term)
    if found is not None:
        return found
    import rdflib

    if isinstance(term, NamedNode):
        out = rdflib.URIRef(term.value)
    elif isinstance(term, BlankNode):
        out = rdflib.BNode(term.value)
    elif isinstance(term, Literal):
        datatype = term.datatype.value if term.datatype else None
        if term.language:
            out = rdflib.Literal(term.value, lang=term.language)
        elif datatype in (None, XSD_STRING):
            out = rdflib.Literal(term.value)
        else:
            out = rdflib.Literal(term.value, datatype=rdflib.URIRef(datatype))
    else:
        raise InputError(f"unsupported RDF term {term!r}")
    if len(_TERMS) < 500_000:
        _TERMS[term] = out
    return out


def _query_caching_graph_class() -> type:
    import rdflib
    from rdflib.plugins.sparql import prepareQuery

    prepared: dict[str, Any] = {}

    class QueryCachingGraph(rdflib.Graph):
        """pySHACL runs each SPARQL constraint once per focus node with the same text; rdflib
        would parse it every time (most of the cost). Parse once, evaluate many times."""

        def query(self, query_object: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(query_object, str) and not kwargs.get("initNs"):
                query = prepared.get(query_object)
                if query is None:
                    query = prepared[query_object] = prepareQuery(query_object)
                query_object = query
            return super().query(query_object, *args, **kwargs)

    return QueryCachingGraph


@lru_cache(maxsize=1)
def _graph_class() -> type:
    return _query_caching_graph_class()


# ==================================================================================================
# SHACL
# ==================================================================================================


def shapes_dir(root: Path) -> Path:
    return root / "shapes"


def shapes_graph(root: Path) -> Any:
    """Every shapes/*.ttl as one rdflib graph, parsed once per process (again if a file changes)."""
    files = sorted(shapes_dir(root).glob("*.ttl"))
    if not files:
        raise InputError("no SHACL shapes found (expected shapes/*.ttl)", str(shapes_dir(root)))
    return _shapes_graph(tuple((str(p), p.stat().st_mtime_ns) for p in files))


@lru_cache(maxsize=2)
def _shapes_graph(files: tuple[tuple[str, int], ...]) -> Any:
    import rdflib

    graph = rdflib.Graph()
    for path, _ in files:
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises many types for a bad file
            raise InputError(f"cannot read the shapes: {exc}", path) from None
    return graph


@lru_cache(maxsize=2)
def _messages(shapes: Any) -> dict[str, dict[str, str]]:
    """shape IRI → {language: sh:message}, for results pySHACL leaves without a message."""
    import rdflib

    out: dict[str, dict[str, str]] = {}
    for shape, message in shapes.subject_objects(rdflib.URIRef(SH + "message")):
        out.setdefault(str(shape), {})[message.language or "en"] = str(message)
    return out


def _quiet_libraries() -> None:
    """rdflib logs a traceback for an ill-typed literal (2021-02-31); the shapes report it."""
    for name in ("rdflib", "rdflib.term", "pyshacl"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def run_shacl(data_graph: Any, root: Path, focus: list[str] | None = None) -> list[dict[str, Any]]:
    """pySHACL's results as dicts: shape, severity, focus, path, value, message_en, message_vi."""
    import pyshacl
    import rdflib

    _quiet_libraries()
    shapes = shapes_graph(root)
    if focus is not None and not focus:
        return []
    try:
        _, report, _ = pyshacl.validate(data_graph, shacl_graph=shapes, inference="none", allow_warnings=True,
                                        allow_infos=True, focus_nodes=focus or None)
    except Exception as exc:  # a broken shape or query is the tool's fault, not the user's
        raise InputError(f"SHACL validation failed: {type(exc).__name__}: {exc}", str(shapes_dir(root))) from None
    sh = rdflib.Namespace(SH)
    messages = _messages(shapes)
    results = {}
    for result in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        one = lambda p: report.value(result, p)  # noqa: E731
        shape = one(sh.sourceShape)
        # a blank property shape has no name: report its node shape's
        name = str(shape) if isinstance(shape, rdflib.URIRef) else _owner(shapes, shape)
        value = _from_rdflib(one(sh.value))
        texts = _by_language(messages.get(name, {}), [str(m) for m in report.objects(result, sh.resultMessage)], value)
        path = one(sh.resultPath)
        if isinstance(path, rdflib.BNode):  # [ sh:inversePath P ]
            path = "^" + str(shapes.value(path, sh.inversePath))
        found = {
            "shape": name,
            "severity": str(one(sh.resultSeverity)).rsplit("#", 1)[-1].lower(),
            "focus": _from_rdflib(one(sh.focusNode)),
            "path": str(path) if path is not None else None,
            "value": value,
            "message_en": texts.get("en", ""),
            "message_vi": texts.get("vi", ""),
        }
        results[tuple(str(v) for v in found.values())] = found
    return sorted(results.values(), key=lambda r: (str(r["focus"]), r["shape"], _key(r["value"])))


def _key(term: Any) -> str:
    return "" if term is None else str(term)


def _plain(term: Any) -> str | None:
    """A result term's IRI, blank node id or lexical form (None stays None)."""
    return None if term is None else term.value


def _from_rdflib(term: Any) -> Any:
    """An rdflib term as pyoxigraph's: one kind of term in results, whichever engine made them."""
    import rdflib

    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        return NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return BlankNode(str(term))
    if term.language:
        return Literal(str(term), language=term.language)
    return Literal(str(term), datatype=NamedNode(str(term.datatype)) if term.datatype else None)


def _owner(shapes: Any, shape: Any) -> str:
    import rdflib

    parent = shapes.value(None, rdflib.URIRef(SH + "property"), shape)
    return str(parent) if parent is not None else str(shape)


def _by_language(templates: dict[str, str], filled: list[str], value: Any) -> dict[str, str]:
    """pySHACL fills {?var} in every sh:message of a SPARQL result but drops the language tags:
    give each language the filled text its template matches (else the template, {?value} filled)."""
    out = {}
    for language, template in templates.items():
        pattern = re.compile(re.sub(r"\\\{\\[?$]\w+\\\}", "(.*?)", re.escape(template)), re.S)
        text = next((t for t in filled if pattern.fullmatch(t)), None)
        if text is None:
            text = template.replace("{?value}", _show(value)) if value is not None else template
        out[language] = _IRI.sub(lambda m: compact(m.group(0)), text)
    return out


def fill_message(template: str, bindings: dict[str, Any], value: Any, sparql: bool) -> str:
    """A sh:message as pySHACL words it: a SPARQL result's {?var} and {$var} replaced by the
    bound terms (an IRI then shortened to a prefixed name), a core constraint's left as written."""
    text = template
    if sparql:
        for name, term in bindings.items():
            text = re.sub(r"\{[?$]" + re.escape(name) + r"\}", lambda _: term.value, text)
    return _IRI.sub(lambda m: compact(m.group(0)), text)


_IRI = re.compile(r"https?://[^\s,;()<>\"]+")


def _show(term: Any, limit: int = 80) -> str:
    """A term for a report line: a prefixed name where one fits, a literal quoted and cut short;
    a result path `^P` (inverse) stays marked."""
    if term is None:
        return ""
    if isinstance(term, str):
        return "^" + compact(term[1:]) if term.startswith("^") else compact(term)
    if isinstance(term, Literal):
        text = term.value
        if len(text) > limit:
            text = text[: limit - 1] + "…"
        return json.dumps(text, ensure_ascii=False)
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return compact(term.value)


_PREFIXES = sorted(((iri, name) for name, iri in {**PREFIXES, "shapes": SHAPES}.items()), key=lambda p: -len(p[0]))


def compact(iri: str) -> str:
    for base, name in _PREFIXES:
        if iri.startswith(base) and len(iri) > len(base):
            return f"{name}:{iri[len(base):]}"
    return f"<{iri}>"


def _shape_name(iri: str) -> str:
    return iri[len(SHAPES):] if iri.startswith(SHAPES) else compact(iri)


# ==================================================================================================
# Records: where in the file a node is
# ==================================================================================================

_DOC_FIELDS = {
    ELI.id_local: ("number",), ELI.type_document: ("type",), ELI.passed_by: ("issuer",),
    ELI.date_document: ("date",), DTKG.documentDatePartial: ("date",), DTKG.meetingDate: ("meeting_date",),
    DTKG.meetingDatePartial: ("meeting_date",), DTKG.plannedDate: ("planned_date",),
    DTKG.periodStart: ("period", "start"), DTKG.periodEnd: ("period", "end"), DTKG.visionYear: ("period", "vision"),
    ELI.ensures_implementation_of: ("implements",), ELI.based_on: ("implements",), ELI.is_about: ("sectors",),
    DTKG.status: ("status",), DCT.title: ("title",), ELI.title: ("title",), DTKG.level: ("level",),
    DTKG.yearOfNumber: ("year",), "http://www.w3.org/2002/07/owl#sameAs": ("same_as",),
}
_TARGET_FIELDS = {DTKG.deadlineYear: ("deadline",), DTKG.startYear: ("start",), DTKG.metric: ("metric",),
                  DTKG.comparator: ("comparator",), DTKG.scope: ("scope",), DTKG.targetValue: ("value",)}
_SOURCE_FIELDS = {DCT.issued: ("published",), SCHEMA.url: ("url",), DCT.title: ("headline",)}
_OFFICIAL_FIELDS = {SCHEMA.name: ("name",), ORG.role: ("roles",), DTKG.titleAsWritten: ("title",),
                    DTKG.reportedOn: ("as_of",)}


class Locator:
    """A node of a mapped record → the JSON path of what it came from (for the line number)."""

    def __init__(self, data: dict[str, Any], mapped: MappedRecord):
        self.data = data
        self.paths: dict[str, tuple[Any, ...]] = {record_graph(data["id"]): ()}
        self.kinds: dict[str, str] = {}
        src = iris.source_iri(data["id"])
        self._put(src, ("source",), "source")
        supports = {q.subject.value: q.object.value for q in mapped.quads if q.predicate.value == DTKG.supports}
        self.supports = supports
        spatial = [q.object.value for q in mapped.quads if q.predicate.value == DCT.spatial]
        for province in spatial:
            self._put(province, ("province",), "province")
        self.refs = mapped.documents
        for i, doc in enumerate(data["documents"]):
            iri = mapped.documents.get(doc["ref"])
            if iri:
                self._put(iri, ("documents", i), "document")
        for q in mapped.quads:
            if q.predicate.value == ELI.passed_by:
                doc_path = self.paths.get(q.subject.value)
                if doc_path:
                    self._put(q.object.value, doc_path + ("issuer",), "body")
        self.target_docs = {q.object.value: q.subject.value for q in mapped.quads if q.predicate.value == DTKG.hasTarget}
        members = {q.subject.value: q.object.value for q in mapped.quads if q.predicate.value == ORG.member}
        names = {q.subject.value: q.object.value for q in mapped.quads if q.predicate.value == SCHEMA.name}
        for j, official in enumerate(data.get("officials", [])):
            for person, name in names.items():
                if name == official["name"] and person.startswith(ID + "person/"):
                    self._put(person, ("officials", j), "official")
            for holding, person in members.items():
                if self.paths.get(person) == ("officials", j) or person.endswith("/" + slug(official["name"])):
                    self._put(holding, ("officials", j), "official")

    def _put(self, iri: str, path: tuple[Any, ...], kind: str) -> None:
        self.paths.setdefault(iri, path)
        self.kinds.setdefault(iri, kind)

    def path_of(self, focus: str | None, path: str | None = None, value: Any = None) -> tuple[Any, ...]:
        if focus is None:
            return ()
        if focus in self.supports and focus not in self.paths:  # evidence → what it supports
            return self.path_of(self.supports[focus]) + ("evidence",)
        if focus in self.target_docs:
            return self._target_path(focus, path)
        base = self.paths.get(focus)
        if base is None:
            return ()
        kind = self.kinds.get(focus)
        if kind == "document":
            if path == DCT.spatial:
                return ("province",)
            tail = _DOC_FIELDS.get(path or "", ())
            return base + tail + self._item(base + tail, value)
        if kind == "source":
            return base + _SOURCE_FIELDS.get(path or "", ())
        if kind == "official":
            return base + _OFFICIAL_FIELDS.get(path or "", ())
        return base

    def _target_path(self, focus: str, path: str | None) -> tuple[Any, ...]:
        doc_path = self.paths.get(self.target_docs[focus], ())
        if not doc_path:
            return ()
        doc = self.data["documents"][doc_path[1]]
        metric = focus.rsplit("/target/", 1)[-1].rsplit("-", 1)[0]
        matches = [j for j, t in enumerate(doc.get("targets", [])) if t["metric"] == metric]
        base = doc_path + ("targets",) + ((matches[0],) if len(matches) == 1 else ())
        return base + (_TARGET_FIELDS.get(path or "", ()) if len(matches) == 1 else ())

    def _item(self, path: tuple[Any, ...], value: Any) -> tuple[Any, ...]:
        """The list item a value came from: a sector by its concept, an `implements` by its target."""
        if value is None or len(path) < 3:
            return ()
        doc = self.data["documents"][path[1]]
        if path[-1] == "sectors":
            for j, sector in enumerate(doc.get("sectors", [])):
                if concept("sector", sector["key"]) == str(value):
                    return (j,)
        if path[-1] == "implements":
            for j, item in enumerate(doc.get("implements", [])):
                if self.refs.get(item) == str(value) or item == str(value):
                    return (j,)
        return ()


def _mapping_path(data: dict[str, Any], message: str) -> tuple[tuple[Any, ...], str]:
    """Where a mapping error belongs, found from the values its message quotes, and its rule."""
    for i, doc in enumerate(data.get("documents", [])):
        for j, item in enumerate(doc.get("implements", [])):
            if f"implements {item!r}" in message:
                return ("documents", i, "implements", j), "Directive-implements"
        if doc.get("same_as") and repr(doc["same_as"]) in message:
            return ("documents", i, "same_as"), "Directive-implements"
    if "province" in message or f'"{data.get("province")}"' in message:
        return ("province",), "Province-inForce"
    for i, doc in enumerate(data.get("documents", [])):
        if repr(doc.get("ref")) in message:
            return ("documents", i), "RecordMapping"
    return (), "RecordMapping"


# ==================================================================================================
# One record, one RDF file, the whole graph
# ==================================================================================================


def load_record(path: Path | str) -> Record:
    """One record through the record stage (kg.records.load)."""
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

    A store built from the records as they are now (kg.build.is_fresh) has been through the record
    stage already (the build refuses a record with any problem), so only SHACL runs then."""
    from .build import ensure_built
    from .store import is_fresh, open_read_only

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
            from . import shacl_sparql

            results = shacl_sparql.validate(store, root, None, union=True)
        homes = _homes(store, [r["focus"] for r in results])
        report.findings += _place(results, homes, store, root, paths, gazetteer, display)
    finally:
        del store
    return report


def _record_stage(root: Path, paths: list[Path], gazetteer: Gazetteer, report: Report,
                  display: Callable[[Path], str]) -> None:
    """Both record-stage checks and the mapping of every record, each problem on its line."""
    from .build import load_many, static_quads

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
    from .incremental import StoreContext

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
