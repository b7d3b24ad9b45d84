"""The unit's result documents (tools/templates/bao_cao.py): summary report, list of members not reviewed, Biểu số 6F.

Every number checked here is computed by hoso from examples/demo/don_vi.yaml and the forms it lists.
"""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import docx
import pytest
import yaml

from conftest import DEMO, docx_text

VAN_BAN = DEMO / "van_ban"
REPORT = "bc_ket_qua"
LIST = "bc_danh_sach_chua_kiem_diem"
STAT = "bc_bieu_6f"


@pytest.fixture(scope="module")
def rendered(demo_docx) -> Path:
    return demo_docx / "van_ban"


def lines(folder: Path, name: str) -> list[str]:
    return docx_text(folder / f"{name}.docx").splitlines()


def table(source: Path | io.BytesIO, index: int) -> list[list[str]]:
    doc = docx.Document(str(source) if isinstance(source, Path) else source)
    return [[cell.text for cell in row.cells] for row in doc.tables[index].rows]


# -- summary report ---------------------------------------------------------------------------
def test_report_header_number_title_and_opening(rendered):
    text = lines(rendered, REPORT)
    assert text[:4] == ["ĐẢNG BỘ HUYỆN TÂN PHÚ", "ĐẢNG ỦY XÃ HÒA BÌNH", "*", "Số 52-BC/ĐU"]
    assert "Hòa Bình, ngày 23 tháng 12 năm 2024" in text
    i = text.index("BÁO CÁO")
    assert text[i + 1] == "Kết quả kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng, đảng viên năm 2024"
    opening = text[i + 3]
    assert opening.startswith("Thực hiện Quy định số 124-QĐ/TW ngày 04/10/2023 của Bộ Chính trị")
    assert opening.endswith(
        "Kế hoạch số 112-KH/HU ngày 14/10/2024 của Ban Thường vụ Huyện ủy Tân Phú, Đảng ủy xã Hòa Bình báo cáo "
        "Ban Thường vụ Huyện ủy Tân Phú kết quả kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng, đảng viên "
        "năm 2024 như sau:"
    )
    for heading in ("I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TỔ CHỨC THỰC HIỆN", "II. KẾT QUẢ KIỂM ĐIỂM, ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG",
                    "1. Kết quả kiểm điểm", "2. Kết quả xếp loại chất lượng tổ chức đảng",
                    "3. Kết quả xếp loại chất lượng đảng viên", "III. ĐÁNH GIÁ CHUNG", "1. Ưu điểm",
                    "2. Hạn chế, khuyết điểm", "IV. KIẾN NGHỊ, ĐỀ XUẤT"):
        assert heading in text
    # No leadership collective in the demo unit and no text for it: section 4 is left out.
    assert not any(t.startswith("4. Kết quả kiểm điểm, xếp loại chất lượng tập thể lãnh đạo") for t in text)


def test_report_review_statistics_sentences(rendered):
    text = lines(rendered, REPORT)
    assert "a) Đối với tập thể: số tổ chức đảng, tập thể lãnh đạo, quản lý phải kiểm điểm: 3; đã kiểm điểm: 3." in text
    assert "b) Đối với đảng viên: Tổng số đảng viên: 13; số phải kiểm điểm: 12; đã kiểm điểm: 12 (đạt 100%)." in text
    assert (
        "Số đảng viên chưa kiểm điểm: 1, trong đó: đảng viên mới kết nạp chưa đủ 6 tháng: 1; được miễn công tác và "
        "sinh hoạt đảng: 0; bị đình chỉ sinh hoạt đảng: 0 (có danh sách kèm theo)."
    ) in text
    assert "c) Số tập thể, đảng viên được cấp trên gợi ý kiểm điểm: 1 (tập thể: 1; đảng viên: 0)." in text


def test_report_table_per_chi_bo_with_total_and_percentages(rendered):
    assert table(rendered / f"{REPORT}.docx", 1) == [
        ["Chi bộ", "Số đảng viên", "Đã xếp loại", "HTXSNV", "HTTNV", "HTNV", "KHTNV"],
        ["Chi bộ Cơ quan xã", "8", "7", "1", "5", "1", "0"],
        ["Chi bộ Thôn Đông", "5", "5", "0", "5", "0", "0"],
        ["Cộng", "13", "12", "1", "10", "1", "0"],
        ["Tỷ lệ", "", "", "8,3%", "83,3%", "8,3%", "0%"],
    ]


