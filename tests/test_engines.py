"""The SPARQL engine (kg/shacl_sparql.py) reports what pySHACL, the reference validator, reports:
the same shape, focus node, path, value, severity and message, on every shape example, on every
case of the bad-input corpus (records and RDF, against the whole graph and against the part of
the store an entry touches), and on whole graphs, curated and synthetic, broken on purpose."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import built_copy, findings

from helpers import REPO as CHECKOUT, SEED as REPO  # the seed data: answers stay pinned
BAD = CHECKOUT / "tests" / "bad_inputs"
EXAMPLES = CHECKOUT / "tests" / "shapes"


def _key(results: list[dict]) -> list[tuple]:
    """Results as comparable tuples (a node shape's value is its focus node in one engine, unset
    in the other: the report drops it either way)."""
    def term(t):
        return None if t is None else str(t)
    return [(r["shape"], r["severity"], term(r["focus"]), r["path"],
             None if r["value"] is None or r["value"] == r["focus"] else term(r["value"]),
             r["message_en"], r["message_vi"]) for r in results]


@pytest.fixture(scope="module")
def static_context():
    from kg.graph.build import static_quads
    from kg.graph.provinces import default_gazetteer
    from kg.validation.context import Context

    return Context(static_quads(REPO), default_gazetteer(REPO))


EXAMPLE_FILES = sorted([*(EXAMPLES / "valid").glob("*.ttl"), *(EXAMPLES / "invalid").glob("*.ttl")])


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_same_results_on_the_shape_examples(static_context, path):
    from kg.validation.checks import read_rdf, shacl_results

    quads = read_rdf(path)
    expected = _key(shacl_results(quads, static_context, REPO, "pyshacl"))
    assert _key(shacl_results(quads, static_context, REPO, "sparql")) == expected
    assert (path.parent.name == "invalid") == bool(expected)  # the example means something


# -- the bad-input corpus, entry by entry ------------------------------------------------------


@pytest.fixture(scope="module")
def curated(tmp_path_factory):
    from kg.validation.incremental import StoreContext
    from kg.graph.provinces import default_gazetteer
    from kg.store.local import open_read_only
    from kg.validation.context import Context

    root, store_dir = built_copy(tmp_path_factory.mktemp("engines"), REPO)
    store = open_read_only(store_dir)
    gazetteer = default_gazetteer(root)
    yield root, store_dir, Context.from_store(store, gazetteer), StoreContext(store, gazetteer, root)
    del store


CASES = sorted(p for p in [*BAD.iterdir(), *(BAD / "accepted").iterdir(), *(REPO / "data" / "records").iterdir()]
               if p.is_file() and p.suffix != ".expect" and not p.name.startswith("."))


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_same_findings_on_the_bad_input_corpus(curated, path):
    """pySHACL against the whole graph is the reference; the SPARQL engine against the whole
    graph and against the neighbourhood read from the store (what `dtkg validate FILE` does)."""
    root, _, full, incremental = curated
    expected = findings(path, full, root, "pyshacl")
    assert findings(path, full, root, "sparql") == expected
    assert findings(path, incremental, root, "sparql") == expected


def test_the_corpus_reaches_most_shapes(curated):
    root, _, full, _ = curated
    shapes = set()
    for path in CASES:
        for line in findings(path, full, root, "sparql"):
            if ": [" in line:
                shapes.add(line.split(": [", 1)[1].split("]", 1)[0])
    assert len(shapes) >= 12, sorted(shapes)


# -- whole graphs ------------------------------------------------------------------------------

# Breakage applied to a built store, one kind per shape family: records cannot carry most of it
# (the record stage refuses them first), an agency's RDF can.
BREAKAGE = """
PREFIX dtkg: <https://w3id.org/dtkg/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
DELETE { GRAPH ?g { ?d eli:passed_by ?b } } WHERE {
  { SELECT ?d WHERE { GRAPH ?x { ?d a dtkg:Directive ; eli:passed_by ?y } } ORDER BY ?d LIMIT 1 } GRAPH ?g { ?d eli:passed_by ?b } } ;
INSERT { GRAPH <urn:test:broken> { ?d dcterms:spatial <https://w3id.org/dtkg/id/province/nowhere> ;
                                      eli:is_about <https://w3id.org/dtkg/vocab/sector/basket-weaving> ;
                                      dtkg:periodStart "2030"^^xsd:gYear ; dtkg:periodEnd "2020"^^xsd:gYear ;
                                      eli:date_document "2021-02-31"^^xsd:date ; eli:id_local "48-XX/TU" , "7" } }
WHERE { { SELECT DISTINCT ?d WHERE { GRAPH ?x { ?d a dtkg:Directive ; dcterms:spatial ?p } } ORDER BY DESC(?d) LIMIT 2 } } ;
DELETE { GRAPH ?g { ?t dtkg:deadlineYear ?y } } WHERE {
  { SELECT DISTINCT ?t WHERE { GRAPH ?x { ?t a dtkg:Target ; dtkg:deadlineYear ?z } } ORDER BY ?t LIMIT 2 } GRAPH ?g { ?t dtkg:deadlineYear ?y } } ;
