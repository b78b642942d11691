"""Incremental validation: one entry against the part of a large graph it touches.

`kg.validation.context.Context` holds every quad of the graph in memory and hands pySHACL all of them as
one rdflib graph: fine at a few thousand triples, but at a million it is ~10 s to read the store,
~30 s to build the rdflib graph and minutes of pySHACL for one new record. `StoreContext` reads
the store on demand instead, and `graph_for(entry)` gives pySHACL only

* the static graphs: ontology (for rdfs:subClassOf behind sh:class), vocabularies (skos:inScheme,
  skos:notation) and reference data (provinces, their validity and lineage);
* the entry's own quads;
* every quad about each focus node (what pySHACL validates: the IRIs the entry describes or
  points to), from any graph, so a resource described by several records (a central act, a
  person, an issuing body) is seen whole, as maxCount and class constraints need;
* the quads that point at a focus node through a property some shape follows backwards (an
  sh:inversePath, or `?x P $this` in a SPARQL constraint), and what those subjects say of
  themselves (their types);
* what each node the focus nodes point to says of itself: its types (sh:class), its dates
  (an act implemented later than the act implementing it), its body type, its validity.

Every shape in shapes/ starts at its focus node and looks at most that far (a property, a value's
own properties, an incoming property, the static graphs), so pySHACL, which only evaluates the
focus nodes, finds the same results on this graph as on the whole graph; tests/test_incremental.py
checks it on the bad-input corpus and on synthetic data. A shape that looked further would need
`_INCOMING` or the hops here widened, and that test would fail first.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Store

from kg.base.namespaces import DCT, ELI, ONTOLOGY_GRAPH, RDF, REFERENCE_GRAPH, SH, VOCABULARY_GRAPH

STATIC_GRAPHS = (ONTOLOGY_GRAPH, VOCABULARY_GRAPH, REFERENCE_GRAPH)


@lru_cache(maxsize=4)
def incoming_predicates(shapes: tuple[tuple[str, int], ...]) -> frozenset[str]:
    """Properties some shape follows backwards to its focus node: every sh:inversePath, and
    every `?x P $this` of a SPARQL constraint (P an IRI or a name prefixed by sh:declare)."""
    import pyoxigraph

    found: set[str] = set()
    texts: list[str] = []
    declared: dict[Any, dict[str, str]] = {}
    for path, _ in shapes:
        for t in pyoxigraph.parse(path=path, format=pyoxigraph.RdfFormat.TURTLE):
            p = t.predicate.value
            if p == SH.inversePath and isinstance(t.object, NamedNode):
                found.add(t.object.value)
            elif p in (SH.select, SH.ask):
                texts.append(t.object.value)
            elif p in (SH.prefix, SH.namespace):
                declared.setdefault(t.subject, {})[p] = t.object.value
    prefixes = {d[SH.prefix]: d[SH.namespace] for d in declared.values() if len(d) == 2}
    term = r"(<[^>\s]+>|[A-Za-z][\w-]*:[\w-]*)"
    for text in texts:
        for name in re.findall(r"\?\w+\s+" + term + r"\s+\$this\b", text):
            if name.startswith("<"):
                found.add(name[1:-1])
            else:
                prefix, _, local = name.partition(":")
                if prefix in prefixes:
                    found.add(prefixes[prefix] + local)
    return frozenset(found)


def shapes_key(root: Path) -> tuple[tuple[str, int], ...]:
    return tuple((str(p), p.stat().st_mtime_ns) for p in sorted((root / "shapes").glob("*.ttl")))


class StoreNumberIndex:
    """`kg.graph.build.NumberIndex` over the store: document number → (IRI, province) pairs, looked
    up when asked (a few thousand id_local triples at a million) instead of indexed up front."""

    def __init__(self, context: StoreContext):
        self.context = context
        self._found: dict[str, list[tuple[str, str]]] = {}  # a large record cites the same acts often

    def found(self, number: str) -> list[tuple[str, str]]:
        if number not in self._found:
            self._found[number] = self._find(number)
        return self._found[number]

    def _find(self, number: str) -> list[tuple[str, str]]:
        ctx = self.context
        out: list[tuple[str, str]] = []
        rows = ctx.store.query(
            "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s <" + ELI.id_local + "> ?n } FILTER (STR(?n) = "
            + str(Literal(number)) + ")" + ctx.graph_filter("?g") + " }")
        subjects = [row["s"] for row in rows]
        subjects += [q.subject for q in ctx.extra if q.predicate.value == ELI.id_local and q.object.value == number]
        for subject in dict.fromkeys(subjects):
            # one place per act (the shapes allow one); of several, NumberIndex keeps the last
            # in quad order, which a store does not have: take the greatest, to be deterministic
            places = [q.object.value for q in ctx.quads_about(subject) if q.predicate.value == DCT.spatial]
            pair = (subject.value, max(places) if places else "")
            if pair not in out:
                out.append(pair)
        return out

    def under(self, prefix: str) -> list[tuple[str, str, str]]:
        """(number, act IRI, graph) of the acts whose IRI starts with `prefix` (one province and
        year: `…/act/42-ha-tinh/2021/`), for spotting a number written in another form."""
        ctx = self.context
        rows = ctx.store.query(
            "SELECT ?s ?n ?g WHERE { GRAPH ?g { ?s <" + ELI.id_local + "> ?n } FILTER (STRSTARTS(STR(?s), "
            + str(Literal(prefix)) + "))" + ctx.graph_filter("?g") + " }")
        return [(row["n"].value, row["s"].value, row["g"].value) for row in rows]

    def lookup_for(self, province: str):
        """As NumberIndex.lookup_for: the same province, then central acts, then a unique match."""
        def lookup(number: str) -> str | None:
            found = self.found(number)
            for choice in ([i for i, p in found if p == province], [i for i, p in found if not p], [i for i, _ in found]):
                if len(set(choice)) == 1:
                    return choice[0]
            return None
        return lookup


class StoreContext:
    """What `kg.validation.context.Context` is for an entry, read from the store on demand (see above).
    `without(graph)` leaves a record's graph out (the record being re-validated or replaced);
    `with_quads(quads)` adds entries accepted earlier in the same run."""

    def __init__(self, store: Store, gazetteer: Any, root: Path, excluded: frozenset[str] = frozenset(),
                 extra: tuple[Quad, ...] = (), static: list[Quad] | None = None):
        self.store = store
        self.gazetteer = gazetteer
        self.root = root
        self.excluded = excluded
        self.extra = extra
        self._static = static

    @property
    def index(self) -> StoreNumberIndex:
        # made on each use, not kept: a kept index would make a reference cycle, and the store
        # (opened for writing by `dtkg add`) would stay locked until the garbage collector ran
        return StoreNumberIndex(self)

    def without(self, graph: str) -> StoreContext:
        extra = tuple(q for q in self.extra if getattr(q.graph_name, "value", None) != graph)
        return StoreContext(self.store, self.gazetteer, self.root, self.excluded | {graph}, extra, self._static)

    def with_quads(self, quads: Iterable[Quad]) -> StoreContext:
        return StoreContext(self.store, self.gazetteer, self.root, self.excluded, self.extra + tuple(quads), self._static)

    def graph_filter(self, var: str) -> str:
        if not self.excluded:
            return ""
        return " FILTER (" + " && ".join(f"{var} != <{g}>" for g in sorted(self.excluded)) + ")"

    def _keep(self, quads: Iterable[Quad]) -> list[Quad]:
        excluded = self.excluded
        if not excluded:
            return list(quads)
        return [q for q in quads if getattr(q.graph_name, "value", None) not in excluded]

    def triples_about(self, subjects: Iterable[Any]) -> list[Quad]:
        """What these subjects say of themselves, in any graph but the excluded ones, each triple
        once (as a quad in the default graph), and the extra quads about them. One query for the
        IRIs: a node described by every record (a publisher) is 4 triples, not 4 × records quads."""
        subjects = list(dict.fromkeys(subjects))
        iris = [s for s in subjects if isinstance(s, NamedNode)]
        found: list[Quad] = []
        for i in range(0, len(iris), 200):
            values = " ".join(str(s) for s in iris[i:i + 200])
            rows = self.store.query(
                "SELECT DISTINCT ?s ?p ?o WHERE { VALUES ?s { " + values + " } "
                "{ GRAPH ?g { ?s ?p ?o }" + self.graph_filter("?g") + " } UNION { ?s ?p ?o } }")
            found += [Quad(r["s"], r["p"], r["o"]) for r in rows]
        for node in subjects:
            if not isinstance(node, NamedNode):  # a blank node cannot be named in a query
                found += self._keep(self.store.quads_for_pattern(node, None, None, None))
        wanted = set(subjects)
        return found + [q for q in self.extra if q.subject in wanted]

    def quads_about(self, subject: Any) -> list[Quad]:
        """Every triple with this subject (see triples_about)."""
        return self.triples_about([subject])

    def triples_pointing_at(self, nodes: Iterable[Any], predicates: Iterable[str]) -> list[Quad]:
        """The triples `?s P node` for these nodes and properties (index lookups), and the extra ones."""
        nodes = [n for n in dict.fromkeys(nodes) if isinstance(n, NamedNode)]
        properties = [NamedNode(p) for p in sorted(predicates)]
        found = {Quad(q.subject, q.predicate, q.object): None
                 for node in nodes for p in properties
                 for q in self._keep(self.store.quads_for_pattern(None, p, node, None))}
        wanted, wanted_p = set(nodes), set(predicates)
        return list(found) + [q for q in self.extra if q.object in wanted and q.predicate.value in wanted_p]

    def static_quads(self) -> list[Quad]:
        """Ontology, vocabularies and reference data (read once per context family)."""
        if self._static is None:
            self._static = [q for g in STATIC_GRAPHS for q in self.store.quads_for_pattern(None, None, None, NamedNode(g))]
        return self._static

    def neighbourhood(self, entry: list[Quad], focus: Iterable[str]) -> list[Quad]:
        """The triples of the graph an entry's validation can look at (see the module docstring)."""
        rdf_type = RDF.type
        nodes = [NamedNode(iri) for iri in focus]
        about = self.triples_about(nodes)
        citing = self.triples_pointing_at(nodes, incoming_predicates(shapes_key(self.root)))
        pointed = {q.object for q in [*about, *entry]
                   if q.predicate.value != rdf_type and isinstance(q.object, (NamedNode, BlankNode))}
        pointed |= {q.subject for q in citing}
        pointed -= set(nodes)
        return about + citing + self.triples_about(pointed)

    def store_for(self, entry: list[Quad], focus: list[str]) -> Store:
        """The same triples as graph_for, in an in-memory Oxigraph store (for kg.validation.sparql_engine)."""
        store = Store()
        store.extend(Quad(q.subject, q.predicate, q.object)
                     for q in [*self.static_quads(), *entry, *self.neighbourhood(entry, focus)])
        return store

    def graph_for(self, entry: list[Quad], focus: list[str]) -> Any:
        """An rdflib graph of the static graphs, the entry and its neighbourhood (union of the
        named graphs, as pySHACL reads it)."""
        from kg.validation.context import _graph_class, _triple

        graph = _graph_class()()
        triples = dict.fromkeys(map(_triple, [*self.static_quads(), *entry, *self.neighbourhood(entry, focus)]))
        for triple in triples:
            graph.add(triple)
        return graph