def test_report_organisation_levels_with_counts_percentages_and_decisions(rendered):
    text = lines(rendered, REPORT)
    i = text.index("2. Kết quả xếp loại chất lượng tổ chức đảng")
    assert text[i + 1:i + 11] == [
        "Tổng số tổ chức đảng được xếp loại: 3, trong đó:",
        "- Hoàn thành xuất sắc nhiệm vụ: 1 (33,3%);",
        "- Hoàn thành tốt nhiệm vụ: 2 (66,7%);",
        "- Hoàn thành nhiệm vụ: 0 (0%);",
        "- Không hoàn thành nhiệm vụ: 0 (0%).",
        "Cụ thể:",
        "- Đảng bộ xã Hòa Bình (đảng bộ cơ sở): Hoàn thành tốt nhiệm vụ (Quyết định số 215-QĐ/HU ngày 20/12/2024 "
        "của Ban Thường vụ Huyện ủy Tân Phú);",
        "- Chi bộ Cơ quan xã (chi bộ trực thuộc): Hoàn thành tốt nhiệm vụ (Quyết định số 58-QĐ/ĐU ngày 12/12/2024 "
        "của Đảng ủy xã Hòa Bình);",
        "- Chi bộ Thôn Đông (chi bộ trực thuộc): Hoàn thành xuất sắc nhiệm vụ (Quyết định số 58-QĐ/ĐU ngày 12/12/2024 "
        "của Đảng ủy xã Hòa Bình).",
        "3. Kết quả xếp loại chất lượng đảng viên",
    ]


def test_report_member_levels_with_counts_percentages_and_names(rendered):
    text = lines(rendered, REPORT)
    i = text.index("3. Kết quả xếp loại chất lượng đảng viên")
    assert text[i + 1:i + 8] == [
        "Tổng số đảng viên được đánh giá, xếp loại chất lượng: 12, trong đó:",
        "- Hoàn thành xuất sắc nhiệm vụ: 1 (8,3%);",
        "- Hoàn thành tốt nhiệm vụ: 10 (83,3%);",
        "- Hoàn thành nhiệm vụ: 1 (8,3%);",
        "- Không hoàn thành nhiệm vụ: 0 (0%).",
        "Đảng viên hoàn thành xuất sắc nhiệm vụ: đồng chí Trần Thị Mai (Chi bộ Cơ quan xã).",
        "Số đảng viên chưa đánh giá, xếp loại chất lượng: 1 (có danh sách kèm theo).",
    ]
    assert not any(t.startswith("Đảng viên không hoàn thành nhiệm vụ:") for t in text)


def test_report_signature_and_recipients(rendered):
    left, right = table(rendered / f"{REPORT}.docx", 2)[0]
    assert right.split("\n")[0:2] == ["T/M ĐẢNG ỦY", "BÍ THƯ"] and right.endswith("Nguyễn Văn Hùng")
    assert left.split("\n") == [
        "Nơi nhận:", "- Ban Thường vụ Huyện ủy Tân Phú (để báo cáo),", "- Ban Tổ chức Huyện ủy Tân Phú,",
        "- Các chi bộ trực thuộc,", "- Lưu Văn phòng Đảng ủy.",
    ]


# -- list of members not reviewed ------------------------------------------------------------
def test_list_title_and_rows(rendered):
    text = lines(rendered, LIST)
    i = text.index("DANH SÁCH")
    assert text[i + 1:i + 3] == [
        "ĐẢNG VIÊN CHƯA KIỂM ĐIỂM, XẾP LOẠI CHẤT LƯỢNG NĂM 2024",
        "(Kèm theo Báo cáo số 52-BC/ĐU ngày 23/12/2024 của Đảng ủy xã Hòa Bình)",
    ]
    assert not any(t.startswith("Số ") for t in table(rendered / f"{LIST}.docx", 0)[0][0].split("\n"))
    assert table(rendered / f"{LIST}.docx", 1) == [
        ["TT", "Họ và tên", "Chi bộ", "Ngày kết nạp", "Chưa kiểm điểm", "Chưa đánh giá xếp loại", "Lý do"],
        ["1", "Ngô Thị Thu Hà", "Chi bộ Cơ quan xã", "02/09/2024", "x", "x", "Đảng viên mới kết nạp chưa đủ 6 tháng"],
    ]
    assert "Danh sách có 1 đảng viên; trong đó chưa kiểm điểm: 1, đã kiểm điểm nhưng chưa đánh giá, xếp loại: 0." in text


