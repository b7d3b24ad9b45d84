"""Review-meeting documents (tools/templates/hoi_nghi.py; spec §2.6, §2.7): minutes, ballots, tally minutes.

The demo unit is rendered once; the DOCX files are reopened and their key lines compared word for word. Every number
printed (members called, present, absent, ballots, votes and percentages per level, adopted levels, score totals)
comes from ``so_lieu``; the expectations below are the demo unit's facts (don_vi.yaml: bo_phieu, thanh_vien).
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import DEMO, docx_tables, docx_text
from generator import registry
from generator.facts import unit_facts
from generator.render import render_docx
from generator.source import load_unit
from generator.validate import check_data

VAN_BAN = DEMO / "van_ban"


@pytest.fixture(scope="module")
def out(demo_docx) -> Path:
    return demo_docx / "van_ban"


@pytest.fixture(scope="module")
def unit():
    findings, loaded = load_unit(DEMO)
    assert loaded is not None, findings
    return loaded


def lines(folder: Path, name: str) -> list[str]:
    return docx_text(folder / f"{name}.docx").splitlines()


tables = docx_tables


def render_data(unit, data: dict, tmp_path: Path, facts: dict | None = None) -> list[str]:
    """Validate and render one document of the demo unit from in-memory data; its text lines."""
    findings, form = check_data("test.yaml", data)
    assert form is not None, [f.message_vi for f in findings]
    content = render_docx(form, unit.settings, registry.template_path(form.entry), facts or unit_facts(unit))
    path = tmp_path / "doc.docx"
    path.write_bytes(content)
    return docx_text(path).splitlines()


def load(name: str) -> dict:
    return yaml.safe_load((VAN_BAN / name).read_text(encoding="utf-8"))


# -- minutes ------------------------------------------------------------------------------
MINUTES_CQ_TABLE = [
    ["STT", "Họ và tên", "HTXSNV", "HTTNV", "HTNV", "KHTNV", "Mức được chọn"],
    ["1", "Nguyễn Văn Hùng", "1", "6", "0", "0", "Hoàn thành tốt nhiệm vụ"],
    ["2", "Trần Thị Mai", "6", "1", "0", "0", "Hoàn thành xuất sắc nhiệm vụ"],
    ["3", "Lê Văn Dũng", "1", "5", "1", "0", "Hoàn thành tốt nhiệm vụ"],
    ["4", "Phạm Thị Hồng Nhung", "0", "7", "0", "0", "Hoàn thành tốt nhiệm vụ"],
    ["5", "Đỗ Minh Tuấn", "0", "6", "1", "0", "Hoàn thành tốt nhiệm vụ"],
    ["6", "Vũ Thị Lan", "0", "1", "6", "0", "Hoàn thành nhiệm vụ"],
    ["7", "Bùi Quang Huy", "1", "6", "0", "0", "Hoàn thành tốt nhiệm vụ"],
]


def test_minutes_header_title_and_composition(out):
    text = lines(out, "hn_bien_ban_chi_bo_co_quan")
    assert text[:8] == [
        "ĐẢNG BỘ XÃ HÒA BÌNH", "CHI BỘ CƠ QUAN XÃ", "*", "Số 15-BB/CB",
        "ĐẢNG CỘNG SẢN VIỆT NAM", "", "Hòa Bình, ngày 06 tháng 12 năm 2024", "",
    ]
    assert "BIÊN BẢN" in text
    assert "Hội nghị kiểm điểm, đánh giá, xếp loại chất lượng tập thể Chi ủy và đảng viên Chi bộ Cơ quan xã năm 2024" in text
    for line in [
        "I. THỜI GIAN, ĐỊA ĐIỂM, THÀNH PHẦN",
        "1. Thời gian: từ 07 giờ 30 phút đến 11 giờ 30 phút, ngày 06 tháng 12 năm 2024.",
        "2. Địa điểm: Hội trường Ủy ban nhân dân xã Hòa Bình.",
        "3. Hình thức: hội nghị chi bộ (toàn thể đảng viên).",
        "- Chủ trì: đồng chí Phạm Thị Hồng Nhung, Bí thư Chi bộ.",
        "- Thư ký: đồng chí Ngô Thị Thu Hà, đảng viên dự bị của Chi bộ.",
        "- Đại biểu cấp trên dự hội nghị:",
        "- Tổng số đảng viên của chi bộ: 08 đồng chí; có mặt: 08 đồng chí; vắng mặt: 00 đồng chí.",
        "5. Văn bản gợi ý kiểm điểm của cấp trên đối với tập thể: không có.",
        "Hội nghị lần lượt kiểm điểm 01 tập thể và 07 đảng viên theo thứ tự dưới đây.",
    ]:
        assert line in text, line
    assert "- Vắng mặt:" not in text


def test_minutes_subjects_in_agenda_order_with_self_levels(out):
    text = lines(out, "hn_bien_ban_chi_bo_co_quan")
    headings = [line for line in text if line[:2] in {f"{i}." for i in range(1, 10)} and " Kiểm điểm " in line]
    assert headings == [
        "1. Kiểm điểm tập thể Chi ủy Chi bộ Cơ quan xã",
        "2. Kiểm điểm đồng chí Phạm Thị Hồng Nhung, Bí thư Chi bộ Cơ quan xã; Công chức Văn phòng - Thống kê",
        "3. Kiểm điểm đồng chí Đỗ Minh Tuấn, Phó Bí thư Chi bộ Cơ quan xã; Công chức Địa chính - Xây dựng",
        "4. Kiểm điểm đồng chí Nguyễn Văn Hùng, Bí thư Đảng ủy xã",
        "5. Kiểm điểm đồng chí Trần Thị Mai, Phó Bí thư Thường trực Đảng ủy xã; Chủ tịch Hội đồng nhân dân xã",
        "6. Kiểm điểm đồng chí Lê Văn Dũng, Phó Bí thư Đảng ủy xã; Chủ tịch Ủy ban nhân dân xã",
        "7. Kiểm điểm đồng chí Bùi Quang Huy, Đảng ủy viên; Chỉ huy trưởng Ban Chỉ huy Quân sự xã",
        "8. Kiểm điểm đồng chí Vũ Thị Lan, Công chức Tư pháp - Hộ tịch",
    ]
    for line in [
        "a) Trình bày: đồng chí Phạm Thị Hồng Nhung, Bí thư Chi bộ Cơ quan xã, trình bày báo cáo kiểm điểm của tập thể; "
        "tập thể tự nhận mức xếp loại chất lượng: Hoàn thành tốt nhiệm vụ.",
        "Chủ trì phần kiểm điểm: đồng chí Đỗ Minh Tuấn, Phó Bí thư Chi bộ.",
        "a) Trình bày: đồng chí Trần Thị Mai trình bày bản kiểm điểm cá nhân; tự nhận mức xếp loại chất lượng đảng viên: "
        "Hoàn thành xuất sắc nhiệm vụ.",
        "a) Trình bày: đồng chí Vũ Thị Lan trình bày bản kiểm điểm cá nhân; tự nhận mức xếp loại chất lượng đảng viên: "
        "Hoàn thành nhiệm vụ.",
        "- Đồng chí Bùi Quang Huy: Khi làm việc với các chi bộ thôn, có lúc đồng chí nói nhiều, dành thời gian lắng nghe "
        "ý kiến đảng viên và người dân chưa nhiều.",
        "c) Kết luận của chủ trì:",
    ]:
        assert line in text, line
    assert text.count("c) Kết luận của chủ trì:") == 8


def test_minutes_open_vote_ballot_table_and_closing(out, unit):
    text = lines(out, "hn_bien_ban_chi_bo_co_quan")
    sheet = unit_facts(unit)["cham_diem_theo_ma"].get("chi_bo_co_quan")
    score = "" if sheet is None else f"tổng số điểm {sheet['tong']:g}/{sheet['tong_toi_da']:g} điểm và ".replace(".", ",")
    assert (
        f"d) Biểu quyết: hội nghị biểu quyết thông qua {score}mức tự xếp loại chất lượng của tập thể (Hoàn thành tốt nhiệm vụ): "
        "08/08 đồng chí có mặt tán thành (100%), 00 đồng chí không tán thành."
    ) in text
    assert (
        "Sau khi chủ trì hội nghị kết luận, hội nghị bỏ phiếu kín xếp loại chất lượng đối với từng đảng viên. "
        "Số phiếu phát ra: 07; số phiếu thu vào: 07; số phiếu hợp lệ: 07; số phiếu không hợp lệ: 00. "
        "Kết quả kiểm phiếu (chi tiết tại biên bản kiểm phiếu):"
    ) in text
    ballot = tables(out / "hn_bien_ban_chi_bo_co_quan.docx")[-2]
    assert ballot == MINUTES_CQ_TABLE
    assert any(line.endswith("Mức được chọn là mức cao nhất có số phiếu cộng dồn quá 1/2 số phiếu hợp lệ.") for line in text)
    assert "IV. Ý KIẾN BẢO LƯU" in text and "Không có ý kiến bảo lưu." in text
    assert (
        "Hội nghị kết thúc lúc 11 giờ 30 phút, ngày 06 tháng 12 năm 2024. Biên bản đã được đọc lại trước hội nghị và được "
        "hội nghị thông qua với 08/08 đồng chí có mặt tán thành, 00 đồng chí không tán thành."
    ) in text
    signature = tables(out / "hn_bien_ban_chi_bo_co_quan.docx")[-1]
    assert signature[0][0].split("\n")[0] == "THƯ KÝ" and signature[0][0].split("\n")[-1] == "Ngô Thị Thu Hà"
    assert signature[0][1].split("\n")[0] == "CHỦ TRÌ HỘI NGHỊ" and signature[0][1].split("\n")[-1] == "Phạm Thị Hồng Nhung"
    assert not any("T/M" in line or "đóng dấu" in line for line in text)


def test_minutes_thon_dong_default_title_dissent_and_counts(out):
    text = lines(out, "hn_bien_ban_chi_bo_thon_dong")
    assert text[3] == "Số 07-BB/CB" and text[6] == "Hòa Bình, ngày 07 tháng 12 năm 2024"
    for line in [
        "Hội nghị kiểm điểm, đánh giá, xếp loại chất lượng tập thể và đảng viên Chi bộ Thôn Đông năm 2024",
        "1. Thời gian: từ 07 giờ 30 phút đến 11 giờ 15 phút, ngày 07 tháng 12 năm 2024.",
        "- Tổng số đảng viên của chi bộ: 05 đồng chí; có mặt: 05 đồng chí; vắng mặt: 00 đồng chí.",
        "Hội nghị lần lượt kiểm điểm 01 tập thể và 05 đảng viên theo thứ tự dưới đây.",
        "1. Kiểm điểm tập thể Bí thư, Phó Bí thư Chi bộ Thôn Đông",
        "a) Trình bày: đồng chí Hoàng Văn Thắng, Bí thư Chi bộ Thôn Đông, trình bày báo cáo kiểm điểm của tập thể; "
        "tập thể tự nhận mức xếp loại chất lượng: Hoàn thành xuất sắc nhiệm vụ.",
        "Chủ trì phần kiểm điểm: đồng chí Đinh Thị Hoa, Phó Bí thư Chi bộ.",
        "Số phiếu phát ra: 05; số phiếu thu vào: 05; số phiếu hợp lệ: 05; số phiếu không hợp lệ: 00.",
        "- Đồng chí Mai Văn Phúc: Bảo lưu ý kiến đề nghị ghi nhận đồng chí Hoàng Văn Thắng ở mức Hoàn thành xuất sắc nhiệm vụ, "
        "vì đồng chí trực tiếp chỉ đạo hoàn thành công trình đường trục thôn và khu dân cư nông thôn mới kiểu mẫu.",
    ]:
        assert line in text or any(line in t for t in text), line
    assert "Không có ý kiến bảo lưu." not in text
    assert any(t.startswith("Hội nghị kết thúc lúc 11 giờ 15 phút, ngày 07 tháng 12 năm 2024.") for t in text)
    ballot = tables(out / "hn_bien_ban_chi_bo_thon_dong.docx")[-2]
    assert ballot[1:] == [
        ["1", "Hoàng Văn Thắng", "1", "4", "0", "0", "Hoàn thành tốt nhiệm vụ"],
        ["2", "Đinh Thị Hoa", "0", "5", "0", "0", "Hoàn thành tốt nhiệm vụ"],
        ["3", "Lý Văn Sơn", "0", "5", "0", "0", "Hoàn thành tốt nhiệm vụ"],
        ["4", "Mai Văn Phúc", "0", "4", "1", "0", "Hoàn thành tốt nhiệm vụ"],
        ["5", "Trịnh Thị Ngọc", "0", "5", "0", "0", "Hoàn thành tốt nhiệm vụ"],
    ]


def test_minutes_sittings_agree_with_the_unit(unit):
    """The minutes are what MEETING-DURATION reads first: their sittings must be the manifest's."""
    for name, ma in [("hn_bien_ban_chi_bo_co_quan.yaml", "chi_bo_co_quan"), ("hn_bien_ban_chi_bo_thon_dong.yaml", "chi_bo_thon_dong")]:
        org = unit.org(ma)
        assert load(name)["buoi"] == org.raw["hop"]["buoi"]
        assert org.sittings().path == "$.buoi"


