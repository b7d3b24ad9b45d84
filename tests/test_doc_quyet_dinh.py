"""Documents of spec §2.8–2.9 (module quyet_dinh): proposal summary, appraisal summary, grading decision, result notice.

The demo unit is rendered once; each DOCX is reopened and its key lines and every computed number are
checked against the unit's facts. Schema rules are checked on small invalid instances.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

import generator.cli
from conftest import DEMO, docx_text
from generator.source import load_unit

LEVELS = ["HTXSNV", "HTTNV", "HTNV", "KHTNV"]
MINE = sorted(p.name for p in (DEMO / "van_ban").glob("qd_*.yaml"))


def _render(unit: Path, out: Path) -> Path:
    result = CliRunner().invoke(generator.cli.main, ["render", str(unit), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out / "van_ban"


@pytest.fixture(scope="module")
def rendered(demo_docx) -> Path:
    return demo_docx / "van_ban"


@pytest.fixture(scope="module")
def facts(demo_facts) -> dict:
    return demo_facts


def text(rendered: Path, name: str) -> str:
    return docx_text(rendered / f"{name}.docx")


def lines(rendered: Path, name: str) -> list[str]:
    return text(rendered, name).splitlines()


def run_after(seq: list[str], first: str, n: int) -> list[str]:
    """The ``n`` lines starting at the first line equal to ``first`` (a table row read cell by cell)."""
    i = seq.index(first)
    return seq[i:i + n]


def test_demo_instances_present():
    assert MINE == [
        "qd_thong_bao_tran_thi_mai.yaml", "qd_thong_bao_vu_thi_lan.yaml",
        "qd_tong_hop_de_xuat_chi_bo_co_quan.yaml", "qd_tong_hop_de_xuat_chi_bo_thon_dong.yaml",
        "qd_tong_hop_tham_dinh.yaml", "qd_xep_loai_chi_bo.yaml", "qd_xep_loai_dang_vien.yaml",
    ]


# -- 1. proposal summary ------------------------------------------------------------------------
def test_proposal_summary_header_and_title(rendered):
    seq = lines(rendered, "qd_tong_hop_de_xuat_chi_bo_co_quan")
    assert seq[:7] == ["ĐẢNG BỘ XÃ HÒA BÌNH", "CHI BỘ CƠ QUAN XÃ", "*", "ĐẢNG CỘNG SẢN VIỆT NAM", "", "Hòa Bình, ngày 06 tháng 12 năm 2024", ""]
    assert "TỔNG HỢP ĐỀ XUẤT MỨC CHẤT LƯỢNG ĐẢNG VIÊN\nCỦA CÁC CHỦ THỂ NĂM 2024\n(Chi bộ Cơ quan xã, hội nghị kiểm điểm ngày 06/12/2024)\n" in "\n".join(seq)
    for head in ["(1) Đảng viên tự đánh giá, xếp loại", "(2) Xếp loại CBCCVC", "(3) Chi ủy đề xuất",
                 "(4) Tập thể lãnh đạo đoàn thể", "(5) Chi bộ đánh giá, xếp loại", "Ghi chú"]:
        assert head in seq


def test_proposal_summary_rows_come_from_the_unit(rendered, facts):
    seq = lines(rendered, "qd_tong_hop_de_xuat_chi_bo_co_quan")
    assert run_after(seq, "Trần Thị Mai", 8) == [
        "Trần Thị Mai", "Phó Bí thư Thường trực Đảng ủy xã; Chủ tịch Hội đồng nhân dân xã",
        "HTXSNV", "HTXSNV", "HTXSNV", "", "HTXSNV", "",
    ]
    assert run_after(seq, "Vũ Thị Lan", 8) == [
        "Vũ Thị Lan", "Công chức Tư pháp - Hộ tịch", "HTNV", "HTNV", "HTNV", "", "HTNV", "Nghỉ ốm từ 04/3 đến 12/7/2024",
    ]
    assert run_after(seq, "Ngô Thị Thu Hà", 8) == ["Ngô Thị Thu Hà", "", "", "", "", "", "", "Đảng viên mới kết nạp chưa đủ 6 tháng"]
    members = facts["to_chuc_theo_ma"]["chi_bo_co_quan"]["thanh_vien"]
    assert len(members) == 8
    for number, m in enumerate(members, start=1):
        row = run_after(seq, m["ho_ten"], 7)
        assert seq[seq.index(m["ho_ten"]) - 1] == str(number)
        assert row[2:7] == [m[k] or "" for k in ("muc_tu_nhan", "muc_cbccvc", "muc_chi_uy", "muc_doan_the", "muc_bo_phieu")]


def test_proposal_summary_totals_legend_and_signature(rendered):
    body = text(rendered, "qd_tong_hop_de_xuat_chi_bo_co_quan")
    assert ("Tổng số đảng viên của chi bộ: 8; đã kiểm điểm: 7; chưa kiểm điểm, xếp loại: 1. "
            "Chi bộ đánh giá, xếp loại (cột 5): 1 HTXSNV; 5 HTTNV; 1 HTNV; 0 KHTNV.\n") in body
    assert ("Ghi chú: HTXSNV: Hoàn thành xuất sắc nhiệm vụ; HTTNV: Hoàn thành tốt nhiệm vụ; HTNV: Hoàn thành nhiệm vụ; "
            "KHTNV: Không hoàn thành nhiệm vụ.") in body
    assert "(kiểm phiếu ngày 06/12/2024)." in body
    assert "Nơi nhận:\n- Đảng ủy xã Hòa Bình (để báo cáo),\n- Lưu Chi bộ.\nT/M CHI ỦY\nBÍ THƯ\n\n\n\nPhạm Thị Hồng Nhung\n" in body


def test_proposal_summary_thon_dong(rendered):
    seq = lines(rendered, "qd_tong_hop_de_xuat_chi_bo_thon_dong")
    assert run_after(seq, "Đinh Thị Hoa", 8) == [
        "Đinh Thị Hoa", "Phó Bí thư Chi bộ Thôn Đông; Chi hội trưởng Chi hội Phụ nữ thôn Đông",
        "HTTNV", "", "HTTNV", "HTTNV", "HTTNV", "Cột (4): Ban Chấp hành Hội Phụ nữ xã",
    ]
    assert run_after(seq, "Trịnh Thị Ngọc", 8)[2:] == ["HTTNV", "HTTNV", "HTTNV", "", "HTTNV", "Nghỉ thai sản từ 01/02 đến 31/7/2024"]
    body = "\n".join(seq)
    assert "(Chi bộ Thôn Đông, hội nghị kiểm điểm ngày 07/12/2024)" in body
    assert ("Tổng số đảng viên của chi bộ: 5; đã kiểm điểm: 5; chưa kiểm điểm, xếp loại: 0. "
            "Chi bộ đánh giá, xếp loại (cột 5): 0 HTXSNV; 5 HTTNV; 0 HTNV; 0 KHTNV.") in body
    assert "T/M CHI BỘ\nBÍ THƯ\n\n\n\nHoàng Văn Thắng" in body


# -- 2. appraisal summary -------------------------------------------------------------------------
def test_appraisal_summary(rendered, facts):
    seq = lines(rendered, "qd_tong_hop_tham_dinh")
    body = "\n".join(seq)
    assert seq[:4] == ["ĐẢNG BỘ HUYỆN TÂN PHÚ", "ĐẢNG ỦY XÃ HÒA BÌNH", "*", "Số 46-BC/ĐU"]
    assert ("TỔNG HỢP KẾT QUẢ THẨM ĐỊNH\nđánh giá, xếp loại chất lượng tổ chức đảng năm 2024\n"
            "(Các tổ chức trực thuộc Đảng bộ xã Hòa Bình)") in body
    assert "Ban Thường vụ Đảng ủy xã Hòa Bình đã thẩm định báo cáo kiểm điểm, tự đánh giá, xếp loại chất lượng năm 2024 của 2 tổ chức," in body
    assert seq[seq.index("Tên tổ chức") - 1:seq.index("Tên tổ chức") + 6] == [
        "TT", "Tên tổ chức", "Tự đánh giá, xếp loại", "Ý kiến các chủ thể", "Kết quả thẩm định", "Đề xuất", "Ghi chú"]
    for ma in facts["to_chuc_theo_ma"]["dang_bo_xa"]["truc_thuoc"]:
        org = facts["to_chuc_theo_ma"][ma]
        row = run_after(seq, org["ten"], 6)
        score = facts["cham_diem_theo_ma"].get(ma)
        points = f" ({str(score['tong']).replace('.', ',')} điểm)" if score else ""
        assert row[1] == org["tu_nhan_muc"]
        assert row[3] == org["tham_dinh"]["muc"] + points
        assert row[4] == org["tham_dinh"]["muc"]
        assert row[5] == ""
    assert run_after(seq, "Chi bộ Thôn Đông", 6)[1:3] == [
        "HTXSNV",
        "Ủy ban Kiểm tra Đảng ủy: không có đơn thư, vi phạm. Ủy ban Mặt trận Tổ quốc xã, Hội Phụ nữ xã và Ban Công tác "
        "Mặt trận thôn nhất trí; ghi nhận thôn hoàn thành 12/12 chỉ tiêu, hoàn thành đường trục thôn.",
    ]
    assert ("Kết quả thẩm định: 1 tổ chức Hoàn thành xuất sắc nhiệm vụ; 1 tổ chức Hoàn thành tốt nhiệm vụ; "
            "0 tổ chức Hoàn thành nhiệm vụ; 0 tổ chức Không hoàn thành nhiệm vụ.") in seq
    assert "Không có tổ chức nào có kết quả thẩm định khác mức tự đánh giá, xếp loại." in seq
    assert "T/M BAN THƯỜNG VỤ\nBÍ THƯ\n\n\n\nNguyễn Văn Hùng" in body


def _unit_copy(tmp_path: Path, old: str, new: str) -> Path:
    """The demo unit with only this module's documents, and one text of don_vi.yaml replaced."""
    unit = tmp_path / "don_vi"
    shutil.copytree(DEMO, unit, ignore=lambda folder, names: ["van_ban"] if Path(folder) == DEMO else [])
    (unit / "van_ban").mkdir()
    for name in MINE:
        shutil.copy(DEMO / "van_ban" / name, unit / "van_ban" / name)
    manifest = (DEMO / "don_vi.yaml").read_text(encoding="utf-8")
    assert old in manifest
    (unit / "don_vi.yaml").write_text(manifest.replace(old, new), encoding="utf-8")
    return unit


