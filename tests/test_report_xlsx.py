"""The results workbook (generator/report_xlsx.py, ``hoso report UNIT --xlsx FILE``): reopened with openpyxl and compared
with the unit's own data, the rendered Biểu 6F and what ``hoso check`` finds."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import docx
import openpyxl
import pytest
import yaml

from conftest import ROOT, small_unit
from generator import provenance, registry
from generator.errors import UsageError
from generator.facts import unit_facts
from generator.output import PREVIOUS_DIR
from generator.pipeline import check
from generator.render import render_docx
from generator.report_xlsx import STAT_ENTRY, write_report
from generator.source import load_unit

EXAMPLES = ROOT / "examples"
HEADER = 3
"""The header row of every table sheet (title and legend above it)."""


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _rows(ws) -> list[dict]:
    """The table of a sheet as one dict per row, keyed by the header row's titles."""
    header = [c.value for c in ws[HEADER]]
    rows = []
    for values in ws.iter_rows(min_row=HEADER + 1, values_only=True):
        if all(v is None for v in values):
            break
        rows.append(dict(zip(header, values)))
    return rows


def _by(rows: list[dict], key: str) -> dict[str, dict]:
    return {row[key]: row for row in rows}


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, openpyxl.Workbook]:
    """The workbook of each bundled example unit, written once."""
    out = tmp_path_factory.mktemp("bao_cao")
    books = {}
    for name in ("demo_2026", "demo", "demo_2026_q3"):
        target = out / f"{name}.xlsx"
        assert write_report(EXAMPLES / name, target) == []
        books[name] = openpyxl.load_workbook(target)
    return books


# -- members ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["demo_2026", "demo", "demo_2026_q3"])
def test_one_row_per_member_and_per_organisation(reports, name):
    manifest = _yaml(EXAMPLES / name / "don_vi.yaml")
    book = reports[name]
    members = _rows(book["Đảng viên"])
    orgs = _rows(book["Tổ chức"])
    assert [r["Họ và tên"] for r in members] == [m["ho_ten"] for m in manifest["thanh_vien"]]
    assert [r["STT"] for r in members] == list(range(1, len(manifest["thanh_vien"]) + 1))
    assert [r["Tên tổ chức"] for r in orgs] == [o["ten"] for o in manifest["to_chuc"]]


def test_member_levels_and_scores_come_from_their_forms(reports):
    unit = EXAMPLES / "demo_2026"
    form = _yaml(unit / "ca_nhan" / "ngo_thanh_tam.yaml")
    row = _by(_rows(reports["demo_2026"]["Đảng viên"]), "Họ và tên")["Ngô Thanh Tâm"]
    assert row["Tự xếp loại"] == form["tu_danh_gia"]["muc_de_xuat"]
    assert row["Mức đề xuất"] == form["danh_gia_chi_uy"]["muc"]
    assert row["Mức xếp loại (quyết định)"] == form["quyet_dinh_dang_uy"]["muc"]
    assert row["Điểm tự chấm"] == form["tu_danh_gia"]["diem"]["tong"] == 94
    assert row["Điểm thẩm định"] == form["danh_gia_chi_uy"]["diem"]["tong"] == 93
    assert row["Chi bộ"] == "Chi bộ Cơ quan Đảng - Mặt trận xã"
    assert row["Nhóm, vai trò"] == "Cá nhân không giữ chức vụ lãnh đạo, quản lý"
    assert row["Hồ sơ"] == "Đủ"
    assert (row["Số lỗi"], row["Số cảnh báo"]) == (0, 0)


def test_a_regrading_decides_the_member_level(reports):
    regrade = _yaml(EXAMPLES / "demo_2026" / "van_ban" / "qd_xep_loai_lai_ho_van_phat.yaml")
    row = _by(_rows(reports["demo_2026"]["Đảng viên"]), "Họ và tên")["Hồ Văn Phát"]
    assert row["Mức xếp loại (quyết định)"] == regrade["muc_moi"]
    assert row["Kết quả bỏ phiếu"] == "HTNV"  # 2 of 3 votes (don_vi.yaml, bo_phieu)


def test_a_member_not_reviewed_has_no_level_and_no_dossier(reports):
    row = _by(_rows(reports["demo_2026"]["Đảng viên"]), "Họ và tên")["Đặng Thu Trang"]
    assert row["Tự xếp loại"] is None and row["Mức xếp loại (quyết định)"] is None
    assert row["Tình trạng"] == "Chưa kiểm điểm, chưa xếp loại"
    assert row["Hồ sơ"] == "Không lập hồ sơ"
    assert "Kết nạp ngày 02/9/2026" in row["Ghi chú"]


