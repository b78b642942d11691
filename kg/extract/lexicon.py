"""Gazetteers for the extractor: labels from the vocabularies and the province reference data.

The labels (Vietnamese and English) come from `ontology/vocabularies.ttl` and the province names
from `data/reference/provinces.ttl`, so adding an altLabel there teaches the extractor a new
phrase. The small tables in this module hold only what those files do not: surface forms that are
not labels (abbreviations in running text, English newspaper usage), number suffixes that are not
notations, and the Vietnamese surnames that tell a name from a title.
"""

from __future__ import annotations

import bisect
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterator


from kg.base.errors import InputError
from kg.extract.article import fold_same_length
from kg.records.vocabulary import VOCAB_FILE, Concept, read_concepts


# --- what the vocabularies do not hold ------------------------------------------------------------

# Running-text names of bodies that are not labels: bare abbreviations, city forms, English usage.
EXTRA_BODY_FORMS = {
    "party-executive-committee": ["Ban Chấp hành Đảng bộ", "BCH Đảng bộ", "Thành ủy", "Thành uỷ",
                                  "Ban Chấp hành Đảng bộ thành phố", "provincial Party Committee",
                                  "Party Committee", "municipal Party Committee", "city Party Committee",
                                  "provincial Party Executive Committee", "Party Executive Committee"],
    "party-standing-committee": ["Ban Thường vụ", "BTV", "Ban Thường vụ Thành ủy", "Standing Board", "Standing Committee",
                                 "Party Standing Committee", "provincial Party Standing Committee",
                                 "Standing Board of the provincial Party Committee",
                                 "Standing Committee of the provincial Party Committee",
                                 "Standing Committee of the Party Committee"],
    "peoples-committee": ["Ủy ban nhân dân", "UBND", "People's Committee", "provincial People's Committee",
                          "Ủy ban nhân dân thành phố", "UBND thành phố"],
    "peoples-council": ["Hội đồng nhân dân", "HĐND", "People's Council", "HĐND thành phố"],
    "party-inspection-committee": ["UBKT", "Ủy ban Kiểm tra", "Inspection Committee"],
    "steering-committee": ["Steering Committee", "BCĐ"],
    "party-central-committee": ["Trung ương", "BCH TW", "Central Committee", "Party Central Committee"],
    "secretariat": ["Secretariat"],
    "prime-minister": ["PM"],
}
# Number suffixes beyond the notations: variant spellings and the issuers the vocabulary names by
# a notation it shares (TW) or has none for (ministries, the Government Office).
EXTRA_ISSUER_CODES = {"TƯ": "TW", "T.Ư": "TW", "ThU": "TU", "BCS": "party-delegation",
                      "BCSĐ": "party-delegation", "ĐĐ": "party-delegation", "VPCP": "government",
                      "NHNN": "ministry"}
CENTRAL_BODIES = {"party-central-committee", "politburo", "secretariat", "national-assembly",
                  "na-standing-committee", "government", "prime-minister", "ministry"}
# The central acts provincial news cites by short name alone ("Nghị quyết 57", "Resolution 52",
# "Đề án 06", "Quyết định 749"): (type the text writes, digits) → the act's number and date. A
# short name is read as one of these only when the article is dated after the act.
CENTRAL_SHORT_NAMES = {("resolution", "52"): ("52-NQ/TW", "2019-09-27"), ("resolution", "57"): ("57-NQ/TW", "2024-12-22"),
                       ("decision", "749"): ("749/QĐ-TTg", "2020-06-03"), ("programme", "749"): ("749/QĐ-TTg", "2020-06-03"),
                       ("decision", "06"): ("06/QĐ-TTg", "2022-01-06"), ("scheme", "06"): ("06/QĐ-TTg", "2022-01-06"),
                       ("decision", "942"): ("942/QĐ-TTg", "2021-06-15"), ("decision", "411"): ("411/QĐ-TTg", "2022-03-31")}