APPRAISED = 'tham_dinh: {muc: HTTNV, co_quan: "Ban Thường vụ Đảng ủy xã Hòa Bình", ngay: 2024-12-10}'


def test_appraisal_difference_without_reason_is_flagged(tmp_path):
    unit = _unit_copy(tmp_path, APPRAISED, APPRAISED.replace("HTTNV", "HTNV"))
    seq = docx_text(_render(unit, tmp_path / "out") / "qd_tong_hop_tham_dinh.docx").splitlines()
    assert run_after(seq, "Chi bộ Cơ quan xã", 6)[3].startswith("HTNV")
    assert run_after(seq, "Chi bộ Cơ quan xã", 6)[4:] == ["HTNV", "(chưa ghi lý do)"]
    assert "Có 1 tổ chức có kết quả thẩm định khác mức tự đánh giá, xếp loại:" in seq
    assert ("- Chi bộ Cơ quan xã: tự đánh giá Hoàn thành tốt nhiệm vụ, kết quả thẩm định Hoàn thành nhiệm vụ. "
            "Lý do: (chưa ghi lý do)") in seq
    assert ("Kết quả thẩm định: 1 tổ chức Hoàn thành xuất sắc nhiệm vụ; 0 tổ chức Hoàn thành tốt nhiệm vụ; "
            "1 tổ chức Hoàn thành nhiệm vụ; 0 tổ chức Không hoàn thành nhiệm vụ.") in seq


