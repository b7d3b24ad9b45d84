"""Template lint (generator/lint.py): template variables against schemas."""

from __future__ import annotations

import json
from pathlib import Path

import docx

TEMPLATES = Path(__file__).resolve().parents[1] / "templates_docx"


def _overlay(tmp_path: Path, old: str, new: str) -> Path:
    overlay = tmp_path / "mau"
    (overlay / "qd124").mkdir(parents=True)
    doc = docx.Document(str(TEMPLATES / "qd124" / "individual_leader.docx"))
    replaced = 0
    for p in doc.paragraphs:
        for run in p.runs:
            if old in run.text:
                run.text = run.text.replace(old, new)
                replaced += 1
    assert replaced
    doc.save(str(overlay / "qd124" / "individual_leader.docx"))
    return overlay


def test_builtin_templates_are_clean(cli):
    result = cli("lint")
    assert result.exit_code == 0, result.stdout
    from generator.registry import entries

    assert f"Đã kiểm tra {len(entries())} tệp: 0 lỗi" in result.stdout


def test_reports_a_variable_missing_from_the_schema(tmp_path, cli):
    overlay = _overlay(tmp_path, "uu_diem.neu_guong.noi_dung", "uu_diem.neu_guongg.noi_dung")
    report = json.loads(cli("lint", "--templates", overlay, "--format", "json").stdout)
    paths = {f["json_path"] for f in report["findings"]}
    assert paths == {"$.uu_diem.neu_guongg"}
    assert report["findings"][0]["file"].endswith("individual_leader.docx")


def test_loop_variables_resolve_to_list_items(tmp_path, cli):
    overlay = _overlay(tmp_path, "{{ doan }}", "{{ doan.noi_dung }}")
    report = json.loads(cli("lint", "--templates", overlay, "--format", "json").stdout)
    assert {f["json_path"] for f in report["findings"]} == {"$.doan.noi_dung"}


def test_reports_unknown_filter(tmp_path, cli):
    overlay = _overlay(tmp_path, "ca_nhan.ngay_sinh|ngay", "ca_nhan.ngay_sinh|ngay_sinh_nhat")
    result = cli("lint", "--templates", overlay)
    assert result.exit_code == 1
    assert "ngay_sinh_nhat" in result.stdout
