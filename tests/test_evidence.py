"""check-quotes: a quote that is not verbatim in the source is caught, with its line."""

import subprocess
import sys
import unicodedata

from kg.records.quotes import check
from kg.records.reader import load

ARTICLE = "Chiều 22-4, tỉnh X tổ chức Hội nghị quán triệt Nghị quyết số 7-NQ/TU ngày 15-11-2021.\n"
RECORD = """record: 1
id: x-2022
source: {kind: article, file: x.txt, published: 2022-04-22}
province: Hà Tĩnh
documents:
  - ref: nq-7
    number: 7-NQ/TU
    type: resolution
    issuer: party-executive-committee
    date: 2021-11-15
    evidence:
      number: Nghị quyết số 7-NQ/TU
      type: {quote: Nghị quyết số 7-NQ/TU, start: %d, end: %d}
      issuer: Ban Chấp hành Đảng bộ tỉnh
      date: ngày 15-11-2021
"""


def write(tmp_path, start, end):
    (tmp_path / "x.txt").write_text(unicodedata.normalize("NFD", ARTICLE), "utf-8")
    (tmp_path / "x.yaml").write_text(RECORD % (start, end), "utf-8")
    return load(tmp_path / "x.yaml")


def test_missing_quote_and_bad_offsets_are_reported(tmp_path):
    at = ARTICLE.index("Nghị quyết số")
    record = write(tmp_path, at + 1, at + 22)
    problems = check(record, tmp_path)
    assert [p.path for p in problems] == [("documents", 0, "evidence", "type"), ("documents", 0, "evidence", "issuer")]
    assert "not found verbatim" in problems[1].message and f"it is at {at}–{at + 21}" in problems[0].message


def test_correct_offsets_pass_on_nfd_source(tmp_path):
    at = ARTICLE.index("Nghị quyết số")
    record = write(tmp_path, at, at + 21)
    assert len(check(record, tmp_path)) == 1  # only the invented issuer quote


def test_command_exits_1_and_names_the_line(tmp_path, repo):
    at = ARTICLE.index("Nghị quyết số")
    write(tmp_path, at, at + 21)
    done = subprocess.run([sys.executable, "-m", "kg.cli", "check-quotes", str(tmp_path / "x.yaml"), "--corpus", str(tmp_path)],
                          cwd=repo, capture_output=True, text=True)
    assert done.returncode == 1
    assert f"{tmp_path / 'x.yaml'}:14: violation: [Quote] quote not found verbatim" in done.stdout