def test_appraisal_difference_prints_its_reason(tmp_path):
    reason = "Còn 02 chỉ tiêu nghị quyết chưa đạt"
    unit = _unit_copy(tmp_path, APPRAISED, APPRAISED.replace("muc: HTTNV,", f'muc: HTNV, ly_do: "{reason}",'))
    seq = docx_text(_render(unit, tmp_path / "out") / "qd_tong_hop_tham_dinh.docx").splitlines()
    assert run_after(seq, "Chi bộ Cơ quan xã", 6)[5] == reason
    assert f"- Chi bộ Cơ quan xã: tự đánh giá Hoàn thành tốt nhiệm vụ, kết quả thẩm định Hoàn thành nhiệm vụ. Lý do: {reason}" in seq


# -- 3. grading decisions -------------------------------------------------------------------------
def test_member_decision(rendered, facts):
    seq = lines(rendered, "qd_xep_loai_dang_vien")
    body = "\n".join(seq)
    assert seq[:4] == ["ĐẢNG BỘ HUYỆN TÂN PHÚ", "ĐẢNG ỦY XÃ HÒA BÌNH", "*", "Số 57-QĐ/ĐU"]
    assert "QUYẾT ĐỊNH\nCông nhận xếp loại chất lượng đảng viên năm 2024\n" in body
    assert ("Căn cứ kết quả kiểm phiếu xếp loại chất lượng đảng viên tại hội nghị kiểm điểm của "
            "Chi bộ Cơ quan xã ngày 06/12/2024, Chi bộ Thôn Đông ngày 07/12/2024;") in seq
    assert "BAN CHẤP HÀNH ĐẢNG BỘ XÃ HÒA BÌNH QUYẾT ĐỊNH" in seq
    graded = [m for m in facts["thanh_vien"] if m["muc"]]
    assert len(graded) == facts["thong_ke"]["da_xep_loai"] == 12
    assert "Điều 1. Xếp loại chất lượng đảng viên năm 2024 cho 12 đảng viên. (Có danh sách kèm theo)" in seq
    assert ("Trong đó: Hoàn thành xuất sắc nhiệm vụ: 1 đảng viên (8,3%); Hoàn thành tốt nhiệm vụ: 10 đảng viên (83,3%); "
            "Hoàn thành nhiệm vụ: 1 đảng viên (8,3%); Không hoàn thành nhiệm vụ: 0 đảng viên (0%).") in seq
    assert ("Chưa xếp loại chất lượng năm 2024: 1 đảng viên (đồng chí Ngô Thị Thu Hà, Chi bộ Cơ quan xã: "
            "đảng viên mới kết nạp chưa đủ 6 tháng).") in seq
    assert seq[seq.index("Điều 2. Văn phòng Đảng ủy, các chi bộ trực thuộc và các đồng chí có tên tại Điều 1 căn cứ "
                         "Quyết định thi hành. Quyết định có hiệu lực kể từ ngày ký.") + 1:][:9] == [
        "Nơi nhận:", "- Như Điều 2,", "- Ban Tổ chức Huyện ủy Tân Phú (để báo cáo),", "- Lưu Văn phòng Đảng ủy.",
        "T/M ĐẢNG ỦY", "BÍ THƯ", "", "", ""]
    # annex on a new page
    assert "DANH SÁCH XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM 2024" in seq
    assert "(Kèm theo Quyết định số 57-QĐ/ĐU ngày 12 tháng 12 năm 2024 của Ban Chấp hành Đảng bộ xã Hòa Bình)" in seq
    annex = seq[seq.index("DANH SÁCH XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM 2024"):]
    assert annex[2:6] == ["TT", "Họ và tên", "Chi bộ", "Xếp loại"]
    rows = [annex[6 + 4 * i:10 + 4 * i] for i in range(12)]
    assert rows == [[str(i), m["ho_ten"], m["ten_chi_bo"], m["muc_ten"]] for i, m in enumerate(graded, start=1)]
    assert rows[1] == ["2", "Trần Thị Mai", "Chi bộ Cơ quan xã", "Hoàn thành xuất sắc nhiệm vụ"]
    assert rows[5] == ["6", "Vũ Thị Lan", "Chi bộ Cơ quan xã", "Hoàn thành nhiệm vụ"]
    assert "Ngô Thị Thu Hà" not in annex
    assert annex[-1] == "Danh sách gồm 12 đảng viên."
    xml = docx.Document(str(rendered / "qd_xep_loai_dang_vien.docx")).element.xml
    assert xml.count("<w:pageBreakBefore/>") == 1 and "w:type=\"page\"" not in xml


