"""Where in a record file a finding belongs: a node of the mapped record → the JSON path of what it
came from, and so the line; a mapping error → the field its message quotes."""


from __future__ import annotations

from typing import Any


from kg.graph import iris
from kg.graph.mapping import MappedRecord
from kg.base.namespaces import (
    DCT, DTKG, ELI, ID, ORG, SCHEMA, concept, record_graph,
)
from kg.base.text import slug

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
        # One pass over the quads, by property (a record of 5,000 documents has ~200,000 quads).
        by_property: dict[str, list[tuple[str, str]]] = {}
        for q in mapped.quads:
            by_property.setdefault(q.predicate.value, []).append((q.subject.value, q.object.value))
        pairs = lambda p: by_property.get(p, [])  # noqa: E731
        self.supports = dict(pairs(DTKG.supports))
        for _, province in pairs(DCT.spatial):
            self._put(province, ("province",), "province")
        self.refs = mapped.documents
        for i, doc in enumerate(data["documents"]):
            iri = mapped.documents.get(doc["ref"])
            if iri:
                self._put(iri, ("documents", i), "document")
        for act, body in pairs(ELI.passed_by):
            doc_path = self.paths.get(act)
            if doc_path:
                self._put(body, doc_path + ("issuer",), "body")
        self.target_docs = {target: doc for doc, target in pairs(DTKG.hasTarget)}
        people_named: dict[str, list[str]] = {}
        for person, name in pairs(SCHEMA.name):
            if person.startswith(ID + "person/"):
                people_named.setdefault(name, []).append(person)
        holdings = pairs(ORG.member)
        for j, official in enumerate(data.get("officials", [])):
            for person in people_named.get(official["name"], []):
                self._put(person, ("officials", j), "official")
        by_slug: dict[str, int] = {}
        for j, official in enumerate(data.get("officials", [])):
            by_slug.setdefault(slug(official["name"]), j)
        for holding, person in dict(holdings).items():  # the first official it belongs to
            named = self.paths.get(person, ())
            found = [j for j in (named[1] if named[:1] == ("officials",) else None,
                                 by_slug.get(person.rsplit("/", 1)[-1])) if j is not None]
            if found:
                self._put(holding, ("officials", min(found)), "official")

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

