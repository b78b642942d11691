"""How good `dtkg extract`'s first drafts were on the real web pages curated into data/records.

    python benchmarks/eval_web.py PAGES_DIR [--records data/records] [--out benchmarks/extraction-web.md]

PAGES_DIR holds the text each curator read, one `{record-id}.txt` per web record (kept outside
the repository: it is third-party text). Each page is extracted as a clerk would (`dtkg extract`)
and the draft's acts are compared with the final, reviewed record: numbers found (precision,
recall, F1), and for the numbers found, how often the draft's date and type were the record's.
A plain regular expression for numbers is scored beside it. Prints the table and writes the report.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
import zlib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.extract.scoring import BASELINE as NUMBER  # noqa: E402  the baseline, shared with eval_heldout
from kg.extract.scoring import evaluate, numbered_accuracy  # noqa: E402


def norm(number: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", number))


def acts(record: dict) -> dict[str, dict]:
    return {norm(d["number"]): d for d in record.get("documents", []) if d.get("number")}


def date_of(doc: dict) -> str | None:
    for key in ("date", "year"):
        if doc.get(key):
            return str(doc[key])
    return None


def part_of(stem: str) -> str:
    """The half a page belongs to, fixed by its name: `test` pages are scored, never read for rules."""
    return "test" if zlib.crc32(stem.encode("utf-8")) % 2 else "dev"


def f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate_all(fields: dict) -> float:
    """Micro-averaged F1 over every field's facts, as the blind sets' "all facts" row."""
    tp = sum(x.tp for x in fields.values())
    fp = sum(x.fp for x in fields.values())
    fn = sum(x.fn for x in fields.values())
    return f1(tp, fp, fn)[2]


def score(pairs: list[tuple[Path, dict]], by_page: dict[str, dict]) -> tuple[list[tuple[str, str, str]], list[str]]:
    """The table's rows (measure, dtkg extract, regex baseline) for these pages, and the acts missed."""
    tp = fp = fn = btp = bfp = bfn = dates = types = 0
    misses: list[str] = []
    for page, record in pairs:
        want = acts(record)
        got = acts(by_page.get(page.stem) or {})
        text = unicodedata.normalize("NFC", page.read_text("utf-8"))
        baseline = {norm(m) for m in NUMBER.findall(text)}
        tp += len(want.keys() & got.keys())
        fp += len(got.keys() - want.keys())
        fn += len(want.keys() - got.keys())
        btp += len(want.keys() & baseline)
        bfp += len(baseline - want.keys())
        bfn += len(want.keys() - baseline)
        for number in sorted(want.keys() & got.keys()):
            dates += date_of(want[number]) == date_of(got[number])
            types += want[number].get("type") == got[number].get("type")
        misses += [f"{page.stem}: missed {number}" for number in sorted(want.keys() - got.keys())]
    scored = [(by_page.get(page.stem) or {}, record) for page, record in pairs]
    fields = evaluate(scored)
    links = fields["implements"]
    own = numbered_accuracy(scored)["date"]
    p, r, f = f1(tp, fp, fn)
    bp, br, bf = f1(btp, bfp, bfn)
    found = tp or 1
    rows = [
        ("pages", f"{len(pairs)}", f"{len(pairs)}"),
        ("acts in the final records", f"{tp + fn}", f"{btp + bfn}"),
        ("numbers: precision", f"{p:.2f}", f"{bp:.2f}"),
        ("numbers: recall", f"{r:.2f}", f"{br:.2f}"),
        ("numbers: F1", f"{f:.2f}", f"{bf:.2f}"),
        ("date right (date or year), of numbers found", f"{dates / found:.0%}", "—"),
        ("own date right (date, meeting, planned date or year), of numbers found", f"{own[0] / (own[1] or 1):.0%}", "—"),
        ("type right, of numbers found", f"{types / found:.0%}", "—"),
        ("implements: links recorded", f"{links.tp + links.fn}", "—"),
        ("implements: precision", f"{links.precision or 0:.2f}", "—"),
        ("implements: recall", f"{links.recall or 0:.2f}", "—"),
        ("implements: F1", f"{links.f1 or 0:.2f}", "—"),
        ("province F1", f"{fields['province'].f1 or 0:.2f}", "—"),
        ("officials F1", f"{fields['officials'].f1 or 0:.2f}", "—"),
        ("all facts F1 (every field of the scorer)", f"{evaluate_all(fields):.2f}", "—"),
    ]
    return rows, misses


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", type=Path)
    parser.add_argument("--records", type=Path, default=ROOT / "data" / "records")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "extraction-web.md")
    parser.add_argument("--part", choices=("all", "dev", "test"), default="all",
                        help="score half the pages: dev (rules may be written from them) or test (never read for rules)")
    parser.add_argument("--drafts", type=Path, help="score the JSON drafts in this folder instead of extracting")
    args = parser.parse_args(argv)
    pairs = []
    for page in sorted(args.pages.glob("*.txt")):
        if args.part != "all" and part_of(page.stem) != args.part:
            continue
        record_path = args.records / (page.stem + ".yaml")
        if record_path.is_file():
            pairs.append((page, yaml.safe_load(record_path.read_text("utf-8"))))
    if not pairs:
        print(f"eval_web: no page in {args.pages} has a record in {args.records}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as out:
        out = str(args.drafts) if args.drafts else out
        for i in range(0, 0 if args.drafts else len(pairs), 100):
            chunk = [str(p) for p, _ in pairs[i:i + 100]]
            subprocess.run([sys.executable, "-m", "kg.cli", "extract", *chunk, "-o", out, "-f", "json"],
                           check=False, capture_output=True, text=True, cwd=ROOT)
        by_page = {}  # a draft names the page it was made from in source.file
        for path in Path(out).glob("*.json"):
            data = json.loads(path.read_text("utf-8"))
            by_page[Path(str(data.get("source", {}).get("file", ""))).stem] = data
    rows, misses = score(pairs, by_page)
    halves = {h: score([x for x in pairs if part_of(x[0].stem) == h], by_page)[0] for h in ("dev", "test")} \
        if args.part == "all" else {}
    head = "| measure | dtkg extract | regex baseline |" + "".join(f" {h} half |" for h in halves)
    lines = [head, "|---|---:|---:|" + "---:|" * len(halves)]
    for k, (name, got, base) in enumerate(rows):
        lines.append(f"| {name} | {got} | {base} |" + "".join(f" {halves[h][k][1]} |" for h in halves))
    table = "\n".join(lines)
    print(table)
    report = f"""# `dtkg extract` on real web pages

Made by `python benchmarks/eval_web.py PAGES_DIR` over the pages curated into `data/records/`
during the coverage campaign: each page's text (kept outside the repository: it is third-party
text) was extracted, and the draft is compared here with the reviewed record, with the same
scorer as the blind sets (`kg/extract/scoring.py`). A precision below 1 counts the acts and links
a page names that the curator did not record (off-topic acts, laws a decision rests on), so it is
a floor, not an error rate. The curators wrote these records for the graph, not for the extractor.

The pages are split in two halves by a hash of their names (`part_of`): rules may be written from
the **dev** half; the **test** half is scored, never read for rules (see `blind.md`).

{table}

Numbers are compared after Unicode NFC and with spaces removed; a date is right when it is the
record's own date (or year) exactly; the baseline is one regular expression for number shapes.

## Acts the drafts missed

""" + "\n".join(f"- {m}" for m in misses[:200]) + ("\n- …\n" if len(misses) > 200 else "\n")
    args.out.write_text(report, "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
