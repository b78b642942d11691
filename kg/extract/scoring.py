"""Extracted records against curated ones, field by field: precision, recall, F1.

Each field becomes a set of facts per record, and the sets are compared (micro-averaged over
records). Documents are aligned first, so a fact about a document counts only if it is about the
same document: numbered acts by their number (case, diacritics and separators ignored),
unnumbered ones by type, then by the words their titles share. Facts:

| field      | a fact is                                                                  |
|------------|----------------------------------------------------------------------------|
| province   | the province's name (folded, without "tỉnh")                               |
| numbers    | a document's number                                                        |
| types      | (document, type)                                                           |
| issuers    | (document, issuer body type)                                               |
| dates      | (document, date field, value): date, meeting_date, planned_date, year; and the source's published date |
| status     | (document, status)                                                         |
| periods    | (document, start, end, vision)                                             |
| implements | (document, the act it implements: its number folded, else its aligned id)    |
| sectors    | (document, sector)                                                         |
| targets    | (document, metric, comparator, value, deadline, start, scope)              |
| about_dt   | (document,) for each document marked `about_dt: false` (off the subject)   |
| officials  | (person, role): one fact per role, so a missed role costs less than a missed person |

Numbers are scored over every document, on the subject or not. `numbered_accuracy` gives, of the
numbered acts found, how many have the right type and the right own date (the issue's "type of
71 %"); `BASELINE` is the plain regular expression the extractor is measured against.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from kg.base.text import fold

FIELDS = ("province", "numbers", "types", "issuers", "dates", "status", "periods", "implements",
          "sectors", "targets", "about_dt", "officials")
# The baseline: any token shaped like an act's number (what a clerk's search-and-copy would find).
BASELINE = re.compile(r"\b\d{1,5}(?:/\d{4})?[-/](?:[A-ZĐ][A-Za-zĐ]*)(?:[-/][A-ZĐ][A-Za-zĐ0-9]*)+")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    missed: list[str] = field(default_factory=list)  # in the curated record, not extracted
    wrong: list[str] = field(default_factory=list)  # extracted, not in the curated record

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0


def number_key(number: str | None) -> str | None:
    """`48-NQ/TU`, `48/NQ-TU`, `48-nq/tu` → `48nqtu`; `52-NQ/TƯ` → `52nqtu`."""
    return re.sub(r"[^a-z0-9]", "", fold(number)) if number else None


def _title_words(doc: dict) -> set[str]:
    return set(re.findall(r"\w+", fold(doc.get("title") or "")))


def align(extracted: list[dict], curated: list[dict]) -> dict[int, int]:
    """extracted index → curated index."""
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for i, e in enumerate(extracted):
        for j, c in enumerate(curated):
            if j not in taken and e.get("number") and number_key(e["number"]) == number_key(c.get("number")):
                pairs[i] = j
                taken.add(j)
                break
    candidates = []
    for i, e in enumerate(extracted):
        if i in pairs or e.get("number"):
            continue
        for j, c in enumerate(curated):
            if j in taken or c.get("number") or e.get("type") != c.get("type"):
                continue
            a, b = _title_words(e), _title_words(c)
            overlap = len(a & b) / len(a | b) if a | b else 0.0
            candidates.append((-overlap, i, j))
    for _, i, j in sorted(candidates):
        if i not in pairs and j not in taken:
            pairs[i] = j
            taken.add(j)
    return pairs


def _fold_name(name: str) -> str:
    return re.sub(r"^(?:tinh|thanh pho|tp) ", "", " ".join(re.findall(r"[a-z0-9]+", fold(name))))


def _province_key(name: str) -> str:
    """The name of the unit a province name resolves to in the reference data (`TP.HCM` and `Hồ
    Chí Minh` are one), else the name itself, folded: names of one unit score alike. By name,
    not by unit: a draft without the article's date still names the Tuyên Quang of 2022."""
    from kg.base.errors import DtkgError
    from kg.graph.provinces import default_gazetteer
    try:
        return _fold_name(default_gazetteer().resolve(name).name)
    except DtkgError:
        return _fold_name(name)


