"""Exports another agency can load: each format parses back (with rdflib, an independent
parser) to the same graph, and a whole export describes itself."""

import pytest
import rdflib
from rdflib.compare import to_isomorphic

from kg import __version__
from kg.publish.export import FORMATS, export, format_for
from kg.base.files import write_atomically
from kg.base.errors import UsageError

RDFLIB_FORMAT = {"turtle": "turtle", "trig": "trig", "nt": "nt", "nquads": "nquads", "jsonld": "json-ld"}


def union_graph(quads) -> rdflib.Graph:
    """The store's quads as one rdflib graph (the union), for comparison."""
    data = "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in quads)
    return rdflib.Graph().parse(data=data, format="nt")


@pytest.fixture(scope="module")
def expected(graph):
    return to_isomorphic(union_graph(graph.quads_for_pattern(None, None, None, None)))


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_whole_export_round_trips(graph, expected, fmt):
    payload = export(graph, fmt)
    if FORMATS[fmt][2]:
        dataset = rdflib.Dataset()
        dataset.parse(data=payload, format=RDFLIB_FORMAT[fmt])
        named = {str(g.identifier) for g in dataset.graphs() if len(g)}
        assert sum(1 for g in named if "/graph/record/" in g) == 5, "one named graph per record"
        parsed = rdflib.Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            parsed.add((s, p, o))
    else:
        parsed = rdflib.Graph().parse(data=payload, format=RDFLIB_FORMAT[fmt])
    assert to_isomorphic(parsed) == expected


def test_whole_export_describes_itself(graph):
    g = rdflib.Graph().parse(data=export(graph, "turtle"), format="turtle")
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    dct = rdflib.Namespace("http://purl.org/dc/terms/")
    (dataset,) = [s for s in g.subjects(rdflib.RDF.type, dcat.Dataset) if str(s).endswith("/dataset/dtkg")]
    assert str(g.value(dataset, dcat.version)) == __version__
    assert g.value(dataset, dct.license) is not None and g.value(dataset, dct.publisher) is not None
    assert str(g.value(dataset, dct.issued)) == "2022-06-01", "issued comes from the newest source, not the clock"
    assert int(g.value(dataset, void.triples)) > 1000
    assert {lit.language for lit in g.objects(dataset, dct.title)} == {"vi", "en"}


def test_turtle_export_holds_the_five_articles_directives(graph):
    g = rdflib.Graph().parse(data=export(graph, "turtle"), format="turtle")
    eli = rdflib.Namespace("http://data.europa.eu/eli/ontology#")
    numbers = {str(o) for o in g.objects(None, eli.id_local)}
    assert {"48-NQ/TU", "55/KH-UBND", "19-CT/TU", "271-KH/TU", "52-NQ/TW"} <= numbers
    assert len(set(g.subjects(rdflib.RDF.type, eli.LegalResource))) >= 10


def test_province_slice_reaches_predecessors_and_nothing_else(graph):
    unit = "https://w3id.org/dtkg/id/province/2025-31-hai-phong"
    g = rdflib.Graph().parse(data=export(graph, "turtle", unit), format="turtle")
    dct = rdflib.Namespace("http://purl.org/dc/terms/")
    places = {str(o) for s, o in g.subject_objects(dct.spatial)}
    assert "https://w3id.org/dtkg/id/province/30-hai-duong" in places
    assert "https://w3id.org/dtkg/id/province/42-ha-tinh" not in places
    eli = rdflib.Namespace("http://data.europa.eu/eli/ontology#")
    assert len(set(g.subjects(rdflib.RDF.type, eli.LegalResource))) == 1


@pytest.mark.parametrize("name, fmt", [("a.ttl", "turtle"), ("a.trig", "trig"), ("a.nt", "nt"), ("a.nq", "nquads"), ("a.jsonld", "jsonld"), ("a.json", "jsonld")])
def test_format_follows_the_extension(tmp_path, name, fmt):
    assert format_for(tmp_path / name, None) == fmt


def test_unknown_extension_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="cannot tell the format"):
        format_for(tmp_path / "a.docx", None)


def test_write_replaces_whole_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "out.ttl"
    target.write_text("old")
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]


def test_failed_write_keeps_the_old_file(tmp_path):
    target = tmp_path / "out.ttl"
    target.write_text("old")
    with pytest.raises(TypeError):
        write_atomically(target, "not bytes")  # fails mid-write
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]


def test_a_new_file_gets_the_umask_s_mode_and_a_replaced_file_keeps_its_own(tmp_path):
    import os
    new, kept = tmp_path / "new.ttl", tmp_path / "kept.ttl"
    kept.write_text("old")
    kept.chmod(0o640)
    umask = os.umask(0o022)
    try:
        write_atomically(new, b"x")
        write_atomically(kept, b"y")
    finally:
        os.umask(umask)
    assert (new.stat().st_mode & 0o777, kept.stat().st_mode & 0o777) == (0o644, 0o640)  # not mkstemp's 0600


def test_turtle_puts_the_description_first_then_subjects_sorted_the_same_bytes_each_time(graph):
    payload = export(graph, "turtle")
    assert payload == export(graph, "turtle")
    body = [line for line in payload.decode().splitlines() if line.startswith("<")]
    assert body[0].startswith("<https://w3id.org/dtkg/id/dataset/dtkg> ")
    subjects = [line.split(" ", 1)[0] for line in body]
    described = {"https://w3id.org/dtkg/id/dataset/dtkg", "https://w3id.org/dtkg/id/publisher/dtkg"}
    rest = [s for s in subjects if s.strip("<>") not in described and "/dataset/dtkg/class/" not in s]
    assert rest == sorted(rest) and len(rest) == len(set(rest)) > 100
    nt = export(graph, "nt").decode().splitlines()
    assert nt[0].startswith("<https://w3id.org/dtkg/id/dataset/dtkg> ")


def test_a_slice_is_titled_with_its_province_and_says_when_it_has_no_act(graph, repo, built_store):
    import os
    import subprocess
    import sys

    from kg.publish.export import has_acts
    hanoi, ha_tinh = "https://w3id.org/dtkg/id/province/01-ha-noi", "https://w3id.org/dtkg/id/province/42-ha-tinh"
    g = rdflib.Graph().parse(data=export(graph, "turtle", ha_tinh), format="turtle")
    titles = {(str(t), t.language) for t in g.objects(None, rdflib.DCTERMS.title)}
    assert ("dtkg – Ha Tinh: a province's slice (with its predecessors)", "en") in titles
    assert any(lang == "vi" and "Hà Tĩnh" in t for t, lang in titles)
    assert has_acts(graph, ha_tinh) and not has_acts(graph, hanoi)
    env = {**os.environ, "DTKG_STORE": str(built_store)}
    for province, notice in (("ha noi", True), ("Hà Tĩnh", False)):
        done = subprocess.run([sys.executable, "-m", "kg.cli", "export", "--province", province], cwd=repo, env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0 and done.stdout
        said = "dtkg: notice: Hà Nội has no act in the graph; the slice holds only its reference data\n"
        assert (done.stderr == said) if notice else done.stderr == ""
