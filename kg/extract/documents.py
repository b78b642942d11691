"""Directives: find each mention of an act and group the mentions into documents (their fields
are read off in kg.extract.fields; grouping mentions into documents is kg.extract.grouping).

A mention is a type word (`Nghị quyết`, `Resolution`), a number (`48-NQ/TU`), or both. A document
is about digital transformation when a title says so, or for a numbered act without one, the words
it is cited in, or a link (implements) to one that is. Every numbered act is kept (one off the
subject is marked `about_dt: false`); unnumbered ones only when on the subject. Unnumbered central
acts and congress resolutions are references, not directives, and are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.extract.article import _MONTH, MONTH_NAMES, MONTHS, Article, DateSpan, _iso, full_dates, month_dates
from kg.extract.lexicon import Lexicon

# Words that make a title (or a sentence) about digital transformation, folded.
TOPIC = re.compile(r"\b(?:chuyen doi so|cds|chinh quyen so|chinh quyen dien tu|chinh phu so|chinh phu dien tu"
                   r"|kinh te so|xa hoi so|cong dan so|do thi thong minh|cach mang cong nghiep (?:lan thu tu|4\.0)"
                   r"|cong nghiep 4\.0|cong nghe so|ha tang so|du lieu so|nen tang so|so hoa|ung dung cong nghe thong tin"
                   r"|digital|e-government|smart cit(?:y|ies)|industry 4\.0|fourth industrial revolution)\b")
_PART = r"[A-ZĐƯ](?:[A-Za-zĐđƯư&]|\.(?=[A-ZĐƯ]))*\d*"
# 48-NQ/TU, 55/KH-UBND, 19/2025/QĐ-TTg; spaces around a separator and a dash for the hyphen
# ("123/QĐ – UBND", "07 - NQ/TU") are typing slips, tolerated and dropped (see canonical_number);
# "No.312/KH-UBND" (no space after "No.") is a number too
_SEP = r" ?[-/–—] ?"
NUMBER = re.compile(rf"(?:(?<![\w/.\-])|(?<=\b[Nn]o\.)|(?<=\b[Ss]ố\.))(\d{{1,5}}[a-z]?)(/(?:19|20)\d\d)?((?:{_SEP}{_PART})+)(?![\w])")
# abbreviations typed without diacritics, and the form the records write them in
_ASCII_CODES = {"QD": "QĐ", "DA": "ĐA", "ND": "NĐ", "HDND": "HĐND", "BCD": "BCĐ", "CTHD": "CTHĐ", "KHHD": "KHHĐ",
                "CTrHD": "CTrHĐ"}


def canonical_number(number: str) -> str:
    """`123/QĐ – UBND` → `123/QĐ-UBND`, `07-DA/TU` → `07-ĐA/TU`: no spaces, ASCII hyphens, the
    abbreviations with their Đ."""
    number = re.sub(r"\s+", "", number).replace("–", "-").replace("—", "-")
    return re.sub(r"(?<=[-/])[A-Za-z]+(?=[-/]|$)", lambda m: _ASCII_CODES.get(m.group(0), m.group(0)), number)
# "Nghị quyết số 12", "Resolution No. 12"; without `số` only a short number that is no year, count or
# share ("Nghị quyết 57", "Resolution 52", "Đề án 06"; not "Kế hoạch 2025", "Chương trình 5 năm")
BARE_NUMBER = re.compile(r"\s*(?:(?:so|no\.?|number)\s+(\d{1,5})|(\d{1,3}))(?![\w/-])(?!\s*(?:%|nam|year|thang|month|ngay|day|percent|[.,]\d))")
_BEFORE_NUMBER = re.compile(r"\s*(?:so|no\.?|number|#)?\s*$")
_TITLE_MARK = re.compile(r"\s*,?\s*(ve viec|ve|thuc hien|trien khai|cu the hoa|phe duyet|quy dinh|on implementing|on the implementation of|on|regarding|about|approving|implementing|to implement)\b")
# on the masked text, not the folded one: "để" (so that) ends a title, "đề án" does not
_TITLE_STOP = re.compile(r"\s(?:nhằm|để|như sau|trong đó|theo đó|đề ra|đặt ra|đặt mục tiêu|xác định|yêu cầu|nhấn mạnh"
                         r"|trên cơ sở|được (?:ban hành|xây dựng|thông qua|phê duyệt)|(?:ban hành )?kèm theo|approved (?:by|under)|(?:is|was) (?:issued|developed|adopted)"
                         r"|with the aim|in order to|so as to|sets?|aims?|aiming|calls? for)\b|,\s+(?:hoàn thành|trình|ban hành|dự kiến|to be|ký ngày|dated|signed|issued|adopted|approved)\b"
                         # "Thực hiện Chỉ thị … về chuyển đổi số, UBND tỉnh ban hành Kế hoạch": a new clause
                         r"|,\s+(?:[^\W\d_]+\s+){1,5}?(?:đã\s+|vừa\s+)?(?:ban hành|thông qua|phê duyệt|issued|adopted|approved)\b"
                         r"|\s\((?=ban hành|ngày|issued|dated|signed)|\s(?:được|was|were)\s+(?:[^\W\d_]+\s+){0,4}?(?:ban hành|ký|phê duyệt|thông qua|issued|signed|adopted|approved)\b"
                         r"|\s(?:trước|trong|vào)\s+(?:ngày|tháng|quý)\b|\son\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|\son\s+(?:(?:" + MONTH_NAMES + r")\s+\d{1,2}\b|\d{1,2}\s+(?:" + MONTH_NAMES + r")\b)|,\s+trong bối cảnh\b|[;:!?\n]|\.(?:\s|$)"
                         # "… về X" và Đề án số 01-ĐA/TU": another act named after it
                         r"|\s+(?:và|and)\s+(?:\S+\s+){0,4}?(?:số\s+|No\.?\s*)?\d{1,5}(?:/\d{4})?\s?[-/–]\s?[A-ZĐ]", re.I)
_PERIOD_PARTS = [
    ("range", re.compile(r"(?:giai doan|thoi ky|period|for)?\s*((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)")),
    ("vision", re.compile(r"(?:dinh huong|tam nhin|vision|orientations?)\s*(?:den|toi|to|towards|until|for|by)?\s*(?:nam\s+)?((?:19|20)\d\d)")),
    ("end", re.compile(r"(?:den|toi|to|until|by|through)\s+(?:nam\s+)?((?:19|20)\d\d)")),
]
# issuing an act: "ban hành kế hoạch", "ban hành văn bản hướng dẫn", "issue detailed guidance"
_ISSUING = re.compile(r"\b(?:ban hanh|xay dung|soan thao|trinh|issue|issuing|draft|drafting|develop|developing|prepare|preparing|submit|submitting)"
                      r"\s+(?:mot\s+|a\s+|an\s+|the\s+)?(?:(?:implementation|detailed|specific|further|chi tiet|van ban)\s+){0,2}$")
# a deadline after an act: a date, a month, or a day and month ("before September 30", "trước ngày 30/11")
_DEADLINE = re.compile(r"\b(?:trong|vao|truoc|in|by|before)\s+(?:ngay\s+)?(?:\d{1,2}[/-]\d{1,2}\b|thang\s+\d|quy\s+(?:[ivx]+|\d)\b"
                       r"|(?:january|february|march|april|may|june|july|august|september|october|november|december)\b)")
# an act that implements the one just discussed without naming it: "an implementation plan", "kế hoạch thực hiện,"
_IMPLEMENTATION_BEFORE = re.compile(r"\bimplementation\s+$")
_IMPLEMENTATION_AFTER = re.compile(r"\s+(?:thuc hien|trien khai)(?=\s*(?:[,;.]|trong\b|truoc\b|vao\b|cua\b|$))")
_CONGRESS = re.compile(r"\s*(?:dai hoi|hoi nghi trung uong|trung uong \d|of the \w+ (?:national )?party congress|congress)")
_PLURAL = re.compile(r"(?:cac|nhung|moi|nhieu|nghi quyet,|resolutions|the following)\s+$")
_CENTRAL_TITLE = re.compile(r"\b(?:quoc gia|national|toan quoc)\b")

# Status cues: STATUS_BEFORE patterns end right before a mention and decide for it; STATUS_CLAUSE
# patterns count anywhere in its clause otherwise. The status scheme's labels are too short to
# tell "tờ trình ban hành" (a submission) from "đã ban hành" (issued), so the cues are rules here;
# the scheme's rank orders the stages.
STATUS_BEFORE = [
    ("planned", re.compile(r"(?:dang|se)?\s*xay dung\s+du thao\s+$|\bdrafting\s+(?:the\s+|a\s+|an\s+)?(?:implementation\s+)?$")),
    ("disseminated", re.compile(r"(?:quan triet|pho bien|hoc tap|tuyen truyen|disseminat\w*|introduc\w*|populari[sz]\w*|study and implement)(?:[,\s]+(?:va\s+)?(?:quan triet|pho bien|trien khai|hoc tap))*\s+(?:noi dung\s+|cua\s+)?(?:the\s+)?$")),
    ("agreed-in-principle", re.compile(r"(?:thong nhat|nhat tri)\s+(?:chu truong\s+|co ban\s+)?(?:ban hanh|thong qua|voi)\s+(?:\S+\s+){0,6}?$|agreed\s+(?:in principle\s+)?(?:to issue|to adopt|on|with)\s+(?:the\s+)?$|approved in principle\s+(?:the\s+)?$")),
    ("adopted", re.compile(r"(?:da|vua|moi|chinh thuc)\s+(?:\S+\s+){0,2}?(?:ban hanh|thong qua)\s+$|\bbieu quyet\s+thong qua\s+$|\bphe duyet\s+$|\bapprov(?:ed|ing)\s+(?:the\s+)?$|(?:has|have|had|recently|just|officially)\s+(?:\w+\s+)?(?:issued|adopted|promulgated|passed)\s+(?:the\s+|its\s+|a\s+)?$")),
    ("draft-discussed", re.compile(r"(?:du thao|draft)\s+$|(?:cho y kien|gop y|thao luan|y kien vao|cho y kien vao|discuss\w*|comment\w* on|opinions on|feedback on)\s+(?:ve\s+|vao\s+|on\s+)?(?:noi dung\s+)?(?:du thao\s+)?(?:the\s+|a\s+)?(?:draft\s+)?$")),
    ("planned", re.compile(r"(?:xay dung|se ban hanh|du kien ban hanh|can thiet phai ban hanh|can ban hanh|chuan bi ban hanh|de nghi ban hanh|tham muu ban hanh|se xay dung|will issue|will develop|will build|plans? to (?:issue|develop|build)|to develop|to build|develop(?:ing)?)\s+(?:[^,;.]{1,20},\s+)?(?:mot\s+|a\s+|the\s+|an\s+)?(?:implementation\s+|action\s+)?$")),
]
STATUS_CLAUSE = [
    ("agreed-in-principle", re.compile(r"(?:thong nhat|nhat tri)\s+(?:chu truong\s+)?(?:ban hanh|thong qua)|thong nhat co ban voi|agreed in principle|agreed to (?:issue|adopt)")),
    ("adopted", re.compile(r"(?<!be )(?<!been )\b(?:issued|adopted|promulgated|passed)\b(?! in principle)"
                           r"|\b(?:da|vua|moi)\s+(?:\S+\s+){0,2}?(?:ban hanh|thong qua)\b")),
    ("draft-discussed", re.compile(r"\bdu thao\b|\bdraft\b")),
    ("planned", re.compile(r"\b(?:ban hanh|issued?|adopted?)\s+(?:trong|vao|truoc|in|by|before)\s+(?:thang|quy|nam|month|quarter)?\s*(?:\d|january|february|march|april|may|june|july|august|september|october|november|december)|\b(?:to be|will be) (?:issued|adopted)")),
]
# Words that make what follows a request or an intention, not a report: "giao UBND tỉnh ban hành kế
# hoạch", "đề nghị … khẩn trương quán triệt Nghị quyết ngay sau khi ban hành", "sẽ thông qua".
# Before an `adopted` or `disseminated` cue they cancel it (an act to be issued is planned). Matched
# on the masked text: folded, "sẽ" would be the "sẻ" of "chia sẻ" and "giao" the "giáo" of "giáo dục".
REQUEST = re.compile(r"(?<!\w)(?:(?i:sẽ|sắp|cần|phải|đề nghị|yêu cầu|khẩn trương|sớm|dự kiến|chuẩn bị|tham mưu|tờ trình|đệ trình"
                     r"|trước khi|chưa|will|shall|should|must|to be|tasked|asked|urged|requested)(?!\w)"
                     r"|(?<![Cc]hương )(?<![Qq]uá )[GgTt](?:iao|rình)\s+(?:cho\s+)?(?=[A-ZĐ]))")  # "giao UBND tỉnh", "trình HĐND"
RECENT = re.compile(r"\b(?:vua|moi)\s+(?:\S+\s+)?ban hanh|\b(?:recently|just|newly)\s+(?:\w+\s+)?(?:issued|adopted|promulgated)")
_MEETING = re.compile(r"\b(?:hoi nghi|hop|phien hop|ky hop|meeting|conference|session|met)\b")
# Who issues an act of a type when the text never says: the usual practice, cited as assumed.
TYPE_DEFAULT_ISSUER = {"resolution": "party-executive-committee", "directive": "party-standing-committee",
                       "conclusion": "party-standing-committee", "regulation": "party-standing-committee",
                       "notice": "party-standing-committee", "decree": "government", "circular": "ministry",
                       "law": "national-assembly"}
_NOT_A_BODY_BEFORE = re.compile(r"(?:bi thu|chu tich|uy vien|truong|pho|giam doc|thuong truc|van phong|co quan|"
                                r"secretary|chair\w*|member|head|director|office) (?:cua |of the |of )?$")
_MINISTRY = re.compile(r"\bBộ (?:[A-ZĐ][\wđ]*(?: và| &)? ?)+|\bMinistry of (?:[A-Z][\w]*(?:,? and)? ?)+")


# the number in the header of an act's own text: "Số: 344/KH-UBND", "Số hiệu:\n344/KH-UBND", "| Số: 1893/QĐ-UBND |", "| Số hiệu | 231/KH-UBND |", "No. 50/NQ-CP | | Hanoi, …"
_OWN_NUMBER = re.compile(r"(?:^|\n)[^\S\n]*\|?[^\S\n]*(?:so(?:[^\S\n]+hieu)?[^\S\n]*[:|]|no\.)\s*$")


def own_number(art: Article, m: Mention) -> bool:
    """The mention is the number in the header of the act's own text (near its top)."""
    return m.start < 2500 and bool(_OWN_NUMBER.search(art.folded, max(0, m.start - 30), m.start))


