"""Links between acts (kg/extract/links.py): the link words real articles use, in Vietnamese and
English; lists of acts; relative clauses; acts linked before they are issued; what is no link
(context, a progress report); and a decision approving a scheme as one act with it.

The sentences are invented for these tests, in the shapes provincial news writes links in."""

from __future__ import annotations

import pytest

from kg.extract.draft import extract_text
from kg.extract.lexicon import load_lexicon


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


CASES = [  # (text, {act: the acts it implements})
 ("Tỉnh Hà Giang\nUBND tỉnh ban hành Kế hoạch số 20/KH-UBND ngày 5/3/2022 thực hiện Nghị quyết số 09-NQ/TU ngày 1/2/2022 của Tỉnh ủy về chuyển đổi số và Quyết định số 411/QĐ-TTg của Thủ tướng Chính phủ.", {"20/KH-UBND": ["09-NQ/TU", "411/QĐ-TTg"]}),
 ("Tỉnh Hà Giang\nKết luận số 512-KL/TU thực hiện Nghị quyết số 09-NQ/TU gắn với Quyết định số 411/QĐ-TTg về chuyển đổi số.", {"512-KL/TU": ["09-NQ/TU", "411/QĐ-TTg"]}),
 ("Tỉnh Hà Giang\nNghị quyết số 25/2025/NQ-HĐND về chính sách hỗ trợ chuyển đổi số nhằm thể chế hóa Chương trình hành động số 03-CTr/TU của Tỉnh ủy.", {"25/2025/NQ-HĐND": ["03-CTr/TU"]}),
 ("Tỉnh Hà Giang\nQuyết định số 2845/QĐ-UBND về chuyển đổi số năm 2022 được ban hành căn cứ Nghị quyết số 18-NQ/TU và Kế hoạch số 6912/KH-UBND.", {"2845/QĐ-UBND": ["18-NQ/TU", "6912/KH-UBND"]}),
 ("Tỉnh Hà Giang\nCăn cứ Nghị quyết số 18-NQ/TU của Tỉnh ủy và Kế hoạch số 6912/KH-UBND, UBND tỉnh ban hành Quyết định số 2845/QĐ-UBND về chuyển đổi số.", {"2845/QĐ-UBND": ["18-NQ/TU", "6912/KH-UBND"]}),
 ("Tỉnh Hà Giang\nTheo tinh thần Nghị quyết số 57-NQ/TW của Bộ Chính trị, Ban Thường vụ Tỉnh ủy ban hành Kế hoạch số 12-KH/TU về chuyển đổi số.", {"12-KH/TU": ["57-NQ/TW"]}),
 ("Tỉnh Hà Giang\nKế hoạch số 145/KH-UBND triển khai Kế hoạch số 12-KH/TU của Tỉnh ủy và Nghị quyết số 71/NQ-CP của Chính phủ về chuyển đổi số.", {"145/KH-UBND": ["12-KH/TU", "71/NQ-CP"]}),
 ("Tỉnh Hà Giang\nKế hoạch số 12-KH/TU thực hiện Nghị quyết số 57-NQ/TW về chuyển đổi số; Nghị quyết số 71/NQ-CP của Chính phủ cũng cụ thể hóa Nghị quyết số 57-NQ/TW.", {"12-KH/TU": ["57-NQ/TW"], "71/NQ-CP": ["57-NQ/TW"]}),
 ("Quang Nam province\nThe People's Committee has issued Plan No. 1/KH-UBND, dated 3 March 2025, to implement Action Programme No. 28-CTr/TU of the provincial Party Committee and the Government's Resolution No. 03/NQ-CP of 9 January 2025, both of which carry out Politburo Resolution No. 57-NQ/TW on digital transformation.", {"1/KH-UBND": ["28-CTr/TU", "03/NQ-CP"], "28-CTr/TU": ["57-NQ/TW"], "03/NQ-CP": ["57-NQ/TW"]}),
 ("Binh Phuoc province\nPlan No. 287/KH-UBND on digital transformation was issued to implement Resolution No. 13-NQ/TU dated June 3, 2021 of the provincial Party Committee. It also realises the Prime Minister's Decision 749/QD-TTg.", {"287/KH-UBND": ["13-NQ/TU", "749/QĐ-TTg"]}),
 ("Lam Dong province\nThe Standing Board on Tuesday issued Resolution No. 05-NQ/TU on digital transformation, intended to realise Politburo Resolution No. 57-NQ/TW and the Government's Resolution No. 03/NQ-CP.", {"05-NQ/TU": ["57-NQ/TW", "03/NQ-CP"]}),
 ("Gia Lai province\nDirective No. 14-CT/TU on digital transformation is meant to step up the implementation of the Prime Minister's Decision No. 749/QD-TTg and Decision No. 06/QD-TTg on Project 06.", {"14-CT/TU": ["749/QĐ-TTg", "06/QĐ-TTg"]}),
 ("Hoa Binh province\nDirective No. 15/CT-UBND, dated November 3, 2020, on e-government, implements Decision No. 749/QD-TTg and Resolution No. 03-NQ/TU of the provincial Party Committee.", {"15/CT-UBND": ["749/QĐ-TTg", "03-NQ/TU"]}),
 ("Hoa Binh province\nPursuant to Resolution No. 03-NQ/TU of the provincial Party Committee, the People's Committee issued Directive No. 15/CT-UBND on e-government.", {"15/CT-UBND": ["03-NQ/TU"]}),
 ("Hoa Binh province\nIn line with Resolution No. 03-NQ/TU on e-government, the People's Committee issued Directive No. 15/CT-UBND.", {"15/CT-UBND": ["03-NQ/TU"]}),
 ("Tỉnh Hà Giang\nChỉ thị số 22-CT/TU về chuyển đổi số và Đề án 06, nhằm thực hiện Quyết định số 06/QĐ-TTg của Thủ tướng Chính phủ và Nghị quyết số 07-NQ/TU của Tỉnh ủy.", {"22-CT/TU": ["06/QĐ-TTg", "07-NQ/TU"]}),
 ("Tỉnh Hà Giang\nTrong bối cảnh thực hiện Quyết định số 749/QĐ-TTg, Tỉnh ủy ban hành Nghị quyết số 20-NQ/TU về chuyển đổi số.", {"20-NQ/TU": []}),
 ("Tỉnh Hà Giang\nNăm 2021, tỉnh tiếp tục triển khai Nghị quyết số 20-NQ/TU và Kế hoạch số 95-KH/TU về chuyển đổi số.", {"20-NQ/TU": [], "95-KH/TU": []}),
 ("Tỉnh Hà Giang\nĐề án được ban hành kèm theo Quyết định số 2217/QĐ-UBND ngày 25/8/2022 của UBND tỉnh, cụ thể hóa Chương trình hành động số 25-CTr/TU của Tỉnh ủy thực hiện Nghị quyết số 52-NQ/TW về chuyển đổi số.", {"2217/QĐ-UBND": ["25-CTr/TU"], "25-CTr/TU": ["52-NQ/TW"]}),
 ("Tỉnh Hà Giang\nBan Chỉ đạo ban hành Kế hoạch số 05-KH/BCĐ thực hiện Kế hoạch số 01-KH/BCĐTW của Ban Chỉ đạo Trung ương và Đề án số 01-DA/TU của Tỉnh ủy về chuyển đổi số.", {"05-KH/BCĐ": ["01-KH/BCĐTW", "01-ĐA/TU"]}),
 ("Tỉnh Hà Giang\nQuyết định số 1523/QĐ-UBND phê duyệt Đề án chuyển đổi số tỉnh đến năm 2025, định hướng đến năm 2030, thực hiện Nghị quyết số 09-NQ/TU của Tỉnh ủy và Quyết định số 411/QĐ-TTg của Thủ tướng Chính phủ.", {"1523/QĐ-UBND": ["09-NQ/TU", "411/QĐ-TTg"]}),
 ("Tỉnh Hà Giang\nNghị quyết số 11-NQ/TU về chuyển đổi số được ban hành nhằm triển khai Nghị quyết số 52-NQ/TW của Bộ Chính trị và Quyết định số 749/QĐ-TTg của Thủ tướng Chính phủ.", {"11-NQ/TU": ["52-NQ/TW", "749/QĐ-TTg"]}),
 ("Binh Dinh province\nThe People's Committee has issued Plan No. 40/KH-UBND on digital transformation. The plan, signed on March 2 by Vice Chairman Tran Van An, also realises the Prime Minister's Decision 749/QD-TTg.", {"40/KH-UBND": ["749/QĐ-TTg"]}),
 ("Tỉnh Hà Giang\nKế hoạch số 07-KH/BCĐ nhằm thực hiện Kế hoạch số 02-KH/BCĐTW ngày 21/3/2025 của Ban Chỉ đạo Trung ương về triển khai phong trào \"Bình dân học vụ số\" và Đề án số 03-DA/TU ngày 28/8/2025 của Ban Thường vụ Tỉnh ủy về chuyển đổi số.", {"07-KH/BCĐ": ["02-KH/BCĐTW", "03-ĐA/TU"]}),
 ("Tỉnh Hà Giang\nUBND tỉnh ban hành Kế hoạch số 20/KH-UBND (thực hiện Nghị quyết số 11-NQ/TU của Tỉnh ủy) về chuyển đổi số.", {"20/KH-UBND": ["11-NQ/TU"]}),
 ("Tỉnh Hà Giang\nBáo cáo số 15/BC-UBND đánh giá kết quả 2 năm thực hiện Nghị quyết số 11-NQ/TU về chuyển đổi số.", {"11-NQ/TU": []}),
 ("Tỉnh Hà Giang\nKết luận số 60-KL/TU được ban hành sau khi Ban Thường vụ nghe báo cáo sơ kết 2 năm thực hiện Nghị quyết số 11-NQ/TU về chuyển đổi số.", {"60-KL/TU": []}),
 ("Tỉnh Hà Giang\nChương trình hành động số 30-CTr/TU về chuyển đổi số nhằm hiện thực hóa Nghị quyết số 57-NQ/TW của Bộ Chính trị.", {"30-CTr/TU": ["57-NQ/TW"]}),
 ("Ha Giang province\nThe provincial People's Committee issued Plan No. 50/KH-UBND on digital transformation to materialise Resolution No. 57-NQ/TW.", {"50/KH-UBND": ["57-NQ/TW"]}),
 ("Ha Giang province\nIn the spirit of Resolution No. 57-NQ/TW, the provincial Party Committee adopted Action Programme No. 30-CTr/TU on digital transformation.", {"30-CTr/TU": ["57-NQ/TW"]}),
 ("Tỉnh Hà Giang\nThực hiện chỉ đạo của Thủ tướng Chính phủ tại Quyết định số 749/QĐ-TTg, UBND tỉnh ban hành Kế hoạch số 70/KH-UBND về chuyển đổi số.", {"70/KH-UBND": ["749/QĐ-TTg"]}),
 ("Tỉnh Hà Giang\nKế hoạch số 112/KH-UBND thực hiện Đề án số 03-ĐA/TU ngày 3 tháng 2 năm 2021 của Tỉnh ủy về chuyển đổi số.", {"112/KH-UBND": ["03-ĐA/TU"]}),
 # "No.312/KH-UBND" (no space) is a number; a long owner before the act ("the provincial Party Standing Board's")
 ("Khanh Hoa province\nThe People's Committee has issued Plan No.412/KH-UBND to carry out the provincial Party Standing Board's Action Programme No. 09-CTr/TU on digital transformation.", {"412/KH-UBND": ["09-CTr/TU"]}),
 # a list goes on past a clause that dates the act before ("…, adopted in September, and …")
 ("Ca Mau province\nDecision No. 845/QD-UBND on digital transformation is aimed at carrying out Resolution No. 11-NQ/TU of the provincial Party Committee on digital transformation, adopted in September, and the Prime Minister's Decision No. 749/QD-TTg dated June 3, 2020.", {"845/QĐ-UBND": ["11-NQ/TU", "749/QĐ-TTg"]}),
 # "đồng thời gắn với các nhiệm vụ … đề ra tại C": C is implemented too
 ("Tỉnh Hà Giang\nKế hoạch số 40/KH-UBND về chuyển đổi số được xây dựng để thực hiện Quyết định số 06/QĐ-TTg ngày 6/1/2022 của Thủ tướng Chính phủ, đồng thời gắn với các nhiệm vụ chuyển đổi số đã đề ra tại Kế hoạch số 120/KH-UBND ngày 25/8/2021 của UBND tỉnh.", {"40/KH-UBND": ["06/QĐ-TTg", "120/KH-UBND"]}),
 # an act that issues or amends a programme implementing B implements B; a conference "quán triệt, triển khai" an act is no link
 ("Tỉnh Hà Giang\nSáng 13-3, Ban Thường vụ Tỉnh ủy tổ chức hội nghị quán triệt, triển khai Kế hoạch số 170-KH/TU ngày 18-2-2025 của Tỉnh ủy thực hiện Nghị quyết số 57-NQ/TW ngày 22-12-2024 của Bộ Chính trị về chuyển đổi số quốc gia và Nghị quyết số 03/NQ-CP ngày 9-1-2025 của Chính phủ ban hành Chương trình hành động của Chính phủ thực hiện Nghị quyết số 57-NQ/TW.", {"170-KH/TU": ["57-NQ/TW", "03/NQ-CP"], "03/NQ-CP": ["57-NQ/TW"]}),
 ("Tỉnh Hà Giang\nĐề án số 07-ĐA/TU về chuyển đổi số nhằm cụ thể hóa Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị và Nghị quyết số 71/NQ-CP ngày 01/4/2025 của Chính phủ sửa đổi, bổ sung, cập nhật Chương trình hành động của Chính phủ thực hiện Nghị quyết số 57-NQ/TW.", {"07-ĐA/TU": ["57-NQ/TW", "71/NQ-CP"], "71/NQ-CP": ["57-NQ/TW"]}),
 # a decision "về Kế hoạch …" is the plan: "Kế hoạch nhằm triển khai C" is the decision's link
 ("Tỉnh Hà Giang\nUBND tỉnh vừa ban hành Quyết định 2400/QD-UBND 10/10/2025 về Kế hoạch chuyển đổi số tỉnh Hà Giang năm 2025 - 2026. Kế hoạch nhằm triển khai Kế hoạch số 09-KH/TU ngày 05/8/2025 của Ban Thường vụ Tỉnh ủy về thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị về chuyển đổi số.", {"2400/QĐ-UBND": ["09-KH/TU"], "09-KH/TU": ["57-NQ/TW"]}),
 # a decision approving a scheme with a day and month between ("ngày 18-3 phê duyệt Đề án"): the scheme's link is the decision's
 ("Tỉnh Hà Giang\nUBND tỉnh vừa ký Quyết định 610/QD-UBND ngày 14-3 phê duyệt Đề án chuyển đổi số tỉnh Hà Giang giai đoạn 2024 - 2030. Đề án được xây dựng căn cứ Nghị quyết số 21-NQ/TU ngày 5/11/2021 của Tỉnh ủy về chuyển đổi số.", {"610/QĐ-UBND": ["21-NQ/TU"]}),
 # the sentence's subject is the word for what the act before issued: "The plan", "Quy chế"
 ("Ha Giang province\nThe People's Committee on May 3 signed Decision No. 77/QD-UBND, issuing the province's 2022 plan on digital transformation.\n\nThe plan is meant to realise the national programme set out in Decision No. 749/QD-TTg of the Prime Minister.", {"77/QĐ-UBND": ["749/QĐ-TTg"]}),
 ("Tỉnh Hà Giang\nUBND tỉnh ban hành Quyết định số 30/2022/QĐ-UBND ngày 2/3/2022 về Quy chế quản lý nền tảng chia sẻ dữ liệu. Quy chế được ban hành nhằm thực hiện Quyết định số 942/QĐ-TTg của Thủ tướng Chính phủ.", {"30/2022/QĐ-UBND": ["942/QĐ-TTg"]}),
 ("Ha Giang province\nThe conference disseminated Resolution No. 20-NQ/TU on digital transformation.\n\nThe resolution, issued by the provincial Party Committee's Executive Board on May 10, 2022, was adopted to carry out Resolution No. 52-NQ/TW of the Politburo.", {"20-NQ/TU": ["52-NQ/TW"]}),
 # a list joined through an owner and the type's own first word ("the city Party Committee's Action Programme No.")
 ("Ha Giang province\nResolution No. 28/2025/NQ-HDND on digital incentives is intended to institutionalise the Politburo's Resolution No. 57-NQ/TW of December 22, 2024, and the provincial Party Committee's Action Programme No. 12-CTr/TU, adopted in August.", {"28/2025/NQ-HĐND": ["57-NQ/TW", "12-CTr/TU"]}),
 # a short name in brackets between two acts of a list
 ("Tỉnh Hà Giang\nChỉ thị số 09/CT-UBND về chuyển đổi số nhằm triển khai Quyết định số 06/QĐ-TTg của Thủ tướng Chính phủ (Đề án 06) gắn với Kế hoạch số 77/KH-UBND ngày 3/2/2024 của UBND tỉnh về chuyển đổi số.", {"09/CT-UBND": ["06/QĐ-TTg", "77/KH-UBND"]}),
 # an act does not carry out one issued after it: in a nested list, the later act is the outer act's;
 # a dated off-topic act after the programme is none of the programme's
 ("Tỉnh Hà Giang\nKế hoạch số 86/KH-UBND ngày 15/4/2025 của UBND tỉnh được ban hành để thực hiện Nghị quyết số 03/NQ-CP ngày 9/1/2025 của Chính phủ ban hành Chương trình hành động của Chính phủ thực hiện Nghị quyết số 57-NQ/TW và Nghị quyết số 71/NQ-CP ngày 1/4/2025 của Chính phủ sửa đổi, bổ sung, cập nhật Chương trình hành động đó.", {"86/KH-UBND": ["03/NQ-CP", "71/NQ-CP"], "03/NQ-CP": ["57-NQ/TW"]}),
 # the subject's word names no act of the sentence before: no link
 ("Ha Giang province\nThe Standing Board issued Directive No. 5-CT/TU on digital transformation.\n\nThe plan is meant to realise Decision No. 749/QD-TTg.", {"5-CT/TU": []}),
 # a central act by its short name: with its body ("Nghị quyết 57 của Bộ Chính trị"), or one of the
 # well-known ones alone ("Resolution 52") once the article's date is after it
 ("Tỉnh Hà Giang\nKế hoạch số 33/KH-UBND về chuyển đổi số được ban hành nhằm thực hiện Nghị quyết 57 của Bộ Chính trị.", {"33/KH-UBND": ["57-NQ/TW"]}),
 ("Ha Giang province\nTo carry out Resolution 52, the provincial Party Committee issued Resolution No. 09-NQ/TU on digital transformation.", {"09-NQ/TU": ["52-NQ/TW"]}),
 # a scheme named by the decision that approved it ("Đề án 06" is Quyết định 06/QĐ-TTg's), also in brackets after its name
 ("Tỉnh Hà Giang\nBan Thường vụ ban hành Chỉ thị số 18-CT/TU về lãnh đạo thực hiện Đề án phát triển ứng dụng dữ liệu về dân cư, định danh và xác thực điện tử (Đề án 06). Đề án được phê duyệt tại Quyết định số 06/QĐ-TTg ngày 6/1/2022.", {"18-CT/TU": ["06/QĐ-TTg"]}),

 # a sentence whose subject is the act just reported, with later link words of the same subject
 ("Tỉnh Hà Giang\nUBND tỉnh ban hành Kế hoạch số 21/KH-UBND ngày 3/4/2025 về chuyển đổi số. Kế hoạch được xây dựng để hưởng ứng Kế hoạch số 02-KH/BCĐTW của Ban Chỉ đạo Trung ương, qua đó góp phần đưa Nghị quyết số 57-NQ/TW vào cuộc sống.", {"21/KH-UBND": ["02-KH/BCĐTW", "57-NQ/TW"], "02-KH/BCĐTW": []}),
 ("Tỉnh Hà Giang\nUBND tỉnh vừa ban hành Kế hoạch số 30/KH-UBND về chuyển đổi số năm 2025. Kế hoạch triển khai Nghị quyết số 57-NQ/TW của Bộ Chính trị; Nghị quyết số 03/NQ-CP của Chính phủ; đồng thời bám sát Kết luận số 05-KL/TU của Ban Thường vụ Tỉnh ủy.", {"30/KH-UBND": ["57-NQ/TW", "03/NQ-CP", "05-KL/TU"]}),
 ("Ha Giang province\nThe People's Committee has issued Plan No. 77/KH-UBND on digital transformation. The plan is intended to bring to life Resolution No. 09-NQ/TU of the provincial Party Committee.", {"77/KH-UBND": ["09-NQ/TU"]}),
 ("Ha Giang province\nThe People's Committee has issued Plan No. 77/KH-UBND on digital transformation. The plan also builds on Plan No. 12/KH-UBND, which the province carried out last year.", {"77/KH-UBND": ["12/KH-UBND"]}),
 # a clause of what an act is for opening the sentence: the act the main clause names, else the one the article reports when it asks something
 ("Tỉnh Hà Giang\nUBND tỉnh ký Quyết định số 900/QĐ-UBND phê duyệt Đề án chuyển đổi số trong nông nghiệp. Căn cứ Kế hoạch số 120/KH-UBND của UBND tỉnh về chuyển đổi số, Đề án tập trung xây dựng cơ sở dữ liệu nông sản.", {"900/QĐ-UBND": ["120/KH-UBND"]}),
 ("Tỉnh Hà Giang\nBan Thường vụ Tỉnh ủy ban hành Kết luận số 300-KL/TU về chuyển đổi số. Để tiếp tục thực hiện Nghị quyết số 52-NQ/TW, Ban Thường vụ yêu cầu năm 2024 tỉnh nằm trong nhóm 20 tỉnh dẫn đầu.", {"300-KL/TU": ["52-NQ/TW"]}),
 ("Tỉnh Hà Giang\nUBND tỉnh có Thông báo số 50/TB-UBND kết luận về chuyển đổi số. Thông báo nêu rõ việc triển khai Nghị quyết số 12-NQ/TU còn chậm. Để thực hiện các mục tiêu của Nghị quyết, Chủ tịch UBND tỉnh giao Sở Thông tin và Truyền thông tham mưu UBND tỉnh ban hành Kế hoạch chuyển đổi số năm 2023 trước ngày 15/11/2022.", {"50/TB-UBND": ["12-NQ/TU"]}),
 # … but not when the main clause only says who carries an act out; a ';' before an act with a verb of its own is no list
 ("Tỉnh Hà Giang\nChủ tịch UBND tỉnh ký Chỉ thị số 11/CT-UBND về chuyển đổi số. Cùng ngày, Chủ tịch UBND tỉnh ban hành Chỉ thị số 10/CT-UBND về phòng cháy rừng. Để thực hiện Chỉ thị, Công an tỉnh chủ trì hướng dẫn người dân.", {"11/CT-UBND": []}),

 # adverbs between the link word and the act ("triển khai thực hiện nghiêm túc, hiệu quả")
 ("Tỉnh Hà Giang\nUBND tỉnh ban hành Kế hoạch số 239/KH-UBND về chuyển đổi số. Kế hoạch nhằm triển khai thực hiện nghiêm túc, hiệu quả Nghị quyết số 18-NQ/TU của Tỉnh ủy.", {"239/KH-UBND": ["18-NQ/TU"]}),

 # a long line wrapped before a name ("… thực hiện\nNghị quyết số 52-NQ/TW")
 ("Tỉnh Hà Giang\n- Nghị quyết số 50/NQ-CP ngày 17 tháng 4 năm 2020 của Chính phủ ban hành Chương trình hành động thực hiện\nNghị quyết số 52-NQ/TW về chuyển đổi số;", {"50/NQ-CP": ["52-NQ/TW"]}),

 # "Căn cứ B; Căn cứ C về việc Ban hành Chương trình …, UBND tỉnh ban hành A": the act issued is A, not the programme C's title names
 ("Tỉnh Tây Ninh\nCăn cứ Nghị quyết 02-NQ/TU ngày 26/01/2021 của Tỉnh ủy về chuyển đổi số; Căn cứ Quyết định số 713/QĐ-UBND ngày 29/3/2021 của UBND tỉnh về việc Ban hành Chương trình chuyển đổi số tỉnh đến năm 2025, cuối năm 2022, UBND tỉnh ban hành Kế hoạch số 3892/KH-UBND về chuyển đổi số.", {"3892/KH-UBND": ["02-NQ/TU", "713/QĐ-UBND"], "713/QĐ-UBND": []}),

 # a lower-case act a sentence opens by carrying out is the one just named; a plan named and numbered in brackets after
 ("Tỉnh Lào Cai\nBan Thường vụ Tỉnh ủy ban hành Chương trình hành động số 414-CTr/TU ngày 19/02/2025 về chuyển đổi số. Căn cứ chương trình hành động của Tỉnh ủy, UBND tỉnh ban hành kế hoạch 154/KH-UBND về chuyển đổi số.", {"154/KH-UBND": ["414-CTr/TU"]}),
 ("Tỉnh Bắc Kạn\nBan Thường vụ Tỉnh ủy ban hành Chỉ thị số 09-CT/TU ngày 03/8/2021 về chuyển đổi số. Thực hiện Chỉ thị của Ban Thường vụ Tỉnh ủy, UBND tỉnh đã ban hành kế hoạch phát triển chính quyền số năm 2022 (Kế hoạch số 811/KH-UBND ngày 29/12/2021).", {"811/KH-UBND": ["09-CT/TU"]}),

 # a list goes on after an act named in a quoted title ("phê duyệt "Chương trình …" và Nghị quyết số 26-NQ/TU")
 ("Tỉnh Ninh Bình\nUBND tỉnh ban hành Kế hoạch số 90/KH-UBND về chuyển đổi số thực hiện Quyết định số 749/QĐ-TTg ngày 3/6/2020 của Thủ tướng Chính phủ phê duyệt \"Chương trình Chuyển đổi số quốc gia đến năm 2025, định hướng đến năm 2030\" và Nghị quyết số 26-NQ/TU ngày 15/10/2020 của Ban Thường vụ Tỉnh ủy.", {"90/KH-UBND": ["749/QĐ-TTg", "26-NQ/TU"]}),

 # the passive: B "đã được cụ thể hóa bằng" A, "has been carried out through" A; "Đây là văn bản nhằm …": the act just reported
 ("Tỉnh Hà Giang\nBan Chấp hành Đảng bộ tỉnh ban hành Nghị quyết số 09-NQ/TU ngày 3/3/2021 về chuyển đổi số. Nghị quyết số 09-NQ/TU đã được cụ thể hóa bằng Kế hoạch số 50/KH-UBND của UBND tỉnh.", {"50/KH-UBND": ["09-NQ/TU"], "09-NQ/TU": []}),
 ("Ha Giang province\nThe provincial Party Committee issued Resolution No. 09-NQ/TU on digital transformation on March 3, 2021. The resolution has been carried out through Plan No. 50/KH-UBND of the People's Committee.", {"50/KH-UBND": ["09-NQ/TU"], "09-NQ/TU": []}),
 ("Tỉnh Hà Giang\nUBND tỉnh ban hành Kế hoạch số 50/KH-UBND về chuyển đổi số. Đây là văn bản nhằm cụ thể hóa Nghị quyết số 09-NQ/TU của Tỉnh ủy.", {"50/KH-UBND": ["09-NQ/TU"]}),

 ("Tỉnh Hà Giang\nTỉnh ủy ban hành Nghị quyết số 09-NQ/TU về chuyển đổi số. Cụ thể hóa nghị quyết, UBND tỉnh ban hành Kế hoạch số 50/KH-UBND.", {"50/KH-UBND": ["09-NQ/TU"]}),
 ("Ha Giang province\nThe People's Committee's Plan No. 50/KH-UBND on digital transformation, issued under Resolution No. 09-NQ/TU, sets 20 targets.", {"50/KH-UBND": ["09-NQ/TU"]}),

]