# The number a central body gives an act of a type: "Nghị quyết 57 của Bộ Chính trị" is 57-NQ/TW.
CENTRAL_NUMBER_FORMS = {("resolution", "politburo"): "{}-NQ/TW", ("resolution", "party-central-committee"): "{}-NQ/TW",
                        ("conclusion", "politburo"): "{}-KL/TW", ("directive", "politburo"): "{}-CT/TW",
                        ("directive", "secretariat"): "{}-CT/TW", ("resolution", "government"): "{}/NQ-CP",
                        ("decision", "prime-minister"): "{}/QĐ-TTg", ("directive", "prime-minister"): "{}/CT-TTg"}
# When a suffix names several body types, which one issues which type of act by default.
DEFAULT_ISSUER = {("TU", "resolution"): "party-executive-committee", ("TU", None): "party-standing-committee",
                  ("TW", None): "politburo"}
EXTRA_DOC_TYPE_FORMS = {"programme": ["Program", "chương trình hành động"], "plan": ["action plan"],
                        "guidance": ["guideline", "guidelines"], "official-letter": ["official dispatch"],
                        "scheme": ["project"]}
# "hành động" (action) variants of the plan and programme codes
EXTRA_TYPE_CODES = {"CTHĐ": "programme", "CTrHĐ": "programme", "KHHĐ": "plan", "QyĐ": "regulation"}
EXTRA_METRIC_FORMS = {
    "dti": ["digital transformation index", "DTI index", "digital transformation ranking"],
    "digital-government-index": ["Chính phủ số", "digital government"],
    "e-government-ranking": ["chính phủ điện tử", "e-government", "electronic government"],
    "digital-economy-grdp-share": ["digital economy", "kinh tế số"],
    "online-public-service-share": ["online public services", "online public service"],
    "broadband-coverage": ["broadband", "fibre optic", "fiber optic"],
    "digital-citizens-share": ["digital citizens", "digital citizen", "e-ID accounts", "e-ID", "electronic identification accounts"],
}
EXTRA_SCOPE_FORMS = {"national": ["trực thuộc Trung ương", "nationwide", "in the country", "across the country",
                                  "of the country", "cities and provinces", "provinces and cities"],
                     "northern-region": ["northern region", "northern provinces", "phía Bắc"],
                     "central-region": ["central region", "central provinces"],
                     "southern-region": ["southern region", "southern provinces", "phía Nam"]}
EXTRA_SECTOR_FORMS = {"health": ["healthcare", "health care", "public health"], "commerce": ["trade"],
                      "transport": ["transportation"], "natural-resources-environment": ["environment"],
                      "finance-banking": ["banking", "finance"], "urban-smart-city": ["smart city", "smart urban"]}

# Names of provinces in running text that the reference data does not list as labels.
EXTRA_PROVINCE_FORMS = {"Hồ Chí Minh": ["HCM City", "HCMC", "TPHCM", "TP. Hồ Chí Minh", "Ho Chi Minh"],
                        "Bà Rịa - Vũng Tàu": ["BR-VT", "Ba Ria-Vung Tau", "Bà Rịa-Vũng Tàu"],
                        "Thừa Thiên Huế": ["TT-Huế", "Thua Thien-Hue", "Thua Thien Hue"],
                        "Đắk Lắk": ["Daklak", "Dak Lak", "Đắc Lắc"], "Đắk Nông": ["Dak Nong", "Đắc Nông"],
                        "Hà Nội": ["Ha Noi"]}