INSERT { GRAPH <urn:test:broken> { ?e dtkg:start 90 ; dtkg:end 10 ; dtkg:quote "" } }
WHERE { { SELECT DISTINCT ?e WHERE { GRAPH ?x { ?e a dtkg:Evidence } } ORDER BY ?e LIMIT 2 } } ;
INSERT { GRAPH <urn:test:broken> { ?p skos:prefLabel "Tên khác"@vi ; dtkg:validUntil "1999-01-01"^^xsd:date } }
WHERE { { SELECT DISTINCT ?p WHERE { GRAPH ?x { ?p a dtkg:Province } } ORDER BY ?p LIMIT 2 } } ;
DELETE { GRAPH ?g { ?h org:member ?m } } WHERE {
  { SELECT DISTINCT ?h WHERE { GRAPH ?x { ?h a dtkg:PostHolding } } ORDER BY ?h LIMIT 1 } GRAPH ?g { ?h org:member ?m } } ;
INSERT { GRAPH <urn:test:broken> { ?d eli:date_document "2099-01-01"^^xsd:date ; dtkg:level "district" } }
WHERE { { SELECT DISTINCT ?d WHERE { GRAPH ?x { ?d a dtkg:Directive } } ORDER BY ?d OFFSET 3 LIMIT 1 } }
"""


def _whole(root: Path, store_dir: Path, engine: str) -> list[str]:
    from kg.curation.validate import validate_graph

    report = validate_graph(root, store_dir, display=lambda p: p.name, engine=engine)
    return [f.format() for f in report.findings] + [report.summary()]


def _broken_copy(base: Path, source: Path) -> tuple[Path, Path]:
    from pyoxigraph import NamedNode, RdfFormat, Store

    from kg.store.local import refresh_union
    root, store_dir = built_copy(base, source)
    store = Store(str(store_dir))
    store.update(BREAKAGE)
    # every violating example, in one graph (Oxigraph's union of graphs is a bag: 63 graphs that
    # each repeat the same directive would multiply the rows of a query 63 times per pattern)
    for case in sorted((EXAMPLES / "invalid").glob("*.ttl")):
        store.load(path=str(case), format=RdfFormat.TURTLE, to_graph=NamedNode("urn:test:examples"))
    refresh_union(store)  # as `dtkg sparql --update` does: the checks read the union graph
    store.flush()
    del store
    return root, store_dir


def test_same_findings_on_the_curated_graph(curated):
    root, store_dir, _, _ = curated
    assert _whole(root, store_dir, "sparql") == _whole(root, store_dir, "pyshacl") == ["0 violations, 0 warnings in 5 files"]


def test_same_findings_on_the_curated_graph_broken(tmp_path):
    root, store_dir = _broken_copy(tmp_path, REPO)
    expected = _whole(root, store_dir, "pyshacl")
    assert _whole(root, store_dir, "sparql") == expected
    assert len(expected) > 60 and len({line.split(": [")[1].split("]")[0] for line in expected[:-1]}) >= 25


def test_same_findings_on_a_synthetic_graph_broken(tmp_path):
    from kg.graph import synth

    made = tmp_path / "made"
    synth.write(made, 4_000, seed=5, source_root=REPO)
    root, store_dir = _broken_copy(tmp_path / "w", made)
    expected = _whole(root, store_dir, "pyshacl")
    assert _whole(root, store_dir, "sparql") == expected
    assert any(".yaml:" in line for line in expected), "findings are placed on record lines"


def test_a_record_file_not_named_by_its_id_is_still_found(tmp_path):
    """Whole-graph findings go back to the record file by its graph: ID.yaml by convention,
    else by reading the records' ids."""
    import shutil as sh

    from kg.base.namespaces import record_graph
    from kg.curation.validate import _RecordFiles

    for source in sorted((REPO / "data" / "records").glob("*.yaml")):
        sh.copy(source, tmp_path / source.name)
    odd = tmp_path / "renamed.yaml"
    (tmp_path / "hai-duong-2021.yaml").rename(odd)
    files = _RecordFiles(sorted(tmp_path.glob("*.yaml")))
    assert files.record(record_graph("ha-tinh-2021-09-19")).path.name == "ha-tinh-2021-09-19.yaml"
    assert files.record(record_graph("hai-duong-2021")).path == odd
    assert files.record(record_graph("no-such-record")) is None



def test_many_focus_nodes_are_filtered_afterwards(static_context, monkeypatch):
    """Above MAX_VALUES_FOCUS focus nodes the checks run over the whole store and only the focus
    nodes' results are kept (Oxigraph's VALUES grow with the square of their size): the same
    results as the VALUES path, and none for nodes outside the focus."""
    from pyoxigraph import Quad, Store

    from kg.validation import sparql_engine
    from kg.validation.checks import read_rdf

    store = Store()
    store.extend(Quad(q.subject, q.predicate, q.object) for q in static_context.quads)
    for path in sorted((EXAMPLES / "invalid").glob("*.ttl")):
        store.extend(Quad(q.subject, q.predicate, q.object) for q in read_rdf(path))
    every = {r["focus"].value for r in sparql_engine.validate(store, REPO)}
    assert len(every) >= 4
    focus = sorted(every)[::2] + [f"https://example.org/unused/{i}" for i in range(300)]
    many = sparql_engine.validate(store, REPO, focus)
    assert many and {r["focus"].value for r in many} == set(sorted(every)[::2])
    monkeypatch.setattr(sparql_engine, "MAX_VALUES_FOCUS", 10_000)
    assert _key(sparql_engine.validate(store, REPO, focus)) == _key(many)