@dataclass
class Body:
    start: int
    end: int
    key: str
    in_title: bool  # part of a person's title (`Bí thư Tỉnh ủy`), not an actor


@dataclass
class Mention:
    start: int
    end: int  # of the head: type word and number
    type_key: str | None = None
    type_span: tuple[int, int] | None = None
    capital: bool = False
    number: str | None = None
    number_span: tuple[int, int] | None = None
    digits: str | None = None
    type_code: str | None = None
    issuer_code: str | None = None
    number_year: str | None = None
    date: DateSpan | None = None
    of_body: Body | None = None  # "của UBND tỉnh" right after the head
    tail_end: int = 0  # end of number, date and issuer
    title: tuple[int, int] | None = None
    title_prefixed: bool = False  # the title starts right after the type word (no "về")
    draft: bool = False
    plural: bool = False
    actor: Body | None = None  # "HĐND tỉnh đã thông qua <mention>": who acts on it
    place: str | None = None  # the province named with its issuer ("của Tỉnh ủy Tuyên Quang")
    doc: int | None = None


@dataclass
class Document:
    mentions: list[Mention] = field(default_factory=list)
    central: bool = False
    on_topic: bool = False
    implements: dict[int, tuple[int, int]] = field(default_factory=dict)  # doc index → quote span
    to_issue: bool = False  # an act the text says is to be issued ("giao UBND tỉnh xây dựng kế hoạch thực hiện")

    @property
    def first(self) -> Mention:
        return self.mentions[0]

    @property
    def numbered(self) -> Mention | None:
        """The mention that gives the act's number: a full one (52-NQ/TW) before a short one (52)."""
        return next((m for m in self.mentions if m.number and (m.type_code or m.issuer_code)),
                    next((m for m in self.mentions if m.number), None))


