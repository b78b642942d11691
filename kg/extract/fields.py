"""A document's fields, each with the quote that supports it: issuer (by votes from the text),
status (the furthest stage any mention reports), dates, period, implements, title."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from kg.extract.article import Article
from kg.extract.dates import Dateline, _clause_end, issue_date, meeting_date, planned_date, voted
from kg.extract.documents import (
    RECENT, REQUEST, STATUS_BEFORE, STATUS_CLAUSE, TOPIC, TYPE_DEFAULT_ISSUER, Body, Document, Mention, _skip_place, canonical_number, period,
)
from kg.extract.grouping import _doc_type
from kg.extract.lexicon import CENTRAL_BODIES, Lexicon
from kg.base.text import slug


# --- on the subject ----------------------------------------------------------------------------------


def mark_on_topic(art: Article, docs: list[Document]) -> None:
    """About digital transformation: a title that says so; for a numbered act cited without a
    subject, the sentence it is cited in; and what such an act implements or is implemented by."""
    for d in docs:
        titled = [m for m in d.mentions if m.title]
        if any(TOPIC.search(art.folded[m.title[0]:m.title[1]]) for m in titled):
            d.on_topic = True
        elif d.numbered and all(_implement_title(art, m) for m in titled):
            s, e = art.sentence_at(d.numbered.start)  # its own words: a topic far back is another act's
            d.on_topic = bool(TOPIC.search(art.folded, max(s, d.numbered.start - 60), e))
    _headline_act_on_topic(art, docs)
    changed = True
    while changed:  # what an act on the subject implements, and what implements one, is on it too
        changed = False
        for d in docs:
            for j in d.implements:
                if d.on_topic != docs[j].on_topic:
                    d.on_topic = docs[j].on_topic = changed = True


def _headline_act_on_topic(art: Article, docs: list[Document]) -> None:
    """A headline about digital transformation is about the act the article reports: the provincial
    act the headline names, else the first one named. Without a title of its own to say otherwise
    ("Plan No.312/KH-UBND to carry out Action Programme No. 08-CTr/TU …"), it is on the subject."""
    first_line_end = art.text.find("\n") if "\n" in art.text else len(art.text)
    if not TOPIC.search(art.folded, 0, first_line_end):
        return
    named = sorted((m.start, i) for i, d in enumerate(docs) if not d.central for m in d.mentions if m.number or m.title)
    if not named:
        return
    headline = [i for start, i in named if start < first_line_end]
    main = docs[headline[0] if headline else named[0][1]]
    if not main.on_topic and main.numbered and not any(m.title for m in main.mentions):
        main.on_topic = True


def _implement_title(art: Article, m: Mention) -> bool:
    return bool(re.match(r"(?:thuc hien|trien khai|cu the hoa|implement)", art.folded[m.title[0]:m.title[1]]))


# --- fields ------------------------------------------------------------------------------------------


def _votes_for_issuer(art: Article, lex: Lexicon, d: Document, bodies: list[Body]) -> dict[str, list]:
    """body type → [(weight, body, quote span)]: `của X` after a mention (3), `X ban hành` next to
    one (2), the nearest body before a defining mention in its sentence (1)."""
    votes: dict[str, list] = defaultdict(list)
    f = art.folded
    for m in d.mentions:
        if m.of_body:
            votes[m.of_body.key].append((3, m.of_body, (m.date.start if m.date else m.of_body.start - 4, m.of_body.end)))
        if m.actor:
            votes[m.actor.key].append((2, m.actor, (m.actor.start, m.end)))
        s_start, s_end = art.sentence_at(m.start)
        for b in bodies:
            if b.in_title or not s_start <= b.start < s_end:
                continue
            after = _skip_place(art, lex, b.end)
            if b.start >= m.tail_end and b.start - m.tail_end < 80 and re.match(
                    r"\s+(?:(?:se|du kien|sap)\s+)?(?:ban hanh|xem xet ban hanh|issue)\b", f[after:after + 30]):
                votes[b.key].append((2, b, (m.start, _clause_end(art, after))))
        if m.title:
            by = re.compile(r"\s*,?\s*(?:do|cua|by|of)\s+").match(f, m.title[1])
            body = _body_at_pos(bodies, by.end()) if by else None
            if body:
                votes[body.key].append((3, body, (m.title[1], body.end)))
        if m.number or m.title:
            before = [b for b in bodies if s_start <= b.start and b.end <= m.start and not b.in_title]
            if before:
                b = before[-1]
                votes[b.key].append((1, b, (b.start, b.end)))
    return votes


def _body_at_pos(bodies: list[Body], pos: int) -> Body | None:
    return next((b for b in bodies if b.start == pos), None)


def issuer(art: Article, lex: Lexicon, d: Document, bodies: list[Body], doc_type: str | None) -> tuple[str, str | None, dict]:
    """The issuing body type, as written, and its evidence. A number's suffix limits the choice
    (TU: the Executive or the Standing Committee); the text's votes choose within it."""
    votes = _votes_for_issuer(art, lex, d, bodies)
    code = d.numbered.issuer_code if d.numbered else None
    family = None
    if code:
        base = re.sub(r"\d+$", "", code)
        default, _ = lex.issuer_for_code(code, doc_type)
        family = lex.issuer_codes.get(code) or lex.issuer_codes.get(base) or ([default] if default else None)
    scores = {k: sum(w for w, _, _ in v) for k, v in votes.items() if not family or k in family}
    if scores:
        # a tie goes to a body the article's text names over one only in the headline, a shorthand
        # ("Tỉnh ủy ban hành …" for the Standing Committee's act), then to the first named
        first_line = art.text.find("\n") if "\n" in art.text else 0
        key = max(scores, key=lambda k: (scores[k], any(b.start > first_line for _, b, _ in votes[k]),
                                         -min(b.start for _, b, _ in votes[k])))
        weight, body, span = max(votes[key], key=lambda v: (v[0], -v[1].start))
        note = "the body named before it in the same sentence" if weight == 1 else None
        return key, art.clean(body.start, body.end), art.evidence(*span, note)
    m = d.numbered or d.first
    if code and family:
        key, _ = lex.issuer_for_code(code, doc_type)
        return key, None, art.evidence(m.start, m.end, f"issuer from the number's suffix {code}")
    key = TYPE_DEFAULT_ISSUER.get(doc_type or "", "peoples-committee")
    return key, None, art.evidence(m.start, m.end, "issuer not named in the text: assumed from the document type; check it")


