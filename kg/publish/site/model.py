"""The graph as the site reads it: every resource with its triples, labels in both languages, and
the views pages need (provinces, acts, implementation chains, sectors), made once from the quads.

Everything is sorted, so two sites made from the same graph are the same bytes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable
from urllib.parse import unquote

from pyoxigraph import Literal, NamedNode, Quad

from kg.base.namespaces import BASE, DCT, DTKG, ELI, PROV, RDF, RDFS, SCHEMA, SKOS

LABEL_PREDICATES = (SKOS.prefLabel, RDFS.label, SCHEMA.name, DCT.title, ELI.title)


def page_path(iri: str) -> str | None:
    """The site path (no extension) of a dtkg IRI, decoded as a static host looks it up:
    `…/id/act/vn/2020/749_QĐ-TTg` for `…749_Q%C4%90-TTg`; hash IRIs share their document's page."""
    if not iri.startswith(BASE):
        return None
    local = iri[len(BASE):].split("#", 1)[0]
    return unquote(local) or "index"


@dataclass
class Resource:
    iri: str
    out: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))  # predicate → objects
    graphs: set[str] = field(default_factory=set)

    def one(self, predicate: str) -> Any:
        values = self.out.get(predicate)
        return values[0] if values else None

    def iris(self, predicate: str) -> list[str]:
        return sorted({o.value for o in self.out.get(predicate, []) if isinstance(o, NamedNode)})

    def types(self) -> set[str]:
        return {o.value for o in self.out.get(RDF.type, [])}


class Graph:
    """All resources of the graph, indexed both ways."""

    def __init__(self, quads: Iterable[Quad]):
        self.resources: dict[str, Resource] = {}
        self.incoming: dict[str, list[tuple[str, str]]] = defaultdict(list)  # object → (subject, predicate)
        seen: set[tuple] = set()
        for q in quads:
            s = q.subject.value if isinstance(q.subject, NamedNode) else None
            if s is None:
                continue
            res = self.resources.get(s)
            if res is None:
                res = self.resources[s] = Resource(s)
            res.graphs.add(q.graph_name.value if isinstance(q.graph_name, NamedNode) else "")
            key = (s, q.predicate.value, q.object)
            if key in seen:
                continue
            seen.add(key)
            res.out[q.predicate.value].append(q.object)
            if isinstance(q.object, NamedNode):
                self.incoming[q.object.value].append((s, q.predicate.value))
        for res in self.resources.values():
            for values in res.out.values():
                values.sort(key=_term_key)
        self.labels = {iri: _labels(res) for iri, res in self.resources.items()}
        self._by_type: dict[str, list[Resource]] = defaultdict(list)
        for iri in sorted(self.resources):
            for cls in self.resources[iri].types():
                self._by_type[cls].append(self.resources[iri])

    def get(self, iri: str) -> Resource:
        return self.resources.get(iri) or Resource(iri)

    def label(self, iri: str, lang: str = "vi") -> str:
        labels = self.labels.get(iri)
        if labels:
            return labels.get(lang) or labels.get("vi") or labels.get("") or labels.get("en") or local_name(iri)
        return local_name(iri)

    def both(self, iri: str) -> dict[str, str]:
        return {"vi": self.label(iri, "vi"), "en": self.label(iri, "en")}

    def of_type(self, cls: str) -> list[Resource]:
        return list(self._by_type.get(cls, []))

    def referrers(self, iri: str, predicate: str) -> list[str]:
        return sorted({s for s, p in self.incoming.get(iri, []) if p == predicate})


def _term_key(term: Any) -> tuple:
    return (type(term).__name__, term.value, getattr(term, "language", None) or "",
            getattr(getattr(term, "datatype", None), "value", ""))


def local_name(iri: str) -> str:
    """The last part of an IRI, decoded: `…/749_Q%C4%90-TTg` → `749_QĐ-TTg`, `…#Directive` → `Directive`."""
    return unquote(iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1])


def _labels(res: Resource) -> dict[str, str]:
    found: dict[str, str] = {}
    number = res.one(ELI.id_local)
    for predicate in LABEL_PREDICATES:
        for o in res.out.get(predicate, []):
            if isinstance(o, Literal):
                found.setdefault(o.language or "", o.value)
    if number is not None:  # an act is known by its number first
        return {"vi": number.value, "en": number.value, "": number.value}
    return found


# -- the views pages need -----------------------------------------------------------------------

PARTY_BODIES = {"party-executive-committee", "party-standing-committee", "party-inspection-committee",
                "party-delegation"}
LEVELS = ("central", "party", "peoples-committee", "peoples-council", "other")


