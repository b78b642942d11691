"""The command as a user meets it: help, version, exit codes, one-line errors, no tracebacks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import cli_runner


@pytest.fixture(scope="module")
def run(tmp_path_factory, repo):
    return cli_runner(tmp_path_factory.mktemp("cli") / "store", repo)


def test_help_lists_every_command(run):
    out = run("--help")
    assert out.returncode == 0
    for command in ("build", "export", "stats", "query", "queries"):
        assert command in out.stdout


def test_a_query_file_that_is_not_utf8_text_says_so(run, tmp_path):
    (tmp_path / "latin1.rq").write_bytes("SELECT * WHERE { ?s ?p \"Hà\" }".encode("latin-1"))
    (tmp_path / "binary.rq").write_bytes(b"SELECT\x00\x01")
    for name, message in (("latin1.rq", "not UTF-8 (byte 0xe0 at line 1)"), ("binary.rq", "binary file")):
        out = run("sparql", "--file", str(tmp_path / name))
        assert out.returncode == 2 and message in out.stderr and out.stderr.count("\n") == 1


def test_no_command_shows_the_help_not_an_error(run):
    out = run()
    assert out.returncode == 2 and out.stderr.startswith("Usage: dtkg") and "usage error" not in out.stderr
    assert "query" in out.stderr and out.stdout == ""


def test_version(run):
    from kg import __version__
    assert run("--version").stdout.strip() == f"dtkg {__version__}"


def test_build_then_answer_from_a_sub_folder(run, repo):
    assert run("build", "--force").returncode == 0
    out = run("query", "provinces-by-sector", "sector=logistics", "--format", "csv", cwd=repo / "data" / "records")
    assert out.returncode == 0
    lines = out.stdout.splitlines()
    assert lines[0] == "province,province_iri,directive,directive_iri,sector"
    assert sorted(line.split(",")[0] for line in lines[1:]) == ["Hà Tĩnh", "Quảng Ngãi"]


@pytest.mark.parametrize("args, code, message", [
    (("nonsense",), 2, "No such command"),
    (("query", "no-such-query"), 2, "no stored query 'no-such-query'"),
    (("query", "provinces-by-sector"), 2, "needs sector="),
    (("query", "provinces-by-sector", "sector=logistics", "colour=red"), 2, "has no parameter 'colour'"),
    (("query", "provinces-by-sector", "sector"), 2, "is not key=value"),
    (("query", "provinces-by-sector", "sector=basket weaving"), 2, "matches no sector concept"),
    (("export", "-o", "out.docx"), 2, "cannot tell the format"),
    (("stats", "--format", "xml"), 2, "unknown format 'xml'"),
    (("sparql", "SELEC * WHERE { ?s ?p ?o }"), 2, "not SPARQL: it starts with 'SELEC'"),
    (("sparql", "DROP ALL"), 2, "refused unless --update"),
    (("sparql", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"), 2, "the query failed"),
    (("sparql", "SELECT * WHERE { ?s ?p ?o }", "--endpoint", "http://[::1"), 2, "--endpoint 'http://[::1' is not a URL"),
    (("push", "--endpoint", "http://127.0.0.1:9/query", "--graph-store", "nope"), 2, "--graph-store 'nope' is not an http(s) URL"),
])
def test_misuse_is_one_line_and_exit_2(run, args, code, message):
    out = run(*args)
    assert out.returncode == code
    assert message in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_outside_a_repository_says_so(run, tmp_path):
    env_free = run("stats", cwd=tmp_path)
    assert env_free.returncode == 2 and "not inside a dtkg repository" in env_free.stderr


def test_export_writes_a_file(run, tmp_path):
    target = tmp_path / "graph.trig"
    out = run("export", "-o", str(target))
    assert out.returncode == 0 and target.read_bytes().startswith(b"@prefix")


def test_stats_counts_directives(run):
    out = run("stats", "--by", "graph", "--format", "csv")
    assert out.returncode == 0
    rows = [line.split(",") for line in out.stdout.splitlines()[1:]]
    directives = sum(int(n) for g, c, n in rows if c == "dtkg:Directive" and "/record/" in g)
    assert directives == 10


def test_stats_totals_and_acts_per_province_and_year(run):
    import csv
    import io
    import json
    totals = {r["measure"]: int(r["count"]) for r in csv.DictReader(io.StringIO(run("stats", "-f", "csv").stdout))}
    assert totals["records (one per source)"] == 5 and totals["acts (directives, plans, decisions…)"] >= 10
    assert totals["quads in the named graphs"] >= totals["distinct triples (their union)"] > 0
    assert 0 < totals["provinces with an act (as at the act's date)"] <= totals["provincial acts"]
    grid = list(csv.DictReader(io.StringIO(run("stats", "--by", "province-year", "-f", "csv").stdout)))
    years = [c for c in grid[0] if c not in ("province", "total")]
    assert years == sorted(years) and "2021" in years and list(grid[0])[-1] == "total"
    assert all(int(r["total"]) == sum(int(r[y]) for y in years) for r in grid)
    assert sum(int(r["total"]) for r in grid) == totals["provincial acts"]
    assert len(grid) == totals["provinces with an act (as at the act's date)"]
    long = json.loads(run("stats", "--by", "province-year", "-f", "json").stdout)
    assert sum(int(c["acts"]) for c in long) == totals["provincial acts"] and set(long[0]) == {"province", "province_iri", "year", "acts"}


@pytest.mark.parametrize("command", [("stats",), ("queries",), ("build",)])
def test_dtkg_root_that_is_no_repository_says_so_and_creates_nothing(tmp_path, command):
    nowhere = tmp_path / "nowhere"
    env_root = {**os.environ, "DTKG_ROOT": str(nowhere)}
    env_root.pop("DTKG_STORE", None)
    done = subprocess.run([sys.executable, "-m", "kg.cli", *command], cwd=tmp_path, env=env_root,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert f"DTKG_ROOT={nowhere}: not a dtkg repository" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert not nowhere.exists()


@pytest.mark.parametrize("args, message", [
    (("export", "-o", "{file}/x.ttl"), "cannot write here"),
    (("export", "-o", "{dir}", "-f", "turtle"), "cannot write"),
    (("export", "-o", "/proc/x.ttl"), "cannot write here"),
    (("extract", "{articles}/vi-voted-phu-tho.txt", "-o", "{file}"), "cannot make the folder for the drafts"),
    (("extract", "{articles}/vi-voted-phu-tho.txt", "-o", "/proc/drafts"), "cannot make the folder for the drafts"),
    (("synth", "--triples", "10k", "-o", "{file}"), "is a file"),
    (("synth", "--triples", "10k", "-o", "/proc/synth"), "cannot make the folder"),
    (("synth", "--triples", "nan", "-o", "{dir}/s"), "is not a size"),
    (("synth", "--triples", "inf", "-o", "{dir}/s"), "is not a size"),
    (("synth", "--triples", "1e9", "-o", "{dir}/s"), "expected at most 20M"),
])
def test_an_output_path_that_cannot_be_written_is_one_line_and_exit_2(run, tmp_path, args, message):
    (tmp_path / "a-file").write_text("mine")
    (tmp_path / "a-dir").mkdir()
    articles = Path(__file__).parent / "articles"
    out = run(*(a.format(file=tmp_path / "a-file", dir=tmp_path / "a-dir", articles=articles) for a in args))
    assert out.returncode == 2, out.stderr
    assert message in out.stderr and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert (tmp_path / "a-file").read_text() == "mine"
    assert list((tmp_path / "a-dir").iterdir()) == []


def test_a_damaged_store_is_one_line_that_says_how_to_remake_it(run, repo, tmp_path):
    from kg.graph.build import ensure_built
    damaged = tmp_path / "store"
    ensure_built(repo, damaged)
    for sst in damaged.glob("*.sst"):
        sst.write_bytes(b"not a table")
    for args in (("stats",), ("sparql", "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "--update")):
        out = run(*args, "--store", str(damaged))
        assert out.returncode == 2 and "dtkg build --force" in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_check_quotes_on_a_record_that_breaks_the_format_points_to_validate(run, tmp_path, repo):
    bad = tmp_path / "bad.yaml"
    bad.write_text("record: 1\nid: bad\nsource: 5\n", "utf-8")
    out = run("check-quotes", str(bad), "--corpus", str(tmp_path))
    assert out.returncode == 1 and f"run `dtkg validate {bad}`" in out.stderr and out.stderr.count("\n") == 1


def test_validate_says_when_a_record_would_replace_one_already_there(run, repo, tmp_path):
    copy = tmp_path / "entry.yaml"
    copy.write_text((repo / "data" / "records" / "hai-duong-2021.yaml").read_text("utf-8"), "utf-8")
    out = run("validate", str(copy))
    assert out.returncode == 0 and "checked as a replacement of record 'hai-duong-2021'" in out.stderr
    assert "replacement" not in run("validate", str(repo / "data" / "records" / "hai-duong-2021.yaml")).stderr


def test_a_query_nested_too_deep_is_refused_not_a_crash(run, tmp_path):
    """2,500 nested groups overflow Oxigraph's stack (a segfault, exit 139): refused first."""
    (tmp_path / "deep.rq").write_text("SELECT * WHERE " + "{" * 2500 + " ?s ?p ?o " + "}" * 2500)
    out = run("sparql", "--file", str(tmp_path / "deep.rq"))
    assert out.returncode == 2 and "nests brackets 2500 deep; at most 64" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
