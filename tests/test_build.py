"""The graph built from the five curated records, checked against what the articles say."""

import os
import shutil
import unicodedata

import pytest
from pyoxigraph import Literal, NamedNode, Store

from kg.graph.build import all_quads, build, store_counts, triple_counts
from kg.base.errors import DtkgError
from kg.base.namespaces import DCT, DTKG, ELI, ID, META_GRAPH, OWL, PROV, RDF, SKOS
from kg.store.local import (
    FINGERPRINT_FILE, fingerprint, is_fresh, open_read_only, stored_fingerprint, write_fingerprint,
)

ACT = ID + "act/"
TQ = ACT + "08-tuyen-quang/"


def objects(quads, subject, predicate):
    return {q.object.value for q in quads if q.subject.value == subject and q.predicate.value == predicate}


def subjects(quads, predicate, obj):
    return {q.subject.value for q in quads if q.predicate.value == predicate and q.object.value == obj}


def test_plan_55_implements_resolution_48(quads):
    plan, resolution = TQ + "2022/55_KH-UBND", TQ + "2021/48-NQ_TU"
    assert objects(quads, plan, ELI.date_document) == {"2022-04-12"}
    assert objects(quads, resolution, ELI.date_document) == {"2021-11-15"}
    assert objects(quads, plan, ELI.ensures_implementation_of) == {resolution}
    assert objects(quads, plan, ELI.based_on) == {resolution}
    assert objects(quads, plan, ELI.passed_by) == {ID + "body/08-tuyen-quang/peoples-committee"}
    assert objects(quads, resolution, ELI.passed_by) == {ID + "body/08-tuyen-quang/party-executive-committee"}


def test_quang_ngai_plan_implements_the_politburo_resolution(quads):
    plan, central = ACT + "51-quang-ngai/2020/271-KH_TU", ACT + "vn/2019/52-NQ_TW"
    assert objects(quads, plan, ELI.date_document) == {"2020-03-27"}
    assert objects(quads, plan, ELI.ensures_implementation_of) == {central}
    assert objects(quads, central, ELI.date_document) == {"2019-09-27"}
    assert objects(quads, central, ELI.passed_by) == {ID + "body/vn/politburo"}
    assert objects(quads, central, DCT.spatial) == set(), "a central act belongs to no province"


def test_ha_tinh_resolution_has_no_number_and_was_agreed_on_17_september(quads):
    found = subjects(quads, DCT.spatial, ID + "province/42-ha-tinh") & subjects(quads, RDF.type, DTKG.Directive)
    assert len(found) == 1
    (act,) = found
    assert objects(quads, act, ELI.id_local) == set()
    assert objects(quads, act, DTKG.meetingDate) == {"2021-09-17"}
    assert objects(quads, act, ELI.date_document) == set(), "the meeting's date is not the act's date"
    assert objects(quads, act, DTKG.status) == {"https://w3id.org/dtkg/vocab/status/agreed-in-principle"}
    assert objects(quads, act, DTKG.periodStart) == {"2021"} and objects(quads, act, DTKG.visionYear) == {"2030"}


def test_hai_duong_draft_stays_hai_duongs(quads):
    drafts = subjects(quads, DCT.spatial, ID + "province/30-hai-duong") & subjects(quads, RDF.type, DTKG.Directive)
    assert len(drafts) == 1
    (draft,) = drafts
    assert objects(quads, draft, DTKG.status) == {"https://w3id.org/dtkg/vocab/status/draft-discussed"}
    assert objects(quads, draft, DTKG.plannedDate) == {"2021-03"}
    assert ID + "province/2025-31-hai-phong" in objects(quads, ID + "province/30-hai-duong", DTKG.successor)