def test_minutes_absent_members_reduce_present_count(unit, tmp_path):
    data = load("hn_bien_ban_chi_bo_co_quan.yaml")
    data["vang_mat"] = [{"ho_ten": "Ngô Thị Thu Hà", "ly_do": "đi học lớp bồi dưỡng kết nạp đảng viên mới, có báo cáo."}]
    data["thong_qua"] = {"tan_thanh": 7, "khong_tan_thanh": 0}
    data["chuong_trinh"][0]["bieu_quyet"] = {"tan_thanh": 6, "khong_tan_thanh": 1}
    text = render_data(unit, data, tmp_path)
    assert "- Tổng số đảng viên của chi bộ: 08 đồng chí; có mặt: 07 đồng chí; vắng mặt: 01 đồng chí." in text
    assert "+ Đồng chí Ngô Thị Thu Hà: đi học lớp bồi dưỡng kết nạp đảng viên mới, có báo cáo." in text
    assert any(t.endswith("06/07 đồng chí có mặt tán thành (85,7%), 01 đồng chí không tán thành.") for t in text)
    assert any(t.endswith("thông qua với 07/07 đồng chí có mặt tán thành, 00 đồng chí không tán thành.") for t in text)


def test_minutes_several_sittings_and_default_date(unit, tmp_path):
    data = load("hn_bien_ban_chi_bo_co_quan.yaml")
    data["buoi"] = [
        {"bat_dau": "2024-12-06T07:30", "ket_thuc": "2024-12-06T11:30"},
        {"bat_dau": "2024-12-06T13:30", "ket_thuc": "2024-12-06T16:45"},
    ]
    data.pop("thong_qua")
    text = render_data(unit, data, tmp_path)
    assert "1. Thời gian: hội nghị họp 2 buổi:" in text
    assert "- Buổi 2: từ 13 giờ 30 phút đến 16 giờ 45 phút, ngày 06 tháng 12 năm 2024." in text
    assert any(t.startswith("Hội nghị kết thúc lúc 16 giờ 45 phút") and t.endswith("và được hội nghị thông qua.") for t in text)