def test_overridden_finding_is_counted_on_its_member(reports):
    row = _by(_rows(reports["demo_2026"]["Đảng viên"]), "Họ và tên")["Trần Văn Hiếu"]
    assert (row["Số lỗi"], row["Số cảnh báo"]) == (0, 1)


def test_qd124_member_score_comes_from_the_scoring_sheet(reports):
    sheet = _yaml(EXAMPLES / "demo" / "diem" / "nguyen_van_hung.yaml")
    row = _by(_rows(reports["demo"]["Đảng viên"]), "Họ và tên")["Nguyễn Văn Hùng"]
    bonus = sum(b["diem"] for b in sheet.get("cong") or [])
    minus = sum(d["diem"] for d in sheet.get("tru") or [])
    assert row["Điểm tự chấm"] == sum(c["diem"] for c in sheet["tieu_chi"]) + bonus - minus == 83.5


def test_quarter_level_without_decision_is_noted(reports):
    form = _yaml(EXAMPLES / "demo_2026_q3" / "ca_nhan" / "lam_thi_thu_ha.yaml")
    row = _by(_rows(reports["demo_2026_q3"]["Đảng viên"]), "Họ và tên")["Lâm Thị Thu Hà"]
    assert row["Tự xếp loại"] == form["tu_danh_gia"]["muc_de_xuat"] == "HTXSNV"
    assert row["Mức đề xuất"] == row["Mức xếp loại (quyết định)"] == form["danh_gia_tham_quyen"]["muc"] == "HTTNV"
    assert (row["Điểm tự chấm"], row["Điểm thẩm định"]) == (form["tu_danh_gia"]["diem"]["tong"], form["danh_gia_tham_quyen"]["diem"]["tong"])
    assert "chưa có quyết định" in row["Ghi chú"]
    assert "Kết quả bỏ phiếu" not in row  # no ballot in the quarter


# -- organisations ---------------------------------------------------------------------------------
def test_organisation_levels_and_scores(reports):
    unit = EXAMPLES / "demo_2026"
    manifest = _by(_yaml(unit / "don_vi.yaml")["to_chuc"], "ma")["chi_bo_thon_dong"]
    report = _yaml(unit / "tap_the" / "chi_bo_thon_dong.yaml")
    row = _by(_rows(reports["demo_2026"]["Tổ chức"]), "Tên tổ chức")["Chi bộ Thôn Đông"]
    assert row["Tự xếp loại"] == report["tu_danh_gia"]["muc_de_xuat"] == "HTXSNV"
    assert row["Thẩm định"] == manifest["tham_dinh"]["muc"] == "HTTNV"
    assert row["Mức xếp loại (quyết định)"] == manifest["quyet_dinh"]["muc"]
    assert row["Điểm tự chấm"] == report["tu_danh_gia"]["diem"]["tong"]
    assert row["Điểm thẩm định"] == manifest["tham_dinh"]["diem"] == 93
    assert "Số 113-QĐ/ĐU" in row["Ghi chú"] and "ngày 16/12/2026" in row["Ghi chú"]
    top = _by(_rows(reports["demo_2026"]["Tổ chức"]), "Tên tổ chức")["Đảng bộ xã Hòa Bình"]
    assert top["Số đảng viên"] == len(_yaml(unit / "don_vi.yaml")["thanh_vien"])  # a đảng bộ counts its chi bộ's members


# -- statistics -------------------------------------------------------------------------------------
def _rendered_6f(name: str) -> list[list[str]]:
    """The rows TT … 4.3 of Biểu 6F as the unit's own 6F document prints them."""
    findings, unit = load_unit(EXAMPLES / name)
    form = next(d for d in unit.documents if d.entry.key == STAT_ENTRY)
    data = render_docx(form, unit.settings, registry.template_path(form.entry), unit_facts(unit))
    rows = [[c.text for c in row.cells] for table in docx.Document(io.BytesIO(data)).tables for row in table.rows]
    return [row for row in rows if len(row) == 5]  # the statistics table: TT, content, collectives, members, note