def test_every_directive_carries_the_interoperability_profile(quads):
    directives = subjects(quads, RDF.type, DTKG.Directive) & {
        q.subject.value for q in quads if q.graph_name.value.startswith("https://w3id.org/dtkg/graph/record/")}
    assert len(directives) == 10
    for act in directives:
        assert ELI.LegalResource in objects(quads, act, RDF.type), act
        (kind,) = objects(quads, act, ELI.type_document)
        assert kind.startswith("https://w3id.org/dtkg/vocab/document-type/")
        assert objects(quads, act, ELI.passed_by), act
        assert objects(quads, act, PROV.wasDerivedFrom), act
        level = objects(quads, act, DTKG.level)
        assert bool(objects(quads, act, DCT.spatial)) == (level == {"provincial"}), act


def test_logistics_is_about_ha_tinh_and_quang_ngai_only(quads):
    logistics = "https://w3id.org/dtkg/vocab/sector/logistics"
    provinces = set().union(*(objects(quads, d, DCT.spatial) for d in subjects(quads, ELI.is_about, logistics)))
    assert provinces == {ID + "province/42-ha-tinh", ID + "province/51-quang-ngai"}


def test_targets_keep_deadline_and_start_apart(quads):
    targets = subjects(quads, RDF.type, DTKG.Target)
    deadlines = {t: objects(quads, t, DTKG.deadlineYear) for t in targets}
    starts = {t: objects(quads, t, DTKG.startYear) for t in targets}
    assert sorted(y for ys in deadlines.values() for y in ys) == ["2025", "2025", "2030", "2030"]
    assert [y for ys in starts.values() for y in ys] == ["2022"]


def test_every_fact_has_its_quote(quads):
    supported = {q.object.value for q in quads if q.predicate.value == DTKG.supports}
    for act in subjects(quads, RDF.type, DTKG.Directive):
        if objects(quads, act, PROV.wasDerivedFrom):
            assert act in supported, act
    for target in subjects(quads, RDF.type, DTKG.Target):
        assert target in supported


def test_officials_hold_posts_with_the_title_as_written(quads):
    lam = ID + "person/08-tuyen-quang/chau-van-lam"
    holdings = subjects(quads, "http://www.w3.org/ns/org#member", lam)
    roles = set().union(*(objects(quads, h, "http://www.w3.org/ns/org#role") for h in holdings))
    assert "https://w3id.org/dtkg/vocab/role/party-secretary" in roles
    titles = set().union(*(objects(quads, h, DTKG.titleAsWritten) for h in holdings))
    assert titles == {"Ủy viên BCH Trung ương Đảng, Bí thư Tỉnh ủy, Trưởng Đoàn đại biểu Quốc hội tỉnh"}


def test_every_province_and_concept_has_a_vietnamese_label(quads):
    labelled = {q.subject.value for q in quads if q.predicate.value == SKOS.prefLabel and q.object.language == "vi"}
    for kind in (DTKG.Province, SKOS.Concept):
        members = subjects(quads, RDF.type, kind)
        assert members and members <= labelled


def test_version_iri_comes_from_the_package(quads):
    from kg import __version__
    assert objects(quads, "https://w3id.org/dtkg/ontology", OWL.versionIRI) == {f"https://w3id.org/dtkg/ontology/{__version__}"}


def test_folded_search_keys_are_stored(quads):
    assert "ha tinh" in objects(quads, ID + "province/42-ha-tinh", SKOS.hiddenLabel)


def test_building_twice_gives_the_same_graph(repo):
    first, _ = all_quads(repo)
    second, _ = all_quads(repo)
    assert set(first) == set(second)


def _renormalise(folder, form, bom=False, crlf=False):
    for path in (folder / "data" / "records").glob("*.yaml"):
        text = unicodedata.normalize(form, path.read_text("utf-8"))
        if crlf:
            text = text.replace("\n", "\r\n")
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))


@pytest.mark.parametrize("variant", [dict(form="NFD"), dict(form="NFC", bom=True, crlf=True)], ids=["nfd", "bom-crlf"])
def test_nfd_bom_and_crlf_records_give_the_same_graph(repo, repo_copy, variant, quads):
    _renormalise(repo_copy, **variant)
    assert set(all_quads(repo_copy)[0]) == set(quads)


