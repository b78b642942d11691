"""Record → RDF: the one mapper used for curated records, extractor output and new entries.

It emits pyoxigraph quads straight into the record's named graph (no rdflib on this path: at a
million triples rdflib's own graph is the bottleneck). The interoperability profile is
materialised here, so a consumer without a reasoner finds every directive as an
eli:LegalResource with eli:id_local, eli:date_document, eli:passed_by, eli:type_document,
eli:is_about, eli:ensures_implementation_of + eli:based_on, dcterms:spatial and
prov:wasDerivedFrom.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from pyoxigraph import Literal, NamedNode, Quad

from kg.graph import iris
from kg.base.errors import RecordError
from kg.base.namespaces import DCT, DTKG, ELI, ID, ORG, OWL, PROV, RDF, SCHEMA, SKOS, XSD, concept, record_graph
from kg.records.reader import parse_date

Lookup = Callable[[str], "str | None"]  # a document number → its IRI in the graph, if any


class _Terms:
    """A namespace whose terms are looked up once each: `Namespace.__getattr__` costs ~1.5 µs,
    and the mapper asks for a term about once per quad (seconds at a million quads)."""

    def __init__(self, namespace: Any):
        self._namespace = namespace

    def __getattr__(self, name: str) -> str:
        value = getattr(self._namespace, name)  # unknown terms still raise AttributeError
        setattr(self, name, value)
        return value

    def __getitem__(self, name: str) -> str:
        return self._namespace[name]


DCT, DTKG, ELI, ORG, OWL, PROV, RDF, SCHEMA, SKOS = map(_Terms, (DCT, DTKG, ELI, ORG, OWL, PROV, RDF, SCHEMA, SKOS))

_N = NamedNode
_PREDICATES: dict[str, NamedNode] = {}  # predicate IRI → its node; few, shared by all records
A = _N(RDF.type)
_DT = {k: _N(XSD[k]) for k in ("date", "gYear", "gYearMonth", "integer", "decimal", "dateTime")}


def _date_literal(value: Any) -> tuple[Literal, str]:
    text, kind = parse_date(value)  # type: ignore[misc]
    return Literal(text, datatype=_DT[kind]), kind


def _year(value: int) -> Literal:
    return Literal(f"{int(value):04d}", datatype=_DT["gYear"])


def _vi(text: str) -> Literal:
    return Literal(text, language="vi")


@dataclass
class MappedRecord:
    """The quads of one record, and the IRIs of its documents by ref (for cross-record links)."""

    graph: str
    quads: list[Quad]
    documents: dict[str, str] = field(default_factory=dict)
    numbers: dict[str, str] = field(default_factory=dict)  # number as written → IRI


def act_year(doc: dict[str, Any], source_published: Any) -> int:
    """The year that makes a number unique: the act's date, its `year`, the year in its number,
    its meeting or planned date, or the source's date — in that order."""
    for candidate in (doc.get("date"), doc.get("year")):
        if candidate:
            return int(str(candidate)[:4])
    if doc.get("number") and iris.year_in_number(doc["number"]):
        return iris.year_in_number(doc["number"])  # type: ignore[return-value]
    for candidate in (doc.get("meeting_date"), doc.get("planned_date"), source_published):
        if candidate:
            return int(str(candidate)[:4])
    raise RecordError(f"document {doc['ref']!r}: no date, year or source date to place it in time; add `year:` with its evidence")


def year_is_guessed(doc: dict[str, Any]) -> bool:
    """Whether only the source's date places the act in time (see `act_year`): then its IRI's
    year is a guess, and an act of that number already in the graph is the one meant."""
    if any(doc.get(k) for k in ("date", "year", "meeting_date", "planned_date")):
        return False
    return not (doc.get("number") and iris.year_in_number(doc["number"]))


def act_where(iri: str) -> str:
    """`…/act/PLACE/` of an act's IRI: acts of one place share it (PLACE is `vn` for central acts)."""
    return iri.rsplit("/", 2)[0] + "/"


