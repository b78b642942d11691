"""Synthetic records for benchmarks: `dtkg synth --triples N -o DIR [--seed S]`.

Writes a self-contained repository root to DIR — copies of `ontology/`, `data/reference/`,
`queries/` and `shapes/`, and `data/records/synth-*.yaml` — so that `DTKG_ROOT=DIR dtkg build`
builds a graph of about N triples (quads in the store, static graphs and derived labels included).
Nothing is ever written to the repository's own `data/`.

The records have the shape of the curated ones and pass the record checks (`kg.records.reader.load`):

* 63 units before the 2025 rearrangement for sources dated up to 2025-06-30, the 34 units in force
  from 2025-07-01 for later ones; every act is dated inside its unit's lifetime;
* several acts per source, with implementation chains: a provincial plan implementing the
  province's resolution (by ref), provincial acts implementing central ones (52-NQ/TW, 749/QĐ-TTg,
  57-NQ/TW...) by number, the central acts described once in the first record;
* targets, officials (a stable pool per province, so people recur across sources), sectors drawn
  from a skewed distribution (public administration, health and education most often; justice and
  forestry rarely), evidence quotes for every fact;
* clearly synthetic: every headline starts with "[synthetic]", the publisher is "dtkg synth",
  every record id and file name starts with "synth-".

Seeded and reproducible: record i depends only on the seed and i (and on the counters of earlier
records), so the same seed gives byte-identical files, and a smaller graph is a prefix of a larger.
"""

from __future__ import annotations

import math
import random
import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from kg.base.errors import UsageError

PUBLISHER = "dtkg synth"
HEADLINE_MARK = "[synthetic]"
FIRST_DAY = date(2019, 10, 1)
CUTOVER = date(2025, 7, 1)  # the first day of the 34 units
LAST_DAY = date(2025, 12, 31)  # fixed, not the clock: the same seed gives the same files any day
COPIED = ("ontology", "data/reference", "queries", "shapes")

# Central acts, described in the first record; provincial acts implement them by number.
CENTRAL = [
    dict(ref="nq-52", number="52-NQ/TW", type="resolution", issuer="politburo", issuer_as_written="Bộ Chính trị",
         date="2019-09-27", title="Nghị quyết về một số chủ trương, chính sách chủ động tham gia cuộc Cách mạng công nghiệp lần thứ tư"),
    dict(ref="qd-749", number="749/QĐ-TTg", type="decision", issuer="prime-minister", issuer_as_written="Thủ tướng Chính phủ",
         date="2020-06-03", title="Quyết định phê duyệt Chương trình Chuyển đổi số quốc gia đến năm 2025, định hướng đến năm 2030"),
    dict(ref="qd-942", number="942/QĐ-TTg", type="decision", issuer="prime-minister", issuer_as_written="Thủ tướng Chính phủ",
         date="2021-06-15", title="Quyết định phê duyệt Chiến lược phát triển Chính phủ điện tử hướng tới Chính phủ số giai đoạn 2021 - 2025, định hướng đến năm 2030"),
    dict(ref="qd-06", number="06/QĐ-TTg", type="decision", issuer="prime-minister", issuer_as_written="Thủ tướng Chính phủ",
         date="2022-01-06", title="Quyết định phê duyệt Đề án phát triển ứng dụng dữ liệu về dân cư, định danh và xác thực điện tử phục vụ chuyển đổi số quốc gia"),
    dict(ref="qd-411", number="411/QĐ-TTg", type="decision", issuer="prime-minister", issuer_as_written="Thủ tướng Chính phủ",
         date="2022-03-31", title="Quyết định phê duyệt Chiến lược quốc gia phát triển kinh tế số và xã hội số đến năm 2025, định hướng đến năm 2030"),
    dict(ref="nq-57", number="57-NQ/TW", type="resolution", issuer="politburo", issuer_as_written="Bộ Chính trị",
         date="2024-12-22", title="Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia"),
]

