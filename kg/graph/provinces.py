"""The province gazetteer: a name in a record → the unit in force at the document's date.

The 63 units before the 2025 rearrangement and the 23 units it created are distinct resources
(`data/reference/provinces.ttl`), and seven codes were reused, so neither a name nor a code alone
identifies a unit: the Tuyên Quang of 2021 is not the Tuyên Quang of 2025, which includes Hà Giang.
`resolve` therefore picks by date, and `current` rolls a former unit up to today's.

Cut-over: a merged unit is in force up to and including 2025-06-30, a new one from 2025-07-01, the
day the new provincial governments began (the resolution itself was in force from 12 June 2025).

The Turtle is read with pyoxigraph, not rdflib, to keep name lookups cheap on the query path.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from kg.base.errors import InputError, RecordError
from kg.base.namespaces import DTKG, RDF, SKOS
from kg.base.text import closest, fold
from kg.records.vocabulary import read_properties

REFERENCE_FILE = Path("data") / "reference" / "provinces.ttl"

_PREFIX = re.compile(r"^(?:tinh|thanh pho|tp) ")
_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def name_key(text: str) -> str:
    """The key names are matched on: folded, punctuation as spaces, no leading "tỉnh", "thành
    phố", "tp." (so "TP.HCM", "Tỉnh Hà Tĩnh", "HA TINH" and "Bà Rịa – Vũng Tàu" all match)."""
    key = " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())
    return _PREFIX.sub("", key)


@dataclass(frozen=True)
class Province:
    """One provincial-level unit; `successors` and `predecessors` are IRIs."""

    iri: str
    code: str
    name: str  # skos:prefLabel @vi, for display
    labels: tuple[str, ...]  # every label as written, the name first
    valid_from: date | None = None  # None: in force since before the data begins
    valid_until: date | None = None  # None: still in force
    successors: tuple[str, ...] = ()
    predecessors: tuple[str, ...] = ()

    def in_force(self, on: date) -> bool:
        return self.overlaps(on, on)

    def overlaps(self, start: date, end: date) -> bool:
        """In force on at least one day of [start, end]."""
        return (self.valid_from is None or self.valid_from <= end) and (
            self.valid_until is None or start <= self.valid_until
        )

    def __str__(self) -> str:
        return f"{self.name} ({self.iri.rsplit('/', 1)[-1]})"


def period(on: date | str | int | None) -> tuple[date, date]:
    """The days `on` stands for: a date is one day, None is today, "2025" or 2025 a whole year and
    "2025-06" a whole month (records often know only the year or month of an act)."""
    if on is None:
        on = date.today()
    if isinstance(on, datetime):
        on = on.date()
    if isinstance(on, date):
        return on, on
    m = _PARTIAL_DATE.fullmatch(str(on).strip())
    try:
        if not m:
            raise ValueError
        year, month, day = int(m[1]), m[2] and int(m[2]), m[3] and int(m[3])
        if day:
            d = date(year, month, day)
            return d, d
        if month:
            first = date(year, month, 1)
            return first, date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        raise RecordError(f'date "{on}" is not YYYY, YYYY-MM or YYYY-MM-DD') from None


def _when(start: date, end: date) -> str:
    return f"on {start}" if start == end else f"between {start} and {end}"


