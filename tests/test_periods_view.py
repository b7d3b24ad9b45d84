"""A subject's periods side by side (generator/periods.py): the 2026 demo as the year, with copies of it as quý I and
quý III (one member's quý I graded differently), lined up in any order; text and JSON views."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest
import yaml

from generator.period import Period
from generator.periods import (FROM_UNIT, FROM_YEAR, YearSummary, column_label, period_table, render_json, render_text,
                               summary_text, to_data)
from test_carry import DEMO_2026, edit_manifest, member, quarter_copy

YEAR = DEMO_2026


def edit_form(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def quarters(tmp_path_factory):
    """Quý I and quý III of 2026 (copies of the demo); in quý I Ngô Thanh Tâm has 80 points, decided HTTNV, and a
    member admitted in quý III is not yet in quý I's unit."""
    base = tmp_path_factory.mktemp("quy")
    q1, q3 = quarter_copy(base / "q1", 1), quarter_copy(base / "q3", 3)

    def lower(data):
        data["tu_danh_gia"]["diem"].update(nhom_chung=25, nhom_nhiem_vu=55, tong=80)
        data["danh_gia_chi_uy"]["diem"].update(nhom_chung=25, nhom_nhiem_vu=55, tong=80)
        data["danh_gia_chi_uy"]["muc"] = "HTTNV"
        data["quyet_dinh_dang_uy"]["muc"] = "HTTNV"

    edit_form(q1 / "ca_nhan" / "ngo_thanh_tam.yaml", lower)

    def newcomer(data):
        data["thanh_vien"].append({"ma": "mai_anh", "ho_ten": "Mai Anh", "chi_bo": "chi_bo_thon_dong", "ngay_vao_dang": "2026-08-15",
                                   "tinh_trang": "chua_kiem_diem", "ly_do": "moi_ket_nap"})

    edit_manifest(q3, newcomer)
    return q1, q3


@pytest.fixture(scope="module")
def full(quarters):
    """The year and its quý I and quý III, every subject."""
    return period_table([YEAR, *quarters])


def only(table, code):
    """The table of one subject (as ``period_table(..., code)`` gives it), without loading the units again."""
    return dataclasses.replace(table, rows=tuple(r for r in table.rows if r.code == code))


def cells(table, code):
    row = next(r for r in table.rows if r.code == code)
    return {str(c.period): c for c in row.cells}, row


def test_the_periods_line_up_in_order_whatever_order_the_units_come_in(quarters):
    q1, q3 = quarters
    table = period_table([q3, YEAR, q1])
    assert table.ok, table.findings
    assert [str(p) for p in table.periods] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "2026"]
    assert set(table.files) == {Period(2026, 1), Period(2026, 3), Period(2026)}
    assert to_data(table) == to_data(period_table([YEAR, q1, q3]))
    assert table.unit_name == "Đảng bộ xã Hòa Bình"


def test_each_member_and_collective_has_a_row_collectives_first(full):
    table = full
    kinds = [r.kind for r in table.rows]
    assert kinds == sorted(kinds, key=lambda k: k == "thanh_vien")
    assert {r.code for r in table.rows} >= {"dang_bo_xa", "chi_bo_thon_dong", "truong_quoc_khanh", "ngo_thanh_tam", "mai_anh"}


def test_a_member_shows_each_stage_and_score_of_each_period(full):
    table = full
    by_period, row = cells(table, "ngo_thanh_tam")
    q1, q3, year = by_period["2026-Q1"], by_period["2026-Q3"], by_period["2026"]
    assert (q1.decided, q1.level, q1.score, q1.source) == ("HTTNV", "HTTNV", 80, FROM_UNIT)
    assert year.level == q3.level and year.score == q3.score and year.self_level is not None
    assert not by_period["2026-Q2"].present and by_period["2026-Q2"].level is None
    summary = row.summaries[0]
    assert summary.quarters_with_level == (1, 3) and summary.quarters_missing == (2, 4)
    assert summary.lowest_quarter_level == "HTTNV" and summary.highest_quarter_level == q3.level
    assert summary.mean_quarter_score == (80 + q3.score) / 2
    assert summary.year_level == year.level


def test_a_collective_shows_its_report_the_appraisal_and_the_decision(full):
    by_period, row = cells(full, "chi_bo_thon_dong")
    year = by_period["2026"]
    assert (year.self_level, year.proposed, year.decided) == ("HTXSNV", "HTTNV", "HTTNV")
    assert row.parent == "Đảng bộ xã Hòa Bình"


def test_a_member_not_yet_in_a_unit_and_a_member_not_reviewed(full):
    by_period, row = cells(full, "mai_anh")
    assert not by_period["2026-Q1"].present and by_period["2026-Q3"].present
    assert by_period["2026-Q3"].status == "chua_kiem_diem"
    # Admitted 15/08/2026: quý I and II ended before, so only quý III and IV are missing.
    assert row.summaries[0].quarters_missing == (3, 4)


def test_one_subject_by_code(quarters, full):
    table = period_table([YEAR, *quarters], "truong_quoc_khanh")
    assert [r.code for r in table.rows] == ["truong_quoc_khanh"]
    assert to_data(table) == to_data(only(full, "truong_quoc_khanh"))
    missing = period_table([YEAR, *quarters], "khong_co")
    assert not missing.ok and missing.rows == () and "khong_co" in missing.findings[-1].message_vi


