"""`dtkg extract`: a news article in, a draft record out, every fact with its quote and offsets.

Rule-based, with gazetteers read from the repository (kg/extract/lexicon.py); no network, no
model. The steps, each in its own module:

* kg/extract/article.py    normalised text, HTML blanked, folded view; sentences; dates
* kg/extract/documents.py  mentions of acts; grouping.py: mentions → documents
* kg/extract/fields.py     each document's number, type, issuer, period, status; dates.py: its dates
* kg/extract/links.py      which act implements which
* kg/extract/facts.py      priority sectors and targets
* kg/extract/people.py     officials and their posts

Offsets in `evidence` are code points in `kg.base.text.normalize(raw)`; `text[start:end] == quote`.
The record is a draft for a person to review: `notes` says what was assumed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import yaml

from kg.base.errors import InputError, UsageError
from kg.base.files import replace_file
from kg.extract.article import Article, fold_same_length, full_dates
from kg.extract.documents import find_bodies, find_mentions, _CENTRAL_TITLE
from kg.extract.grouping import group_documents, names_implemented, _doc_type
from kg.extract.facts import sector_spans, sectors, targets
from kg.extract.dates import Dateline
from kg.extract.fields import describe, make_refs, mark_on_topic
from kg.extract.links import link_implements
from kg.extract.lexicon import CENTRAL_BODIES, Lexicon, load_lexicon
from kg.extract.people import officials
from kg.records.reader import read_utf8
from kg.base.text import slug

MAX_BYTES = 2_000_000


@dataclass
class Extraction:
    record: dict
    warnings: list[str] = field(default_factory=list)


# --- the source: headline, dateline, publisher, province -------------------------------------------


def _lines(art: Article, limit: int = 15) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in art.masked.split("\n"):
        if line.strip():
            start = pos + len(line) - len(line.lstrip())
            out.append((start, pos + len(line.rstrip())))
            if len(out) >= limit:
                break
        pos += len(line) + 1
    return out


def headline(art: Article) -> tuple[int, int] | None:
    """The first line near the top that reads like a headline: 6 to 40 words (a masthead or a
    section name is shorter), no date."""
    for s, e in _lines(art):
        words = art.masked[s:e].split()
        if 6 <= len(words) <= 40 and not list(full_dates(art, s, e)):
            return s, e
    return None


def dateline(art: Article) -> Dateline | None:
    """A date standing on a line of its own near the top (`Chủ nhật - 19/09/2021 03:29`)."""
    for s, e in _lines(art, 12):
        if e - s > 80:
            continue
        date = next(iter(full_dates(art, s, e)), None)
        if date and len((art.folded[s:date.start] + art.folded[date.end:e]).split()) <= 6:
            time = re.match(r"\s*(?:lúc\s+)?\d{1,2}[:h]\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?", art.masked[date.end:e])
            return Dateline(date.value, s, date.end + (time.end() if time else 0))
    return None


_SOURCE_LINE = re.compile(r"(?im)^\s*(?:nguon(?: tin)?|source|theo)\s*:\s*(.{3,120}?)\s*:?\s*$")


def publisher(art: Article) -> tuple[str, dict] | None:
    """`Nguồn: Báo Tuyên Quang điện tử` at the foot of an article."""
    for m in _SOURCE_LINE.finditer(art.folded):
        name = art.clean(m.start(1), m.end(1)).rstrip(":").strip()
        if name:
            return name, art.evidence(m.start(), m.end())
    return None


def province(art: Article, lex: Lexicon) -> tuple[str, dict] | None:
    """The province the text is about: the name it uses most (as a province: capitalised;
    `tỉnh X`, `X province` count double), ties to the first."""
    score: dict[str, float] = {}
    first: dict[str, tuple[int, int, str]] = {}
    for s, e, name in lex.provinces.within(art):
        written = art.masked[s:e]
        if not all(w[:1].isupper() for w in re.findall(r"[^\W\d_]+", written)):
            continue
        before = art.folded[max(0, s - 12):s]
        after = art.folded[e:e + 10]
        strong = re.search(r"(?:tinh|thanh pho|tp\.?)\s*$", before) or re.match(r"\s+(?:province|city)\b", after)
        score[name] = score.get(name, 0) + (2 if strong else 1)
        rank = (bool(strong) and not written.isupper(), not written.isupper())
        if name not in first or rank > first[name][2]:
            lead = max(before.rfind("tinh"), before.rfind("thanh pho"), before.rfind("tp"))
            span_start = s - len(before) + lead if strong and lead >= 0 else s
            first[name] = (span_start, e, rank)
    if not score:
        return None
    order = {}
    for s, e, name in lex.provinces.within(art):
        order.setdefault(name, s)
    best = max(score, key=lambda n: (score[n], -order[n]))
    s, e, _ = first[best]
    written = art.clean(*(_name_span(art, lex, s, e)))
    return written, art.evidence(s, e)


def _name_span(art: Article, lex: Lexicon, s: int, e: int) -> tuple[int, int]:
    for ps, pe, _ in lex.provinces.within(art, s, e):
        return ps, pe
    return s, e


def _is_label(lex: Lexicon, name: str) -> bool:
    """A name the province reference data resolves (not one of the extractor's own aliases)."""
    from kg.graph.provinces import name_key
    return name_key(name) in lex.reference_keys


def record_id(name: str) -> str:
    key = slug(Path(name).stem)[:100].strip("-")
    return key if key and key[0].isalnum() else "article"


def draft_id(record: dict, name: str) -> str:
    """The curated records' style, `province-date` (`lao-cai-2020-12-22`): the province and the
    article's date; the file name when either is unknown."""
    published = record["source"].get("published")
    place = slug(record.get("province") or "")
    if place and place != "unknown" and published:
        return f"{place}-{published}"[:100]
    return record_id(name)


# --- the record ---------------------------------------------------------------------------------------


def _source(art: Article, name: str, publisher_name: str | None, published: str | None) -> tuple[dict, Dateline | None]:
    """The record's `source` (headline, publisher, date, file, language, with quotes) and the
    dateline that lends its year to dates written without one."""
    source: dict = {"kind": "article"}
    source_ev: dict = {}
    head = headline(art)
    if head:
        source["headline"] = art.clean(*head)[:2000]
        source_ev["headline"] = art.evidence(*head)
    pub = publisher(art)
    if publisher_name:
        source["publisher"] = publisher_name
    elif pub:
        source["publisher"], source_ev["publisher"] = pub
    line = dateline(art)
    if published:
        source["published"] = published
    elif line:
        source["published"] = line.value
        source_ev["published"] = art.evidence(line.start, line.end)
    if Path(name).suffix:
        source["file"] = Path(name).name[:200]
    source["language"] = art.language
    if source_ev:
        source["evidence"] = source_ev
    dl = Dateline(published or line.value, line.start if line else -1, line.end if line else -1) \
        if (published or line) else None
    return source, dl


def _place(record: dict, art: Article, lex: Lexicon, notes: list[str], warnings: list[str]) -> None:
    """`province` and its quote: from the text; else from the publisher (said in `notes`)."""
    source = record["source"]
    place = province(art, lex)
    if place:
        record["province"] = place[0]
        record["evidence"] = {"province": place[1]}
        if not _is_label(lex, place[0]):
            canonical = next(n for label, n in lex.province_names if fold_same_length(label) == fold_same_length(place[0]))
            record["province"] = canonical
            record["evidence"]["province"]["note"] = f'written "{place[0]}", the reference data\'s name is {canonical}'[:500]
    else:
        via = None
        if source.get("publisher"):
            hits = list(lex.provinces.finditer(fold_same_length(source["publisher"])))
            if hits:
                s, e, _ = hits[0]
                via = source["publisher"][s:e]
        if via:
            record["province"] = via
            notes.append(f'The text never names its province; "{via}" is taken from the publisher.')
        else:
            record["province"] = "unknown"
            warnings.append("no province named in the text or the publisher; fill in `province`")
            notes.append("The province could not be found; fill it in.")


def extract_article(text: str, *, name: str = "article", publisher_name: str | None = None,
                    published: str | None = None, lexicon: Lexicon | None = None) -> Extraction:
    """One article's draft record and the warnings a reviewer should see."""
    art = Article.from_raw(text, name)
    if not art.masked.strip():
        raise InputError("empty article: no text to extract from", name)
    lex = lexicon or load_lexicon()
    warnings: list[str] = []
    notes: list[str] = []
    source, dl = _source(art, name, publisher_name, published)
    record: dict = {"record": 1, "id": record_id(name), "source": source}
    _place(record, art, lex, notes, warnings)

    bodies = find_bodies(art, lex)
    mentions = find_mentions(art, lex, bodies)
    docs, merge_notes = group_documents(art, lex, mentions, dl.value if dl else None)
    notes += [n[0].upper() + n[1:] + "." for n in merge_notes]
    link_implements(art, docs)
    mark_on_topic(art, docs)
    keep = [i for i, d in enumerate(docs) if _keep(art, lex, d)]
    # an act the text ties to another province's body is that province's, not this record's
    # (compared as units, not as written: `Tỉnh ủy Thừa Thiên Huế` is an act of Huế's own unit)
    here = lex.unit(record["province"])
    for i in list(keep):
        places = {m.place for m in docs[i].mentions if m.place}
        if places and record["province"] != "unknown" and here not in {lex.unit(p) for p in places} \
                and not docs[i].central:
            keep.remove(i)
            number = (docs[i].numbered.number if docs[i].numbered else None) or "an unnumbered act"
            notes.append(f"{number} is an act of {', '.join(sorted(places))}, not of {record['province']}; left out.")
    refs = make_refs(lex, docs, keep)
    drafts = [i for i in keep if any(m.draft for m in docs[i].mentions)]
    described = {i: describe(art, lex, docs[i], bodies, dl, refs, i, drafts == [i]) for i in keep}
    for i in keep:
        if not docs[i].on_topic:
            # an act off the subject is recorded with what names and dates it, no stage or period of
            # its own (the records' convention): the clerk sees it and decides
            described[i]["about_dt"] = False
            for key in ("status", "period"):
                described[i].pop(key, None)
                described[i]["evidence"].pop(key, None)
    for i, doc in described.items():
        if "issuer_as_written" not in doc and "note" in doc["evidence"]["issuer"]:
            notes.append(f"{doc['ref']}: {doc['evidence']['issuer']['note']}.")
    _attach_facts(art, lex, docs, keep, described, notes)
    record["documents"] = [described[i] for i in keep]
    people = officials(art, lex)
    if people:
        record["officials"] = people
    if record["documents"] and "published" not in source and not all(
            any(k in d for k in ("date", "year", "meeting_date", "planned_date")) for d in record["documents"]):
        warnings.append("no date for some acts and no dateline: add source.published before `dtkg add`")
        notes.append("The text gives no publication date; add source.published (the acts' years depend on it).")
    record["id"] = draft_id(record, name)
    if not any(d.get("about_dt", True) for d in record["documents"]):
        warnings.append("no directive on digital transformation found; the record is empty")
        notes.append("No directive on digital transformation was found in the text.")
    notes.insert(0, "Draft made by `dtkg extract`; review every fact against its quote.")
    record["notes"] = " ".join(notes)[:4000]
    return Extraction(_order(record), warnings)


def _keep(art: Article, lex: Lexicon, d) -> bool:
    """Typed, and either about digital transformation or named by a number (an act off the
    subject stays in the draft, marked `about_dt: false`, so the clerk sees every act the text
    names and decides); never an unnumbered reference to a central act."""
    if not _doc_type(lex, d):
        return False
    if not d.on_topic:
        return bool(d.numbered and (d.numbered.type_code or d.numbered.issuer_code))
    if not d.numbered or not (d.numbered.type_code or d.numbered.issuer_code):
        if d.central or any(m.of_body and m.of_body.key in CENTRAL_BODIES for m in d.mentions):
            return False
        # ("cụ thể hóa Kế hoạch … chuyển đổi số quốc gia": the title of the act it implements)
        if any(m.title and not names_implemented(art, lex, m) and _CENTRAL_TITLE.search(art.folded, *m.title) for m in d.mentions):
            return False
    return True


def _attach_facts(art: Article, lex: Lexicon, docs, keep: list[int], described: dict[int, dict],
                  notes: list[str]) -> None:
    """Sectors and targets go to the document their sentence names, else to the article's main
    document: the first provincial one."""
    keep = [i for i in keep if described[i].get("about_dt", True)]  # facts are of acts on the subject
    provincial = [i for i in keep if described[i].get("level") != "central"]
    primary = min(provincial, key=lambda i: docs[i].first.start) if provincial else (keep[0] if keep else None)
    if primary is None:
        return

    by_type: dict[str, list[int]] = {}
    for i in provincial:
        by_type.setdefault(described[i]["type"], []).append(i)

    def owner(pos: int) -> int:
        """The document the clause names (`Nghị quyết số 48-NQ/TU`, `Theo kế hoạch`), else the
        main one."""
        s, e = art.sentence_at(pos)
        s = max(s, art.folded.rfind(";", s, pos) + 1)
        e = art.folded.find(";", pos, e) if art.folded.find(";", pos, e) >= 0 else e
        named = sorted((m.start, m.doc) for i in keep for m in docs[i].mentions if s <= m.start < e)
        prov = [d for _, d in named if d in provincial]
        if prov:
            return prov[0]
        for ts, te, key in lex.doc_types.within(art, s, e):
            if len(by_type.get(key, [])) == 1:
                return by_type[key][0]
        return primary

    for i in keep:
        spans = [m.title for m in docs[i].mentions if m.title and not names_implemented(art, lex, m)]
        for key, a, b, qs, qe in sectors(art, lex, spans):
            _add_sector(described[i], art, key, a, b, qs, qe)
    for s, e in sector_spans(art, lex):
        for key, a, b, qs, qe in sectors(art, lex, [(s, e)]):
            _add_sector(described[owner(a)], art, key, a, b, qs, qe)
    others = [m for i, d in enumerate(docs) if i not in provincial for m in d.mentions if m.number or m.title]
    for pos, target in targets(art, lex):
        s, e = art.sentence_at(pos)
        named = [m for i in provincial for m in docs[i].mentions if s <= m.start < e]
        if not named and any(s <= m.start < e for m in others):
            continue  # a target of an act the record does not hold (a central one, say)
        if "value" not in target and "deadline" not in target:
            # the graph's rule: a metric alone is not a target; say what was left out
            notes.append(f'A target without a value or a year was left out: "{target["statement"][:200]}".')
            continue
        doc = described[owner(pos)]
        same = [t for t in doc.get("targets", []) if {k: v for k, v in t.items() if k not in ("quote", "statement")}
                == {k: v for k, v in target.items() if k not in ("quote", "statement")}]
        if not same:
            doc.setdefault("targets", []).append(target)


def _add_sector(doc: dict, art: Article, key: str, a: int, b: int, qs: int, qe: int) -> None:
    if any(s["key"] == key for s in doc.get("sectors", [])):
        return
    doc.setdefault("sectors", []).append({"key": key, "as_written": art.clean(a, b), "quote": art.evidence(qs, qe)})


_DOC_ORDER = ["ref", "number", "type", "title", "level", "issuer", "issuer_as_written", "date", "meeting_date",
              "planned_date", "year", "status", "period", "implements", "same_as", "about_dt", "sectors", "targets", "evidence"]


def _order(record: dict) -> dict:
    out = {k: record[k] for k in ("record", "id", "source", "province", "evidence", "documents", "officials", "notes") if k in record}
    out["documents"] = [{k: d[k] for k in _DOC_ORDER if k in d} for d in out["documents"]]
    return out


def extract_text(text: str, *, name: str = "article", publisher: str | None = None,
                 published: str | None = None, lexicon: Lexicon | None = None) -> dict:
    """The draft record of one article's text (see `extract_article` for the warnings too)."""
    return extract_article(text, name=name, publisher_name=publisher, published=published, lexicon=lexicon).record


# --- files ----------------------------------------------------------------------------------------------


def read_article(path: Path | str) -> str:
    """A text or HTML file as text, or InputError saying what is wrong with it."""
    return read_utf8(Path(path), "the text of an article", MAX_BYTES)


def extract_path(path: Path | str, *, lexicon: Lexicon | None = None, publisher: str | None = None,
                 published: str | None = None) -> Extraction:
    """One article file's draft record and warnings; InputError (exit 2) if it cannot be read."""
    path = Path(path)
    text = read_article(path)
    if not text.strip():
        raise InputError("file is empty; expected the text of an article", str(path))
    try:
        return extract_article(text, name=path.name, publisher_name=publisher, published=published, lexicon=lexicon)
    except InputError as exc:
        raise InputError(exc.message, str(path)) from None


def extract_file(path: Path | str, *, lexicon: Lexicon | None = None, publisher: str | None = None,
                 published: str | None = None) -> dict:
    """One article file's draft record (see `extract_path` for the warnings too)."""
    return extract_path(path, lexicon=lexicon, publisher=publisher, published=published).record


def extract_files(paths: Iterable[Path | str], *, lexicon: Lexicon | None = None,
                  progress=None) -> tuple[list[tuple[Path, Extraction]], list[InputError]]:
    """Extract every readable file; the unreadable ones come back as errors, not exceptions.
    Two articles that would share an id (same file name in two folders) get `-2`, `-3`…"""
    lexicon = lexicon or load_lexicon()
    done: list[tuple[Path, Extraction]] = []
    errors: list[InputError] = []
    ids: set[str] = set()
    for path in paths:
        path = Path(path)
        try:
            result = extract_path(path, lexicon=lexicon)
        except InputError as exc:
            errors.append(exc)
        else:
            base, n = result.record["id"], 1
            while result.record["id"] in ids:
                n += 1
                result.record["id"] = f"{base[:96]}-{n}"
            ids.add(result.record["id"])
            done.append((path, result))
        if progress:
            progress(path)
    return done, errors


def dump_yaml(record: dict) -> str:
    return yaml.dump(record, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True,
                     sort_keys=False, width=100, default_flow_style=False)


def dump_json(records: Iterable[dict]) -> str:
    return json.dumps(list(records), ensure_ascii=False, indent=2) + "\n"


def write_records(records: Iterable[dict], out_dir: Path | str, fmt: str = "yaml") -> list[Path]:
    """Each record to `OUT_DIR/{id}.yaml` (or .json), atomically: a temporary file, then rename."""
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot make the folder for the drafts: {exc.strerror or exc}; expected -o DIR, "
                         "a folder that exists or can be made", str(out)) from None
    written = []
    for record in records:
        target = out / f"{record['id']}.{fmt}"
        payload = dump_yaml(record) if fmt == "yaml" else json.dumps(record, ensure_ascii=False, indent=2) + "\n"
        try:
            replace_file(target, payload.encode("utf-8"))
        except OSError as exc:
            raise UsageError(f"cannot write the draft: {exc.strerror or exc}", str(target)) from None
        written.append(target)
    return written
