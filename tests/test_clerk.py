"""What a clerk sees when a record repeats, in another form, what the graph holds, or when its
format is broken: plain messages in both languages, a YAML error on the line where the broken
construct starts, format and shape problems in one run, and quotes checked with --corpus."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO, built_copy

from kg.base.errors import InputError
from kg.records.reader import parse

BAD = REPO / "tests" / "bad_inputs"
HELD = REPO / "benchmarks" / "heldout"
ARTICLE = "binh-dinh-2022-03-14"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> tuple[Path, Path]:
    return built_copy(tmp_path_factory.mktemp("clerk"))


def dtkg(workspace, *args: str) -> tuple[int, str, str]:
    root, store = workspace
    env = {**os.environ, "DTKG_ROOT": str(root), "DTKG_STORE": str(store)}
    proc = subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, env=env, cwd=root)
    assert "Traceback" not in proc.stdout + proc.stderr
    return proc.returncode, proc.stdout, proc.stderr


# -- format and shapes in one run, in plain words -------------------------------------------------

def test_format_and_shape_problems_come_in_one_run(workspace):
    path = BAD / "format-and-shape.yaml"
    code, out, _ = dtkg(workspace, "validate", str(path))
    assert code == 1
    assert f"{path}:21: violation: [RecordSchema] documents.0.date" in out  # the format problem
    assert f"{path}:24: violation: [Directive-sector]" in out                # and the shape problem
    assert out.strip().splitlines()[-1] == "2 violations, 0 warnings in 1 file"


def test_a_bad_date_says_the_form_in_both_languages_not_a_regular_expression(workspace):
    code, out, _ = dtkg(workspace, "validate", str(BAD / "date-slashes.yaml"))
    assert code == 1
    assert "expected YYYY-MM-DD, YYYY-MM or YYYY, e.g. 2022-11-09" in out
    assert "cần YYYY-MM-DD, YYYY-MM hoặc YYYY, ví dụ 2022-11-09" in out
    assert "[0-9]" not in out and "bản ghi không đúng định dạng" not in out  # no pattern, no generic text


def test_a_comma_that_split_a_value_in_braces_is_named_as_such(workspace, tmp_path):
    """`{as_written: dịch vụ, đô thị thông minh, …}` is valid YAML with a key 'đô thị thông minh'
    and no value: jsonschema's "Additional properties are not allowed" did not say why."""
    text = (REPO / "tests" / "seed" / "vinh-phuc-2021-04-28.yaml").read_text("utf-8")
    assert "as_written: dịch vụ đô thị thông minh," in text
    path = tmp_path / "vinh-phuc-2021-04-28.yaml"
    path.write_text(text.replace("as_written: dịch vụ đô thị thông minh,", "as_written: dịch vụ, đô thị thông minh,"), "utf-8")
    code, out, _ = dtkg(workspace, "validate", str(path))
    line = next(line for line in out.splitlines() if "'đô thị thông minh'" in line)
    assert code == 1 and "a comma in an unquoted value starts a new key, so put that value in quotes" in line
    assert line.startswith(f"{path}:{text[:text.index('as_written: dịch vụ đô thị')].count(chr(10)) + 1}:")


@pytest.mark.parametrize("text, line, what", [
    ('a: 1\nb: "open\nc: 2\n', 2, "unclosed double quote"),
    ("a: 1\nb: 'it''s open\nc: 2\n", 2, "unclosed single quote"),
    ("a: [1, 2\nb: 1\n", 1, "unclosed bracket ["),
    ("a: {quote: x, note: y\nb: 1\n", 1, "unclosed brace {"),
    ("a:\n  - x\n  - \"y\n  - z\n", 3, "unclosed double quote"),
    ("a: 1\n\tb: 2\n", 2, "a tab; YAML indents with spaces only"),
    ("a: 1\n  b: 2\n", 2, "a colon and space inside an unquoted value"),
])
def test_a_yaml_error_points_at_the_construct_that_broke(tmp_path, text, line, what):
    path = tmp_path / "r.yaml"
    with pytest.raises(InputError) as error:
        parse(path, text)
    assert error.value.where.startswith(f"{path}:{line}:"), error.value.where
    assert what in error.value.message


