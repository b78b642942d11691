"""Score `dtkg extract` against the curated records, and time it.

    python benchmarks/eval_extract.py ../shared/corpus [--records data/records] [--out benchmarks/extraction.md]

For every curated record whose `source.file` is in the corpus folder, the article is extracted
and compared field by field (kg/extract/scoring.py). The speed is measured on the same articles
repeated to 1,000 extractions in one process, the gazetteers loaded once. Writes the Markdown
report (table, command, speed, every missed and wrong fact) and prints the table.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.extract.scoring import differences, evaluate, table  # noqa: E402
from kg.extract.draft import extract_article, read_article  # noqa: E402
from kg.extract.lexicon import load_lexicon  # noqa: E402
from kg.records.reader import parse, read_text  # noqa: E402

LIMITS = """\
## Read these scores with care

The five articles are the only curated ones, and the rules were written with them in view (no
rule names anything particular to one of them, but their wording was seen). Expect lower scores
on articles the extractor has never seen: see `heldout.md`, eight articles first measured blind (now a development set)
written by a reviewer who had not seen the rules. The test articles in `tests/articles/`
(invented, both languages, the encodings real files come in) pin the behaviour down; they score
100% by construction and are not a measure of quality.

## Where it still fails

- **Dates without a year.** `Chiều ngày 17/9`, `On May 10` take the year of a dateline at the
  top of the article. Without one (Hải Dương, Tuyên Quang) there is no meeting date, no published
  date and no dateline year; an act with no year makes the draft unmappable until a reviewer adds
  `source.published` (the extractor warns).
- **Unnumbered acts.** Mentions of one type are one act unless their titles, periods or issuers
  differ; a bare "Nghị quyết" is read as the last resolution named before it. Unnumbered central
  acts (a national strategy, a congress resolution) are left out on purpose: they cannot be told
  apart.
- **Issuers** come from votes in the text (`của X` after a mention; `X đã ban hành`/`thông qua`
  next to it; the nearest body before it). When the text names none, the usual issuer of the
  type is assumed and `notes` says so.
- **Sectors** are read from priority lists (`lĩnh vực … như/gồm: …`, `priority sectors such
  as …`), from prose after a priority verb (`ưu tiên`, `tập trung`, `give priority to`) and from
  titles. A sector named elsewhere ("chuyển đổi số trong nông nghiệp") is missed.
- **Targets** need a metric the vocabulary names and a comparator pattern (top N, leading group,
  a rank class, a percentage). Other wordings are missed ("hồ sơ trực tuyến toàn trình đạt 30%",
  "public services provided online"). A target with neither a value nor a year is left out, with
  a note, because the graph does not accept it. Quotes start at the deadline phrase and can be
  shorter than a curator's.
- **Officials** need a surname from the list in `kg/extract_lexicon.py` and a title next to the
  name; names of some minorities and foreign names are missed, academic titles are not kept, and
  posts below the province are `other`.
- **English** is covered by the same rules with English forms; fewer phrasings are known.
"""


def _time_cli(corpus: Path, names: list[str], runs: int) -> float:
    """Seconds for `dtkg extract FILES -o DIR` on `runs` copies of the articles."""
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for k in range(runs):
            name = names[k % len(names)]
            target = Path(tmp) / f"{Path(name).stem}-{k}.txt"
            shutil.copyfile(corpus / name, target)
            files.append(str(target))
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "kg.cli", "extract", *files, "-o", str(Path(tmp) / "out")],
                       cwd=ROOT, check=True, capture_output=True)
        return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path, help="folder holding the articles (e.g. ../shared/corpus)")
    ap.add_argument("--records", type=Path, default=ROOT / "data" / "records", help="curated records")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "extraction.md")
    ap.add_argument("--runs", type=int, default=1000, help="extractions for the speed measure")
    args = ap.parse_args(argv)

    lexicon = load_lexicon(ROOT)
    pairs, texts, used, off_topic = [], [], [], []
    for path in sorted(args.records.glob("*.yaml")):
        curated = parse(path, read_text(path))
        name = (curated.get("source") or {}).get("file")
        article = args.corpus / name if name else None
        if not article or not article.exists():
            continue
        text = read_article(article)
        extracted = extract_article(text, name=article.name, lexicon=lexicon).record
        # the curated records hold the acts on the subject only: the ones the draft marks off it
        # (`about_dt: false`) are counted apart, not as wrong facts
        off_topic += [f"`{d['number']}` ({article.name})" for d in extracted["documents"] if d.get("about_dt") is False]
        extracted = {**extracted, "documents": [d for d in extracted["documents"] if d.get("about_dt", True)]}
        pairs.append((extracted, curated))
        texts.append((text, article.name))
        used.append(article.name)
    if not pairs:
        print(f"no curated record names a file in {args.corpus}", file=sys.stderr)
        return 2
    scores = evaluate(pairs)

    start = time.perf_counter()
    for k in range(args.runs):
        text, name = texts[k % len(texts)]
        extract_article(text, name=name, lexicon=lexicon)
    elapsed = time.perf_counter() - start
    chars = sum(len(t) for t, _ in texts) / len(texts)
    cli = _time_cli(args.corpus, used, args.runs)

    command = f"python benchmarks/eval_extract.py {args.corpus}"
    lines = [
        "# Extraction quality and speed",
        "",
        "Written by `benchmarks/eval_extract.py`; do not edit by hand. Regenerate with:",
        "",
        "```",
        command,
        "```",
        "",
        f"Extracted records compared with the curated records in `data/records/` for {len(pairs)} articles: "
        + ", ".join(f"`{u}`" for u in used) + ". Precision, recall and F1 are micro-averaged over the "
        "facts of all articles; `kg/extract/scoring.py` says what a fact is for each field (documents are "
        "aligned by number, then by type and title, so a fact counts only for the right document).",
        "",
        table(scores),
        "",
        f"Acts the drafts also list, marked `about_dt: false` (off the subject; the curated records "
        f"leave such acts out, so they are not scored here): {', '.join(off_topic) or 'none'}.",
        "",
        "## Speed",
        "",
        f"{args.runs:,} extractions (the articles above in turn, {chars:,.0f} characters on average) in "
        f"{elapsed:.2f} s: {1000 * elapsed / args.runs:.1f} ms per article, so 1,000 articles in "
        f"{elapsed * 1000 / args.runs:.1f} s (one process, gazetteers loaded once; Python "
        f"{platform.python_version()}, {platform.machine()}).",
        "",
        f"End to end, `dtkg extract` on {args.runs:,} files (copies of these articles) with `-o DIR`: "
        f"{cli:.1f} s, including start-up and writing the YAML files.",
        "",
        "## Differences on these articles",
        "",
        "Facts the curator recorded that the extractor missed (−) and facts it extracted that the "
        "curator did not record (+). Some + facts are defensible readings the curator chose to leave out.",
        "",
    ]
    lines += differences(scores)
    lines.append(LIMITS)
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print(table(scores))
    print(f"\n{args.runs} extractions in {elapsed:.2f} s ({1000 * elapsed / args.runs:.1f} ms each); wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
