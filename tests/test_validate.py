"""`dtkg validate`: the bad-input corpus, the accepted variants, the output grammar, the whole graph.

tests/bad_inputs/NAME.ext is one bad input; NAME.expect beside it says the exit status, the rule
([SHAPE]) and a fragment of the message it must produce (and the line, for records). One
parametrised test runs every case through `dtkg validate` and `dtkg add` (in process, through the
real entry point) on a throw-away copy of the repository and its store, and checks: the message,
the exit status, no traceback, and the graph and data/records unchanged. A case without its
expectation, or an expectation without its case, fails. The 20 MB case is made by a fixture.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import yaml
from helpers import built_copy

from helpers import SEED as REPO  # the seed data: answers stay pinned
BAD = Path(__file__).resolve().parent / "bad_inputs"
ACCEPTED = BAD / "accepted"
RDF_SUFFIXES = {".ttl", ".trig", ".nt", ".nq", ".jsonld"}
N_CASES = 61

CASES = sorted({p.stem for p in BAD.iterdir() if p.is_file() and not p.name.startswith(".")})
VARIANTS = ["nfd", "bom", "crlf", "tone-marks"]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> tuple[Path, Path]:
    return built_copy(tmp_path_factory.mktemp("validate"))


@pytest.fixture
def dtkg(workspace, monkeypatch, capsys):
    """Run the command through its real entry point (kg.cli.main.main) in this process:
    dtkg(*args) → (exit status, stdout, stderr)."""
    from kg.cli.main import main

    root, store = workspace
    monkeypatch.setenv("DTKG_ROOT", str(root))
    monkeypatch.setenv("DTKG_STORE", str(store))

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        monkeypatch.setattr(sys, "argv", ["dtkg", *args])
        with pytest.raises(SystemExit) as done:
            main()
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return done.value.code or 0, out, err
    return run


def snapshot(root: Path, store: Path) -> tuple[frozenset, dict]:
    """The store's quads and the records' bytes."""
    from kg.store.local import open_read_only

    graph = open_read_only(store)
    quads = frozenset(graph.quads_for_pattern(None, None, None, None))
    del graph
    return quads, {p.name: p.read_bytes() for p in sorted((root / "data" / "records").iterdir())}


# -- the corpus ---------------------------------------------------------------------------------


def test_corpus_size():
    assert len(CASES) == N_CASES >= 40


@pytest.mark.parametrize("name", CASES)
def test_bad_input(name, dtkg, workspace, tmp_path):
    expect_file = BAD / f"{name}.expect"
    assert expect_file.is_file(), f"{name}: no {name}.expect beside the input"
    expect = yaml.safe_load(expect_file.read_text("utf-8"))
    assert set(expect) <= {"exit", "rule", "message", "line", "generate"}, expect
    inputs = [p for p in BAD.glob(f"{name}.*") if p.suffix != ".expect"]
    if "generate" in expect:
        assert not inputs, f"{name} is generated; do not commit it"
        path = tmp_path / f"{name}.yaml"
        with path.open("wb") as out:
            out.write(b"record: 1\nnotes: |\n")
            line = b"  " + b"x" * 98 + b"\n"
            out.write(line * (expect["generate"] // len(line)))
        assert path.stat().st_size >= expect["generate"] - 200
    else:
        assert len(inputs) == 1, f"{name}.expect has no input file beside it"
        path = inputs[0]

    code, out, _ = dtkg("validate", str(path))
    assert code == expect["exit"], out
    assert expect["message"] in out, out
    assert f"[{expect['rule']}]" in out, out
    if expect.get("line"):
        assert f"{path}:{expect['line']}: " in out, out
    lines = out.strip().splitlines()
    assert re.fullmatch(r"\d+ violations?, \d+ warnings?(, \d+ unreadable)? in 1 file", lines[-1]), lines[-1]
    assert all(line.startswith(str(path)) for line in lines[:-1])

    if expect["exit"] == 0:
        return
    root, store = workspace
    before = snapshot(root, store)
    code, _, err = dtkg("add", str(path))
    assert code == (2 if path.suffix in RDF_SUFFIXES else expect["exit"]), err
    assert "nothing was added" in err
    if path.suffix not in RDF_SUFFIXES:
        assert expect["message"] in err
    assert snapshot(root, store) == before


# -- accepted: the same record in other encodings of the same text ------------------------------


def test_variants_are_what_they_say():
    clean = (ACCEPTED / "clean.yaml").read_bytes()
    nfd = (ACCEPTED / "nfd.yaml").read_bytes().decode("utf-8")
    assert nfd == unicodedata.normalize("NFD", nfd) != clean.decode("utf-8")
    assert (ACCEPTED / "bom.yaml").read_bytes() == b"\xef\xbb\xbf" + clean
    assert (ACCEPTED / "crlf.yaml").read_bytes() == clean.replace(b"\n", b"\r\n")
    assert "Thuỷ".encode() in (ACCEPTED / "tone-marks.yaml").read_bytes()


@pytest.fixture(scope="module")
def context(workspace):
    from kg.graph.provinces import default_gazetteer
    from kg.store.local import open_read_only
    from kg.validation.context import Context

    root, store = workspace
    graph = open_read_only(store)
    try:
        return Context.from_store(graph, default_gazetteer(root))
    finally:
        del graph


@pytest.mark.parametrize("variant", VARIANTS)
def test_variant_gives_the_same_graph_as_the_clean_record(variant, context):
    from kg.curation.validate import check_record

    clean = check_record(ACCEPTED / "clean.yaml", context, REPO)
    other = check_record(ACCEPTED / f"{variant}.yaml", context, REPO)
    assert clean.findings == [] and other.findings == []
    assert set(other.mapped.quads) == set(clean.mapped.quads)
    assert other.record.text == clean.record.text


def test_the_clean_record_validates(dtkg):
    code, out, _ = dtkg("validate", str(ACCEPTED / "clean.yaml"))
    assert (code, out.strip()) == (0, "0 violations, 0 warnings in 1 file")


# -- the output ---------------------------------------------------------------------------------

LINE = re.compile(r"(?P<file>[^:]+):(?P<line>\d+): (?P<severity>violation|warning): \[(?P<shape>[\w-]+)\] "
                  r"(?P<en>.+) / (?P<vi>.+) \(focus (?P<focus>\S+), path (?P<path>\S+), value (?P<value>.+)\)")


def test_one_line_per_problem_in_the_documented_grammar(dtkg):
    path = BAD / "abbreviation-disagrees.yaml"
    code, out, _ = dtkg("validate", str(path))
    first, summary = out.strip().splitlines()
    m = LINE.fullmatch(first)
    assert m, first
    assert m["file"] == str(path) and m["line"] == "41" and m["shape"] == "Directive-numberType"
    assert m["en"].startswith("the abbreviation NQ") and m["vi"].startswith("chữ viết tắt NQ")
    assert (m["focus"], m["path"], m["value"]) == ("id:act/02-ha-giang/2022/71_NQ-UBND", "eli:id_local", '"71/NQ-UBND"')
    assert summary == "1 violation, 0 warnings in 1 file"


def test_rdf_input_names_the_node_in_place_of_the_line(dtkg):
    path = BAD / "rdf-missing-issuer.ttl"
    code, out, _ = dtkg("validate", str(path))
    assert code == 1
    assert out.startswith(f"{path}: <https://w3id.org/dtkg/id/act/test/a>: violation: [Directive-issuedBy] ")


def test_json_for_tools(dtkg):
    code, out, _ = dtkg("validate", "--format", "json", str(BAD / "unknown-sector.yaml"), str(ACCEPTED / "clean.yaml"))
    report = json.loads(out)
    assert code == 1 and report["exit_code"] == 1 and not report["conforms"]
    assert (report["files"], report["violations"], report["warnings"]) == (2, 1, 0)
    [result] = report["results"]
    assert result["shape"] == "Directive-sector" and result["line"] == 24 and result["severity"] == "violation"
    assert result["value"] == "vocab:sector/blockchain" and result["message_vi"].startswith("lĩnh vực")


def test_exit_status_is_the_worst_of_the_files(dtkg):
    assert dtkg("validate", str(ACCEPTED / "clean.yaml"), str(BAD / "issuer-mismatch-warning.yaml"))[0] == 0
    code, out, _ = dtkg("validate", str(BAD / "unknown-sector.yaml"), str(BAD / "binary.yaml"))
    assert code == 2
    assert out.strip().splitlines()[-1] == "1 violation, 0 warnings, 1 unreadable in 2 files"


def test_a_missing_file_is_unreadable(dtkg, tmp_path):
    code, out, _ = dtkg("validate", str(tmp_path / "nowhere.yaml"))
    assert code == 2 and "cannot read" in out


def test_misuse_is_one_line_and_exit_2(dtkg):
    code, _, err = dtkg("validate", "--format", "xml", str(ACCEPTED / "clean.yaml"))
    assert code == 2 and err.startswith("dtkg: usage error:") and len(err.strip().splitlines()) == 1


def test_a_real_process(workspace):
    """Once through a real process: exit statuses and no traceback."""
    root, store = workspace
    env = {**os.environ, "DTKG_ROOT": str(root), "DTKG_STORE": str(store)}
    for path, code in ((BAD / "binary.yaml", 2), (BAD / "plan-implements-later.yaml", 1), (ACCEPTED / "crlf.yaml", 0)):
        done = subprocess.run([sys.executable, "-m", "kg.cli", "validate", str(path)], env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == code, done.stdout + done.stderr
        assert "Traceback" not in done.stderr


# -- the whole graph ----------------------------------------------------------------------------


def test_the_whole_graph(dtkg):
    code, out, _ = dtkg("validate")
    assert (code, out.strip()) == (0, "0 violations, 0 warnings in 5 files")


@pytest.mark.parametrize("case, where, rule", [
    ("unknown-sector", "data/records/test-ha-giang-2022.yaml:24: violation: ", "[Directive-sector]"),
    ("future-date", "data/records/test-ha-giang-2022.yaml:45: violation: ", "[DateShape]"),
    ("implements-nothing", "data/records/test-ha-giang-2022.yaml:46: violation: ", "[Directive-implements]"),
    ("binary", "data/records/test-ha-giang-2022.yaml: error: ", "[InputError]"),
])
def test_the_whole_graph_points_at_the_record_and_line(case, where, rule, tmp_path, monkeypatch, capsys):
    """A bad record put straight into data/records (not through `dtkg add`) is found by
    `dtkg validate` with no argument, at its file and line, whichever stage catches it."""
    from kg.cli.main import main

    root, store = built_copy(tmp_path)
    shutil.copy(BAD / f"{case}.yaml", root / "data" / "records" / "test-ha-giang-2022.yaml")
    monkeypatch.setenv("DTKG_ROOT", str(root))
    monkeypatch.setenv("DTKG_STORE", str(store))
    monkeypatch.chdir(root)
    monkeypatch.setattr(sys, "argv", ["dtkg", "validate"])
    with pytest.raises(SystemExit) as done:
        main()
    out = capsys.readouterr().out
    assert done.value.code == (2 if case == "binary" else 1)
    assert any(line.startswith(where) and rule in line for line in out.splitlines()), out
    assert out.strip().endswith("in 6 files")


# -- the library --------------------------------------------------------------------------------


def test_pyshacl_is_imported_only_when_validating():
    done = subprocess.run([sys.executable, "-c", "import sys, kg.validation.checks, kg.curation.add, kg.cli.main; "
                           "print('pyshacl' in sys.modules, 'rdflib' in sys.modules)"],
                          capture_output=True, text=True, cwd=REPO, timeout=60)
    assert done.stdout.split() == ["False", "False"], done.stderr


def test_the_context_graph_is_left_as_it_was(context):
    from kg.validation.checks import read_rdf
    from kg.validation.context import data_graph_for

    graph = context.rdflib_graph()
    before = len(graph)
    quads = read_rdf(BAD / "rdf-missing-issuer.ttl")
    with data_graph_for(quads, context) as data:
        assert data is graph and len(graph) > before
    assert len(graph) == before
