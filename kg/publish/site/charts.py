"""The home page's pictures as numbers: a tile map (one square per province, placed roughly as on the
map), a province × sector heatmap and a timeline of acts per quarter by level. The templates draw
them as inline SVG; every chart also has a table, for screen readers and for copying.

A tile map needs no boundary data and keeps small provinces readable; it is drawn for the 63 units
before 1 July 2025 and for the 34 after. A unit made in 2025 sits on the tile of the predecessor
whose name it kept.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from kg.base.text import fold
from kg.publish.site.model import LEVELS, Act, Unit, lineage

# (row, column) of each of the 63 units before 2025, by their code: north at the top.
TILES = {
    "12": (0, 2), "10": (0, 3), "02": (0, 4), "04": (0, 5),
    "11": (1, 1), "15": (1, 3), "08": (1, 4), "06": (1, 5), "20": (1, 6),
    "14": (2, 2), "25": (2, 3), "26": (2, 4), "19": (2, 5), "24": (2, 6), "22": (2, 7),
    "17": (3, 3), "01": (3, 4), "27": (3, 5), "30": (3, 6), "31": (3, 7),
    "37": (4, 3), "35": (4, 4), "33": (4, 5), "34": (4, 6),
    "38": (5, 3), "36": (5, 4),
    "40": (6, 3),
    "42": (7, 4),
    "44": (8, 4),
    "45": (9, 5),
    "46": (10, 5), "48": (10, 6),
    "62": (11, 4), "49": (11, 5), "51": (11, 6),
    "64": (12, 5), "52": (12, 6),
    "66": (13, 5), "54": (13, 6),
    "67": (14, 4), "68": (14, 5), "56": (14, 6),
    "72": (15, 2), "70": (15, 3), "74": (15, 4), "75": (15, 5), "58": (15, 6),
    "89": (16, 0), "87": (16, 1), "80": (16, 2), "79": (16, 3), "77": (16, 4), "60": (16, 5),
    "91": (17, 0), "92": (17, 1), "86": (17, 2), "82": (17, 3), "83": (17, 4),
    "93": (18, 1), "94": (18, 2), "84": (18, 3),
    "96": (19, 0), "95": (19, 1),
}
TILE, GAP = 34, 4
SHADES = ("#eef2f7", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")


def shade(count: int, top: int) -> str:
    if count <= 0:
        return SHADES[0]
    return SHADES[min(len(SHADES) - 1, 1 + (count - 1) * (len(SHADES) - 1) // max(top, 1))]


@dataclass
class Tile:
    unit: Unit
    x: int
    y: int
    count: int
    fill: str
    short: str

    @property
    def dark(self) -> bool:
        """White text on the three darkest shades, dark text on the rest (contrast)."""
        return self.fill in SHADES[3:]


def tile_map(all_units: dict[str, Unit], counts: dict[str, int], after: bool) -> list[Tile]:
    """Tiles of the 34 units (after=True) or of the 63; `counts` by unit IRI."""
    old_by_name = {fold(u.name["vi"]): u for u in all_units.values() if u.before_2025}
    chosen = [u for u in all_units.values() if (u.after_2025 if after else u.before_2025)]
    top = max([counts.get(u.iri, 0) for u in chosen] or [1])
    tiles = []
    for unit in sorted(chosen, key=lambda u: u.code):
        anchor = unit if unit.before_2025 else old_by_name.get(fold(unit.name["vi"]))
        position = TILES.get(anchor.code) if anchor else None
        if position is None:
            continue
        row, col = position
        tiles.append(Tile(unit, col * (TILE + GAP), row * (TILE + GAP), counts.get(unit.iri, 0),
                          shade(counts.get(unit.iri, 0), top), _short(unit.name["vi"])))
    return tiles


def _short(name: str) -> str:
    """Two letters for a tile: initials of the name's words (Hà Tĩnh → HT, Huế → Hu)."""
    words = [w for w in name.replace("–", " ").replace("-", " ").split() if w]
    return (words[0][:2] if len(words) == 1 else words[0][0] + words[1][0]).upper() if words else "?"


def counts_by_unit(all_units: dict[str, Unit], all_acts: dict[str, Act], after: bool) -> dict[str, int]:
    """Numbered provincial acts per unit; a 2025 unit counts its predecessors' acts too."""
    per_place = Counter(a.province for a in all_acts.values() if a.province and a.number)
    out = {}
    for unit in all_units.values():
        if not (unit.after_2025 if after else unit.before_2025):
            continue
        places = lineage(unit.iri, all_units) if after else [unit.iri]
        out[unit.iri] = sum(per_place.get(p, 0) for p in places)
    return out


@dataclass
class Heatmap:
    rows: list[tuple[Unit, list[int]]]
    sectors: list[str]
    top: int


def heatmap(all_units: dict[str, Unit], all_acts: dict[str, Act]) -> Heatmap:
    """Acts about each sector, per pre-2025 province that has any (rows by code)."""
    per: Counter = Counter()
    for act in all_acts.values():
        for sector in act.sectors:
            if act.province:
                per[(act.province, sector)] += 1
    sectors = sorted({s for _, s in per})
    rows = []
    for unit in sorted(all_units.values(), key=lambda u: (u.code, u.iri)):
        values = [per.get((unit.iri, s), 0) for s in sectors]
        if any(values):
            rows.append((unit, values))
    return Heatmap(rows, sectors, max(per.values() or [1]))


@dataclass
class Timeline:
    quarters: list[str]
    series: dict[str, list[int]]  # level → count per quarter
    top: int


def timeline(all_acts: dict[str, Act], first_year: int = 2019) -> Timeline:
    """Acts per quarter by level, from the acts whose month is known."""
    per: Counter = Counter((a.quarter, a.level) for a in all_acts.values() if a.quarter and a.quarter >= str(first_year))
    if not per:
        return Timeline([], {lv: [] for lv in LEVELS}, 1)
    last = max(q for q, _ in per)
    quarters = [f"{y} Q{q}" for y in range(first_year, int(last[:4]) + 1) for q in range(1, 5) if f"{y} Q{q}" <= last]
    series = {lv: [per.get((q, lv), 0) for q in quarters] for lv in LEVELS}
    top = max(sum(series[lv][i] for lv in LEVELS) for i in range(len(quarters)))
    return Timeline(quarters, series, max(top, 1))