# --- mentions -------------------------------------------------------------------------------------


def find_bodies(art: Article, lex: Lexicon) -> list[Body]:
    """Every named body; those inside a person's title are marked, `Chính phủ số` is no body."""
    out = []
    for s, e, key in lex.bodies.within(art):
        if key == "government" and re.match(r"\s+(?:so|dien tu)\b", art.folded[e:e + 10]):
            continue
        if key != "prime-minister" and art.folded[max(0, s - 9):s] == "thu tuong":
            continue
        in_title = bool(_NOT_A_BODY_BEFORE.search(art.folded[max(0, s - 30):s]))
        out.append(Body(s, e, key, in_title))
    merged: list[Body] = []
    for b in out:
        prev = merged[-1] if merged else None
        if prev and prev.key == "party-standing-committee" and b.key == "party-executive-committee" and \
                re.fullmatch(r"\s+of\s+(?:the\s+)?(?:[a-z]+\s+){0,3}", art.folded[prev.end:b.start]):
            merged[-1] = Body(prev.start, b.end, prev.key, prev.in_title)
        else:
            merged.append(b)
    out = merged
    for m in _MINISTRY.finditer(art.masked):
        if not any(b.start <= m.start() < b.end for b in out) and "Chính trị" not in m.group(0):
            out.append(Body(m.start(), m.end() - (1 if m.group(0).endswith(" ") else 0), "ministry", False))
    return sorted(out, key=lambda b: b.start)


