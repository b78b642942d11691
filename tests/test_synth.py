"""`dtkg synth`: seeded, reproducible, realistic records that pass the record checks, build to
about the size asked, and are clearly synthetic."""

from __future__ import annotations

import filecmp
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import yaml

from kg.graph import synth
from kg.base.errors import UsageError
from kg.records.reader import load

SIZE = 12_000


@pytest.fixture(scope="module")
def made(tmp_path_factory, repo) -> tuple[Path, int]:
    out = tmp_path_factory.mktemp("synth") / "a"
    count, _ = synth.write(out, SIZE, seed=3, source_root=repo)
    return out, count


def _files(root: Path) -> list[Path]:
    return sorted((root / "data" / "records").glob("*.yaml"))


def test_same_seed_same_files_other_seed_other_files(made, tmp_path, repo):
    out, count = made
    again, _ = synth.write(tmp_path / "b", SIZE, seed=3, source_root=repo)
    assert again == count
    names = [p.name for p in _files(out)]
    assert names == [p.name for p in _files(tmp_path / "b")]
    match, mismatch, errors = filecmp.cmpfiles(out / "data" / "records", tmp_path / "b" / "data" / "records", names, shallow=False)
    assert not mismatch and not errors and len(match) == count
    synth.write(tmp_path / "c", SIZE, seed=4, source_root=repo)
    assert [p.read_bytes() for p in _files(out)[1:4]] != [p.read_bytes() for p in _files(tmp_path / "c")[1:4]]


def test_a_smaller_graph_is_a_prefix_of_a_larger(made, tmp_path, repo):
    out, count = made
    small, _ = synth.write(tmp_path / "small", 6_000, seed=3, source_root=repo)
    assert small < count
    for path in _files(tmp_path / "small"):
        assert path.read_bytes() == (out / "data" / "records" / path.name).read_bytes()


def test_every_record_passes_the_record_checks(made):
    out, count = made
    files = _files(out)
    assert len(files) == count
    for path in files:
        assert load(path).problems == [], path.name


def test_rewriting_a_folder_replaces_the_old_synthetic_records(made, tmp_path, repo):
    out, _ = made
    target = tmp_path / "again"
    synth.write(target, SIZE, seed=3, source_root=repo)
    synth.write(target, 5_000, seed=3, source_root=repo)
    assert len(_files(target)) < len(_files(out))


def test_the_built_graph_has_about_the_size_asked(made, tmp_path):
    from kg.graph.build import build

    out, count = made
    report = build(out, tmp_path / "store", force=True)
    assert report.records == count
    assert 0.9 * SIZE <= report.quads <= 1.15 * SIZE


def test_clearly_synthetic(made):
    out, _ = made
    for path in _files(out):
        data = yaml.safe_load(path.read_text("utf-8"))
        assert path.name.startswith("synth-") and data["id"].startswith("synth-")
        assert data["source"]["headline"].startswith("[synthetic]")
        assert data["source"]["publisher"] == "dtkg synth"
        assert path.read_text("utf-8").startswith("# Synthetic")


def test_never_into_the_repository_data(repo, tmp_path):
    with pytest.raises(UsageError):
        synth.write(repo, 5_000, source_root=repo)
    with pytest.raises(UsageError):
        synth.write(repo / "data" / "records", 5_000, source_root=repo)
    mixed = tmp_path / "mixed"
    (mixed / "data" / "records").mkdir(parents=True)
    (mixed / "data" / "records" / "ha-tinh-2021-09-19.yaml").write_text("record: 1\n")
    with pytest.raises(UsageError, match="not synthetic"):
        synth.write(mixed, 5_000, source_root=repo)


def test_realistic_shape(repo):
    """Both eras (63 units before July 2025, 34 after), chains, central acts, skewed sectors."""
    from kg.graph.provinces import default_gazetteer

    gazetteer = default_gazetteer(repo)
    data = synth.records(600, seed=0, gazetteer=gazetteer)
    old, new, sectors, implements, officials = set(), set(), Counter(), Counter(), 0
    for record in data[1:]:
        published = date.fromisoformat(record["source"]["published"])
        unit = gazetteer.resolve(record["province"], on=published)
        (new if published >= synth.CUTOVER else old).add(unit.iri)
        officials += len(record["officials"])
        for doc in record["documents"]:
            sectors.update(s["key"] for s in doc.get("sectors", []))
            implements.update("central" if "/TW" in i or "TTg" in i else "local" for i in doc.get("implements", []))
    assert len(old) >= 55 and len(new) >= 25
    assert old.isdisjoint(new) is False  # the 11 unchanged units appear on both sides
    assert implements["central"] > 300 and implements["local"] > 150
    ranked = [k for k, _ in sectors.most_common()]
    assert ranked[0] == "public-administration" and sectors["public-administration"] > 5 * sectors["justice"]
    assert officials > 1000
    assert all(d["level"] == "central" for d in data[0]["documents"])


def test_every_key_is_in_the_vocabularies(repo):
    import pyoxigraph

    known = {t.subject.value for t in pyoxigraph.parse(path=str(repo / "ontology" / "vocabularies.ttl"),
                                                        format=pyoxigraph.RdfFormat.TURTLE)}
    vocab = "https://w3id.org/dtkg/vocab/"
    used = set()
    for record in synth.records(300, seed=1):
        for doc in record["documents"]:
            used |= {f"document-type/{doc['type']}", f"body-type/{doc['issuer']}", f"status/{doc['status']}"}
            used |= {f"sector/{s['key']}" for s in doc.get("sectors", [])}
            for t in doc.get("targets", []):
                used |= {f"metric/{t['metric']}", f"comparator/{t['comparator']}"} | ({f"scope/{t['scope']}"} if "scope" in t else set())
        for o in record.get("officials", []):
            used |= {f"role/{r}" for r in o["roles"]} | ({f"body-type/{o['body']}"} if "body" in o else set())
    assert {vocab + u for u in used} <= known, sorted(vocab + u for u in used if vocab + u not in known)


@pytest.mark.parametrize("text, value", [("10k", 10_000), ("1M", 1_000_000), ("2500", 2500), ("1.5k", 1500), ("100_000", 100_000)])
def test_sizes(text, value):
    assert synth.parse_size(text) == value


def test_a_bad_size_is_a_usage_error():
    with pytest.raises(UsageError):
        synth.parse_size("lots")


def test_the_synthetic_graph_conforms_to_the_shapes(made, tmp_path, repo):
    """pySHACL on the whole built synthetic graph finds no violation."""
    if not (repo / "shapes").is_dir() or not list((repo / "shapes").glob("*.ttl")):
        pytest.skip("no shapes yet")
    from kg.curation.validate import validate_graph

    out, _ = made
    report = validate_graph(out, tmp_path / "store")
    assert report.count("violation") == 0, "\n".join(report.lines()[:10])
