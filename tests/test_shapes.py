"""The SHACL shapes (shapes/*.ttl), tested by example.

tests/shapes/valid/SHAPE--CASE.ttl must conform to every shape; tests/shapes/invalid/SHAPE--CASE.ttl
must be reported by SHAPE and by no other shape. Each file is checked as an entry is: its triples
with the ontology, the vocabularies and the province reference data, its own nodes as the focus.
Every shape that can report has at least one conforming and one violating example; the count of
cases is asserted, so a filter left in by mistake cannot silently run a few of them, and
`test_shape_has_examples[...]` lists every shape in the test output.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, SH

REPO = Path(__file__).resolve().parents[1]
SHAPES_DIR = REPO / "shapes"
CASES_DIR = Path(__file__).resolve().parent / "shapes"
BASE = "https://w3id.org/dtkg/shapes#"
CONCERNS = ("documents", "bodies", "provinces", "targets", "officials", "sources", "vocabularies")

VALID = sorted(p.name for p in (CASES_DIR / "valid").glob("*.ttl"))
INVALID = sorted(p.name for p in (CASES_DIR / "invalid").glob("*.ttl"))
N_VALID, N_INVALID = 70, 66

# What makes a shape able to report on its own: a constraint parameter (SHACL core, sh:sparql,
# or this project's :inScheme component). Shapes that only group property shapes have none.
CONSTRAINTS = {SH[p] for p in (
    "class", "datatype", "nodeKind", "minCount", "maxCount", "minLength", "maxLength", "pattern",
    "in", "hasValue", "uniqueLang", "lessThan", "lessThanOrEquals", "sparql", "node", "or", "and",
    "not", "xone", "minInclusive", "maxInclusive", "minExclusive", "maxExclusive", "equals", "disjoint",
)} | {rdflib.URIRef(BASE + "inScheme")}


def _shapes_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


SHAPES = _shapes_graph()
SHAPE_NODES = sorted({s for s in SHAPES.subjects(RDF.type, SH.NodeShape)} | {s for s in SHAPES.subjects(RDF.type, SH.PropertyShape)})
REPORTING = sorted(str(s)[len(BASE):] for s in SHAPE_NODES
                   if any(p in CONSTRAINTS for p in SHAPES.predicates(s)))


def _shape_of(case: str) -> str:
    return case.split("--", 1)[0]


@pytest.fixture(scope="module")
def context():
    from kg.graph.build import static_quads
    from kg.graph.provinces import default_gazetteer
    from kg.validation.context import Context

    return Context(static_quads(REPO), default_gazetteer(REPO))


def _results(context, path: Path) -> list[dict]:
    from kg.validation.checks import read_rdf
    from kg.validation.context import data_graph_for, focus_nodes
    from kg.validation.shacl import run_shacl

    quads = read_rdf(path)
    with data_graph_for(quads, context) as graph:
        return run_shacl(graph, REPO, focus_nodes(quads))


def _name(result: dict) -> str:
    return str(result["shape"])[len(BASE):]


# -- the examples -------------------------------------------------------------------------------


def test_number_of_cases():
    assert (len(VALID), len(INVALID)) == (N_VALID, N_INVALID)


@pytest.mark.parametrize("case", VALID)
def test_valid(context, case):
    results = _results(context, CASES_DIR / "valid" / case)
    assert results == [], "\n".join(f"{_name(r)}: {r['message_en']} (focus {r['focus']})" for r in results)


@pytest.mark.parametrize("case", INVALID)
def test_invalid(context, case):
    results = _results(context, CASES_DIR / "invalid" / case)
    reported = sorted({_name(r) for r in results})
    assert reported == [_shape_of(case)], f"expected only {_shape_of(case)}, got {reported}"
    for r in results:
        assert r["message_en"] and r["message_vi"] and r["message_en"] != r["message_vi"]
        assert "{?" not in r["message_en"] + r["message_vi"], "a message template left unfilled"


@pytest.mark.parametrize("shape", REPORTING)
def test_shape_has_examples(shape):
    valid = [c for c in VALID if _shape_of(c) == shape]
    invalid = [c for c in INVALID if _shape_of(c) == shape]
    assert valid and invalid, f"{shape}: {len(valid)} conforming and {len(invalid)} violating examples"


def test_every_example_names_a_shape():
    unknown = {_shape_of(c) for c in VALID + INVALID} - set(REPORTING)
    assert not unknown, f"examples for shapes that do not exist (or cannot report): {sorted(unknown)}"


def test_counts_of_shapes_and_examples():
    """The numbers the issue asks for, in one place."""
    per_shape = Counter(_shape_of(c) for c in VALID + INVALID)
    assert len(REPORTING) == 59
    assert min(per_shape[s] for s in REPORTING) >= 2


# -- the shape files ----------------------------------------------------------------------------


@pytest.mark.parametrize("concern", CONCERNS)
def test_one_file_per_concern_opening_with_its_description(concern):
    path = SHAPES_DIR / f"{concern}.ttl"
    text = path.read_text("utf-8")
    body = "\n".join(line for line in text.splitlines() if line.strip() and not line.startswith(("#", "@prefix")))
    this = f"<https://w3id.org/dtkg/shapes/{concern}>"
    assert body.startswith(this), f"{path.name} does not open with {this}"
    graph = rdflib.Graph().parse(path, format="turtle")
    me = rdflib.URIRef(this[1:-1])
    assert (me, RDF.type, OWL.Ontology) in graph
    languages = {t.language for t in graph.objects(me, rdflib.URIRef("http://purl.org/dc/terms/title"))}
    assert languages == {"vi", "en"}


def test_every_shape_is_named_with_messages_in_both_languages_and_a_severity():
    problems = []
    for shape in SHAPE_NODES:
        if not isinstance(shape, rdflib.URIRef) or not str(shape).startswith(BASE):
            problems.append(f"{shape}: not named with a shapes# IRI")
            continue
        languages = Counter(m.language for m in SHAPES.objects(shape, SH.message))
        if languages != Counter({"vi": 1, "en": 1}):
            problems.append(f"{shape}: sh:message languages {dict(languages)}")
        if SHAPES.value(shape, SH.severity) not in (SH.Violation, SH.Warning, SH.Info):
            problems.append(f"{shape}: no sh:severity")
    for owner, prop in SHAPES.subject_objects(SH.property):
        if not isinstance(prop, rdflib.URIRef):
            problems.append(f"{owner}: a blank property shape")
    assert not problems, "\n".join(problems)


def test_property_shape_names_follow_the_class_and_property():
    for shape in SHAPE_NODES:
        assert re.fullmatch(r"[A-Z][A-Za-z]+-[a-z][A-Za-z]+", str(shape)[len(BASE):]) or str(shape).endswith("Shape"), shape


def test_sparql_written_once():
    """Every query text appears once, prefixes are declared once (index.ttl), and every SPARQL
    constraint uses them."""
    selects = [str(o) for o in SHAPES.objects(None, SH.select)]
    assert len(selects) == len(set(selects))
    declaring = set(SHAPES.subjects(SH.declare, None))
    assert declaring == {rdflib.URIRef("https://w3id.org/dtkg/shapes")}
    for node in SHAPES.subjects(SH.select, None):
        assert SHAPES.value(node, SH.prefixes) == rdflib.URIRef("https://w3id.org/dtkg/shapes"), node
        assert "PREFIX" not in str(SHAPES.value(node, SH.select))


def test_the_curated_graph_conforms(built_store):
    from kg.curation.validate import validate_graph

    from helpers import SEED

    report = validate_graph(SEED, built_store)
    assert report.findings == [], "\n".join(report.lines())
    assert report.summary() == "0 violations, 0 warnings in 5 files"
