"""The article as the extractor sees it: one normalised text and two same-length views of it.

Evidence offsets count code points in `normalize(raw)` (kg/text.py). Rules never run on that text
directly: HTML remnants are blanked out (`masked`) and the result is folded character by character
(`folded`: no case, no diacritics, đ → d). Both views keep every character at its offset, so a
match anywhere is a span of the normalised text and its quote is `text[start:end]`, always.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterable, Iterator

from kg.base.text import normalize

# --- folding, one character for one character ---------------------------------------------------


def _fold_char(c: str) -> str:
    if c in "đĐ":
        return "d"
    base = "".join(x for x in unicodedata.normalize("NFD", c) if not unicodedata.combining(x))
    low = base.lower()
    return low if len(low) == 1 else c


_FOLD = {i: _fold_char(chr(i)) for i in list(range(0x00C0, 0x0250)) + list(range(0x1E00, 0x1F00))}
_FOLD.update({i: chr(i).lower() for i in range(0x41, 0x5B)})
_FOLD.update({ord(c): " " for c in "\u00a0\u2007\u202f\u200b"})  # odd spaces count as spaces
_FOLD.update({ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2212"})  # dashes as hyphens
_FOLD.update({ord(c): "'" for c in "\u2018\u2019\u02bc"})
_FOLD.update({ord(c): '"' for c in "\u201c\u201d"})


def fold_same_length(text: str) -> str:
    """Like kg.base.text.fold, but one output character per input character, so offsets survive."""
    return text.translate(_FOLD)


# --- HTML remnants ---------------------------------------------------------------------------------

_BLOCK = re.compile(r"(?is)<(script|style)\b.*?</\1\s*>|<!--.*?-->")
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>")
_BREAKING = {"p", "br", "div", "li", "ul", "ol", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5",
             "h6", "table", "section", "article", "header", "footer", "blockquote", "figure",
             "figcaption", "title"}
_ENTITY = re.compile(r"&(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")


def _blank(m: re.Match, breaking: bool = False) -> str:
    """Spaces of the same length, keeping line ends; a block tag becomes a line end."""
    s = re.sub(r"[^\n]", " ", m.group(0))
    return ("\n" + s[1:]) if breaking and "\n" not in s else s


def mask_html(text: str) -> str:
    """Tags and comments become spaces (block tags a line end), entities their character padded
    with spaces: the same length as the input, so offsets still point into the input."""
    if "<" not in text and "&" not in text:
        return text
    text = _BLOCK.sub(lambda m: _blank(m, True), text)
    text = _TAG.sub(lambda m: _blank(m, m.group(2).lower() in _BREAKING), text)

    def entity(m: re.Match) -> str:
        char = html.unescape(m.group(0))
        if len(char) != 1 or char == m.group(0):
            return m.group(0)
        char = " " if char in "\u00a0" else char
        return char + " " * (len(m.group(0)) - 1)

    return _ENTITY.sub(entity, text)


# a line end inside a sentence, as in a document pasted from a portal or a PDF with its lines
# wrapped ("… đổi\nmới sáng tạo", "Nghị quyết số 57-NQ/TW\nngày 22/12/2024"): the line does not end
# a sentence, a heading or a label, and the next goes on in lower case or with a digit
_LOWER = "a-zàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
_WRAPPED = re.compile(r"(?<=[^\W_,])[^\S\n]*\n(?=[^\S\n]*[" + _LOWER + r"0-9(])")


# … or goes on with a name after a long line cut after a lower-case word ("… thực hiện\nNghị quyết số 52")
_WRAPPED_BEFORE_NAME = re.compile(r"(?:^|(?<=\n))([^\n]{50,}[" + _LOWER + r"])[^\S\n]*\n(?=[^\W\d_][^\W\d_])")


def unwrap_lines(text: str) -> str:
    """Hard-wrapped line ends inside sentences become spaces (same length, offsets kept)."""
    for wrapped in (_WRAPPED, _WRAPPED_BEFORE_NAME) if "\n" in text else ():
        text = wrapped.sub(lambda m: m.group(0).replace("\n", " "), text)
    return text


def looks_like_html(text: str) -> bool:
    return bool(_TAG.search(text)) or bool(_ENTITY.search(text))


# --- the article -----------------------------------------------------------------------------------

# a sentence ends at . ! ? before a word that opens with a capital or a digit; the capital is tested
# with str.isupper, since Đ, Ư, Ơ and the accented capitals (Ủ, Ở…) lie among lower-case letters
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]?\s+(?=[\"“(]?([^\W_]))|\n+")
_ABBREV = re.compile(r"(?:\b(?:No|TP|Mr|Ms|Mrs|Dr|St|TS|ThS|PGS|GS|Th\.S|Tp|Q|P)|\b[A-ZĐ])\.$")
_VI_LETTERS = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]")
_EN_WORDS = re.compile(r"\b(?:the|of|and|to|in|is|was|with|for|on|by|that|province|provincial)\b")


@dataclass
class Article:
    """One source text: `text` (normalised, what offsets count in), `masked` (HTML blanked),
    `folded` (masked, folded); all three the same length."""

    text: str
    name: str = "article"
    masked: str = field(init=False)
    folded: str = field(init=False)

    def __post_init__(self) -> None:
        self.masked = unwrap_lines(mask_html(self.text))
        self.folded = fold_same_length(self.masked)
        assert len(self.masked) == len(self.text) == len(self.folded)

    @classmethod
    def from_raw(cls, raw: str, name: str = "article") -> Article:
        return cls(normalize(raw), name)

    @cached_property
    def language(self) -> str:
        """`vi` or `en`: Vietnamese letters against common English words, per 1,000 letters."""
        sample = self.masked[:20000].lower()
        vi = len(_VI_LETTERS.findall(sample))
        en = len(_EN_WORDS.findall(sample))
        return "en" if en * 3 > vi else "vi"

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        """(start, end) of each sentence: split at line ends and at . ! ? before a capital."""
        text = self.masked
        return _pieces(text, (m.span() for m in _SENTENCE_END.finditer(text)
                              if "\n" in m.group(0) or ((m.group(1).isupper() or m.group(1).isdigit())
                                                        and not _ABBREV.search(text, max(0, m.start() - 6), m.start()))))

    @cached_property
    def paragraphs(self) -> list[tuple[int, int]]:
        return _pieces(self.masked, (m.span() for m in re.finditer(r"\n\s*\n|\n", self.masked)))

    def sentence_at(self, pos: int) -> tuple[int, int]:
        return _containing(self.sentences, pos, len(self.text))

    def paragraph_at(self, pos: int) -> tuple[int, int]:
        return _containing(self.paragraphs, pos, len(self.text))

    def clean(self, start: int, end: int) -> str:
        """A value as written: the masked span with its white space collapsed."""
        return " ".join(self.masked[start:end].split())

    def evidence(self, start: int, end: int, note: str | None = None) -> dict:
        """A quote with its offsets; trimmed of white space and of trailing , ; :"""
        start, end = _trim(self.masked, start, end)
        while end > start and self.masked[end - 1] in ",;:.":
            end -= 1
        start, end = _trim(self.masked, start, min(end, start + 2000))
        quote: dict = {"quote": self.text[start:end], "start": start, "end": end}
        if note:
            quote["note"] = note[:500]
        return quote


def _pieces(text: str, breaks: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The non-blank stretches of `text` between the (start, end) breaks, each trimmed."""
    out, start = [], 0
    for at, after in breaks:
        if text[start:at].strip():
            out.append(_trim(text, start, at))
        start = after
    if text[start:].strip():
        out.append(_trim(text, start, len(text)))
    return out


