"""Which act implements which: read from the link words between acts, and from an act's preamble.

The words a news article links acts with (folded): `thực hiện`, `triển khai (thực hiện)`, `cụ
thể hóa`, `thể chế hóa`, `hiện thực hóa`, `căn cứ`, `trên cơ sở`, `theo tinh thần`; "to implement",
"the implementation of", "realise", "materialise", "concretise", "carry out", "pursuant to", "in
line with", "in accordance with", "in the spirit of", "give effect to", "in implementation of", "put
into practice", "roll out", "follow up on", "(which updated) the action programme for"; `hưởng
ứng`, `bám sát`, `đưa … vào cuộc sống`, "bring to life", "builds on", "in response to". Shapes:

* after the act: `A (…) thực hiện B`, `A, which implements B`, `A and C, both of which carry out B`
  (each of A and C), `It also realises B` (the act the sentence before is about);
* a sentence about the act just reported: `Kế hoạch được xây dựng để hưởng ứng B, qua đó góp phần
  đưa C vào cuộc sống`, "The resolution is intended to bring to life B", `Kế hoạch triển khai B; C;
  đồng thời bám sát D`;
* before it: `Căn cứ B, UBND tỉnh ban hành A`, `Pursuant to B, the committee issued A`, `Căn cứ B,
  Đề án tập trung …` (the act the main clause names), `Để tiếp tục thực hiện B, Ban Thường vụ yêu
  cầu …` (the act the article reports, when the main clause asks something);
* a list: `thực hiện B và C`, `B gắn với C`, `B; C`, `B of the Party Committee and the Government's C`;
* the text of an act itself (`Số: 344/KH-UBND` in its header): the acts its preamble cites (`Căn
  cứ …;`, `Thực hiện …;`, a plan's `I. CĂN CỨ LẬP KẾ HOẠCH`), but not the laws, decrees and
  circulars it rests on, nor a department's proposal.

Not a link: a link word after `trong bối cảnh` / "in the context of" (context) or after words of
a progress report (`sơ kết 2 năm thực hiện B`, `kết quả triển khai B`, "the results of
implementing B"), and an act that only carries out others in a report of progress (`tỉnh tiếp tục
triển khai B và C`: no act before the link word and none issued after it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.article import Article
from kg.extract.documents import Document, Mention, own_number

LINK = (r"(?:(?:trien khai|to chuc)\s+)?(?:thuc hien|trien khai(?:\s+thi hanh)?|cu the hoa|the che hoa|hien thuc hoa"
        r"|can cu(?:\s+vao)?|tren co so(?:\s+cu the hoa)?|(?:theo|tren) tinh than"
        r"|implement(?:s|ing|ed)?|(?:the\s+)?implementation of|reali[sz](?:e|es|ed|ing)|materiali[sz](?:e|es|ed|ing)"
        r"|concreti[sz](?:e|es|ed|ing)|institutionali[sz](?:e|es|ed|ing)|carr(?:y|ies|ied|ying) out|pursuant to"
        r"|in line with|in accordance with|in the spirit of|on the basis of|gives? effect to|giving effect to"
        r"|in implementation of|put(?:s|ting)? into practice|roll(?:s|ed|ing)? out|as a follow-up to|follow(?:s|ed|ing)? up on"
        r"|action (?:programme|program|plan) (?:for|on)"
        # "hưởng ứng Kế hoạch số 01-KH/BCĐTW", "bám sát Kết luận số 02-KL/TU", "đưa Nghị quyết 57 vào cuộc sống",
        # "bring to life Resolution No. 52-NQ/TW", "in response to", "builds on Plan No. 1044/KH-UBND"
        r"|huong ung|bam sat|dua(?=\s[^.;]{0,200}?\bvao (?:cuoc song|thuc tien|thuc te))"
        r"|bring(?:s|ing)? to life|bring(?:s|ing)? into (?:life|practice)|in response to|respond(?:s|ed|ing)? to"
        r"|build(?:s|ing)? on|built on|(?:issued|adopted|drawn up|developed|made) under)")
LINK_WORDS = re.compile(rf"\b{LINK}\b")
# from the link word to the act it names: "thực hiện nội dung các", "the Prime Minister's", "Politburo",
# "the provincial Party Standing Board's Action",
# "thực hiện chỉ đạo của Thủ tướng Chính phủ tại", "the … programme set out in"
_TO_TARGET = re.compile(r"\s+(?:(?:thuc hien|cu the hoa)\s+)?"
                        # "triển khai thực hiện nghiêm túc, hiệu quả Nghị quyết", "to effectively implement"
                        r"(?:(?:co\s+)?(?:nghiem tuc|hieu qua|kip thoi|dong bo|quyet liet|toan dien|sau rong|thang loi|thanh cong|effectively|fully|seriously|successfully)\s*,?\s+(?:va\s+|and\s+)?)*"
                        r"(?:noi dung\s+)?(?:cac\s+|the\s+)?"
                        r"(?:(?:chi dao|nhiem vu|yeu cau|noi dung|muc tieu|quan diem|the tasks?|the directions?)\s+(?:\S+\s+){0,5}?(?:tai|theo|in|of)\s+"
                        # "the national digital transformation programme set out in Decision No. 749"
                        r"|(?:\S+\s+){1,6}?(?:set out|laid out|outlined|defined|approved|de ra|neu|phe duyet)\s+(?:in|by|under|tai|theo)\s+)?"
                        r"(?:(?:[^\W\d_]+(?:'s?)?\s+){0,3}?|(?:[^\W\d_]+\s+){1,5}?[^\W\d_]+'s?\s+(?:[^\W\d_]+\s+){0,2}?)$")
# from an act to the link word after it: a few words, no punctuation but a comma after the act, or
# a clause between commas ("The plan, signed on September 24 by …, also realises"), or a bracket
# ("Kế hoạch số 20/KH-UBND (thực hiện Nghị quyết số 11-NQ/TU)"); the clause may hold a date
# ("The resolution, issued by the provincial Party Committee's Executive Board on May 10, 2022, was
# adopted to carry out": the issuer read ends before "'s", the clause goes on after it)
_FROM_ACT = re.compile(r"\s*(?:\)\s*)?(?:'s?\s+(?:[^,;:.()]|,\s*(?:19|20)\d\d\b){1,80},|,(?:[^,;:.()]|,\s*(?:19|20)\d\d\b){1,100},)?\s*,?\s*\(?\s*(?:[^\W\d_]+(?:'s)?\s+){0,8}?$")
# "…, qua đó góp phần đưa B vào cuộc sống", "…, thereby realising B": what the sentence's subject does
# a later link word of the same subject: "…; đồng thời bám sát C", "…, qua đó góp phần đưa C vào cuộc sống"
_CONTINUES = re.compile(r"(?:[;,]\s*|\b)(?:dong thoi|qua do|nho do|va|and|as well as|while|thereby|also)(?:\s+(?:gop phan|contributing to|helping to))?\s*$")
_THEREBY = re.compile(r"\b(?:qua do|nho do|thereby|thus)\b")
# the passive: "B (đã) được cụ thể hóa bằng A", "B has been carried out through A": A carries B out
_PASSIVE_BEFORE = re.compile(r"\b(?:duoc|has been|have been|had been|was|were|is|are|being)\s+(?:[^\W\d_]+\s+)?$")
_PASSIVE_AFTER = re.compile(r"\s+(?:bang|tai|qua|thong qua|through|by|via|in|under)\s+(?:the\s+)?")
_BOTH = re.compile(r"\b(?:both|all|each) of which\b|\bwhich both\b|\bdeu\b|\bca hai\b")
# not a link: context ("trong bối cảnh thực hiện B"), a report of progress ("sơ kết 2 năm thực
# hiện B", "kết quả triển khai B", "the results of implementing B"), dissemination ("quán triệt, triển khai B")
_CONTEXT = re.compile(r"\b(?:trong boi canh|boi canh|in the context of|amid|ket qua|so ket|tong ket|danh gia"
                      r"|results? of|review(?:ing)? of|progress (?:in|of|on))\s+(?:\S+\s+){0,3}$"
                      # a conference that disseminates an act: "hội nghị quán triệt, triển khai Kế hoạch số 162"
                      r"|\b(?:quan triet|pho bien|hoc tap|disseminat\w*|introduc\w*)\s*,?\s*(?:va\s+|and\s+)?$")
# a clause between commas that dates the act before it: "B of the Party Committee, adopted in September, and C"
_OWN_DATE_CLAUSE = (r"(?:\s*,\s*(?:(?:was|duoc)\s+)?(?:ban hanh|ky|thong qua|adopted|issued|signed|dated|approved|passed)\b"
                    r"[^,;:.()]{0,40}(?=,))?")
# two acts in a list: "B và C", "B, C", "B gắn với C", "B of the Party Committee and the Government's C",
# "B của Ban Chỉ đạo Trung ương và C" (the end of a body's name before the "và"), "and the city Party
# Committee's Action Programme No. C" (the type's own first word after the owner); a short name in
# brackets after B ("Quyết định số 06/QĐ-TTg (Đề án 06) gắn với Kế hoạch số 102")
_JOINED = re.compile(r"\s*;\s*|\s*[\")]?(?:\s*\([^()]{1,40}\))?" + _OWN_DATE_CLAUSE + r"\s*,?\s*(?:(?:[^\W\d_]+\s+){0,2}?(?:va|and|cung nhu|as well as|cung voi|together with|gan voi)\s+)?(?:the\s+)?"
                     r"(?:[^\W\d_]+\s+){0,2}?(?:[^\W\d_]+'s?\s+(?:action\s+)?)?"
                     r"|\s*,?\s*(?:duoc\s+)?(?:ban hanh kem theo|kem theo|phe duyet tai|approved (?:by|under|in))\s+(?:the\s+)?"
                     # "thực hiện B, đồng thời gắn với các nhiệm vụ … đề ra tại C", "and the tasks set out in C"
                     r"|\s*,?\s*(?:dong thoi\s+)?(?:va|and|gan voi|cung nhu|as well as)\s+(?:cac\s+|the\s+)?"
                     r"(?:chi dao|nhiem vu|yeu cau|noi dung|muc tieu|chu truong|giai phap|tasks?|goals?|targets?)\s+(?:\S+\s+){0,7}?(?:tai|theo|trong|in|of|under)\s+(?:the\s+)?")
_JOIN_END = re.compile(r"(?:,|\bva|\band|\bcung nhu|\bas well as|\bgan voi)\s+(?:the\s+)?(?:[^\W\d_]+'s?\s+)?$")
_ISSUED = re.compile(r"\b(?:ban hanh|xay dung|phe duyet|thong qua|ky|issued|adopted|developed|promulgated|approved|signed|passed)"
                     r"\s+(?:the\s+|a\s+|an\s+|its\s+)?(?:[^\W\d_]+(?:'s)?\s+){0,2}?$")
_IT = re.compile(r"\s*(?:it|this document|van ban nay)\b")
# a sentence whose subject is the act the sentence before issued, by the word for it: "The plan is
# meant to realise B", "Quy chế được ban hành nhằm thực hiện B", "The new scheme, …, carries out B"
_NOUNS = {"plan": "plan|ke hoach", "scheme": "scheme|project|de an", "programme": "programme|program|chuong trinh",
          "strategy": "strategy|chien luoc", "regulation": "regulations?|rules|quy che|quy dinh",
          "decision": "decision|quyet dinh", "resolution": "resolution|nghi quyet", "directive": "directive|chi thi",
          "document": "document|van ban"}
_SUBJECT = re.compile(r"\s*(?:the|this|that)?\s*(?:(?:new|city's|province's|provincial|city)\s+)?(?:(?P<plan>%s)|(?P<scheme>%s)"
                      r"|(?P<programme>%s)|(?P<strategy>%s)|(?P<regulation>%s)|(?P<decision>%s)|(?P<resolution>%s)|(?P<directive>%s)"
                      r"|(?P<document>%s))(?:\s+(?:nay|noi tren|tren|moi))?\b" % tuple(_NOUNS.values()))
_ISSUES = {"plan", "scheme", "programme", "strategy", "regulation"}  # what a decision or resolution issues or approves


# words that open a sentence before its subject: "Theo đó, kế hoạch …", "Also, the plan …"
_LEAD = re.compile(r"\s*(?:theo do|ngoai ra|ben canh do|dong thoi|also|in addition|besides|moreover|accordingly)\s*,?\s*"
                   r"|\s*(?:day la|do la|this is|it is)\s+(?:mot\s+|a\s+|the\s+)?")
# between a sentence's subject and a link word: a report about the act, not what it implements
# ("Kế hoạch nêu rõ, qua 3 năm thực hiện …", "The plan notes that after three years of implementing …")
_REPORTED = re.compile(r"\b(?:neu ro|cho biet|danh gia|nhan dinh|khang dinh|noted?|notes|said|says|according|sau|qua|after)\b")
# a sentence opening with what an act is for, then its main clause: "Để (tiếp tục) thực hiện B, Ban Thường vụ
# yêu cầu …", "Căn cứ B, Đề án tập trung …", "To realise B, the board …"
# … and a main clause that asks or sets something (of the act the article reports), not one that
# only says who carries the act out ("Để thực hiện Chỉ thị, Công an tỉnh chủ trì …")
_ASKS = re.compile(r"\b(?:yeu cau|de nghi|chi dao|giao|de ra|dat ra|xac dinh|dat muc tieu|ask(?:s|ed)?|require[sd]?|set(?:s)?|call(?:s|ed)? for|urge[sd]?)\b")
_PURPOSE_OPENING = re.compile(r"\s*(?:de|nham|to|in order to)?\s*(?:(?:tiep tuc|kip thoi|continue to|further)\s+)?$")


def _subject_of(f: str, s: int, ms: list[Mention], previous: list[Mention], docs: list[Document]) -> tuple[Mention, int] | None:
    """The act a sentence is about, named as its subject, and where the subject ends: a capitalised
    word for it ("Kế hoạch triển khai B": the plan the sentence before issued) or a noun naming the
    act of the sentence before ("The resolution is intended to bring to life B")."""
    lead = _LEAD.match(f, s)
    p = lead.end() if lead else s
    first = ms[0] if ms else None
    if first and first.start <= p + 1 and not first.number and first.capital and not docs[first.doc].central:
        return first, first.type_span[1] if first.type_span else first.end
    subject = _SUBJECT.match(f, p)
    named = _named_before(f, subject, previous, docs) if subject else None
    return (named, subject.end()) if named else None


def _end(m: Mention) -> int:
    """Where an act's words end: its title's end, else its number, date and issuer's."""
    return m.title[1] if m.title else m.tail_end


