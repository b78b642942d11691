"""Officials: a name next to a title, in either order.

`Bí thư Tỉnh ủy Hoàng Trung Dũng` (title, then the name) and `Chẩu Văn Lâm, Ủy viên BCH Trung
ương Đảng, Bí thư Tỉnh ủy` (the name, then its titles) are the two forms news articles use, in
English as in Vietnamese. A name is two to four capitalised words starting with a known surname
and not a province; a name without a title (a byline, a photo credit) is no official. The title is
kept as written; each of its items maps to a role of the role scheme, or to `other`.
"""

from __future__ import annotations

import re
from kg.extract.article import Article, fold_same_length
from kg.extract.lexicon import ORG_WORDS, TITLE_HEADS_EN, TITLE_HEADS_VI, Lexicon, PhraseSet, role_for_title

_TOKEN = re.compile(r"[^\W\d_]+(?:[-'’.][^\W\d_]+)*|\d+|[^\w\s]")
# Capitalised words of body names that are never part of a person's name.
_NOT_NAME = set("""tỉnh ủy uỷ ban đảng hội sở bộ báo tập phủ party committee province provincial people
council department the of mr ms mrs dr chí phố huyện xã ương tổng""".split())
_HEADS = PhraseSet([(h, "head") for h in TITLE_HEADS_VI + TITLE_HEADS_EN])
_ELECTED = re.compile(r"\s+(?:giu chuc vu|duoc bau(?: giu| lam)?|was elected(?: as)?|as)\s+")
_HONORIFICS = {"Ông", "Bà"}
# Words that open an agency's name in a title ("Giám đốc Sở Khoa học và Công nghệ"): in it, each
# capitalised word may carry a lower-case second syllable ("Khoa học", "Công nghệ") until `tỉnh`.
_AGENCY = {"Sở", "Bộ", "Cục", "Viện", "Ban"}
ROLE_BODY = {"peoples-committee-chair": "peoples-committee", "peoples-committee-vice-chair": "peoples-committee",
             "peoples-council-chair": "peoples-council"}


class Tok:
    """A word or a punctuation mark of the masked text, with what the rules ask of it."""

    __slots__ = ("start", "end", "text", "fold", "cap", "word", "abbrev")

    def __init__(self, start: int, end: int, text: str, fold: str):
        self.start, self.end, self.text, self.fold = start, end, text, fold
        self.word = text[:1].isalpha()
        self.cap = text[:1].isupper()
        self.abbrev = text[1:2].isupper()  # UBND, HĐND, TTg


def _tokens(art: Article) -> list[Tok]:
    f = art.folded
    return [Tok(m.start(), m.end(), m.group(0), f[m.start():m.end()]) for m in _TOKEN.finditer(art.masked)]


def _is_abbrev(t: Tok) -> bool:
    return t.abbrev


def _name_at(lex: Lexicon, toks: list[Tok], i: int, lang: str = "vi") -> int | None:
    """The end index (exclusive) of a name starting at token i, or None."""
    t = toks[i]
    if not t.word or not t.cap or _is_abbrev(t) or not lex.is_surname(t.text, lang):
        return None
    if t.text in _HONORIFICS and i + 1 < len(toks) and toks[i + 1].cap and lex.is_surname(toks[i + 1].text, lang):
        return None  # "Ông Trần Quốc Bảo" opening a sentence: Mr Trần Quốc Bảo, not a Mr Ông
    j = i
    while j < len(toks) and j - i < 5 and toks[j].word and toks[j].cap and not _is_abbrev(toks[j]) \
            and toks[j].text.lower() not in _NOT_NAME and "." not in toks[j].text[:-1] and toks[j].end - toks[j].start <= 12:
        if j > i and toks[j].start - toks[j - 1].end > 2:
            break
        j += 1
    n = j - i
    if n < 2 or n > 4:
        return None
    folds = tuple(x.fold for x in toks[i:j])
    if any(folds[:k] in lex.provinces.by_tokens for k in range(1, len(folds) + 1)):
        return None  # Hà Tĩnh, Cao Bằng, Sơn La…
    return j


def _scan_title(toks: list[Tok], i: int, stop_at_name, allow_comma: bool = False,
                head_end: int | None = None, agency: bool = False) -> tuple[int, int | None]:
    """From a title head at token i, the tokens of the title; returns (end index, name start
    index or None). The title runs through the head (`deputy director`), then capitalised words,
    abbreviations, roman numerals, hyphens between posts and the lower-case words of body names;
    in an agency's name (`agency`, or from `Sở`/`Ban`… on) a capitalised word's second syllable."""
    j = i
    while head_end is not None and j < len(toks) and toks[j].end <= head_end:
        j += 1
    j = max(j, i + 1)
    while j < len(toks) and j - i < 25:
        t = toks[j]
        if j > i and stop_at_name and stop_at_name(j) is not None:
            return j, j
        agency = (agency or t.text in _AGENCY) and t.fold not in ("tinh", "thanh")
        if t.word and (t.cap or t.fold in ORG_WORDS):
            j += 1
        elif t.word and agency and toks[j - 1].word and toks[j - 1].cap and t.start - toks[j - 1].end == 1:
            j += 1
        elif t.text in "-–&" and j + 1 < len(toks) and toks[j + 1].word and toks[j + 1].cap:
            j += 1
        elif t.text == "," and allow_comma and j + 1 < len(toks) and toks[j + 1].word and toks[j + 1].cap:
            j += 1
        else:
            break
    return j, None