# Sector keys with weights: a skewed distribution like the one in provincial programmes, where
# public administration, health, education and agriculture lead and justice or forestry are rare.
SECTORS = {
    "public-administration": (30, "cải cách hành chính, chính quyền số"), "health": (24, "y tế"),
    "education": (23, "giáo dục và đào tạo"), "agriculture": (18, "nông nghiệp"),
    "tourism": (15, "du lịch"), "commerce": (14, "thương mại"), "transport": (12, "giao thông vận tải"),
    "finance-banking": (10, "tài chính - ngân hàng"), "natural-resources-environment": (10, "tài nguyên và môi trường"),
    "logistics": (9, "logistics"), "industry": (9, "công nghiệp"), "information-communications": (8, "thông tin và truyền thông"),
    "energy": (7, "năng lượng"), "culture": (6, "văn hóa"), "urban-smart-city": (6, "đô thị thông minh"),
    "science-technology": (6, "khoa học và công nghệ"), "party-agencies": (4, "hoạt động của cơ quan Đảng, đoàn thể"),
    "labour-employment": (3, "lao động, việc làm"), "services": (3, "dịch vụ"), "disaster-prevention": (3, "phòng, chống thiên tai"),
    "security-defence": (2, "quốc phòng, an ninh"), "justice": (2, "tư pháp"), "forestry": (2, "lâm nghiệp"),
}
_SECTOR_KEYS = list(SECTORS)
_SECTOR_WEIGHTS = [w for w, _ in SECTORS.values()]

SURNAMES = (("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Huỳnh", 4), ("Phan", 4),
            ("Vũ", 4), ("Võ", 3), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 2), ("Ngô", 2), ("Dương", 2), ("Lý", 1))
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Quốc", "Thanh", "Hữu", "Công", "Xuân", "Ngọc", "Trọng", "Anh", "Việt", "Hồng")
GIVEN = ("Hùng", "Dũng", "Sơn", "Hải", "Lâm", "Thắng", "Hà", "Hạnh", "Phương", "Tuấn", "Long", "Nam", "Bình", "Hòa",
         "Thành", "Trung", "Cường", "Quang", "Hiếu", "Lan", "Mai", "Hương", "Thủy", "Khánh", "Toàn", "Vinh", "Tâm")

# (roles, title with {unit} for "tỉnh"/"thành phố" and {party} for "Tỉnh ủy"/"Thành ủy", body)
POSTS = [
    (["party-secretary"], "Bí thư {party}", None),
    (["standing-deputy-party-secretary"], "Phó Bí thư Thường trực {party}", None),
    (["deputy-party-secretary", "peoples-committee-chair"], "Phó Bí thư {party}, Chủ tịch UBND {unit}", "peoples-committee"),
    (["peoples-committee-vice-chair"], "Phó Chủ tịch UBND {unit}", "peoples-committee"),
    (["peoples-committee-vice-chair", "steering-committee-head"], "Phó Chủ tịch UBND {unit}, Trưởng Ban Chỉ đạo chuyển đổi số {unit}", "peoples-committee"),
    (["peoples-council-chair"], "Chủ tịch HĐND {unit}", "peoples-council"),
    (["department-head"], "Giám đốc Sở Thông tin và Truyền thông", None),
    (["standing-committee-member"], "Ủy viên Ban Thường vụ {party}", None),
]

METRICS = [  # (metric, comparator, value, scope, statement template)
    ("dti", "top-n", 20, "national", "phấn đấu đến năm {year} {name} thuộc nhóm 20 tỉnh, thành phố dẫn đầu cả nước về chỉ số chuyển đổi số"),
    ("dti", "rank-class-at-least", "khá", "national", "đến năm {year} chỉ số chuyển đổi số của {name} đạt loại khá trở lên"),
    ("dti", "leading-group", None, "northern-region", "đến năm {year} {name} nằm trong nhóm dẫn đầu khu vực về chuyển đổi số"),
    ("digital-government-index", "top-n", 15, "national", "đến năm {year} {name} thuộc nhóm 15 địa phương có chỉ số Chính phủ số cao"),
    ("online-public-service-share", "at-least", 80, None, "đến năm {year} tỷ lệ dịch vụ công trực tuyến toàn trình đạt ít nhất 80%"),
    ("digital-economy-grdp-share", "at-least", 20, None, "đến năm {year} kinh tế số chiếm ít nhất 20% GRDP của {name}"),
    ("broadband-coverage", "at-least", 95, None, "đến năm {year} hạ tầng băng rộng cáp quang phủ ít nhất 95% hộ gia đình"),
    ("digital-citizens-share", "at-least", 70, None, "đến năm {year} ít nhất 70% người dân trưởng thành có tài khoản định danh điện tử"),
]
_UNITS = {"online-public-service-share": "%", "digital-economy-grdp-share": "%", "broadband-coverage": "%", "digital-citizens-share": "%"}

