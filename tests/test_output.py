"""The default table is for a person at a terminal: IRI columns hidden (--iri shows them), cells
cut to the width (COLUMNS, the terminal's, or 100); CSV, JSON and MD keep every column whole."""

import csv
import io
import os
import subprocess
import sys

import pytest
from pyoxigraph import Literal, NamedNode

from kg.cli.output import DEFAULT_WIDTH, render

LONG = "Nghị quyết về tập trung lãnh đạo, chỉ đạo chuyển đổi số tỉnh Hà Tĩnh giai đoạn 2021-2025, định hướng 2030"
IRI = "https://w3id.org/dtkg/id/act/42-ha-tinh/2021/resolution-participation-of-the-whole-party"
ROWS = [{"act": NamedNode(IRI), "title": Literal(LONG), "year": Literal("2021")},
        {"act": NamedNode(IRI + "-2"), "title": Literal("334-KH/TU"), "year": None}]


def test_the_table_hides_iri_columns_unless_asked():
    table = render(ROWS, ["act", "title", "year"], "table", width=200)
    assert "https://" not in table and "act" not in table.splitlines()[0]
    assert table.rstrip().endswith("(2 rows; 1 IRI column hidden, --iri shows them)")
    assert LONG in table  # 200 columns: nothing to cut
    shown = render(ROWS, ["act", "title", "year"], "table", iri=True, width=300)
    assert IRI in shown and shown.rstrip().endswith("(2 rows)")


def test_a_table_of_nothing_but_iris_keeps_them():
    assert IRI in render([{"s": NamedNode(IRI)}], ["s"], "table", width=200)


@pytest.mark.parametrize("width", [40, 60, 80, 100])
def test_every_line_fits_the_width_and_long_cells_are_cut(width):
    lines = render(ROWS, ["act", "title", "year"], "table", iri=True, width=width).splitlines()
    assert max(len(line) for line in lines) <= width
    assert "…" in lines[2] and "2021" in lines[2]


@pytest.mark.parametrize("fmt", ["csv", "json", "md", "sparql-json"])
def test_other_formats_keep_everything(fmt):
    out = render(ROWS, ["act", "title", "year"], fmt, width=40)
    assert IRI in out and LONG in out and "…" not in out


def _run(args, columns=None, repo=None, store=None):
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    env["DTKG_STORE"] = str(store)
    if columns:
        env["COLUMNS"] = str(columns)
    done = subprocess.run([sys.executable, "-m", "kg.cli", *args], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return done.stdout


@pytest.mark.parametrize("args", [["query", "provinces-by-sector", "sector=logistics"],
                                  ["query", "--iri", "provinces-by-sector", "sector=logistics", "--timeout", "30"]])
def test_the_cli_table_fits_columns_or_100_when_piped(args, repo, built_store):
    piped = _run(args, repo=repo, store=built_store).splitlines()
    assert max(len(line) for line in piped) <= DEFAULT_WIDTH
    narrow = _run(args, columns=50, repo=repo, store=built_store).splitlines()
    assert max(len(line) for line in narrow) <= 50
    assert ("https://" in "".join(narrow + piped)) == ("--iri" in args)
    full = list(csv.DictReader(io.StringIO(_run(args + ["-f", "csv"], columns=50, repo=repo, store=built_store))))
    assert full and all(row["province_iri" if "province_iri" in row else "province"] for row in full)
    assert any(value.startswith("https://") for row in full for value in row.values())


def test_a_long_answer_becomes_a_matrix_with_zeros_and_units_told_apart():
    from kg.cli.output import matrix
    shape = {"rows": "province", "key": "province_iri", "columns": "sector", "value": "n"}
    long = [{"province": Literal("Cần Thơ"), "province_iri": NamedNode("http://x/92-can-tho"), "sector": Literal("Y tế"), "n": Literal("2")},
            {"province": Literal("Cần Thơ"), "province_iri": NamedNode("http://x/2025-92-can-tho"), "sector": Literal("Du lịch"), "n": Literal("1")},
            {"province": Literal("An Giang"), "province_iri": NamedNode("http://x/89-an-giang"), "sector": Literal("Y tế"), "n": Literal("3")}]
    columns, rows = matrix(long, shape)
    assert columns == ["province", "Du lịch", "Y tế"]
    assert [[r[c].value for c in columns] for r in rows] == [
        ["An Giang", "0", "3"], ["Cần Thơ (2025-92-can-tho)", "1", "0"], ["Cần Thơ (92-can-tho)", "0", "2"]]


def test_sector_coverage_is_a_matrix_in_csv_and_md_and_long_in_json(repo, built_store):
    import json
    long = json.loads(_run(["query", "sector-coverage", "-f", "json"], repo=repo, store=built_store))
    assert long and set(long[0]) == {"province", "province_iri", "today", "today_iri", "sector", "sector_iri", "directives"}
    rows = list(csv.DictReader(io.StringIO(_run(["query", "sector-coverage", "-f", "csv"], repo=repo, store=built_store))))
    sectors = {c["sector"] for c in long}
    assert set(rows[0]) == {"province"} | sectors
    assert len(rows) == len({c["province_iri"] for c in long})
    assert sum(int(r[s]) for r in rows for s in sectors) == sum(int(c["directives"]) for c in long)
    assert any(r[s] == "0" for r in rows for s in sectors)
    md = _run(["query", "sector-coverage", "-f", "md"], repo=repo, store=built_store).splitlines()
    assert md[0].startswith("| province | ") and len(md) == len(rows) + 2


@pytest.mark.parametrize("args, env", [(["--lang", "en"], {}), (["--lang=en", "--timeout", "30"], {}), ([], {"DTKG_LANG": "en"})])
def test_lang_option_and_environment(args, env, repo, built_store):
    full = {**{k: v for k, v in os.environ.items() if k != "DTKG_LANG"}, "DTKG_STORE": str(built_store), **env}
    done = subprocess.run([sys.executable, "-m", "kg.cli", "query", "provinces-by-sector", "sector=logistics", "-f", "csv", *args],
                          cwd=repo, env=full, capture_output=True, text=True, timeout=120)
    provinces = {r["province"] for r in csv.DictReader(io.StringIO(done.stdout))}
    assert done.returncode == 0 and "Ha Tinh" in provinces and "Hà Tĩnh" not in provinces
    bad = subprocess.run([sys.executable, "-m", "kg.cli", "query", "provinces-by-sector", "sector=logistics", "--lang", "fr"],
                         cwd=repo, env=full, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and bad.stderr.strip() == "dtkg: error: language 'fr'; expected one of vi, en (--lang or $DTKG_LANG)"