def status(art: Article, lex: Lexicon, d: Document) -> tuple[str, dict] | None:
    """The furthest stage any mention reports (by the status scheme's rank)."""
    found: list[tuple[int, str, tuple[int, int], bool]] = []  # (rank, stage, quote span, weak)
    rank = lex.status_rank
    for m in d.mentions:
        s_start, _ = art.sentence_at(m.start)
        head = m.type_span[0] if m.type_span else m.start
        if m.number and m.type_code and not m.draft:  # a number is given when an act is issued
            found.append((rank.get("adopted", 0), "adopted", (m.start, m.date.end if m.date else m.end), False))
        before = art.folded[max(s_start, head - 70):head]
        direct = False
        for key, rx in STATUS_BEFORE:
            cue = rx.search(before)
            if cue:
                start = max(s_start, head - 70) + cue.start()
                asked = _requested(art, start, head) if key in ("adopted", "disseminated") else None
                if asked is None:
                    found.append((rank.get(key, 0), key, (start, m.end), False))
                elif key == "adopted":  # "giao UBND tỉnh ban hành kế hoạch": to be issued
                    found.append((rank.get("planned", 0), "planned", (asked, m.end), False))
                direct = True
                break
        if not direct and m.actor:  # "HĐND tỉnh thông qua Nghị quyết", "UBND tỉnh ban hành Kế hoạch"
            asked = _requested(art, m.actor.start, head)
            key = "planned" if asked is not None else "adopted"
            found.append((rank.get(key, 0), key, (m.actor.start if asked is None else asked, m.end), asked is None))
            direct = asked is not None
        if direct:
            continue  # the words governing the mention say it; the rest of the clause may be about others
        clause_start, clause_end = _clause(art, m.start)
        clause = art.folded[clause_start:clause_end]
        for key, rx in STATUS_CLAUSE:
            cue = rx.search(clause)
            if cue and (key != "adopted" or m.capital or m.number):
                span = (min(clause_start + cue.start(), m.start), max(clause_start + cue.end(), m.end))
                found.append((rank.get(key, 0), key, span, False))
    if not found and d.to_issue:  # asked of a body or due by a date, with no stage word of its own
        return "planned", art.evidence(*_clause(art, d.first.start))
    if not found:
        return None
    # at one stage, a cue word ("đã ban hành") quotes better than a bare "X ban hành" (a headline's)
    _, key, span, _ = max(found, key=lambda x: (x[0], not x[3], -x[2][0]))
    return key, art.evidence(*span)