def _body_at(bodies: list[Body], pos: int) -> Body | None:
    return next((b for b in bodies if b.start == pos), None)


def _place_after(art: Article, lex: Lexicon, pos: int) -> str | None:
    """The province named right after a body ("Ban Chấp hành Đảng bộ tỉnh Quảng Ninh"), if any."""
    m = re.match(r"\s+(?:tinh\s+|thanh pho\s+)?", art.folded[pos:pos + 14])
    if m:
        for s, e, name in lex.provinces.within(art, pos + m.end(), pos + m.end() + 40):
            if s == pos + m.end():
                return name
            break
    return None


def _skip_place(art: Article, lex: Lexicon, pos: int) -> int:
    """After a body: skip "tỉnh", a province name, "khóa XIX", "Trung ương" (Ban Chỉ đạo Trung ương),
    so what follows can be read."""
    m = re.match(r"\s+(?:tinh\s+)?", art.folded[pos:pos + 8])
    start = pos
    if m:
        for s, e, _ in lex.provinces.within(art, pos + m.end(), pos + m.end() + 40):
            if s == pos + m.end():
                pos = e
            break
    if pos == start:  # "Ban Chỉ đạo tỉnh về …": the province's body, its name not given
        m = re.match(r"\s+(?:tinh|thanh pho)\b", art.folded[pos:pos + 12])
        pos += m.end() if m else 0
    m = re.match(r"\s+(?:khoa|nhiem ky|term)\s+[\w.-]+|\s+trung uong\b", art.folded[pos:pos + 30])
    return pos + m.end() if m else pos