def test_org_decision(rendered, facts):
    seq = lines(rendered, "qd_xep_loai_chi_bo")
    body = "\n".join(seq)
    assert seq[3] == "Số 58-QĐ/ĐU"
    # don_vi.yaml records this decision for both chi bộ
    chi_bo = [o for o in facts["to_chuc"] if o["loai"] == "chi_bo_truc_thuoc"]
    assert {o["quyet_dinh"]["van_ban"] for o in chi_bo} == {"Số 58-QĐ/ĐU"}
    assert "QUYẾT ĐỊNH\nCông nhận xếp loại chất lượng các chi bộ trực thuộc năm 2024\n" in body
    assert ("Căn cứ kết quả thẩm định đánh giá, xếp loại chất lượng các chi bộ trực thuộc năm 2024 của "
            "Ban Thường vụ Đảng ủy xã Hòa Bình ngày 10/12/2024;") in seq
    assert "Điều 1. Xếp loại chất lượng năm 2024 cho 2 chi bộ trực thuộc. (Có danh sách kèm theo)" in seq
    assert ("Trong đó: Hoàn thành xuất sắc nhiệm vụ: 1 chi bộ; Hoàn thành tốt nhiệm vụ: 1 chi bộ; "
            "Hoàn thành nhiệm vụ: 0 chi bộ; Không hoàn thành nhiệm vụ: 0 chi bộ.") in seq
    assert "Chưa xếp loại chất lượng" not in body
    annex = seq[seq.index("DANH SÁCH XẾP LOẠI CHẤT LƯỢNG CÁC CHI BỘ TRỰC THUỘC NĂM 2024"):]
    assert annex[1] == "(Kèm theo Quyết định số 58-QĐ/ĐU ngày 12 tháng 12 năm 2024 của Ban Chấp hành Đảng bộ xã Hòa Bình)"
    assert annex[2:14] == [
        "TT", "Tên chi bộ", "Số đảng viên", "Xếp loại",
        "1", "Chi bộ Cơ quan xã", "8", "Hoàn thành tốt nhiệm vụ",
        "2", "Chi bộ Thôn Đông", "5", "Hoàn thành xuất sắc nhiệm vụ",
    ]
    assert annex[-1] == "Danh sách gồm 2 chi bộ."


