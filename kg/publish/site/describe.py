"""One resource's description for machines: its triples plus the labels of what it links to, as
Turtle and as JSON-LD with a `@context` (prefixes as terms, so the keys read `eli:date_document`).

The JSON-LD is written here rather than by pyoxigraph, whose serialiser takes no context.
"""

from __future__ import annotations

import json
from typing import Any, Iterable

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Triple, serialize

from kg.base.namespaces import FILE_PREFIXES, RDF
from kg.publish.site.model import LABEL_PREDICATES, Graph

CONTEXT = dict(sorted(FILE_PREFIXES.items()))


def triples(graph: Graph, iris: Iterable[str]) -> list[Triple]:
    """The resources' triples, then a label for each IRI they link to that is not described."""
    described = list(dict.fromkeys(iris))
    out: list[Triple] = []
    linked: set[str] = set()
    for iri in described:
        res = graph.get(iri)
        subject = NamedNode(iri)
        for predicate in sorted(res.out):
            for o in res.out[predicate]:
                out.append(Triple(subject, NamedNode(predicate), o))
                if isinstance(o, NamedNode):
                    linked.add(o.value)
    for iri in sorted(linked - set(described)):
        res = graph.resources.get(iri)
        if res is None:
            continue
        for predicate in LABEL_PREDICATES:
            for o in res.out.get(predicate, []):
                out.append(Triple(NamedNode(iri), NamedNode(predicate), o))
    return out


def turtle(data: list[Triple]) -> bytes:
    return serialize(data, format=RdfFormat.TURTLE, prefixes=CONTEXT)


def ntriples(data: list[Triple]) -> bytes:
    return serialize(data, format=RdfFormat.N_TRIPLES)


def compact(iri: str) -> str:
    for prefix, namespace in CONTEXT.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            local = iri[len(namespace):]
            if "/" not in local and "#" not in local:
                return f"{prefix}:{local}"
    return iri


def _id(term: Any) -> str:
    return "_:" + term.value if isinstance(term, BlankNode) else term.value


def _value(term: Any) -> Any:
    if isinstance(term, (NamedNode, BlankNode)):
        return {"@id": _id(term)}
    if isinstance(term, Literal):
        if term.language:
            return {"@value": term.value, "@language": term.language}
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return term.value
        return {"@value": term.value, "@type": compact(datatype)}
    return {"@id": str(term)}


def jsonld_nodes(data: Iterable[Triple | Quad]) -> list[dict[str, Any]]:
    nodes: dict[str, dict[str, Any]] = {}
    for t in data:
        node = nodes.setdefault(_id(t.subject), {"@id": _id(t.subject)})
        if t.predicate.value == RDF.type and isinstance(t.object, NamedNode):
            node.setdefault("@type", []).append(compact(t.object.value))
        else:
            node.setdefault(compact(t.predicate.value), []).append(_value(t.object))
    return list(nodes.values())


def jsonld(data: list[Triple], extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """`{"@context": …, "@graph": […]}`; `extra` adds terms to the first node (schema.org views)."""
    nodes = jsonld_nodes(data)
    if extra and nodes:
        for key, value in extra.items():
            if key == "@type":
                nodes[0].setdefault("@type", []).append(value)
            elif value not in (None, [], ""):
                nodes[0][key] = value
    return {"@context": CONTEXT, "@graph": nodes}


def jsonld_dataset(quads: Iterable[Quad]) -> dict[str, Any]:
    """A whole dataset as JSON-LD with the same `@context`: each named graph a node with its own
    `@graph`, the default graph's triples at the top."""
    graphs: dict[str, list[Quad]] = {}
    for q in quads:
        graphs.setdefault("" if isinstance(q.graph_name, DefaultGraph) else _id(q.graph_name), []).append(q)
    top = jsonld_nodes(graphs.pop("", []))
    for name in sorted(graphs):
        top.append({"@id": name, "@graph": jsonld_nodes(graphs[name])})
    return {"@context": CONTEXT, "@graph": top}


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