def _known_acts(data: dict[str, Any], refs: dict[str, str], numbers: dict[str, str], lookup: Lookup) -> set[str]:
    """An act cited by number with no date of its own is the act of that number, of the same
    place, that the graph holds: 52-NQ/TW cited undated in a 2021 article is the Politburo's
    resolution of 2019, not a new act of 2021 (the year a guess would give its IRI). The refs so
    resolved are returned: their guessed year is not said of the act."""
    known = set()
    for doc in on_topic(data):
        number = doc.get("number")
        if not number or not year_is_guessed(doc):
            continue
        found = lookup(number)
        if found and found != refs[doc["ref"]] and act_where(found) == act_where(refs[doc["ref"]]):
            refs[doc["ref"]] = numbers[number] = found
            known.add(doc["ref"])
    return known


def _date_for_resolution(doc: dict[str, Any], published: Any) -> str:
    for candidate in (doc.get("date"), doc.get("meeting_date"), doc.get("planned_date"), published):
        if candidate:
            return str(candidate)
    return str(doc.get("year") or "")


def document_iri(doc: dict[str, Any], province_local: str | None, year: int) -> str:
    period = doc.get("period") or {}
    try:
        return iris.act_iri(
            year=year,
            province=None if doc.get("level") == "central" else province_local,
            number=doc.get("number"),
            doc_type=doc["type"],
            issuer=doc["issuer"],
            period=(period.get("start"), period.get("end")) if period else None,
            date=str(doc.get("date") or doc.get("meeting_date") or "") or None,
            title=doc.get("title"),
        )
    except ValueError:  # no number and nothing else to make a stable key from
        raise RecordError(f"document {doc['ref']!r} has no number, so it needs a period, a date (or meeting_date) "
                          "or a title to make its key; add one with its evidence") from None


class _Emitter:
    """Collects quads into one graph; small helpers keep the mapping below readable."""

    def __init__(self, graph: str):
        self.graph = _N(graph)
        self.quads: list[Quad] = []
        self._nodes: dict[str, NamedNode] = {}  # IRI → node: a NamedNode costs ~0.5 µs to make

    def add(self, s: str, p: str, o: NamedNode | Literal | str) -> None:
        nodes = self._nodes
        subject = nodes.get(s)
        if subject is None:
            subject = nodes[s] = _N(s)
        predicate = _PREDICATES.get(p)
        if predicate is None:
            predicate = _PREDICATES[p] = _N(p)
        if isinstance(o, str):
            obj = nodes.get(o)
            if obj is None:
                obj = nodes[o] = _N(o)
        else:
            obj = o
        self.quads.append(Quad(subject, predicate, obj, self.graph))

    def evidence(self, source: str, subject: str, name: str, quote: Any, as_written: str | None = None) -> None:
        if quote is None:
            return
        entry = quote if isinstance(quote, dict) else {"quote": quote}
        node = f"{source}/evidence/{iris.content_key(subject, name, entry['quote'], as_written)}"
        self.add(node, RDF.type, DTKG.Evidence)
        self.add(node, DTKG.supports, subject)
        self.add(node, DTKG.field, Literal(name))
        self.add(node, DTKG.quote, _vi(entry["quote"]))
        for key in ("start", "end"):
            if key in entry:
                self.add(node, DTKG[key], Literal(str(entry[key]), datatype=_DT["integer"]))
        if entry.get("note"):
            self.add(node, DTKG.note, Literal(entry["note"], language="en"))
        if as_written:
            self.add(node, DTKG.asWritten, _vi(as_written))
        self.add(node, PROV.wasDerivedFrom, source)


def document_iris(data: dict[str, Any], gazetteer: Any) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """IRIs of a record's documents: by ref, by number as written, and each one's province IRI
    ("" for central acts). Cheap, so a build can index every record before mapping any."""
    published = data["source"].get("published")
    refs: dict[str, str] = {}
    numbers: dict[str, str] = {}
    provinces: dict[str, str] = {}
    for doc in on_topic(data):
        province = None
        if doc.get("level") != "central":
            if not data.get("province"):
                raise RecordError(f"document {doc['ref']!r} is not central (level: central), so the record needs `province:`")
            province = gazetteer.resolve(data["province"], on=_date_for_resolution(doc, published)).iri
        iri = document_iri(doc, province.rsplit("/", 1)[1] if province else None, act_year(doc, published))
        refs[doc["ref"]] = iri
        provinces[doc["ref"]] = province or ""
        if doc.get("number"):
            numbers[doc["number"]] = iri
    return refs, numbers, provinces