def test_minutes_print_the_score_sheet_when_the_unit_has_one(unit, tmp_path):
    """Deductions and bonuses with reasons and responsible people come from so_lieu.cham_diem_theo_ma."""
    facts = copy.deepcopy(unit_facts(unit))
    facts["cham_diem_theo_ma"]["chi_bo_co_quan"] = {
        "dong": [], "tong_toi_da": 100, "tong_tu_cham": 86, "tong_cong": 1, "tong_tru": 2.5, "tong": 84.5, "muc_de_xuat": "HTTNV",
        "cong": [{"tieu_chi": "2.2", "diem": 1, "thanh_tich": "Chỉ số cải cách hành chính xếp thứ 4/16."}],
        "tru": [
            {"tieu_chi": "2.2", "diem": 2, "ly_do": "Số hóa sổ hộ tịch chưa đạt kế hoạch", "trach_nhiem": "Tập thể Chi ủy"},
            {"diem": 0.5, "ly_do": "02 kỳ sinh hoạt phải lùi lịch."},
        ],
    }
    text = render_data(unit, load("hn_bien_ban_chi_bo_co_quan.yaml"), tmp_path, facts)
    assert "Kết quả chấm điểm: tổng điểm tự chấm 86; điểm cộng 1; điểm trừ 2,5; tổng số điểm hội nghị thống nhất: 84,5/100 điểm." in text
    assert "- Trừ 2 điểm (tiêu chí 2.2): Số hóa sổ hộ tịch chưa đạt kế hoạch; trách nhiệm: Tập thể Chi ủy." in text
    assert "- Trừ 0,5 điểm: 02 kỳ sinh hoạt phải lùi lịch." in text
    assert "- Cộng 1 điểm (tiêu chí 2.2): Chỉ số cải cách hành chính xếp thứ 4/16." in text
    assert any("hội nghị biểu quyết thông qua tổng số điểm 84,5/100 điểm và mức tự xếp loại" in t for t in text)