def test_store_is_rebuilt_when_data_changes_and_not_otherwise(repo_copy, tmp_path):
    store_dir = tmp_path / "s"
    assert not build(repo_copy, store_dir).skipped
    assert build(repo_copy, store_dir).skipped
    record = repo_copy / "data" / "records" / "hai-duong-2021.yaml"
    record.write_text(record.read_text("utf-8").replace("ngắn gọn, súc tích, dễ nhớ, dễ hiểu\n  file", "ngắn gọn\n  file"), "utf-8")
    shutil.rmtree(repo_copy / "data" / "records" / "__none__", ignore_errors=True)
    assert not build(repo_copy, store_dir).skipped
    store = open_read_only(store_dir)
    titles = {q.object.value for q in store.quads_for_pattern(NamedNode(ID + "source/hai-duong-2021"), NamedNode(DCT.title), None, None)}
    assert titles == {"Xây dựng Nghị quyết theo hướng ngắn gọn"}


def _touch(path, ns=1_000_000_000):
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + ns))


def test_touched_or_copied_inputs_do_not_rebuild_but_an_edited_byte_does(repo_copy, tmp_path):
    store_dir = tmp_path / "s"
    build(repo_copy, store_dir)
    built = store_dir.stat().st_ino
    record = repo_copy / "data" / "records" / "hai-duong-2021.yaml"
    _touch(record)
    _touch(repo_copy / "ontology" / "dtkg.ttl")
    assert stored_fingerprint(store_dir) != fingerprint(repo_copy)
    assert build(repo_copy, store_dir).skipped
    assert store_dir.stat().st_ino == built
    assert stored_fingerprint(store_dir) == fingerprint(repo_copy), "the fast path again next time"
    assert [p.name for p in store_dir.iterdir() if p.name.startswith(FINGERPRINT_FILE + ".")] == []

    elsewhere = tmp_path / "copy"  # a copy (new mtimes, another folder) is the same data
    for folder in ("ontology", "data"):
        shutil.copytree(repo_copy / folder, elsewhere / folder, copy_function=shutil.copyfile)
    assert fingerprint(elsewhere) != fingerprint(repo_copy)
    assert is_fresh(elsewhere, store_dir) and store_dir.stat().st_ino == built

    data = record.read_bytes()
    at = data.index("ngắn gọn".encode())
    record.write_bytes(data[:at] + b"N" + data[at + 1:])  # one byte, the same size
    _touch(record)
    assert not is_fresh(repo_copy, store_dir)
    assert not build(repo_copy, store_dir).skipped
    assert store_dir.stat().st_ino != built
    titles = {q.object.value for q in open_read_only(store_dir).quads_for_pattern(
        NamedNode(ID + "source/hai-duong-2021"), NamedNode(DCT.title), None, None)}
    assert any(t.startswith("Xây dựng Nghị quyết theo hướng Ngắn gọn") for t in titles)


def test_a_store_changed_in_place_is_rebuilt_after_a_touch(repo_copy, tmp_path):
    """`dtkg add` rewrites the stat fingerprint without a content hash: the last build's hash no
    longer describes the store, so only the stat fast path may call it fresh."""
    store_dir = tmp_path / "s"
    build(repo_copy, store_dir)
    write_fingerprint(store_dir, fingerprint(repo_copy))
    assert is_fresh(repo_copy, store_dir)
    _touch(repo_copy / "data" / "records" / "hai-duong-2021.yaml")
    assert not is_fresh(repo_copy, store_dir)
    assert not build(repo_copy, store_dir).skipped


def test_a_changed_code_version_rebuilds_even_with_the_same_bytes(repo_copy, tmp_path, monkeypatch):
    import kg.store.local

    store_dir = tmp_path / "s"
    build(repo_copy, store_dir)
    monkeypatch.setattr(kg.store.local, "__version__", "0.0.0-other")
    assert not is_fresh(repo_copy, store_dir)


