"""`dtkg vocab`, and the hints wherever a name is looked up: "did you mean" on the folded edit
distance, a pointer to `dtkg vocab SCHEME`, a notice for a document the graph does not hold."""

import csv
import io
import json

import pytest
from helpers import cli_runner

from kg.base.text import closest, did_you_mean


@pytest.fixture(scope="module")
def run(tmp_path_factory, repo):
    return cli_runner(tmp_path_factory.mktemp("vocab") / "store", repo)


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# -- the folded edit distance -----------------------------------------------------------------------


def test_closest_ignores_case_and_diacritics_and_keeps_the_display_form():
    assert closest("ha tnh", ["Hà Tĩnh", "Hà Nội", "Hà Giang"]) == ["Hà Tĩnh"]
    assert closest("LOGISTIC", ["logistics", "transport"]) == ["logistics"]
    assert closest("Đà Năng", ["Da Nang", "Đà Nẵng"]) == ["Da Nang", "Đà Nẵng"]  # both at distance 0
    assert closest("basket weaving", ["logistics", "health"]) == []
    assert did_you_mean("adoptd", ["adopted", "planned"]) == "; did you mean adopted?"
    assert did_you_mean("x", []) == ""


# -- dtkg vocab -----------------------------------------------------------------------------------


def test_vocab_lists_every_scheme_with_both_labels(run, repo):
    from kg.records.vocabulary import VOCAB_FILE, read_schemes

    out = run("vocab", "-f", "json")
    assert out.returncode == 0
    rows = json.loads(out.stdout)
    schemes = read_schemes(repo / VOCAB_FILE)
    assert {r["scheme"] for r in rows} == set(schemes) >= {
        "sector", "document-type", "body-type", "role", "status", "metric", "comparator", "scope", "level"}
    assert len(rows) == sum(len(s.concepts) for s in schemes.values())
    assert all(r["label_vi"] and r["label_en"] for r in rows)
    assert {"scheme": "document-type", "key": "resolution", "label_vi": "Nghị quyết", "label_en": "Resolution",
            "notation": "NQ"}.items() <= next(r for r in rows if r["key"] == "resolution").items()


def test_vocab_status_is_in_rank_order(run):
    rows = _csv(run("vocab", "status", "-f", "csv").stdout)
    assert [(r["key"], r["rank"]) for r in rows] == [
        ("planned", "1"), ("draft-discussed", "2"), ("agreed-in-principle", "3"), ("adopted", "4"), ("disseminated", "5")]
    assert rows[3]["label_vi"] == "Đã ban hành" and rows[3]["label_en"] == "Adopted"


def test_vocab_takes_a_scheme_by_key_alias_or_label(run):
    level = _csv(run("vocab", "level", "-f", "csv").stdout)
    assert {r["key"]: r["notation"] for r in level} == {"provincial": "provincial", "central": "central"}
    assert "rank" not in level[0]  # only ranked schemes have the column
    assert run("vocab", "type").stdout == run("vocab", "document-type").stdout
    assert run("vocab", "LINH VUC").stdout == run("vocab", "sector").stdout
    table = run("vocab", "sector").stdout
    assert "logistics" in table and "Logistics" in table and table.rstrip().endswith("(23 rows)")
    md = run("vocab", "comparator", "-f", "md").stdout
    assert md.startswith("| scheme | key | label_vi | label_en | notation |")


def test_an_unknown_scheme_is_one_line_with_the_list_and_a_suggestion(run):
    out = run("vocab", "sectr")
    assert out.returncode == 2 and out.stdout == "" and out.stderr.count("\n") == 1
    assert "no vocabulary 'sectr'" in out.stderr and "did you mean sector?" in out.stderr
    assert "document-type, body-type, role, status, sector" in out.stderr
    assert run("vocab", "sector", "-f", "yaml").returncode == 2


# -- query parameters -----------------------------------------------------------------------------


@pytest.mark.parametrize("args, hints", [
    (("provinces-by-sector", "sector=logistic"), ["did you mean logistics?", "`dtkg vocab sector`"]),
    (("provinces-by-sector", "sector=HEATH"), ["did you mean health?"]),
    (("directives", "status=adoptd"), ["did you mean adopted?", "`dtkg vocab status`"]),
    (("directives", "type=reslution"), ["did you mean resolution", "`dtkg vocab document-type`"]),
    (("officials", "province=Ha Tnh"), ["did you mean Hà Tĩnh?"]),
    (("sectors-by-province", "province=tuyen qang"), ["did you mean Tuyên Quang?"]),
    (("officials", "provice=Hà Tĩnh"), ["has no parameter 'provice'; did you mean province?"]),
    (("provinces-by-sectr", "sector=logistics"), ["did you mean provinces-by-sector?"]),
])
def test_a_misspelt_name_gets_a_suggestion(run, args, hints):
    out = run("query", *args)
    assert out.returncode == 2 and out.stderr.count("\n") == 1, out.stderr
    for hint in hints:
        assert hint in out.stderr


def test_no_suggestion_when_nothing_is_near(run):
    out = run("query", "provinces-by-sector", "sector=basket weaving")
    assert out.returncode == 2 and "did you mean" not in out.stderr and "`dtkg vocab sector`" in out.stderr


def test_a_document_not_in_the_graph_gets_a_notice_and_its_other_form(run):
    wrong_form = run("query", "implementation-chain", "document=52/NQ-TW", "-f", "csv")
    assert wrong_form.returncode == 0 and len(_csv(wrong_form.stdout)) == 0
    assert wrong_form.stderr == ("dtkg: notice: document='52/NQ-TW': no act in the graph has this number or title; "
                                 "did you mean 52-NQ/TW?\n")
    missing = run("query", "document", "number=99-NQ/TW", "-f", "csv")
    assert missing.returncode == 0 and "number='99-NQ/TW': no act in the graph" in missing.stderr
    assert "did you mean" not in missing.stderr
    assert run("query", "implementation-chain", "document=52-nq/tw").stderr == ""  # any case, it is there


def test_a_document_that_nothing_implements_is_silent(run):
    lonely = _csv(run("sparql", "--format", "csv", "PREFIX eli: <http://data.europa.eu/eli/ontology#> "
                      "PREFIX dtkg: <https://w3id.org/dtkg/ontology#> SELECT ?n WHERE { ?x a dtkg:Directive ; "
                      "eli:id_local ?n FILTER NOT EXISTS { ?x eli:ensures_implementation_of|^eli:ensures_implementation_of ?y } }").stdout)
    assert lonely, "the seed graph has an act in no chain"
    out = run("query", "implementation-chain", f"document={lonely[0]['n']}", "-f", "csv")
    assert out.returncode == 0 and len(_csv(out.stdout)) == 0 and out.stderr == ""


# -- record fields --------------------------------------------------------------------------------


def test_a_misspelt_key_in_a_record_gets_a_suggestion(run, repo, tmp_path):
    text = (repo / "data" / "records" / "ha-tinh-2021-09-19.yaml").read_text("utf-8")
    assert "key: logistics," in text
    bad = tmp_path / "ha-tinh-2021-09-19.yaml"
    bad.write_text(text.replace("key: logistics,", "key: logistic,", 1), "utf-8")
    out = run("validate", str(bad))
    assert out.returncode == 1
    (line,) = [line for line in out.stdout.splitlines() if "vocab:sector/logistic" in line]
    assert line.endswith("; did you mean logistics? (all keys: `dtkg vocab sector`)")