SURNAMES = """Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đoàn Vương
Trịnh Đinh Lâm Phùng Mai Tô Trương Hà Lưu Tạ Thái Cao Chu Chẩu Lương Quách Tăng Triệu Lại Hứa
Kiều Nông Lò Lầu Giàng Sùng Vàng Thào Mùa Hầu Đồng Tống Khổng Khúc Kim La Lục Mạc Ninh Nghiêm Ông
Phí Quan Quản Tôn Từ Vi Điểu Danh Thạch Ksor Siu Rơ Nay Bế Lỗ Âu Đàm Lã Giang Diệp Tiêu Lường Cầm
Bạc Quàng Vì Sầm Lộc Nịnh Thân Lạc Bạch Uông Châu Doãn Biện Viên Trình Thiều Nhữ Khuất Hán Lữ
Tiết Phương Đường Hàn Đậu Chử Y H Ma Vòng Dìu Sằn Trầm Thiệu Lầm Giáp Mẫn""".split()
# Lower-case words that belong to the name of a post or a body ("Bí thư Tỉnh ủy", "Chủ tịch UBND
# tỉnh", "Secretary of the provincial Party Committee"): a title runs on through them.
ORG_WORDS = set(fold_same_length("""tỉnh thành phố ủy uỷ viên đảng bộ trung ương nhân dân đại biểu
quốc hội chỉ đạo chuyển đổi số của và ban đoàn thường trực vụ kiểm tra đồng quản trị tập đoàn văn
phòng biên chấp hành sư sỹ sĩ huyện thị xã khối cơ quan doanh nghiệp sở ngành mặt trận tổ việt nam
khóa khoá thông tin truyền giáo dục đào tạo kế hoạch đầu tư tài nguyên môi trường nội y tế công
thương nghiệp phát triển nông thôn lao động xã hội chính trị tuyên giáo dân vận kinh tế phó
of the provincial province city party committee people's peoples council standing deputy permanent
central national assembly delegation steering board department information and communications
municipal inspection member vice group corporation company s thư tịch đốc trưởng tướng
tập""").split())
TITLE_HEADS_VI = ["Phó Bí thư Thường trực", "Phó Bí thư", "Bí thư", "Tổng Bí thư", "Phó Chủ tịch Thường trực",
                  "Phó Chủ tịch", "Chủ tịch", "Ủy viên", "Uỷ viên", "Tỉnh ủy viên", "Trưởng Ban", "Phó Trưởng Ban",
                  "Trưởng Đoàn", "Phó Trưởng Đoàn", "Giám đốc", "Phó Giám đốc", "Tổng Giám đốc",
                  "Trưởng phòng", "Phó Trưởng phòng", "Tổng Biên tập", "Phó Tổng Biên tập", "Chánh Văn phòng",
                  "Bộ trưởng", "Thứ trưởng", "Phó Thủ tướng", "Thủ tướng", "Chủ nhiệm", "Cục trưởng",
                  "Viện trưởng", "Hiệu trưởng", "Trưởng Công an", "Chỉ huy trưởng", "Tổng cục trưởng"]
TITLE_HEADS_EN = ["Standing Deputy Secretary", "Permanent Deputy Secretary", "Deputy Secretary",
                  "Party Secretary", "Secretary", "Vice Chairman", "Vice Chairwoman", "Vice Chairperson",
                  "Vice Chair", "Vice President", "Chairman", "Chairwoman", "Chairperson", "Chair",
                  "Member", "Head", "Deputy Head", "Director", "Deputy Director", "Editor-in-chief",
                  "Editor-in-Chief", "General Director", "Minister", "Deputy Minister", "Prime Minister",
                  "Deputy Prime Minister", "President", "CEO"]
# English titles the role labels do not spell the way newspapers do: (pattern on the folded
# title, role key); the first pattern that matches wins.
EN_ROLE_PATTERNS = [
    (r"(standing|permanent) deputy (party )?secretary", "standing-deputy-party-secretary"),
    (r"deputy (party )?secretary", "deputy-party-secretary"),
    (r"member of the (party )?central committee|central committee member", "central-committee-member"),
    (r"member of the (provincial )?(party )?standing (board|committee)", "standing-committee-member"),
    (r"member of the (provincial )?inspection committee", "inspection-committee-member"),
    (r"member of the (provincial )?party (executive )?committee", "executive-committee-member"),
    (r"(party )?secretary( of the (provincial|municipal|city) party committee)?$|secretary of the (provincial|municipal|city) party committee", "party-secretary"),
    (r"vice[ -]chair\w* of the (provincial |municipal |city )?people'?s committee", "peoples-committee-vice-chair"),
    (r"chair\w* of the (provincial |municipal |city )?people'?s committee", "peoples-committee-chair"),
    (r"chair\w* of the (provincial |municipal |city )?people'?s council", "peoples-council-chair"),
    (r"head of the (provincial )?(national assembly|na) (deputies'? )?delegation", "na-delegation-head"),
    (r"head of the .*steering committee", "steering-committee-head"),
    (r"director of the .*department|department director|head of the .*department", "department-head"),
    (r"editor[- ]in[- ]chief", "editor-in-chief"),
    (r"chair\w* of the board|ceo|general director|president of .*(group|corporation|company)", "business-leader"),
]
# Vietnamese posts the role labels do not name: heads of Party boards and offices.
VI_ROLE_PATTERNS = [
    (r"^truong ban (?:tuyen giao|to chuc|dan van|noi chinh|kinh te|bao ve)", "department-head"),
    (r"^chanh van phong", "department-head"),
]
# Words that put a post below the province (a district, a commune): such a post is `other`.
_LOCAL = re.compile(r"\b(?:huyen|thi xa|quan|xa|phuong|thi tran|district|commune|town)\b")
# Abbreviations in titles, expanded before a title is compared with the role labels.
ABBREVIATIONS = [(r"\bT\.?Ư\b|\bTW\b", "Trung ương"), (r"\bUBND\b", "Ủy ban nhân dân"),
                 (r"\bHĐND\b", "Hội đồng nhân dân"), (r"\bBCH\b", "Ban Chấp hành"), (r"\bBTV\b", "Ban Thường vụ"),
                 (r"\bUBKT\b", "Ủy ban Kiểm tra"), (r"\bĐBQH\b", "đại biểu Quốc hội"), (r"\bBCĐ\b", "Ban Chỉ đạo"),
                 (r"\bHĐQT\b", "Hội đồng Quản trị"), (r"\bTGĐ\b", "Tổng Giám đốc"), (r"\bTU\b", "Tỉnh ủy")]


