"""Score `dtkg extract` against the curated records, and time it.

    python benchmarks/eval_extract.py ../shared/corpus [--records data/records] [--out benchmarks/extraction.md]

For every curated record whose `source.file` is in the corpus folder, the article is extracted
and compared field by field (kg/evaluate.py). The speed is measured on the same articles
repeated to 1,000 extractions in one process, the gazetteers loaded once. Writes the Markdown
report (table, command, speed, every missed and wrong fact) and prints the table.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.evaluate import FIELDS, evaluate, table  # noqa: E402
from kg.extract import extract_article, read_article  # noqa: E402
from kg.extract_lexicon import load_lexicon  # noqa: E402
from kg.records import parse, read_text  # noqa: E402

LIMITS = """\
## Where it still fails

Known weak spots, seen on these five articles and on the test articles in `tests/articles/`:

- **Unnumbered drafts** are merged by type: two different draft resolutions in one article become
  one document. A bare "Nghị quyết" is taken to mean the last resolution named before it.
- **Issuers** are chosen by votes from the text (`của X` after a mention, `X ban hành` next to
  one, the nearest body before it in the sentence). An act whose issuer the text never names gets
  the usual issuer of its type and a note saying so.
- **Meeting dates and years** written without a year (`Chiều ngày 17/9`) need a dateline; an
  article without one (Hải Dương, Tuyên Quang) gets no meeting date, no published date and no
  dateline year.
- **Sectors** are read only from priority lists (`lĩnh vực … như: …`, `sectors such as …`) and from
  titles; a sector mentioned in passing, or a list without such a lead-in, is missed, and a
  list of tasks in such a sentence can add a wrong sector.
- **Targets** need a metric named in the vocabulary and a comparator pattern (top N, leading
  group, a rank class, a percentage); targets in other words ("đứng trong nhóm các tỉnh có chỉ số
  cao", absolute counts) are missed. The quote starts at the deadline phrase, so it can be shorter
  than the curator's.
- **Officials** need a surname from the list in `kg/extract_lexicon.py`; names of some ethnic
  minorities and foreign names are missed. Academic titles (Phó Giáo sư, Tiến sỹ) are not kept.
- **English** articles are handled by the same rules with English forms of the labels; fewer
  phrasings are covered than in Vietnamese.
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path, help="folder holding the articles (e.g. ../shared/corpus)")
    ap.add_argument("--records", type=Path, default=ROOT / "data" / "records", help="curated records")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "extraction.md")
    ap.add_argument("--runs", type=int, default=1000, help="extractions for the speed measure")
    args = ap.parse_args(argv)

    lexicon = load_lexicon(ROOT)
    pairs, texts, used = [], [], []
    for path in sorted(args.records.glob("*.yaml")):
        curated = parse(path, read_text(path))
        name = (curated.get("source") or {}).get("file")
        article = args.corpus / name if name else None
        if not article or not article.exists():
            continue
        text = read_article(article)
        extracted = extract_article(text, name=article.name, lexicon=lexicon).record
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
        "facts of all articles; `kg/evaluate.py` says what a fact is for each field (documents are "
        "aligned by number, then by type and title, so a fact counts only for the right document).",
        "",
        table(scores),
        "",
        "## Speed",
        "",
        f"{args.runs:,} extractions (the articles above in turn, {chars:,.0f} characters on average) in "
        f"{elapsed:.2f} s: {1000 * elapsed / args.runs:.1f} ms per article, so 1,000 articles in "
        f"{elapsed * 1000 / args.runs:.1f} s (one process, gazetteers loaded once; Python "
        f"{platform.python_version()}, {platform.machine()}).",
        "",
        "## Differences on these articles",
        "",
        "Facts the curator recorded that the extractor missed (−) and facts it extracted that the "
        "curator did not record (+). Some + facts are defensible readings the curator chose to leave out.",
        "",
    ]
    for name in FIELDS:
        s = scores[name]
        if s.missed or s.wrong:
            lines.append(f"**{name}**")
            lines.append("")
            lines += [f"- − {x}" for x in s.missed] + [f"- + {x}" for x in s.wrong]
            lines.append("")
    lines.append(LIMITS)
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print(table(scores))
    print(f"\n{args.runs} extractions in {elapsed:.2f} s ({1000 * elapsed / args.runs:.1f} ms each); wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