def find_mentions(art: Article, lex: Lexicon, bodies: list[Body]) -> list[Mention]:
    f, text = art.folded, art.masked
    types = []
    for s, e, key in lex.doc_types.within(art):
        # "kế hoạch thực hiện" is a label, but "thực hiện X" is what the plan implements: keep it out
        cut = re.search(r"\s+(?:thuc hien|trien khai)$", f[s:e])
        types.append((s, s + cut.start() if cut else e, key))
    by_end = {e: (s, e, k) for s, e, k in types}
    mentions: list[Mention] = []
    used: set[int] = set()
    for m in NUMBER.finditer(text):
        parts = re.findall(rf"{_SEP}({_PART})", m.group(3))
        if not parts or max(len(p) for p in parts) < 2:
            continue
        mention = Mention(m.start(), m.end(), number=m.group(0), number_span=(m.start(), m.end()), digits=m.group(1),
                          number_year=(m.group(2) or "")[1:] or None)
        code0 = parts[0]
        if _type_from_code(lex, code0):
            mention.type_code, mention.issuer_code = code0, "-".join(parts[1:]) or None
        else:
            mention.issuer_code = code0
        # the type word written before the number
        for back in range(m.start(), max(-1, m.start() - 14), -1):
            if back in by_end and _BEFORE_NUMBER.fullmatch(f[back:m.start()]):
                s, e, key = by_end[back]
                mention.type_span, mention.type_key, mention.start = (s, e), key, s
                used.add(s)
                break
        mentions.append(mention)
    numbered_ends = {mm.type_span[0] for mm in mentions if mm.type_span}
    for s, e, key in types:
        if s in used or s in numbered_ends:
            continue
        mention = Mention(s, e, type_key=key, type_span=(s, e))
        bare = BARE_NUMBER.match(f, e)
        g = 1 if bare and bare.group(1) else 2
        if bare and not NUMBER.match(text, bare.start(g)) and (g == 1 or text[s].isupper()):
            mention.number, mention.digits = text[bare.start(g):bare.end(g)], bare.group(g)
            mention.number_span, mention.end = (bare.start(g), bare.end(g)), bare.end(g)
        mentions.append(mention)
    for mention in mentions:
        _read_mention(art, lex, bodies, mention)
    mentions.sort(key=lambda x: x.start)
    return mentions