CITIES = {"Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế"}


MAX_TRIPLES = 20_000_000  # 20 times the largest benchmark; beyond it a typo, not a plan


def parse_size(text: str | int) -> int:
    """`10k` → 10_000, `1M` → 1_000_000, `2500` → 2500."""
    s = str(text).strip().replace("_", "").replace(",", "")
    scale = {"k": 1_000, "m": 1_000_000}.get(s[-1:].lower(), 1)
    try:
        value = float(s[:-1] if scale > 1 else s) * scale
    except ValueError:
        raise UsageError(f"--triples {text!r} is not a size; expected e.g. 10k, 100k, 1M or 250000") from None
    if not math.isfinite(value):
        raise UsageError(f"--triples {text!r} is not a size; expected e.g. 10k, 100k, 1M or 250000")
    if value < 1:
        raise UsageError(f"--triples {text!r}; expected a positive size")
    if value > MAX_TRIPLES:
        raise UsageError(f"--triples {text!r}; expected at most {MAX_TRIPLES // 1_000_000}M (the benchmarks go to 1M; "
                         "a billion would be hours of work and ~100 GB of YAML)")
    return int(value)


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


class _State:
    """What later records depend on: number counters per province and year, the official pools."""

    def __init__(self, seed: int, gazetteer: Any):
        self.seed = seed
        self.old = gazetteer.units(CUTOVER - timedelta(days=1))
        self.new = gazetteer.units(CUTOVER)
        self.counters: dict[tuple[str, int, str], int] = {}
        self.pools: dict[str, list[dict[str, Any]]] = {}
        self.drafts: set[tuple[str, str]] = set()

    def number(self, rng: random.Random, unit: str, year: int, kind: str) -> int:
        key = (unit, year, kind)
        if key not in self.counters:
            self.counters[key] = rng.randint(1, 40)
        self.counters[key] += rng.randint(1, 6)
        return self.counters[key]

    def pool(self, province: Any, era: str) -> list[dict[str, Any]]:
        """The officials of a unit in one era (before or after the cut-over): stable per seed."""
        key = f"{province.iri}|{era}"
        if key not in self.pools:
            rng = random.Random(f"{self.seed}:officials:{key}")
            surnames, weights = zip(*SURNAMES)
            city = province.name in CITIES
            people = []
            for roles, title, body in POSTS:
                name = f"{rng.choices(surnames, weights)[0]} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
                filled = title.format(unit="thành phố" if city else "tỉnh", party="Thành ủy" if city else "Tỉnh ủy")
                people.append({"name": name, "title": filled, "roles": roles, "body": body})
            self.pools[key] = people
        return self.pools[key]


def _q(text: str) -> str:
    """A quote of at most 2000 characters (the schema's limit)."""
    return text[:2000]


def _sectors(rng: random.Random, low: int, high: int) -> list[dict[str, Any]]:
    count = rng.randint(low, high)
    chosen: list[str] = []
    while len(chosen) < count:
        key = rng.choices(_SECTOR_KEYS, _SECTOR_WEIGHTS)[0]
        if key not in chosen:
            chosen.append(key)
    out = []
    for key in chosen:
        words = SECTORS[key][1]
        out.append({"key": key, "as_written": words, "quote": f"chuyển đổi số trong lĩnh vực {words}"})
    return out


