"""`dtkg extract`: the test articles in tests/articles/ (each NAME.txt beside NAME.expected.yaml),
the record format, evidence offsets, "never invent", input handling, evaluation and the CLI.

The articles are invented, written for these tests: provinces' directives in the styles of
provincial newspapers, in Vietnamese and English, in the encodings real files come in.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from pathlib import Path

import jsonschema
import pytest
import yaml

from kg.errors import InputError
from kg.evaluate import FIELDS, compare, evaluate, number_key, table
from kg.extract import dump_yaml, extract_article, extract_file, extract_path, extract_text, read_article, write_records
from kg.extract_base import Article, day_month_dates, full_dates, month_dates
from kg.extract_lexicon import load_lexicon
from kg.records import check_rules, schema
from kg.text import fold, normalize

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "tests" / "articles"
CASES = sorted(ARTICLES.glob("*.txt"))
EXPECTED_CASES = 13  # change when adding an article: a filter left in by mistake fails here


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon(ROOT)


def expected(path: Path) -> dict:
    return yaml.safe_load(path.with_name(path.stem + ".expected.yaml").read_text("utf-8"))


def quotes(node, where=""):
    """Every evidence quote object in a record, with where it is."""
    if isinstance(node, dict):
        if isinstance(node.get("quote"), str) and "start" in node:
            yield where, node
        for key, value in node.items():
            yield from quotes(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from quotes(value, f"{where}[{i}]")


def test_every_article_has_its_expected_record_and_the_count_is_right():
    assert len(CASES) == EXPECTED_CASES
    for path in CASES:
        assert path.with_name(path.stem + ".expected.yaml").exists(), path


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_article(path: Path, lexicon):
    want = expected(path)
    if "error" in want:
        with pytest.raises(InputError) as info:
            extract_file(path, lexicon=lexicon)
        assert want["error"] in str(info.value) and str(path) in str(info.value)
        assert info.value.exit_code == 2
        return
    result = extract_path(path, lexicon=lexicon)
    record = result.record
    # the record format, and the rules the loader checks beyond it
    jsonschema.Draft202012Validator(schema()).validate(record)
    assert list(check_rules(json.loads(json.dumps(record)))) == []
    # the expected record is a valid record too
    jsonschema.Draft202012Validator(schema()).validate(want["record"])
    # fact by fact, every field
    scores = compare(record, want["record"])
    differences = {name: (s.missed, s.wrong) for name, s in scores.items() if s.missed or s.wrong}
    assert differences == {}
    assert fold(record["province"]) == fold(want["record"]["province"])
    assert [w for w in result.warnings] == want.get("warnings", [])
    for note in want.get("notes_contain", []):
        assert note in record["notes"]


@pytest.mark.parametrize("path", [p for p in CASES if p.stem != "empty"], ids=lambda p: p.stem)
def test_every_quote_is_the_text_at_its_offsets(path: Path, lexicon):
    text = normalize(read_article(path))
    record = extract_file(path, lexicon=lexicon)
    found = list(quotes(record))
    assert found or not record["documents"]
    for where, q in found:
        assert text[q["start"]:q["end"]] == q["quote"], where


@pytest.mark.parametrize("path", [p for p in CASES if p.stem != "empty"], ids=lambda p: p.stem)
def test_never_invents(path: Path, lexicon):
    """Every number, name, year and date in the record can be found in the article."""
    text = normalize(read_article(path))
    folded_text = fold(text)
    record = extract_file(path, lexicon=lexicon)
    assert fold(record["province"]) in folded_text or "note" in record["evidence"]["province"]
    for doc in record["documents"]:
        if doc.get("number"):
            assert doc["number"] in text
        for key in ("date", "meeting_date", "planned_date"):
            if doc.get(key):
                assert_date_stated(str(doc[key]), doc["evidence"][key], text)
        for year in list((doc.get("period") or {}).values()) + [doc.get("year")]:
            if year:
                assert str(year) in text
        for target in doc.get("targets", []):
            for key in ("value", "deadline", "start"):
                if isinstance(target.get(key), (int, float)):
                    assert str(target[key]) in text
            if isinstance(target.get("value"), str):
                assert fold(target["value"]) in fold(target["quote"]["quote"])
        for sector in doc.get("sectors", []):
            assert " ".join(sector["as_written"].split()) in " ".join(Article(text).masked.split())
    for official in record.get("officials", []):
        assert official["name"] in text
        for role_title in official["title"].split(", "):
            assert " ".join(role_title.split()) in " ".join(Article(text).masked.split())


MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december"]


def assert_date_stated(value: str, evidence: dict, text: str) -> None:
    """Day and month stand in the quote (as digits or an English month name); the year too, or
    the evidence says it comes from the dateline, which holds it."""
    quote = fold(evidence["quote"])
    numbers = {int(x) for x in re.findall(r"\d+", quote)}
    year, *rest = [int(p) for p in value.split("-")]
    if rest:
        month = rest[0]
        assert month in numbers or MONTHS[month - 1] in quote or MONTHS[month - 1][:3] in quote, (value, quote)
    if len(rest) == 2:
        assert rest[1] in numbers, (value, quote)
    if year not in numbers:
        assert "dateline" in evidence.get("note", "") or "article's date" in evidence.get("note", ""), (value, quote)
        assert str(year) in text


# --- input handling ---------------------------------------------------------------------------------


VI_ARTICLE = """Tỉnh ủy Hòa Bình ban hành Nghị quyết về chuyển đổi số

