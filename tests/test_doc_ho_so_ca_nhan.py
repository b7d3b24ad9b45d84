"""Documents of module ho_so_ca_nhan (spec §2.9–2.11): residence comment, member supplement,
suggestion letter, complaint reply and re-grading decision — exact printed text and schema rules."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner

from conftest import DEMO, ROOT, TESTS, docx_text
from generator.cli import main

REGRADE = TESTS / "examples" / "valid" / "quyet_dinh_xep_loai_lai.yaml"
VAN_BAN = DEMO / "van_ban"


@pytest.fixture(scope="module")
def rendered(demo_docx) -> Path:
    """The demo unit rendered once (DOCX only)."""
    return demo_docx / "van_ban"


def lines(path: Path) -> list[str]:
    return docx_text(path).splitlines()


def header_cells(path: Path) -> tuple[list[str], list[str]]:
    left, right = docx.Document(str(path)).tables[0].rows[0].cells
    return [p.text for p in left.paragraphs], [p.text for p in right.paragraphs]


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def render_variant(tmp_path: Path, data: dict, name: str = "bieu_mau") -> list[str]:
    """Render one standalone form written from ``data``; returns its DOCX lines.

    Written as JSON: `hoso render` takes a YAML file with both ``don_vi`` and ``thanh_vien`` for a unit manifest.
    """
    src = tmp_path / f"{name}.json"
    src.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["render", str(src), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return lines(out / f"{name}.docx")


def standalone(path: Path) -> dict:
    """A demo document as data for a standalone variant."""
    return load(path)


# -- residence_comment ------------------------------------------------------------------------------
def test_residence_comment_for_nguyen_van_hung(rendered):
    path = rendered / "hs_nhan_xet_cu_tru_nguyen_van_hung.docx"
    assert header_cells(path) == (
        ["ĐẢNG BỘ XÃ HÒA BÌNH", "CHI BỘ THÔN ĐÔNG", "*"],
        ["ĐẢNG CỘNG SẢN VIỆT NAM", "", "Hòa Bình, ngày 28 tháng 11 năm 2024"],
    )
    text = lines(path)
    start = text.index("PHIẾU NHẬN XÉT")
    assert text[start:start + 5] == [
        "PHIẾU NHẬN XÉT",
        "ĐẢNG VIÊN ĐANG CÔNG TÁC THỰC HIỆN NHIỆM VỤ Ở NƠI CƯ TRÚ",
        "Năm 2024",
        "",
        "Kính gửi: Chi ủy Chi bộ Cơ quan xã Hòa Bình",
    ]
    assert text[start + 5] == (
        "Thực hiện Quy định số 213-QĐ/TW ngày 02/01/2020 của Bộ Chính trị về trách nhiệm của đảng viên đang công tác "
        "thường xuyên giữ mối liên hệ với tổ chức đảng và nhân dân nơi cư trú và Hướng dẫn số 33-HD/BTCTW ngày 30/10/2020 "
        "của Ban Tổ chức Trung ương, Chi bộ Thôn Đông, Đảng bộ xã Hòa Bình nhận xét đảng viên đang công tác thực hiện "
        "nhiệm vụ ở nơi cư trú năm 2024 như sau:"
    )
    i = text.index("I. THÔNG TIN VỀ ĐẢNG VIÊN")
    assert text[i + 1:i + 7] == [
        "Họ và tên: Nguyễn Văn Hùng",
        "Ngày sinh: 14/03/1972",
        "Chức vụ: Bí thư Đảng ủy xã",
        "Cơ quan, đơn vị công tác: Đảng ủy xã Hòa Bình",
        "Chi bộ nơi sinh hoạt: Chi bộ Cơ quan xã, Đảng bộ xã Hòa Bình",
        "Nơi cư trú: Xóm 1, thôn Đông, xã Hòa Bình, huyện Tân Phú",
    ]
    for heading in (
        "II. NỘI DUNG NHẬN XÉT",
        "1. Việc giữ mối liên hệ với chi ủy, chi bộ và nhân dân nơi cư trú",
        "2. Việc gương mẫu thực hiện và vận động gia đình, nhân dân nơi cư trú thực hiện chủ trương của Đảng, chính sách, "
        "pháp luật của Nhà nước và các quy định của địa phương",
        "3. Việc thực hiện nghĩa vụ công dân và tham gia các hoạt động ở nơi cư trú",
        "4. Ý kiến đề nghị",
    ):
        assert heading in text
    assert text[text.index("4. Ý kiến đề nghị") + 1] == "Đề nghị đồng chí bố trí thời gian dự sinh hoạt tại Chi bộ Thôn Đông đều hơn trong năm 2025."
    # Đảng ủy confirmation (left, sealed) beside the residence chi bộ's signature (right).
    sig = docx.Document(str(path)).tables[-1].rows[0].cells
    left = [p.text for p in sig[0].paragraphs if p.text]
    right = [p.text for p in sig[1].paragraphs if p.text]
    assert left == [
        "XÁC NHẬN CỦA ĐẢNG ỦY XÃ HÒA BÌNH",
        "Ngày 29 tháng 11 năm 2024",
        "Xác nhận Chi bộ Thôn Đông đã nhận xét đồng chí Nguyễn Văn Hùng, đảng viên Chi bộ Cơ quan xã, về việc thực hiện "
        "nhiệm vụ ở nơi cư trú năm 2024.",
        "T/M ĐẢNG ỦY", "PHÓ BÍ THƯ THƯỜNG TRỰC", "(Ký tên, đóng dấu)", "Trần Thị Mai",
    ]
    assert right == ["T/M CHI BỘ", "BÍ THƯ", "(Ký, ghi rõ họ tên)", "Hoàng Văn Thắng"]


def test_residence_comment_for_pham_thi_hong_nhung_has_no_suggestion_section(rendered):
    text = lines(rendered / "hs_nhan_xet_cu_tru_pham_thi_hong_nhung.docx")
    assert "Họ và tên: Phạm Thị Hồng Nhung" in text
    assert "Chức vụ: Bí thư Chi bộ Cơ quan xã; Công chức Văn phòng - Thống kê" in text
    assert "Nơi cư trú: Xóm 3, thôn Đông, xã Hòa Bình, huyện Tân Phú" in text
    assert "4. Ý kiến đề nghị" not in text
    assert "Hoàng Văn Thắng" in text and "XÁC NHẬN CỦA ĐẢNG ỦY XÃ HÒA BÌNH" in text


def test_residence_comment_without_confirmation_prints_default_authority(tmp_path):
    data = standalone(VAN_BAN / "hs_nhan_xet_cu_tru_pham_thi_hong_nhung.yaml")
    del data["xac_nhan_dang_uy"], data["kinh_gui"]
    data["chu_ky"] = {"chuc_vu": "BÍ THƯ", "ho_ten": "Hoàng Văn Thắng"}
    text = render_variant(tmp_path, data)
    assert not any(line.startswith("XÁC NHẬN CỦA") for line in text)
    assert not any(line.startswith("Kính gửi") for line in text)
    assert "T/M CHI ỦY (CHI BỘ)" in text


def test_residence_comments_cover_members_living_in_thon_dong():
    for code in ("nguyen_van_hung", "pham_thi_hong_nhung"):
        data = load(VAN_BAN / f"hs_nhan_xet_cu_tru_{code}.yaml")
        manifest = next(m for m in load(DEMO / "don_vi.yaml")["thanh_vien"] if m["ma"] == code)
        assert data["thanh_vien"] == code and data["dang_vien"]["ho_ten"] == manifest["ho_ten"]
        assert manifest["nhan_xet_cu_tru"] is True
        assert "thôn Đông" in data["dang_vien"]["noi_cu_tru"]
        # the comment reaches the member's chi bộ before its review meeting (06/12/2024)
        assert str(data["ngay_lap"]) < "2024-12-06"


# -- member_supplement ------------------------------------------------------------------------------
def test_member_supplement_for_do_minh_tuan(rendered):
    path = rendered / "hs_bo_sung_ho_so_do_minh_tuan.docx"
    assert header_cells(path) == (
        ["ĐẢNG BỘ XÃ HÒA BÌNH", "CHI BỘ CƠ QUAN XÃ", "*"],
        ["ĐẢNG CỘNG SẢN VIỆT NAM", "", "Hòa Bình, ngày 02 tháng 12 năm 2024"],
    )
    text = lines(path)
    assert "PHIẾU BỔ SUNG HỒ SƠ ĐẢNG VIÊN" in text and "Năm 2024" in text
    i = text.index("I. THÔNG TIN ĐẢNG VIÊN")
    assert text[i + 1:i + 7] == [
        "Họ và tên đang dùng: Đỗ Minh Tuấn",
        "Ngày sinh: 25/01/1990",
        "Nơi ở hiện nay: Thôn Trung, xã Hòa Bình, huyện Tân Phú",
        "Ngày vào Đảng: 22/12/2014",
        "Ngày chính thức: 22/12/2015",
        "Chi bộ nơi sinh hoạt: Chi bộ Cơ quan xã, Đảng bộ xã Hòa Bình",
    ]
    i = text.index("II. NHỮNG THAY ĐỔI TRONG NĂM 2024")
    assert text[i + 1:i + 16] == [
        "1. Trình độ",
        "- Giáo dục phổ thông: Không thay đổi.",
        "- Chuyên môn, nghiệp vụ (học hàm, học vị):",
        "+ Hoàn thành lớp bồi dưỡng chuyên sâu Luật Đất đai năm 2024 dành cho công chức Địa chính - Xây dựng cấp xã "
        "(tháng 9/2024); căn cứ: Giấy chứng nhận bồi dưỡng của Sở Tài nguyên và Môi trường tỉnh.",
        "- Lý luận chính trị:",
        "+ Đang học lớp Trung cấp lý luận chính trị - hành chính hệ không tập trung, khóa 2024 - 2025, tại Trung tâm "
        "Chính trị huyện Tân Phú; đã hoàn thành 08/12 học phần, kết quả khá; chưa được cấp bằng (từ tháng 3/2024); "
        "căn cứ: Quyết định cử đi học của Ban Thường vụ Huyện ủy.",
        "- Ngoại ngữ, tiếng dân tộc thiểu số: Không thay đổi.",
        "- Tin học: Không thay đổi.",
        "2. Cơ quan, đơn vị công tác: Không thay đổi.",
        "3. Chức vụ đảng, chính quyền, đoàn thể: Không thay đổi.",
        "4. Nghề nghiệp: Không thay đổi.",
        "5. Khen thưởng: Không thay đổi.",
        "6. Kỷ luật: Không thay đổi.",
        "7. Hoàn cảnh gia đình: Không thay đổi.",
        "8. Những thay đổi khác: Không thay đổi.",
    ]
    assert text[text.index("ĐẢNG VIÊN BỔ SUNG") + 1] == "(Ký, ghi rõ họ tên)"
    table = docx.Document(str(path)).tables[-1]
    cells = [[[p.text for p in c.paragraphs if p.text] for c in row.cells] for row in table.rows]
    assert cells[0] == [
        ["CHI ỦY XÁC NHẬN", "Ngày 06 tháng 12 năm 2024", "Chi ủy đã kiểm tra, đối chiếu; nội dung đồng chí Đỗ Minh Tuấn bổ sung là đúng."],
        ["ĐẢNG ỦY CƠ SỞ XÁC NHẬN", "Ngày 12 tháng 12 năm 2024",
         "Đảng ủy xác nhận nội dung bổ sung; gửi Ban Tổ chức Huyện ủy cập nhật hồ sơ đảng viên."],
    ]
    assert cells[1] == [
        ["T/M CHI ỦY", "BÍ THƯ", "(Ký, ghi rõ họ tên)", "Phạm Thị Hồng Nhung"],
        ["T/M ĐẢNG ỦY", "BÍ THƯ", "(Ký tên, đóng dấu)", "Nguyễn Văn Hùng"],
    ]


def test_member_supplement_blank_confirmations_keep_their_titles(tmp_path):
    data = standalone(VAN_BAN / "hs_bo_sung_ho_so_do_minh_tuan.yaml")
    del data["xac_nhan_chi_uy"], data["xac_nhan_dang_uy"]
    data["thay_doi"] = {}
    text = render_variant(tmp_path, data)
    assert "- Lý luận chính trị: Không thay đổi." in text
    for line in ("CHI ỦY XÁC NHẬN", "ĐẢNG ỦY CƠ SỞ XÁC NHẬN", "T/M CHI ỦY", "T/M ĐẢNG ỦY", "(Ký tên, đóng dấu)"):
        assert line in text
    assert text.count("Ngày … tháng … năm …") == 2


# -- suggestion_letter ------------------------------------------------------------------------------
def test_suggestion_letter_to_the_commune_committee(rendered):
    path = rendered / "hs_goi_y_dang_uy_xa.docx"
    assert header_cells(path) == (
        ["ĐẢNG BỘ TỈNH ĐỒNG NAI", "HUYỆN ỦY TÂN PHÚ", "*", "Số 412-CV/HU",
         "V/v gợi ý kiểm điểm năm 2024 đối với tập thể Ban Chấp hành Đảng bộ xã Hòa Bình"],
        ["ĐẢNG CỘNG SẢN VIỆT NAM", "", "Tân Phú, ngày 08 tháng 11 năm 2024"],
    )
    text = lines(path)
    i = text.index("Kính gửi: Ban Chấp hành Đảng bộ xã Hòa Bình")
    assert text[i + 1] == (
        "Thực hiện Quy định số 124-QĐ/TW ngày 04/10/2023 của Bộ Chính trị về kiểm điểm và đánh giá, xếp loại chất lượng "
        "hằng năm đối với tập thể, cá nhân trong hệ thống chính trị; Hướng dẫn số 25-HD/BTCTW ngày 10/11/2023 của Ban Tổ "
        "chức Trung ương; Kế hoạch số 86-KH/HU ngày 15/10/2024 của Ban Thường vụ Huyện ủy về kiểm điểm, đánh giá, xếp loại "
        "chất lượng tổ chức đảng, đảng viên và tập thể, cá nhân cán bộ lãnh đạo, quản lý năm 2024; qua theo dõi, kiểm tra, "
        "giám sát và nắm tình hình, Ban Thường vụ Huyện ủy gợi ý tập thể Ban Chấp hành Đảng bộ xã Hòa Bình tập trung kiểm "
        "điểm, làm rõ những vấn đề sau:"
    )
    assert text[i + 2] == "1. Về công tác giải phóng mặt bằng dự án đường liên xã Hòa Bình - Tân Lập"
    assert text[i + 5] == "2. Về việc giải quyết đơn phản ánh của các hộ dân thôn Tây"
    assert text[i + 8] == (
        "Đề nghị tập thể Ban Chấp hành Đảng bộ xã Hòa Bình nghiêm túc tự phê bình và phê bình, giải trình, làm rõ từng vấn "
        "đề được gợi ý tại mục IV \"Giải trình những vấn đề được gợi ý kiểm điểm\" của báo cáo kiểm điểm tập thể; xác định "
        "rõ trách nhiệm của tập thể, cá nhân và đề ra biện pháp khắc phục cụ thể."
    )
    assert text[i + 9] == (
        "Hội nghị kiểm điểm được tổ chức với thời gian tối thiểu 1,5 ngày (03 buổi làm việc); đại diện Thường trực Huyện "
        "ủy, lãnh đạo Ủy ban Kiểm tra Huyện ủy và Ban Tổ chức Huyện ủy dự và chỉ đạo hội nghị. Báo cáo kết quả kiểm điểm "
        "gửi về Ban Thường vụ Huyện ủy trước ngày 15 tháng 12 năm 2024."
    )
    assert text[-6:] == ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "", "", "", "Lương Minh Đức"]
    assert "- Lưu Văn phòng Huyện ủy." in text


def test_suggestion_letter_matches_what_the_commune_report_answers():
    """The Đảng ủy's report (section IV) answers the letter's two issues, after receiving it; the meeting length
    the letter requires is the locality's minimum for a suggested đảng ủy cơ sở, and the unit's meeting meets it."""
    letter = load(VAN_BAN / "hs_goi_y_dang_uy_xa.yaml")
    report = load(DEMO / "tap_the" / "dang_uy_xa.yaml")
    unit = load(DEMO / "don_vi.yaml")
    from generator.settings import load_settings

    locality = load_settings("qd124")
    org = next(o for o in unit["to_chuc"] if o["ma"] == letter["to_chuc"])
    assert report["co_goi_y"] is True and org["bao_cao"] == "tap_the/dang_uy_xa.yaml"
    answers = " ".join(report["kiem_diem"]["giai_trinh_goi_y"])
    assert len(letter["van_de"]) == 2
    assert "gợi ý thứ nhất (chậm giải phóng mặt bằng dự án đường liên xã Hòa Bình - Tân" in answers
    assert "gợi ý thứ hai (đơn phản ánh của 06 hộ dân thôn Tây" in answers
    assert "đường liên xã Hòa Bình - Tân Lập" in letter["van_de"][0]["tieu_de"]
    assert "06 hộ dân thôn Tây" in " ".join(letter["van_de"][1]["noi_dung"])
    # "Sau khi nhận văn bản gợi ý, Đảng ủy đã ban hành Nghị quyết chuyên đề số 31-NQ/ĐU ngày 18/11/2024"
    assert str(letter["ngay_lap"]) < "2024-11-18"
    minimum = locality["thoi_luong_hop"]["loai"][org["loai_hop"]]["goi_y"]
    assert letter["so_ngay_hop_toi_thieu"] == minimum == 1.5
    assert len(org["hop"]["buoi"]) >= minimum * 2


def test_suggestion_letter_defaults_and_numbered_untitled_issues(tmp_path):
    data = standalone(VAN_BAN / "hs_goi_y_dang_uy_xa.yaml")
    for key in ("trich_yeu", "so_ngay_hop_toi_thieu", "du_hoi_nghi", "han_bao_cao"):
        del data[key]
    del data["to_chuc"]
    data["thanh_vien"] = "nguyen_van_hung"
    data["doi_tuong"] = "đồng chí Nguyễn Văn Hùng, Bí thư Đảng ủy xã"
    data["kinh_gui"] = ["Đồng chí Nguyễn Văn Hùng", "Ban Thường vụ Đảng ủy xã Hòa Bình"]
    data["van_de"] = [{"noi_dung": ["Vấn đề thứ nhất.", "Đoạn hai."]}, {"noi_dung": ["Vấn đề thứ hai."]}]
    text = render_variant(tmp_path, data)
    assert "V/v gợi ý kiểm điểm, đánh giá, xếp loại chất lượng năm 2024" in text
    assert text[text.index("Kính gửi:") + 1:text.index("Kính gửi:") + 3] == [
        "- Đồng chí Nguyễn Văn Hùng", "- Ban Thường vụ Đảng ủy xã Hòa Bình"]
    assert "1. Vấn đề thứ nhất." in text and "Đoạn hai." in text and "2. Vấn đề thứ hai." in text
    assert any("của bản kiểm điểm cá nhân;" in line for line in text)
    assert ("Hội nghị kiểm điểm bảo đảm thời gian tối thiểu theo quy định đối với trường hợp có văn bản gợi ý kiểm điểm."
            in text)


# -- complaint_reply ---------------------------------------------------------------------------------
def test_complaint_reply_to_vu_thi_lan(rendered):
    path = rendered / "hs_khieu_nai_vu_thi_lan.docx"
    assert header_cells(path) == (
        ["ĐẢNG BỘ HUYỆN TÂN PHÚ", "ĐẢNG ỦY XÃ HÒA BÌNH", "*", "Số 168-CV/ĐU",
         "V/v trả lời khiếu nại về kết quả đánh giá, xếp loại chất lượng đảng viên năm 2024"],
        ["ĐẢNG CỘNG SẢN VIỆT NAM", "", "Hòa Bình, ngày 24 tháng 12 năm 2024"],
    )
    text = lines(path)
    assert "DỰ THẢO" not in text
    i = text.index("Kính gửi: đồng chí Vũ Thị Lan")
    assert text[i + 1] == "(Công chức Tư pháp - Hộ tịch, Ủy ban nhân dân xã Hòa Bình; đảng viên Chi bộ Cơ quan xã)"
    assert text[i + 2] == (
        "Ngày 16 tháng 12 năm 2024, đồng chí có đơn khiếu nại về kết quả đánh giá, xếp loại chất lượng đảng viên năm 2024 "
        "đối với đồng chí là mức \"Hoàn thành nhiệm vụ\" (Quyết định số 57-QĐ/ĐU ngày 12/12/2024). Nội dung, lý do khiếu nại:"
    )
    assert text[i + 3].startswith("Đồng chí cho rằng việc nghỉ ốm từ ngày 04/3/2024 đến ngày 12/7/2024")
    assert text[i + 5] == ("Ngày 23 tháng 12 năm 2024, Đảng ủy xã Hòa Bình đã xem xét đơn, đối chiếu với quy định và kết "
                           "luận như sau:")
    assert text[i + 8] == ("Kết quả sau kết luận: giữ nguyên kết quả xếp loại chất lượng năm 2024 là mức "
                           "\"Hoàn thành nhiệm vụ\".")
    assert text[i + 9] == (
        "Đề nghị đồng chí nghiêm túc chấp hành kết luận. Trường hợp chưa thống nhất, đồng chí có quyền trình bày ý kiến "
        "với cấp ủy cấp trên nhưng phải chấp hành kết luận của cấp có thẩm quyền."
    )
    assert "- Ban Tổ chức Huyện ủy (để báo cáo)," in text
    assert "T/M ĐẢNG ỦY" in text and text[-1] == "Nguyễn Văn Hùng"


def test_complaint_matches_the_unit_result():
    """The result complained about is the member's decided level and the Đảng ủy's decision of 12/12/2024."""
    data = load(VAN_BAN / "hs_khieu_nai_vu_thi_lan.yaml")
    form = load(DEMO / "ca_nhan" / "vu_thi_lan.yaml")
    decision = load(VAN_BAN / "qd_xep_loai_dang_vien.yaml") if (VAN_BAN / "qd_xep_loai_dang_vien.yaml").exists() else None
    assert data["thanh_vien"] == "vu_thi_lan"
    assert data["ket_qua_bi_khieu_nai"]["muc"] == form["quyet_dinh_dang_uy"]["muc"] == "HTNV"
    assert str(data["ket_qua_bi_khieu_nai"]["ngay"]) == str(form["quyet_dinh_dang_uy"]["ngay"]) == "2024-12-12"
    if decision is not None:
        number = decision["so_van_ban"]
        assert data["ket_qua_bi_khieu_nai"]["van_ban"] == f"Quyết định số {number['so']}-{number['ky_hieu']}"
    assert data["ket_luan"]["muc_sau_ket_luan"] == data["ket_qua_bi_khieu_nai"]["muc"]
    assert str(data["ngay_khieu_nai"]) < str(data["ket_luan"]["ngay"]) <= str(data["ngay_thong_bao"])


def test_complaint_reply_draft_without_conclusion(tmp_path):
    data = standalone(VAN_BAN / "hs_khieu_nai_vu_thi_lan.yaml")
    for key in ("ket_luan", "ngay_thong_bao", "ngay_lap", "so_van_ban", "chu_ky"):
        del data[key]
    text = render_variant(tmp_path, data)
    assert text[0] == "DỰ THẢO"
    assert "Số …" in text and "Hòa Bình, ngày … tháng … năm …" in text
    i = text.index("Ngày … tháng … năm …, " + "…" * 20 + " đã xem xét đơn, đối chiếu với quy định và kết luận như sau:")
    assert text[i + 1:i + 4] == [""] * 3  # dotted lines: a dot-leader tab each (tests/test_layout.py checks the print)
    assert text[i + 4] == "Kết quả sau kết luận:"
    assert any("phải chấp hành kết luận" in line for line in text)


def test_complaint_reply_with_a_changed_level_calls_for_a_regrading(tmp_path):
    data = standalone(VAN_BAN / "hs_khieu_nai_vu_thi_lan.yaml")
    data["ket_luan"]["muc_sau_ket_luan"] = "HTTNV"
    text = render_variant(tmp_path, data)
    assert ("Kết quả sau kết luận: thay đổi mức xếp loại từ \"Hoàn thành nhiệm vụ\" thành \"Hoàn thành tốt nhiệm vụ\"; "
            "cấp có thẩm quyền ban hành quyết định xếp loại lại theo quy định.") in text


# -- regrade_decision ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def regrade(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("xep_loai_lai")
    result = CliRunner().invoke(main, ["render", str(REGRADE), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out / "quyet_dinh_xep_loai_lai.docx"


def test_regrade_decision_cancels_the_old_result_and_sets_the_new_one(regrade):
    assert header_cells(regrade) == (
        ["ĐẢNG BỘ HUYỆN TÂN PHÚ", "ĐẢNG ỦY XÃ TÂN LẬP", "*", "Số 63-QĐ/ĐU"],
        ["ĐẢNG CỘNG SẢN VIỆT NAM", "", "Tân Lập, ngày 15 tháng 01 năm 2025"],
    )
    text = lines(regrade)
    i = text.index("QUYẾT ĐỊNH")
    assert text[i + 1:i + 3] == [
        "Về việc hủy bỏ kết quả và xếp loại lại chất lượng đảng viên năm 2024",
        "đối với đồng chí Trương Văn Bình",
    ]
    assert text[i + 4] == "Căn cứ Điều lệ Đảng Cộng sản Việt Nam;"
    assert "Xét đề nghị của Chi bộ Thôn Bắc," in text
    j = text.index("ĐẢNG ỦY XÃ TÂN LẬP QUYẾT ĐỊNH:")
    assert text[j + 1] == (
        "Điều 1. Hủy bỏ kết quả xếp loại chất lượng đảng viên năm 2024 đối với đồng chí Trương Văn Bình ở mức "
        "\"Hoàn thành tốt nhiệm vụ\" đã công bố tại Quyết định số 49-QĐ/ĐU ngày 12/12/2024; xếp loại lại chất lượng "
        "năm 2024 đối với đồng chí Trương Văn Bình ở mức \"Hoàn thành nhiệm vụ\" (lý do tại Phụ lục kèm theo)."
    )
    assert text[j + 2] == ("Điều 2. Quyết định có hiệu lực kể từ ngày ký. Các tổ chức, cá nhân có liên quan và đồng chí "
                           "Trương Văn Bình chịu trách nhiệm thi hành Quyết định này.")
    assert "- Đồng chí Trương Văn Bình," in text and "Đặng Quốc Toàn" in text
    k = text.index("PHỤ LỤC")
    assert text[k + 1:k + 3] == [
        "KẾT QUẢ XẾP LOẠI LẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM 2024",
        "(Kèm theo Quyết định số 63-QĐ/ĐU ngày 15/01/2025)",
    ]


def test_regrade_annex_keeps_the_old_level_beside_the_new_one(regrade):
    table = docx.Document(str(regrade)).tables[-1]
    rows = [["\n".join(p.text for p in c.paragraphs) for c in row.cells] for row in table.rows]
    assert rows[0] == ["TT", "Họ và tên", "Mức cũ (bị hủy bỏ)", "Mức mới", "Lý do"]
    assert rows[1][:4] == ["1", "Trương Văn Bình", "Hoàn thành tốt nhiệm vụ\n(Quyết định số 49-QĐ/ĐU ngày 12/12/2024)",
                           "Hoàn thành nhiệm vụ"]
    assert rows[1][4].split("\n") == [
        "Ủy ban Kiểm tra Đảng ủy xã kết luận đồng chí báo cáo không trung thực thời gian nghỉ ốm năm 2024: thực tế nghỉ "
        "03 tháng 12 ngày nhưng báo cáo Chi bộ 45 ngày.",
        "Theo hướng dẫn của Ban Thường vụ Huyện ủy, đảng viên nghỉ ốm từ 03 tháng trở lên trong năm không xếp loại mức "
        "\"Hoàn thành tốt nhiệm vụ\" trở lên.",
    ]


def test_regrade_of_an_organisation_with_its_own_article_2(tmp_path):
    data = load(REGRADE)
    data["ho_ten_doi_tuong"] = "Chi bộ Thôn Bắc"
    data["dieu_thi_hanh"] = ["Quyết định có hiệu lực kể từ ngày ký.", "Văn phòng Đảng ủy và Chi bộ Thôn Bắc thi hành."]
    data["quyet_dinh_cu"] = {"van_ban": "Quyết định số 50-QĐ/ĐU"}
    data["to_chuc"] = "chi_bo_thon_bac"
    text = render_variant(tmp_path, data)
    assert "Về việc hủy bỏ kết quả và xếp loại lại chất lượng tổ chức đảng năm 2024" in text
    assert "đối với Chi bộ Thôn Bắc" in text
    assert any(line.startswith("Điều 1. Hủy bỏ kết quả xếp loại chất lượng tổ chức đảng năm 2024 đối với Chi bộ Thôn Bắc ở mức "
                               "\"Hoàn thành tốt nhiệm vụ\" đã công bố tại Quyết định số 50-QĐ/ĐU;") for line in text)
    assert "Điều 2. Quyết định có hiệu lực kể từ ngày ký." in text
    assert "Văn phòng Đảng ủy và Chi bộ Thôn Bắc thi hành." in text
    assert "KẾT QUẢ XẾP LOẠI LẠI CHẤT LƯỢNG TỔ CHỨC ĐẢNG NĂM 2024" in text and "Tổ chức đảng" in text


# -- schema rules ----------------------------------------------------------------------------------
def _regrade() -> dict:
    return load(REGRADE)


def _complaint() -> dict:
    return load(VAN_BAN / "hs_khieu_nai_vu_thi_lan.yaml")


def _letter() -> dict:
    return load(VAN_BAN / "hs_goi_y_dang_uy_xa.yaml")


def _residence() -> dict:
    return load(VAN_BAN / "hs_nhan_xet_cu_tru_nguyen_van_hung.yaml")


def _supplement() -> dict:
    return load(VAN_BAN / "hs_bo_sung_ho_so_do_minh_tuan.yaml")


def _set(data: dict, **changes) -> dict:
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def _drop(data: dict, dotted: str) -> dict:
    *parents, last = dotted.split(".")
    node = data
    for key in parents:
        node = node[key]
    del node[last]
    return data


INVALID = [
    ("regrade-same-level", lambda: _set(_regrade(), muc_moi="HTTNV"), "$.muc_moi", "phải khác mức cũ"),
    ("regrade-both-subjects", lambda: _set(_regrade(), to_chuc="chi_bo_thon_bac", thanh_vien="truong_van_binh"),
     "$.thanh_vien", "Chỉ ghi một trong hai"),
    ("regrade-no-old-decision", lambda: _set(_regrade(), quyet_dinh_cu=None), "$.quyet_dinh_cu", "Thiếu mục bắt buộc"),
    ("regrade-no-reason", lambda: _set(_regrade(), ly_do=[]), "$.ly_do", "cần ít nhất 1 mục"),
    ("regrade-no-number", lambda: _set(_regrade(), so_van_ban=None), "$.so_van_ban", "Thiếu mục bắt buộc"),
    ("complaint-notified-without-conclusion", lambda: _set(_complaint(), ket_luan=None), "$.ket_luan",
     "phải có kết luận"),
    ("complaint-conclusion-without-level", lambda: _drop(_complaint(), "ket_luan.muc_sau_ket_luan"),
     "$.ket_luan.muc_sau_ket_luan", "Mức xếp loại sau kết luận"),
    ("complaint-both-subjects", lambda: _set(_complaint(), to_chuc="chi_bo_co_quan"), "$.thanh_vien",
     "Chỉ ghi một trong hai"),
    ("complaint-no-complainant-name", lambda: _drop(_complaint(), "nguoi_khieu_nai.ho_ten"), "$.nguoi_khieu_nai.ho_ten",
     "Thiếu mục bắt buộc"),
    ("complaint-level-unknown", lambda: _set(_complaint(), ket_qua_bi_khieu_nai={"muc": "Tốt"}),
     "$.ket_qua_bi_khieu_nai.muc", "không hợp lệ"),
    ("letter-both-subjects", lambda: _set(_letter(), thanh_vien="nguyen_van_hung"), "$.thanh_vien", "Chỉ ghi một trong hai"),
    ("letter-no-issue", lambda: _set(_letter(), van_de=[]), "$.van_de", "cần ít nhất 1 mục"),
    ("letter-half-day-steps", lambda: _set(_letter(), so_ngay_hop_toi_thieu=1.25), "$.so_ngay_hop_toi_thieu", "bội số của 0.5"),
    ("residence-no-civic-duty", lambda: _drop(_residence(), "nhan_xet.nghia_vu_cong_dan"), "$.nhan_xet.nghia_vu_cong_dan",
     "Thiếu mục bắt buộc"),
    ("residence-confirmation-unsigned", lambda: _drop(_residence(), "xac_nhan_dang_uy.nguoi_ky"),
     "$.xac_nhan_dang_uy.nguoi_ky", "Thiếu mục bắt buộc"),
    ("residence-no-address", lambda: _drop(_residence(), "dang_vien.noi_cu_tru"), "$.dang_vien.noi_cu_tru", "Nơi cư trú"),
    ("supplement-change-without-content", lambda: _set(_supplement(), thay_doi={"khen_thuong": [{"thoi_gian": "2024"}]}),
     "$.thay_doi.khen_thuong[0].noi_dung", "Thiếu mục bắt buộc"),
    ("supplement-unknown-category", lambda: _set(_supplement(), thay_doi={"ly_luan_chinh_tr": []}),
     "$.thay_doi.ly_luan_chinh_tr", "Có phải là 'ly_luan_chinh_tri'?"),
]


@pytest.mark.parametrize(("name", "make", "path", "message"), INVALID, ids=[c[0] for c in INVALID])
def test_schema_rule_reports_its_json_path(name, make, path, message, tmp_path, cli):
    src = tmp_path / f"{name}.yaml"
    src.write_text(yaml.safe_dump(make(), allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = cli("validate", "--format", "json", src)
    assert result.exit_code == 1, result.stdout
    errors = {f["json_path"]: f for f in json.loads(result.stdout)["findings"] if f["severity"] == "error"}
    assert set(errors) == {path}, errors
    assert errors[path]["rule_id"] == "SCHEMA"
    assert message in errors[path]["message_vi"], errors[path]["message_vi"]


def test_demo_documents_and_regrade_example_are_valid(cli):
    files = sorted(VAN_BAN.glob("hs_*.yaml")) + [REGRADE]
    assert len(files) == 6
    result = cli("validate", *files)
    assert result.exit_code == 0, result.stdout
    assert "0 lỗi" in result.stdout


# -- the unit's rules read these documents -------------------------------------------------------
@pytest.fixture
def demo_copy(tmp_path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(DEMO, target)
    return target


def _check(cli, folder: Path) -> list[dict]:
    result = cli("check", "--format", "json", folder)
    return json.loads(result.stdout)["findings"]


def test_unnotified_conclusion_is_a_complaint_reply_error(demo_copy, cli):
    path = demo_copy / "van_ban" / "hs_khieu_nai_vu_thi_lan.yaml"
    path.write_text(yaml.safe_dump(_set(load(path), ngay_thong_bao=None), allow_unicode=True, sort_keys=False), encoding="utf-8")
    found = [f for f in _check(cli, demo_copy) if f["rule_id"] == "COMPLAINT-REPLY"]
    assert [(f["file"], f["json_path"], f["severity"]) for f in found] == [(str(path), "$.ngay_thong_bao", "error")]


def test_unknown_member_code_is_reported(demo_copy, cli):
    path = demo_copy / "van_ban" / "hs_nhan_xet_cu_tru_nguyen_van_hung.yaml"
    path.write_text(yaml.safe_dump(_set(load(path), thanh_vien="nguyen_van_a"), allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    found = [f for f in _check(cli, demo_copy) if f["file"] == str(path)]
    assert [(f["rule_id"], f["json_path"]) for f in found] == [("SCHEMA", "$.thanh_vien")]
    assert "nguyen_van_a" in found[0]["message_vi"]


def test_regrade_decision_must_keep_the_decided_level(demo_copy, cli):
    data = _set(_regrade(), thanh_vien="vu_thi_lan", ho_ten_doi_tuong="Vũ Thị Lan", muc_cu="HTTNV", muc_moi="KHTNV")
    data["don_vi"] = {"cap_tren": "ĐẢNG BỘ HUYỆN TÂN PHÚ", "ten": "ĐẢNG ỦY XÃ HÒA BÌNH"}
    path = demo_copy / "van_ban" / "hs_xep_loai_lai_vu_thi_lan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    found = [f for f in _check(cli, demo_copy) if f["rule_id"] == "REGRADE-KEEP"]
    assert [(f["file"], f["json_path"]) for f in found] == [(str(path), "$.muc_cu")]
