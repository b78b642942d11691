"""Deterministic, readable IRIs: the one place where identity is decided.

Rules (see the README's "Identity" section):

* A directive's number keeps its case and separators, recoverably: `/` becomes `_` (numbers never
  contain `_`), anything outside ASCII letters, digits and `-` is percent-encoded, so `48-NQ/TU`
  → `48-NQ_TU` and `48/NQ-TU` → `48_NQ-TU` never collide, and `QĐ` → `Q%C4%90`.
* A Party number (`48-NQ/TU`) is unique only within its committee and term, and a State number
  (`55/KH-UBND`) restarts each year; the year of the act together with its province makes both
  unique: `act/{province}/{year}/{number}`. The year comes from the act's date, or from the year in
  the number (`19/2025/QĐ-TTg`), or from the record (cited, e.g. from an article's dateline).
* Central acts (`52-NQ/TW`, `749/QĐ-TTg`) belong to no province: `act/vn/{year}/{number}`.
* An unnumbered act (a draft) gets a stable key from its type, its issuer and its period, else
  its date, else its title: `act/{province}/{year}/{type}-{issuer}-{period|date|title}`. When it
  later gets a number, the record says `same_as:` and the two are linked with owl:sameAs.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote, unquote

from kg.base.namespaces import ID
from kg.base.text import slug

_SAFE = "-"  # besides ASCII letters and digits, the only character kept as it is
_YEAR_IN_NUMBER = re.compile(r"^\d+/((?:19|20)\d\d)/")


def number_key(number: str) -> str:
    """`48-NQ/TU` → `48-NQ_TU`; reversible with `number_from_key`."""
    return quote(number.replace("/", "_"), safe=_SAFE + "_")


def number_from_key(key: str) -> str:
    return unquote(key).replace("_", "/")


def year_in_number(number: str) -> int | None:
    """State numbers of legal normative acts carry their year: `19/2025/QĐ-TTg` → 2025."""
    m = _YEAR_IN_NUMBER.match(number)
    return int(m.group(1)) if m else None


def province_iri(local_id: str) -> str:
    return f"{ID}province/{local_id}"


def act_iri(
    *,
    year: int,
    province: str | None,
    number: str | None = None,
    doc_type: str | None = None,
    issuer: str | None = None,
    period: tuple[int | None, int | None] | None = None,
    date: str | None = None,
    title: str | None = None,
) -> str:
    """The IRI of a directive. `province` is the province's local id, None for central acts."""
    where = province or "vn"
    if number:
        return f"{ID}act/{where}/{year}/{number_key(number)}"
    if period and any(period):
        tail = "-".join(str(y) for y in period if y)
    elif date:
        tail = date
    elif title:
        tail = slug(title)[:60].rstrip("-")
    else:
        raise ValueError("an unnumbered act needs a period, a date or a title for its key")
    return f"{ID}act/{where}/{year}/{doc_type}-{issuer}-{tail}"


def body_iri(body_type: str, province: str | None) -> str:
    """An issuing body: a body type within a province (or `vn` for central bodies)."""
    return f"{ID}body/{province or 'vn'}/{body_type}"


def person_iri(name: str, province: str | None, disambiguator: str | None = None) -> str:
    """A person is more than a name: the province scopes it, and a record may add a key."""
    tail = slug(name) + (f"-{slug(disambiguator)}" if disambiguator else "")
    return f"{ID}person/{province or 'vn'}/{tail}"


def source_iri(record_id: str) -> str:
    return f"{ID}source/{record_id}"


def publisher_iri(name: str) -> str:
    return f"{ID}publisher/{slug(name)}"


def content_key(*parts: object) -> str:
    """A short stable hash for nodes identified by their content (targets, evidence, posts)."""
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
