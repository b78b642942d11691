"""What the graph holds, at a glance: totals (records, acts, provinces, sources, targets,
officials, quads), acts per province and year, and counts by class per named graph."""

from __future__ import annotations

from pyoxigraph import NamedNode, Store

from kg.base.namespaces import PREFIXES, UNION_GRAPH


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


_PREFIXES = """PREFIX dtkg: <https://w3id.org/dtkg/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""

# measure → a query over the union whose one row has ?n
_TOTALS = [
    ("records (one per source)", "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a dtkg:Record }"),
    ("acts (directives, plans, decisions…)", "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a dtkg:Directive }"),
    ("provincial acts", "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a dtkg:Directive ; dcterms:spatial ?p . ?p a dtkg:Province }"),
    ("provinces with an act (as at the act's date)",
     "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?x a dtkg:Directive ; dcterms:spatial ?p . ?p a dtkg:Province }"),
    ("provinces of today with an act",
     "SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?x a dtkg:Directive ; dcterms:spatial ?p . ?p a dtkg:Province ; "
     "dtkg:successor* ?t . FILTER NOT EXISTS { ?t dtkg:validUntil ?u } }"),
    ("sources (web pages, articles, acts' texts)",
     "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?r a dtkg:Record ; prov:wasDerivedFrom ?x }"),
    ("targets", "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a dtkg:Target }"),
    ("officials", "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a dtkg:Official }"),
    ("quotes (evidence)", "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a dtkg:Evidence }"),
]


def totals(store: Store) -> list[dict[str, str]]:
    """Rows of measure and count: the graph's size in the words a reader asks about."""
    from kg.store.local import query
    rows = [{"measure": measure, "count": next(iter(query(store, _PREFIXES + text)))["n"].value}
            for measure, text in _TOTALS]
    union = sum(1 for _ in store.quads_for_pattern(None, None, None, NamedNode(UNION_GRAPH)))
    rows.append({"measure": "quads in the named graphs", "count": str(len(store) - union)})
    rows.append({"measure": "distinct triples (their union)", "count": str(union)})
    return rows


_BY_YEAR = _PREFIXES + """
SELECT ?province ?province_iri ?year (COUNT(DISTINCT ?act) AS ?acts) WHERE {
  ?act a dtkg:Directive ; dcterms:spatial ?province_iri .
  ?province_iri a dtkg:Province ; skos:prefLabel ?province . FILTER(LANG(?province) = "vi")
  OPTIONAL { ?act eli:date_document ?date }
  BIND(COALESCE(SUBSTR(STR(?date), 1, 4), "undated") AS ?year)
} GROUP BY ?province ?province_iri ?year ORDER BY ?province ?province_iri ?year"""

BY_YEAR_SHAPE = {"rows": "province", "key": "province_iri", "columns": "year", "value": "acts"}


def by_province_year(store: Store) -> list[dict]:
    """Acts per province (as at the act's date) and year: the long form, a row per non-empty cell."""
    from kg.store.local import query
    return [{k: row[k] for k in ("province", "province_iri", "year", "acts")} for row in query(store, _BY_YEAR)]
