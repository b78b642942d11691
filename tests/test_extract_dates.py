"""An act's own date (kg/extract/dates.py) in the forms news writes it: after the number, the
issuer or the title, with or without a year; a list of acts issued together; an act voted through
at a meeting; and no date taken from a neighbouring act. Sentences invented for these tests."""

from __future__ import annotations

import pytest

from kg.extract.draft import extract_text
from kg.extract.lexicon import load_lexicon


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


H = "Hà Giang: tỉnh triển khai chuyển đổi số trong năm tới\n\n15/10/2021\n\n"
E = "Ha Giang pushes digital transformation in the coming year\n\nOctober 15, 2021\n\n"
CASES = [  # (text, {act: (its date field, value) or None})
 (H + "Chiều 12/10, Ban Thường vụ Tỉnh ủy Hà Giang ban hành Nghị quyết số 11-NQ/TU về chuyển đổi số và Chương trình số 08-CTr/TU về phát triển lâm nghiệp.", {"11-NQ/TU": ("date", "2021-10-12"), "08-CTr/TU": ("date", "2021-10-12")}),
 (H + "Ngày 12/10/2021, UBND tỉnh ban hành Kế hoạch số 20/KH-UBND về chuyển đổi số thực hiện Nghị quyết số 11-NQ/TU của Tỉnh ủy và Quyết định số 749/QĐ-TTg.", {"20/KH-UBND": ("date", "2021-10-12"), "11-NQ/TU": None, "749/QĐ-TTg": None}),
 (H + "Tại kỳ họp thứ 5 ngày 10/10/2021, HĐND tỉnh Hà Giang khóa XVIII đã biểu quyết thông qua Nghị quyết số 58/2021/NQ-HĐND về chính sách hỗ trợ chuyển đổi số và Nghị quyết số 51/2021/NQ-HĐND về giá đất.", {"58/2021/NQ-HĐND": ("meeting_date", "2021-10-10"), "51/2021/NQ-HĐND": ("meeting_date", "2021-10-10")}),
 (H + "Ngày 14/10/2021, HĐND tỉnh Hà Giang tổ chức kỳ họp chuyên đề. Kỳ họp đã thông qua 5 nghị quyết. Trong đó, Nghị quyết số 30/2021/NQ-HĐND về chuyển đổi số được cử tri quan tâm.", {"30/2021/NQ-HĐND": ("meeting_date", "2021-10-14")}),
 (E + "On 12 October 2021, the Standing Board of the provincial Party Committee issued Resolution No. 11-NQ/TU on digital transformation to implement Politburo Resolution No. 52-NQ/TW dated September 27, 2019. On the same day, the Standing Board issued Programme No. 08-CTr/TU on forestry.", {"11-NQ/TU": ("date", "2021-10-12"), "08-CTr/TU": ("date", "2021-10-12"), "52-NQ/TW": ("date", "2019-09-27")}),
 (H + "Đồng chí Lê Văn Nam vừa ký ban hành Kết luận số 600-KL/TU ngày 10/10/2021 về chuyển đổi số. Tỉnh ủy giao UBND tỉnh ban hành kế hoạch trước ngày 30/11/2021. Cùng ngày, Ban Thường vụ Tỉnh ủy ban hành Quyết định số 1600-QĐ/TU về công tác cán bộ.", {"600-KL/TU": ("date", "2021-10-10"), "1600-QĐ/TU": ("date", "2021-10-10")}),
 (H + "Thực hiện Chương trình hành động số 20-CTr/TU ngày 1/3/2021 của Tỉnh ủy, ngày 5/10/2021, UBND tỉnh ban hành Kế hoạch số 99/KH-UBND về chuyển đổi số.", {"99/KH-UBND": ("date", "2021-10-05"), "20-CTr/TU": ("date", "2021-03-01")}),
 (H + "Ngày 10/10/2021, Ban Thường vụ Tỉnh ủy ban hành Chỉ thị số 15-CT/TU về chuyển đổi số, thay thế Chỉ thị số 03-CT/TU ngày 5/5/2019.", {"15-CT/TU": ("date", "2021-10-10"), "03-CT/TU": ("date", "2019-05-05")}),
 (H + "Sáng 14/10, HĐND tỉnh Hà Giang khai mạc kỳ họp chuyên đề. Kỳ họp đã thông qua Nghị quyết số 25/2021/NQ-HĐND về chuyển đổi số.", {"25/2021/NQ-HĐND": ("meeting_date", "2021-10-14")}),
 (E + "Plan No. 287/KH-UBND on digital transformation, signed on September 24, sets out 40 tasks.", {"287/KH-UBND": ("date", "2021-09-24")}),
 (H + "Nghị quyết số 11-NQ/TU ngày 12/10 của Ban Thường vụ Tỉnh ủy về chuyển đổi số.", {"11-NQ/TU": ("date", "2021-10-12")}),
 (H + "Kế hoạch số 20/KH-UBND ngày 03-02-2021 về chuyển đổi số; Chỉ thị số 05-CT/TU ngày 3.2.2021 về chuyển đổi số; Đề án số 01-ĐA/TU (3/2/2021) về chuyển đổi số.", {"20/KH-UBND": ("date", "2021-02-03"), "05-CT/TU": ("date", "2021-02-03"), "01-ĐA/TU": ("date", "2021-02-03")}),
 (E + "Resolution No. 11-NQ/TU, dated 3 February 2021, on digital transformation. Directive No. 05-CT/TU on digital transformation was issued on February 3, 2021. Decision No. 45/QD-UBND of 3/2/2021 on digital transformation.", {"11-NQ/TU": ("date", "2021-02-03"), "05-CT/TU": ("date", "2021-02-03"), "45/QĐ-UBND": ("date", "2021-02-03")}),
 (H + "Ban Thường vụ Tỉnh ủy ban hành Chỉ thị số 05-CT/TU về chuyển đổi số vào tháng 3/2021.", {"05-CT/TU": ("date", "2021-03")}),
 (H + "Ngày 12/10/2021, Tỉnh ủy tổ chức hội nghị quán triệt Nghị quyết số 11-NQ/TU ngày 20/9/2021 về chuyển đổi số.", {"11-NQ/TU": ("date", "2021-09-20")}),
 (H + "Kế hoạch số 20/KH-UBND ngày 5/10/2021 của UBND tỉnh về chuyển đổi số được ban hành để thực hiện Nghị quyết số 11-NQ/TU của Tỉnh ủy.", {"20/KH-UBND": ("date", "2021-10-05"), "11-NQ/TU": None}),
 (H + "Ngày 12/10/2021, Ban Thường vụ Tỉnh ủy ban hành Chỉ thị số 22-CT/TU về chuyển đổi số. Cùng ngày, Ban Thường vụ ban hành Quyết định số 1125-QĐ/TU về công tác cán bộ.", {"22-CT/TU": ("date", "2021-10-12"), "1125-QĐ/TU": ("date", "2021-10-12")}),
 # "the same day": after a number typed with spaces, a date in brackets, a subject's date without a year
 (H + "UBND tỉnh vừa ban hành Kế hoạch số 77/KH - UBND ngày 08-10-2021 về chuyển đổi số. Cùng ngày, UBND tỉnh cũng ban hành Kế hoạch số 78/KH-UBND về phòng, chống thiên tai.", {"77/KH-UBND": ("date", "2021-10-08"), "78/KH-UBND": ("date", "2021-10-08")}),
 (H + "Chủ tịch UBND tỉnh vừa ký ban hành Chỉ thị số 09/CT-UBND (ngày 11/10/2021) về chuyển đổi số. Cùng ngày, Chủ tịch UBND tỉnh cũng ban hành Chỉ thị số 10/CT-UBND về an toàn giao thông.", {"09/CT-UBND": ("date", "2021-10-11"), "10/CT-UBND": ("date", "2021-10-11")}),
 (E + "Decision No. 845/QD-UBND, dated October 11, is aimed at carrying out Resolution No. 11-NQ/TU on digital transformation. On the same day, the committee also issued Decision No. 846/QD-UBND on flood control.", {"845/QĐ-UBND": ("date", "2021-10-11"), "846/QĐ-UBND": ("date", "2021-10-11")}),
 # a month without a year: opening the sentence, or after the act ("issued in January"); a day before the verb
 (H + "Cũng trong tháng 9, Ban Thường vụ Tỉnh ủy đã ban hành Kết luận số 150-KL/TU về công tác cán bộ.", {"150-KL/TU": ("date", "2021-09")}),
 (E + "The Standing Board has issued Action Programme No. 41-CTr/TU on digital transformation. The programme, issued in September, sets 20 targets. Separately, the People's Committee on October 12 issued Plan No. 14/KH-UBND on digital skills.", {"41-CTr/TU": ("date", "2021-09"), "14/KH-UBND": ("date", "2021-10-12")}),
 (E + "Decision No. 845/QD-UBND on digital transformation carries out Resolution No. 11-NQ/TU of the provincial Party Committee on digital transformation, adopted in December, and the Prime Minister's Decision No. 749/QD-TTg.", {"11-NQ/TU": ("date", "2020-12")}),
 # a session reported by its vote; an act's own date, an effective date are not the meeting's
 (E + "Deputies to the provincial People's Council on October 12 passed a resolution on digital transformation. Resolution No. 40/2021/NQ-HDND, adopted at the council's fourth session, is intended to institutionalise Resolution No. 11-NQ/TU dated 20 July 2021 of the provincial Party Committee. The session also passed Resolution No. 41/2021/NQ-HDND on land prices.", {"40/2021/NQ-HĐND": ("meeting_date", "2021-10-12"), "41/2021/NQ-HĐND": ("meeting_date", "2021-10-12"), "11-NQ/TU": ("date", "2021-07-20")}),
 (H + "Sáng 12-10, HĐND tỉnh Hà Giang bế mạc kỳ họp thứ 4. Tại kỳ họp, HĐND tỉnh đã biểu quyết thông qua 20 nghị quyết. Trong đó, Nghị quyết số 44/2021/NQ-HĐND quy định mức hỗ trợ tổ công nghệ số cộng đồng, có hiệu lực từ ngày 22/10/2021, nhằm thể chế hóa Nghị quyết số 11-NQ/TU về chuyển đổi số.", {"44/2021/NQ-HĐND": ("meeting_date", "2021-10-12")}),
 # an act off the subject only named at a conference: no meeting date, no year from the dateline
 (H + "Sáng 12-10, Ban Thường vụ Tỉnh ủy tổ chức hội nghị quán triệt Kế hoạch số 200-KH/TU ngày 1-9-2021 về chuyển đổi số. Cùng ngày, hội nghị cũng quán triệt Kế hoạch số 199-KH/TU của Ban Thường vụ Tỉnh ủy về sắp xếp tổ chức bộ máy.", {"200-KH/TU": ("date", "2021-09-01"), "199-KH/TU": None}),
 # a date after the act's title; the session just reported; the month of a week or batch reported on
 (E + "To realise Resolution 52, the provincial Party Committee adopted Resolution No. 12-NQ/TU on digital transformation on March 8, 2021.", {"12-NQ/TU": ("date", "2021-03-08")}),
 (E + "The provincial People's Council on Tuesday passed Resolution No. 35/2021/NQ-HDND on digital transformation. At the same session, deputies approved Resolution No. 36/2021/NQ-HDND on land prices.", {"36/2021/NQ-HĐND": ("meeting_date", "2021-10-12")}),
 (H + "Ngày 5/10/2021, UBND tỉnh ban hành Kế hoạch số 120/KH-UBND về chuyển đổi số. Cũng trong tuần, UBND tỉnh ban hành Kế hoạch số 121/KH-UBND về phòng, chống lũ quét.", {"121/KH-UBND": ("date", "2021-10")}),
 (E + "The People's Committee has issued Plan No. 40/KH-UBND on digital transformation. Earlier this month, the committee also issued Decision No. 805/QD-UBND on beaches.", {"805/QĐ-UBND": ("date", "2021-10")}),
 # a day and month written out without a year; days said by the dateline: yesterday, last week; a weekday after the act
 (H + "Ngày 1 tháng 10, Ban Thường vụ Tỉnh ủy ban hành Chỉ thị số 15-CT/TU về chuyển đổi số.", {"15-CT/TU": ("date", "2021-10-01")}),
 (H + "Hôm qua (14/10), UBND tỉnh ban hành Kế hoạch số 120/KH-UBND về chuyển đổi số.", {"120/KH-UBND": ("date", "2021-10-14")}),
 (H + "Hôm qua, UBND tỉnh ban hành Kế hoạch số 120/KH-UBND về chuyển đổi số.", {"120/KH-UBND": ("date", "2021-10-14")}),
 (E + "The provincial People's Committee last week issued Plan No. 120/KH-UBND on digital transformation.", {"120/KH-UBND": ("date", "2021-10")}),
 (E + "The Standing Board issued Directive No. 15-CT/TU on digital transformation on Wednesday.", {"15-CT/TU": ("date", "2021-10-13")}),
]