def _targets(rng: random.Random, name: str, end: int, count: int) -> list[dict[str, Any]]:
    out = []
    for metric, comparator, value, scope, statement in rng.sample(METRICS, count):
        year = rng.choice((end, 2030)) if end < 2030 else 2030
        text = statement.format(year=year, name=name)
        target: dict[str, Any] = {"metric": metric, "comparator": comparator}
        if value is not None:
            target["value"] = value
        if metric in _UNITS:
            target["unit"] = _UNITS[metric]
        if scope:
            target["scope"] = scope
        target["deadline"] = year
        target["statement"] = text
        target["quote"] = _q(text)
        out.append(target)
    return out


def _issuer_words(issuer: str, city: bool) -> str:
    unit = "thành phố" if city else "tỉnh"
    party = "Thành ủy" if city else "Tỉnh ủy"
    return {
        "party-executive-committee": f"Ban Chấp hành Đảng bộ {unit}",
        "party-standing-committee": f"Ban Thường vụ {party}",
        "peoples-committee": f"UBND {unit}",
        "peoples-council": f"HĐND {unit}",
    }[issuer]


_TYPE_WORDS = {"resolution": "Nghị quyết", "plan": "Kế hoạch", "decision": "Quyết định", "directive": "Chỉ thị",
               "programme": "Chương trình", "scheme": "Đề án"}
_ABBREVIATION = {  # (type, issuer) → how its number is written
    ("resolution", "party-executive-committee"): "{n}-NQ/TU",
    ("directive", "party-standing-committee"): "{n}-CT/TU",
    ("plan", "party-standing-committee"): "{n}-KH/TU",
    ("plan", "peoples-committee"): "{n}/KH-UBND",
    ("decision", "peoples-committee"): "{n}/QĐ-UBND",
    ("resolution", "peoples-council"): "{n}/NQ-HĐND",
}
_SUBJECTS = [
    "chuyển đổi số {unit} {name} giai đoạn {start} - {end}, định hướng đến năm {vision}",
    "phát triển chính quyền số, kinh tế số và xã hội số {unit} {name} đến năm {end}",
    "đẩy mạnh chuyển đổi số gắn với cải cách hành chính trên địa bàn {unit} {name}",
    "phát triển đô thị thông minh và hạ tầng số {unit} {name} đến năm {end}, tầm nhìn đến năm {vision}",
    "ứng dụng dữ liệu về dân cư, định danh và xác thực điện tử trên địa bàn {unit} {name}",
]


def _document(rng: random.Random, state: _State, province: Any, on: date, ref: str, doc_type: str, issuer: str,
              implements: list[str], status: str = "adopted") -> dict[str, Any]:
    city = province.name in CITIES
    unit = "thành phố" if city else "tỉnh"
    local = province.iri.rsplit("/", 1)[1]
    number = _ABBREVIATION[(doc_type, issuer)].format(n=state.number(rng, local, on.year, _ABBREVIATION[(doc_type, issuer)]))
    start = max(on.year, 2020) if rng.random() < 0.6 else 2021
    end = max(start + 1, 2025 if on.year < 2025 else 2030)
    vision = 2030 if end < 2030 else 2035
    subject = rng.choice(_SUBJECTS).format(unit=unit, name=province.name, start=start, end=end, vision=vision)
    words = _TYPE_WORDS[doc_type]
    whom = _issuer_words(issuer, city)
    title = f"{words} về {subject}"
    day = f"{on.day}/{on.month}/{on.year}"
    cited = f"{words} số {number} ngày {day} của {whom}"
    doc: dict[str, Any] = {
        "ref": ref, "number": number, "type": doc_type, "title": title, "issuer": issuer,
        "issuer_as_written": whom, "date": on.isoformat(), "status": status,
        "period": {"start": start, "end": end, "vision": vision},
    }
    evidence: dict[str, Any] = {
        "number": cited, "type": f"{words} số {number}", "title": title, "issuer": cited,
        "date": f"{words} số {number} ngày {day}", "status": f"triển khai thực hiện {words} số {number}",
        "period": f"giai đoạn {start} - {end}, định hướng đến năm {vision}",
    }
    if implements:
        doc["implements"] = implements
        evidence["implements"] = f"{words} số {number} thực hiện " + ", ".join(implements)
    doc["evidence"] = evidence
    return doc