@pytest.mark.parametrize("name", ["demo", "demo_2026"])
def test_6f_sheet_repeats_the_rendered_form(reports, name):
    ws = reports[name]["Biểu số 6F-BTCTW"]
    expected = _rendered_6f(name)
    assert expected[0][0] == "TT" and expected[-1][0] == "4.3"
    shown = [["" if v is None else str(v) for v in values[:5]]
             for values in ws.iter_rows(min_row=HEADER, max_row=HEADER + len(expected) - 1, values_only=True)]
    assert shown == expected


@pytest.mark.parametrize("name", ["demo_2026", "demo", "demo_2026_q3"])
def test_level_counts_agree_with_the_member_rows(reports, name):
    book = reports[name]
    members = _rows(book["Đảng viên"])
    stats = next(ws for ws in book if ws.title not in ("Đảng viên", "Tổ chức", "Phát hiện"))
    table = {row[0]: row for row in stats.iter_rows(values_only=True) if row[1] and str(row[1]).startswith("Hoàn thành")
             or row[1] == "Không hoàn thành nhiệm vụ"}
    assert len(table) == 4
    for code, row in table.items():
        assert row[2] == sum(1 for m in members if m["Mức xếp loại (quyết định)"] == code), code


def test_a_quarter_has_no_6f_table(reports):
    book = reports["demo_2026_q3"]
    assert book.sheetnames == ["Đảng viên", "Tổ chức", "Thống kê", "Phát hiện"]
    ws = book["Thống kê"]
    assert "không lập biểu này" in ws.cell(2, 1).value
    assert [c.value for c in ws[HEADER]][:6] == ["Mức", "Tên mức", "Đảng viên", "Tỷ lệ", "Tổ chức", "Tỷ lệ"]


# -- findings ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["demo_2026", "demo"])
def test_findings_sheet_lists_what_check_finds(reports, name):
    findings, _ = check([EXAMPLES / name])
    rows = _rows(reports[name]["Phát hiện"])
    assert sorted((r["Quy tắc"], r["Vị trí trong tệp"]) for r in rows) == sorted((f.rule_id, f.json_path) for f in findings)
    assert all(r["Mức độ"] in ("Lỗi", "Cảnh báo", "Thông tin") or "cho phép" in r["Mức độ"] for r in rows)


def test_findings_point_back_to_where_the_clerk_typed(tmp_path):
    unit = small_unit(tmp_path / "don_vi", complete=False)
    provenance.write(unit, {"don_vi.yaml": {"$.thanh_vien[0]": "danh_sach.xlsx, ô Thành viên!B5"}})
    target = tmp_path / "ket_qua.xlsx"
    assert write_report(unit, target) == []
    book = openpyxl.load_workbook(target)
    rows = _by(_rows(book["Phát hiện"]), "Vị trí trong tệp")
    assert rows["$.thanh_vien[0]"]["Nhập tại"] == "danh_sach.xlsx, ô Thành viên!B5"
    assert rows["$.thanh_vien[0]"]["Tệp"] == "don_vi.yaml"
    assert rows["$.thanh_vien[0]"]["Đối tượng"] == "Đảng Viên Thứ 1"
    member = _by(_rows(book["Đảng viên"]), "Họ và tên")["Đảng Viên Thứ 1"]
    assert member["Hồ sơ"] == "Thiếu 2 mục" and member["Số cảnh báo"] == 1
    assert "Hồ sơ còn thiếu: Phiếu bổ sung hồ sơ đảng viên; Phiếu nhận xét của cấp ủy nơi cư trú." in member["Ghi chú"]
    assert "Điểm tự chấm" not in member  # nobody in this unit is scored


def test_no_findings_says_so(reports):
    ws = reports["demo_2026_q3"]["Phát hiện"]
    assert ws.cell(HEADER + 1, 2).value == "Không có phát hiện nào."


# -- printing ----------------------------------------------------------------------------------------
def test_every_sheet_is_ready_to_print(reports):
    for book in reports.values():
        for ws in book:
            assert ws.print_title_rows == "$3:$3", ws.title
            assert ws.freeze_panes in ("A4", "C4"), ws.title
            assert ws.page_setup.orientation == "landscape"
            assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) == 9
            assert ws.sheet_properties.pageSetUpPr.fitToPage and int(ws.page_setup.fitToWidth) == 1
            assert int(ws.page_setup.fitToHeight) == 0
            header = ws[HEADER]
            assert header[0].font.b and header[0].fill.fgColor.rgb.endswith("D9E1F2")
            assert ws.column_dimensions["B"].width >= 20
            assert "Quy định" in ws.cell(2, 1).value and "HTXSNV: Hoàn thành xuất sắc nhiệm vụ" in ws.cell(2, 1).value
        members = book["Đảng viên"]
        assert members.auto_filter.ref == f"A3:{members.cell(HEADER, members.max_column).column_letter}{members.max_row}"
        assert members.cell(HEADER + 1, 2).alignment.wrap_text