def _type_from_code(lex: Lexicon, code: str) -> list[str]:
    return lex.type_codes.get(code) or lex.type_codes.get(_ASCII_CODES.get(code, ""), [])


_ACTS_ON = re.compile(r"(?:\s+on\s+[a-z]+(?:\s+\d{1,2})?(?:,\s+\d{4})?,?|\s+(?:ngay|chieu|sang)\s+[\d/]+,?)?"
                     r"(?:\s+(?:da|vua|moi|chinh thuc|thong nhat|nhat tri|co ban|se|sap|has|have|had|recently|just|officially|ky))*"
                     r"\s+(?:ban hanh|thong qua|issued|adopted|promulgated|passed)\s+(?:the\s+|its\s+|a\s+)?(?:du thao\s+)?$")


def _read_mention(art: Article, lex: Lexicon, bodies: list[Body], m: Mention) -> None:
    """What follows the head: date, issuer ("của ..."), title; and what precedes: draft, plural,
    and the body that issues or passes it ("HĐND tỉnh đã thông qua Nghị quyết")."""
    f = art.folded
    head = m.type_span[0] if m.type_span else m.start
    s_start, _ = art.sentence_at(head)
    for b in reversed([b for b in bodies if s_start <= b.start and b.end <= head and not b.in_title][-3:]):
        if _ACTS_ON.fullmatch(f, _skip_place(art, lex, b.end), head):
            m.actor = b
            m.place = _place_after(art, lex, b.end)
            break
    if m.type_span:
        ts = m.type_span[0]
        m.capital = art.masked[ts].isupper() or bool(re.search(r"\bthe\s+$", f[max(0, ts - 5):ts]))
        m.draft = bool(re.search(r"(?:du thao|draft)\s+$", f[max(0, ts - 12):ts]))
        m.plural = bool(_PLURAL.search(f[max(0, ts - 20):ts]))
    if m.type_key is None and m.type_code:
        keys = _type_from_code(lex, m.type_code)
        m.type_key = keys[0] if keys else None
    pos = m.end
    # "ngày 3/2/2022", "(ngày 3/2/2022)", "ban hành ngày …", "dated March 3, 2022", "ban hành tháng 3/2021";
    # after the issuer too: "của Tỉnh ủy ngày 3/2/2022", "issued by the Party Committee on February 3, 2022"
    pos = _date_after(art, m, _DATE_NEXT.match(f, pos, pos + 30), pos)
    # "của UBND tỉnh", "issued by the …"; "kế hoạch thực hiện của UBND tỉnh" (the plan to implement it, the committee's)
    bm = re.match(r"\s*,?\s*(?:(?:thuc hien|trien khai)\s+(?=cua\s))?(?:cua|do|of the|by the|of|by|issued by the)\s+", f[pos:pos + 40])
    if bm:
        body = _body_at(bodies, pos + bm.end())
        if body:
            m.of_body = body
            m.place = _place_after(art, lex, body.end) or m.place
            pos = _skip_place(art, lex, body.end)
            if m.date is None:
                pos = _date_after(art, m, _DATE_NEXT.match(f, pos, pos + 30), pos)
    m.tail_end = pos
    tm = _TITLE_MARK.match(f, pos)
    # English introduces an act as "a resolution on …": an `on` title counts after an article too
    english_intro = art.language == "en" and m.type_span and re.search(r"\b(?:a|an|new|its|their)\s+$", f[max(0, m.type_span[0] - 7):m.type_span[0]])
    if tm and (m.number or m.of_body or m.capital or m.draft or english_intro or tm.group(1) not in ("on", "about")) \
            and f[tm.end():tm.end() + 1] == " ":
        m.title = (tm.start(1), _title_end(art, tm.start(1)))
    elif m.type_span and not m.number and not m.of_body and (m.capital or m.draft) and f[m.end:m.end + 1] == " ":
        # `Đề án chuyển đổi số …`, `Chương trình Chuyển đổi số quốc gia`: the subject comes first;
        # `Nghị quyết cần khẳng định … CĐS` is a sentence about the act, not its title
        first_words = f[m.end:m.end + 80].split()
        topic = TOPIC.search(" ".join(first_words[:6]))
        if topic and len(" ".join(first_words[:6])[:topic.start()].split()) <= 2 and not _CONGRESS.match(f, m.end) \
                and not _VERB_AFTER_TYPE.match(f, m.end):
            m.title, m.title_prefixed = (m.end + 1, _title_end(art, m.end + 1)), True
    if m.title and m.date is None:  # "Kế hoạch … về X được UBND tỉnh ban hành ngày 4/2/2022", "… was signed on …"
        _date_after(art, m, _DATE_AFTER_TITLE.match(f, m.title[1], m.title[1] + 80), m.title[1])


