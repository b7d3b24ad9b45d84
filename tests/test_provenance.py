"""Findings point back to where the clerk typed the value: the record .hoso/nguon.json of a unit folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from generator import provenance
from generator.cli import main
from generator.findings import Finding, format_json, format_text

ROOT = Path(__file__).resolve().parents[1]

PATHS = {
    "$.thanh_vien[2]": "danh_sach.xlsx, dòng Thành viên!4",
    "$.thanh_vien[2].ngay_vao_dang": "danh_sach.xlsx, ô Thành viên!F4",
    "$.thanh_vien[10].ho_ten": "danh_sach.xlsx, ô Thành viên!B12",
}


def test_longest_recorded_path_containing_the_finding_wins():
    assert provenance.origin_of(PATHS, "$.thanh_vien[2].ngay_vao_dang") == "danh_sach.xlsx, ô Thành viên!F4"
    assert provenance.origin_of(PATHS, "$.thanh_vien[2].ky_luat[0].ngay") == "danh_sach.xlsx, dòng Thành viên!4"
    # "[2]" is not a prefix of "[20]": paths are compared by segment.
    assert provenance.origin_of(PATHS, "$.thanh_vien[20]") == ""
    assert provenance.origin_of(PATHS, "$.thanh_vien[1]") == ""


def test_a_missing_section_points_at_where_its_parts_were_typed():
    assert provenance.origin_of(PATHS, "$.thanh_vien[10]") == "danh_sach.xlsx, ô Thành viên!B12"


def test_record_round_trip_is_stable_and_private(tmp_path):
    origins = {"ca_nhan/a.yaml": {"$.b": "x.docx, mục «B»", "$.a": "x.docx, mục «A»"}, "don_vi.yaml": dict(PATHS)}
    provenance.write(tmp_path, origins)
    first = provenance.origins_path(tmp_path).read_bytes()
    assert provenance.read(tmp_path) == origins
    assert provenance.origins_path(tmp_path).stat().st_mode & 0o777 == 0o600
    provenance.write(tmp_path, provenance.read(tmp_path))
    assert provenance.origins_path(tmp_path).read_bytes() == first
    again = provenance.merged(origins, {"ca_nhan/a.yaml": {"$.c": "y.docx, mục «C»"}}, replace={"ca_nhan/a.yaml"})
    assert again["ca_nhan/a.yaml"] == {"$.c": "y.docx, mục «C»"} and again["don_vi.yaml"] == PATHS


def test_unreadable_record_is_ignored(tmp_path):
    (tmp_path / provenance.FOLDER).mkdir()
    provenance.origins_path(tmp_path).write_text("{không phải json", encoding="utf-8")
    f = Finding("SCHEMA", "error", str(tmp_path / "don_vi.yaml"), "$.x", "m")
    assert provenance.annotate([f], tmp_path) == [f]


def test_annotated_finding_prints_its_origin(tmp_path):
    f = Finding("SCHEMA", "error", str(tmp_path / "don_vi.yaml"), "$.thanh_vien[2].ngay_vao_dang", "Ngày không hợp lệ.")
    provenance.write(tmp_path, {"don_vi.yaml": PATHS})
    [g] = provenance.annotate([f], tmp_path)
    assert g.origin == "danh_sach.xlsx, ô Thành viên!F4"
    assert format_text([g]).endswith("— Nhập tại: danh_sach.xlsx, ô Thành viên!F4")
    assert json.loads(format_json([g], 1))["findings"][0]["origin"] == "danh_sach.xlsx, ô Thành viên!F4"


def test_check_of_a_unit_names_the_roster_cell(tmp_path):
    unit = tmp_path / "don_vi"
    shutil.copytree(ROOT / "examples" / "demo_2026", unit)
    manifest = unit / "don_vi.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("ngay_vao_dang: 1998-05-19", "ngay_vao_dang: 1998-05-99", 1), encoding="utf-8")
    provenance.write(unit, {"don_vi.yaml": {"$.thanh_vien[0].ngay_vao_dang": "danh_sach.xlsx, ô Thành viên!F2"}})
    result = CliRunner().invoke(main, ["check", str(unit), "--format", "json"])
    assert result.exit_code == 1
    found = [f for f in json.loads(result.output)["findings"] if f["json_path"] == "$.thanh_vien[0].ngay_vao_dang"]
    assert found and all(f["origin"] == "danh_sach.xlsx, ô Thành viên!F2" for f in found)