# -- 4. result notices ----------------------------------------------------------------------------
def test_notice_with_chi_uy_comments(rendered, facts):
    seq = lines(rendered, "qd_thong_bao_vu_thi_lan")
    body = "\n".join(seq)
    assert seq[3] == "Số 31-TB/ĐU"
    assert "THÔNG BÁO\nKết quả đánh giá, xếp loại chất lượng năm 2024\n" in body
    assert ("Căn cứ Quyết định số 57-QĐ/ĐU ngày 12/12/2024 của Ban Chấp hành Đảng bộ xã Hòa Bình về công nhận xếp loại "
            "chất lượng năm 2024, Đảng ủy xã Hòa Bình thông báo kết quả đánh giá, xếp loại chất lượng năm 2024 đối với "
            "đồng chí Vũ Thị Lan, Công chức Tư pháp - Hộ tịch, đảng viên Chi bộ Cơ quan xã như sau:") in seq
    assert facts["thanh_vien_theo_ma"]["vu_thi_lan"]["muc"] == "HTNV"
    assert "1. Mức xếp loại chất lượng: Hoàn thành nhiệm vụ." in seq
    assert "2. Ưu điểm, hạn chế chủ yếu (nhận xét, đánh giá của chi ủy):" in seq
    comment = facts["thanh_vien_theo_ma"]["vu_thi_lan"]["nhan_xet_chi_uy"]
    i = seq.index("2. Ưu điểm, hạn chế chủ yếu (nhận xét, đánh giá của chi ủy):")
    assert seq[i + 1:i + 1 + len(comment)] == comment
    assert ("3. Trường hợp không nhất trí với kết quả đánh giá, xếp loại, đồng chí có quyền trình bày ý kiến, khiếu nại "
            "bằng văn bản gửi Đảng ủy xã Hòa Bình trong thời hạn 10 ngày kể từ ngày nhận được Thông báo này; trong thời "
            "gian chờ xem xét, giải quyết vẫn phải chấp hành kết luận của tổ chức.") in seq
    assert ("Đảng ủy xã Hòa Bình thông báo để đồng chí Vũ Thị Lan và Ủy ban nhân dân xã Hòa Bình (cơ quan, đơn vị quản lý) "
            "biết, thực hiện.") in seq
    assert ("Nơi nhận:\n- Đồng chí Vũ Thị Lan,\n- Ủy ban nhân dân xã Hòa Bình,\n- Chi bộ Cơ quan xã,\n- Lưu Văn phòng Đảng ủy.\n"
            "T/M ĐẢNG ỦY\nBÍ THƯ\n\n\n\nNguyễn Văn Hùng") in body