def _render_with(name: str, facts_change=None, data_change=None) -> io.BytesIO:
    """Render one demo document in memory with changed unit facts or form data; returns the DOCX as a file object."""
    from generator import registry
    from generator.facts import unit_facts
    from generator.render import render_docx
    from generator.source import load_unit
    from generator.validate import check_file

    _, unit = load_unit(DEMO)
    facts = unit_facts(unit)
    if facts_change:
        facts_change(facts)
    _, form = check_file(VAN_BAN / f"{name}.yaml")
    if data_change:
        form = dataclasses.replace(form, data=data_change(dict(form.data)))
    data = render_docx(form, unit.settings, registry.template_path(form.entry), facts)
    return io.BytesIO(data)


def test_list_prints_one_row_khong_co_when_everyone_is_graded():
    def nobody(facts):
        facts["chua_kiem_diem_xep_loai"] = []

    rows = table(_render_with(LIST, facts_change=nobody), 1)
    assert rows[1:] == [["Không có"] * 7]


def test_report_draft_without_number_prints_the_default_code():
    header = table(_render_with(REPORT, data_change=lambda d: {**d, "so_van_ban": None}), 0)[0][0]
    assert header.split("\n")[-1] == "Số …-BC/ĐU"


# -- Biểu số 6F ----------------------------------------------------------------------------------
STAT_TABLE = [
    ["TT", "Nội dung", "Tập thể", "Đảng viên", "Ghi chú"],
    ["1", "Số lượng thuộc đối tượng phải kiểm điểm tự phê bình và phê bình", "3", "13", "Kể cả số chưa kiểm điểm ở dòng 3"],
    ["2", "Số lượng đã kiểm điểm tự phê bình và phê bình", "3", "12", ""],
    ["3", "Số lượng chưa kiểm điểm tự phê bình và phê bình", "0", "1", ""],
    ["", "Trong đó:", "", "", ""],
    ["3.1", "Số tập thể thành lập mới", "0", "", ""],
    ["3.2", "Đảng viên mới kết nạp dưới 6 tháng", "", "1", "Ngô Thị Thu Hà"],
    ["", "Đảng viên được miễn công tác và sinh hoạt đảng", "", "0", ""],
    ["", "Đảng viên bị đình chỉ sinh hoạt đảng", "", "0", ""],
    ["4", "Số được gợi ý kiểm điểm", "1", "0", "Ban Chấp hành Đảng bộ xã"],
    ["", "Trong đó:", "", "", ""],
    ["4.1", "Thuộc diện ban thường vụ cấp ủy cấp tỉnh quản lý", "0", "0", ""],
    ["4.2", "Thuộc diện ban thường vụ cấp ủy cấp huyện quản lý", "1", "0", ""],
    ["4.3", "Thuộc diện đảng ủy cơ sở quản lý", "0", "0", ""],
]


def test_stat_6f_header_has_label_and_no_party_number(rendered):
    text = lines(rendered, STAT)
    assert text[:4] == ["ĐẢNG BỘ HUYỆN TÂN PHÚ", "ĐẢNG ỦY XÃ HÒA BÌNH", "*", "Biểu số 6F-BTCTW"]
    i = text.index("THỐNG KÊ")
    assert text[i + 1:i + 3] == ["KẾT QUẢ KIỂM ĐIỂM TỰ PHÊ BÌNH VÀ PHÊ BÌNH", "Năm 2024"]
    assert not any(t.startswith("Số ") and "/" in t for t in text)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in text


def test_stat_6f_counts(rendered):
    assert table(rendered / f"{STAT}.docx", 1) == STAT_TABLE


def test_stat_6f_puts_the_suggested_count_on_the_level_the_file_names():
    rows = table(_render_with(STAT, data_change=lambda d: {**d, "goi_y_thuoc_dien": "tinh"}), 1)
    assert rows[11][2:4] == ["1", "0"] and rows[12][2:4] == ["0", "0"]