def test_minutes_of_a_party_committee_use_the_given_issuer_and_count(unit, tmp_path):
    data = {
        "bieu_mau": "bien_ban_hoi_nghi", "ky_danh_gia": {"nam": 2024}, "to_chuc": "dang_bo_xa",
        "don_vi": {"cap_tren": "Đảng bộ huyện Tân Phú", "ten": "Đảng ủy xã Hòa Bình"},
        "so_van_ban": {"so": 41, "ky_hieu": "BB/ĐU"}, "loai_hoi_nghi": "dang_uy", "so_trieu_tap": 15,
        "dia_diem": "Hội trường Đảng ủy xã", "buoi": [{"bat_dau": "2024-12-10T07:30", "ket_thuc": "2024-12-10T11:30"}],
        "chu_tri": {"ho_ten": "Nguyễn Văn Hùng", "chuc_vu": "Bí thư Đảng ủy"},
        "thu_ky": {"ho_ten": "Phạm Thị Hồng Nhung", "chuc_vu": "Đảng ủy viên"},
        "vang_mat": [{"ho_ten": "Bùi Quang Huy", "ly_do": "trực sẵn sàng chiến đấu"}],
        "chuong_trinh": [{"to_chuc": "dang_bo_xa", "ten": "Ban Chấp hành Đảng bộ xã", "ket_luan": ["Thống nhất."]}],
    }
    text = render_data(unit, data, tmp_path)
    assert text[:4] == ["ĐẢNG BỘ HUYỆN TÂN PHÚ", "ĐẢNG ỦY XÃ HÒA BÌNH", "*", "Số 41-BB/ĐU"]
    assert "- Tổng số đồng chí được triệu tập: 15 đồng chí; có mặt: 14 đồng chí; vắng mặt: 01 đồng chí." in text
    assert "5. Văn bản gợi ý kiểm điểm của cấp trên đối với tập thể: có." in text
    assert "Hội nghị không bỏ phiếu xếp loại chất lượng đảng viên." in text
    assert "b) Ý kiến tham gia: không có ý kiến khác." in text


