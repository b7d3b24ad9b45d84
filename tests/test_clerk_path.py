"""The clerk's path of the README, command by command through the CLI: roster template → fill → init → forms export →
fill in Word → forms import → check → report. Each step checks what the clerk gets, and a finding of check points back
to the roster cell or the Word section where the value was typed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn

from conftest import ROOT
from generator.cli import main
from generator.load import load_form
from generator.wordforms import key_of

SAMPLE = ROOT / "examples" / "roster" / "danh_sach_2026.xlsx"


def hoso(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.output


def _fill(path: Path, json_path: str, paragraphs: list[str]) -> None:
    """Type ``paragraphs`` into a narrative section of an exported document, as Word does in its content control."""
    doc = docx.Document(str(path))
    start = next(el for el in doc.element.body.iter(qn("w:bookmarkStart")) if el.get(qn("w:name")) == key_of(json_path))
    while start.tag != qn("w:p"):
        start = start.getparent()
    content = start.getnext().find(qn("w:sdtContent"))
    for child in list(content):
        content.remove(child)
    for text in paragraphs:
        content.append(doc.add_paragraph(text)._p)
    doc.save(str(path))


@pytest.fixture(scope="module")
def unit(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("van_phong")
    code, out = hoso("roster", "template", work / "mau.xlsx", "--nam", "2026")
    assert code == 0 and (work / "mau.xlsx").exists(), out
    code, out = hoso("init", work / "don_vi", "--roster", SAMPLE)
    assert code == 0, out
    return work / "don_vi"


def test_template_headers_are_those_of_the_sample_roster(unit):
    blank = openpyxl.load_workbook(unit.parent / "mau.xlsx")
    filled = openpyxl.load_workbook(SAMPLE)
    for name in ("Tổ chức", "Thành viên", "Hoàn cảnh", "Hội nghị"):
        assert [c.value for c in blank[name][1]] == [c.value for c in filled[name][1]]
    assert "Hướng dẫn" in blank.sheetnames


def test_init_writes_one_form_per_member_and_collective(unit):
    manifest = load_form(unit / "don_vi.yaml").data
    with_forms = [m for m in manifest["thanh_vien"] if m.get("ban_kiem_diem")]
    assert with_forms and all((unit / m["ban_kiem_diem"]).exists() for m in with_forms)
    assert all((unit / o["bao_cao"]).exists() for o in manifest["to_chuc"])


def test_word_round_trip_then_check_and_report(unit, tmp_path):
    work = tmp_path / "don_vi"
    shutil.copytree(unit, work)
    code, out = hoso("forms", "export", work, "-o", tmp_path / "phieu")
    assert code == 0, out
    manifest = load_form(work / "don_vi.yaml").data
    member = next(m for m in manifest["thanh_vien"] if m.get("ban_kiem_diem"))
    doc = tmp_path / "phieu" / f"{member['ma']}.docx"
    assert doc.exists()
    _fill(doc, "$.kiem_diem.uu_diem.pham_chat", ["Tôi luôn giữ vững lập trường chính trị.", "Đoàn kết, giữ gìn kỷ luật."])
    code, out = hoso("forms", "import", work, tmp_path / "phieu")
    assert code == 0, out
    form = load_form(work / member["ban_kiem_diem"]).data
    assert form["kiem_diem"]["uu_diem"]["pham_chat"] == ["Tôi luôn giữ vững lập trường chính trị.", "Đoàn kết, giữ gìn kỷ luật."]

    code, out = hoso("check", work, "--format", "json")
    assert code == 1  # the other sections are still to be written: check lists them
    findings = json.loads(out)["findings"]
    mine = [f for f in findings if f["file"].endswith(member["ban_kiem_diem"])]
    assert mine and not [f for f in mine if f["json_path"] == "$.kiem_diem.uu_diem.pham_chat"]
    # every empty section of the form points back to the Word document it is written in
    assert any(f["origin"].startswith(f"{doc.parent.name}/{doc.name}, mục «") for f in mine if f["json_path"].startswith("$.kiem_diem"))

    code, out = hoso("report", work, "--xlsx", tmp_path / "ket_qua.xlsx")
    assert code == 0, out
    book = openpyxl.load_workbook(tmp_path / "ket_qua.xlsx")
    names = [row[1] for row in book["Đảng viên"].iter_rows(min_row=4, values_only=True) if row[1]]
    assert names == [m["ho_ten"] for m in manifest["thanh_vien"]]


def test_a_roster_value_wrong_in_the_unit_points_at_its_cell(unit, tmp_path):
    work = tmp_path / "don_vi"
    shutil.copytree(unit, work)
    text = (work / "don_vi.yaml").read_text(encoding="utf-8")
    manifest = load_form(work / "don_vi.yaml").data
    first = manifest["thanh_vien"][0]
    # a clerk's later hand edit breaks a value that came from the roster: check names the cell it came from
    day = first["ngay_vao_dang"]
    (work / "don_vi.yaml").write_text(text.replace(str(day), "2030-01-01", 1), encoding="utf-8")
    code, out = hoso("check", work, "--format", "json")
    assert code == 1
    found = [f for f in json.loads(out)["findings"] if f["json_path"] == "$.thanh_vien[0].ngay_vao_dang"]
    assert found and all("Thành viên!" in f["origin"] for f in found), out[:2000]
