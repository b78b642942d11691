"""The graph an entry is validated against (ontology, vocabularies, reference data and the records
already added), and the data each engine checks: `data_graph_for` (rdflib, for pySHACL) and
`data_store_for` (Oxigraph, for the SPARQL engine). With a kg.validation.incremental.StoreContext,
the entry with only the part of the store it touches."""


from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache
from typing import Any, Iterator

from pyoxigraph import BlankNode, Literal, NamedNode, Quad

from kg.graph.build import NumberIndex
from kg.base.errors import InputError
from kg.base.namespaces import (
    RDF,
)
from kg.graph.provinces import Gazetteer
from kg.validation.shacl import _quiet_libraries

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

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
        from kg.store.local import graph_quads
        return cls(list(graph_quads(store)), gazetteer)

    def oxigraph_store(self) -> Any:
        """The context as an in-memory Oxigraph store (what kg.validation.sparql_engine reads), made once."""
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
    """The data graph pySHACL checks an entry against: with a kg.validation.incremental.StoreContext (what
    `dtkg validate FILE` uses), the entry with the part of the store it touches; with a Context,
    the entry added to the whole in-memory graph (converted to rdflib once and kept, the entry's
    triples taken out again afterwards); with none, the entry alone."""
    _quiet_libraries()
    graph_for = getattr(context, "graph_for", None)
    if graph_for is not None:  # kg.validation.incremental.StoreContext: only the part of the graph the entry touches
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
    """What data_graph_for is for pySHACL, as an Oxigraph store for kg.validation.sparql_engine: the same
    triples (in its default graph), made without rdflib."""
    from pyoxigraph import Store

    store_for = getattr(context, "store_for", None)
    if store_for is not None:  # kg.validation.incremental.StoreContext
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



def _triple(quad: Quad) -> tuple[Any, Any, Any]:
    return _rdflib(quad.subject), _rdflib(quad.predicate), _rdflib(quad.object)


def focus_nodes(entry: list[Quad]) -> list[str]:
    """What to check for an entry: every IRI it describes or points to (not classes)."""
    rdf_type = RDF.type  # once: a namespace attribute is a method call
    nodes = {q.subject.value for q in entry if isinstance(q.subject, NamedNode)}
    nodes |= {q.object.value for q in entry if isinstance(q.object, NamedNode) and q.predicate.value != rdf_type}
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