# -- ballots ------------------------------------------------------------------------------
BALLOT_HEADER = ["TT", "Họ và tên", "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ",
                 "Không hoàn thành nhiệm vụ"]


def test_ballot_lists_the_members_to_grade_and_nothing_identifying(out):
    text = lines(out, "hn_phieu_xep_loai_chi_bo_co_quan")
    assert text[:3] == ["ĐẢNG BỘ XÃ HÒA BÌNH", "CHI BỘ CƠ QUAN XÃ", "*"]
    assert "PHIẾU XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM 2024" in text
    assert (
        "(Đồng chí đánh dấu X vào 01 ô duy nhất trên mỗi dòng, tương ứng với mức xếp loại chất lượng mà đồng chí lựa chọn "
        "đối với từng đảng viên)"
    ) in text
    assert "Hòa Bình, ngày 06 tháng 12 năm 2024" in text
    assert not any(line.startswith("Số ") for line in text)
    rows = tables(out / "hn_phieu_xep_loai_chi_bo_co_quan.docx")[-1]
    names = ["Nguyễn Văn Hùng", "Trần Thị Mai", "Lê Văn Dũng", "Phạm Thị Hồng Nhung", "Đỗ Minh Tuấn", "Vũ Thị Lan", "Bùi Quang Huy"]
    assert rows == [BALLOT_HEADER] + [[str(i), n, "", "", "", ""] for i, n in enumerate(names, 1)]
    assert "Ngô Thị Thu Hà" not in docx_text(out / "hn_phieu_xep_loai_chi_bo_co_quan.docx")  # admitted < 6 months

    rows = tables(out / "hn_phieu_xep_loai_chi_bo_thon_dong.docx")[-1]
    assert [r[1] for r in rows[1:]] == ["Hoàng Văn Thắng", "Đinh Thị Hoa", "Lý Văn Sơn", "Mai Văn Phúc", "Trịnh Thị Ngọc"]
    assert "Hòa Bình, ngày 07 tháng 12 năm 2024" in lines(out, "hn_phieu_xep_loai_chi_bo_thon_dong")


def test_htxs_ballot_defaults_to_members_proposed_for_htxsnv(out):
    text = lines(out, "hn_phieu_htxs_chi_bo_co_quan")
    assert "PHIẾU BÌNH CHỌN ĐẢNG VIÊN\nHOÀN THÀNH XUẤT SẮC NHIỆM VỤ" in docx_text(out / "hn_phieu_htxs_chi_bo_co_quan.docx")
    assert "Năm 2024" in text
    assert "(Đồng chí đánh dấu X vào ô “Đồng ý” hoặc ô “Không đồng ý” trên mỗi dòng)" in text
    rows = tables(out / "hn_phieu_htxs_chi_bo_co_quan.docx")[-1]
    assert rows == [["Số TT", "Họ và tên", "Chi bộ", "Đồng ý", "Không đồng ý"], ["1", "Trần Thị Mai", "Chi bộ Cơ quan xã", "", ""]]


