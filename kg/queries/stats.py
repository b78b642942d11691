"""Counts by class, per named graph: what the graph holds, at a glance."""

from __future__ import annotations

from pyoxigraph import Store

from kg.base.namespaces import PREFIXES


def compact(iri: str) -> str:
    """`https://w3id.org/dtkg/ontology#Directive` → `dtkg:Directive`, for reading."""
    for prefix, base in PREFIXES.items():
        if iri.startswith(base) and "/" not in iri[len(base):]:
            return f"{prefix}:{iri[len(base):]}"
    return iri

_COUNTS = """
SELECT ?graph ?class (COUNT(DISTINCT ?s) AS ?count) WHERE {
  GRAPH ?graph { ?s a ?class }
} GROUP BY ?graph ?class ORDER BY ?graph DESC(?count) ?class"""

_TRIPLES = "SELECT ?graph (COUNT(*) AS ?triples) WHERE { GRAPH ?graph { ?s ?p ?o } } GROUP BY ?graph ORDER BY ?graph"


def stats(store: Store) -> list[dict[str, str]]:
    """Rows of graph, class and instance count, with a row per graph for its triple count."""
    triples = {r["graph"].value: r["triples"].value for r in store.query(_TRIPLES)}
    rows = [{"graph": g, "class": "(triples)", "count": n} for g, n in triples.items()]
    rows += [{"graph": r["graph"].value, "class": compact(r["class"].value), "count": r["count"].value} for r in store.query(_COUNTS)]
    return sorted(rows, key=lambda r: (r["graph"], r["class"] != "(triples)", -int(r["count"])))
