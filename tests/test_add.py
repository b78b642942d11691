"""`dtkg add` and `dtkg remove`: all or nothing, the store always equal to a rebuild of data/.

Each test works on its own copy of the repository's ontology, shapes and data and of a store built
from them (copied from one built per module, which is faster than building each time).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from kg.base.errors import InputError, RecordError, UsageError

from helpers import SEED as REPO  # the seed data: answers stay pinned
ACCEPTED = Path(__file__).resolve().parent / "bad_inputs" / "accepted"
BAD = ACCEPTED.parent
CLEAN = ACCEPTED / "clean.yaml"
CLEAN_ID = "test-ha-giang-2022"

# A second record whose plan implements the clean record's resolution by its number.
FOLLOW_UP = """record: 1
id: test-ha-giang-2022-follow-up
source:
  kind: article
  headline: Hà Giang ban hành kế hoạch chuyển đổi số trong nông nghiệp
  published: 2022-06-01
province: Hà Giang
documents:
  - ref: kh-80
    number: 80/KH-UBND
    type: plan
    issuer: peoples-committee
    date: 2022-05-20
    implements: [09-NQ/TU]
    evidence:
      number: Kế hoạch số 80/KH-UBND
      type: Kế hoạch số 80/KH-UBND
      issuer: UBND tỉnh ban hành Kế hoạch số 80/KH-UBND
      date: ngày 20-5-2022
      implements: thực hiện Nghị quyết số 09-NQ/TU
"""


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    from kg.graph.build import build

    base = tmp_path_factory.mktemp("add-template")
    for folder in ("ontology", "shapes", "data"):
        shutil.copytree(REPO / folder, base / "repo" / folder)
    build(base / "repo", base / "store", force=True)
    return base


@pytest.fixture
def ws(template, tmp_path) -> tuple[Path, Path]:
    shutil.copytree(template / "repo", tmp_path / "repo")
    shutil.copytree(template / "store", tmp_path / "store")
    return tmp_path / "repo", tmp_path / "store"


def store_quads(store: Path) -> frozenset:
    """The store's graph, after checking that its union graph holds each of its triples once."""
    from kg.store.local import graph_quads, open_read_only, union_quads

    graph = open_read_only(store)
    try:
        everything = frozenset(graph.quads_for_pattern(None, None, None, None))
        quads = frozenset(graph_quads(graph))
        assert everything - quads == frozenset(union_quads(q.triple for q in quads)), "the union graph is not the graph's union"
        return quads
    finally:
        del graph


def files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "data" / "records").iterdir())}


def assert_store_is_a_rebuild(root: Path, store: Path) -> None:
    """The store holds exactly what `dtkg build` makes from data/, and knows it is up to date."""
    from kg.graph.build import all_quads
    from kg.store.local import is_fresh

    assert store_quads(store) == frozenset(all_quads(root)[0])
    assert is_fresh(root, store)


def add(ws, *paths, replace=False):
    from kg.curation.add import add as run

    return run(list(paths), *ws, replace=replace)


# -- add ----------------------------------------------------------------------------------------


def test_add_writes_the_file_and_the_graph(ws):
    root, store = ws
    outcome = add(ws, CLEAN)
    assert (outcome.exit_code, outcome.added) == (0, [CLEAN_ID])
    written = root / "data" / "records" / f"{CLEAN_ID}.yaml"
    assert written.read_bytes() == CLEAN.read_bytes()
    assert_store_is_a_rebuild(root, store)
    assert not [p for p in written.parent.iterdir() if p.name.startswith(".")]  # no temporary files left


def test_adding_the_same_record_twice_is_a_no_op(ws):
    root, store = ws
    add(ws, CLEAN)
    before = store_quads(store), files(root)
    outcome = add(ws, CLEAN)
    assert (outcome.exit_code, outcome.added, outcome.unchanged) == (0, [], [CLEAN_ID])
    assert "already in the graph with the same content" in outcome.report.notices[0]
    assert (store_quads(store), files(root)) == before


@pytest.mark.parametrize("variant", ["nfd", "bom", "crlf", "tone-marks"])
def test_a_variant_of_the_text_is_the_same_record(ws, variant):
    """NFD, a BOM, Windows line endings, the other tone-mark placement: the same graph as the
    clean record, the same (normalised) file in data/records, and a duplicate of it."""
    root, store = ws
    outcome = add(ws, ACCEPTED / f"{variant}.yaml")
    assert outcome.added == [CLEAN_ID]
    assert (root / "data" / "records" / f"{CLEAN_ID}.yaml").read_bytes() == CLEAN.read_bytes()
    assert_store_is_a_rebuild(root, store)
    again = add(ws, CLEAN)
    assert again.unchanged == [CLEAN_ID] and again.exit_code == 0


def test_same_id_other_content_needs_replace(ws):
    root, store = ws
    add(ws, CLEAN)
    before = store_quads(store), files(root)
    outcome = add(ws, BAD / "issuer-mismatch-warning.yaml")
    assert outcome.exit_code == 1
    [finding] = outcome.report.findings
    assert finding.shape == "Record-unique" and "--replace" in finding.message_en and f"dtkg remove {CLEAN_ID}" in finding.message_en
    assert (store_quads(store), files(root)) == before

    replaced = add(ws, BAD / "issuer-mismatch-warning.yaml", replace=True)
    assert (replaced.exit_code, replaced.replaced) == (0, [CLEAN_ID])
    assert b"71/KH-TU" in (root / "data" / "records" / f"{CLEAN_ID}.yaml").read_bytes()
    assert_store_is_a_rebuild(root, store)