@pytest.mark.parametrize("text, want", CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_own_dates(lexicon, text, want):
    got = {}
    for d in extract_text(text, name="a.txt", lexicon=lexicon)["documents"]:
        key = next((k for k in ("date", "meeting_date", "planned_date", "year") if k in d), None)
        got[d.get("number") or d["ref"]] = (key, str(d[key])) if key else None
    assert {k: got.get(k, "missing") for k in want} == want


def test_a_year_borrowed_from_the_dateline_is_said(lexicon):
    text = "Ha Giang pushes digital transformation\n\nOctober 15, 2021\n\nPlan No. 287/KH-UBND on digital " \
           "transformation, signed on September 24, sets out 40 tasks."
    doc = extract_text(text, name="a.txt", lexicon=lexicon)["documents"][0]
    assert doc["date"] == "2021-09-24" and "dateline" in doc["evidence"]["date"]["note"]
    assert doc["title"] == "Plan on digital transformation"


def test_a_conference_disseminating_an_act_gives_its_meeting_date_not_its_own(lexicon):
    for text in ("Ngày 14/8/2023, Tỉnh ủy tổ chức hội nghị quán triệt, triển khai Nghị quyết số 11-NQ/TU ngày 20/7/2023 "
                 "của Ban Thường vụ Tỉnh ủy về chuyển đổi số.",
                 "Hội nghị quán triệt Nghị quyết số 11-NQ/TU ngày 20/7/2023 về chuyển đổi số được Tỉnh ủy tổ chức sáng 14/8."):
        doc = extract_text("Tỉnh Hà Giang\n\n15/08/2023\n\n" + text, name="a.txt", lexicon=lexicon)["documents"][0]
        assert (doc["status"], doc["date"], doc["meeting_date"]) == ("disseminated", "2023-07-20", "2023-08-14")


def test_a_month_or_a_day_without_a_year_in_english(lexicon):
    text = ("Ha Giang pushes digital transformation\n\nAugust 15, 2023\n\nDirective No. 30-CT/TU on digital "
            "transformation was issued on 10 August. The provincial People's Committee will issue an implementation "
            "plan in September.")
    docs = extract_text(text, name="a.txt", lexicon=lexicon)["documents"]
    assert docs[0]["date"] == "2023-08-10"
    assert (docs[1]["type"], docs[1]["status"], docs[1]["planned_date"]) == ("plan", "planned", "2023-09")
    assert "dateline" in docs[1]["evidence"]["planned_date"]["note"]


def test_early_or_late_in_a_month(lexicon):
    text = ("Ha Giang pushes digital transformation\n\nOctober 15, 2021\n\nThe Standing Board has issued Resolution No. "
            "11-NQ/TU on digital transformation. The resolution, issued in late September, sets 20 targets.")
    assert extract_text(text, name="a.txt", lexicon=lexicon)["documents"][0]["date"] == "2021-09"
