"""Mentions → documents: which mentions of acts in an article are one document (same number, or
the same type with a fitting title, period and issuer), which documents an act's title says it
implements, and a document's type. The mentions are found in kg.extract.documents."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from kg.base.text import fold
from kg.extract.article import Article
from kg.extract.documents import (
    _CONGRESS, _DEADLINE, _IMPLEMENTATION_AFTER, _IMPLEMENTATION_BEFORE, _ISSUING, TOPIC, Document, Mention,
    _type_from_code, period,
)
from kg.extract.lexicon import CENTRAL_NUMBER_FORMS, CENTRAL_SHORT_NAMES, Lexicon

def _code_type_fits(lex: Lexicon, m: Mention) -> bool:
    """A number whose type code agrees with its type word and its issuer (a decree is the
    Government's, a circular a ministry's, a law the National Assembly's)."""
    keys = _type_from_code(lex, m.type_code or "")
    if not keys:
        return False
    if m.type_key and m.type_key not in keys:
        return False
    issuer, _ = lex.issuer_for_code(m.issuer_code or "", keys[0])
    needs = {"decree": {"government"}, "circular": {"ministry"}, "law": {"national-assembly"}}.get(keys[0])
    return not needs or issuer in needs


def _one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def group_documents(art: Article, lex: Lexicon, mentions: list[Mention], published: str | None = None) -> tuple[list[Document], list[str]]:
    """Mentions → documents. Numbers that differ only by separators are one act; a number whose
    type code is a one-letter slip (12-NĐ/TU beside 12-NQ/TU) joins the act it misspells; a bare
    `Nghị quyết số 12` joins the one `12-…` resolution; titled unnumbered mentions of one type
    are one draft; a capitalised bare mention refers back to the last document of its type."""
    notes: list[str] = []
    docs: list[Document] = []
    key_of: dict[tuple, int] = {}
    numbered = [m for m in mentions if m.number and m.type_code is not None or (m.number and m.issuer_code)]
    # 1. numbered acts with a code
    groups: dict[tuple, list[Mention]] = defaultdict(list)
    for m in numbered:
        groups[(m.digits, m.number_year, fold(m.issuer_code or ""))].append(m)
    for gkey, ms in groups.items():
        codes = Counter(fold(m.type_code or "") for m in ms)
        fitting = {fold(m.type_code or "") for m in ms if _code_type_fits(lex, m)}
        target_of: dict[str, str] = {c: c for c in codes}
        for c in codes:
            if c not in fitting:
                near = [g for g in fitting if _one_edit(g, c)]
                if len(near) == 1:
                    target_of[c] = near[0]
        for m in ms:
            code = target_of[fold(m.type_code or "")]
            k = (*gkey, code)
            if k not in key_of:
                key_of[k] = len(docs)
                docs.append(Document(central=lex.issuer_for_code(m.issuer_code or "", None)[1]))
            if code != fold(m.type_code or ""):
                canon = next(x.number for x in ms if fold(x.type_code or "") == code)
                note = f"{m.number} is read as a misspelling of {canon} (same number and issuer)"
                if note not in notes:
                    notes.append(note)
                m.type_key = None
            m.doc = key_of[k]
            docs[m.doc].mentions.append(m)
    # 2. bare numbers ("Nghị quyết số 12") join the one act with those digits and that type; a scheme
    # or programme by the decision that approved it ("Đề án 06" and Quyết định số 06/QĐ-TTg); a central
    # act by its short name ("Nghị quyết 57 của Bộ Chính trị" is 57-NQ/TW)
    for m in mentions:
        if m.number and m.doc is None and m.type_code is None and not m.issuer_code:
            same = [i for i, d in enumerate(docs) if d.numbered and d.numbered.digits == m.digits
                    and _doc_type(lex, d) == m.type_key]
            if not same and m.type_key in _APPROVED_TYPES:
                same = [i for i, d in enumerate(docs) if d.numbered and d.numbered.digits == m.digits
                        and _doc_type(lex, d) == "decision"]
            central = None if same else _central_number(art, m, published)
            if central:
                joined = next((i for i, d in enumerate(docs) if d.numbered and d.numbered.number == central), None)
                m.number, m.type_code, m.issuer_code = central, *_codes(central)
                notes.append(f'"{art.text[m.start:m.number_span[1]]}" is read as {central}')
                if joined is None:
                    joined = len(docs)
                    docs.append(Document(central=True))
                same = [joined]
            if len(same) == 1:
                m.doc = same[0]
                docs[same[0]].mentions.append(m)
            elif not _NUMBER_WORD.search(art.folded, m.type_span[1], m.number_span[0]):
                m.number = m.number_span = m.digits = None  # "Nghị quyết 12" alone: no number of its own
                m.end = m.type_span[1]
            else:
                m.doc = len(docs)
                docs.append(Document([m]))
    # 3. unnumbered mentions with a title of their own
    for m in mentions:
        if m.doc is None and not m.number and m.type_span:
            short = _short_name_after(art, m, mentions)
            if short is not None:  # "Đề án phát triển … quốc gia (Đề án 06)": the act of that short name
                start = m.title[0] if m.title else m.type_span[1] + 1
                m.title = (start, art.text.rfind("(", start, short.start) - 1)
                m.doc = short.doc
                docs[m.doc].mentions.append(m)
                continue
        if m.doc is not None or m.number or not m.title or m.plural or not m.type_key:
            continue
        if _CONGRESS.match(art.folded, m.type_span[1]):
            continue
        title = art.folded[m.title[0]:m.title[1]]
        if not TOPIC.search(title) and not ((m.capital or _issued_by_a_date(art, m)) and names_implemented(art, lex, m)) \
                and not (m.draft and _LINKED_AFTER.match(art.folded, m.title[1])):
            # neither about digital transformation nor a named act implementing one that may be, nor a
            # draft said to implement another ("dự thảo Kế hoạch … về phong trào X, nhằm thực hiện Kế hoạch số 01")
            continue
        back = _opens_sentence_about(art, lex, docs, m)
        if back is not None:  # "Kế hoạch triển khai B" opening a sentence: the plan just reported implements B
            m.doc = back
            docs[back].mentions.append(m)
            continue
        target = _same_doc(art, lex, docs, m)
        # the plan a numbered decision's title names ("Quyết định 2317/QĐ-UBND về Kế hoạch chuyển đổi
        # số …") is that decision's (see _absorb_approved), not another plan only named later
        if target is not None and min(x.start for x in docs[target].mentions) > m.start and \
                any(x.number and x.title and x.title[0] <= m.start < x.title[1] for x in mentions):
            target = None
        if target is None:
            target = len(docs)
            # "ban hành văn bản hướng dẫn thực hiện Nghị quyết số 19 trong quý I/2024": an act to be issued
            docs.append(Document(to_issue=not m.capital and (_issued_by_a_date(art, m) or _asked_to_issue(art, m))))
        m.doc = target
        docs[target].mentions.append(m)
    # 3b. "drafting an implementation plan to be issued before September 30", "giao UBND tỉnh xây
    # dựng kế hoạch thực hiện", "asked the People's Committee to issue guidance soon": an act to be
    # issued by a date or asked of a body, implementing the act the text is about
    for m in mentions:
        if m.doc is not None or m.number or m.plural or not m.type_key:
            continue
        if m.title and (names_implemented(art, lex, m) or not _IMPLEMENTATION_AFTER.match(art.folded, m.type_span[1])):
            continue  # a title of its own ("kế hoạch thực hiện của UBND tỉnh" has none)
        if not (_issued_by_a_date(art, m) or _asked_to_issue(art, m)):
            continue
        said = _IMPLEMENTATION_BEFORE.search(art.folded, max(0, m.start - 16), m.start) or \
            _IMPLEMENTATION_AFTER.match(art.folded, m.type_span[1]) or _asked_to_carry_out(art, m)
        # an implementation plan, or a guidance asked for (guidance for the act the text is about)
        span = (min(said.start(), m.start), max(said.end(), m.end)) if said else \
            (m.start, m.end) if m.type_key == "guidance" and _asked_to_issue(art, m) else None
        main = _main_act(art, docs, mentions, m.start)
        if span and main is not None:
            m.doc = len(docs)
            docs.append(Document([m], implements={main: span}, to_issue=True))
    # 4. capitalised bare mentions refer to the last document of their type before them, and so does a
    # lower-case one a sentence opens by carrying out ("Căn cứ chương trình hành động của Tỉnh ủy, …")
    for m in mentions:
        if m.doc is not None or m.number or m.plural or not m.type_key:
            continue
        if not m.capital and not _CARRIED_OUT_OPENING.fullmatch(art.folded, art.sentence_at(m.start)[0], m.start):
            continue
        if _CONGRESS.match(art.folded, m.type_span[1]):
            continue
        candidates = [(d.first.start, i) for i, d in enumerate(docs) if _doc_type(lex, d) == m.type_key
                      and not d.central and any(x.title or x.number for x in d.mentions)]
        before = [c for c in candidates if c[0] < m.start]
        first_line_end = art.text.find("\n") if "\n" in art.text else len(art.text)
        if not before and candidates and m.start < first_line_end:
            before = candidates[:1]  # a headline names what the article goes on to report
        # "the act of its type the headline names", else the last one before: an act only cited
        # later ("báo cáo sơ kết 5 năm thực hiện Nghị quyết số 06-NQ/TU") is not what "Nghị quyết" means
        headline = [c for c in before if c[0] < first_line_end]
        if headline and not _SENTENCE_REFERS_BACK.match(art.folded, m.end):
            before = headline
        if before:
            m.doc = max(before)[1]
            docs[m.doc].mentions.append(m)
    for d in docs:
        d.mentions.sort(key=lambda x: x.start)
    _absorb_approved(art, lex, docs, mentions, notes)
    return docs, notes


# "Quyết định số 4521/QĐ-UBND phê duyệt Đề án …", "Kế hoạch … ban hành kèm theo Quyết định số 156/QĐ-UBND",
# "Decision No. 12/QD-UBND approving the scheme", "the plan, issued with Decision No. 12/QD-UBND"
# "Nghị quyết số 71/NQ-CP … sửa đổi, bổ sung, cập nhật Chương trình hành động …": an act amending a programme;
# "Quyết định 2317/QĐ-UBND về Kế hoạch chuyển đổi số …": a decision on (issuing) a plan;
# "Quyết định 845/QD-UBND ngày 18-3 phê duyệt Đề án": a day and month the act's tail does not take
_APPROVES = re.compile(r"\s*,?\s*(?:ngay\s+\d{1,2}\s*[-/.]\s*\d{1,2}\s+)?(?:ve viec\s+|ve\s+(?=sua doi|bo sung|cap nhat))?(?:phe duyet|ban hanh|approving|issuing|amending|updating|ve|on"
                       r"|(?:sua doi|bo sung|cap nhat)(?:,?\s+(?:va\s+)?(?:sua doi|bo sung|cap nhat))*"
                       r"|(?:which|that) (?:approves|approved|issues|issued|amends|amended|updates|updated))"
                       r"\s+(?:the\s+|a\s+|an\s+)?(?:[^\W\d_]+'s\s+)?[\"“]?$")
_APPROVED_BY = re.compile(r"\s*,?\s*\(?\s*(?:(?:duoc|da duoc|da|(?:which|that) (?:was|is))\s+)?(?:(?:ban hanh|phe duyet|issued|approved)\s+)?"
                          r"(?:kem theo|tai|theo|bang|with|by|under|in)\s+(?:the\s+)?$")
_APPROVED_TYPES = {"plan", "scheme", "programme", "strategy"}


def _absorb_approved(art: Article, lex: Lexicon, docs: list[Document], mentions: list[Mention], notes: list[str]) -> None:
    """A decision (or a resolution) that approves, issues or amends a plan, scheme or programme is
    one act with it (the records' convention): the unnumbered plan's mentions become the act's, so
    its links, period, targets and sectors are the act's ("Nghị quyết số 03/NQ-CP … ban hành
    Chương trình hành động … thực hiện Nghị quyết số 57-NQ/TW": 03/NQ-CP implements 57-NQ/TW)."""
    f = art.folded
    for m in mentions:
        if m.doc is None or not m.number or _doc_type(lex, docs[m.doc]) not in ("decision", "resolution"):
            continue
        s, e = art.sentence_at(m.start)
        for x in mentions:
            if x.doc is None or x.doc == m.doc or not s <= x.start < e or docs[x.doc].numbered \
                    or _doc_type(lex, docs[x.doc]) not in _APPROVED_TYPES or docs[x.doc].central:
                continue
            x_end = x.title[1] if x.title else x.tail_end
            if (x.start >= m.tail_end and _APPROVES.fullmatch(f, m.tail_end, x.start)) or \
                    (x_end <= m.start and _APPROVED_BY.fullmatch(f, x_end, m.start)):
                gone, docs[x.doc].mentions = docs[x.doc].mentions, []
                for y in gone:
                    y.doc = m.doc
                docs[m.doc].mentions = sorted(docs[m.doc].mentions + gone, key=lambda y: y.start)
                notes.append(f"the {_doc_type(lex, Document(gone)) or 'act'} {m.number} approves or issues is "
                             "recorded as one act with it")


_TITLE_NOISE = set("ve cua tinh thanh pho giai doan den nam dinh huong tam nhin va tren dia ban on the of in for to and a "
                   "with vision period province city thuc hien trien khai nghi quyet ke hoach".split())


def _issued_by_a_date(art: Article, m: Mention) -> bool:
    """A lower-case act that is the object of issuing and has a deadline after it ("ban hành kế
    hoạch thực hiện Nghị quyết trước ngày 30/11/2021"): a commitment worth recording. Without one
    ("sớm xây dựng chương trình thực hiện Nghị quyết") it is the stock closing of an article."""
    if not _ISSUING.search(art.folded, max(0, m.type_span[0] - 30), m.type_span[0]):
        return False
    _, end = art.sentence_at(m.start)
    return bool(_DEADLINE.search(art.folded, m.end, end))


def _short_name_after(art: Article, m: Mention, mentions: list[Mention]) -> Mention | None:
    """A short name or number of the same type in brackets after an act's name names that act: "Đề
    án phát triển ứng dụng dữ liệu về dân cư, … quốc gia (Đề án 06)", "the project on population
    data (Project 06)", "ban hành kế hoạch phát triển chính quyền số … (Kế hoạch số 811/KH-UBND ngày 29/12/2021)"."""
    start = m.title[0] if m.title else m.type_span[1]
    for x in mentions:
        if x.doc is not None and x.number and x.type_key == m.type_key and start < x.start <= start + 240:
            bracket = art.text.rfind("(", start, x.start)
            between = art.text[start:bracket]
            close = art.text.find(")", x.end, x.end + 40)
            if bracket >= 0 and not art.text[bracket + 1:x.start].strip() and close >= 0 and "(" not in art.text[x.end:close] \
                    and not re.search(r"[();]|\.\s", between):
                return x
    return None

def _opens_sentence_about(art: Article, lex: Lexicon, docs: list[Document], m: Mention) -> int | None:
    """A capitalised type word opening a sentence with a link word after it ("Kế hoạch triển khai
    Nghị quyết số 57-NQ/TW …") says what the act of that type just reported implements; it is not
    an act titled "triển khai …" (that one is issued: "ban hành Kế hoạch triển khai …")."""
    s, _ = art.sentence_at(m.start)
    if not m.capital or m.start - s > 1 or not names_implemented(art, lex, m):
        return None
    before = [(d.numbered.start, i) for i, d in enumerate(docs) if d.numbered and d.numbered.start < s
              and not d.central and _doc_type(lex, d) == m.type_key]
    return max(before)[1] if before else None


_CARRIED_OUT_OPENING = re.compile(r"\s*(?:can cu|(?:de\s+|nham\s+)?(?:thuc hien|trien khai|cu the hoa|the che hoa))\s+")
_IN_COMMITTEE_NAME = re.compile(r"\b(?:ban chi dao|steering committee|steering board)\b(?:(?!ban hanh|phe duyet|thong qua|issued|adopted|approved)[^.;:])*$")
_NUMBER_WORD = re.compile(r"\b(?:so|no|number)\b")


def _central_number(art: Article, m: Mention, published: str | None) -> str | None:
    """The central act a short name cites: by the central body named with it ("Nghị quyết 57 của
    Bộ Chính trị", "the Politburo's Resolution 57"), else one of the well-known acts cited by short
    name alone, when the article is dated after it (`CENTRAL_SHORT_NAMES`)."""
    body = m.of_body.key if m.of_body else None
    if body is None:
        owner = re.search(r"\b(politburo|government|prime minister)'s\s+$", art.folded[max(0, m.start - 30):m.start])
        body = {"politburo": "politburo", "government": "government", "prime minister": "prime-minister"}.get(
            owner.group(1)) if owner else None
    digits = str(int(m.digits)).zfill(2) if m.digits else None
    form = CENTRAL_NUMBER_FORMS.get((m.type_key, body)) if body else None
    if form:
        return form.format(digits)
    known = CENTRAL_SHORT_NAMES.get((m.type_key, digits))
    s, _ = art.sentence_at(m.start)
    if _IN_COMMITTEE_NAME.search(art.folded, max(s, m.start - 160), m.start):
        return None  # "Ban Chỉ đạo tỉnh về chuyển đổi số và Đề án 06": a committee's name
    if known and body is None and published and published >= known[1]:
        return known[0]
    return None


def _codes(number: str) -> tuple[str, str]:
    """The type and issuer codes of a central act's number: 57-NQ/TW → (NQ, TW), 749/QĐ-TTg → (QĐ, TTg)."""
    parts = re.findall(r"[^\W\d_]+", number)
    return parts[0], parts[1]


# right after a title, the words that link it to the act it implements
_LINKED_AFTER = re.compile(r"[\s\",]*(?:nham|de|to|in order to|so as to)?\s*(?:thuc hien|trien khai|cu the hoa|implement|carry out|realise|realize)\b")
# "Nghị quyết này", "Kế hoạch trên", "the plan above": the act just named
_SENTENCE_REFERS_BACK = re.compile(r"\s+(?:nay|tren|do|above|this)\b")


def _asked_to_issue(art: Article, m: Mention) -> bool:
    """A lower-case act a body is asked or tasked to issue ("giao Ban cán sự đảng UBND tỉnh lãnh đạo
    UBND tỉnh xây dựng kế hoạch thực hiện", "đề nghị UBND tỉnh sớm ban hành hướng dẫn", "asked the
    People's Committee to issue guidance soon"): a commitment, even when no deadline is given."""
    if not _ISSUING.search(art.folded, max(0, m.type_span[0] - 30), m.type_span[0]):
        return False
    s, _ = art.sentence_at(m.start)
    return bool(_ASKED.search(art.masked, max(s, m.start - 90), m.start))


# "đề nghị UBND tỉnh chỉ đạo triển khai các nghị quyết vừa được thông qua, trong đó sớm ban hành kế hoạch …"
_CARRY_OUT = re.compile(r"\b(?:thuc hien|trien khai|to implement|to carry out|implementation of)\b")


def _asked_to_carry_out(art: Article, m: Mention) -> re.Match | None:
    """A request to carry out the act the text is about, of which issuing this act is a part: the
    link word between the request and the act, in its sentence."""
    s, _ = art.sentence_at(m.start)
    asked = None
    for asked in _ASKED.finditer(art.masked, max(s, m.start - 120), m.start):
        pass
    return _CARRY_OUT.search(art.folded, asked.end(), m.start) if asked else None


# on the masked text: "giao" only before a body ("giao UBND tỉnh"), not "Sở Giao thông"
_ASKED = re.compile(r"(?<!\w)(?:(?i:đề nghị|yêu cầu|chỉ đạo|asked|tasked|urged|requested|instructed|assigned)(?!\w)"
                    r"|[Gg]iao\s+(?:cho\s+)?(?=[A-ZĐ]))")


def _main_act(art: Article, docs: list[Document], mentions: list[Mention], pos: int) -> int | None:
    """The act the text is about, for an act to be issued to implement it: a provincial act the
    headline names, else the first provincial act named (not the last: an act off the subject is
    often named late, "Cùng ngày, … cũng ban hành …")."""
    first_line_end = art.text.find("\n") if "\n" in art.text else len(art.text)
    named = [(x.start, x.doc) for x in mentions if x.doc is not None and x.start < pos and not docs[x.doc].central
             and (x.number or x.title)]
    if not named:
        return None
    headline = [d for start, d in named if start < first_line_end]
    return headline[0] if headline else min(named)[1]


_IMPLEMENTING_TITLE = re.compile(r"(?:ve\s+)?(?:thuc hien|trien khai|cu the hoa|implementing|to implement)\s+(?:the\s+)?")


def names_implemented(art: Article, lex: Lexicon, m: Mention) -> bool:
    """The title is that of the act it implements ("thực hiện Nghị quyết số 57-NQ/TW … quốc gia"):
    what it says (a central subject, a sector) is about that act, not this one."""
    if not m.title:
        return False
    verb = _IMPLEMENTING_TITLE.match(art.folded, *m.title)
    return bool(verb and lex.doc_types.rx.match(art.folded, verb.end(), m.title[1]))


def _same_title(art: Article, lex: Lexicon, a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Two titles name one act when the shorter one's words are (mostly) in the longer one;
    place names and the words every title has do not count."""
    noise = _TITLE_NOISE | lex.province_words
    wa = set(re.findall(r"[a-z]+", art.folded[a[0]:a[1]])) - noise
    wb = set(re.findall(r"[a-z]+", art.folded[b[0]:b[1]])) - noise
    if not wa or not wb:
        return True
    return len(wa & wb) / min(len(wa), len(wb)) >= 0.6


def _doc_type(lex: Lexicon, d: Document) -> str | None:
    for m in d.mentions:
        if m.type_code:
            keys = _type_from_code(lex, m.type_code)
            if m.type_key in keys:
                return m.type_key
    for m in d.mentions:
        if m.type_key:
            return m.type_key
    return None


def _same_doc(art: Article, lex: Lexicon, docs: list[Document], m: Mention) -> int | None:
    """An unnumbered titled mention is the document of its type already found (a numbered act it
    names by its title, or an earlier mention of the draft), unless its issuer differs. One named
    before it wins over one only named later: a text refers back, and "Nghị quyết về X" followed by
    "Nghị quyết số 09-NQ/TU … về X" may well be two acts (a Council's and the Party's it implements)."""
    fits = _fitting_docs(art, lex, docs, m)
    return next((i for i in fits if min(x.start for x in docs[i].mentions) < m.start), fits[0] if fits else None)


def _fitting_docs(art: Article, lex: Lexicon, docs: list[Document], m: Mention) -> list[int]:
    out = []
    for i, d in enumerate(docs):
        if _doc_type(lex, d) != m.type_key or d.central:
            continue
        titles = [x.title for x in d.mentions if x.title]
        if titles and not any(TOPIC.search(art.folded, *t) for t in titles):
            continue  # a numbered act on another subject
        if titles and m.title and not any(_same_title(art, lex, m.title, t) for t in titles):
            continue  # another act of the same type
        mine = period(art, [m.title]) if m.title else None
        theirs = [p for p in (period(art, [t]) for t in titles) if p]
        if mine and theirs and all(_periods_differ(mine[0], p[0]) for p in theirs):
            continue  # another period, another act
        said = (m.of_body or m.actor).key if (m.of_body or m.actor) else None
        if said and d.numbered and d.numbered.issuer_code:
            family = lex.issuer_codes.get(d.numbered.issuer_code) or lex.issuer_codes.get(re.sub(r"\d+$", "", d.numbered.issuer_code)) or []
            if family and said not in family:
                continue  # another issuer
        out.append(i)
    return out


def _periods_differ(a: dict, b: dict) -> bool:
    """Two periods that give different years for one part (a headline may leave the vision out)."""
    return any(a[k] != b[k] for k in a.keys() & b.keys())