def facts(record: dict, ids: list[str]) -> dict[str, set[tuple]]:
    """The facts of one record; `ids[k]` names document k (shared by aligned documents)."""
    out: dict[str, set[tuple]] = defaultdict(set)
    docs = record.get("documents") or []
    # a link names the act it points to by its number when it has one (the same act whether the
    # record links to it by ref, holding it, or by number, not holding it), else by its aligned id
    ref_id = {d.get("ref"): number_key(d["number"]) if d.get("number") else ids[k] for k, d in enumerate(docs)}
    if record.get("province"):
        out["province"].add((_province_key(record["province"]),))
    published = (record.get("source") or {}).get("published")
    if published:
        out["dates"].add(("source", "published", str(published)))
    for k, d in enumerate(docs):
        doc = ids[k]
        if d.get("number"):
            out["numbers"].add((number_key(d["number"]),))
        out["types"].add((doc, d.get("type")))
        out["issuers"].add((doc, d.get("issuer")))
        for name in ("date", "meeting_date", "planned_date", "year"):
            if d.get(name) is not None:
                out["dates"].add((doc, name, str(d[name])))
        if d.get("status"):
            out["status"].add((doc, d["status"]))
        if d.get("period"):
            p = d["period"]
            out["periods"].add((doc, p.get("start"), p.get("end"), p.get("vision")))
        if d.get("about_dt") is False:
            out["about_dt"].add((doc,))
        for target in d.get("implements") or []:
            out["implements"].add((doc, ref_id.get(target, number_key(target))))
        for s in d.get("sectors") or []:
            out["sectors"].add((doc, s["key"]))
        for t in d.get("targets") or []:
            value = t.get("value")
            value = fold(str(value)) if value is not None else None
            out["targets"].add((doc, t["metric"], t.get("comparator"), value, t.get("deadline"), t.get("start"), t.get("scope")))
    for o in record.get("officials") or []:
        name = " ".join(fold(o["name"]).split())
        for role in o.get("roles") or []:
            out["officials"].add((name, role))
    return out


def compare(extracted: dict, curated: dict, scores: dict[str, Score] | None = None) -> dict[str, Score]:
    """Add one record pair's counts to `scores` (new scores when None)."""
    scores = scores if scores is not None else {f: Score() for f in FIELDS}
    e_docs, c_docs = extracted.get("documents") or [], curated.get("documents") or []
    pairs = align(e_docs, c_docs)
    c_ids = [_doc_id(d, j) for j, d in enumerate(c_docs)]
    e_ids = [c_ids[pairs[i]] if i in pairs else f"extra:{_doc_id(d, i)}" for i, d in enumerate(e_docs)]
    got, want = facts(extracted, e_ids), facts(curated, c_ids)
    where = curated.get("id", "?")
    for name in FIELDS:
        score = scores.setdefault(name, Score())
        g, w = got.get(name, set()), want.get(name, set())
        score.tp += len(g & w)
        score.fp += len(g - w)
        score.fn += len(w - g)
        score.wrong += [f"{where}: {_show(x)}" for x in sorted(g - w, key=str)]
        score.missed += [f"{where}: {_show(x)}" for x in sorted(w - g, key=str)]
    return scores


def _doc_id(doc: dict, k: int) -> str:
    return doc.get("number") or f"{doc.get('type')}#{k}"


def _show(fact: tuple) -> str:
    return " · ".join("—" if x is None else str(x) for x in fact)