class Gazetteer:
    """All units, indexed by IRI and by `name_key` of every label."""

    def __init__(self, provinces: list[Province]):
        self.provinces = tuple(sorted(provinces, key=lambda p: (p.valid_from or date.min, p.code)))
        self._by_iri = {p.iri: p for p in self.provinces}
        self._by_key: dict[str, list[Province]] = defaultdict(list)
        for p in self.provinces:
            for label in p.labels:
                if p not in self._by_key[name_key(label)]:
                    self._by_key[name_key(label)].append(p)

    @classmethod
    def load(cls, path: str | Path) -> Gazetteer:
        props = read_properties(path, "the province reference data")
        provinces = []
        for iri, p in props.items():
            if DTKG.Province not in [o.value for o in p[RDF.type]]:
                continue
            names = [o.value for o in p[SKOS.prefLabel] if o.language == "vi"]
            if len(p[DTKG.code]) != 1 or len(names) != 1:
                raise InputError("a province needs one dtkg:code and one @vi prefLabel",
                                 f"{path}: <{iri}>")
            labels = [o.value for o in p[SKOS.prefLabel] + p[SKOS.altLabel] + p[SKOS.hiddenLabel]]
            labels.remove(names[0])
            dates = {k: date.fromisoformat(p[k][0].value) if p[k] else None
                     for k in (DTKG.validFrom, DTKG.validUntil)}
            provinces.append(Province(
                iri=iri, code=p[DTKG.code][0].value, name=names[0], labels=(names[0], *labels),
                valid_from=dates[DTKG.validFrom], valid_until=dates[DTKG.validUntil],
                successors=tuple(sorted(o.value for o in p[DTKG.successor])),
                predecessors=tuple(sorted(o.value for o in p[DTKG.predecessor])),
            ))
        if not provinces:
            raise InputError("no dtkg:Province in the province reference data", str(path))
        return cls(provinces)

    def get(self, province: Province | str) -> Province:
        """A unit by its IRI (a Province passes through)."""
        if isinstance(province, Province):
            return province
        try:
            return self._by_iri[province]
        except KeyError:
            raise RecordError(f"<{province}> is not a province of the reference data") from None

    def in_force(self, province: Province | str, on: date) -> bool:
        return self.get(province).in_force(on)

    def units(self, on: date | None = None) -> list[Province]:
        """The units in force on a day (today by default), by code."""
        day = on or date.today()
        return sorted((p for p in self.provinces if p.in_force(day)), key=lambda p: p.code)

    def resolve(self, name: str, on: date | str | int | None = None) -> Province:
        """The unit called `name` that was in force on `on` (today when None).

        A partial date ("2025", "2025-06") stands for its whole period: the name resolves when
        exactly one unit so called was in force at some time in it. So a year before or after 2025
        resolves as any day in it would, and so does "2025" for a name that maps to one unit
        (Hà Tĩnh, or Hà Giang, in force until June); but "2025" for Tuyên Quang (the old unit
        until June, the new one from July) is ambiguous and asks for a full date."""
        start, end = period(on)
        named = self._by_key.get(name_key(name))
        if not named:
            raise RecordError(f'unknown province "{name}"{self._hint(name)}')
        hits = [p for p in named if p.overlaps(start, end)]
        if len(hits) == 1:
            return hits[0]
        if hits:
            raise RecordError(
                f'"{name}" names {len(hits)} units in force {_when(start, end)}: '
                f'{", ".join(map(str, hits))}; give the full date (YYYY-MM-DD) of the document')
        spans = "; ".join(self._span(p) for p in named)
        raise RecordError(f'"{name}" names no unit in force {_when(start, end)}: {spans}')

    def current(self, province: Province | str, on: date | None = None) -> list[Province]:
        """The unit(s) in force today (or `on`) that a unit rolled up into; itself if unchanged."""
        p = self.get(province)
        day = on or date.today()
        if p.in_force(day):
            return [p]
        out: list[Province] = []
        for s in p.successors:
            out += [q for q in self.current(s, day) if q not in out]
        return out

    def _span(self, p: Province) -> str:
        bounds = (("from", p.valid_from), ("until", p.valid_until))
        span = " ".join(f"{word} {day}" for word, day in bounds if day)
        text = f"{p}, in force {span or 'throughout'}"
        if p.successors:
            text += ", then part of " + ", ".join(str(self.get(s)) for s in p.successors)
        return text

    def _hint(self, name: str) -> str:
        keys = closest(name_key(name), self._by_key)
        names = list(dict.fromkeys(self._by_key[k][0].name for k in keys))
        return f"; did you mean {' or '.join(names)}?" if names else "; no label is close"


def default_gazetteer(repo_root: str | Path | None = None) -> Gazetteer:
    """The gazetteer of the repository's reference data, loaded once per process (reloaded when
    the file changes)."""
    root = Path(repo_root) if repo_root else Path(__file__).resolve().parents[2]
    path = (root / REFERENCE_FILE).resolve()
    try:
        mtime = os.stat(path).st_mtime_ns
    except OSError as e:
        raise InputError(f"cannot read the province reference data: {e.strerror}",
                         str(path)) from None
    return _load(str(path), mtime)


@lru_cache(maxsize=4)
def _load(path: str, mtime: int) -> Gazetteer:
    return Gazetteer.load(path)