def test_a_quoted_value_over_several_lines_is_still_read(tmp_path):
    assert parse(tmp_path / "r.yaml", 'a: "one\n   two"\nb: [1,\n    2]\n') == {"a": "one two", "b": [1, 2]}


# -- look-alikes: warnings that name what is already there ---------------------------------------

def _copy_of_seed(tmp_path: Path, new_id: str, old: str, new: str) -> Path:
    text = (REPO / "tests" / "seed" / "tuyen-quang-2022-04-22.yaml").read_text("utf-8")
    assert old in text
    path = tmp_path / f"{new_id}.yaml"
    path.write_text(text.replace("id: tuyen-quang-2022-04-22", f"id: {new_id}").replace(old, new), "utf-8")
    return path


def test_a_number_in_another_form_and_the_same_source_are_named(workspace, tmp_path):
    path = _copy_of_seed(tmp_path, "tuyen-quang-again", "48-NQ/TU", "48/NQ-TU")
    code, out, _ = dtkg(workspace, "validate", str(path))
    assert code == 0, out  # warnings: the clerk decides
    assert "warning: [Number-lookalike] number 48/NQ-TU differs only in its form from 48-NQ/TU" in out
    assert "(record tuyen-quang-2022-04-22)" in out
    assert "warning: [Number-form] number 48/NQ-TU is in the State form" in out and "48-NQ/TU?" in out
    assert ("warning: [Source-duplicate] the same source (file tuyen-quang-2022-04-22.txt) is already recorded as "
            "tuyen-quang-2022-04-22 (data/records/tuyen-quang-2022-04-22.yaml)") in out


def test_the_record_itself_is_not_its_own_look_alike(workspace):
    root, _ = workspace
    code, out, _ = dtkg(workspace, "validate", str(root / "data" / "records" / "tuyen-quang-2022-04-22.yaml"))
    assert code == 0
    assert "lookalike" not in out and "Source-duplicate" not in out and "Number-form" not in out


def test_a_state_act_numbered_in_the_party_form_is_named(workspace, tmp_path):
    path = _copy_of_seed(tmp_path, "tuyen-quang-state", "55/KH-UBND", "55-KH/UBND")
    code, out, _ = dtkg(workspace, "validate", str(path))
    assert "number 55-KH/UBND is in the Party form (N-XX/YY) but its issuer is a State body" in out
    assert "55/KH-UBND?" in out


# -- quotes, when the source text is at hand --------------------------------------------------------

def test_validate_with_corpus_checks_quotes(workspace, tmp_path):
    record = HELD / f"{ARTICLE}.expected.yaml"
    code, out, _ = dtkg(workspace, "validate", str(record), "--corpus", str(HELD))
    assert "[Quote]" not in out
    altered = tmp_path / "corpus"
    altered.mkdir()
    text = (HELD / f"{ARTICLE}.txt").read_text("utf-8")
    (altered / f"{ARTICLE}.txt").write_text(text.replace("Bình Định", "Binh Dinh"), "utf-8")
    code, out, _ = dtkg(workspace, "validate", str(record), "--corpus", str(altered))
    assert code == 1
    assert f"violation: [Quote] quote not found verbatim in {ARTICLE}.txt" in out


def test_validate_with_corpus_says_when_the_source_is_not_there(workspace, tmp_path):
    code, out, _ = dtkg(workspace, "validate", str(HELD / f"{ARTICLE}.expected.yaml"), "--corpus", str(tmp_path))
    assert f"info: [Quote] quotes not checked: the source file {ARTICLE}.txt is not in {tmp_path}" in out


def test_add_with_corpus_refuses_a_quote_that_is_not_in_the_source(workspace, tmp_path):
    root, _ = workspace
    shutil.copy(HELD / f"{ARTICLE}.txt", tmp_path / f"{ARTICLE}.txt")
    (tmp_path / f"{ARTICLE}.txt").write_text("nothing of it", "utf-8")
    before = sorted(p.name for p in (root / "data" / "records").iterdir())
    code, _, err = dtkg(workspace, "add", str(HELD / f"{ARTICLE}.expected.yaml"), "--corpus", str(tmp_path))
    assert code == 1 and "[Quote]" in err and "nothing was added" in err
    assert sorted(p.name for p in (root / "data" / "records").iterdir()) == before
