import unicodedata

import pytest

from kg.base.text import fold, normalize, slug


@pytest.mark.parametrize("variant", ["Hà Tĩnh", "ha tinh", "HÀ TĨNH", "Ha Tinh", unicodedata.normalize("NFD", "Hà Tĩnh")])
def test_province_spellings_fold_to_one_key(variant):
    assert fold(variant) == "ha tinh"


@pytest.mark.parametrize("new, classic", [("hoà", "hòa"), ("Hoà Bình", "Hòa Bình"), ("uỷ ban", "ủy ban"), ("Thuý", "Thúy"), ("khoẻ", "khỏe")])
def test_tone_placement_is_unified(new, classic):
    assert normalize(new) == classic


@pytest.mark.parametrize("word", ["hoàng", "quý", "thuyền", "Quỳnh", "hoạch", "hoặc", "Hoặc", "khoắc"])
def test_closed_syllables_and_qu_keep_their_mark(word):
    assert normalize(word) == unicodedata.normalize("NFC", word)


def test_normalize_strips_bom_and_windows_line_endings():
    assert normalize("\ufeffa\r\nb\rc") == "a\nb\nc"


def test_nfd_input_becomes_nfc():
    nfd = unicodedata.normalize("NFD", "Nghị quyết")
    assert nfd != "Nghị quyết" and normalize(nfd) == "Nghị quyết"


def test_d_with_stroke_folds_to_d():
    assert fold("Đảng bộ") == "dang bo" and slug("Đắk Lắk") == "dak-lak"