_MONTH_AT = re.compile(_MONTH + r",?\s+((?:19|20)\d\d)(?!\d)")
# "Đề án ưu tiên chuyển đổi số trong công nghiệp": a sentence about the act (its verb), not its title
_VERB_AFTER_TYPE = re.compile(r"\s+(?:uu tien|xac dinh|dat ra|de ra|neu ro|nhan manh|tap trung|huong toi|huong den|gom|bao gom"
                              r"|prioriti[sz]es|gives priority|focuses|sets|aims|targets|calls)\b")
# on the act's own line: a headline ending "… Đề án 06" is not dated by the dateline under it
_DATE_NEXT = re.compile(r"[^\S\n]*,?[^\S\n]*\(?[^\S\n]*(?:(?:ban hanh|ky|issued|signed|adopted)\s+)?(?:ngay|dated|issued on|signed on|of|on|vao|in)?[^\S\n]*")
_DATE_AFTER_TITLE = re.compile(r"\s*,?\s*\(?\s*(?:(?:was|were|has been|had been|duoc|da duoc|da)\s+)?(?:[^\W\d_]+\s+){0,4}?"
                               r"(?:ban hanh|ky|phe duyet|thong qua|issued|signed|adopted|approved|promulgated)\s+(?:vao\s+)?(?:ngay|on|in)?\s*")