@pytest.mark.parametrize("text, want", CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_links(lexicon, text, want):
    record = extract_text(text, name="a.txt", published="2025-10-01", lexicon=lexicon)
    number = {d["ref"]: d.get("number") or d["ref"] for d in record["documents"]}
    got = {d.get("number") or d["ref"]: sorted(number[r] for r in d.get("implements", [])) for d in record["documents"]}
    assert {k: got.get(k) for k in want} == {k: sorted(v) for k, v in want.items()}


def test_a_decision_approving_a_scheme_is_one_act_with_it(lexicon):
    text = ("Tỉnh Hà Giang\nNgày 3/6/2022, UBND tỉnh ban hành Quyết định số 1523/QĐ-UBND phê duyệt Đề án chuyển đổi "
            "số tỉnh Hà Giang đến năm 2025, định hướng đến năm 2030. Đề án được xây dựng nhằm thực hiện Nghị quyết số "
            "09-NQ/TU của Tỉnh ủy. Kế hoạch chuyển đổi số năm 2023 được ban hành kèm theo Quyết định số 88/QĐ-UBND.")
    docs = extract_text(text, name="a.txt", lexicon=lexicon)["documents"]
    assert [(d["number"], d["type"]) for d in docs] == [("1523/QĐ-UBND", "decision"), ("09-NQ/TU", "resolution"),
                                                         ("88/QĐ-UBND", "decision")]
    decision = docs[0]
    assert decision["title"].startswith("Quyết định phê duyệt Đề án chuyển đổi số")
    assert (decision["period"], decision["implements"], decision["date"]) == ({"end": 2025, "vision": 2030}, ["nq-09"], "2022-06-03")


def _docs(lexicon, text):
    return {d.get("number") or d["ref"]: d for d in extract_text(text, name="a.txt", lexicon=lexicon)["documents"]}


def test_an_act_asked_of_a_body_is_planned_and_implements_the_act_the_text_is_about(lexicon):
    # an implementation plan asked of the People's Committee, with a quarter as its deadline; the act a
    # bare "Nghị quyết" means is the headline's, not a resolution only cited later in a progress report
    text = ("Hội nghị Tỉnh ủy Hà Giang thông qua Nghị quyết về chuyển đổi số\n\n24/06/2021\n\n"
            "Chiều 23/6, Hội nghị Ban Chấp hành Đảng bộ tỉnh đã biểu quyết thông qua Nghị quyết về chuyển đổi số tỉnh "
            "Hà Giang giai đoạn 2021 - 2025. Hội nghị cũng cho ý kiến vào báo cáo sơ kết thực hiện Nghị quyết số 06-NQ/TU "
            "ngày 12/12/2016 của Ban Chấp hành Đảng bộ tỉnh về nông thôn mới. Đồng chí Bí thư yêu cầu Ban cán sự đảng UBND "
            "tỉnh lãnh đạo UBND tỉnh xây dựng kế hoạch thực hiện Nghị quyết, hoàn thành trong quý III/2021; các huyện ủy "
            "tổ chức quán triệt Nghị quyết đến chi bộ trước ngày 31/8/2021.")
    docs = _docs(lexicon, text)
    plan = docs["kh-cds"]
    assert (plan["status"], plan["planned_date"], plan["issuer"], plan["implements"]) == ("planned", "2021", "peoples-committee", ["nq-cds"])
    assert docs["nq-cds"]["status"] == "adopted"  # the dissemination asked for is not done yet


def test_a_plan_or_guidance_asked_for_without_a_date(lexicon):
    text = ("Quảng Yên sets out digital transformation policy\n\nDecember 14, 2021\n\nThe provincial People's Council "
            "on December 10 passed Resolution No. 40/2021/NQ-HDND on support policies for digital transformation. "
            "The session also passed Resolution No. 41/2021/NQ-HDND on land prices. The chairman asked the People's "
            "Committee to issue guidance soon.")
    guidance = _docs(lexicon, text)["hd-cds"]
    assert (guidance["type"], guidance["status"], guidance["implements"]) == ("guidance", "planned", ["nq-40"])
    assert not any(k in guidance for k in ("planned_date", "year"))
    text = ("Tỉnh Hà Giang\n\n10/03/2025\n\nSáng 9-3, hội nghị quán triệt Kế hoạch số 162-KH/TU ngày 18-2-2025 của "
            "Tỉnh ủy về chuyển đổi số. Cùng ngày, hội nghị cũng quán triệt Kế hoạch số 160-KH/TU về sắp xếp bộ máy. "
            "Đồng chí Phó Bí thư yêu cầu Ban cán sự đảng UBND tỉnh khẩn trương lãnh đạo xây dựng kế hoạch thực hiện "
            "của UBND tỉnh, ban hành trong tháng 4/2025.")
    plan = _docs(lexicon, text)["kh-cds"]
    assert (plan["status"], plan["planned_date"], plan["issuer"], plan["implements"]) == ("planned", "2025-04", "peoples-committee", ["kh-162"])



def test_a_guidance_asked_for_one_act_by_its_number(lexicon):
    # "văn bản hướng dẫn thực hiện Nghị quyết số …" with a quarter as its deadline; "detailed guidance"
    text = ("HĐND tỉnh Hà Giang thông qua chính sách hỗ trợ chuyển đổi số\n\n08/12/2023\n\nChiều 7-12, HĐND tỉnh "
            "thông qua Nghị quyết số 31/2023/NQ-HĐND về hỗ trợ doanh nghiệp chuyển đổi số. Chủ tọa đề nghị UBND tỉnh "
            "khẩn trương ban hành văn bản hướng dẫn thực hiện Nghị quyết số 31/2023/NQ-HĐND trong quý I/2024.")
    guidance = _docs(lexicon, text)["hd-cds"]
    assert (guidance["type"], guidance["status"], guidance["planned_date"], guidance["implements"]) == \
        ("guidance", "planned", "2024", ["nq-31"])
    text = ("Ha Giang backs digital firms\n\nDecember 14, 2021\n\nThe provincial People's Council on December 10 "
            "passed Resolution No. 40/2021/NQ-HDND on support for digital transformation. The People's Committee was "
            "asked to issue detailed guidance on the incentives.")
    guidance = _docs(lexicon, text)["hd-cds"]
    assert (guidance["type"], guidance["status"], guidance["implements"]) == ("guidance", "planned", ["nq-40"])


def test_a_plan_issued_as_part_of_carrying_out_the_act_asked_for(lexicon):
    # "đề nghị UBND tỉnh chỉ đạo triển khai các nghị quyết …, trong đó sớm ban hành kế hoạch … trước ngày …"
    text = ("HĐND tỉnh Hà Giang thông qua chính sách hỗ trợ chuyển đổi số\n\n28/08/2025\n\nChiều 27/8, HĐND tỉnh "
            "thông qua Nghị quyết số 12/2025/NQ-HĐND về hỗ trợ hạ tầng chuyển đổi số cấp xã. Chủ tịch HĐND tỉnh đề nghị "
            "UBND tỉnh khẩn trương chỉ đạo triển khai các nghị quyết vừa được thông qua, trong đó sớm ban hành kế hoạch "
            "phân bổ kinh phí hỗ trợ chuyển đổi số cho các xã, phường trước ngày 30/9/2025.")
    plan = _docs(lexicon, text)["kh-cds"]
    assert (plan["status"], plan["planned_date"], plan["implements"]) == ("planned", "2025-09-30", ["nq-12"])
    # asked to issue a plan with no word of carrying out an act: no link
    text = text.replace("chỉ đạo triển khai các nghị quyết vừa được thông qua, trong đó sớm", "sớm")
    assert "kh-cds" not in _docs(lexicon, text)


def test_a_sentence_about_an_act_is_not_a_second_act(lexicon):
    # "Đề án ưu tiên chuyển đổi số trong …" says what the scheme does (a verb follows the type word); a
    # title ends before ", trong bối cảnh …" (context)
    text = ("Tỉnh Hà Giang ban hành Đề án chuyển đổi số\n\n08/09/2025\n\nBan Thường vụ Tỉnh ủy vừa ban hành Đề án số "
            "07-ĐA/TU ngày 03/9/2025 về chuyển đổi số tỉnh Hà Giang giai đoạn 2025 - 2030. Đề án nhằm cụ thể hóa Nghị quyết "
            "số 71/NQ-CP của Chính phủ sửa đổi Chương trình hành động thực hiện Nghị quyết số 57-NQ/TW, trong bối cảnh "
            "tỉnh mới được hợp nhất. Đề án ưu tiên chuyển đổi số trong công nghiệp và du lịch.")
    docs = _docs(lexicon, text)
    assert [d.get("number") for d in docs.values()] == ["07-ĐA/TU", "71/NQ-CP", "57-NQ/TW"]
    assert "bối cảnh" not in docs["71/NQ-CP"].get("title", "")


def test_the_act_a_digital_transformation_headline_reports_is_on_the_subject(lexicon):
    text = ("Lang Son issues plan to carry out Party's programme on digital transformation\n\nAugust 7, 2025\n\n"
            "The People's Committee has issued Plan No. 412/KH-UBND to carry out Action Programme No. 09-CTr/TU on "
            "implementing Politburo Resolution 57-NQ/TW. The committee also issued Decision No. 1810/QD-UBND on land prices.")
    docs = _docs(lexicon, text)
    assert [n for n, d in docs.items() if d.get("about_dt") is False] == ["1810/QĐ-UBND"]
    assert "status" not in docs["1810/QĐ-UBND"] and docs["412/KH-UBND"]["status"] == "adopted"


@pytest.mark.parametrize("words", ["in implementation of", "to put into practice", "to roll out", "as a follow-up to"])
def test_more_english_link_words(lexicon, words):
    text = f"Lang Son province\nDirective No. 15/CT-UBND on e-government was issued {words} Resolution No. 03-NQ/TU of the provincial Party Committee."
    assert _docs(lexicon, text)["15/CT-UBND"]["implements"] == ["nq-03"]


def test_an_act_updating_the_action_programme_for_another_implements_it(lexicon):
    text = ("Lang Son province\nThe plan carries out the Government's Resolution No. 71/NQ-CP dated April 1, 2025, which "
            "updated the Government's action programme for Resolution 57-NQ/TW on digital transformation.")
    assert _docs(lexicon, text)["71/NQ-CP"]["implements"] == ["nq-57"]


def test_the_transport_department_is_no_request(lexicon):
    # "Sở Giao thông vận tải xây dựng kế hoạch thực hiện …": the department's own plan, not one asked of a body
    text = ("Tỉnh Hà Giang\n\n10/03/2022\n\nUBND tỉnh ban hành Kế hoạch số 40/KH-UBND về chuyển đổi số. "
            "Sở Giao thông vận tải đã xây dựng kế hoạch thực hiện.")
    assert list(_docs(lexicon, text)) == ["40/KH-UBND"]


def test_a_draft_commented_on_that_implements_an_act_is_drafted(lexicon):
    # "cho ý kiến vào dự thảo Kế hoạch của Ban Chỉ đạo tỉnh về …, nhằm thực hiện Kế hoạch số 02-KH/BCĐTW": its
    # title says nothing of digital transformation, its link does; "Ban Chỉ đạo tỉnh" is the province's body
    text = ("Tỉnh Hà Giang họp Ban Thường vụ\n\n15/8/2025\n\nChiều 14/8, Ban Thường vụ Tỉnh ủy Hà Giang tổ chức hội nghị "
            "cho ý kiến vào một số nội dung quan trọng. Cũng tại hội nghị, Ban Thường vụ Tỉnh ủy cho ý kiến vào dự thảo "
            "Kế hoạch của Ban Chỉ đạo tỉnh về triển khai phong trào \"Học tập số\", nhằm thực hiện Kế hoạch số "
            "02-KH/BCĐTW ngày 21/3/2025 của Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo "
            "và chuyển đổi số.")
    plan = _docs(lexicon, text)["kh-cds"]
    assert (plan["issuer"], plan["status"], plan["meeting_date"], plan["implements"]) == \
        ("steering-committee", "draft-discussed", "2025-08-14", ["kh-02"])


def test_a_short_name_in_a_committee_name_or_before_the_act_is_no_act(lexicon):
    """`Ban Chỉ đạo … và Đề án 06` is a committee's name, and "Nghị quyết 57" in a 2020 article is
    not the Politburo's resolution of December 2024."""
    committee = extract_text("Tỉnh Hà Giang\nBan Chỉ đạo tỉnh về chuyển đổi số và Đề án 06 ban hành Kế hoạch số 15/KH-BCĐ về chuyển đổi số.",
                             name="a.txt", published="2025-10-01", lexicon=lexicon)
    assert [d.get("number") for d in committee["documents"]] == ["15/KH-BCĐ"]
    early = extract_text("Tỉnh Hà Giang\nKế hoạch số 33/KH-UBND về chuyển đổi số được ban hành nhằm thực hiện Nghị quyết 57.",
                         name="a.txt", published="2020-10-01", lexicon=lexicon)
    assert "57-NQ/TW" not in [d.get("number") for d in early["documents"]]


ACT_TEXT = """ỦY BAN NHÂN DÂN
TỈNH HÀ GIANG
Số: 912/QĐ-UBND
Hà Giang, ngày 14 tháng 6 năm 2023
QUYẾT ĐỊNH
Ban hành Kế hoạch chuyển đổi số tỉnh Hà Giang năm 2023
ỦY BAN NHÂN DÂN TỈNH HÀ GIANG
Căn cứ Nghị định số 47/2020/NĐ-CP ngày 09/4/2020 của Chính phủ về quản lý, kết nối và chia sẻ dữ liệu số;
Căn cứ Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ phê duyệt Chương trình Chuyển đổi số quốc gia;
Thực hiện Nghị quyết số 09-NQ/TU ngày 12/3/2021 của Ban Chấp hành Đảng bộ tỉnh về chuyển
đổi số tỉnh Hà Giang đến năm 2025;
Theo đề nghị của Giám đốc Sở Thông tin và Truyền thông tại Tờ trình số 55/TTr-STTTT ngày 2/6/2023.
QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Kế hoạch chuyển đổi số tỉnh Hà Giang năm 2023.
"""


def test_the_text_of_an_act_implements_what_its_preamble_cites_and_is_dated_under_its_number(lexicon):
    """An act's own text (as portals publish it): its number after `Số:`, its date on the line under
    it, and the acts its preamble cites (`Căn cứ`, `Thực hiện`) implemented, but not a decree it
    rests on, nor the department's proposal; a line wrapped inside a sentence is read as one."""
    record = extract_text(ACT_TEXT, name="a.txt", published="2023-06-20", lexicon=lexicon)
    docs = {d.get("number"): d for d in record["documents"]}
    own = docs["912/QĐ-UBND"]
    assert own["date"] == "2023-06-14"
    number = {d["ref"]: d.get("number") for d in record["documents"]}
    assert sorted(number[r] for r in own["implements"]) == ["09-NQ/TU", "749/QĐ-TTg"]
    assert docs["09-NQ/TU"]["date"] == "2021-03-12"


@pytest.mark.parametrize("header, date_line", [
    ("| Số: 912/QĐ-UBND | Hà Giang, ngày 14 tháng 6 năm 2023 |", ""),
    ("| Số hiệu | 912/QĐ-UBND |", "| Ngày ban hành | 14/06/2023 |"),
])
def test_an_act_laid_out_in_a_table_is_read_as_its_own_text(lexicon, header, date_line):
    text = ACT_TEXT.replace("Số: 912/QĐ-UBND\nHà Giang, ngày 14 tháng 6 năm 2023", header + "\n" + date_line)
    record = extract_text(text, name="a.txt", published="2023-06-20", lexicon=lexicon)
    own = next(d for d in record["documents"] if d.get("number") == "912/QĐ-UBND")
    assert own["date"] == "2023-06-14" and len(own["implements"]) == 2


def test_a_resolution_about_amending_a_programme_implements_what_the_programme_does(lexicon):
    text = ("Tỉnh Hà Tĩnh\nTriển khai Nghị quyết số 71/NQ-CP ngày 01/4/2025 của Chính phủ về sửa đổi, bổ sung, cập nhật "
            "Chương trình hành động của Chính phủ thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị.")
    record = extract_text(text, name="a.txt", published="2025-05-10", lexicon=lexicon)
    number = {d["ref"]: d.get("number") for d in record["documents"]}
    got = {d.get("number"): [number[r] for r in d.get("implements", [])] for d in record["documents"]}
    assert got["71/NQ-CP"] == ["57-NQ/TW"]


def test_a_ministrys_own_text_implements_what_its_preamble_cites(lexicon):
    text = ACT_TEXT.replace("ỦY BAN NHÂN DÂN\nTỈNH HÀ GIANG\nSố: 912/QĐ-UBND", "BỘ THÔNG TIN VÀ TRUYỀN THÔNG\nSố: 922/QĐ-BTTTT")
    record = extract_text(text, name="a.txt", published="2023-06-20", lexicon=lexicon)
    number = {d["ref"]: d.get("number") for d in record["documents"]}
    own = next(d for d in record["documents"] if d.get("number") == "922/QĐ-BTTTT")
    assert sorted(number[r] for r in own["implements"]) == ["09-NQ/TU", "749/QĐ-TTg"]


def test_an_act_named_only_in_the_title_of_an_act_the_preamble_cites_is_not_carried_out_directly(lexicon):
    text = ACT_TEXT.replace("Căn cứ Quyết định số 749/QĐ-TTg", "Căn cứ Nghị quyết số 71/NQ-CP ngày 01/4/2025 của Chính phủ sửa đổi, "
                            "bổ sung, cập nhật Chương trình hành động của Chính phủ thực hiện Nghị quyết số 57-NQ/TW;\nCăn cứ Quyết định số 749/QĐ-TTg")
    record = extract_text(text, name="a.txt", published="2025-06-20", lexicon=lexicon)
    number = {d["ref"]: d.get("number") for d in record["documents"]}
    own = next(d for d in record["documents"] if d.get("number") == "912/QĐ-UBND")
    assert sorted(number[r] for r in own["implements"]) == ["09-NQ/TU", "71/NQ-CP", "749/QĐ-TTg"]


def test_a_number_completed_from_a_short_name_says_so(lexicon):
    record = extract_text("Tỉnh Hà Giang\nKế hoạch số 33/KH-UBND về chuyển đổi số được ban hành nhằm thực hiện "
                          "Nghị quyết 57 của Bộ Chính trị.", name="a.txt", published="2025-10-01", lexicon=lexicon)
    central = next(d for d in record["documents"] if d.get("number") == "57-NQ/TW")
    assert central["evidence"]["number"]["note"] == "written 'Nghị quyết 57', the short name of 57-NQ/TW"
