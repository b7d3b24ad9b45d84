"""The individual self-reviews of Hướng dẫn 43-HD/BTCTW (QĐ 366): Mẫu 2A, 2B, 2C — printed text and schema rules.

Forms are chosen by role, never by letter: under HD 43 Mẫu 2A is the member WITH a leadership post (HD 25's 02B),
2B the member without one, 2C the member outside the political system. Each example of
tests/examples/valid/qd366/ is rendered alone (year 2026 binds to qd366 without ``bo_quy_tac``), reopened and
compared with its golden text; the key lines are asserted one by one.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from conftest import TESTS, docx_tables, docx_text
from generator import registry
from generator.lint import lint_entry
from generator.load import load_form
from generator.render import render_docx
from generator.settings import load_settings
from generator.validate import check_data, check_file

EXAMPLES = TESTS / "examples" / "valid" / "qd366"
KEYS = ["individual_leader", "individual_staff", "individual_outside"]
LEVEL_BOXES = ["Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ", "Không hoàn thành nhiệm vụ"]
ANNEX_LINE = ("(Gửi kèm Phụ lục về kết quả thực hiện nhiệm vụ trong đó thể hiện sản phẩm tiến độ, chất lượng cụ thể - "
              "theo hướng dẫn của các cấp uỷ, tổ chức đảng)")


def example(key: str) -> dict:
    """An example as hoso loads it (dates stay text), to change and check again."""
    return copy.deepcopy(load_form(EXAMPLES / f"{key}.yaml").data)


def render(data: dict, tmp_path: Path, name: str = "ban_kiem_diem") -> Path:
    """Validate and render one form alone with the settings of qd366; returns the DOCX path."""
    findings, form = check_data(name, data)
    assert form is not None, findings
    out = tmp_path / f"{name}.docx"
    out.write_bytes(render_docx(form, load_settings("qd366"), registry.template_path(form.entry)))
    return out


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("qd366_ca_nhan")
    return {key: render(example(key), out, key) for key in KEYS}


def lines(path: Path) -> list[str]:
    return docx_text(path).splitlines()


def between(text: list[str], first: str, last: str) -> list[str]:
    start = text.index(first)
    return text[start:text.index(last, start) + 1]


# -- binding ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("key", "role", "label"), [
    ("individual_leader", "lanh_dao", "Mẫu 2A-HD KĐ.ĐG 2025"),
    ("individual_staff", "khong_lanh_dao", "Mẫu 2B-HD KĐ.ĐG 2025"),
    ("individual_outside", "ngoai_he_thong", "Mẫu 2C-HD KĐ.ĐG 2025"),
])
def test_year_2026_binds_each_role_to_its_hd43_form(key, role, label):
    findings, form = check_file(EXAMPLES / f"{key}.yaml")
    assert form is not None and not findings, findings
    assert form.binding.ruleset.key == "qd366" and not form.binding.explicit
    assert (form.entry.key, form.entry.role, form.entry.label) == (key, role, label)
    assert form.entry.schema == f"qd366/{key}.schema.json" and form.entry.template == f"qd366/{key}.docx"


@pytest.mark.parametrize("key", KEYS)
def test_template_lint_is_clean(key):
    entry = next(e for e in registry.entries() if (e.ruleset, e.key) == ("qd366", key))
    assert lint_entry(entry) == []


# -- golden text ------------------------------------------------------------------------------------
@pytest.mark.parametrize("key", KEYS)
def test_text_matches_golden(key, rendered, golden):
    golden(f"qd366/{key}.docx.txt", docx_text(rendered[key]))


@pytest.mark.parametrize("key", KEYS)
def test_cites_qd366_and_never_the_replaced_texts(key, rendered):
    text = docx_text(rendered[key])
    assert "Quy định 366-QĐ/TW" in text
    assert "124-QĐ/TW" not in text and "25-HD/BTCTW" not in text and "HD KĐ.ĐG 2023" not in text
    # The HD 21/25 per-criterion line is gone under HD 43.
    assert "Tự đánh giá về cấp độ thực hiện" not in text


# -- the A/B swap: header, title, identity ---------------------------------------------------------
@pytest.mark.parametrize(("key", "code", "subtitle"), [
    ("individual_leader", "Mẫu 2A-HD KĐ.ĐG 2025", "(Cá nhân giữ chức vụ lãnh đạo, quản lý)"),
    ("individual_staff", "Mẫu 2B-HD KĐ.ĐG 2025", "(Cá nhân không giữ chức vụ lãnh đạo, quản lý)"),
    ("individual_outside", "Mẫu 2C-HD KĐ.ĐG 2025", "(Đảng viên không làm việc trong hệ thống chính trị)"),
])
def test_code_line_and_title_follow_the_role(key, code, subtitle, rendered):
    text = lines(rendered[key])
    assert text[0] == code
    start = text.index("BẢN KIỂM ĐIỂM, TỰ ĐÁNH GIÁ, XẾP LOẠI CÁ NHÂN")
    assert text[start:start + 3] == ["BẢN KIỂM ĐIỂM, TỰ ĐÁNH GIÁ, XẾP LOẠI CÁ NHÂN", "Năm 2026", subtitle]


def test_header_is_the_two_tier_commune_and_the_branch(rendered):
    text = lines(rendered["individual_staff"])
    assert text[1:8] == ["ĐẢNG BỘ XÃ TÂN HÒA", "CHI BỘ CƠ QUAN ỦY BAN NHÂN DÂN XÃ", "*", "ĐẢNG CỘNG SẢN VIỆT NAM", "",
                         "Tân Hòa, ngày 02 tháng 12 năm 2026", ""]


def test_leader_lists_posts_and_others_do_not(rendered):
    leader = lines(rendered["individual_leader"])
    start = leader.index("Họ và tên: Trần Văn Bình\tNgày sinh: 12/05/1978")
    assert leader[start:start + 6] == [
        "Họ và tên: Trần Văn Bình\tNgày sinh: 12/05/1978",
        "Chức vụ Đảng: Đảng ủy viên, Bí thư Chi bộ Cơ quan Ủy ban nhân dân xã",
        "Chức vụ chính quyền: Phó Chủ tịch Ủy ban nhân dân xã",
        "Chức vụ đoàn thể:",
        "Đơn vị công tác: Ủy ban nhân dân xã Tân Hòa",
        "Chi bộ: Chi bộ Cơ quan Ủy ban nhân dân xã",
    ]
    outside = lines(rendered["individual_outside"])
    start = outside.index("Họ và tên: Hoàng Văn Tư\tNgày sinh: 01/09/1955")
    assert outside[start + 1:start + 3] == ["Đơn vị công tác: Hưu trí", "Chi bộ: Chi bộ thôn Bến"]
    assert not any(line.startswith("Chức vụ") for line in outside + lines(rendered["individual_staff"]))


# -- part A: the verified bodies of 2B and 2C, the default body of 2A --------------------------------
PART_A_HEADINGS = {
    "individual_staff": [
        "2. Việc thực hiện nhiệm vụ, quyền hạn và kết quả thực hiện các chỉ tiêu, nhiệm vụ được giao trong năm, gắn với hiệu "
        "quả, tiến độ, chất lượng công việc.",
        "3. Việc thực hiện cam kết tu dưỡng, rèn luyện, phấn đấu của cá nhân theo quy định.",
    ],
    "individual_outside": [
        "2. Việc thực hiện quyền và nghĩa vụ của đảng viên theo các nhiệm vụ chính trị được cấp uỷ, chi bộ phân công.",
        "3. Việc thực hiện cam kết tu dưỡng, rèn luyện, phấn đấu của cá nhân theo quy định.",
    ],
    "individual_leader": [
        "2. Việc thực hiện nhiệm vụ, quyền hạn và kết quả thực hiện các chỉ tiêu, nhiệm vụ được giao trong năm, gắn với hiệu "
        "quả, tiến độ, chất lượng công việc.",
        "3. Kết quả công tác lãnh đạo, chỉ đạo, quản lý, điều hành; thực hiện chức trách, nhiệm vụ; mức độ hoàn thành nhiệm "
        "vụ của các cấp uỷ, tổ chức đảng trực thuộc, địa phương, tổ chức, cơ quan, đơn vị thuộc quyền quản lý; khả năng quy "
        "tụ, xây dựng đoàn kết nội bộ.",
        "6. Việc thực hiện cam kết tu dưỡng, rèn luyện, phấn đấu của cá nhân theo quy định.",
    ],
}
COMMON_HEADINGS = [
    "A. NỘI DUNG KIỂM ĐIỂM",
    "I. Ưu điểm, kết quả đạt được",
    "1. Về phẩm chất chính trị, đạo đức, lối sống; tinh thần đoàn kết, thống nhất trong nội bộ; ý thức tổ chức kỷ luật, "
    "trách nhiệm nêu gương, việc thực hiện những điều đảng viên không được làm; tác phong, lề lối làm việc. Liên hệ các "
    "biểu hiện về suy thoái, \"tự diễn biến\", \"tự chuyển hoá\".",
    "II. Hạn chế, khuyết điểm và nguyên nhân",
    "1. Hạn chế, khuyết điểm.",
    "2. Nguyên nhân của hạn chế, khuyết điểm.",
    "III. Kết quả khắc phục những hạn chế, khuyết điểm đã được cấp có thẩm quyền kết luận hoặc được chỉ ra ở các kỳ kiểm "
    "điểm trước",
    "\tKiểm điểm rõ từng hạn chế, khuyết điểm (đã được khắc phục; đang khắc phục, mức độ khắc phục; chưa được khắc phục); "
    "những khó khăn, vướng mắc (nếu có); trách nhiệm của cá nhân.",
    "IV. Giải trình những vấn đề được gợi ý kiểm điểm (nếu có)",
    "\tGiải trình từng vấn đề được gợi ý kiểm điểm, nêu nguyên nhân, xác định trách nhiệm của cá nhân đối với từng vấn đề "
    "được gợi ý kiểm điểm.",
    "V. Làm rõ trách nhiệm của cá nhân đối với những hạn chế, khuyết điểm của tập thể (nếu có)",
    "VI. Phương hướng, biện pháp khắc phục hạn chế, khuyết điểm",
    "B. NỘI DUNG TỰ ĐÁNH GIÁ, XẾP LOẠI",
    "I. Đánh giá theo các nhóm tiêu chí",
]


@pytest.mark.parametrize("key", KEYS)
def test_part_a_and_b_headings_in_order(key, rendered):
    text = lines(rendered[key])
    expected = COMMON_HEADINGS[:3] + PART_A_HEADINGS[key] + COMMON_HEADINGS[3:]
    positions = [text.index(h) for h in expected]
    assert positions == sorted(positions)


def test_leader_items_are_only_in_2a(rendered):
    leader = docx_text(rendered["individual_leader"])
    for number in ("3. Kết quả công tác lãnh đạo", "4. Trách nhiệm trong công việc", "5. Trách nhiệm nêu gương"):
        assert number in leader
        assert number not in docx_text(rendered["individual_staff"]) + docx_text(rendered["individual_outside"])


def test_section_iii_lists_earlier_shortcomings_with_their_status(rendered):
    text = lines(rendered["individual_leader"])
    assert "1. Chậm ban hành kế hoạch chuyển đổi số năm 2025 (Đã khắc phục): đã ban hành kế hoạch năm 2026 đúng hạn" in text
    assert "2. Phối hợp với Mặt trận Tổ quốc xã có lúc chưa chặt chẽ (Đang khắc phục)" in text
    outside = lines(rendered["individual_outside"])
    iii = outside.index(COMMON_HEADINGS[6])
    assert outside[iii + 2] == "(Không có)"


# -- part B ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("key", "framework", "scores"), [
    ("individual_leader", "cá nhân giữ chức vụ lãnh đạo, quản lý được quy định tại Phụ lục 3", ("28", "64,5", "92,5")),
    ("individual_staff", "cá nhân không giữ chức vụ lãnh đạo, quản lý được quy định tại Phụ lục 4", ("26", "55,5", "81,5")),
    ("individual_outside", "đảng viên không làm việc trong hệ thống chính trị được quy định tại Phụ lục 5", ("26", "58", "84")),
])
def test_part_b_names_the_annex_of_the_role_and_prints_the_scores(key, framework, scores, rendered):
    text = lines(rendered[key])
    sentence = (f"Trên cơ sở cụ thể hoá khung tiêu chí đánh giá đối với {framework}, Quy định 366-QĐ/TW, cá nhân tự đánh "
                "giá, chấm điểm theo các tiêu chí được cụ thể hóa như sau:")
    start = text.index(sentence)
    assert text[start + 1:start + 4] == [
        f"1. Nhóm tiêu chí chung: {scores[0]}/30",
        f"2. Nhóm tiêu chí về kết quả thực hiện nhiệm vụ: {scores[1]}/70",
        f"Tổng điểm: {scores[2]}/100",
    ]


def test_centrally_managed_cadre_is_scored_on_annex_2(tmp_path):
    data = example("individual_leader")
    data["thuoc_dien_tw"] = True
    text = docx_text(render(data, tmp_path))
    assert ("khung tiêu chí đánh giá đối với cán bộ thuộc diện Ban Chấp hành Trung ương, Bộ Chính trị, Ban Bí thư quản lý "
            "được quy định tại Phụ lục 2, Quy định 366-QĐ/TW") in text
    assert "Phụ lục 3" not in text


@pytest.mark.parametrize(("key", "ticked"), [
    ("individual_leader", "Hoàn thành xuất sắc nhiệm vụ"),
    ("individual_staff", "Hoàn thành tốt nhiệm vụ"),
    ("individual_outside", "Hoàn thành tốt nhiệm vụ"),
])
def test_proposed_level_is_the_one_ticked_box(key, ticked, rendered):
    text = lines(rendered[key])
    start = text.index("II. Đề xuất xếp loại mức chất lượng:")
    boxes = "".join(text[start + 1:start + 3])
    assert [name for name in LEVEL_BOXES if f"☒\u00a0{name}\t" in boxes + "\t"] == [ticked]
    assert boxes.count("☒") == 1 and boxes.count("☐") == 3
    assert docx_text(rendered[key]).count("☒") == 1


@pytest.mark.parametrize(("key", "present"), [("individual_leader", True), ("individual_staff", True), ("individual_outside", False)])
def test_evidence_annex_line_is_absent_from_2c(key, present, rendered):
    assert (ANNEX_LINE in lines(rendered[key])) is present


# -- signatures and confirmation blocks ----------------------------------------------------------------
def test_2a_chain_of_confirmations(rendered):
    text = lines(rendered["individual_leader"])
    own = text.index("NGƯỜI TỰ KIỂM ĐIỂM")
    assert text[own + 1] == "(Ký, ghi rõ họ tên)" and "Trần Văn Bình" in text[own + 2:own + 6]
    block = between(text, "XÁC NHẬN CỦA BAN THƯỜNG VỤ CẤP ỦY HOẶC TẬP THỂ LÃNH ĐẠO CƠ QUAN, ĐƠN VỊ", "Lê Thị Thu")
    assert [line for line in block if line] == [
        "XÁC NHẬN CỦA BAN THƯỜNG VỤ CẤP ỦY HOẶC TẬP THỂ LÃNH ĐẠO CƠ QUAN, ĐƠN VỊ",
        "Xác nhận nội dung tự kiểm điểm, tự đánh giá của đồng chí Trần Văn Bình là đúng thực tế.",
        "T/M TẬP THỂ LÃNH ĐẠO", "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ", "(Xác lập thời điểm, ký, ghi rõ họ tên và đóng dấu)",
        "Ngày 10 tháng 12 năm 2026", "Lê Thị Thu",
    ]
    branch = between(text, "NHẬN XÉT, ĐÁNH GIÁ CỦA CHI ỦY (CHI BỘ)", "Phạm Quốc Việt")
    assert [line for line in branch if line] == [
        "NHẬN XÉT, ĐÁNH GIÁ CỦA CHI ỦY (CHI BỘ)",
        "- Nhận xét, đánh giá:",
        "Đồng chí có phẩm chất chính trị vững vàng, năng động, trách nhiệm; các đơn vị phụ trách hoàn thành tốt nhiệm vụ.",
        "- Chi bộ đề xuất xếp loại mức chất lượng: Hoàn thành xuất sắc nhiệm vụ  (Tổng\u00a0điểm\u00a090/100)",
        "T/M CHI ỦY", "PHÓ BÍ THƯ", "(Xác lập thời điểm, ký, ghi rõ họ tên)", "Ngày 08 tháng 12 năm 2026", "Nguyễn Thị Hạnh",
        "- Cấp có thẩm quyền xếp loại mức chất lượng: Hoàn thành xuất sắc nhiệm vụ",
        "T/M BAN THƯỜNG VỤ", "BÍ THƯ", "(Xác lập thời điểm, ký, ghi rõ họ tên)", "Ngày 22 tháng 12 năm 2026", "Phạm Quốc Việt",
    ]
    assert text.index("XÁC NHẬN CỦA BAN THƯỜNG VỤ CẤP ỦY HOẶC TẬP THỂ LÃNH ĐẠO CƠ QUAN, ĐƠN VỊ") < text.index(branch[0])


def test_2b_head_of_agency_block_and_blank_decision(rendered):
    text = lines(rendered["individual_staff"])
    assert "XÁC NHẬN CỦA BAN THƯỜNG VỤ CẤP ỦY HOẶC TẬP THỂ LÃNH ĐẠO CƠ QUAN, ĐƠN VỊ" not in text
    head = between(text, "ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC", "Vũ Minh Khoa")
    assert [line for line in head if line] == [
        "ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC",
        "- Mức xếp loại chất lượng cán bộ, công chức, viên chức: Hoàn thành tốt nhiệm vụ",
        "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ", "TRƯỞNG PHÒNG KINH TẾ", "(Xác lập thời điểm, ký, ghi rõ họ tên và đóng dấu)",
        "Ngày 05 tháng 12 năm 2026", "Vũ Minh Khoa",
    ]
    # The branch proposed a level without re-scoring: no score; no decision yet: dots and a blank date to fill by hand.
    assert "- Chi bộ đề xuất xếp loại mức chất lượng: Hoàn thành tốt nhiệm vụ" in text
    decision = text.index("- Cấp có thẩm quyền xếp loại mức chất lượng: ……………………")
    assert [line for line in text[decision + 1:decision + 5] if line] == [
        "T/M ĐẢNG ỦY (CHI ỦY)", "(Xác lập thời điểm, ký, ghi rõ họ tên)", "Ngày … tháng … năm …"]


def test_2c_has_neither_leadership_nor_head_of_agency_block(rendered):
    text = docx_text(rendered["individual_outside"])
    assert "XÁC NHẬN CỦA BAN THƯỜNG VỤ" not in text and "CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC" not in text
    assert "- Chi bộ đề xuất xếp loại mức chất lượng: Hoàn thành tốt nhiệm vụ  (Tổng\u00a0điểm\u00a082/100)" in text


OPTIONAL = ("ket_qua_nhiem_vu", "khac_phuc_truoc", "don_vi_lanh_dao", "phieu_tin_nhiem", "xac_nhan_lanh_dao", "danh_gia_chi_uy",
            "quyet_dinh_dang_uy", "danh_gia_cbccvc", "la_cbccvc", "dia_danh", "ngay_lap")


@pytest.mark.parametrize("key", KEYS)
def test_shortest_form_prints_every_block_to_fill_by_hand(key, tmp_path):
    data = example(key)
    for name in OPTIONAL:
        data.pop(name, None)
    for name in ("khac_phuc", "trach_nhiem_tap_the"):
        data["kiem_diem"].pop(name, None)
    text = lines(render(data, tmp_path))
    assert "……, ngày … tháng … năm …" in text
    assert text.count("Ngày … tháng … năm …") == (3 if key == "individual_leader" else 2)
    assert ("XÁC NHẬN CỦA BAN THƯỜNG VỤ CẤP ỦY HOẶC TẬP THỂ LÃNH ĐẠO CƠ QUAN, ĐƠN VỊ" in text) is (key == "individual_leader")
    assert "PHỤ LỤC KẾT QUẢ THỰC HIỆN NHIỆM VỤ" not in text and "ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CÁN BỘ" not in "\n".join(text)


def test_blank_branch_block_prints_lines_and_score_to_fill(tmp_path):
    data = example("individual_outside")
    for key in ("danh_gia_chi_uy", "quyet_dinh_dang_uy", "ket_qua_nhiem_vu"):
        del data[key]
    text = lines(render(data, tmp_path))
    assert "- Chi bộ đề xuất xếp loại mức chất lượng: ……………………  (Tổng\u00a0điểm\u00a0…/100)" in text
    assert "T/M CHI ỦY (CHI BỘ)" in text and "T/M ĐẢNG ỦY (CHI ỦY)" in text
    assert "PHỤ LỤC KẾT QUẢ THỰC HIỆN NHIỆM VỤ" not in text


# -- the evidence annex --------------------------------------------------------------------------------
TASK_HEADER = ["TT", "Nội dung nhiệm vụ, công việc", "Thời hạn", "Kết quả", "Sản phẩm", "Tiến độ, chất lượng", "Ghi chú"]


def test_task_ledger_rows_with_result_labels_and_counts(rendered):
    tables = docx_tables(rendered["individual_staff"])
    ledger = next(t for t in tables if t[0] == TASK_HEADER)
    assert ledger[1:] == [
        ["1", "Cập nhật cơ sở dữ liệu đất đai thôn Bến & thôn Trại", "30/06/2026", "Hoàn thành nhưng chưa bảo đảm tiến độ",
         "1.240 thửa đất được cập nhật", "Chậm 20 ngày; Bảo đảm", ""],
        ["2", "Thẩm định hồ sơ hỗ trợ sản xuất nông nghiệp", "31/10/2026", "Hoàn thành đúng hạn, bảo đảm chất lượng, hiệu quả",
         "86 hồ sơ", "", ""],
        ["3", "Tổng hợp báo cáo thống kê nông nghiệp quý", "15/12/2026", "Hoàn thành đúng hạn, bảo đảm chất lượng, hiệu quả",
         "4 báo cáo quý", "", ""],
        ["4", "Tham gia tổ công tác phòng, chống thiên tai", "30/09/2026", "Hoàn thành vượt mức yêu cầu", "", "",
         "Nhiệm vụ phát sinh, đột xuất"],
    ]
    text = lines(rendered["individual_staff"])
    assert ("Tổng số: 4 nhiệm vụ, công việc; trong đó: hoàn thành vượt mức yêu cầu: 1; hoàn thành đúng hạn, bảo đảm chất "
            "lượng, hiệu quả: 2; hoàn thành nhưng chưa bảo đảm tiến độ: 1; đang thực hiện, chưa bảo đảm tiến độ: 0; không "
            "hoàn thành: 0; nhiệm vụ phát sinh, đột xuất: 1.") in text
    assert "(Kèm theo Bản kiểm điểm, tự đánh giá, xếp loại cá nhân năm 2026 của đồng chí Đỗ Thị Lan)" in text


def test_result_labels_are_the_rulesets(rendered):
    from generator.ruleset import load

    labels = load("qd366").vocabulary("ket_qua_nhiem_vu")
    printed = {row[3] for key in KEYS for t in docx_tables(rendered[key]) if t[0] == TASK_HEADER for row in t[1:]}
    assert printed <= set(labels.values()) and len(printed) >= 3


def test_2a_annex_counts_the_led_units_and_prints_the_vote(rendered):
    tables = docx_tables(rendered["individual_leader"])
    units = next(t for t in tables if t[0][1:2] == ["Địa phương, cơ quan, đơn vị"])
    assert units == [
        ["TT", "Địa phương, cơ quan, đơn vị", "Mức xếp loại", "Số nhiệm vụ", "Vượt mức", "Đúng hạn", "Chậm", "Không hoàn thành"],
        ["1", "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã", "Hoàn thành xuất sắc nhiệm vụ", "3", "1", "2", "0", "0"],
        ["2", "Phòng Kinh tế", "Hoàn thành tốt nhiệm vụ", "2", "1", "1", "0", "0"],
        ["Cộng", "5", "2", "3", "0", "0"],
    ]
    text = lines(rendered["individual_leader"])
    assert ("Lấy phiếu tín nhiệm ngày 20/11/2026: tổng số 32 phiếu; số phiếu tín nhiệm thấp: 2 phiếu (6,25% tổng số phiếu)."
            in text)
    annex = text.index("PHỤ LỤC KẾT QUẢ THỰC HIỆN NHIỆM VỤ")
    assert annex > text.index("Phạm Quốc Việt")  # after every signature of the form
    order = ["I. Nhiệm vụ, công việc được giao của cá nhân",
             "II. Kết quả thực hiện nhiệm vụ của các địa phương, cơ quan, đơn vị do cá nhân trực tiếp lãnh đạo, quản lý",
             "III. Kết quả lấy phiếu tín nhiệm"]
    assert [text.index(h, annex) for h in order] == sorted(text.index(h, annex) for h in order)


def test_annex_starts_on_a_new_page(rendered):
    import docx

    doc = docx.Document(str(rendered["individual_staff"]))
    title = next(p for p in doc.paragraphs if p.text == "PHỤ LỤC KẾT QUẢ THỰC HIỆN NHIỆM VỤ")
    assert title.paragraph_format.page_break_before


# -- schema ----------------------------------------------------------------------------------------------
def _with(key: str, change) -> dict:
    data = example(key)
    change(data)
    return data


INVALID = [
    ("2b-with-led-units", lambda: _with("individual_staff", lambda d: d.update(don_vi_lanh_dao=[{"ten": "Phòng Kinh tế"}])),
     "$.don_vi_lanh_dao", "chỉ có trong Mẫu 2A"),
    ("2c-with-vote", lambda: _with("individual_outside", lambda d: d.update(phieu_tin_nhiem={"tong_so": 10, "tin_nhiem_thap": 0})),
     "$.phieu_tin_nhiem", "chỉ ghi trong Mẫu 2A"),
    ("2b-with-leader-items", lambda: _with("individual_staff", lambda d: d["kiem_diem"]["uu_diem"].update(neu_guong=["x"])),
     "$.kiem_diem.uu_diem", "chỉ có trong Mẫu 2A"),
    ("2a-without-leader-items", lambda: _with("individual_leader", lambda d: d["kiem_diem"]["uu_diem"].pop("neu_guong")),
     "$.kiem_diem.uu_diem.neu_guong", "phải kiểm điểm đủ các mục I.3, I.4, I.5"),
    ("2a-without-post", lambda: _with("individual_leader", lambda d: [d["ca_nhan"].pop(k) for k in ("chuc_vu_dang", "chuc_vu_chinh_quyen")]),
     "$.ca_nhan", "phải ghi ít nhất một chức vụ"),
    ("2c-civil-servant", lambda: _with("individual_outside", lambda d: d.update(la_cbccvc=True)),
     "$.la_cbccvc", "không phải là cán bộ, công chức, viên chức"),
    ("bad-task-result", lambda: _with("individual_staff", lambda d: d["ket_qua_nhiem_vu"][0].update(ket_qua="xong")),
     "$.ket_qua_nhiem_vu[0].ket_qua", "Kết quả của nhiệm vụ là một trong"),
    ("negative-score", lambda: _with("individual_staff", lambda d: d["tu_danh_gia"]["diem"].update(nhom_chung=-2)),
     "$.tu_danh_gia.diem.nhom_chung", "phải từ 0 trở lên"),
    ("negative-branch-score", lambda: _with("individual_outside", lambda d: d["danh_gia_chi_uy"]["diem"].update(tong=-1)),
     "$.danh_gia_chi_uy.diem.tong", "phải từ 0 trở lên"),
    ("no-total", lambda: _with("individual_outside", lambda d: d["tu_danh_gia"]["diem"].pop("tong")),
     "$.tu_danh_gia.diem.tong", "phải ghi đủ điểm"),
    ("no-proposed-level", lambda: _with("individual_outside", lambda d: d["tu_danh_gia"].pop("muc_de_xuat")),
     "$.tu_danh_gia.muc_de_xuat", "phải đề xuất một mức xếp loại"),
    ("suggested-without-reply", lambda: _with("individual_staff", lambda d: d.update(co_goi_y=True)),
     "$.kiem_diem.giai_trinh_goi_y", "phải giải trình"),
    ("head-of-agency-for-non-civil-servant", lambda: _with("individual_staff", lambda d: d.update(la_cbccvc=False)),
     "$.danh_gia_cbccvc", "chỉ dùng cho cán bộ, công chức, viên chức"),
    ("bad-shortcoming-status", lambda: _with("individual_leader", lambda d: d["khac_phuc_truoc"][0].update(tinh_trang="xong")),
     "$.khac_phuc_truoc[0].tinh_trang", "không hợp lệ"),
]


@pytest.mark.parametrize(("name", "make", "path", "message"), INVALID, ids=[c[0] for c in INVALID])
def test_schema_rejects_with_a_vietnamese_message(name, make, path, message, tmp_path, cli):
    src = tmp_path / f"{name}.json"
    src.write_text(json.dumps(make(), ensure_ascii=False), encoding="utf-8")
    result = cli("validate", "--format", "json", src)
    assert result.exit_code == 1, result.stdout
    errors = {f["json_path"]: f for f in json.loads(result.stdout)["findings"] if f["severity"] == "error"}
    assert path in errors, errors
    assert errors[path]["rule_id"] == "SCHEMA"
    assert message in errors[path]["message_vi"], errors[path]["message_vi"]


def test_examples_validate_through_the_cli(cli):
    result = cli("validate", *sorted(EXAMPLES.glob("individual_*.yaml")))
    assert result.exit_code == 0, result.stdout
    assert "0 lỗi" in result.stdout