def _trim(s: str, start: int, end: int) -> tuple[int, int]:
    while start < end and s[start].isspace():
        start += 1
    while end > start and s[end - 1].isspace():
        end -= 1
    return start, end


def _containing(spans: list[tuple[int, int]], pos: int, length: int) -> tuple[int, int]:
    lo, hi = 0, len(spans) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        s, e = spans[mid]
        if pos < s:
            hi = mid - 1
        elif pos >= e:
            lo = mid + 1
        else:
            return spans[mid]
    return (max(0, pos - 200), min(length, pos + 200))


# --- dates ------------------------------------------------------------------------------------------

MONTHS = {m: i for i, names in enumerate(
    [(), ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
     ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
     ("october", "oct"), ("november", "nov"), ("december", "dec")]) for m in names}
MONTH_NAMES = "january|february|march|april|may|june|july|august|september|october|november|december"
_MONTH = r"(" + MONTH_NAMES + r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"

_D = r"(?<![\d/.,-])(\d{1,2})"
DATE_PATTERNS = [
    # 15/11/2021, 15-11-2021, 15.11.2021
    ("dmy", re.compile(_D + r"\s?([/.-])\s?(\d{1,2})\s?\2\s?((?:19|20)\d\d)(?!\d)")),
    # 2021-11-15 (ISO, in web page metadata)
    ("ymd", re.compile(r"(?<![\d/.-])((?:19|20)\d\d)-(\d{1,2})-(\d{1,2})(?![\d/-])")),
    # ngày 15 tháng 11 năm 2021
    ("dmy", re.compile(r"(?<![\d/])(\d{1,2})\s+()thang\s+(\d{1,2}),?\s+nam\s+((?:19|20)\d\d)(?!\d)")),
    # March 3, 2023 / March 3rd 2023
    ("mdy", re.compile(r"\b" + _MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)(?!\d)")),
    # 3 March 2023
    ("dmy_en", re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+((?:19|20)\d\d)(?!\d)")),
]
# 17/9, 22-4 after a word for a day or part of one; the year comes from elsewhere
DAY_MONTH = re.compile(r"\b(?:ngay|chieu|sang|toi|trua|dem|hom|on)\s+(?:ngay\s+)?(\d{1,2})(?:[/-]|\s+thang\s+)(\d{1,2})(?![\d/-]|\s*(?:nam\b|/|,?\s*(?:19|20)\d\d))"
                       # "(4/12)" after "hôm qua", "sáng nay": the day in brackets
                       r"|\b(?:qua|nay)\s*\(\s*(?:ngay\s+)?(\d{1,2})[/-](\d{1,2})\s*\)")
DAY_MONTH_EN = re.compile(r"\bon\s+(?:\w+day,?\s+)?" + _MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?(?![\d,]*\s*(?:19|20)\d\d)")
# tháng 3/2021, tháng 3 năm 2021, in March 2021, in late March 2021
MONTH_YEAR = re.compile(r"\bthang\s+(\d{1,2})(?:/|\s+nam\s+)((?:19|20)\d\d)(?!\d)")
MONTH_YEAR_EN = re.compile(r"\b(?:in|by|during|within)\s+(?:(?:early|late|mid)-?\s*)?" + _MONTH + r",?\s+((?:19|20)\d\d)(?!\d)")


@dataclass(frozen=True)
class DateSpan:
    start: int
    end: int
    value: str  # YYYY-MM-DD or YYYY-MM
    partial: bool = False  # day and month only; the year is borrowed


def _iso(y: int, m: int, d: int | None = None) -> str | None:
    try:
        if d is None:
            dt.date(y, m, 1)
            return f"{y:04d}-{m:02d}"
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def full_dates(art: Article, start: int = 0, end: int | None = None) -> Iterator[DateSpan]:
    """Every complete date in [start, end), in any of the four written forms."""
    window = art.folded[start:end]
    seen: set[int] = set()
    for kind, rx in DATE_PATTERNS:
        for m in rx.finditer(window):
            if m.start() in seen:
                continue
            if kind == "dmy":
                d, mo, y = int(m.group(1)), int(m.group(3)), int(m.group(4))
            elif kind == "ymd":
                y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
            elif kind == "mdy":
                mo, d, y = MONTHS[m.group(1)], int(m.group(2)), int(m.group(3))
            else:
                d, mo, y = int(m.group(1)), MONTHS[m.group(2)], int(m.group(3))
            value = _iso(y, mo, d)
            if value:
                seen.add(m.start())
                yield DateSpan(start + m.start(), start + m.end(), value)


def month_dates(art: Article, start: int = 0, end: int | None = None) -> Iterator[DateSpan]:
    window = art.folded[start:end]
    for m in MONTH_YEAR.finditer(window):
        value = _iso(int(m.group(2)), int(m.group(1)))
        if value:
            yield DateSpan(start + m.start(), start + m.end(), value)
    for m in MONTH_YEAR_EN.finditer(window):
        value = _iso(int(m.group(2)), MONTHS[m.group(1)])
        if value:
            yield DateSpan(start + m.start(), start + m.end(), value)


def day_month_dates(art: Article, year: int, start: int = 0, end: int | None = None) -> Iterator[DateSpan]:
    """`Chiều ngày 17/9`, `on April 22`: a day and month, completed with `year`."""
    window = art.folded[start:end]
    for m in DAY_MONTH.finditer(window):
        day, month = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        value = _iso(year, int(month), int(day))
        if value:
            yield DateSpan(start + m.start(), start + m.end(), value, partial=True)
    for m in DAY_MONTH_EN.finditer(window):
        value = _iso(year, MONTHS[m.group(1)], int(m.group(2)))
        if value:
            yield DateSpan(start + m.start(), start + m.end(), value, partial=True)


YEAR = re.compile(r"(?<![\d./])((?:19|20)\d\d)(?!\d|[.,/]\d)")
