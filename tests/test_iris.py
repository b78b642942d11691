import pytest

from kg.graph import iris

BASE = "https://w3id.org/dtkg/id/act/"


@pytest.mark.parametrize("number", ["48-NQ/TU", "48/NQ-TU", "55/KH-UBND", "19/2025/QĐ-TTg", "202/2025/QH15", "1198/QĐ-TU"])
def test_number_key_is_reversible(number):
    key = iris.number_key(number)
    assert "/" not in key and iris.number_from_key(key) == number


def test_party_and_state_forms_of_one_number_do_not_collide():
    a = iris.act_iri(year=2021, province="08-tuyen-quang", number="48-NQ/TU")
    b = iris.act_iri(year=2021, province="08-tuyen-quang", number="48/NQ-TU")
    assert a != b
    assert a == BASE + "08-tuyen-quang/2021/48-NQ_TU"


def test_case_is_kept():
    assert iris.act_iri(year=2021, province="x", number="48-nq/tu") != iris.act_iri(year=2021, province="x", number="48-NQ/TU")


def test_state_numbers_restart_each_year():
    assert iris.act_iri(year=2021, province="08-tuyen-quang", number="55/KH-UBND") != \
        iris.act_iri(year=2022, province="08-tuyen-quang", number="55/KH-UBND")


def test_central_acts_belong_to_no_province():
    assert iris.act_iri(year=2019, province=None, number="52-NQ/TW") == BASE + "vn/2019/52-NQ_TW"


def test_non_ascii_is_percent_encoded():
    assert iris.act_iri(year=2025, province=None, number="19/2025/QĐ-TTg") == BASE + "vn/2025/19_2025_Q%C4%90-TTg"


def test_year_in_number():
    assert iris.year_in_number("19/2025/QĐ-TTg") == 2025
    assert iris.year_in_number("55/KH-UBND") is None


def test_unnumbered_draft_key_prefers_period_then_date_then_title():
    common = dict(year=2021, province="42-ha-tinh", doc_type="resolution", issuer="party-executive-committee")
    assert iris.act_iri(**common, period=(2021, 2025), date="2021-09-17").endswith("/resolution-party-executive-committee-2021-2025")
    assert iris.act_iri(**common, date="2021-09-17").endswith("-2021-09-17")
    assert iris.act_iri(**common, title="Nghị quyết về chuyển đổi số").endswith("-nghi-quyet-ve-chuyen-doi-so")
    with pytest.raises(ValueError):
        iris.act_iri(**common)


def test_iri_breaking_characters_cannot_escape():
    key = iris.number_key("48-NQ/TU> <x")
    assert not set(key) & set('<> "{}|\\^`')


def test_person_needs_more_than_a_name():
    assert iris.person_iri("Nguyễn Văn Sơn", "08-tuyen-quang") != iris.person_iri("Nguyễn Văn Sơn", "42-ha-tinh")
    assert iris.person_iri("Nguyễn Văn Sơn", "08-tuyen-quang", "1970") != iris.person_iri("Nguyễn Văn Sơn", "08-tuyen-quang")