def test_htxs_ballot_with_a_given_list_or_nobody_proposed(unit, tmp_path):
    data = {"bieu_mau": "phieu_bau_htxs", "ky_danh_gia": {"nam": 2024}, "to_chuc": "dang_bo_xa",
            "danh_sach": ["tran_thi_mai", "hoang_van_thang"]}
    render_data(unit, data, tmp_path)
    assert tables(tmp_path / "doc.docx")[-1] == [
        ["Số TT", "Họ và tên", "Chi bộ", "Đồng ý", "Không đồng ý"],
        ["1", "Trần Thị Mai", "Chi bộ Cơ quan xã", "", ""],
        ["2", "Hoàng Văn Thắng", "Chi bộ Thôn Đông", "", ""],
    ]
    data = {"bieu_mau": "phieu_bau_htxs", "ky_danh_gia": {"nam": 2024}, "to_chuc": "chi_bo_thon_dong"}
    text = render_data(unit, data, tmp_path)
    assert "(Không có đảng viên được đề xuất mức Hoàn thành xuất sắc nhiệm vụ)" in text


# -- tally minutes ------------------------------------------------------------------------
def test_tally_minutes_composition_and_counts(out):
    text = lines(out, "hn_kiem_phieu_chi_bo_co_quan")
    assert text[:8] == [
        "ĐẢNG BỘ XÃ HÒA BÌNH", "CHI BỘ CƠ QUAN XÃ", "*", "Số 14-BB/CB",
        "ĐẢNG CỘNG SẢN VIỆT NAM", "", "Hòa Bình, ngày 06 tháng 12 năm 2024", "",
    ]
    for line in [
        "BIÊN BẢN KIỂM PHIẾU",
        "Xếp loại chất lượng đảng viên năm 2024",
        "1. Thời gian: bắt đầu kiểm phiếu lúc 10 giờ 40 phút, ngày 06 tháng 12 năm 2024, tại hội nghị kiểm điểm, đánh giá, "
        "xếp loại chất lượng năm 2024 của Chi bộ Cơ quan xã.",
        "2. Địa điểm: Hội trường Ủy ban nhân dân xã Hòa Bình.",
        "3. Thành phần: tổng số đảng viên được triệu tập: 08 đồng chí; có mặt: 08 đồng chí; vắng mặt: 00 đồng chí.",
        "4. Chủ trì hội nghị: đồng chí Phạm Thị Hồng Nhung, Bí thư Chi bộ.",
        "5. Tổ kiểm phiếu do hội nghị bầu gồm 03 đồng chí:",
        "- Đồng chí Bùi Quang Huy, trưởng ban;",
        "- Đồng chí Vũ Thị Lan, thành viên;",
        "- Đồng chí Lê Văn Dũng, thành viên.",
        "II. KẾT QUẢ KIỂM PHIẾU",
        "1. Số phiếu phát ra: 07 phiếu; số phiếu thu vào: 07 phiếu; số phiếu hợp lệ: 07 phiếu; số phiếu không hợp lệ: 00 phiếu.",
        "2. Số phiếu và tỷ lệ xếp loại chất lượng đối với từng đảng viên (tỷ lệ % tính trên số phiếu hợp lệ):",
        "Mức được chọn là mức cao nhất có số phiếu cộng dồn quá 1/2 số phiếu hợp lệ (số phiếu cộng dồn của một mức gồm số "
        "phiếu của mức đó và của các mức cao hơn).",
        "- Hoàn thành xuất sắc nhiệm vụ: 01 đồng chí;",
        "- Hoàn thành tốt nhiệm vụ: 05 đồng chí;",
        "- Hoàn thành nhiệm vụ: 01 đồng chí;",
        "- Không hoàn thành nhiệm vụ: 00 đồng chí.",
        "Biên bản kiểm phiếu lập xong lúc 11 giờ 05 phút cùng ngày, đã được Tổ kiểm phiếu thông qua và công bố trước hội nghị.",
    ]:
        assert line in text, line