def test_changed_mapping_code_rebuilds_and_a_touch_of_it_does_not(repo_copy, tmp_path, monkeypatch):
    """The version number alone missed a changed mapping: the store was "up to date"."""
    import kg.store.local

    code = tmp_path / "kg"
    for folder in ("base", "records", "graph"):
        shutil.copytree(kg.store.local.PACKAGE / folder, code / folder, copy_function=shutil.copyfile)
    monkeypatch.setattr(kg.store.local, "PACKAGE", code)
    store_dir = tmp_path / "s"
    build(repo_copy, store_dir)
    mapping = code / "graph" / "mapping.py"
    _touch(mapping)
    assert is_fresh(repo_copy, store_dir)  # same bytes
    mapping.write_text(mapping.read_text("utf-8") + "\n# changed\n", "utf-8")
    assert not is_fresh(repo_copy, store_dir)


def test_store_holds_one_named_graph_per_record(graph):
    graphs = {g.value for g in graph.named_graphs()}
    records = {g for g in graphs if g.startswith("https://w3id.org/dtkg/graph/record/")}
    assert len(records) == 5
    assert {"https://w3id.org/dtkg/graph/ontology", "https://w3id.org/dtkg/graph/vocabularies",
            "https://w3id.org/dtkg/graph/reference"} <= graphs
    assert Literal("48-NQ/TU") in {q.object for q in graph.quads_for_pattern(None, NamedNode(ELI.id_local), None, None)}


def test_the_streamed_build_stores_what_all_quads_lists(graph, quads, repo, tmp_path):
    from kg.store.local import graph_quads, union_quads

    assert set(graph_quads(graph)) == set(quads)
    union = set(graph.quads_for_pattern(None, None, None, None)) - set(quads)
    assert union == set(union_quads(q.triple for q in quads))  # and the union graph: each distinct triple once
    report = build(repo, tmp_path / "s", force=True)
    # what the store holds: a body issuing two acts of one record is mapped twice, stored once
    assert len(quads) > len(set(quads))
    assert (report.records, report.quads, len(report.graphs)) == (5, len(set(quads)), 10)
    assert report.quads == len(set(graph_quads(graph))) and report.union == len(union)


def test_the_store_counts_as_the_python_description_does(quads):
    base = [q for q in quads if q.graph_name.value != META_GRAPH]
    store = Store()
    store.bulk_extend(base + base[:50])  # the same quads twice are one
    assert store_counts(store) == triple_counts(base)


def test_a_bad_record_met_while_streaming_fails_the_build_and_keeps_the_old_store(repo_copy, tmp_path):
    store_dir = tmp_path / "stores" / "s"
    build(repo_copy, store_dir)
    built = store_dir.stat().st_ino
    record = repo_copy / "data" / "records" / "vinh-phuc-2021-04-28.yaml"
    record.write_text(record.read_text("utf-8").replace("province: Vĩnh Phúc", "province: Atlantis"), "utf-8")
    with pytest.raises(DtkgError, match="Atlantis"):  # raised by the mapping, inside the bulk load
        build(repo_copy, store_dir)
    assert store_dir.stat().st_ino == built and len(open_read_only(store_dir)) > 0
    # nothing left of the failed build: the link, its current version and the writers' lock file
    assert sorted(p.name for p in store_dir.parent.iterdir()) == sorted(["s", "s.lock", store_dir.resolve().name])


@pytest.mark.parametrize("kind", ["file", "folder"])
def test_a_store_path_that_is_not_a_store_is_refused_and_left_alone(repo_copy, tmp_path, kind):
    from kg.base.errors import UsageError
    target = tmp_path / "mine"
    if kind == "file":
        target.write_text("my notes")
    else:
        target.mkdir()
        (target / "notes.txt").write_text("my notes")
    with pytest.raises(UsageError, match="not a (store folder|dtkg store)"):
        build(repo_copy, target, force=True)
    assert (target.read_text() if kind == "file" else (target / "notes.txt").read_text()) == "my notes"