16/11/2021

Ngày 15/11/2021, Ban Chấp hành Đảng bộ tỉnh Hòa Bình ban hành Nghị quyết số 09-NQ/TU về chuyển đổi số tỉnh Hòa Bình giai đoạn 2021 - 2025. Đồng chí Bùi Văn Tám, Chủ tịch UBND tỉnh, Thủy Lợi.
"""


def test_unicode_forms_line_endings_and_bom_give_the_same_record(lexicon):
    """NFC, NFD, the other tone-mark placement (hoà, uỷ), CRLF and a BOM: one record."""
    variants = [
        VI_ARTICLE,
        unicodedata.normalize("NFD", VI_ARTICLE),
        VI_ARTICLE.replace("Hòa", "Hoà").replace("ủy", "uỷ").replace("Thủy", "Thuỷ"),
        "\ufeff" + VI_ARTICLE.replace("\n", "\r\n"),
    ]
    records = [extract_text(v, name="a.txt", lexicon=lexicon) for v in variants]
    assert records[0]["documents"][0]["number"] == "09-NQ/TU"
    assert records[0]["documents"][0]["date"] == "2021-11-15"
    for other in records[1:]:
        assert other == records[0]


def test_html_remnants_are_blanked_but_offsets_still_count_in_the_text(lexicon):
    html = "<p>Ngày 10/3/2022, UBND tỉnh <b>Lào&nbsp;Cai</b> ban hành Kế hoạch số 85/KH-UBND về chuyển đổi số năm 2022.</p>"
    record = extract_text(html, name="a.html", lexicon=lexicon)
    doc = record["documents"][0]
    assert (doc["number"], doc["date"], doc["issuer"]) == ("85/KH-UBND", "2022-03-10", "peoples-committee")
    assert fold(record["province"]) == "lao cai"
    for _, q in quotes(record):
        assert html[q["start"]:q["end"]] == q["quote"]


@pytest.mark.parametrize("written, value", [
    ("ngày 15/11/2021", "2021-11-15"),
    ("ngày 15-11-2021", "2021-11-15"),
    ("ngày 15 tháng 11 năm 2021", "2021-11-15"),
    ("on March 3, 2023", "2023-03-03"),
    ("on 3 March 2023", "2023-03-03"),
])
def test_date_formats(written, value):
    art = Article.from_raw(f"Ban hành {written}.")
    assert [d.value for d in full_dates(art)] == [value]


def test_partial_dates_and_months():
    art = Article.from_raw("Chiều ngày 17/9, hội nghị họp. Ban hành trong tháng 3/2021. On May 10, the board met.")
    assert [d.value for d in day_month_dates(art, 2021)] == ["2021-09-17", "2021-05-10"]
    assert [d.value for d in month_dates(art)] == ["2021-03"]
    assert list(full_dates(Article.from_raw("đạt tiêu chí 17.1 và 18.6; giai đoạn 2021-2025"))) == []


def test_criteria_numbers_are_neither_years_nor_ranks(lexicon):
    text = ("Ban Thường vụ Tỉnh ủy Hà Nam vừa ban hành Chỉ thị số 27-CT/TU về chuyển đổi số. Chỉ thị phấn đấu "
            "đến năm 2025 có 90% số xã đạt tiêu chí 17.1; chỉ số chuyển đổi số thuộc nhóm 15 tỉnh dẫn đầu cả nước.")
    doc = extract_text(text, name="a.txt", lexicon=lexicon)["documents"][0]
    assert [(t["metric"], t["comparator"], t["value"], t["deadline"]) for t in doc["targets"]] == \
        [("dti", "top-n", 15, 2025)]
    assert "17" not in json.dumps(doc["targets"]) and "period" not in doc


def test_province_falls_back_to_the_publisher_and_says_so(lexicon):
    text = "UBND tỉnh ban hành Kế hoạch số 12/KH-UBND ngày 02/3/2023 về chuyển đổi số năm 2023."
    record = extract_text(text, name="a.txt", publisher="Báo Lạng Sơn", lexicon=lexicon)
    assert record["province"] == "Lạng Sơn"
    assert "publisher" in record["notes"]
    unknown = extract_article(text, name="a.txt", lexicon=lexicon)
    assert unknown.record["province"] == "unknown" and any("province" in w for w in unknown.warnings)


def test_a_province_named_in_capitals_or_in_passing_is_not_preferred(lexicon):
    text = ("TỈNH QUẢNG NGÃI\n\nBan Thường vụ Tỉnh ủy vừa ban hành Chỉ thị số 19-CT/TU về chuyển đổi số tỉnh "
            "Quảng Ngãi. Đoàn công tác tỉnh Kon Tum đến thăm. Hòa bình là khát vọng.")
    record = extract_text(text, name="a.txt", lexicon=lexicon)
    assert record["province"] == "Quảng Ngãi"
    assert record["evidence"]["province"]["quote"] == "tỉnh Quảng Ngãi"


def test_an_abbreviated_province_resolves_to_the_reference_name(lexicon):
    text = ("HCM City (VNS) - The municipal People's Committee has issued Decision No. 2560/QD-UBND approving "
            "the city's digital transformation programme for 2021-2025, with a vision to 2030.")
    record = extract_text(text, name="a.txt", published="2022-03-03", lexicon=lexicon)
    assert record["province"] == "Hồ Chí Minh"
    assert record["evidence"]["province"]["quote"] == "HCM City" and "note" in record["evidence"]["province"]
    doc = record["documents"][0]
    assert (doc["type"], doc["issuer"], doc["period"]) == ("decision", "peoples-committee", {"start": 2021, "end": 2025, "vision": 2030})


def test_another_provinces_act_is_left_out_with_a_note(lexicon):
    text = ("Đoàn công tác tỉnh Tuyên Quang học tập kinh nghiệm tại tỉnh Quảng Ninh. Lãnh đạo tỉnh Quảng Ninh giới "
            "thiệu Nghị quyết số 09-NQ/TU ngày 5/2/2022 của Ban Chấp hành Đảng bộ tỉnh Quảng Ninh về chuyển đổi số. "
            "Tỉnh Quảng Ninh dẫn đầu cả nước. Tuyên Quang sẽ triển khai Nghị quyết số 48-NQ/TU của Tỉnh ủy Tuyên Quang "
            "về chuyển đổi số.")
    record = extract_text(text, name="a.txt", lexicon=lexicon)
    assert record["province"] == "Quảng Ninh"
    assert [d["number"] for d in record["documents"]] == ["09-NQ/TU"]
    assert "48-NQ/TU is an act of Tuyên Quang" in record["notes"]


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"\xef\xbb\xbf  \r\n", "empty"),
    (b"\xff\xfe\x00T\x00h", "binary"),
    ("Nghị quyết".encode("cp1258", errors="replace") + b"\xe9\xe0", "not UTF-8"),
])
def test_unreadable_files_raise_input_error(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as info:
        extract_file(path)
    assert info.value.exit_code == 2 and str(path) in str(info.value)


def test_a_folder_or_missing_file_is_an_input_error(tmp_path):
    for path in (tmp_path, tmp_path / "missing.txt"):
        with pytest.raises(InputError):
            extract_file(path)


# --- output -------------------------------------------------------------------------------------------


def test_write_records_is_atomic_readable_yaml(tmp_path, lexicon):
    record = extract_file(ARTICLES / "vi-typo-soc-trang.txt", lexicon=lexicon)
    [path] = write_records([record], tmp_path / "out")
    assert path.name == "vi-typo-soc-trang.yaml"
    assert sorted(p.name for p in path.parent.iterdir()) == ["vi-typo-soc-trang.yaml"]  # no temp file left
    text = path.read_text("utf-8")
    assert "Sóc Trăng" in text and "\\u" not in text  # allow_unicode
    assert yaml.safe_load(text) == record
    assert dump_yaml(record) == text


def test_an_article_without_a_directive_is_an_empty_record_with_a_warning(lexicon):
    result = extract_article("Sáng 10/10, người dân Nghệ An dự Ngày hội chuyển đổi số.", name="a.txt", lexicon=lexicon)
    assert result.record["documents"] == []
    assert result.warnings == ["no directive on digital transformation found; the record is empty"]
    jsonschema.Draft202012Validator(schema()).validate(result.record)


def test_speed(lexicon):
    """1,000 articles in well under a minute: here 100 of the test articles in under 6 s."""
    texts = [read_article(p) for p in CASES if p.stem != "empty"]
    start = time.perf_counter()
    for k in range(100):
        extract_article(texts[k % len(texts)], name="a.txt", lexicon=lexicon)
    assert time.perf_counter() - start < 6


# --- evaluation ---------------------------------------------------------------------------------------


def test_number_keys_ignore_case_diacritics_and_separators():
    assert number_key("48-NQ/TU") == number_key("48/nq-tu") == number_key("48-NQ/TƯ") == "48nqtu"
    assert number_key("749/QĐ-TTg") == "749qdttg"


def test_evaluation_counts_facts_per_field():
    curated = yaml.safe_load((ARTICLES / "vi-crlf-bom-lao-cai.expected.yaml").read_text("utf-8"))["record"]
    scores = evaluate([(curated, curated)])
    assert all(s.fp == 0 and s.fn == 0 for s in scores.values())
    assert scores["numbers"].tp == 2 and scores["sectors"].tp == 5
    worse = json.loads(json.dumps(curated))
    worse["documents"][0]["sectors"].pop()
    worse["documents"][1]["status"] = "planned"
    worse["documents"].append({"ref": "x", "number": "1/QĐ-UBND", "type": "decision", "issuer": "peoples-committee", "evidence": {}})
    scores = compare(worse, curated)
    assert (scores["sectors"].tp, scores["sectors"].fn) == (4, 1)
    assert (scores["status"].fp, scores["status"].fn) == (1, 1)
    assert scores["numbers"].fp == 1
    assert "| sectors |" in table(scores) and set(scores) == set(FIELDS)


# --- the command ----------------------------------------------------------------------------------------


class Done:
    def __init__(self, proc):
        self.exit_code, self.stdout, self.stderr = proc.returncode, proc.stdout, proc.stderr
        self.output = proc.stdout + proc.stderr


def run_cli(*args):
    """The command as a user runs it: its own process, exit code and streams."""
    import subprocess
    import sys
    return Done(subprocess.run([sys.executable, "-m", "kg.cli", *args], cwd=ROOT, capture_output=True,
                               text=True, timeout=120))


def test_cli_writes_one_draft_per_article(tmp_path):
    out = tmp_path / "drafts"
    result = run_cli("extract", str(ARTICLES / "vi-crlf-bom-lao-cai.txt"), str(ARTICLES / "en-binh-duong-draft.txt"), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["en-binh-duong-draft.yaml", "vi-crlf-bom-lao-cai.yaml"]
    record = yaml.safe_load((out / "vi-crlf-bom-lao-cai.yaml").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema()).validate(record)


def test_cli_json_prints_the_records():
    result = run_cli("extract", str(ARTICLES / "vi-typo-soc-trang.txt"), "--format", "json")
    assert result.exit_code == 0
    records = json.loads(result.stdout)
    assert [r["id"] for r in records] == ["vi-typo-soc-trang"]


def test_cli_empty_file_exits_2_with_one_line_and_no_traceback(tmp_path):
    result = run_cli("extract", str(ARTICLES / "empty.txt"), str(ARTICLES / "vi-typo-soc-trang.txt"), "-o", str(tmp_path))
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if "empty.txt" in line]
    assert lines == [f"dtkg: error: {ARTICLES / 'empty.txt'}: file is empty; expected the text of an article"]
    assert "Traceback" not in result.output
    assert (tmp_path / "vi-typo-soc-trang.yaml").exists()  # the readable one is still extracted


def test_cli_yaml_needs_an_output_folder():
    result = run_cli("extract", str(ARTICLES / "vi-typo-soc-trang.txt"))
    assert result.exit_code == 2 and "-o DIR" in result.output


def test_a_target_without_value_or_year_is_left_out_with_a_note(lexicon):
    """The graph's rule: a metric alone is not a target. The reviewer is told what was dropped."""
    text = ("Ngày 3/3/2023, Tỉnh ủy Long An ban hành Nghị quyết số 07-NQ/TU về chuyển đổi số. Nghị quyết "
            "đặt mục tiêu đưa tỉnh vào nhóm dẫn đầu khu vực miền Nam về chỉ số chuyển đổi số.")
    record = extract_text(text, name="a.txt", lexicon=lexicon)
    assert "targets" not in record["documents"][0]
    assert "A target without a value or a year was left out" in record["notes"]