def _central_record() -> dict[str, Any]:
    """Record 0: an article on the national programme that describes every central act."""
    documents = []
    for act in CENTRAL:
        d = date.fromisoformat(act["date"])
        day = f"{d.day}/{d.month}/{d.year}"
        words = _TYPE_WORDS[act["type"]]
        cited = f"{words} số {act['number']} ngày {day} của {act['issuer_as_written']}"
        documents.append({
            "ref": act["ref"], "number": act["number"], "type": act["type"], "title": act["title"], "level": "central",
            "issuer": act["issuer"], "issuer_as_written": act["issuer_as_written"], "date": act["date"], "status": "adopted",
            "evidence": {"number": cited, "type": f"{words} số {act['number']}", "title": act["title"], "issuer": cited,
                         "date": f"{words} số {act['number']} ngày {day}", "status": f"triển khai {words} số {act['number']}"},
        })
    published = "2025-01-15"
    return {
        "record": 1, "id": "synth-000000-central-acts",
        "source": {"kind": "article", "headline": f"{HEADLINE_MARK} Các văn bản trung ương về chuyển đổi số quốc gia",
                   "publisher": PUBLISHER, "published": published, "language": "vi",
                   "evidence": {"headline": f"{HEADLINE_MARK} Các văn bản trung ương về chuyển đổi số quốc gia",
                                "publisher": f"Nguồn: {PUBLISHER}", "published": published}},
        "province": "Hà Nội",
        "evidence": {"province": "tại Hà Nội, các bộ, ngành trung ương"},
        "documents": documents,
    }