def test_one_bad_file_and_nothing_is_added(ws, tmp_path):
    root, store = ws
    before = store_quads(store), files(root)
    good = tmp_path / "follow-up.yaml"
    good.write_text(FOLLOW_UP, "utf-8")
    outcome = add(ws, CLEAN, good, BAD / "unknown-sector.yaml")
    assert outcome.exit_code == 1 and outcome.added == []
    assert (store_quads(store), files(root)) == before


def test_files_of_one_call_may_refer_to_each_other(ws, tmp_path):
    root, store = ws
    follow_up = tmp_path / "follow-up.yaml"
    follow_up.write_text(FOLLOW_UP, "utf-8")
    outcome = add(ws, CLEAN, follow_up)
    assert outcome.exit_code == 0, outcome.report.lines()
    assert sorted(outcome.added) == [CLEAN_ID, f"{CLEAN_ID}-follow-up"]
    assert_store_is_a_rebuild(root, store)


def test_the_same_id_twice_in_one_call_is_refused(ws):
    outcome = add(ws, CLEAN, ACCEPTED / "crlf.yaml")
    assert outcome.exit_code == 1 and "give each record once" in outcome.report.lines()[0]


def test_rdf_is_not_a_record(ws):
    outcome = add(ws, BAD / "rdf-missing-issuer.ttl")
    assert outcome.exit_code == 2 and "takes records" in outcome.report.findings[0].message_en


def test_if_the_file_cannot_be_written_the_store_is_put_back(ws, monkeypatch):
    import kg.curation.add

    root, store = ws
    before = store_quads(store), files(root)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(args[-1]))
    monkeypatch.setattr(kg.curation.add.os, "replace", refuse)
    with pytest.raises(InputError, match="cannot write the record file, nothing was added"):
        add(ws, CLEAN)
    monkeypatch.undo()
    assert (store_quads(store), files(root)) == before


def test_if_the_store_refuses_nothing_is_written(ws, monkeypatch):
    import kg.curation.add

    root, store = ws
    before = files(root)

    def refuse(*args, **kwargs):
        raise InputError("the store refused the change, nothing was changed: disk full")
    monkeypatch.setattr(kg.curation.add, "_apply", refuse)
    with pytest.raises(InputError, match="store refused"):
        add(ws, CLEAN)
    assert files(root) == before


def test_one_transaction_for_every_graph(ws, monkeypatch):
    """The store changes through one SPARQL update (one Oxigraph transaction) per add."""
    from pyoxigraph import Store

    calls = []
    original = Store.update
    monkeypatch.setattr(Store, "update", lambda self, text, *a, **k: calls.append(text) or original(self, text, *a, **k),
                        raising=False)
    add(ws, CLEAN)
    assert len(calls) == 1
    assert "DROP SILENT GRAPH <https://w3id.org/dtkg/graph/derived>" in calls[0]


# -- remove -------------------------------------------------------------------------------------


def test_remove(ws):
    from kg.curation.add import remove

    root, store = ws
    add(ws, CLEAN)
    outcome = remove(CLEAN_ID, root, store)
    assert outcome.removed == [CLEAN_ID]
    assert not (root / "data" / "records" / f"{CLEAN_ID}.yaml").exists()
    assert_store_is_a_rebuild(root, store)


def test_remove_a_record_others_depend_on_is_refused(ws, tmp_path):
    from kg.curation.add import remove

    root, store = ws
    follow_up = tmp_path / "follow-up.yaml"
    follow_up.write_text(FOLLOW_UP, "utf-8")
    add(ws, CLEAN, follow_up)
    before = store_quads(store), files(root)
    with pytest.raises(RecordError, match=f"{CLEAN_ID}-follow-up"):
        remove(CLEAN_ID, root, store)
    assert (store_quads(store), files(root)) == before


def test_if_the_file_cannot_be_removed_the_store_is_put_back(ws, monkeypatch):
    import kg.curation.add

    root, store = ws
    add(ws, CLEAN)
    before = store_quads(store), files(root)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(kg.curation.add.os, "replace", refuse)
    with pytest.raises(InputError, match="nothing was removed"):
        kg.curation.add.remove(CLEAN_ID, root, store)
    monkeypatch.undo()
    assert (store_quads(store), files(root)) == before


@pytest.mark.parametrize("record_id, message", [("no-such-record", "no record 'no-such-record'"),
                                                ("../etc/passwd", "is not a record id")])
def test_remove_what_is_not_there(ws, record_id, message):
    from kg.curation.add import remove

    with pytest.raises(UsageError, match=message):
        remove(record_id, *ws)


# -- the commands -------------------------------------------------------------------------------


def test_the_commands(ws, monkeypatch, capsys):
    from kg.cli.main import main

    root, store = ws
    monkeypatch.setenv("DTKG_ROOT", str(root))
    monkeypatch.setenv("DTKG_STORE", str(store))

    def dtkg(*args):
        monkeypatch.setattr(sys, "argv", ["dtkg", *args])
        with pytest.raises(SystemExit) as done:
            main()
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return done.value.code or 0, err

    code, err = dtkg("add", str(BAD / "unknown-sector.yaml"))
    assert code == 1 and "[Directive-sector]" in err and err.strip().endswith("dtkg: nothing was added")
    code, err = dtkg("add", str(CLEAN))
    assert code == 0 and f"added {CLEAN_ID}" in err
    code, err = dtkg("add", str(CLEAN))
    assert code == 0 and err.startswith("dtkg: notice:") and "nothing added" in err
    code, err = dtkg("remove", CLEAN_ID)
    assert code == 0 and f"removed {CLEAN_ID}" in err
    code, err = dtkg("remove", CLEAN_ID)
    assert code == 2 and err.strip() == f"dtkg: error: no record '{CLEAN_ID}': data/records/{CLEAN_ID}.yaml does not exist"
    code, err = dtkg("add")
    assert code == 2 and "usage error" in err