def _date_after(art: Article, m: Mention, cue: re.Match | None, pos: int) -> int:
    """The act's date right after `cue` (a full date, else a month kept as a month) into `m.date`;
    returns where reading goes on."""
    if not cue:
        return pos
    at = cue.end()
    date = next(iter(full_dates(art, at, at + 30)), None)
    if not (date and date.start == at) and (cue.group(0).strip() or re.match(r"thang\s", art.folded[at:at + 6])):
        date = next((d for d in month_dates(art, at, at + 30) if d.start == at), None) or _month_at(art, at)
    if not (date and date.start == at):
        return pos
    m.date = date
    return date.end + (1 if art.folded[date.end:date.end + 1] == ")" and "(" in cue.group(0) else 0)


def _month_at(art: Article, at: int) -> DateSpan | None:
    """"March 2021" right at `at`: a month, kept as a month (a partial date)."""
    m = _MONTH_AT.match(art.folded, at)
    value = _iso(int(m.group(2)), MONTHS[m.group(1)]) if m else None
    return DateSpan(m.start(), m.end(), value) if value else None


def _title_end(art: Article, start: int) -> int:
    """A title runs to the end of its clause, or ends with its period (…, định hướng đến năm 2030)."""
    s_start, s_end = art.sentence_at(start)
    end = s_end if s_end > start else min(len(art.text), start + 300)
    stop = _TITLE_STOP.search(art.masked, start, end)
    if stop:
        end = stop.start()
    window = art.folded[start:end]
    parts = sorted(pm.end() for _, rx in _PERIOD_PARTS for pm in rx.finditer(window))
    for last in parts:  # the first period part not followed by more of the period closes the title
        if not re.match(r"\s*(?:period\s*)?,?\s*(?:dinh huong|tam nhin|with (?:a |an )?(?:vision|orientation)|and a vision|vision|orientation"
                        r"|(?:den|toi) nam|to \d{4})", window[last:]):
            end = start + last
            break
    if end - start > 300:
        cut = art.folded.rfind(",", start, start + 300)
        end = cut if cut > start else start + 300
    while end > start and art.masked[end - 1] in " ,.":
        end -= 1
    return end


def period(art: Article, spans: list[tuple[int, int]]) -> tuple[dict, dict] | None:
    """From a title: `giai đoạn 2021 - 2025, định hướng đến năm 2030` → start, end, vision."""
    for start, end in spans:
        window = art.folded[start:end]
        out: dict[str, int] = {}
        first, last = None, None
        for kind, rx in _PERIOD_PARTS:
            for pm in rx.finditer(window):
                if kind == "range" and "start" not in out:
                    a, b = int(pm.group(1)), int(pm.group(2))
                    if a < b:
                        out.update(start=a, end=b)
                    else:
                        continue
                elif kind == "vision" and "vision" not in out:
                    out["vision"] = int(pm.group(1))
                elif kind == "end" and "end" not in out:
                    if re.search(r"(?:dinh huong|tam nhin|vision|orientations?)\s*$", window[:pm.start()]):
                        continue
                    out["end"] = int(pm.group(1))
                else:
                    continue
                first = pm.start() if first is None else min(first, pm.start())
                last = pm.end() if last is None else max(last, pm.end())
        if out.get("vision") and out.get("end") and out["vision"] <= out["end"]:
            out.pop("vision")
        if out.get("end") or out.get("vision"):
            ordered = {k: out[k] for k in ("start", "end", "vision") if k in out}
            return ordered, art.evidence(start + first, start + last)
    return None


# --- grouping into documents ------------------------------------------------------------------------