def test_notice_with_own_strengths_and_shortcomings(rendered):
    seq = lines(rendered, "qd_thong_bao_tran_thi_mai")
    assert seq[3] == "Số 32-TB/ĐU"
    assert any("đối với đồng chí Trần Thị Mai, Phó Bí thư Thường trực Đảng ủy xã, Chủ tịch Hội đồng nhân dân xã, "
               "đảng viên Chi bộ Cơ quan xã như sau:" in line for line in seq)
    assert "1. Mức xếp loại chất lượng: Hoàn thành xuất sắc nhiệm vụ." in seq
    i, j = seq.index("2. Ưu điểm chủ yếu:"), seq.index("3. Hạn chế, khuyết điểm chủ yếu:")
    assert j - i == 3
    assert seq[i + 1].startswith("Có phẩm chất chính trị, đạo đức, lối sống trong sáng;")
    assert seq[j + 1].startswith("Thời gian dành cho việc lắng nghe ý kiến đảng viên ở chi bộ thôn còn ít;")
    assert seq[j + 2].startswith("4. Trường hợp không nhất trí với kết quả đánh giá, xếp loại, đồng chí có quyền")
    assert "nhận xét, đánh giá của chi ủy" not in "\n".join(seq)
    assert seq[seq.index("Nơi nhận:") + 1:seq.index("Nơi nhận:") + 6] == [
        "- Đồng chí Trần Thị Mai,", "- Ban Thường vụ Huyện ủy Tân Phú,", "- Ban Tổ chức Huyện ủy Tân Phú,",
        "- Chi bộ Cơ quan xã,", "- Lưu Văn phòng Đảng ủy.",
    ]


# -- schema rules ---------------------------------------------------------------------------------
NOTICE = {
    "bieu_mau": "thong_bao_ket_qua", "ky_danh_gia": {"nam": 2024}, "thanh_vien": "vu_thi_lan",
    "don_vi": {"cap_tren": "ĐẢNG BỘ HUYỆN TÂN PHÚ", "ten": "ĐẢNG ỦY XÃ HÒA BÌNH"},
    "so_van_ban": {"so": 31, "ky_hieu": "TB/ĐU"}, "co_quan": "Đảng ủy xã Hòa Bình", "gui_den": "Ủy ban nhân dân xã Hòa Bình",
    "quyet_dinh": {"so_van_ban": {"so": 57, "ky_hieu": "QĐ/ĐU"}}, "chu_ky": {"ho_ten": "Nguyễn Văn Hùng"},
}
DECISION = {
    "bieu_mau": "quyet_dinh_xep_loai", "ky_danh_gia": {"nam": 2024}, "doi_tuong": "dang_vien",
    "don_vi": {"cap_tren": "ĐẢNG BỘ HUYỆN TÂN PHÚ", "ten": "ĐẢNG ỦY XÃ HÒA BÌNH"},
    "so_van_ban": {"so": 57, "ky_hieu": "QĐ/ĐU"}, "ngay_lap": "2024-12-12", "can_cu": ["Căn cứ Điều lệ Đảng;"],
    "dieu_2": "Văn phòng Đảng ủy thi hành Quyết định này.", "chu_ky": {"ho_ten": "Nguyễn Văn Hùng"},
}
PROPOSAL = {
    "bieu_mau": "tong_hop_de_xuat", "ky_danh_gia": {"nam": 2024}, "to_chuc": "chi_bo_co_quan",
    "don_vi": {"cap_tren": "ĐẢNG BỘ XÃ HÒA BÌNH", "ten": "CHI BỘ CƠ QUAN XÃ"}, "chu_ky": {"ho_ten": "Phạm Thị Hồng Nhung"},
}
APPRAISAL = {
    "bieu_mau": "tong_hop_tham_dinh", "ky_danh_gia": {"nam": 2024},
    "don_vi": {"cap_tren": "ĐẢNG BỘ HUYỆN TÂN PHÚ", "ten": "ĐẢNG ỦY XÃ HÒA BÌNH"}, "so_van_ban": {"so": 46, "ky_hieu": "BC/ĐU"},
    "co_quan_tham_dinh": "Ban Thường vụ Đảng ủy xã Hòa Bình", "chu_ky": {"ho_ten": "Nguyễn Văn Hùng"},
}