# --- phrase sets -------------------------------------------------------------------------------------

_SEP = r"(?:\s*[,\-/&'.]\s*|\s+)"


def tokens(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[^\W_]+", fold_same_length(text)))


class PhraseSet:
    """Phrases matched in folded text on word boundaries, longest first; each names a key.
    Punctuation between the words of a phrase is free (`phòng, chống` = `phòng chống`)."""

    def __init__(self, entries: list[tuple[str, str]]):
        self.by_tokens: dict[tuple[str, ...], str] = {}
        for phrase, key in entries:
            toks = tokens(phrase)
            if toks and toks not in self.by_tokens:
                self.by_tokens[toks] = key
        alts = sorted(self.by_tokens, key=lambda t: (-len(" ".join(t)), t))
        body = "|".join(_SEP.join(map(re.escape, t)) for t in alts) or r"(?!x)x"
        self.rx = re.compile(rf"(?<![^\W_])(?:{body})(?![^\W_])")
        self._cache: dict[str, str] = {}

    def finditer(self, folded: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int, str]]:
        cache = self._cache
        for m in self.rx.finditer(folded, start, len(folded) if end is None else end):
            text = m.group(0)
            key = cache.get(text)
            if key is None:
                key = cache[text] = self.by_tokens.get(tokens(text), "")
            if key:
                yield m.start(), m.end(), key

    def within(self, art, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
        """The matches in an article's folded text that lie in [start, end): the whole text is
        scanned once per article and phrase set, windows are cut from that."""
        cache = art.__dict__.setdefault("_phrases", {})
        found = cache.get(id(self))
        if found is None:
            found = cache[id(self)] = (list(self.finditer(art.folded)), [])
            found[1].extend(m[0] for m in found[0])
        matches, starts = found
        end = len(art.folded) if end is None else end
        i = bisect.bisect_left(starts, start)
        out = []
        while i < len(matches) and matches[i][0] < end:
            if matches[i][1] <= end:
                out.append(matches[i])
            i += 1
        return out

    def __contains__(self, text: str) -> bool:
        return tokens(text) in self.by_tokens


@dataclass
class Lexicon:
    """Everything the rules look up, built once per process from the repository's files."""

    concepts: dict[str, list[Concept]]
    province_names: list[tuple[str, str]]  # (label, canonical name): the reference data's, then aliases
    reference_count: int = 0  # how many of province_names come from the reference data
    doc_types: PhraseSet = field(init=False)
    bodies: PhraseSet = field(init=False)
    sectors: PhraseSet = field(init=False)
    metrics: PhraseSet = field(init=False)
    scopes: PhraseSet = field(init=False)
    provinces: PhraseSet = field(init=False)
    province_words: frozenset[str] = field(init=False)
    reference_keys: frozenset[str] = field(init=False)  # name keys the reference data resolves
    unit_names: dict[str, str] = field(init=False)  # name key of any label or alias → the unit's name
    type_codes: dict[str, list[str]] = field(init=False)
    issuer_codes: dict[str, list[str]] = field(init=False)
    role_labels: list[tuple[tuple[str, ...], str]] = field(init=False)
    status_rank: dict[str, int] = field(init=False)
    surnames: frozenset[str] = field(init=False)  # lower case, with diacritics
    surnames_ascii: frozenset[str] = field(init=False)  # folded, for names written without them

    def __post_init__(self) -> None:
        def labels(scheme: str, extra: dict[str, list[str]] | None = None, skip=lambda label: False):
            out = [(text, c.key) for c in self.concepts.get(scheme, []) for text, _ in c.labels if not skip(text)]
            for key, forms in (extra or {}).items():
                out += [(f, key) for f in forms]
            return out

        self.doc_types = PhraseSet(labels("document-type", EXTRA_DOC_TYPE_FORMS))
        # "Bộ" alone is every "bộ" of running text; ministries are found by their names instead.
        bodies = labels("body-type", EXTRA_BODY_FORMS, skip=lambda t: len(tokens(t)) == 1 and len(t) <= 3)
        bodies += [(t.replace("tỉnh", "thành phố").replace("Tỉnh ủy", "Thành ủy"), k) for t, k in bodies if "tỉnh" in t.lower()]
        self.bodies = PhraseSet(bodies)
        self.sectors = PhraseSet(labels("sector", EXTRA_SECTOR_FORMS))
        self.metrics = PhraseSet(labels("metric", EXTRA_METRIC_FORMS))
        self.scopes = PhraseSet(labels("scope", EXTRA_SCOPE_FORMS))
        self.provinces = PhraseSet([(label, name) for label, name in self.province_names])
        self.province_words = frozenset(w for toks in self.provinces.by_tokens for w in toks)
        from kg.graph.provinces import name_key
        self.reference_keys = frozenset(name_key(label) for label, _ in self.province_names[:self.reference_count])
        self.unit_names = {}
        for label, name in self.province_names:
            self.unit_names.setdefault(name_key(label), name)
        self.type_codes = defaultdict(list)
        for c in self.concepts.get("document-type", []):
            for n in c.notations:
                self.type_codes[n].append(c.key)
        for code, key in EXTRA_TYPE_CODES.items():
            self.type_codes[code].append(key)
        self.issuer_codes = defaultdict(list)
        for c in self.concepts.get("body-type", []):
            for n in c.notations:
                self.issuer_codes[n].append(c.key)
        for code, target in EXTRA_ISSUER_CODES.items():
            self.issuer_codes[code] = list(self.issuer_codes.get(target, [])) or [target]
        self.role_labels = sorted(
            ((_role_key_tokens(text), c.key) for c in self.concepts.get("role", []) for text, lang in c.labels if lang == "vi"),
            key=lambda x: -len(x[0]))
        self.status_rank = {c.key: c.rank or 0 for c in self.concepts.get("status", [])}
        self.surnames = frozenset(s.lower() for s in SURNAMES)
        self.surnames_ascii = frozenset(fold_same_length(s) for s in SURNAMES)

    def is_surname(self, word: str, language: str = "vi") -> bool:
        """`Quàng` is a surname and `Quang` is not; in text without diacritics `Quang` may be."""
        if language == "en" and word.isascii():
            return fold_same_length(word) in self.surnames_ascii
        return word.lower() in self.surnames

    def unit(self, name: str) -> str:
        """The unit a written province name stands for, so that `Thừa Thiên Huế` and `Huế`, or
        `TP. Hồ Chí Minh` and `Hồ Chí Minh`, compare equal (an unknown name stands for itself)."""
        from kg.graph.provinces import name_key
        key = name_key(name)
        return self.unit_names.get(key, key)

    def keys(self, scheme: str) -> set[str]:
        return {c.key for c in self.concepts.get(scheme, [])}

    def issuer_for_code(self, code: str, doc_type: str | None) -> tuple[str | None, bool]:
        """The body type a number's suffix names (and whether it is central), e.g. `TTg` →
        prime-minister; `B...` → a ministry; None when the suffix is unknown."""
        base = re.sub(r"\d+$", "", code)
        keys = self.issuer_codes.get(code) or self.issuer_codes.get(base) or []
        if not keys and re.fullmatch(r"B[A-ZĐ&]{2,}", code) and code not in ("BCĐ", "BCS", "BCSĐ"):
            keys = ["ministry"]
        if not keys:
            return None, False
        canon = "TW" if code in ("TƯ", "T.Ư") else ("TU" if code == "ThU" else base)
        key = keys[0]
        if len(keys) > 1:
            key = DEFAULT_ISSUER.get((canon, doc_type)) or DEFAULT_ISSUER.get((canon, None)) or keys[0]
        return key, key in CENTRAL_BODIES


def _role_key_tokens(text: str) -> tuple[str, ...]:
    """A title reduced for comparison: abbreviations expanded, folded, a trailing `tỉnh`/`Đảng`
    dropped, `thành phố`/`Thành ủy` read as `tỉnh`/`Tỉnh ủy`."""
    for rx, full in ABBREVIATIONS:
        text = re.sub(rx, full, text)
    toks = list(tokens(text))
    joined = " ".join(toks).replace("thanh pho", "tinh").replace("thanh uy", "tinh uy")
    toks = joined.split()
    while toks and toks[-1] in ("tinh", "dang", "cua"):
        toks.pop()
    return tuple(toks)


def role_for_title(lex: Lexicon, title: str) -> str | None:
    """The role a title item names: the longest role label that starts it, else an English
    pattern, else None (the caller decides whether the item is a post at all)."""
    toks = _role_key_tokens(title)
    for label, key in lex.role_labels:
        if label and toks[: len(label)] == label:
            # "Chủ tịch UBND huyện" is not the province's chair
            return "other" if _LOCAL.search(" ".join(toks[len(label):len(label) + 2])) else key
    for rx, key in VI_ROLE_PATTERNS:
        if re.search(rx, " ".join(toks)):
            return key
    folded = " ".join(tokens(title.replace("'", " ")))
    folded = folded.replace(" s ", "s ")
    for rx, key in EN_ROLE_PATTERNS:
        if re.search(rx, folded):
            return key
    return None


# --- loading ----------------------------------------------------------------------------------------


def _read_concepts(path: Path) -> dict[str, list[Concept]]:
    """The concepts of each scheme, sorted by key as the rules expect."""
    return {name: sorted(concepts, key=lambda c: c.key) for name, concepts in read_concepts(path).items()}


def _read_provinces(root: Path) -> tuple[list[tuple[str, str]], int]:
    from kg.graph.provinces import default_gazetteer

    names: list[tuple[str, str]] = []
    known: set[str] = set()
    for p in default_gazetteer(root).provinces:
        known.add(p.name)
        for label in p.labels:
            if not re.match(r"(?i)(tỉnh|thành phố)\s", label):
                names.append((label, p.name))
    count = len(names)
    for name, forms in EXTRA_PROVINCE_FORMS.items():
        target = name if name in known else next((n for _, n in names if fold_same_length(n) == fold_same_length(name)), None)
        if target:
            names += [(form, target) for form in forms]
    return names, count


def default_root() -> Path:
    """The repository whose ontology/ and data/ the extractor reads: $DTKG_ROOT, the current
    folder's repository, else the one this package sits in."""
    from kg.base.paths import repo_root
    from kg.base.errors import UsageError

    try:
        return repo_root()
    except UsageError:
        return Path(__file__).resolve().parents[2]


def load_lexicon(root: Path | str | None = None) -> Lexicon:
    """The lexicon of a repository, loaded once per process (again when a file changes)."""
    root = Path(root) if root else default_root()
    vocab = root / VOCAB_FILE
    try:
        stamp = (os.stat(vocab).st_mtime_ns, os.stat(root / "data" / "reference" / "provinces.ttl").st_mtime_ns)
    except OSError as exc:
        raise InputError(f"cannot read the extractor's gazetteers: {exc.strerror}", str(exc.filename)) from None
    return _load(str(root.resolve()), stamp)


@lru_cache(maxsize=4)
def _load(root: str, stamp: tuple[int, int]) -> Lexicon:
    names, count = _read_provinces(Path(root))
    return Lexicon(_read_concepts(Path(root) / VOCAB_FILE), names, count)
