"""Score `dtkg extract` on held-out articles: folders of NAME.txt with hand-written NAME.expected.yaml.

    python benchmarks/eval_heldout.py FOLDER [FOLDER ...] [--out benchmarks/heldout.md] [--keep DIR] [--drafts DIR]

Runs the command-line extractor (`dtkg extract FILES -o DIR`, in a subprocess, exactly as a user
would) on every NAME.txt that has a NAME.expected.yaml beside it, reads the drafts it writes, and
compares them with the expected records field by field with `kg/extract/scoring.py` (the same facts and
document alignment as benchmarks/eval_extract.py). Writes a Markdown report: the micro-averaged
table (with the regex baseline's number F1 in the same table, and of the numbered acts found the
share with the right type, issuer and date), a table per article, and every missed (−) and extra
(+) fact. Numbers count every act, `about_dt: false` ones too. No timing.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.extract.scoring import (Score, accuracy_table, compare, differences, evaluate, numbered_accuracy,  # noqa: E402
                                score_baseline, table)
from kg.records.reader import parse, read_text  # noqa: E402


def _pairs(folder: Path) -> list[tuple[Path, Path]]:
    out = []
    for expected in sorted(folder.glob("*.expected.yaml")):
        article = folder / (expected.name[: -len(".expected.yaml")] + ".txt")
        if article.exists():
            out.append((article, expected))
    return out


def _extract(articles: list[Path], out: Path) -> dict[str, dict]:
    """article file name → the draft record `dtkg extract` wrote for it."""
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "extract", *map(str, articles), "-o", str(out)],
                          cwd=ROOT, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"dtkg extract failed (exit {proc.returncode})")
    return _read_drafts(out)


def _read_drafts(out: Path) -> dict[str, dict]:
    """article file name → the draft in folder `out` whose source.file names it."""
    drafts = {}
    for path in sorted(out.glob("*.yaml")):
        record = parse(path, read_text(path))
        drafts[(record.get("source") or {}).get("file") or path.stem + ".txt"] = record
    return drafts


def _f(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", type=Path, nargs="+", help="folders of NAME.txt + NAME.expected.yaml")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "heldout.md")
    ap.add_argument("--keep", type=Path, help="keep the extracted drafts in this folder")
    ap.add_argument("--drafts", type=Path,
                    help="score the drafts already in this folder (e.g. made by an older version) instead of extracting")
    args = ap.parse_args(argv)

    pairs = [pair for folder in args.folders for pair in _pairs(folder)]
    if not pairs:
        print(f"no NAME.txt + NAME.expected.yaml pairs in {' '.join(map(str, args.folders))}", file=sys.stderr)
        return 2
    names = [a.name for a, _ in pairs]
    if len(set(names)) < len(names):
        print("two articles share a file name across the folders; expected each NAME.txt once", file=sys.stderr)
        return 2
    if args.drafts:
        drafts = _read_drafts(args.drafts)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            out = args.keep or Path(tmp)
            out.mkdir(parents=True, exist_ok=True)
            drafts = _extract([a for a, _ in pairs], out)

    scored, per_article, baseline = [], [], Score()
    for article, expected_path in pairs:
        expected = parse(expected_path, read_text(expected_path))
        score_baseline(read_text(article), expected, baseline)
        extracted = drafts.get(article.name)
        if extracted is None:  # no draft at all: every expected fact is a miss
            extracted = {"id": expected.get("id"), "documents": []}
        scored.append((extracted, expected))
        one = compare(extracted, expected)
        tp = sum(s.tp for s in one.values())
        fp = sum(s.fp for s in one.values())
        fn = sum(s.fn for s in one.values())
        total = Score(tp, fp, fn)
        per_article.append((article.name, total))
    scores = evaluate(scored)

    def shown(folder: Path) -> str:
        try:
            return str(folder.resolve().relative_to(ROOT))
        except ValueError:
            return str(folder)
    folder = ", ".join(f"`{shown(f)}/`" for f in args.folders)
    command = f"python benchmarks/eval_heldout.py {' '.join(shown(f) for f in args.folders)}"
    accuracy = accuracy_table(numbered_accuracy(scored))
    main_table = table(scores, {"numbers": baseline})
    lines = [
        "# Extraction on held-out articles",
        "",
        "Written by `benchmarks/eval_heldout.py`; do not edit by hand. Regenerate with:",
        "",
        "```",
        command,
        "```",
        "",
        f"`dtkg extract` run on the {len(pairs)} invented articles in {folder} (see the README there: who "
        "wrote them and what they had read), its drafts compared "
        "with the hand-written `*.expected.yaml` beside each article by `kg/extract/scoring.py` — the same facts "
        "and document alignment as `benchmarks/extraction.md`, whose five articles the rules were written "
        "against. Precision, recall and F1 are micro-averaged over all facts of all articles. What the "
        "differences mean (failure patterns, readings that are defensible) is in the folder's README.",
        "",
        main_table,
        "",
        "The regex baseline is one regular expression for number shapes (`kg/extract/scoring.py`, "
        "`BASELINE`); it finds numbers only. Numbers count every act the expected record lists, those "
        "marked `about_dt: false` too.",
        "",
        accuracy,
        "",
        "## Per article (all fields)",
        "",
        "| article | precision | recall | F1 | correct | extracted | expected |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, s in per_article:
        lines.append(f"| `{name}` | {_f(s.precision)} | {_f(s.recall)} | {_f(s.f1)} | {s.tp} | {s.tp + s.fp} | {s.tp + s.fn} |")
    lines += [
        "",
        "## Differences",
        "",
        "Facts in the expected record that the extractor missed (−) and facts it extracted that are not "
        "in the expected record (+). A document the extractor did not align with an expected one is "
        "shown as `extra:…`, and all its facts count as +.",
        "",
    ]
    lines += differences(scores)
    args.out.write_text("\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")
    print(main_table)
    print()
    print(accuracy)
    print()
    for name, s in per_article:
        print(f"{name}: P {_f(s.precision)} R {_f(s.recall)} F1 {_f(s.f1)}")
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