_PAST = re.compile(r"\b(?:da|vua|moi|chinh thuc|has|have|had|recently|just|officially)\b")


def _requested(art: Article, cue: int, head: int) -> int | None:
    """Where a request or an intention governing the words from `cue` to the mention at `head`
    starts ("giao UBND tỉnh ban hành", "đề nghị … quán triệt", "sẽ"), if one does; words that say
    it is done ("đã ban hành") are never one."""
    if _PAST.search(art.folded, cue, head):
        return None
    clause_start = _clause(art, cue)[0]
    s, _ = art.sentence_at(cue)
    # "yêu cầu A …; B …; C …": one request over a list of tasks
    begin = s if clause_start > s and REQUEST.search(art.masked, s, clause_start) else max(clause_start, cue - 80)
    asked = REQUEST.search(art.masked, begin, head)
    return asked.start() if asked else None


def _clause(art: Article, pos: int) -> tuple[int, int]:
    s, e = art.sentence_at(pos)
    left = max(art.folded.rfind(";", s, pos), s - 1) + 1
    right = art.folded.find(";", pos, e)
    return left, (right if right >= 0 else e)


# --- one document → a record's document -----------------------------------------------------------------


def describe(art: Article, lex: Lexicon, d: Document, bodies: list[Body], dateline: Dateline | None,
             refs: dict[int, str], index: int, lone_draft: bool = False) -> dict:
    """One document as the record holds it; `lone_draft`: it is the article's only draft, so "the
    draft" (dự thảo) in a sentence means it."""
    doc_type = _doc_type(lex, d) or "resolution"
    numbered = d.numbered
    out: dict = {"ref": refs[index]}
    ev: dict = {}
    if numbered and (numbered.type_code or numbered.issuer_code or numbered.number):
        forms = Counter(m.number for m in d.mentions if m.number and (m.type_code or m.issuer_code))
        number = forms.most_common(1)[0][0] if forms else numbered.number
        carrier = next(m for m in d.mentions if m.number == number)
        note = None
        if canonical_number(number) != number:  # "06 -NQ/TU", "07-DA/TU": typing slips, not the number
            number = canonical_number(number)
            note = f"written {carrier.number!r}; read as {number}"
        written = art.text[carrier.number_span[0]:carrier.number_span[1]] if carrier.number_span else number
        if not note and written.isdigit() and written != number:
            # "Nghị quyết 57 của Bộ Chính trị": a central act's short name, its number completed
            note = f"written {art.clean(carrier.start, carrier.number_span[1])!r}, the short name of {number}"
        out["number"] = number
        ev["number"] = art.evidence(carrier.start, max(carrier.tail_end, carrier.end), note)
    else:
        out["number"] = None
    out["type"] = doc_type
    typed = next((m for m in d.mentions if m.type_span and m.type_key == doc_type and (m.title or m.number)), None) \
        or next((m for m in d.mentions if m.type_span and m.type_key == doc_type), None) or d.first
    ev["type"] = art.evidence(typed.start - (9 if typed.draft and art.folded[typed.start - 9:typed.start] == "du thao " else 0),
                              typed.end if typed.number else typed.type_span[1] if typed.type_span else typed.end,
                              None if typed.type_span else f"type from the number's code {typed.type_code}")
    # the title to show: the first that states the fullest period (a headline may shorten it), else the first
    titled = sorted((m for m in d.mentions if m.title),
                    key=lambda m: (-len((period(art, [m.title]) or ({},))[0]), m.number is None, m.start))
    if titled:
        m = titled[0]
        words = art.clean(*m.title)
        type_word = art.clean(*m.type_span) if m.type_span else None
        if type_word and words:
            type_word = type_word[0].upper() + type_word[1:]
            out["title"] = f"{type_word} {words}"
            ev["title"] = art.evidence(m.type_span[0] if m.title_prefixed else m.title[0], m.title[1])
    if d.central:
        out["level"] = "central"
    key, as_written, issuer_ev = issuer(art, lex, d, bodies, doc_type)
    out["issuer"] = key
    if as_written:
        out["issuer_as_written"] = as_written
    if key in CENTRAL_BODIES and not d.central:
        out["level"] = "central"
        d.central = True
    ev["issuer"] = issuer_ev
    dated = next((m for m in d.mentions if m.date), None)
    if dated:
        out["date"] = dated.date.value
        ev["date"] = art.evidence(dated.start, dated.date.end)
    st = status(art, lex, d)
    if not dated and st and st[0] in ("adopted", "disseminated"):
        # an act voted through at a meeting: the meeting's date, not its own (which is not given)
        meeting = meeting_date(art, d, dateline) if st[0] == "adopted" and voted(art, d) else None
        issued = None if meeting else issue_date(art, d, dateline)
        if meeting:
            out["meeting_date"], ev["meeting_date"] = meeting
        elif issued:
            out["date"], ev["date"] = issued
    if st and st[0] == "disseminated" and "meeting_date" not in out and d.on_topic:
        # a conference that disseminates an issued act: its date is the act's meeting date (an act
        # off the subject, only named at it, gets the date it was voted on at most)
        meeting = meeting_date(art, d, dateline)
        if meeting and meeting[0] != out.get("date"):
            out["meeting_date"], ev["meeting_date"] = meeting
    if st and st[0] in ("draft-discussed", "agreed-in-principle") and "date" not in out:
        meeting = meeting_date(art, d, dateline)
        if meeting:
            out["meeting_date"], ev["meeting_date"] = meeting
    if st and st[0] in ("planned", "draft-discussed", "agreed-in-principle") and "date" not in out:
        planned = planned_date(art, d, dateline, lone_draft)
        if planned:
            out["planned_date"], ev["planned_date"] = planned
    if not any(k in out for k in ("date", "meeting_date", "planned_date")):
        if numbered and numbered.number_year:
            out["year"] = int(numbered.number_year)
            ev["year"] = art.evidence(numbered.start, numbered.end, "the year in the number")
        elif dateline and not d.central and d.on_topic and not d.to_issue and st and (st[0] != "adopted" or any(
                RECENT.search(art.folded, max(0, m.start - 40), m.start + 1) for m in d.mentions)):
            out["year"] = int(dateline.value[:4])
            if dateline.start >= 0:
                ev["year"] = art.evidence(dateline.start, dateline.end,
                                          "the act's own date is not given; the year is the article's dateline")
            else:
                ev["year"] = art.evidence(d.first.start, d.first.end,
                                          f"the act's own date is not given; the year is the article's date {dateline.value}")
    if st:
        out["status"], ev["status"] = st
    spans = [m.title for m in titled]
    per = period(art, spans)
    if per:
        out["period"], ev["period"] = per
    if d.implements:
        out["implements"] = [refs[j] for j in sorted(d.implements) if j in refs]
        if out["implements"]:
            first = d.implements[min(j for j in d.implements if j in refs)]
            ev["implements"] = art.evidence(*first)
        else:
            out.pop("implements")
    out["evidence"] = ev
    return out


def make_refs(lex: Lexicon, docs: list[Document], keep: list[int]) -> dict[int, str]:
    """Readable, unique refs: `nq-48`, `kh-55`, an unnumbered draft `nq-cds`."""
    refs: dict[int, str] = {}
    used: set[str] = set()
    for i in keep:
        d = docs[i]
        doc_type = _doc_type(lex, d) or "doc"
        code = next((c.notations[0] for c in lex.concepts.get("document-type", []) if c.key == doc_type and c.notations), doc_type)
        base = slug(code) or "doc"
        ref = f"{base}-{slug(d.numbered.digits)}" if d.numbered and d.numbered.digits else f"{base}-cds"
        n, candidate = 1, ref
        while candidate in used:
            n += 1
            candidate = f"{ref}-{n}"
        used.add(candidate)
        refs[i] = candidate
    return refs