def officials(art: Article, lex: Lexicon) -> list[dict]:
    toks = _tokens(art)
    index = {t.start: k for k, t in enumerate(toks)}
    heads = [(s, e) for s, e, _ in _HEADS.within(art) if art.masked[s].isupper() and s in index]
    head_end = {s: e for s, e, _ in _HEADS.within(art)}
    # after a name and a comma, English writes posts in lower case ("…, member of the …")
    lower_heads = {s for s, e, _ in _HEADS.within(art) if s in index} if art.language == "en" else set()
    found: list[dict] = []
    taken: set[int] = set()

    def name_check(j: int) -> int | None:
        return _name_at(lex, toks, j, art.language)

    # 1. title, then name
    ends_at: dict[int, int] = {}  # token index of the comma after a post → the post's first token
    for s, e in heads:
        i = index[s]
        if i in taken:
            continue
        end, name_start = _scan_title(toks, i, name_check, head_end=head_end.get(s))
        if name_start is None or name_start == i:
            if end < len(toks) and toks[end].text in (",", "-", "–"):
                ends_at[end] = i
            continue
        name_end = _name_at(lex, toks, name_start, art.language)
        title_end = toks[name_start - 1].end
        # posts listed before it: "Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh Đỗ Văn A"
        while i - 1 in ends_at and ends_at[i - 1] not in taken:
            i = ends_at[i - 1]
        items = _items(art, toks[i].start, title_end)
        official = _official(art, lex, toks, name_start, name_end, items, toks[i].start, toks[name_end - 1].end)
        if official:
            found.append(official)
            taken.update(range(i, name_end))
    # 2. name, then ", title, title"
    starts = [i for i, t in enumerate(toks) if t.cap and t.word and not t.abbrev and lex.is_surname(t.text, art.language)]
    head_starts = {h[0] for h in heads}
    found_end = 0
    for k in starts:
        if k in taken or k < found_end:
            continue
        name_end = _name_at(lex, toks, k, art.language)
        if name_end is None or name_end + 1 >= len(toks) or toks[name_end].text not in (",", "-", "–", "("):
            continue
        pos, items, end = name_end + 1, [], None
        while pos < len(toks) and (toks[pos].start in head_starts or toks[pos].start in lower_heads):
            stop, _ = _scan_title(toks, pos, None, head_end=head_end.get(toks[pos].start))
            items += _items(art, toks[pos].start, toks[stop - 1].end)
            end = stop
            # a capitalised continuation that is not a post: "Trưởng phòng X, Cơ quan UBKT Tỉnh ủy"
            while stop + 1 < len(toks) and toks[stop].text == "," and toks[stop + 1].cap and \
                    toks[stop + 1].start not in head_starts and _name_at(lex, toks, stop + 1, art.language) is None:
                # ("Sở Văn hóa, Thể thao và Du lịch": still the agency's name)
                more, _ = _scan_title(toks, stop + 1, None, agency=any(t.text in _AGENCY for t in toks[pos:stop]))
                items[-1] = (items[-1][0], toks[more - 1].end)
                end = stop = more
            if stop < len(toks) and toks[stop].text in (",", "-", "–") and stop + 1 < len(toks):
                pos = stop + 1
            else:
                break
        if items and end:
            quote_end = toks[end - 1].end
            extra = _ELECTED.match(art.folded[quote_end:quote_end + 30])
            elected = []
            if extra and (quote_end + extra.end()) in index and (quote_end + extra.end()) in head_starts:
                j = index[quote_end + extra.end()]
                stop, _ = _scan_title(toks, j, None)
                elected = [(toks[j].start, toks[stop - 1].end)]
            quote_end = (elected or items)[-1][1]
            if toks[name_end].text == "(" and art.masked[quote_end:quote_end + 1] == ")":
                quote_end += 1
            official = _official(art, lex, toks, k, name_end, items, toks[k].start, quote_end, elected)
            if official:
                found.append(official)
                taken.update(range(k, end))
            found_end = end
    return _merge(found)


def _items(art: Article, start: int, end: int) -> list[tuple[int, int]]:
    """A compound title split into its posts at ` - ` and `, `."""
    out, pos = [], start
    for m in re.finditer(r"\s+[-–]\s+|,\s+|\s+and\s+(?=[A-Z])", art.masked[start:end]):
        out.append((pos, start + m.start()))
        pos = start + m.end()
    out.append((pos, end))
    return [(a, b) for a, b in out if b > a]


def _official(art: Article, lex: Lexicon, toks: list[Tok], ns: int, ne: int, items, qs: int, qe: int,
              elected=()) -> dict | None:
    roles: list[str] = []
    for a, b in list(items) + list(elected):
        role = role_for_title(lex, art.masked[a:b])
        if role is None and art.masked[a].isupper() and any(h[0] == a for h in _HEADS.within(art, a, b)):
            role = "other"
        if role and role not in roles:
            roles.append(role)
    if not roles:
        return None
    title = art.clean(items[0][0], items[-1][1])
    out = {"name": art.clean(toks[ns].start, toks[ne - 1].end), "title": title, "roles": roles}
    bodies = {ROLE_BODY.get(r) for r in roles}
    if len(bodies) == 1 and None not in bodies:
        out["body"] = bodies.pop()
    out["quote"] = art.evidence(qs, qe)
    return out


def _merge(found: list[dict]) -> list[dict]:
    """One entry per person: the mention with the most roles (its quote supports them all)."""
    best: dict[str, dict] = {}
    order: list[str] = []
    for o in found:
        key = " ".join(fold_same_length(o["name"]).split())
        if key not in best:
            order.append(key)
            best[key] = o
        elif len(o["roles"]) > len(best[key]["roles"]):
            best[key] = o
    return [best[k] for k in order]