def _named_before(f: str, subject: re.Match, previous: list[Mention], docs: list[Document]) -> Mention | None:
    """The act of the sentence before that the subject's word names: one of that type, else a decision
    or resolution issuing or approving a thing of that kind ("Decision No. 1105/QD-UBND, issuing the
    city's 2021 plan" … "The plan is meant to realise B")."""
    kind = subject.lastgroup
    if kind == "document":  # "Đây là văn bản nhằm cụ thể hóa B": the act just reported, whatever its type
        return next((m for m in previous if m.number), None)
    same = [m for m in previous if m.type_key == kind and m.number]
    if same:
        return same[-1]
    if kind in _ISSUES:
        word = re.compile(rf"\b(?:{_NOUNS[kind]})\b")
        for m in previous:
            if m.number and m.type_key in ("decision", "resolution") and word.search(f, m.end, max(_end(m), m.end + 60)):
                return m
    return None


# the text of an act itself, as portals and legal libraries publish it: its number in the header
# ("Số: 344/KH-UBND", "Số hiệu:\n344/KH-UBND"), then a preamble citing what it carries out ("Căn cứ
# Quyết định số 749/QĐ-TTg …;", "Thực hiện Nghị quyết số 57-NQ/TW …; Nghị quyết số 03/NQ-CP …"), then
# its body ("QUYẾT ĐỊNH:", "như sau:", "I. MỤC ĐÍCH", "Điều 1."; a plan's "I. CĂN CỨ LẬP KẾ HOẠCH" is its preamble)
_BODY = re.compile(r"\n\s*(?:QUYẾT ĐỊNH|QUYẾT NGHỊ|CHỈ THỊ|NGHỊ QUYẾT)\s*:|như sau\s*:|\n\s*(?:[IVX]+|\d+|[A-Z])\.\s+(?!CĂN CỨ)[A-ZĐ]|\nĐiều 1\b")
# a clause of the preamble that cites a legal basis or a proposal, not an act carried out
_NOT_CARRIED_OUT = re.compile(r"\b(?:theo de nghi|xet de nghi|theo to trinh|xet to trinh)\b")
_LEGAL_BASES = {"law", "decree", "circular", "report", "official-letter"}