def test_tally_minutes_table_votes_percentages_and_adopted_levels(out):
    rows = tables(out / "hn_kiem_phieu_chi_bo_co_quan.docx")[1]
    assert rows == [
        ["STT", "Họ và tên", "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ",
         "Không hoàn thành nhiệm vụ", "Mức được chọn"],
        ["1", "Nguyễn Văn Hùng", "1 (14,3%)", "6 (85,7%)", "0 (0%)", "0 (0%)", "Hoàn thành tốt nhiệm vụ"],
        ["2", "Trần Thị Mai", "6 (85,7%)", "1 (14,3%)", "0 (0%)", "0 (0%)", "Hoàn thành xuất sắc nhiệm vụ"],
        ["3", "Lê Văn Dũng", "1 (14,3%)", "5 (71,4%)", "1 (14,3%)", "0 (0%)", "Hoàn thành tốt nhiệm vụ"],
        ["4", "Phạm Thị Hồng Nhung", "0 (0%)", "7 (100%)", "0 (0%)", "0 (0%)", "Hoàn thành tốt nhiệm vụ"],
        ["5", "Đỗ Minh Tuấn", "0 (0%)", "6 (85,7%)", "1 (14,3%)", "0 (0%)", "Hoàn thành tốt nhiệm vụ"],
        ["6", "Vũ Thị Lan", "0 (0%)", "1 (14,3%)", "6 (85,7%)", "0 (0%)", "Hoàn thành nhiệm vụ"],
        ["7", "Bùi Quang Huy", "1 (14,3%)", "6 (85,7%)", "0 (0%)", "0 (0%)", "Hoàn thành tốt nhiệm vụ"],
    ]
    signature = tables(out / "hn_kiem_phieu_chi_bo_co_quan.docx")[-1][0]
    assert signature[0].split("\n")[:2] == ["TỔ KIỂM PHIẾU", "TRƯỞNG BAN"] and signature[0].split("\n")[-1] == "Bùi Quang Huy"
    assert signature[1].split("\n")[0] == "CHỦ TRÌ HỘI NGHỊ" and signature[1].split("\n")[-1] == "Phạm Thị Hồng Nhung"


def test_tally_minutes_thon_dong(out):
    text = lines(out, "hn_kiem_phieu_chi_bo_thon_dong")
    assert text[3] == "Số 06-BB/CB"
    assert "3. Thành phần: tổng số đảng viên được triệu tập: 05 đồng chí; có mặt: 05 đồng chí; vắng mặt: 00 đồng chí." in text
    assert "5. Tổ kiểm phiếu do hội nghị bầu gồm 02 đồng chí:" in text
    assert "- Hoàn thành tốt nhiệm vụ: 05 đồng chí;" in text and "- Hoàn thành xuất sắc nhiệm vụ: 00 đồng chí;" in text
    rows = tables(out / "hn_kiem_phieu_chi_bo_thon_dong.docx")[1]
    assert rows[1] == ["1", "Hoàng Văn Thắng", "1 (20%)", "4 (80%)", "0 (0%)", "0 (0%)", "Hoàn thành tốt nhiệm vụ"]
    assert rows[4] == ["4", "Mai Văn Phúc", "0 (0%)", "4 (80%)", "1 (20%)", "0 (0%)", "Hoàn thành tốt nhiệm vụ"]


def test_tally_minutes_follow_the_facts(out, unit):
    """Every count in the table is the unit's tally (bo_phieu), whatever the demo numbers become."""
    for ma, name in [("chi_bo_co_quan", "hn_kiem_phieu_chi_bo_co_quan"), ("chi_bo_thon_dong", "hn_kiem_phieu_chi_bo_thon_dong")]:
        tally = unit_facts(unit)["bo_phieu_theo_to_chuc"][ma]
        rows = tables(out / f"{name}.docx")[1][1:]
        assert [r[1] for r in rows] == [k["ho_ten"] for k in tally["ket_qua"]]
        for row, fact in zip(rows, tally["ket_qua"]):
            assert row[2:6] == [f"{fact[c]} ({fact['ty_le'][c]})" for c in ("HTXSNV", "HTTNV", "HTNV", "KHTNV")]
            assert row[6] == fact["muc_chon_ten"]


def test_unnumbered_tally_minutes_print_no_number(unit, tmp_path):
    data = load("hn_kiem_phieu_chi_bo_co_quan.yaml")
    data.pop("so_van_ban")
    text = render_data(unit, data, tmp_path)
    assert text[:4] == ["ĐẢNG BỘ XÃ HÒA BÌNH", "CHI BỘ CƠ QUAN XÃ", "*", "ĐẢNG CỘNG SẢN VIỆT NAM"]


# -- schema rules -------------------------------------------------------------------------
def invalid(cli, tmp_path: Path, data: dict) -> list[dict]:
    path = tmp_path / "bieu_mau.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = cli("validate", "--format", "json", path)
    assert result.exit_code == 1, result.output
    return [f for f in json.loads(result.stdout)["findings"] if f["severity"] == "error"]


def paths(findings: list[dict]) -> set[str]:
    return {f["json_path"] for f in findings}


def test_minutes_number_must_be_bb(cli, tmp_path):
    data = load("hn_bien_ban_chi_bo_co_quan.yaml")
    data["so_van_ban"] = {"so": 15, "ky_hieu": "BC/CB"}
    found = invalid(cli, tmp_path, data)
    assert paths(found) == {"$.so_van_ban.ky_hieu"}
    assert "BB" in found[0]["message_vi"]