def make_record(i: int, state: _State) -> dict[str, Any]:
    """Record i (i ≥ 1) of the sequence."""
    rng = random.Random(f"{state.seed}:record:{i}")
    # More activity after 2021; a quarter of the sources fall after the cut-over.
    if rng.random() < 0.25:
        published = _day(rng, CUTOVER + timedelta(days=20), LAST_DAY)
        units, era = state.new, "34"
    else:
        published = _day(rng, date(2020, 3, 1) if rng.random() < 0.2 else date(2021, 6, 1), CUTOVER - timedelta(days=1))
        units, era = state.old, "63"
    province = units[int(len(units) * rng.random() ** 1.3)]  # some units publish more than others
    earliest = max(FIRST_DAY, province.valid_from or FIRST_DAY)
    city = province.name in CITIES
    unit = "thành phố" if city else "tỉnh"

    documents: list[dict[str, Any]] = []
    shape = rng.choices(("chain", "plan", "decision", "directive", "council", "draft"), (35, 20, 15, 10, 10, 10))[0]
    first = _day(rng, max(earliest, published - timedelta(days=400)), published - timedelta(days=10))
    # A provincial act implements a central act issued before it (the newest ones most often).
    issued = [a["number"] for a in CENTRAL if date.fromisoformat(a["date"]) < first]
    central = [rng.choice(issued[-3:] if first >= date(2025, 1, 1) else issued)]
    if shape == "chain":  # resolution (implementing a central act) → plan → decision
        res = _document(rng, state, province, first, "nq", "resolution", "party-executive-committee", central)
        res["sectors"] = _sectors(rng, 3, 12)
        res["targets"] = _targets(rng, province.name, res["period"]["end"], rng.randint(1, 3))
        documents.append(res)
        second = _day(rng, first + timedelta(days=5), published - timedelta(days=2)) if first + timedelta(days=5) < published - timedelta(days=2) else first
        plan = _document(rng, state, province, second, "kh", "plan", "peoples-committee", ["nq"])
        plan["sectors"] = _sectors(rng, 2, 8)
        plan["targets"] = _targets(rng, province.name, plan["period"]["end"], rng.randint(0, 2))
        documents.append(plan)
        if rng.random() < 0.4:
            third = _day(rng, second, published)
            dec = _document(rng, state, province, third, "qd", "decision", "peoples-committee", ["kh"])
            dec["sectors"] = _sectors(rng, 1, 4)
            documents.append(dec)
    elif shape == "plan":
        plan = _document(rng, state, province, first, "kh", "plan", "peoples-committee", central)
        plan["sectors"] = _sectors(rng, 3, 10)
        plan["targets"] = _targets(rng, province.name, plan["period"]["end"], rng.randint(1, 3))
        documents.append(plan)
    elif shape == "decision":
        dec = _document(rng, state, province, first, "qd", "decision", "peoples-committee", central)
        dec["sectors"] = _sectors(rng, 1, 6)
        dec["targets"] = _targets(rng, province.name, dec["period"]["end"], rng.randint(0, 2))
        documents.append(dec)
    elif shape == "directive":
        ct = _document(rng, state, province, first, "ct", "directive", "party-standing-committee", central)
        ct["sectors"] = _sectors(rng, 2, 9)
        ct["targets"] = _targets(rng, province.name, ct["period"]["end"], rng.randint(1, 2))
        documents.append(ct)
        if rng.random() < 0.5:
            kh = _document(rng, state, province, _day(rng, first, published), "kh", "plan", "party-standing-committee", ["ct"])
            documents.append(kh)
    elif shape == "council":
        nq = _document(rng, state, province, first, "nq-hdnd", "resolution", "peoples-council", [])
        nq["sectors"] = _sectors(rng, 1, 5)
        documents.append(nq)
    else:  # a draft discussed at a meeting: no number yet, so its IRI is keyed by its period
        local = province.iri.rsplit("/", 1)[1]
        start = published.year
        meeting = _day(rng, max(earliest, published - timedelta(days=20)), published)
        words = _issuer_words("party-executive-committee", city)
        title = f"Nghị quyết về chuyển đổi số {unit} {province.name} giai đoạn {start} - {start + 5} (dự thảo)"
        draft: dict[str, Any] = {
            "ref": "nq-draft", "number": None, "type": "resolution", "title": title,
            "issuer": "party-executive-committee", "issuer_as_written": words,
            "meeting_date": meeting.isoformat(), "status": rng.choice(("draft-discussed", "agreed-in-principle")),
        }
        evidence = {"type": "dự thảo Nghị quyết về chuyển đổi số", "title": title,
                    "issuer": f"{words} cho ý kiến vào dự thảo Nghị quyết",
                    "meeting_date": f"ngày {meeting.day}/{meeting.month}, {words} họp",
                    "status": f"{words} thống nhất cơ bản với dự thảo"}
        # One draft per unit and period; a second one that year is keyed by its meeting date.
        if (local, str(start)) not in state.drafts:
            draft["period"] = {"start": start, "end": start + 5}
            evidence["period"] = f"giai đoạn {start} - {start + 5}"
            state.drafts.add((local, str(start)))
        elif (local, meeting.isoformat()) in state.drafts:
            draft = {}
        else:
            state.drafts.add((local, meeting.isoformat()))
        if draft:
            draft["evidence"] = evidence
            draft["sectors"] = _sectors(rng, 2, 8)
            documents.append(draft)
        else:  # both keys taken: a council resolution instead
            nq = _document(rng, state, province, first, "nq-hdnd", "resolution", "peoples-council", [])
            nq["sectors"] = _sectors(rng, 1, 5)
            documents.append(nq)

    pool = state.pool(province, era)
    officials = []
    for person in rng.sample(pool, rng.randint(1, 4)):
        quote = f"{person['title']} {person['name']}"
        official = {"name": person["name"], "title": person["title"], "roles": person["roles"]}
        if person["body"]:
            official["body"] = person["body"]
        official["quote"] = quote
        officials.append(official)

    slug_ = province.iri.rsplit("/", 1)[1]
    record_id = f"synth-{i:06d}-{slug_}"[:100]
    headline = f"{HEADLINE_MARK} {province.name} triển khai {documents[0]['title'][0].lower()}{documents[0]['title'][1:]}"[:2000]
    return {
        "record": 1, "id": record_id,
        "source": {"kind": "article", "headline": headline, "publisher": PUBLISHER,
                   "published": published.isoformat(), "language": "vi",
                   "evidence": {"headline": headline, "publisher": f"Nguồn: {PUBLISHER}",
                                "published": f"{published.day:02d}/{published.month:02d}/{published.year}"}},
        "province": province.name,
        "evidence": {"province": f"chuyển đổi số {unit} {province.name}"},
        "documents": documents,
        "officials": officials,
    }