def on_topic(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The documents the graph holds: not those marked `about_dt: false`. The graph is of digital-
    transformation acts, and every stored query counts a `dtkg:Directive` as one, so an act off the
    subject stays in its record (for the reviewer) and out of the graph, which keeps it out of
    coverage, timelines and search without a filter in each query."""
    docs = [d for d in data["documents"] if d.get("about_dt", True)]
    off = {d["ref"] for d in data["documents"] if not d.get("about_dt", True)}
    for doc in docs:
        for value in doc.get("implements", []):
            if value in off:
                raise RecordError(f"document {doc['ref']!r} implements {value!r}, which is marked about_dt: false "
                                  "and so is not in the graph; remove the link or the mark")
    return docs


def map_record(data: dict[str, Any], gazetteer: Any, lookup: Lookup = lambda number: None) -> MappedRecord:
    """The quads of one checked record. `gazetteer` resolves province names at a date;
    `lookup` finds documents outside the record that `implements` names by number."""
    out = _Emitter(record_graph(data["id"]))
    src = iris.source_iri(data["id"])
    source = data["source"]
    published = source.get("published")
    _map_source(out, src, data)

    refs, numbers, provinces = document_iris(data, gazetteer)
    known = _known_acts(data, refs, numbers, lookup)

    for doc in on_topic(data):
        year = None if doc["ref"] in known else act_year(doc, published)
        _map_document(out, src, doc, refs, provinces[doc["ref"]] or None, year, lookup, numbers)

    graph = record_graph(data["id"])
    out.add(graph, RDF.type, DTKG.Record)
    out.add(graph, DCT.identifier, Literal(data["id"]))
    out.add(graph, PROV.wasDerivedFrom, src)
    if not data.get("province"):  # a page about central acts only
        if data.get("officials"):
            raise RecordError("the record lists officials but no `province:`; expected the province they serve")
        return MappedRecord(graph, out.quads, refs, numbers)
    mapped = on_topic(data)
    when = published or (_date_for_resolution(mapped[0], None) if mapped else None)
    record_province = gazetteer.resolve(data["province"], on=str(when) if when else None)
    for official in data.get("officials", []):
        _map_official(out, src, official, record_province.iri, published)
    out.evidence(src, record_province.iri, "province", data.get("evidence", {}).get("province"))
    out.add(graph, DCT.spatial, record_province.iri)
    return MappedRecord(graph, out.quads, refs, numbers)


# record source kind → (dtkg class, schema.org class)
_SOURCE_KINDS = {
    "article": (DTKG.SourceArticle, SCHEMA.NewsArticle),
    "act": (DTKG.SourceAct, None),
    "web": (DTKG.SourceWebPage, SCHEMA.WebPage),
}


def _map_source(out: _Emitter, src: str, data: dict[str, Any]) -> None:
    source = data["source"]
    kind, schema_type = _SOURCE_KINDS[source["kind"]]
    out.add(src, RDF.type, kind)
    out.add(src, RDF.type, PROV.Entity)
    if schema_type is not None:
        out.add(src, RDF.type, schema_type)
    if source.get("headline"):
        out.add(src, DCT.title, _vi(source["headline"]))
        out.add(src, SCHEMA.headline, _vi(source["headline"]))
    if source.get("title"):
        out.add(src, DCT.title, _vi(source["title"]))
        out.add(src, SCHEMA.name, _vi(source["title"]))
    if source.get("publisher"):
        publisher = iris.publisher_iri(source["publisher"])
        out.add(src, DCT.publisher, publisher)
        out.add(publisher, RDF.type, SCHEMA.Organization)
        out.add(publisher, SCHEMA.name, _vi(source["publisher"]))
        out.add(publisher, SKOS.prefLabel, _vi(source["publisher"]))
    if source.get("published"):
        literal, kind_ = _date_literal(source["published"])
        out.add(src, DCT.issued, literal)
        if kind_ == "date":
            out.add(src, SCHEMA.datePublished, literal)
    if source.get("accessed"):
        out.add(src, DTKG.accessed, _date_literal(source["accessed"])[0])
    if source.get("url"):
        out.add(src, SCHEMA.url, _N(source["url"]))
    if source.get("file"):
        out.add(src, DTKG.fileName, Literal(source["file"]))
    if source.get("language"):
        out.add(src, DCT.language, Literal(source["language"]))
    for name, quote in source.get("evidence", {}).items():
        out.evidence(src, src, name, quote)


def _resolve_implements(value: str, refs: dict[str, str], numbers: dict[str, str], lookup: Lookup, ref: str) -> str:
    if value in refs:
        return refs[value]
    if value in numbers:
        return numbers[value]
    found = lookup(value)
    if found:
        return found
    raise RecordError(
        f"document {ref!r} implements {value!r}, which is neither a ref in this record nor a "
        "document number in the graph; describe it in the record or add its record first"
    )


def _map_document(out: _Emitter, src: str, doc: dict[str, Any], refs: dict[str, str], province: str | None,
                  year: int | None, lookup: Lookup, numbers: dict[str, str]) -> None:
    iri = refs[doc["ref"]]
    central = doc.get("level") == "central"
    out.add(iri, RDF.type, DTKG.Directive)
    out.add(iri, RDF.type, ELI.LegalResource)
    out.add(iri, DTKG.level, Literal("central" if central else "provincial"))
    out.add(iri, ELI.type_document, concept("document-type", doc["type"]))
    if year is not None:
        out.add(iri, DTKG.yearOfNumber, _year(year))
    if doc.get("number"):
        out.add(iri, ELI.id_local, Literal(doc["number"]))
    if doc.get("title"):
        out.add(iri, DCT.title, _vi(doc["title"]))
        out.add(iri, ELI.title, _vi(doc["title"]))
    body = iris.body_iri(doc["issuer"], None if central else province.rsplit("/", 1)[1] if province else None)
    out.add(iri, ELI.passed_by, body)
    out.add(body, RDF.type, DTKG.IssuingBody)
    out.add(body, RDF.type, ORG.Organization)
    out.add(body, DTKG.bodyType, concept("body-type", doc["issuer"]))
    if province:
        out.add(body, DCT.spatial, province)
        out.add(iri, DCT.spatial, province)
    if doc.get("issuer_as_written"):
        out.add(iri, DTKG.issuerAsWritten, _vi(doc["issuer_as_written"]))
    for name, full, partial in (("date", ELI.date_document, DTKG.documentDatePartial),
                                ("meeting_date", DTKG.meetingDate, DTKG.meetingDatePartial),
                                ("planned_date", DTKG.plannedDate, DTKG.plannedDate)):
        if doc.get(name):
            literal, kind = _date_literal(doc[name])
            out.add(iri, full if kind == "date" else partial, literal)
    if doc.get("status"):
        out.add(iri, DTKG.status, concept("status", doc["status"]))
    period = doc.get("period") or {}
    for key, prop in (("start", DTKG.periodStart), ("end", DTKG.periodEnd), ("vision", DTKG.visionYear)):
        if period.get(key):
            out.add(iri, prop, _year(period[key]))
    for value in doc.get("implements", []):
        target = _resolve_implements(value, refs, numbers, lookup, doc["ref"])
        out.add(iri, ELI.ensures_implementation_of, target)
        out.add(iri, ELI.based_on, target)
    if doc.get("same_as"):
        other = refs.get(doc["same_as"]) or numbers.get(doc["same_as"]) or lookup(doc["same_as"])
        if other is None:
            raise RecordError(f"document {doc['ref']!r}: same_as {doc['same_as']!r} names no document in the record or the graph")
        out.add(iri, OWL.sameAs, other)
    out.add(iri, PROV.wasDerivedFrom, src)
    for name, quote in doc.get("evidence", {}).items():
        out.evidence(src, iri, name, quote)
    for sector in doc.get("sectors", []):
        out.add(iri, ELI.is_about, concept("sector", sector["key"]))
        out.evidence(src, iri, "sectors", sector["quote"], as_written=sector["as_written"])
    for target in doc.get("targets", []):
        _map_target(out, src, iri, target)


def _map_target(out: _Emitter, src: str, directive: str, target: dict[str, Any]) -> None:
    key = iris.content_key(target["metric"], target.get("comparator"), target.get("value"),
                           target.get("deadline"), target.get("start"), target.get("scope"))
    node = f"{directive}/target/{target['metric']}-{key}"
    out.add(directive, DTKG.hasTarget, node)
    out.add(node, RDF.type, DTKG.Target)
    out.add(node, DTKG.metric, concept("metric", target["metric"]))
    for name, scheme_ in (("comparator", "comparator"), ("scope", "scope")):
        if target.get(name):
            out.add(node, DTKG[name], concept(scheme_, target[name]))
    value = target.get("value")
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, int):
        out.add(node, DTKG.targetValue, Literal(str(value), datatype=_DT["integer"]))
    elif isinstance(value, float):
        out.add(node, DTKG.targetValue, Literal(repr(value), datatype=_DT["decimal"]))
    elif value is not None:
        out.add(node, DTKG.targetValue, _vi(str(value)))
    if target.get("unit"):
        out.add(node, DTKG.unit, Literal(target["unit"]))
    if target.get("deadline"):
        out.add(node, DTKG.deadlineYear, _year(target["deadline"]))
    if target.get("start"):
        out.add(node, DTKG.startYear, _year(target["start"]))
    if target.get("statement"):
        out.add(node, DTKG.statement, _vi(target["statement"]))
    out.add(node, PROV.wasDerivedFrom, src)
    out.evidence(src, node, "target", target["quote"])


def _map_official(out: _Emitter, src: str, official: dict[str, Any], province: str, published: Any) -> None:
    local = province.rsplit("/", 1)[1]
    person = iris.person_iri(official["name"], local, official.get("key"))
    out.add(person, RDF.type, DTKG.Official)
    out.add(person, RDF.type, SCHEMA.Person)
    out.add(person, SCHEMA.name, _vi(official["name"]))
    out.add(person, SKOS.prefLabel, _vi(official["name"]))
    as_of = official.get("as_of") or published
    for role in official["roles"]:
        holding = f"{ID}holding/{local}/{iris.slug(official['name'])}-{role}-{iris.content_key(src, official['title'])}"
        out.add(holding, RDF.type, DTKG.PostHolding)
        out.add(holding, RDF.type, ORG.Membership)
        out.add(holding, ORG.member, person)
        out.add(holding, ORG.role, concept("role", role))
        out.add(holding, DTKG.titleAsWritten, _vi(official["title"]))
        out.add(holding, DCT.spatial, province)
        if official.get("body"):
            out.add(holding, ORG.organization, iris.body_iri(official["body"], local))
        if as_of and len(str(as_of)) == 10:  # dtkg:reportedOn is an xsd:date; a partial date stays on the source
            literal, _ = _date_literal(as_of)
            out.add(holding, DTKG.reportedOn, literal)
        out.add(holding, PROV.wasDerivedFrom, src)
    out.evidence(src, person, "official", official["quote"])


# The label-like properties: what folded search keys (skos:hiddenLabel) are made from.
# an official's title as written is on the post holding: `search` finds the official by it
LABEL_PREDICATES = frozenset({SKOS.prefLabel, SKOS.altLabel, DCT.title, ELI.id_local, SCHEMA.name, DTKG.statement,
                              DTKG.titleAsWritten})


def iter_labels(quads: Iterable[Quad]) -> Iterable[tuple[NamedNode, str]]:
    """(subject, text) of every label-like literal: what folded search keys are made from."""
    wanted = LABEL_PREDICATES
    for quad in quads:
        if quad.predicate.value in wanted and isinstance(quad.object, Literal):
            yield quad.subject, quad.object.value