def test_minutes_agenda_item_names_exactly_one_subject(cli, tmp_path):
    data = load("hn_bien_ban_chi_bo_co_quan.yaml")
    data["chuong_trinh"][1]["to_chuc"] = "chi_bo_co_quan"
    del data["chuong_trinh"][2]["thanh_vien"]
    found = invalid(cli, tmp_path, data)
    assert paths(found) == {"$.chuong_trinh[1]", "$.chuong_trinh[2]"}
    assert all("đúng một đối tượng" in f["message_vi"] for f in found)


def test_minutes_no_open_vote_on_a_member(cli, tmp_path):
    data = load("hn_bien_ban_chi_bo_co_quan.yaml")
    data["chuong_trinh"][3]["bieu_quyet"] = {"tan_thanh": 8, "khong_tan_thanh": 0}
    found = invalid(cli, tmp_path, data)
    assert paths(found) == {"$.chuong_trinh[3]"}
    assert "bỏ phiếu kín" in found[0]["message_vi"]


def test_minutes_of_a_committee_need_issuer_and_count(cli, tmp_path):
    data = load("hn_bien_ban_chi_bo_co_quan.yaml")
    data["loai_hoi_nghi"] = "dang_uy"
    found = invalid(cli, tmp_path, data)
    assert paths(found) == {"$.so_trieu_tap", "$.don_vi"}


def test_minutes_sitting_times_are_iso(cli, tmp_path):
    data = load("hn_bien_ban_chi_bo_co_quan.yaml")
    data["buoi"][0]["bat_dau"] = "06/12/2024 7h30"
    found = invalid(cli, tmp_path, data)
    assert paths(found) == {"$.buoi[0].bat_dau"}
    assert "2024-12-06T07:30" in found[0]["message_vi"]


def test_minutes_require_a_conclusion_per_subject(cli, tmp_path):
    data = load("hn_bien_ban_chi_bo_co_quan.yaml")
    del data["chuong_trinh"][0]["ket_luan"]
    assert paths(invalid(cli, tmp_path, data)) == {"$.chuong_trinh[0].ket_luan"}


@pytest.mark.parametrize("roles", [["Trưởng ban", "Trưởng ban", "Thành viên"], ["Thành viên", "Thành viên"]])
def test_tally_committee_has_exactly_one_head(cli, tmp_path, roles):
    data = load("hn_kiem_phieu_chi_bo_co_quan.yaml")
    data["to_kiem_phieu"] = [{"ho_ten": f"Đồng chí {i}", "nhiem_vu": r} for i, r in enumerate(roles)]
    found = invalid(cli, tmp_path, data)
    assert paths(found) == {"$.to_kiem_phieu"}
    assert "đúng một" in found[0]["message_vi"]


def test_tally_time_is_hh_mm(cli, tmp_path):
    data = load("hn_kiem_phieu_chi_bo_co_quan.yaml")
    data["gio_bat_dau"] = "10h40"
    assert paths(invalid(cli, tmp_path, data)) == {"$.gio_bat_dau"}


def test_htxs_list_names_each_member_once(cli, tmp_path):
    data = {"bieu_mau": "phieu_bau_htxs", "ky_danh_gia": {"nam": 2024}, "to_chuc": "chi_bo_co_quan",
            "danh_sach": ["tran_thi_mai", "tran_thi_mai"]}
    found = invalid(cli, tmp_path, data)
    assert paths(found) == {"$.danh_sach"}
    assert "mỗi đảng viên một lần" in found[0]["message_vi"]


def test_ballot_needs_its_organisation(cli, tmp_path):
    found = invalid(cli, tmp_path, {"bieu_mau": "phieu_bau", "ky_danh_gia": {"nam": 2024}})
    assert paths(found) == {"$.to_chuc"}


def test_unknown_organisation_is_reported_by_the_unit(cli, tmp_path):
    unit = tmp_path / "demo"
    shutil.copytree(DEMO, unit)
    target = unit / "van_ban" / "hn_phieu_xep_loai_chi_bo_co_quan.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("to_chuc: chi_bo_co_quan", "to_chuc: chi_bo_tay"), encoding="utf-8")
    result = cli("check", "--format", "json", unit)
    assert result.exit_code == 1
    found = [f for f in json.loads(result.stdout)["findings"] if f["severity"] == "error"]
    assert [(Path(f["file"]).name, f["json_path"]) for f in found] == [("hn_phieu_xep_loai_chi_bo_co_quan.yaml", "$.to_chuc")]