def test_an_empty_folder_or_a_built_store_can_be_rebuilt(repo_copy, tmp_path):
    target = tmp_path / "empty"
    target.mkdir()
    build(repo_copy, target, force=True)
    build(repo_copy, target, force=True)
    assert (target / FINGERPRINT_FILE).exists()


def test_a_record_that_cannot_be_mapped_fails_the_build_naming_its_file(repo_copy, tmp_path):
    from helpers import REPO
    shutil.copy(REPO / "tests" / "bad_inputs" / "unnumbered-no-key.yaml", repo_copy / "data" / "records" / "test-unnumbered-no-key.yaml")
    with pytest.raises(DtkgError) as failed:
        build(repo_copy, tmp_path / "store")
    assert str(failed.value).startswith("data/records/test-unnumbered-no-key.yaml: document 'nq-cds-draft' has no number")


def test_a_build_waits_for_a_writer_and_never_swaps_out_its_store(tmp_path, repo):
    import os, subprocess, sys
    from pyoxigraph import Store
    from kg.graph.build import ensure_built
    from kg.store.lock import writer_lock
    store_dir = tmp_path / "store"
    ensure_built(repo, store_dir)
    env = {**os.environ, "DTKG_LOCK_TIMEOUT": "1"}
    with writer_lock(store_dir, "dtkg add", say=lambda _: None):  # as a long `dtkg add` holds it
        writer = Store(str(store_dir))
        before = len(writer)
        done = subprocess.run([sys.executable, "-m", "kg.cli", "build", "--force", "--store", str(store_dir)],
                              cwd=repo, capture_output=True, text=True, timeout=120, env=env)
        assert done.returncode == 2 and "waiting for dtkg add" in done.stderr and "Traceback" not in done.stderr
        assert len(writer) == before
        del writer
    done = subprocess.run([sys.executable, "-m", "kg.cli", "build", "--force", "--store", str(store_dir)],
                          cwd=repo, capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert len(Store.read_only(str(store_dir))) == before


def test_an_act_cited_undated_is_the_act_of_that_number_in_the_graph(tmp_path):
    """52-NQ/TW cited with no date in a 2021 article: the resolution of 2019 another record dates,
    not a second act of 2021 (the year only the article's date would give its IRI)."""
    import yaml

    from helpers import built_copy

    root, store = built_copy(tmp_path)
    path = root / "data" / "records" / "vinh-phuc-2021-04-28.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    data["documents"].append({"ref": "nq-52", "number": "52-NQ/TW", "type": "resolution", "level": "central",
                              "issuer": "politburo", "evidence": {k: "Nghị quyết số 52-NQ/TW của Bộ Chính trị"
                                                                                    for k in ("number", "type", "issuer")}})
    data["documents"][0]["implements"] = ["nq-52"]
    data["documents"][0]["evidence"]["implements"] = "thực hiện Nghị quyết số 52-NQ/TW"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    build(root, store, force=True)
    acts = {q.subject.value for q in open_read_only(store).quads_for_pattern(
        None, NamedNode("http://data.europa.eu/eli/ontology#id_local"), Literal("52-NQ/TW"), None)}
    assert acts == {ID + "act/vn/2019/52-NQ_TW"}
    linked = {q.object.value for q in open_read_only(store).quads_for_pattern(
        None, NamedNode("http://data.europa.eu/eli/ontology#ensures_implementation_of"), None,
        NamedNode("https://w3id.org/dtkg/graph/record/vinh-phuc-2021-04-28"))}
    assert linked == {ID + "act/vn/2019/52-NQ_TW"}
    years = {q.object.value for q in open_read_only(store).quads_for_pattern(
        NamedNode(ID + "act/vn/2019/52-NQ_TW"), NamedNode(DTKG.yearOfNumber), None, None)}
    assert years == {"2019"}  # not the year the article's date would guess
