"""Incremental validation (kg/incremental.py) reports what validation against the whole graph
reports, entry by entry: on every case of the bad-input corpus, on the accepted variants, on the
curated records re-validated, and on synthetic records (new ones, broken ones, existing ones)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from helpers import built_copy, findings

from helpers import REPO as CHECKOUT, SEED as REPO  # the seed data: answers stay pinned
BAD = CHECKOUT / "tests" / "bad_inputs"


def _contexts(root: Path, store_dir: Path):
    from kg.validation.incremental import StoreContext
    from kg.graph.provinces import default_gazetteer
    from kg.store.local import open_read_only
    from kg.validation.context import Context

    store = open_read_only(store_dir)
    gazetteer = default_gazetteer(root)
    return Context.from_store(store, gazetteer), StoreContext(store, gazetteer, root), store


@pytest.fixture(scope="module")
def curated(tmp_path_factory):
    root, store_dir = built_copy(tmp_path_factory.mktemp("incremental"), REPO)
    full, incremental, store = _contexts(root, store_dir)
    yield root, full, incremental
    del store


CASES = sorted(p for p in [*BAD.iterdir(), *(BAD / "accepted").iterdir(), *(REPO / "data" / "records").iterdir()]
               if p.is_file() and p.suffix != ".expect" and not p.name.startswith("."))


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_same_findings_as_against_the_whole_graph(curated, path):
    root, full, incremental = curated
    assert findings(path, incremental, root) == findings(path, full, root)


def test_the_corpus_is_not_trivially_clean(curated):
    """The comparison above means something: the corpus yields SHACL findings of many shapes."""
    root, full, _ = curated
    shapes = set()
    for path in CASES:
        for line in findings(path, full, root):
            if ": [" in line:
                shapes.add(line.split(": [", 1)[1].split("]", 1)[0])
    assert len(shapes) >= 10, shapes


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """A synthetic graph of ~15k triples, and entries: the next records of the sequence, broken
    copies of them, and records already in the graph (re-validated)."""
    from kg.graph import synth

    base = tmp_path_factory.mktemp("incremental-synth")
    made = base / "made"
    count, _ = synth.write(made, 15_000, seed=11, source_root=REPO)
    root, store_dir = built_copy(base, made)
    entries = base / "entries"
    entries.mkdir()
    extra = synth.records(count + 4, seed=11)[count:]
    for data in extra:
        (entries / f"{data['id']}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    broken = copy.deepcopy(extra[0])
    doc = broken["documents"][0]
    doc["implements"] = ["57-NQ/TW"]  # a central act issued after it, for most dates
    doc["date"] = "2020-05-04"
    doc["evidence"]["implements"] = "thực hiện Nghị quyết số 57-NQ/TW"
    doc.setdefault("sectors", []).append({"key": "basket-weaving", "as_written": "đan rổ", "quote": "đan rổ"})
    doc["number"] = "12/NQ-UBND-X-Y"
    broken["id"] = broken["id"] + "-broken"
    (entries / f"{broken['id']}.yaml").write_text(yaml.safe_dump(broken, allow_unicode=True, sort_keys=False), "utf-8")
    existing = sorted((root / "data" / "records").glob("*.yaml"))
    full, incremental, store = _contexts(root, store_dir)
    # An RDF entry adding facts to a person and a target already in the graph: their holdings and
    # their directive (the incoming org:member and dtkg:hasTarget) are in the graph, not the entry.
    person = next(q.subject.value for q in full.quads if q.predicate.value == "https://schema.org/name"
                  and "/person/" in q.subject.value)
    target = next(q.object.value for q in full.quads if q.predicate.value.endswith("#hasTarget"))
    (entries / "extra-facts.ttl").write_text(
        "@prefix dtkg: <https://w3id.org/dtkg/ontology#> . @prefix schema: <https://schema.org/> .\n"
        f"<{person}> a dtkg:Official ; schema:name \"Người thứ hai\"@vi .\n"
        f"<{target}> a dtkg:Target ; dtkg:unit \"%\" .\n", "utf-8")
    paths = sorted(entries.glob("*.yaml")) + [entries / "extra-facts.ttl"] + existing[:3] + existing[-2:]
    yield root, full, incremental, paths, broken["id"]
    del store


def test_same_findings_on_synthetic_entries(synthetic):
    root, full, incremental, paths, broken = synthetic
    flagged = 0
    for path in paths:
        expected = findings(path, full, root)
        assert findings(path, incremental, root) == expected, path.name
        if path.stem == broken:
            flagged = len(expected)
    assert flagged >= 3  # the broken entry shows several shapes at work


def test_the_data_graph_is_a_small_part_of_the_graph(synthetic):
    """What pySHACL gets for one entry: the static graphs and the neighbourhood, not the graph."""
    from kg.curation.validate import load_record, map_entry
    from kg.validation.context import focus_nodes

    root, full, incremental, paths, _ = synthetic
    record = load_record(paths[0])
    mapped = map_entry(record.data, incremental)
    graph = incremental.graph_for(mapped.quads, focus_nodes(mapped.quads))
    static = len({q.triple for q in incremental.static_quads()})
    whole = len({q.triple for q in full.quads})
    assert len(graph) - static < 0.2 * (whole - static)