def test_stat_6f_footer(rendered):
    left, right = table(rendered / f"{STAT}.docx", 2)[0]
    assert left.split("\n")[1:3] == ["NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ và tên; số điện thoại di động và cố định liên hệ)"]
    assert left.split("\n")[-2:] == ["Phạm Thị Hồng Nhung", "Điện thoại: 0915 274 386; 0257 3861 024"]
    assert right.split("\n")[:4] == [
        "Hòa Bình, ngày 23 tháng 12 năm 2024", "T/M ĐẢNG ỦY", "PHÓ BÍ THƯ THƯỜNG TRỰC", "(Ký, đóng dấu, ghi rõ họ và tên)",
    ]
    assert right.endswith("Trần Thị Mai")


def test_stat_6f_signer_defaults_to_the_issuing_committee():
    def no_post(d):
        return {**d, "chu_ky": {"quyen_han": None, "chuc_vu": None, "ho_ten": "Trần Thị Mai"}}

    _, right = table(_render_with(STAT, data_change=no_post), 2)[0]
    assert right.split("\n")[1:4] == ["T/M ĐẢNG ỦY", "BÍ THƯ", "(Ký, đóng dấu, ghi rõ họ và tên)"]


# -- schema rules ------------------------------------------------------------------------------
def _variant(tmp_path: Path, name: str, change) -> Path:
    data = yaml.safe_load((VAN_BAN / f"{name}.yaml").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _set(*keys, value):
    def change(data):
        target = data
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value
    return change


def _drop(*keys):
    def change(data):
        target = data
        for key in keys[:-1]:
            target = target[key]
        del target[keys[-1]]
    return change


@pytest.mark.parametrize(
    ("name", "change", "json_path"),
    [
        (REPORT, _drop("gui"), "$.gui"),
        (REPORT, _drop("lanh_dao_chi_dao"), "$.lanh_dao_chi_dao"),
        (REPORT, _drop("danh_gia_chung", "han_che"), "$.danh_gia_chung.han_che"),
        (REPORT, _drop("kien_nghi"), "$.kien_nghi"),
        (REPORT, _set("kien_nghi", value=[]), "$.kien_nghi"),
        (REPORT, _set("ket_qua", "so_dang_vien", value=13), "$.ket_qua.so_dang_vien"),
        (REPORT, _set("tong_dang_vien", value=13), "$.tong_dang_vien"),
        (LIST, _drop("chu_ky"), "$.chu_ky"),
        (LIST, _set("danh_sach", value=["Ngô Thị Thu Hà"]), "$.danh_sach"),
        (STAT, _drop("nguoi_lap_bieu"), "$.nguoi_lap_bieu"),
        (STAT, _drop("nguoi_lap_bieu", "dien_thoai"), "$.nguoi_lap_bieu.dien_thoai"),
        (STAT, _set("nguoi_lap_bieu", "dien_thoai", value="gọi Văn phòng"), "$.nguoi_lap_bieu.dien_thoai"),
        (STAT, _set("goi_y_thuoc_dien", value="trung_uong"), "$.goi_y_thuoc_dien"),
        (STAT, _set("ghi_chu", "moi_ket_nap", value="Ngô Thị Thu Hà"), "$.ghi_chu.moi_ket_nap"),
    ],
    ids=[
        "report-no-addressee", "report-no-leadership-text", "report-no-shortcomings", "report-no-proposals",
        "report-empty-proposals", "report-typed-count", "report-typed-total", "list-no-signer", "list-typed-names",
        "6f-no-compiler", "6f-no-phone", "6f-bad-phone", "6f-unknown-level", "6f-typed-reason-note",
    ],
)
def test_invalid_instance_is_rejected_with_its_json_path(tmp_path, cli, name, change, json_path):
    path = _variant(tmp_path, name, change)
    result = cli("validate", "--format", "json", path)
    assert result.exit_code == 1, result.output
    errors = [f for f in json.loads(result.stdout)["findings"] if f["severity"] == "error"]
    assert json_path in {f["json_path"] for f in errors}, errors


def test_bad_phone_message_says_what_to_write(tmp_path, cli):
    path = _variant(tmp_path, STAT, _set("nguoi_lap_bieu", "dien_thoai", value="gọi Văn phòng"))
    report = json.loads(cli("validate", "--format", "json", path).stdout)
    (finding,) = [f for f in report["findings"] if f["json_path"] == "$.nguoi_lap_bieu.dien_thoai"]
    assert finding["message_vi"].startswith("Số điện thoại chỉ gồm chữ số")


def test_demo_documents_validate(cli):
    result = cli("validate", *(VAN_BAN / f"{n}.yaml" for n in (REPORT, LIST, STAT)))
    assert result.exit_code == 0, result.stdout