def _own_act(art: Article, mentions: list[Mention], docs: list[Document]) -> Mention | None:
    """The act whose text this is: the number its header gives after `Số:` (near the top)."""
    for m in mentions:
        if m.start > 2500:
            break
        if m.number and own_number(art, m):
            return m
    return None


def _preamble_links(art: Article, mentions: list[Mention], docs: list[Document]) -> None:
    """The text of an act implements the acts its preamble cites (`Căn cứ`, `Thực hiện`, its title
    "KẾ HOẠCH TRIỂN KHAI NGHỊ QUYẾT SỐ 57-NQ/TW"), but not the laws, decrees and circulars it rests
    on, nor a department's proposal (`Theo đề nghị của Giám đốc Sở … tại Tờ trình số …`)."""
    own = _own_act(art, mentions, docs)
    if own is None:
        return
    body = _BODY.search(art.masked, own.end, own.end + 6000)
    end = body.start() if body else min(len(art.text), own.end + 3000)
    cited = [m for m in mentions if own.end <= m.start < end]
    for m in cited:
        if m.doc == own.doc or not (m.number or docs[m.doc].central):
            continue
        if any(t.title and t.title[0] <= m.start < t.title[1] and t.doc not in (m.doc, own.doc) for t in cited):
            continue  # named in the title of another act cited ("Nghị quyết số 71/NQ-CP … thực hiện Nghị quyết số 57-NQ/TW")
        kinds = {x.type_key for x in docs[m.doc].mentions if x.type_key}
        clause = max(art.folded.rfind(";", own.end, m.start), art.folded.rfind("\n", own.end, m.start), own.end)
        if kinds & _LEGAL_BASES or _NOT_CARRIED_OUT.search(art.folded, clause, m.start):
            continue
        if m.doc not in docs[own.doc].implements and own.doc not in docs[m.doc].implements:
            docs[own.doc].implements[m.doc] = (max(clause, m.start - 60), m.end)