def _without(data: dict, *keys: str) -> dict:
    return {k: v for k, v in data.items() if k not in keys}


@pytest.mark.parametrize("base", [NOTICE, DECISION, PROPOSAL, APPRAISAL], ids=lambda d: d["bieu_mau"])
def test_valid_minimal_instances(cli, tmp_path, base):
    path = tmp_path / "ok.json"
    path.write_text(json.dumps(base, ensure_ascii=False), encoding="utf-8")
    result = cli("validate", "--format", "json", path)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("data, json_path, words", [
    ({**NOTICE, "to_chuc": "chi_bo_co_quan"}, "$.to_chuc", "không ghi cả hai"),
    (_without(NOTICE, "thanh_vien"), "$.to_chuc", "thanh_vien (mã đảng viên) hoặc to_chuc"),
    (_without(NOTICE, "quyet_dinh"), "$.quyet_dinh", "số quyết định xếp loại"),
    ({**_without(NOTICE, "thanh_vien", "quyet_dinh"), "to_chuc": "chi_bo_thon_dong"}, "$.uu_diem", "ưu điểm và hạn chế"),
    ({**NOTICE, "uu_diem": ["Gương mẫu."]}, "$.han_che", "ghi cả hạn chế"),
    ({**NOTICE, "han_che": ["Còn chậm."]}, "$.uu_diem", "ghi cả hạn chế"),
    ({**NOTICE, "so_van_ban": {"so": 3, "ky_hieu": "BC/ĐU"}}, "$.so_van_ban.ky_hieu", "TB/"),
    ({**NOTICE, "han_khieu_nai_ngay": 0}, "$.han_khieu_nai_ngay", "từ 1"),
    ({**DECISION, "so_van_ban": {"so": 57, "ky_hieu": "BC/ĐU"}}, "$.so_van_ban.ky_hieu", "QĐ/"),
    ({**DECISION, "doi_tuong": "tap_the"}, "$.doi_tuong", "'dang_vien', 'to_chuc'"),
    ({**DECISION, "can_cu": []}, "$.can_cu", "ít nhất 1"),
    (_without(DECISION, "dieu_2"), "$.dieu_2", "Điều 2"),
    (_without(DECISION, "so_van_ban"), "$.so_van_ban", "Thiếu"),
    ({**PROPOSAL, "ghi_chu": {"Vũ Thị Lan": "Nghỉ ốm"}}, "$.ghi_chu", "mã đảng viên"),
    ({**PROPOSAL, "so_van_ban": {"so": 1, "ky_hieu": "BC/CB"}}, "$.so_van_ban", "không có trong biểu mẫu"),
    (_without(PROPOSAL, "to_chuc"), "$.to_chuc", "Chi bộ lập bảng tổng hợp"),
    ({**APPRAISAL, "y_kien": {"Chi bộ Thôn Đông": "Nhất trí"}}, "$.y_kien", "mã tổ chức"),
    ({**APPRAISAL, "de_xuat": {"chi-bo": "HTTNV"}}, "$.de_xuat", "mã tổ chức"),
    (_without(APPRAISAL, "co_quan_tham_dinh"), "$.co_quan_tham_dinh", "Cơ quan thẩm định"),
])
def test_schema_rules(cli, tmp_path, data, json_path, words):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = cli("validate", "--format", "json", path)
    assert result.exit_code == 1, result.output
    found = [f for f in json.loads(result.output)["findings"] if f["json_path"] == json_path]
    assert found, result.output
    assert any(words in f["message_vi"] for f in found), found


