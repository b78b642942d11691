"""The graph → a file another agency can load: Turtle, TriG, N-Triples, N-Quads or JSON-LD,
whole (with its DCAT/VoID description) or a slice for one province (with its predecessors)."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Store, serialize

from kg import __version__
from kg.base.errors import UsageError
from kg.base.namespaces import DATA_LICENSE, DATASET_IRI, DCAT, DCT, FILE_PREFIXES, META_GRAPH, RDF, SKOS, UNION_GRAPH, VOID, XSD

# name → (pyoxigraph format, file extension, keeps named graphs)
FORMATS = {
    "turtle": (RdfFormat.TURTLE, ".ttl", False),
    "trig": (RdfFormat.TRIG, ".trig", True),
    "nt": (RdfFormat.N_TRIPLES, ".nt", False),
    "nquads": (RdfFormat.N_QUADS, ".nq", True),
    "jsonld": (RdfFormat.JSON_LD, ".jsonld", True),
}
_BY_EXTENSION = {ext: name for name, (_, ext, _) in FORMATS.items()} | {".json": "jsonld", ".ttl": "turtle"}


def format_for(path: Path | None, given: str | None) -> str:
    """-f wins; else the output file's extension; else Turtle."""
    if given:
        if given not in FORMATS:
            raise UsageError(f"unknown format {given!r}; expected one of {', '.join(FORMATS)}")
        return given
    if path is not None:
        found = _BY_EXTENSION.get(path.suffix.lower())
        if found is None:
            raise UsageError(f"cannot tell the format from {path.name!r}; give -f {'|'.join(FORMATS)}")
        return found
    return "turtle"


_SLICE = """
PREFIX dtkg: <https://w3id.org/dtkg/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX org: <http://www.w3.org/ns/org#>
SELECT DISTINCT ?s WHERE {
  ?unit dtkg:predecessor* ?p .
  { ?unit dtkg:predecessor* ?s }
  UNION { ?s dcterms:spatial ?p }
  UNION { ?d dcterms:spatial ?p ; a dtkg:Directive . ?d eli:ensures_implementation_of+ ?s }
  UNION { ?d dcterms:spatial ?p ; a dtkg:Directive . ?d dtkg:hasTarget|prov:wasDerivedFrom|eli:passed_by ?s }
  UNION { ?h dcterms:spatial ?p ; a dtkg:PostHolding ; org:member ?s }
  UNION { ?d dcterms:spatial ?p ; prov:wasDerivedFrom ?src . ?src dcterms:publisher ?s }
  UNION { ?d dcterms:spatial ?p ; prov:wasDerivedFrom ?src . ?s dtkg:supports ?x ; prov:wasDerivedFrom ?src }
}"""


def slice_quads(store: Store, unit: str) -> list[Quad]:
    """Everything about one province and its predecessors: directives, what they implement,
    targets, evidence, sources, bodies, officials."""
    from kg.store.binding import bind
    from kg.store.local import query
    rows = query(store, bind(_SLICE, {"unit": NamedNode(unit)}))
    subjects = list(dict.fromkeys(row["s"] for row in rows if row["s"] is not None))
    quads: list[Quad] = []
    for subject in subjects:
        quads.extend(store.quads_for_pattern(subject, None, None, None))
    return [q for q in quads if q.graph_name.value not in (META_GRAPH, UNION_GRAPH)]


_ACTS = """
PREFIX dtkg: <https://w3id.org/dtkg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
ASK WHERE { ?unit dtkg:predecessor* ?p . ?d dcterms:spatial ?p ; a dtkg:Directive }"""


def has_acts(store: Store, unit: str) -> bool:
    """Whether the province (or a predecessor) has an act: without one a slice is reference data."""
    from kg.store.binding import bind
    from kg.store.local import query
    return bool(query(store, bind(_ACTS, {"unit": NamedNode(unit)})))


def province_names(store: Store, unit: str) -> dict[str, str]:
    """The unit's preferred labels by language ({'vi': 'Hà Tĩnh', 'en': 'Ha Tinh'})."""
    names: dict[str, str] = {}
    for q in store.quads_for_pattern(NamedNode(unit), NamedNode(SKOS.prefLabel), None, NamedNode(UNION_GRAPH)):
        if isinstance(q.object, Literal) and q.object.language:
            names.setdefault(q.object.language, q.object.value)
    return names


def slice_description(unit: str, quads: list[Quad], names: dict[str, str] | None = None) -> list[Quad]:
    g = NamedNode(META_GRAPH)
    whole = NamedNode(DATASET_IRI)
    d = NamedNode(f"{DATASET_IRI}/slice/{unit.rsplit('/', 1)[-1]}")
    triples = {(q.subject, q.predicate, q.object) for q in quads}
    names = names or {}
    vi, en = names.get("vi") or names.get("en") or unit, names.get("en") or names.get("vi") or unit
    return [Quad(d, NamedNode(p), o, g) for p, o in (
        (RDF.type, NamedNode(DCAT.Dataset)),
        (DCT.title, Literal(f"dtkg – {vi}: lát cắt của một tỉnh (cùng các đơn vị tiền thân)", language="vi")),
        (DCT.title, Literal(f"dtkg – {en}: a province's slice (with its predecessors)", language="en")),
        (DCT.isPartOf, whole), (DCT.spatial, NamedNode(unit)),
        (DCAT.version, Literal(__version__)),
        (DCT.license, NamedNode(DATA_LICENSE)),
        (VOID.triples, Literal(str(len(triples)), datatype=NamedNode(XSD.integer))),
    )]


def _in_order(quads: list[Quad]) -> list[Quad]:
    """The dataset's description first (the dataset, then the rest of the meta graph), then every
    other subject sorted, so two exports of one graph are the same bytes and a reader sees what the
    file is before what it holds."""
    dataset = {q.subject for q in quads if q.graph_name.value == META_GRAPH and q.predicate.value == RDF.type
               and q.object.value == DCAT.Dataset}
    meta = {q.subject for q in quads if q.graph_name.value == META_GRAPH}
    return sorted(quads, key=lambda q: (0 if q.subject in dataset else 1 if q.subject in meta else 2,
                                        str(q.subject), str(q.graph_name), str(q.predicate), str(q.object)))


def serialise(quads: list[Quad], fmt: str) -> bytes:
    if fmt == "jsonld":  # with a @context, so keys read eli:date_document (pyoxigraph writes none)
        from kg.publish.site.describe import dumps, jsonld_dataset
        return dumps(jsonld_dataset(quads)).encode("utf-8")
    rdf_format, _, keeps_graphs = FORMATS[fmt]
    quads = _in_order(quads)
    if keeps_graphs:
        data = quads
    else:  # one graph: the union, each triple once
        data = list(dict.fromkeys(q.triple for q in quads))
    prefixes = FILE_PREFIXES if fmt in ("turtle", "trig") else None
    return serialize(data, format=rdf_format, prefixes=prefixes)


def export(store: Store, fmt: str, unit: str | None = None) -> bytes:
    if unit is None:
        from kg.store.local import graph_quads
        quads = list(graph_quads(store))
    else:
        quads = slice_quads(store, unit)
        quads += slice_description(unit, quads, province_names(store, unit))
    return serialise(quads, fmt)