def link_implements(art: Article, docs: list[Document]) -> None:
    """Fill each document's `implements` (doc index → quote span) from the link words, then from
    the preamble when the text is an act's own."""
    linker = _Linker(art, docs)
    linker.run()
    _preamble_links(art, linker.mentions, docs)


@dataclass
class _Cue:
    """One link word in its sentence: the sentence's acts, those before the word, the acts it
    names (`targets`), the sentence's subject act and where the sentence starts and ends."""
    ms: list[Mention]
    before: list[int]
    cue: re.Match
    targets: list[Mention]
    subject: tuple[Mention, int] | None
    s: int
    e: int


class _Linker:
    """The link words of an article read sentence by sentence; each shape of sentence is a method,
    tried in turn for every link word until one links (see the module's docstring)."""

    def __init__(self, art: Article, docs: list[Document]) -> None:
        self.art, self.f, self.docs = art, art.folded, docs
        self.mentions = sorted((m for d in docs for m in d.mentions), key=lambda m: m.start)
        # the act the article is about: the first provincial act it names by number
        self.main = next((m for m in self.mentions if m.number and not docs[m.doc].central and docs[m.doc].numbered
                          and (docs[m.doc].numbered.type_code or docs[m.doc].numbered.issuer_code)), None)
        self.previous: list[Mention] = []  # the provincial acts of the last sentence that named one
        self.outer: dict[int, tuple[int, tuple[int, int]]] = {}  # in this sentence: target → the act linked to it

    def run(self) -> None:
        by_sentence: dict[tuple[int, int], list[Mention]] = {}
        for m in self.mentions:
            by_sentence.setdefault(self.art.sentence_at(m.start), []).append(m)
        for (s, e), ms in sorted(by_sentence.items()):
            self.outer.clear()
            subject = _subject_of(self.f, s, ms, self.previous, self.docs)
            for cue in LINK_WORDS.finditer(self.f, s, e):
                if _CONTEXT.search(self.f, max(s, cue.start() - 40), cue.start()):
                    continue
                after = [k for k, m in enumerate(ms) if m.start >= cue.end() and _TO_TARGET.fullmatch(self.f, cue.end(), m.start)]
                if not after:
                    continue
                targets = self.chain(ms, after[0])
                aimed = {t.doc for t in targets}
                before = [k for k, m in enumerate(ms) if m.start < cue.start() and m.doc not in aimed]
                here = _Cue(ms, before, cue, targets, subject, s, e)
                for shape in (self.after_an_act, self.about_the_act_before, self.about_the_subject,
                              self.before_an_act_issued, self.before_the_main_clause):
                    if shape(here):
                        break
            self.previous = [m for m in ms if not self.docs[m.doc].central and (m.number or m.title)] or self.previous

    # --- the shapes ----------------------------------------------------------------------------

    def after_an_act(self, c: _Cue) -> bool:
        """`A (…) thực hiện B`, "A, which implements B", "A and C, both of which carry out B";
        the passive "B đã được cụ thể hóa bằng A"."""
        ms, before, cue, targets, subject, s = c.ms, c.before, c.cue, c.targets, c.subject, c.s
        if not before:
            return False
        f, a = self.f, ms[before[-1]]
        inside = a.title and a.title[0] <= cue.start() < a.title[1]
        thereby = _THEREBY.search(f, max(s, cue.start() - 30), cue.start())
        if not (inside or _FROM_ACT.fullmatch(f, min(_end(a), cue.start()), cue.start())) or (thereby and subject):
            return False
        gap = f[_end(a):cue.start()] if _end(a) <= cue.start() else ""
        if _PASSIVE_BEFORE.search(gap) and _PASSIVE_AFTER.match(f, cue.end()):
            # "Nghị quyết số 09-NQ/TU đã được cụ thể hóa bằng Kế hoạch số 50", "B has been carried out through A"
            self.link(targets, [a], (a.start, targets[-1].end))
            return True
        sources = self.chain(ms, before[-1], -1) if _BOTH.search(gap) else [a]
        self.link(sources, targets, (a.start, targets[-1].end))
        return True

    def about_the_act_before(self, c: _Cue) -> bool:
        """"It also realises B": the act the sentence before was about."""
        before, cue, targets, s = c.before, c.cue, c.targets, c.s
        if before or not _IT.match(self.f, s) or not self.previous or cue.start() - s >= 40:
            return False
        self.link([self.previous[0]], targets, (s, targets[-1].end))
        return True

    def about_the_subject(self, c: _Cue) -> bool:
        """"Kế hoạch được xây dựng để hưởng ứng B", "The plan also builds on B", and a later link word of
        the same subject ("…; đồng thời bám sát C"), with no other provincial act between."""
        ms, cue, targets, subject, s = c.ms, c.cue, c.targets, c.subject, c.s
        if not subject or subject[1] > cue.start() or subject[0].doc in {t.doc for t in targets}:
            return False
        f, (act, end) = self.f, subject
        near = cue.start() < end + 160 and not _REPORTED.search(f, end, cue.start())
        goes_on = any(q[0] >= s for q in self.docs[act.doc].implements.values()) \
            and _CONTINUES.search(f, max(s, cue.start() - 30), cue.start())
        between = any(end <= m.start < cue.start() and m.number and not self.docs[m.doc].central and m.doc != act.doc
                      for m in ms)
        if not (near or goes_on) or between:
            return False
        self.link([act], targets, (s, targets[-1].end))
        return True

    def before_an_act_issued(self, c: _Cue) -> bool:
        """"Căn cứ B, …, UBND tỉnh ban hành A": the act issued after the acts it implements; when A is a
        plan asked for ("Để thực hiện B, Chủ tịch giao Sở … ban hành kế hoạch"), the act asking carries B out too."""
        ms, cue, targets, s = c.ms, c.cue, c.targets, c.s
        f, last = self.f, targets[-1]
        aimed = {t.doc for t in targets}
        for c in ms:
            # not an act named in another act's title ("Quyết định 749 phê duyệt Chương trình …",
            # "Căn cứ Quyết định số 713 … về việc Ban hành Chương trình …"), but one after a comma a
            # title read too long ran over
            named = any(t.title and t.title[0] <= c.start < t.title[1] and "," not in f[t.title[0]:c.start]
                        for t in ms if t is not c)
            if c.start > last.start and c.doc not in aimed and not named \
                    and _ISSUED.search(f, max(last.tail_end, c.start - 40), c.start):
                self.link([c], targets, (cue.start(), c.end))
                if not self.docs[c.doc].numbered and self.main is not None and self.main.doc not in aimed \
                        and _ASKS.search(f, last.tail_end, c.start):
                    self.link([self.main], targets, (s, targets[-1].end))
                return True
        return False

    def before_the_main_clause(self, c: _Cue) -> bool:
        """A clause opening the sentence: "Căn cứ B, Đề án tập trung …" (the act the main clause
        names); "Để tiếp tục thực hiện B, Ban Thường vụ yêu cầu …" (no act in it, but a request: the
        act the article is about)."""
        ms, before, cue, targets, s, e = c.ms, c.before, c.cue, c.targets, c.s, c.e
        f, last = self.f, targets[-1]
        opening = _LEAD.match(f, s)
        if before or not _PURPOSE_OPENING.fullmatch(f, opening.end() if opening else s, cue.start()):
            return False
        aimed = {t.doc for t in targets}
        source = None
        for comma in re.finditer(r",\s*", f[last.end:e]):
            at = last.end + comma.end()
            then = _subject_of(f, at, [m for m in ms if m.start >= at], self.previous, self.docs)
            if then:
                source = then[0]
                break
        if source is None and _ASKS.search(f, last.tail_end, e) \
                and not any(m.start > last.start and m.number and m.doc not in aimed for m in ms):
            source = self.main
        if source is None or source.doc in aimed:
            return False
        self.link([source], targets, (s, targets[-1].end))
        return True

    # --- lists, dates and the link itself ----------------------------------------------------------

    def chain(self, ms: list[Mention], k: int, step: int = 1) -> list[Mention]:
        """Mention k and the acts listed with it (forward, or backward with step -1)."""
        f = self.f
        out = [ms[k]]
        j = k + step
        while 0 <= j < len(ms):
            a, b = (out[-1], ms[j]) if step > 0 else (ms[j], out[-1])
            if a.doc == b.doc:
                j += step
                continue
            end = _end(a)
            if f[end:b.start].strip() == ";" and self.acts_itself(b):
                break  # "…; Nghị quyết số 71/NQ-CP cũng cụ thể hóa C": a clause of its own
            inside = a.title and a.title[0] <= b.start < a.title[1]
            if (end <= b.start and _JOINED.fullmatch(f, end, b.start)) or (
                    a.title and a.title[0] < b.start < end and _JOIN_END.search(f, a.title[0], b.start)
                    and (b.number or b.title)):  # "…về chuyển đổi số, Đề án tập trung …": a new clause's subject
                out.append(ms[j])
                j += step
            elif inside and step > 0:
                j += step  # an act named in the title ("phê duyệt "Chương trình …" và C"): the list goes on after it
            else:
                break
        return out

    def acts_itself(self, b: Mention) -> bool:
        """B is the subject of a link word after it, in its clause."""
        f = self.f
        stop = f.find(";", b.end)
        cue = LINK_WORDS.search(f, b.end, stop if stop >= 0 else len(f))
        return bool(cue) and bool(_FROM_ACT.fullmatch(f, min(_end(b), cue.start()), cue.start()))

    def dated(self, doc: int) -> str | None:
        return next((m.date.value for m in self.docs[doc].mentions if m.date and not m.date.partial), None)

    def later(self, b: int, a: int) -> bool:
        """B was issued after A (both dated, to the shorter precision): A cannot carry B out."""
        x, y = self.dated(b), self.dated(a)
        return bool(x and y) and x[:min(len(x), len(y))] > y[:min(len(x), len(y))]

    def link(self, sources: list[Mention], targets: list[Mention], span: tuple[int, int]) -> None:
        docs, outer = self.docs, self.outer
        for a in sources:
            for b in targets:
                if b.doc == a.doc or docs[b.doc].implements.get(a.doc):
                    continue
                if self.later(b.doc, a.doc):
                    # "A thực hiện B … ban hành Chương trình … thực hiện C và D" with D later than B: D is
                    # not B's, but another act of A's list (an amendment of B's programme, say)
                    if a.doc in outer and not self.later(b.doc, outer[a.doc][0]):
                        docs[outer[a.doc][0]].implements.setdefault(b.doc, outer[a.doc][1])
                    continue
                docs[a.doc].implements.setdefault(b.doc, span)
                outer.setdefault(b.doc, (a.doc, span))