# -- writing safely ---------------------------------------------------------------------------------
def test_a_unit_that_cannot_be_read_writes_nothing(tmp_path):
    unit = tmp_path / "don_vi"
    unit.mkdir()
    (unit / "don_vi.yaml").write_text("don_vi: [ten: \n", encoding="utf-8")
    target = tmp_path / "ra" / "ket_qua.xlsx"
    findings = write_report(unit, target)
    assert findings and all(f.severity == "error" for f in findings)
    assert not target.exists()


def test_a_manifest_that_breaks_its_schema_writes_nothing(tmp_path):
    unit = tmp_path / "don_vi"
    unit.mkdir()
    (unit / "don_vi.yaml").write_text("don_vi: {ten: Chi bộ}\nky_danh_gia: {nam: 2026}\n", encoding="utf-8")
    target = tmp_path / "ket_qua.xlsx"
    findings = write_report(unit, target)
    assert findings and findings[0].file.endswith("don_vi.yaml")
    assert not target.exists() and list(tmp_path.iterdir()) == [unit]


def test_rerun_keeps_the_earlier_different_file_and_no_copy_of_the_same(tmp_path):
    unit = tmp_path / "don_vi"
    shutil.copytree(EXAMPLES / "demo_2026_q3", unit)
    target = tmp_path / "ket_qua.xlsx"
    assert write_report(unit, target) == []
    first = target.read_bytes()
    assert os.stat(target).st_mode & 0o777 == 0o600
    assert write_report(unit, target) == []
    assert target.read_bytes() == first and not (tmp_path / PREVIOUS_DIR).exists()
    form = unit / "ca_nhan" / "lam_thi_thu_ha.yaml"
    form.write_text(form.read_text(encoding="utf-8").replace("muc: HTTNV", "muc: HTNV", 1), encoding="utf-8")
    assert write_report(unit, target) == []
    kept = list((tmp_path / PREVIOUS_DIR).glob("*/ket_qua.xlsx"))
    assert len(kept) == 1 and kept[0].read_bytes() == first
    row = _by(_rows(openpyxl.load_workbook(target)["Đảng viên"]), "Họ và tên")["Lâm Thị Thu Hà"]
    assert row["Mức đề xuất"] == "HTNV"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([PREVIOUS_DIR, "don_vi", "ket_qua.xlsx"])  # no staging left


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    unit = small_unit(tmp_path / "don_vi")
    manifest = _yaml(unit / "don_vi.yaml")
    manifest["thanh_vien"][0]["ho_ten"] = "=HYPERLINK(\"http://x\",\"y\")"
    (unit / "don_vi.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    target = tmp_path / "ket_qua.xlsx"
    assert write_report(unit, target) == []
    cell = openpyxl.load_workbook(target)["Đảng viên"].cell(HEADER + 1, 2)
    assert cell.value == "=HYPERLINK(\"http://x\",\"y\")" and cell.data_type == "s"


def test_refuses_a_file_name_that_is_not_xlsx(tmp_path):
    with pytest.raises(UsageError):
        write_report(EXAMPLES / "demo_2026_q3", tmp_path / "ket_qua.xls")
    assert list(tmp_path.iterdir()) == []


# -- command line ------------------------------------------------------------------------------------
def test_cli_writes_the_workbook(cli, tmp_path):
    target = tmp_path / "ket_qua.xlsx"
    result = cli("report", EXAMPLES / "demo_2026", "--xlsx", target)
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(target).sheetnames == ["Đảng viên", "Tổ chức", "Biểu số 6F-BTCTW", "Phát hiện"]


def test_cli_fails_on_a_unit_that_cannot_be_read(cli, tmp_path):
    unit = tmp_path / "don_vi"
    unit.mkdir()
    (unit / "don_vi.yaml").write_text("don_vi: [ten: \n", encoding="utf-8")
    result = cli("report", unit, "--xlsx", tmp_path / "ket_qua.xlsx")
    assert result.exit_code == 1
    assert not (tmp_path / "ket_qua.xlsx").exists()