def evaluate(pairs: Iterable[tuple[dict, dict]]) -> dict[str, Score]:
    """Micro-averaged scores over (extracted, curated) record pairs."""
    scores = {f: Score() for f in FIELDS}
    for extracted, curated in pairs:
        compare(extracted, curated, scores)
    return scores


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def table(scores: dict[str, Score], baseline: dict[str, Score] | None = None) -> str:
    """A Markdown table: one row per field, then the micro-average over all facts; with
    `baseline`, a column for the regex baseline's F1 where it measures the field."""
    extra = baseline is not None
    lines = ["| field | precision | recall | F1 | correct | extracted | curated |" + (" regex baseline F1 |" if extra else ""),
             "|---|---:|---:|---:|---:|---:|---:|" + ("---:|" if extra else "")]
    total = Score()
    for name in FIELDS:
        s = scores[name]
        total.tp, total.fp, total.fn = total.tp + s.tp, total.fp + s.fp, total.fn + s.fn
        base = f" {_pct(baseline[name].f1)} |" if extra and name in baseline else (" — |" if extra else "")
        lines.append(f"| {name} | {_pct(s.precision)} | {_pct(s.recall)} | {_pct(s.f1)} | {s.tp} | {s.tp + s.fp} | {s.tp + s.fn} |" + base)
    lines.append(f"| **all facts** | **{_pct(total.precision)}** | **{_pct(total.recall)}** | **{_pct(total.f1)}** | "
                 f"{total.tp} | {total.tp + total.fp} | {total.tp + total.fn} |" + (" — |" if extra else ""))
    return "\n".join(lines)


def accuracy_table(accuracy: dict[str, tuple[int, int]]) -> str:
    """Of the numbered acts found, the share with the right type, issuer and own date."""
    lines = ["| of the numbered acts found | right | found | share |", "|---|---:|---:|---:|"]
    for name, (right, found) in accuracy.items():
        lines.append(f"| {name} | {right} | {found} | {right / found:.0%} |" if found else f"| {name} | 0 | 0 | — |")
    return "\n".join(lines)


def differences(scores: dict[str, Score]) -> list[str]:
    """Markdown lines listing, per field, the facts missed (−) and the facts extracted that the
    expected record does not hold (+)."""
    lines: list[str] = []
    for name in FIELDS:
        score = scores[name]
        if score.missed or score.wrong:
            lines += [f"**{name}**", ""]
            lines += [f"- − {x}" for x in score.missed] + [f"- + {x}" for x in score.wrong]
            lines.append("")
    return lines


def baseline_numbers(text: str) -> set[str]:
    """The number keys the plain regular expression finds in a text."""
    return {number_key(m) for m in BASELINE.findall(unicodedata.normalize("NFC", text))}


def score_baseline(text: str, curated: dict, score: Score | None = None) -> Score:
    """Add the baseline's number counts on one article to `score`."""
    score = score if score is not None else Score()
    got = baseline_numbers(text)
    want = {number_key(d["number"]) for d in curated.get("documents") or [] if d.get("number")}
    score.tp, score.fp, score.fn = score.tp + len(got & want), score.fp + len(got - want), score.fn + len(want - got)
    return score


def own_date(doc: dict) -> str | None:
    """The act's date as a record gives it: its date, else meeting, planned date or year."""
    return next((str(doc[k]) for k in ("date", "meeting_date", "planned_date", "year") if doc.get(k) is not None), None)


def numbered_accuracy(pairs: Iterable[tuple[dict, dict]]) -> dict[str, tuple[int, int]]:
    """Of the numbered acts found (aligned by number): how many have the curated type, issuer and
    own date, as (right, found)."""
    right = {"type": 0, "issuer": 0, "date": 0}
    found = 0
    for extracted, curated in pairs:
        e_docs, c_docs = extracted.get("documents") or [], curated.get("documents") or []
        for i, j in align(e_docs, c_docs).items():
            e, c = e_docs[i], c_docs[j]
            if not c.get("number"):
                continue
            found += 1
            right["type"] += e.get("type") == c.get("type")
            right["issuer"] += e.get("issuer") == c.get("issuer")
            right["date"] += own_date(e) == own_date(c)
    return {k: (v, found) for k, v in right.items()}