@dataclass
class Act:
    iri: str
    number: str | None
    title: str | None
    type: str | None          # concept IRI
    issuer: str | None        # body IRI
    body_type: str | None     # concept key, e.g. peoples-committee
    level: str                # one of LEVELS
    date: str | None          # YYYY-MM-DD, YYYY-MM or YYYY: the best the graph knows
    status: str | None
    province: str | None
    implements: list[str]
    implemented_by: list[str]
    sectors: list[str]
    targets: list[str]
    sources: list[str]

    @property
    def quarter(self) -> str | None:
        if not self.date or len(self.date) < 7:
            return None
        return f"{self.date[:4]} Q{(int(self.date[5:7]) - 1) // 3 + 1}"

    @property
    def year(self) -> str | None:
        return self.date[:4] if self.date else None


def acts(graph: Graph) -> dict[str, Act]:
    out: dict[str, Act] = {}
    for res in graph.of_type(DTKG.Directive):
        issuer = (res.iris(ELI.passed_by) or [None])[0]
        body_type = None
        if issuer:
            kinds = graph.get(issuer).iris(DTKG.bodyType)
            body_type = kinds[0].rsplit("/", 1)[-1] if kinds else None
        level_value = res.one(DTKG.level)
        if level_value is not None and level_value.value == "central":
            level = "central"
        elif body_type in PARTY_BODIES:
            level = "party"
        elif body_type in ("peoples-committee", "peoples-council"):
            level = body_type
        else:
            level = "other"
        date = res.one(ELI.date_document) or res.one(DTKG.documentDatePartial) or res.one(DTKG.yearOfNumber)
        number, title = res.one(ELI.id_local), res.one(DCT.title)
        out[res.iri] = Act(
            iri=res.iri, number=number.value if number else None, title=title.value if title else None,
            type=(res.iris(ELI.type_document) or [None])[0], issuer=issuer, body_type=body_type, level=level,
            date=date.value if date else None, status=(res.iris(DTKG.status) or [None])[0],
            province=(res.iris(DCT.spatial) or [None])[0], implements=res.iris(ELI.ensures_implementation_of),
            implemented_by=graph.referrers(res.iri, ELI.ensures_implementation_of),
            sectors=res.iris(ELI.is_about), targets=res.iris(DTKG.hasTarget), sources=res.iris(PROV.wasDerivedFrom),
        )
    return out


@dataclass
class Unit:
    iri: str
    code: str
    name: dict[str, str]
    before_2025: bool    # one of the 63
    after_2025: bool     # one of the 34
    predecessors: list[str]
    successors: list[str]


def units(graph: Graph) -> dict[str, Unit]:
    out = {}
    for res in graph.of_type(DTKG.Province):
        code = res.one(DTKG.code)
        out[res.iri] = Unit(
            iri=res.iri, code=code.value if code else "", name=graph.both(res.iri),
            before_2025=res.one(DTKG.validFrom) is None, after_2025=res.one(DTKG.validUntil) is None,
            predecessors=res.iris(DTKG.predecessor), successors=res.iris(DTKG.successor),
        )
    return out


def lineage(unit: str, all_units: dict[str, Unit]) -> list[str]:
    """The unit and every unit before it (its predecessors, theirs…)."""
    found, todo = [], [unit]
    while todo:
        iri = todo.pop()
        if iri in found:
            continue
        found.append(iri)
        todo.extend(all_units[iri].predecessors if iri in all_units else [])
    return sorted(found)


def implementers(act: str, all_acts: dict[str, Act]) -> list[str]:
    """Every act that implements `act`, directly or through a chain."""
    found: set[str] = set()
    todo = [act]
    while todo:
        current = todo.pop()
        for other in all_acts.get(current).implemented_by if current in all_acts else []:
            if other not in found:
                found.add(other)
                todo.append(other)
    return sorted(found)


def chain_up(act: str, all_acts: dict[str, Act]) -> list[list[str]]:
    """The paths from `act` up through what it implements, to acts that implement nothing."""
    paths: list[list[str]] = []

    def walk(path: list[str]) -> None:
        above = [a for a in all_acts[path[-1]].implements if a not in path] if path[-1] in all_acts else []
        if not above:
            if len(path) > 1:
                paths.append(path[1:])
            return
        for a in above:
            walk(path + [a])
    walk([act])
    return sorted(paths)


def mentions(graph: Graph, subject: str) -> list[Resource]:
    """Evidence nodes that support `subject`: each quote with its field and source."""
    return [graph.get(s) for s in graph.referrers(subject, DTKG.supports)]


def holdings(graph: Graph, province_iris: list[str]) -> list[Resource]:
    wanted = set(province_iris)
    return [h for h in graph.of_type(DTKG.PostHolding) if set(h.iris(DCT.spatial)) & wanted]
