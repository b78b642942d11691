"""The province reference data and the gazetteer: counts, reused codes, lineage, name resolution."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from datetime import date
from pathlib import Path

import pyoxigraph
import pytest

from kg.base.errors import RecordError
from kg.graph.iris import act_iri
from kg.base.namespaces import DCT, DTKG, ORG, PROV, RDF, concept
from kg.graph.provinces import Gazetteer, default_gazetteer, name_key, period

REPO = Path(__file__).resolve().parents[1]
TTL = REPO / "data" / "reference" / "provinces.ttl"
P = "https://w3id.org/dtkg/id/province/"
EVENT = "https://w3id.org/dtkg/id/event/2025-rearrangement/"
NQ202 = "202/2025/QH15"
LAST_OLD, FIRST_NEW = date(2025, 6, 30), date(2025, 7, 1)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return default_gazetteer(REPO)


@pytest.fixture(scope="module")
def graph() -> dict[str, dict[str, set[str]]]:
    """subject → predicate → objects (IRIs or lexical forms)."""
    g: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for t in pyoxigraph.parse(path=str(TTL), format=pyoxigraph.RdfFormat.TURTLE):
        g[t.subject.value][t.predicate.value].add(t.object.value)
    return g


# -- counts -----------------------------------------------------------------------------------


def test_counts(gaz):
    old = [p for p in gaz.provinces if not p.iri.startswith(P + "2025-")]
    assert len(old) == 63
    assert len(gaz.provinces) == 63 + 23
    assert len(gaz.units(LAST_OLD)) == 63
    assert len(gaz.units(FIRST_NEW)) == 34
    both = {p.iri for p in gaz.units(LAST_OLD)} & {p.iri for p in gaz.units(FIRST_NEW)}
    assert len(both) == 11


@pytest.mark.parametrize("day", [LAST_OLD, FIRST_NEW])
def test_codes_unique_among_units_in_force(gaz, day):
    codes = [p.code for p in gaz.units(day)]
    assert len(codes) == len(set(codes))


# -- the seven codes reused by a different unit --------------------------------------------------

REUSED = [  # new unit, its code, the old code of the unit named so, the old unit that had the code
    ("Lào Cai", "15", "10", "Yên Bái"),
    ("Bắc Ninh", "24", "27", "Bắc Giang"),
    ("Quảng Trị", "44", "45", "Quảng Bình"),
    ("Gia Lai", "52", "64", "Bình Định"),
    ("Tây Ninh", "80", "72", "Long An"),
    ("Đồng Tháp", "82", "87", "Tiền Giang"),
    ("An Giang", "91", "89", "Kiên Giang"),
]


@pytest.mark.parametrize("name, new_code, old_code, code_holder", REUSED)
def test_reused_codes(gaz, graph, name, new_code, old_code, code_holder):
    new = gaz.resolve(name, FIRST_NEW)
    old = gaz.resolve(name, LAST_OLD)
    holder = gaz.resolve(code_holder, LAST_OLD)
    assert new.code == new_code and new.iri.startswith(f"{P}2025-{new_code}-")
    assert old.code == old_code and holder.code == new_code
    assert set(new.predecessors) == {old.iri, holder.iri}
    assert graph[new.iri][DTKG.seatIn] == {holder.iri}  # the code follows the seat


# -- lineage --------------------------------------------------------------------------------------

MERGERS = [
    ("Hải Phòng", "2025-31-hai-phong", {"31-hai-phong", "30-hai-duong"}),
    ("Phú Thọ", "2025-25-phu-tho", {"25-phu-tho", "26-vinh-phuc", "17-hoa-binh"}),
    ("Tuyên Quang", "2025-08-tuyen-quang", {"08-tuyen-quang", "02-ha-giang"}),
]


@pytest.mark.parametrize("name, new_id, old_ids", MERGERS)
def test_lineage(gaz, graph, name, new_id, old_ids):
    new = gaz.resolve(name, FIRST_NEW)
    assert new.iri == P + new_id
    assert set(new.predecessors) == {P + i for i in old_ids}
    assert graph[new.iri][PROV.wasDerivedFrom] == {P + i for i in old_ids}
    for i in old_ids:
        old = gaz.get(P + i)
        assert old.successors == (new.iri,) and old.valid_until == LAST_OLD
        assert gaz.current(old) == [new]


@pytest.mark.parametrize("name, new_id, old_ids", MERGERS)
def test_rearrangement_event(graph, name, new_id, old_ids):
    event = graph[EVENT + new_id.removeprefix("2025-")]
    assert DTKG.Rearrangement in event[RDF.type] and ORG.ChangeEvent in event[RDF.type]
    assert event[PROV.used] == event[ORG.originalOrganization] == {P + i for i in old_ids}
    assert event[PROV.generated] == event[ORG.resultingOrganization] == {P + new_id}
    assert event[DCT.date] == {"2025-06-12"}
    assert event[PROV.wasInfluencedBy] == {act_iri(year=2025, province=None, number=NQ202)}


def test_every_merged_unit_has_one_event_and_its_seat_in_a_predecessor(graph):
    new_units = [s for s, p in graph.items() if s.startswith(P + "2025-")]
    events = [s for s, p in graph.items() if DTKG.Rearrangement in p[RDF.type]]
    assert len(new_units) == len(events) == 23
    for s in new_units:
        assert graph[s][DTKG.seatIn] <= graph[s][DTKG.predecessor]
        assert len(graph[s][DTKG.seatIn]) == 1 and len(graph[s][DTKG.seat]) == 1
        for old in graph[s][DTKG.predecessor]:
            assert graph[old][DTKG.successor] == {s}


def test_unchanged_unit_is_one_resource(gaz):
    before, after = gaz.resolve("Hà Tĩnh", date(2020, 1, 1)), gaz.resolve("Hà Tĩnh", FIRST_NEW)
    assert before is after and before.iri == P + "42-ha-tinh"
    assert (before.valid_from, before.valid_until, before.successors) == (None, None, ())
    assert gaz.current(before) == [before]
    assert [p for p in gaz.provinces if p.code == "42"] == [before]


def test_hue_is_one_city_across_2025(gaz, graph):
    hue = gaz.resolve("Thừa Thiên Huế", date(2024, 6, 1))
    assert hue.iri == P + "46-hue" and hue.name == "Huế"
    assert gaz.resolve("Thành phố Huế", FIRST_NEW) is hue
    assert graph[hue.iri][DTKG.unitKind] == {concept("unit-kind", "centrally-run-city")}
    assert act_iri(year=2024, province=None, number="175/2024/QH15") in graph[hue.iri][DCT.source]


# -- resolving names ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", [
    unicodedata.normalize("NFD", "Hà Tĩnh"), "HÀ TĨNH", "Ha Tinh", "ha tinh", "Tỉnh Hà Tĩnh",
    "  tinh  HA   TINH ",
])
def test_resolve_spelling_variants(gaz, name):
    assert gaz.resolve(name, FIRST_NEW).iri == P + "42-ha-tinh"


@pytest.mark.parametrize("name, iri", [
    ("Hoà Bình", P + "17-hoa-binh"),
    ("Hòa Bình", P + "17-hoa-binh"),
    ("Tỉnh Hoà Bình", P + "17-hoa-binh"),
    ("TP.HCM", P + "79-ho-chi-minh"),
    ("TP Hồ Chí Minh", P + "79-ho-chi-minh"),
    ("Thành phố Hồ Chí Minh", P + "79-ho-chi-minh"),
    ("Ho Chi Minh City", P + "79-ho-chi-minh"),
    ("Bà Rịa – Vũng Tàu", P + "77-ba-ria-vung-tau"),
])
def test_resolve_usual_forms(gaz, name, iri):
    assert gaz.resolve(name, date(2024, 1, 1)).iri == iri


def test_name_key_drops_only_a_leading_unit_word():
    assert name_key("Tỉnh Hà Tĩnh") == name_key("TP. Hà Tĩnh") == "ha tinh"
    assert name_key("Thanh Hóa") == "thanh hoa"  # "thanh" alone is not "thành phố"


@pytest.mark.parametrize("on, iri", [
    (date(2021, 11, 15), P + "08-tuyen-quang"),
    (LAST_OLD, P + "08-tuyen-quang"),
    (FIRST_NEW, P + "2025-08-tuyen-quang"),
    (date(2025, 8, 1), P + "2025-08-tuyen-quang"),
    ("2021", P + "08-tuyen-quang"),
    (2021, P + "08-tuyen-quang"),
    ("2025-06", P + "08-tuyen-quang"),
    ("2025-07", P + "2025-08-tuyen-quang"),
    (None, P + "2025-08-tuyen-quang"),  # today, after the rearrangement
])
def test_resolve_by_date(gaz, on, iri):
    assert gaz.resolve("Tuyên Quang", on).iri == iri


def test_year_2025_alone_is_ambiguous_only_for_a_name_of_two_units(gaz):
    with pytest.raises(RecordError, match="full date"):
        gaz.resolve("Tuyên Quang", "2025")
    assert gaz.resolve("Hà Tĩnh", "2025").iri == P + "42-ha-tinh"
    assert gaz.resolve("Hà Giang", "2025").iri == P + "02-ha-giang"


def test_unit_not_in_force_on_the_date(gaz):
    new_tq = gaz.get(P + "2025-08-tuyen-quang")
    assert not gaz.in_force(new_tq.iri, LAST_OLD) and gaz.in_force(new_tq.iri, FIRST_NEW)
    ha_giang = P + "02-ha-giang"
    assert gaz.in_force(ha_giang, LAST_OLD) and not gaz.in_force(ha_giang, FIRST_NEW)
    with pytest.raises(RecordError, match="Hà Giang.*2025-08-01.*Tuyên Quang"):
        gaz.resolve("Hà Giang", date(2025, 8, 1))


def test_unknown_name_names_the_value_and_hints(gaz):
    with pytest.raises(RecordError, match='"Ha Tihn".*Hà Tĩnh') as err:
        gaz.resolve("Ha Tihn", FIRST_NEW)
    assert err.value.exit_code == 1
    with pytest.raises(RecordError, match='unknown province "Atlantis"'):
        gaz.resolve("Atlantis", FIRST_NEW)


def test_bad_dates_are_record_errors():
    assert period("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert period("2024-12") == (date(2024, 12, 1), date(2024, 12, 31))
    for bad in ("2025-13", "12/06/2025", "2025-02-30"):
        with pytest.raises(RecordError, match="YYYY"):
            period(bad)


def test_current_rolls_up_to_todays_units(gaz):
    today = {p.iri for p in gaz.units()}
    assert len(today) == 34
    for p in gaz.provinces:
        rolled = gaz.current(p)
        assert len(rolled) == 1 and rolled[0].iri in today
