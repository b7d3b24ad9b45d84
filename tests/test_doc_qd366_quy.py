"""Mẫu 05-HD KĐ.ĐG (tools/templates/qd366_quy.py): the individual's self-assessment of a quarter or of a year, and the
collective's summary (Mẫu 06) for a quarter.

Each example of tests/examples/valid/qd366/ is rendered alone (2026 binds to qd366 without ``bo_quy_tac``), reopened
and compared with its golden text; the lines a clerk checks first (the period, the scores, the ticked level, the
confirming body, the annex rows) are asserted one by one, and variants are built in memory.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import docx
import pytest

from conftest import TESTS, docx_tables, docx_text, needs_libreoffice
from generator import registry
from generator.lint import lint_entry
from generator.load import load_form
from generator.render import document_meta, render_docx
from generator.ruleset import load as load_ruleset
from generator.settings import load_settings
from generator.validate import check_data, check_file

EXAMPLES = TESTS / "examples" / "valid" / "qd366"
QUARTER, YEAR, SUMMARY = "quarterly_self", "quarterly_self_nam", "central_summary_quy"
LEVELS = ["Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ", "Không hoàn thành nhiệm vụ"]
CONFIRM = "XÁC NHẬN CỦA BAN THƯỜNG VỤ CẤP ỦY HOẶC TẬP THỂ LÃNH ĐẠO CƠ QUAN, ĐƠN VỊ"
NOTE = "(Xác lập thời điểm, ký, ghi rõ họ tên và đóng dấu)"
ANNEX_HEADER = ["TT", "Nội dung nhiệm vụ, công việc", "Thời hạn hoàn thành", "Tình hình thực hiện", "Sản phẩm hoàn thành",
                "Đánh giá tiến độ", "Ghi chú"]


def example(name: str) -> dict:
    """An example as hoso loads it (dates stay text), to change and check again."""
    return copy.deepcopy(load_form(EXAMPLES / f"{name}.yaml").data)


def render(data: dict, out: Path, name: str = "tu_danh_gia") -> Path:
    """Validate and render one form alone with the settings of qd366; returns the DOCX path."""
    findings, form = check_data(name, data)
    assert form is not None and not [f for f in findings if f.severity == "error"], findings
    path = out / f"{name}.docx"
    path.write_bytes(render_docx(form, load_settings("qd366"), registry.template_path(form.entry)))
    return path


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("qd366_quy")
    return {name: render(example(name), out, name) for name in (QUARTER, YEAR, SUMMARY)}


def lines(path: Path) -> list[str]:
    return docx_text(path).splitlines()


def between(text: list[str], first: str, last: str) -> list[str]:
    start = text.index(first)
    return [line for line in text[start:text.index(last, start) + 1] if line]


# -- binding, lint, golden ---------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "period"), [(QUARTER, "2026-Q3"), (YEAR, "2026")])
def test_quarter_and_year_bind_to_the_one_mau_05_entry(name, period):
    findings, form = check_file(EXAMPLES / f"{name}.yaml")
    assert form is not None and not findings, findings
    assert form.binding.ruleset.key == "qd366" and not form.binding.explicit
    entry = form.entry
    assert (entry.key, entry.kind, entry.role, entry.label) == ("quarterly_self", "tu_danh_gia_quy", None, "Mẫu 05-HD KĐ.ĐG")
    assert (entry.schema, entry.template) == ("qd366/quarterly_self.schema.json", "qd366/quarterly_self.docx")
    assert document_meta(form).keywords.endswith({"2026-Q3": "quý 3 năm 2026", "2026": "năm 2026"}[period])


def test_template_lint_is_clean():
    entry = next(e for e in registry.entries() if (e.ruleset, e.key) == ("qd366", "quarterly_self"))
    assert lint_entry(entry) == []


@pytest.mark.parametrize("name", [QUARTER, YEAR, SUMMARY])
def test_text_matches_golden(name, rendered, golden):
    golden(f"qd366/{name}.docx.txt", docx_text(rendered[name]))


def test_examples_validate_through_the_cli(cli):
    result = cli("validate", *(EXAMPLES / f"{name}.yaml" for name in (QUARTER, YEAR, SUMMARY)))
    assert result.exit_code == 0, result.stdout
    assert "0 lỗi" in result.stdout


@pytest.mark.parametrize(("name", "title"), [
    (QUARTER, "Bản tự đánh giá, xếp loại của cá nhân quý III năm 2026 — Trần Văn Bình"),
    (YEAR, "Bản tự đánh giá, xếp loại của cá nhân năm 2026 — Đỗ Thị Lan"),
])
def test_document_title_names_the_period(name, title, rendered):
    assert docx.Document(str(rendered[name])).core_properties.title == title


# -- the period in every text ------------------------------------------------------------------------
def test_quarter_title_intro_and_annex_print_the_quarter(rendered):
    text = lines(rendered[QUARTER])
    assert text[0] == "Mẫu 05-HD KĐ.ĐG"
    start = text.index("BẢN TỰ ĐÁNH GIÁ, XẾP LOẠI CỦA CÁ NHÂN")
    assert text[start:start + 3] == ["BẢN TỰ ĐÁNH GIÁ, XẾP LOẠI CỦA CÁ NHÂN", "Quý III, Năm 2026",
                                     "(Cán bộ thuộc diện Ban Thường vụ Đảng ủy xã quản lý)"]
    assert ("Trên cơ sở nhiệm vụ được giao, cá nhân tự đánh giá về kết quả thực hiện nhiệm vụ quý III năm 2026 như sau:"
            in text)
    annex = text.index("PHỤ LỤC")
    assert text[annex + 1:annex + 3] == ["KẾT QUẢ THỰC HIỆN NHIỆM VỤ, CÔNG VIỆC ĐƯỢC GIAO TRONG QUÝ III NĂM 2026",
                                         "(Kèm theo Bản tự đánh giá, xếp loại của cá nhân quý III năm 2026)"]


def test_year_prints_the_year_and_no_quarter_outside_the_quarters_table(rendered):
    text = lines(rendered[YEAR])
    start = text.index("BẢN TỰ ĐÁNH GIÁ, XẾP LOẠI CỦA CÁ NHÂN")
    assert text[start + 1:start + 3] == ["Năm 2026", ""]  # no subtitle in the data: none printed
    assert "Trên cơ sở nhiệm vụ được giao, cá nhân tự đánh giá về kết quả thực hiện nhiệm vụ năm 2026 như sau:" in text
    assert "KẾT QUẢ THỰC HIỆN NHIỆM VỤ, CÔNG VIỆC ĐƯỢC GIAO TRONG NĂM 2026" in text
    quarters = next(t for t in docx_tables(rendered[YEAR]) if t[0] == ["Kỳ đánh giá", "Tổng điểm", "Mức xếp loại"])
    assert quarters[1:] == [
        ["Quý I năm 2026", "80", "Hoàn thành tốt nhiệm vụ"], ["Quý II năm 2026", "78,5", "Hoàn thành tốt nhiệm vụ"],
        ["Quý III năm 2026", "68", "Hoàn thành nhiệm vụ"], ["Quý IV năm 2026", "82", "Hoàn thành tốt nhiệm vụ"],
    ]
    periods = [line for line in text if re.search(r"\b[Qq]uý (I|II|III|IV)\b", line)]
    assert periods == ["Quý I năm 2026", "Quý II năm 2026", "Quý III năm 2026", "Quý IV năm 2026"]


@pytest.mark.parametrize(("quarter", "title"), [(1, "Quý I, Năm 2027"), (2, "Quý II, Năm 2027"), (3, "Quý III, Năm 2027"),
                                                (4, "Quý IV, Năm 2027")])
def test_every_quarter_titles_in_roman_numerals(quarter, title, tmp_path):
    data = example(QUARTER)
    data["ky_danh_gia"] = {"nam": 2027, "quy": quarter}
    text = lines(render(data, tmp_path))
    assert text[text.index("BẢN TỰ ĐÁNH GIÁ, XẾP LOẠI CỦA CÁ NHÂN") + 1] == title
    assert f"KẾT QUẢ THỰC HIỆN NHIỆM VỤ, CÔNG VIỆC ĐƯỢC GIAO TRONG {title.replace(',', '').upper()}" in text


def test_quarters_of_a_year_are_listed_in_order_whatever_the_data_order(tmp_path):
    data = example(YEAR)
    data["ket_qua_quy"] = list(reversed(data["ket_qua_quy"]))[:3]
    quarters = next(t for t in docx_tables(render(data, tmp_path)) if t[0][0] == "Kỳ đánh giá")
    assert [row[0] for row in quarters[1:]] == ["Quý II năm 2026", "Quý III năm 2026", "Quý IV năm 2026"]


# -- identity, scores, level ---------------------------------------------------------------------------
def test_header_and_identity_block(rendered):
    text = lines(rendered[QUARTER])
    assert text[1:4] == ["ĐẢNG BỘ XÃ TÂN HÒA", "CHI BỘ CƠ QUAN ỦY BAN NHÂN DÂN XÃ", "*"]
    assert "Tân Hòa, ngày 05 tháng 10 năm 2026" in text
    start = text.index("Họ và tên: Trần Văn Bình\tNgày sinh: 12/05/1978")
    assert text[start:start + 5] == [
        "Họ và tên: Trần Văn Bình\tNgày sinh: 12/05/1978",
        "Chức vụ Đảng: Đảng ủy viên, Bí thư Chi bộ Cơ quan Ủy ban nhân dân xã",
        "Chức vụ chính quyền: Phó Chủ tịch Ủy ban nhân dân xã",
        "Chức vụ đoàn thể:",
        "Đơn vị công tác: Ủy ban nhân dân xã Tân Hòa",
    ]


def test_score_table_groups_criteria_and_total(rendered):
    scores = next(t for t in docx_tables(rendered[QUARTER]) if t[0][1] == "Nhóm tiêu chí, tiêu chí")
    assert scores == [
        ["TT", "Nhóm tiêu chí, tiêu chí", "Điểm tối đa", "Điểm tự chấm"],
        ["I", "Nhóm tiêu chí chung", "30", "27"],
        ["1", "Phẩm chất chính trị, đạo đức, lối sống", "10", "9"],
        ["2", "Ý thức tổ chức kỷ luật, trách nhiệm nêu gương", "10", "9"],
        ["3", "Tác phong, lề lối làm việc; trách nhiệm giải trình", "10", "9"],
        ["II", "Nhóm tiêu chí về kết quả thực hiện nhiệm vụ", "70", "61"],
        ["Tổng điểm", "100", "88"],
    ]
    year = next(t for t in docx_tables(rendered[YEAR]) if t[0][1] == "Nhóm tiêu chí, tiêu chí")
    assert year[1:] == [["I", "Nhóm tiêu chí chung", "30", "26"],
                        ["II", "Nhóm tiêu chí về kết quả thực hiện nhiệm vụ", "70", "55,5"], ["Tổng điểm", "100", "81,5"]]


def test_group_labels_are_the_rulesets():
    groups = load_ruleset("qd366").vocabulary("nhom_tieu_chi")
    assert groups == {"nhom_chung": "Nhóm tiêu chí chung", "nhom_nhiem_vu": "Nhóm tiêu chí về kết quả thực hiện nhiệm vụ"}


def test_axis_table_prints_each_axis_and_the_sums(rendered):
    axes = next(t for t in docx_tables(rendered[QUARTER]) if t[0][1] == "Trục kết quả trọng tâm")
    assert axes[0] == ["TT", "Trục kết quả trọng tâm", "Điểm tối đa đề xuất", "Điểm tự chấm"]
    assert [row[0] for row in axes[1:7]] == ["1", "2", "3", "4", "5", "6"]
    assert axes[2] == ["2", "Hoàn thiện thể chế, đẩy mạnh phân cấp, phân quyền gắn với kiểm tra, giám sát", "10", "8,5"]
    assert axes[-1] == ["Cộng", "70", "61"]
    assert "Nhóm tiêu chí về kết quả thực hiện nhiệm vụ theo các trục kết quả trọng tâm:" in lines(rendered[QUARTER])


def test_axis_sums_are_printed_as_given_the_rule_checks_them(tmp_path):
    """The template adds up; whether the maxima make up 70 is a rule's finding, not the printer's."""
    data = example(QUARTER)
    data["truc_ket_qua"] = [{"ten": "Trục một", "toi_da_de_xuat": 40, "diem": 30.5},
                            {"ten": "Trục hai", "toi_da_de_xuat": 25, "diem": 20}]
    axes = next(t for t in docx_tables(render(data, tmp_path)) if t[0][1] == "Trục kết quả trọng tâm")
    assert axes[1:] == [["1", "Trục một", "40", "30,5"], ["2", "Trục hai", "25", "20"], ["Cộng", "65", "50,5"]]


def test_no_axis_or_quarter_table_without_their_data(rendered):
    year = docx_text(rendered[YEAR])
    assert "Trục kết quả trọng tâm" not in year and "theo các trục" not in year
    assert "Kỳ đánh giá" not in docx_text(rendered[QUARTER])


@pytest.mark.parametrize(("name", "ticked"), [(QUARTER, "Hoàn thành tốt nhiệm vụ"), (YEAR, "Hoàn thành tốt nhiệm vụ")])
def test_proposed_level_is_the_one_ticked_box(name, ticked, rendered):
    text = lines(rendered[name])
    start = text.index("II. Tự đề xuất xếp loại mức chất lượng:")
    boxes = "".join(text[start + 1:start + 3]) + "\t"
    assert [level for level in LEVELS if f"☒\u00a0{level}\t" in boxes] == [ticked]
    assert docx_text(rendered[name]).count("☒") == 1 and boxes.count("☐") == 3
    assert text[start + 3:start + 5] == ["CÁ NHÂN TỰ ĐÁNH GIÁ", "(Ký, ghi rõ họ tên)"]


@pytest.mark.parametrize("level", ["HTXSNV", "HTNV", "KHTNV"])
def test_any_level_can_be_ticked(level, tmp_path):
    data = example(YEAR)
    data["tu_danh_gia"]["muc_de_xuat"] = level
    text = docx_text(render(data, tmp_path))
    name = load_ruleset("qd366").level_name(level)
    assert f"☒\u00a0{name}" in text and text.count("☒") == 1


# -- III and the confirming body -------------------------------------------------------------------------
def test_competent_level_comment_score_proposal_and_confirmation(rendered):
    text = lines(rendered[QUARTER])
    assert between(text, "III. Nhận xét, đánh giá của cấp có thẩm quyền", "Lê Thị Thu") == [
        "III. Nhận xét, đánh giá của cấp có thẩm quyền",
        "Đồng chí chỉ đạo quyết liệt giải ngân vốn đầu tư công và chuyển đổi số; các nhiệm vụ được giao trong quý hoàn thành "
        "đúng hạn.",
        "- Chấm điểm: 87/100 (nhóm tiêu chí chung: 27/30; nhóm tiêu chí về kết quả thực hiện nhiệm vụ: 60/70)",
        "- Đề xuất xếp loại: Hoàn thành tốt nhiệm vụ",
        "- Mức độ đáp ứng đối với các mục tiêu, nhiệm vụ then chốt: Đáp ứng tốt các mục tiêu, nhiệm vụ then chốt của quý III "
        "năm 2026.",
        CONFIRM, NOTE, "T/M TẬP THỂ LÃNH ĐẠO", "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ", "Ngày 12 tháng 10 năm 2026", "Lê Thị Thu",
    ]


def test_blank_competent_block_prints_dots_and_the_confirming_body_of_the_data(rendered):
    text = lines(rendered[YEAR])
    assert between(text, "III. Nhận xét, đánh giá của cấp có thẩm quyền", "Trần Văn Bình") == [
        "III. Nhận xét, đánh giá của cấp có thẩm quyền",
        "- Chấm điểm: ……/100",
        "- Đề xuất xếp loại: ……………………",
        "- Mức độ đáp ứng đối với các mục tiêu, nhiệm vụ then chốt: ……………………",
        "XÁC NHẬN CỦA CHI BỘ", NOTE, "T/M CHI ỦY", "BÍ THƯ", "Ngày … tháng … năm …", "Trần Văn Bình",
    ]
    assert CONFIRM not in text


def test_head_of_agency_confirms_a_staff_member(tmp_path):
    data = example(YEAR)
    data["xac_nhan"] = {"tieu_de": "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ", "ngay": "2026-12-10",
                        "nguoi_ky": {"chuc_vu": "TRƯỞNG PHÒNG KINH TẾ", "ho_ten": "Vũ Minh Khoa"}}
    text = lines(render(data, tmp_path))
    assert between(text, "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ", "Vũ Minh Khoa") == [
        "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ", NOTE, "TRƯỞNG PHÒNG KINH TẾ", "Ngày 10 tháng 12 năm 2026", "Vũ Minh Khoa"]
    # The annex is confirmed by the same body.
    assert text.count("THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ") == 2


def test_score_without_groups_prints_the_total_only(tmp_path):
    data = example(QUARTER)
    data["danh_gia_tham_quyen"]["diem"] = {"tong": 86.5}
    assert "- Chấm điểm: 86,5/100" in lines(render(data, tmp_path))


def test_shortest_form_prints_every_blank_to_fill_by_hand(tmp_path):
    data = example(QUARTER)
    for key in ("phu_de", "truc_ket_qua", "ket_qua_nhiem_vu", "danh_gia_tham_quyen", "xac_nhan", "dia_danh", "ngay_lap",
                "vai_tro"):
        data.pop(key)
    data["tu_danh_gia"]["diem"].pop("chi_tiet")
    text = lines(render(data, tmp_path))
    assert "……, ngày … tháng … năm …" in text
    assert "- Chấm điểm: ……/100" in text and "- Đề xuất xếp loại: ……………………" in text
    assert between(text, CONFIRM, "Ngày … tháng … năm …") == [CONFIRM, NOTE, "Ngày … tháng … năm …"]
    assert "PHỤ LỤC" not in text and "Trục kết quả trọng tâm" not in docx_text(render(data, tmp_path))


# -- the task annex -------------------------------------------------------------------------------------
def test_annex_rows_in_the_columns_of_mau_9d(rendered):
    table = next(t for t in docx_tables(rendered[QUARTER]) if t[0] == ANNEX_HEADER)
    assert table[1] == [f"({i})" for i in range(1, 8)]
    assert table[2:] == [
        ["1", "Chỉ đạo giải ngân vốn đầu tư công quý III", "30/09/2026", "Hoàn thành vượt mức yêu cầu",
         "Giải ngân 78% kế hoạch năm", "Vượt tiến độ 8%", "Chất lượng: Đạt"],
        ["2", "Vận hành dịch vụ công trực tuyến toàn trình", "30/09/2026", "Hoàn thành đúng hạn, bảo đảm chất lượng, hiệu quả",
         "Tỷ lệ hồ sơ trực tuyến 82%", "Đúng hạn", ""],
        ["3", "Rà soát, sắp xếp trụ sở dôi dư sau hợp nhất", "31/08/2026", "Hoàn thành đúng hạn, bảo đảm chất lượng, hiệu quả",
         "Phương án sắp xếp 3 trụ sở", "Đúng hạn", ""],
        ["4", "Khắc phục sạt lở bờ sông thôn Bến", "15/08/2026", "Hoàn thành đúng hạn, bảo đảm chất lượng, hiệu quả",
         "Kè tạm 120 m", "", "Nhiệm vụ phát sinh, đột xuất. Giao đột xuất"],
    ]
    year = next(t for t in docx_tables(rendered[YEAR]) if t[0] == ANNEX_HEADER)
    assert year[2][:4] == ["1", "Cập nhật cơ sở dữ liệu đất đai thôn Bến & thôn Trại", "30/06/2026",
                           "Hoàn thành nhưng chưa bảo đảm tiến độ"]


def test_task_results_are_the_rulesets_labels(rendered):
    labels = set(load_ruleset("qd366").vocabulary("ket_qua_nhiem_vu").values())
    printed = {row[3] for name in (QUARTER, YEAR) for t in docx_tables(rendered[name]) if t[0] == ANNEX_HEADER for row in t[2:]}
    assert printed <= labels and len(printed) == 3


def test_annex_identity_counts_and_signatures(rendered):
    text = lines(rendered[QUARTER])
    annex = text.index("PHỤ LỤC")
    assert text[annex + 3:annex + 7] == [
        "- Họ và tên: Trần Văn Bình",
        "- Chức vụ (Đảng, Chính quyền, Đoàn thể): Đảng ủy viên, Bí thư Chi bộ Cơ quan Ủy ban nhân dân xã; Phó Chủ tịch Ủy ban "
        "nhân dân xã",
        "- Đơn vị công tác: Ủy ban nhân dân xã Tân Hòa",
        "- Chi bộ, Đảng bộ đang sinh hoạt: Chi bộ Cơ quan Ủy ban nhân dân xã",
    ]
    assert ("Tổng số: 4 nhiệm vụ, công việc; trong đó: hoàn thành vượt mức yêu cầu: 1; hoàn thành đúng hạn, bảo đảm chất "
            "lượng, hiệu quả: 3; hoàn thành nhưng chưa bảo đảm tiến độ: 0; đang thực hiện, chưa bảo đảm tiến độ: 0; không "
            "hoàn thành: 0; nhiệm vụ phát sinh, đột xuất: 1.") in text
    tail = [line for line in text[annex:] if line]
    assert tail[-6:] == [CONFIRM, NOTE, "Lê Thị Thu", "CÁ NHÂN TỰ ĐÁNH GIÁ", "(Ký, ghi rõ họ tên)", "Trần Văn Bình"]


def test_annex_starts_on_a_new_page(rendered):
    doc = docx.Document(str(rendered[QUARTER]))
    title = next(p for p in doc.paragraphs if p.text == "PHỤ LỤC")
    assert title.paragraph_format.page_break_before


@needs_libreoffice
@pytest.mark.libreoffice
def test_pdf_has_no_blank_page_and_the_annex_opens_the_last_one(tmp_path, cli):
    from pypdf import PdfReader

    result = cli("render", EXAMPLES / f"{QUARTER}.yaml", EXAMPLES / f"{YEAR}.yaml", "-o", tmp_path, "--pdf")
    assert result.exit_code == 0, result.output
    for name in (QUARTER, YEAR):
        pages = [p.extract_text().splitlines() for p in PdfReader(tmp_path / f"{name}.pdf").pages]
        assert all(len([line for line in page if not line.strip().isdigit()]) > 3 for page in pages), name
        assert "PHỤ LỤC" in pages[-1][:3] and not any("PHỤ LỤC" in line for page in pages[:-1] for line in page)


# -- schema ----------------------------------------------------------------------------------------------
def _with(name: str, change) -> dict:
    data = example(name)
    change(data)
    return data


INVALID = [
    ("no-proposed-level", lambda: _with(QUARTER, lambda d: d["tu_danh_gia"].pop("muc_de_xuat")),
     "$.tu_danh_gia.muc_de_xuat", "phải tự đề xuất một mức xếp loại"),
    ("no-total", lambda: _with(YEAR, lambda d: d["tu_danh_gia"]["diem"].pop("tong")),
     "$.tu_danh_gia.diem.tong", "phải ghi đủ điểm tự chấm"),
    ("no-self-assessment-text", lambda: _with(YEAR, lambda d: d.pop("ket_qua_thuc_hien")),
     "$.ket_qua_thuc_hien", 'Thiếu mục bắt buộc "I. Tự đánh giá kết quả thực hiện nhiệm vụ"'),
    ("quarters-in-a-quarter", lambda: _with(QUARTER, lambda d: d.update(ket_qua_quy=[{"quy": 1, "muc": "HTTNV"}])),
     "$.ket_qua_quy", "chỉ ghi trong bản tự đánh giá cả năm"),
    ("fifth-quarter", lambda: _with(QUARTER, lambda d: d["ky_danh_gia"].update(quy=5)),
     "$.ky_danh_gia.quy", '"Quý" (quy) không được lớn hơn 4'),
    ("axis-without-maximum", lambda: _with(QUARTER, lambda d: d["truc_ket_qua"][0].pop("toi_da_de_xuat")),
     "$.truc_ket_qua[0].toi_da_de_xuat", 'Thiếu mục bắt buộc "Điểm tối đa cá nhân đề xuất cho trục"'),
    ("negative-axis-score", lambda: _with(QUARTER, lambda d: d["truc_ket_qua"][1].update(diem=-1)),
     "$.truc_ket_qua[1].diem", "phải từ 0 trở lên"),
    ("empty-axis-list", lambda: _with(QUARTER, lambda d: d.update(truc_ket_qua=[])),
     "$.truc_ket_qua", "cần ít nhất 1 mục"),
    ("bad-task-result", lambda: _with(QUARTER, lambda d: d["ket_qua_nhiem_vu"][0].update(ket_qua="xong")),
     "$.ket_qua_nhiem_vu[0].ket_qua", "Kết quả của nhiệm vụ là một trong"),
    ("bad-competent-level", lambda: _with(QUARTER, lambda d: d["danh_gia_tham_quyen"].update(muc="HTT")),
     "$.danh_gia_tham_quyen.muc", "không hợp lệ"),
    ("blank-confirming-body", lambda: _with(YEAR, lambda d: d["xac_nhan"].update(tieu_de=" ")),
     "$.xac_nhan.tieu_de", "không được để trống"),
    ("bad-member-code", lambda: _with(YEAR, lambda d: d.update(thanh_vien="Đỗ Thị Lan")),
     "$.thanh_vien", "không đúng dạng"),
    ("bad-role", lambda: _with(YEAR, lambda d: d.update(vai_tro="nhan_vien")),
     "$.vai_tro", "không hợp lệ"),
    ("misspelt-key", lambda: _with(YEAR, lambda d: d.update(truc_ket_quaa=[])),
     "$.truc_ket_quaa", "Có phải là 'truc_ket_qua'?"),
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


# -- Mẫu 06 for a quarter --------------------------------------------------------------------------------
def test_summary_title_names_the_quarter_and_the_managing_level(rendered):
    text = lines(rendered[SUMMARY])
    start = text.index("TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ VÀ ĐỀ XUẤT XẾP LOẠI QUÝ III, NĂM 2026")
    assert text[start + 1] == "ĐỐI VỚI CÁN BỘ THUỘC DIỆN BAN THƯỜNG VỤ TỈNH ỦY QUẢN LÝ"
    assert text[1:5] == ["ĐẢNG BỘ TỈNH LÂM SƠN", "ĐẢNG ỦY CÁC CƠ QUAN ĐẢNG TỈNH", "*", "Số 12-BC/ĐU"]


def test_summary_rows_for_the_quarter(rendered):
    table = next(t for t in docx_tables(rendered[SUMMARY]) if t[0][0] == "STT")
    assert [row[:5] for row in table[1:]] == [
        ["1", "Phạm Văn Đức", "Trưởng Ban Tổ chức Tỉnh ủy", "Hoàn thành tốt nhiệm vụ", "Hoàn thành tốt nhiệm vụ"],
        ["2", "Ngô Thị Hằng", "Chánh Văn phòng Tỉnh ủy", "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành xuất sắc nhiệm vụ"],
        ["3", "Vũ Quang Huy", "Phó Trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ"],
    ]
    assert table[3][6] == "Nhắc nhở, theo dõi tiến độ trong quý IV năm 2026."


@pytest.mark.parametrize(("quarter", "line"), [(None, "TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ VÀ ĐỀ XUẤT XẾP LOẠI NĂM 2026"),
                                               (1, "TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ VÀ ĐỀ XUẤT XẾP LOẠI QUÝ I, NĂM 2026"),
                                               (4, "TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ VÀ ĐỀ XUẤT XẾP LOẠI QUÝ IV, NĂM 2026")])
def test_summary_title_for_each_period(quarter, line, tmp_path):
    data = example(SUMMARY)
    data["ky_danh_gia"] = {"nam": 2026, "quy": quarter} if quarter else {"nam": 2026}
    assert line in lines(render(data, tmp_path))
