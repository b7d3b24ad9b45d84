"""The bundled quarter unit (examples/demo_2026_q3): Quý III/2026 of the 2026 đảng bộ xã, its leaders' Mẫu 05 forms
and the standing committee's quarterly summary (Mẫu 06), graded by qd366 as it applies to a quarter (``theo_ky.quy``).

The unit is checked as shipped (no finding), its documents are reopened after rendering (the quarter and the year in
words, the regulation cited), the quarter's ruleset is shown to differ from the year's only where a quarter differs (the
self-review slot, the rules of the review meeting, the dossier), and each scenario of the unit is load-bearing: a copy
with one fact changed produces the finding it is about. The year unit keeps its own ruleset.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import ROOT, docx_text, needs_libreoffice
from generator.cli import main
from generator.period import Period

QUARTER_UNIT = ROOT / "examples" / "demo_2026_q3"
YEAR_UNIT = ROOT / "examples" / "demo_2026"
LEADERS = ["truong_quoc_khanh", "lam_thi_thu_ha", "vo_minh_quang", "phan_thi_kim_oanh", "cao_van_son"]
SUMMARY = "van_ban/bc_tong_hop_quy"
# Rules of the year only: dropped from the quarter's rule table (rulesets/qd366.yaml, theo_ky.quy.quy_tac).
YEAR_ONLY_RULES = {"IND-RESIDENCE-COMMENT", "IND-TRANSFER-COMMENT", "IND-TEMP-COMMENT", "DATE-NOTICE", "MEETING-DURATION",
                   "BALLOT-TALLY", "REVIEW-PLACES", "REVIEW-RESPONSIBILITY", "Q366-APPRAISAL", "UNIT-COVERAGE"}


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def save(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def findings_of(target: Path) -> tuple[int, list[dict]]:
    result = CliRunner().invoke(main, ["check", str(target), "--format", "json"], catch_exceptions=False)
    return result.exit_code, json.loads(result.output)["findings"]


def keyed(findings: list[dict], root: Path) -> set[tuple[str, str, str, str]]:
    """(rule, severity, file relative to the unit, JSON path) of every finding."""
    return {(f["rule_id"], f["severity"], Path(f["file"]).resolve().relative_to(root.resolve()).as_posix(), f["json_path"]) for f in findings}


@pytest.fixture
def unit_copy(tmp_path) -> Path:
    target = tmp_path / "demo_2026_q3"
    shutil.copytree(QUARTER_UNIT, target)
    return target


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    """Every document of the quarter unit rendered once (DOCX)."""
    out = tmp_path_factory.mktemp("demo_2026_q3_docx")
    result = CliRunner().invoke(main, ["render", str(QUARTER_UNIT), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


# -- the unit as shipped ------------------------------------------------------------------------------------------
def test_check_exits_zero_without_any_finding():
    code, findings = findings_of(QUARTER_UNIT)
    assert code == 0
    assert findings == []


def test_manifest_and_every_form_are_of_the_third_quarter_of_2026():
    manifest = load(QUARTER_UNIT / "don_vi.yaml")
    assert manifest["ky_danh_gia"] == {"nam": 2026, "quy": 3}
    assert "bo_quy_tac" not in manifest
    forms = sorted((QUARTER_UNIT / "ca_nhan").glob("*.yaml")) + sorted((QUARTER_UNIT / "van_ban").glob("*.yaml"))
    assert len(forms) == 6
    for path in forms:
        assert load(path)["ky_danh_gia"] == {"nam": 2026, "quy": 3}, path


def test_the_leaders_and_organisations_are_those_of_the_year_unit():
    quarter, year = load(QUARTER_UNIT / "don_vi.yaml"), load(YEAR_UNIT / "don_vi.yaml")
    leaders = {p.stem for p in (YEAR_UNIT / "ca_nhan").glob("*.yaml") if load(p)["vai_tro"] == "lanh_dao"}
    assert {m["ma"] for m in quarter["thanh_vien"]} == leaders == set(LEADERS)
    year_members = {m["ma"]: m for m in year["thanh_vien"]}
    for m in quarter["thanh_vien"]:
        assert (m["ho_ten"], m["chi_bo"], m["ngay_vao_dang"]) == tuple(year_members[m["ma"]][k] for k in ("ho_ten", "chi_bo", "ngay_vao_dang"))
    assert [(o["ma"], o["ten"], o["loai"]) for o in quarter["to_chuc"]] == [(o["ma"], o["ten"], o["loai"]) for o in year["to_chuc"]]
    assert quarter["don_vi"] == {k: v for k, v in year["don_vi"].items() if k in quarter["don_vi"]}
    assert load(QUARTER_UNIT / "dia_phuong.yaml") == load(YEAR_UNIT / "dia_phuong.yaml")


def test_every_leader_has_a_form_05_with_scores_ledger_assessment_and_confirmation():
    axes = 0
    for code in LEADERS:
        form = load(QUARTER_UNIT / "ca_nhan" / f"{code}.yaml")
        assert form["bieu_mau"] == "tu_danh_gia_quy" and form["thanh_vien"] == code and form["vai_tro"] == "lanh_dao"
        score = form["tu_danh_gia"]["diem"]
        assert score["nhom_chung"] + score["nhom_nhiem_vu"] == score["tong"]
        assert sum(row["diem"] for row in score["chi_tiet"] if row["nhom"] == "nhom_chung") == score["nhom_chung"]
        if "truc_ket_qua" in form:
            axes += 1
            assert len(form["truc_ket_qua"]) == 6
            assert sum(a["toi_da_de_xuat"] for a in form["truc_ket_qua"]) == 70
            assert sum(a["diem"] for a in form["truc_ket_qua"]) == score["nhom_nhiem_vu"]
        assert form["ket_qua_nhiem_vu"] and all(Period(2026, 3).contains(t["thoi_han"]) or t["thoi_han"] > Period(2026, 3).end
                                                for t in form["ket_qua_nhiem_vu"])
        assessed = form["danh_gia_tham_quyen"]
        assert assessed["muc"] and assessed["diem"]["tong"] == assessed["diem"]["nhom_chung"] + assessed["diem"]["nhom_nhiem_vu"]
        assert form["xac_nhan"]["nguoi_ky"]["ho_ten"] and form["xac_nhan"]["tieu_de"].startswith("XÁC NHẬN CỦA")
    assert axes == 4


def test_the_summary_lists_every_leader_with_both_levels():
    summary = load(QUARTER_UNIT / f"{SUMMARY}.yaml")
    assert summary["bieu_mau"] == "tong_hop_dien_tw" and summary["co_quan_ban_hanh"] == "dang_bo_xa"
    names = {m["ma"]: m["ho_ten"] for m in load(QUARTER_UNIT / "don_vi.yaml")["thanh_vien"]}
    rows = {row["ho_ten"]: row for row in summary["can_bo"]}
    assert set(rows) == set(names.values())
    for code, name in names.items():
        form = load(QUARTER_UNIT / "ca_nhan" / f"{code}.yaml")
        assert rows[name]["tu_de_xuat"] == form["tu_danh_gia"]["muc_de_xuat"]
        assert rows[name]["cap_tham_quyen_de_xuat"] == form["danh_gia_tham_quyen"]["muc"]


# -- the quarter's ruleset ------------------------------------------------------------------------------------------
def test_the_quarter_unit_uses_form_05_as_its_self_review_slot():
    from generator import ruleset as rulesets
    from generator.source import load_unit

    findings, unit = load_unit(QUARTER_UNIT)
    assert unit is not None, findings
    assert unit.period == Period(2026, 3) and unit.ruleset.key == "qd366"
    assert unit.ruleset.kind("ban_kiem_diem") == "tu_danh_gia_quy"
    assert unit.ruleset.kind("bao_cao") == "bao_cao_tap_the"
    qd366 = rulesets.load("qd366")
    assert qd366.for_period(Period(2026, 3)).kind("ban_kiem_diem") == "tu_danh_gia_quy"
    assert qd366.for_period(Period(2026, 1)) is qd366.for_period(Period(2027, 4))
    assert all(m.form is not None and m.form.data["bieu_mau"] == "tu_danh_gia_quy" for m in unit.members)
    assert {m.ma: m.level().value for m in unit.members} == {
        "truong_quoc_khanh": "HTTNV", "lam_thi_thu_ha": "HTTNV", "vo_minh_quang": "HTTNV", "phan_thi_kim_oanh": "HTNV", "cao_van_son": "HTTNV"}


def test_the_quarter_drops_the_rules_and_dossier_items_of_the_year_only():
    from generator import ruleset as rulesets

    qd366 = rulesets.load("qd366")
    year, quarter = qd366.for_period(Period(2026)), qd366.for_period(Period(2026, 3))
    assert year is qd366
    assert YEAR_ONLY_RULES <= set(year.rules)
    assert set(year.rules) - set(quarter.rules) == YEAR_ONLY_RULES
    assert {k: v for k, v in year.rules.items() if k in quarter.rules} == quarter.rules
    items = [i["ma"] for i in quarter.checklists["ca_nhan"]]
    assert items[:2] == ["tu_danh_gia", "tong_hop"] and "nhan_xet_cu_tru" not in items and "bien_ban" not in items
    assert [i["ma"] for i in quarter.checklists["tap_the"]] == ["tong_hop", "khac"]
    assert quarter.checklists["khen_thuong"] == year.checklists["khen_thuong"]
    assert quarter.levels == year.levels and quarter.fields("quarterly_self") == year.fields("quarterly_self")


def test_the_year_unit_is_unaffected():
    from generator.source import load_unit

    findings, unit = load_unit(YEAR_UNIT)
    assert unit is not None, findings
    assert unit.period == Period(2026) and unit.ruleset.kind("ban_kiem_diem") == "kiem_diem_ca_nhan"
    assert YEAR_ONLY_RULES <= set(unit.ruleset.rules)
    assert "nhan_xet_cu_tru" in [i["ma"] for i in unit.ruleset.checklists["ca_nhan"]]
    code, year_findings = findings_of(YEAR_UNIT)
    assert code == 0 and not [f for f in year_findings if f["severity"] == "error"]


def test_the_main_demo_stays_the_year_unit():
    from generator.pipeline import demo_unit, demo_units

    assert demo_units()[Period(2026, 3)].resolve() == QUARTER_UNIT.resolve()
    assert demo_unit(2026).resolve() == YEAR_UNIT.resolve()


# -- scenarios: change one fact, get the finding the scenario is about ---------------------------------------------
def test_a_late_task_keeps_a_leader_below_httnv_in_a_quarter(unit_copy):
    # Phan Thị Kim Oanh: 76 points (HTTNV band) but 1/5 tasks late; in a quarter the own ledger lowers the level.
    path = unit_copy / "ca_nhan" / "phan_thi_kim_oanh.yaml"
    form = load(path)
    form["danh_gia_tham_quyen"]["muc"] = "HTTNV"
    save(path, form)
    code, findings = findings_of(unit_copy)
    assert code == 1
    assert ("Q366-HTT-TASKS", "error", "ca_nhan/phan_thi_kim_oanh.yaml", "$.danh_gia_tham_quyen.muc") in keyed(findings, unit_copy)


def test_the_20_percent_quota_holds_in_a_quarter(unit_copy):
    # Lâm Thị Thu Hà meets the HTXSNV conditions on her own ledger; her group has only two other HTTNV.
    path = unit_copy / "ca_nhan" / "lam_thi_thu_ha.yaml"
    form = load(path)
    form["danh_gia_tham_quyen"].update(muc="HTXSNV", diem={"nhom_chung": 28, "nhom_nhiem_vu": 63, "tong": 91})
    save(path, form)
    code, findings = findings_of(unit_copy)
    assert code == 1
    (quota,) = [f for f in findings if f["rule_id"] == "UNIT-QUOTA"]
    assert quota["json_path"] == "$.thanh_vien" and "Lâm Thị Thu Hà" in quota["message_vi"]
    assert not [f for f in findings if f["rule_id"].startswith("Q366-HTXS")]


def test_a_leader_without_form_05_is_a_missing_dossier_item(unit_copy):
    manifest = load(unit_copy / "don_vi.yaml")
    manifest["thanh_vien"][4].pop("ban_kiem_diem")
    save(unit_copy / "don_vi.yaml", manifest)
    _, findings = findings_of(unit_copy)
    (missing,) = [f for f in findings if f["rule_id"] == "DOSSIER-COMPLETE"]
    assert missing["json_path"] == "$.thanh_vien[4]" and "Mẫu 05" in missing["message_vi"]


def test_a_form_of_the_year_in_a_quarter_unit_is_refused(unit_copy):
    shutil.copy(YEAR_UNIT / "ca_nhan" / "cao_van_son.yaml", unit_copy / "ca_nhan" / "cao_van_son.yaml")
    code, findings = findings_of(unit_copy)
    assert code == 1
    assert any(f["json_path"] == "$.ky_danh_gia" and f["file"].endswith("cao_van_son.yaml") for f in findings)


# -- rendered documents -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("code", LEADERS)
def test_form_05_names_the_quarter_and_cites_qd366(rendered, code):
    text = docx_text(rendered / "ca_nhan" / f"{code}.docx")
    assert "Mẫu 05-HD KĐ.ĐG" in text
    assert "Quý III, Năm 2026" in text and "quý III năm 2026" in text and "năm 2026" in text
    assert "366-QĐ/TW" in text and "124-QĐ/TW" not in text
    assert "PHỤ LỤC" in text and "TRONG QUÝ III NĂM 2026" in text.replace("\n", " ")


def test_the_summary_is_the_commune_standing_committees_for_the_quarter(rendered):
    text = docx_text(rendered / f"{SUMMARY}.docx")
    assert "Mẫu 06-HD KĐ.ĐG 2025" in text
    assert "QUÝ III, NĂM 2026" in text and "BAN THƯỜNG VỤ TỈNH ỦY, BAN THƯỜNG VỤ ĐẢNG ỦY XÃ" in text
    assert "ĐẢNG BỘ TỈNH BÌNH NGUYÊN" in text and "ĐẢNG ỦY XÃ HÒA BÌNH" in text and "T/M BAN THƯỜNG VỤ" in text
    assert "124-QĐ/TW" not in text


# -- PDF and dossier (LibreOffice) --------------------------------------------------------------------------------
@pytest.mark.libreoffice
@needs_libreoffice
def test_render_pdf_and_dossier(tmp_path):
    from pypdf import PdfReader

    runner = CliRunner()
    rendered = runner.invoke(main, ["render", str(QUARTER_UNIT), "-o", str(tmp_path / "d"), "--pdf"], catch_exceptions=False)
    assert rendered.exit_code == 0, rendered.output
    assert len(list((tmp_path / "d").rglob("*.pdf"))) == 6
    for code in LEADERS:
        # PDF text breaks lines anywhere: compare without whitespace.
        text = "".join("".join(page.extract_text().split()) for page in PdfReader(tmp_path / "d" / "ca_nhan" / f"{code}.pdf").pages)
        assert "QuýIII,Năm2026" in text and "366-QĐ/TW" in text and "124-QĐ/TW" not in text
    dossier = runner.invoke(main, ["dossier", str(QUARTER_UNIT), "-o", str(tmp_path / "h")], catch_exceptions=False)
    assert dossier.exit_code == 0, dossier.output
    package = tmp_path / "h" / "ho_so"
    manifest = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["bo_quy_tac"] == "qd366"
    kinds = [p["loai"] for p in manifest["ho_so"]]
    assert (kinds.count("tap_the"), kinds.count("ca_nhan")) == (4, 5)
    for code in LEADERS:
        index = docx_text(package / "ca_nhan" / code / "01_muc_luc.docx")
        listed = index.split("Tổng số trang")[0]
        assert "Mẫu 05" in listed and "Mẫu 06" in listed and "Thiếu" not in listed
        assert "nơi cư trú" not in listed and "Biên bản hội nghị" not in listed