def records(count: int, seed: int = 0, gazetteer: Any = None) -> list[dict[str, Any]]:
    """The first `count` records of the sequence for `seed` (record 0 describes the central acts)."""
    from kg.graph.provinces import default_gazetteer

    gazetteer = gazetteer or default_gazetteer()
    state = _State(seed, gazetteer)
    out = [_central_record()] if count > 0 else []
    out += [make_record(i, state) for i in range(1, count)]
    return out


def graph_size(root: Path, data: list[dict[str, Any]], static: list[Any] | None = None) -> int:
    """The number of quads `dtkg build` would store for these records (same code as the build)."""
    from kg.graph.build import NumberIndex, dataset_description, derived_quads, map_records, static_quads
    from kg.graph.provinces import default_gazetteer

    gazetteer = default_gazetteer(root)
    static = static if static is not None else static_quads(root)
    index = NumberIndex()
    index.add_graph_quads(static)
    quads = static[:]
    for mapped in map_records(data, gazetteer, index):
        quads += mapped.quads
    quads += derived_quads(quads, gazetteer)
    quads += dataset_description(quads, data)
    return len(set(quads))


SAMPLE = 200  # records mapped to learn quads per record


def records_for(triples: int, seed: int, root: Path) -> int:
    """How many records give about `triples` quads: the smallest prefix that reaches it when
    that is within the first SAMPLE records, else extrapolated from the quads per record of
    the first SAMPLE (the sequence is stationary)."""
    from kg.graph.build import static_quads
    from kg.graph.provinces import default_gazetteer

    static = static_quads(root)
    size = lambda n: graph_size(root, sample[:n], static)  # noqa: E731
    sample = records(SAMPLE, seed, default_gazetteer(root))
    base, full = size(0), size(SAMPLE)
    per_record = (full - base) / (SAMPLE - 1)
    if triples >= full:
        return SAMPLE + max(0, math.ceil((triples - full) / per_record))
    n = min(SAMPLE, max(1, round((triples - base) / per_record) + 1))  # a close guess, then steps
    while n < SAMPLE and size(n) < triples:
        n += 1
    while n > 1 and size(n - 1) >= triples:
        n -= 1
    return n


def _dump(data: dict[str, Any]) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    body = yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=200, default_flow_style=False)
    return "# Synthetic: made by `dtkg synth` for benchmarks; not a real source.\n" + body


def write(out: Path, triples: int, seed: int = 0, source_root: Path | None = None) -> tuple[int, Path]:
    """Write a repository root of about `triples` quads to `out`; (records written, records dir)."""
    from kg.base.paths import repo_root

    source_root = (source_root or repo_root()).resolve()
    out = Path(out).resolve()
    if out == source_root or source_root in out.parents and (out == source_root / "data" or source_root / "data" in out.parents):
        raise UsageError(f"{out}: synthetic records never go into the repository's data/; choose another folder (e.g. benchmarks/out/)")
    records_dir = out / "data" / "records"
    if records_dir.is_dir():
        foreign = sorted(p.name for p in records_dir.iterdir() if not p.name.startswith("synth-"))
        if foreign:
            raise UsageError(f"{records_dir} holds records that are not synthetic ({foreign[0]}…); refusing to mix them")
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: is a file; expected -o DIR, a folder that exists or can be made")
    try:
        (out / "data").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{out}: cannot make the folder: {exc.strerror or exc}; expected -o DIR in a writable place") from None
    count = records_for(triples, seed, source_root)
    for folder in COPIED:
        src, dst = source_root / folder, out / folder
        if src.is_dir():
            shutil.rmtree(dst, ignore_errors=True)
            shutil.copytree(src, dst)
    records_dir.mkdir(parents=True, exist_ok=True)
    for old in records_dir.glob("synth-*.yaml"):
        old.unlink()
    for data in records(count, seed):
        (records_dir / f"{data['id']}.yaml").write_text(_dump(data), "utf-8")
    return count, records_dir