def test_the_years_record_fills_quarters_without_a_unit_and_disagreement_is_a_finding(quarters, tmp_path):
    year = tmp_path / "nam"
    shutil.copytree(YEAR, year)
    edit_manifest(year, lambda data: member(data, "ngo_thanh_tam").update(ket_qua_quy=[{"quy": 1, "muc": "HTXSNV"}, {"quy": 2, "muc": "HTTNV"}]))
    table = period_table([year, *quarters])
    by_period, row = cells(table, "ngo_thanh_tam")
    assert by_period["2026-Q2"].source == FROM_YEAR and by_period["2026-Q2"].level == "HTTNV"
    assert by_period["2026-Q1"].source == FROM_UNIT and by_period["2026-Q1"].level == "HTTNV"
    assert row.summaries[0].quarters_with_level == (1, 2, 3)
    [warning] = [f for f in table.findings if f.severity == "warning"]
    assert warning.json_path.endswith(".ket_qua_quy[0].muc") and "HTXSNV" in warning.message_vi
    text = render_text(period_table([year, *quarters], "ngo_thanh_tam"))
    assert "HTTNV*" in text and "ket_qua_quy" in text


def test_two_units_of_one_period_are_refused(quarters, tmp_path):
    q1, _ = quarters
    again = tmp_path / "q1_lai"
    shutil.copytree(q1, again)
    table = period_table([q1, again, YEAR])
    assert not table.ok and table.rows == () and "Hai đơn vị cùng kỳ quý 1 năm 2026" in table.findings[-1].message_vi


def test_units_of_another_organisation_are_refused(quarters, tmp_path):
    other = tmp_path / "khac"
    shutil.copytree(quarters[0], other)
    edit_manifest(other, lambda data: data["don_vi"].update(to_chuc_co_so="chi_bo_thon_dong", ten="Chi bộ Thôn Đông"))
    table = period_table([other, YEAR])
    assert not table.ok and table.rows == () and "chỉ đặt cạnh nhau các kỳ của một đơn vị" in table.findings[-1].message_vi


def test_a_unit_that_cannot_be_read_gives_no_rows(tmp_path):
    (tmp_path / "hong").mkdir()
    (tmp_path / "hong" / "don_vi.yaml").write_text("ky_danh_gia: {nam: 2026}\n", encoding="utf-8")
    table = period_table([YEAR, tmp_path / "hong"])
    assert not table.ok and table.rows == ()


# -- views ------------------------------------------------------------------------------------------------------
def test_text_view_has_vietnamese_headings_periods_as_columns_and_a_summary(full):
    text = render_text(only(full, "ngo_thanh_tam"))
    lines = text.splitlines()
    assert lines[0] == "Kết quả đánh giá theo kỳ — Đảng bộ xã Hòa Bình"
    assert lines[1] == "Không có đơn vị của: Quý II/2026, Quý IV/2026."
    assert lines[3].startswith("Ngô Thanh Tâm (đảng viên ngo_thanh_tam, Chi bộ Cơ quan Đảng - Mặt trận xã)")
    heading = lines[4].split()
    assert heading == ["Kỳ", "Quý", "I/2026", "Quý", "II/2026", "Quý", "III/2026", "Quý", "IV/2026", "Năm", "2026"]
    for label in ("Tự đánh giá", "Đề xuất", "Quyết định", "Mức xếp loại", "Tổng điểm"):
        assert any(line.strip().startswith(label) for line in lines), label
    score_line = next(line for line in lines if line.strip().startswith("Tổng điểm"))
    assert score_line.split()[2:4] == ["80", "—"]
    assert any(line.strip().startswith("Năm 2026: 2/4 quý có mức (thiếu quý II, quý IV); điểm bình quân các quý") for line in lines)


def test_text_columns_line_up(full):
    text = render_text(only(full, "truong_quoc_khanh"))
    block = [line for line in text.splitlines() if line.startswith("  ") and not line.strip().startswith("Năm 2026:")]
    starts = {line.index("HTTNV") for line in block if "HTTNV" in line}
    assert len(starts) == 1


def test_json_view_keys_are_stable(full):
    data = json.loads(render_json(only(full, "mai_anh")))
    assert list(data) == ["don_vi", "ky", "doi_tuong", "phat_hien"]
    assert [k["ky"] for k in data["ky"]] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "2026"]
    assert set(data["ky"][0]) == {"ky", "ten", "tep"} and data["ky"][1]["tep"] is None
    [row] = data["doi_tuong"]
    assert list(row) == ["loai", "ma", "ten", "thuoc", "theo_ky", "tom_tat"]
    keys = ["ky", "co_trong_don_vi", "nguon", "tinh_trang", "muc_tu_nhan", "muc_de_xuat", "muc_quyet_dinh", "muc", "tong_diem", "tep"]
    assert all(list(cell) == keys for cell in row["theo_ky"])
    assert list(row["tom_tat"][0]) == ["nam", "quy_co_muc", "quy_thieu", "diem_binh_quan_quy", "muc_quy_thap_nhat",
                                       "muc_quy_cao_nhat", "muc_nam", "diem_nam"]
    assert row["theo_ky"][2]["tinh_trang"] == "chua_kiem_diem" and row["theo_ky"][0]["co_trong_don_vi"] is False


@pytest.mark.parametrize(("period", "label"), [(Period(2026, 1), "Quý I/2026"), (Period(2026, 4), "Quý IV/2026"), (Period(2026), "Năm 2026")])
def test_column_labels(period, label):
    assert column_label(period) == label


def test_a_summary_with_nothing_but_the_year():
    assert summary_text(YearSummary(2026, (), (1, 2, 3, 4), None, None, None, "HTTNV", 88.5)) == \
        "Năm 2026: 0/4 quý có mức (thiếu quý I, quý II, quý III, quý IV); mức năm HTTNV; điểm năm 88,5."
    assert summary_text(YearSummary(2024, (), (), None, None, None, None, None)) == "Năm 2024: chưa có kết quả."