def test_unknown_member_code_is_an_error(tmp_path, cli):
    unit = _unit_copy(tmp_path, "ky_danh_gia: {nam: 2024}", "ky_danh_gia: {nam: 2024}")
    notice = unit / "van_ban" / "qd_thong_bao_vu_thi_lan.yaml"
    notice.write_text(notice.read_text(encoding="utf-8").replace("thanh_vien: vu_thi_lan", "thanh_vien: vu_thi_lam"), encoding="utf-8")
    result = cli("check", "--format", "json", unit)
    assert result.exit_code == 1
    found = json.loads(result.output)["findings"]
    assert any(f["json_path"] == "$.thanh_vien" and "vu_thi_lam" in f["message_vi"] for f in found), found


def test_documents_fill_the_dossier_checklist():
    from generator.checklist import PRESENT, evaluate
    from generator.facts import unit_facts

    findings, unit = load_unit(DEMO)
    facts = unit_facts(unit)

    def item(ma: str, code: str):
        subject = next(s for s in [*unit.orgs, *unit.members] if s.ma == ma)
        return next(i for i in evaluate(unit, subject, facts=facts) if i.code == code)

    for chi_bo in ("chi_bo_co_quan", "chi_bo_thon_dong"):
        assert item(chi_bo, "tham_dinh").status == PRESENT
        assert [s.number for s in item(chi_bo, "tham_dinh").sources] == ["46-BC/ĐU"]
        assert [s.number for s in item(chi_bo, "quyet_dinh").sources] == ["58-QĐ/ĐU"]
        assert any(s.form and s.form.data.get("bieu_mau") == "tong_hop_de_xuat" and s.form.data["to_chuc"] == chi_bo
                   for s in item(chi_bo, "khac").sources)
    for ma, number in (("vu_thi_lan", "31-TB/ĐU"), ("tran_thi_mai", "32-TB/ĐU")):
        assert [s.number for s in item(ma, "thong_bao").sources] == [number]


def test_notice_to_an_organisation_takes_the_decision_from_the_unit(tmp_path):
    unit = _unit_copy(tmp_path, "ky_danh_gia: {nam: 2024}", "ky_danh_gia: {nam: 2024}")
    notice = {
        "bieu_mau": "thong_bao_ket_qua", "ky_danh_gia": {"nam": 2024}, "to_chuc": "chi_bo_thon_dong",
        "don_vi": {"cap_tren": "ĐẢNG BỘ HUYỆN TÂN PHÚ", "ten": "ĐẢNG ỦY XÃ HÒA BÌNH"}, "so_van_ban": {"so": 33, "ky_hieu": "TB/ĐU"},
        "dia_danh": "Hòa Bình", "ngay_lap": "2024-12-13", "co_quan": "Đảng ủy xã Hòa Bình", "gui_den": "Ban Công tác Mặt trận thôn Đông",
        "uu_diem": ["Lãnh đạo thôn hoàn thành 12/12 chỉ tiêu nghị quyết."], "han_che": ["Chưa kết nạp được đảng viên mới."],
        "chu_ky": {"ho_ten": "Nguyễn Văn Hùng"},
    }
    (unit / "van_ban" / "qd_thong_bao_chi_bo_thon_dong.yaml").write_text(json.dumps(notice, ensure_ascii=False), encoding="utf-8")
    seq = docx_text(_render(unit, tmp_path / "out") / "qd_thong_bao_chi_bo_thon_dong.docx").splitlines()
    assert ("Căn cứ Quyết định số 58-QĐ/ĐU ngày 12/12/2024 của Đảng ủy xã Hòa Bình về công nhận xếp loại chất lượng năm 2024, "
            "Đảng ủy xã Hòa Bình thông báo kết quả đánh giá, xếp loại chất lượng năm 2024 đối với Chi bộ Thôn Đông như sau:") in seq
    assert "1. Mức xếp loại chất lượng: Hoàn thành xuất sắc nhiệm vụ." in seq
    assert any(line.startswith("4. Trường hợp không nhất trí với kết quả đánh giá, xếp loại, Chi bộ Thôn Đông có quyền") for line in seq)
    assert seq[seq.index("Nơi nhận:") + 1:seq.index("Nơi nhận:") + 3] == ["- Chi bộ Thôn Đông,", "- Ban Công tác Mặt trận thôn Đông."]
    assert "T/M ĐẢNG ỦY" in seq and "BÍ THƯ" in seq
