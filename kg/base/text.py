"""Vietnamese text at the edges: one normal form for storage, one folded key for matching.

Every entry point (records, articles, CLI parameters) passes text through `normalize`, so a
name typed in NFD, with a BOM, Windows line endings or the other tone-mark placement ends up as
the same string. `fold` makes the key that names are matched on: no case, no diacritics, đ → d.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
# In an open syllable "oa", "oe", "uy" the tone sits on the first vowel in the classic
# placement used by official texts (hòa, khỏe, thủy); the "new" placement puts it on the
# second (hoà, khoẻ, thuỷ). NFC keeps both apart, so move the mark. "qu" + y is a consonant
# plus a vowel (quý), a following letter closes the syllable (hoàng), and a following mark
# means the vowel is another one (hoặc: a + dot below + breve), so none of those moves.
_NEW_STYLE = re.compile(rf"(?<![qQ])([oO][aAeE]|[uU][yY])([{_TONES}])(?![^\W\d_]|[\u0300-\u036f])")


def _classic_tone(nfd: str) -> str:
    return _NEW_STYLE.sub(lambda m: m.group(1)[0] + m.group(2) + m.group(1)[1], nfd)


def normalize(text: str) -> str:
    """NFC, classic tone placement, LF line endings, no BOM."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", _classic_tone(unicodedata.normalize("NFD", text)))


_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """The matching key: lower case, no diacritics, đ folded to d, single spaces."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped).strip().lower()


def slug(text: str) -> str:
    """An ASCII slug for readable IRIs: `Hà Tĩnh` → `ha-tinh`."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (insert, delete, substitute)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def closest(word: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    """The candidates nearest to `word` by edit distance on the folded forms (no case, no
    diacritics), nearest first: those within about a third of the word's length, at most
    `limit`. What every "did you mean" in dtkg is made from."""
    key = fold(word)
    if not key:
        return []
    allowed = max(1, min(4, len(key) // 3))
    scored: dict[str, int] = {}
    for candidate in candidates:
        d = _distance(key, fold(candidate))
        if d <= allowed and d < scored.get(candidate, d + 1):
            scored[candidate] = d
    return sorted(scored, key=lambda c: (scored[c], c))[:limit]


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`; did you mean A or B?` for the nearest candidates, or "" when none is near."""
    near = closest(word, candidates)
    return f"; did you mean {' or '.join(near)}?" if near else ""
