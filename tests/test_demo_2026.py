"""The bundled 2026 unit (examples/demo_2026): a đảng bộ xã under a province graded under QĐ 366 / HD 43.

The unit is checked as shipped (no error, only the findings its scenarios intend), its documents are
reopened after rendering (regulation cited, two-tier headers, form code lines), and each scenario is
shown to be load-bearing: a copy of the unit with one fact changed produces the finding the scenario
is about, at its JSON path.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import ROOT, docx_tables, docx_text, needs_libreoffice
from generator.cli import main

DEMO_2026 = ROOT / "examples" / "demo_2026"

# The findings the shipped unit is meant to produce, by (rule, severity, file, JSON path):
# the mitigated KHTNV case (a decision of the competent body recorded in ghi_de) and the maternity leave.
INTENDED = {
    ("IND-DISCIPLINE-KHT", "warning", "ca_nhan/tran_van_hieu.yaml", "$.quyet_dinh_dang_uy.muc"),
    ("IND-MATERNITY", "info", "don_vi.yaml", "$.thanh_vien[10].thai_san[0]"),
}

ROLE_CODES = {"lanh_dao": "Mẫu 2A-HD KĐ.ĐG 2025", "khong_lanh_dao": "Mẫu 2B-HD KĐ.ĐG 2025", "ngoai_he_thong": "Mẫu 2C-HD KĐ.ĐG 2025"}
ROLE_ANNEX = {"lanh_dao": "Phụ lục 3", "khong_lanh_dao": "Phụ lục 4", "ngoai_he_thong": "Phụ lục 5"}

# Documents issued by the Đảng ủy xã (header: the province above, the commune committee below).
COMMUNE_DOCUMENTS = [
    "tap_the/dang_uy_xa", "van_ban/bc_bieu_6f", "van_ban/bc_danh_sach_chua_kiem_diem", "van_ban/bc_ket_qua",
    "van_ban/hn_bien_ban_dang_uy_xa", "van_ban/hs_khieu_nai_ho_van_phat", "van_ban/qd_thong_bao_ho_van_phat",
    "van_ban/qd_thong_bao_ngo_thanh_tam", "van_ban/qd_tong_hop_tham_dinh", "van_ban/qd_xep_loai_chi_bo",
    "van_ban/qd_xep_loai_dang_vien", "van_ban/qd_xep_loai_lai_ho_van_phat",
]
# Documents that cite the regulation and its guidance by number (decisions, minutes, reports, letters).
CITING_DOCUMENTS = [
    "van_ban/bc_ket_qua", "van_ban/hn_bien_ban_chi_bo_co_quan_dang", "van_ban/hn_bien_ban_chi_bo_thon_dong",
    "van_ban/hn_bien_ban_chi_bo_uy_ban", "van_ban/hn_bien_ban_dang_uy_xa", "van_ban/hs_goi_y_dang_uy_xa",
    "van_ban/qd_tong_hop_tham_dinh", "van_ban/qd_xep_loai_chi_bo", "van_ban/qd_xep_loai_dang_vien",
    "van_ban/qd_xep_loai_lai_ho_van_phat",
]


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


def member_files() -> dict[str, str]:
    """Self-review file of every reviewed member → its role (vai_tro)."""
    return {p.stem: load(p)["vai_tro"] for p in sorted((DEMO_2026 / "ca_nhan").glob("*.yaml"))}


@pytest.fixture
def unit_copy(tmp_path) -> Path:
    target = tmp_path / "demo_2026"
    shutil.copytree(DEMO_2026, target)
    return target


@pytest.fixture(scope="module")
def baseline() -> set[tuple[str, str, str, str]]:
    """The keyed findings of the shipped unit."""
    return keyed(findings_of(DEMO_2026)[1], DEMO_2026)


def new_findings(unit: Path, baseline: set) -> list[dict]:
    """The findings of a changed copy of the unit that the shipped unit does not have."""
    return [f for f in findings_of(unit)[1] if next(iter(keyed([f], unit))) not in baseline]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    """Every document of the 2026 unit rendered once (DOCX)."""
    out = tmp_path_factory.mktemp("demo_2026_docx")
    result = CliRunner().invoke(main, ["render", str(DEMO_2026), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


# -- the unit as shipped ------------------------------------------------------------------------------------------
def test_the_unit_binds_to_qd366_by_its_year_alone():
    from generator.source import load_unit

    assert not any("bo_quy_tac" in load(p) for p in DEMO_2026.rglob("*.yaml") if p.name != "dia_phuong.yaml")
    findings, unit = load_unit(DEMO_2026)
    assert unit is not None, findings
    assert unit.ruleset.key == "qd366" and unit.year == 2026


def test_check_exits_zero_with_only_the_intended_findings():
    code, findings = findings_of(DEMO_2026)
    assert code == 0
    assert not [f for f in findings if f["severity"] == "error"]
    assert keyed(findings, DEMO_2026) == INTENDED


def test_the_mitigated_khtnv_case_carries_the_competent_decision():
    _, findings = findings_of(DEMO_2026)
    (case,) = [f for f in findings if f["rule_id"] == "IND-DISCIPLINE-KHT"]
    assert case["subject"] == "tran_van_hieu"
    assert case["override"]["co_quan"] == "Ban Thường vụ Đảng ủy xã Hòa Bình"
    assert case["override"]["van_ban"] == "Số 112-QĐ/ĐU"


def test_every_reviewed_member_has_a_self_review_of_the_three_roles():
    roles = member_files()
    assert len(roles) == 14
    assert {role: list(roles.values()).count(role) for role in ROLE_CODES} == {"lanh_dao": 5, "khong_lanh_dao": 7, "ngoai_he_thong": 2}
    manifest = load(DEMO_2026 / "don_vi.yaml")
    assert len(manifest["thanh_vien"]) == 15 and len(manifest["to_chuc"]) == 4
    assert {o["loai"] for o in manifest["to_chuc"]} == {"dang_bo_xa", "chi_bo_co_so"}
    assert manifest["don_vi"]["cap_tren"]["loai"] == "dang_bo_tinh"


def test_no_file_of_the_unit_names_a_district():
    for path in DEMO_2026.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert "Huyện ủy" not in text and "HUYỆN ỦY" not in text, path


# -- scenarios: change one fact, get the finding the scenario is about ---------------------------------------------
def test_without_the_mitigation_the_discipline_case_is_an_error(unit_copy):
    manifest = load(unit_copy / "don_vi.yaml")
    manifest.pop("ghi_de")
    (member,) = [m for m in manifest["thanh_vien"] if m["ma"] == "tran_van_hieu"]
    member.pop("giam_nhe")
    member["ky_luat"][0]["tu_phat_hien_khac_phuc"] = False
    save(unit_copy / "don_vi.yaml", manifest)
    code, findings = findings_of(unit_copy)
    assert code == 1
    assert ("IND-DISCIPLINE-KHT", "error", "ca_nhan/tran_van_hieu.yaml", "$.quyet_dinh_dang_uy.muc") in keyed(findings, unit_copy)


def test_the_mitigation_without_a_decision_stays_a_warning(unit_copy):
    manifest = load(unit_copy / "don_vi.yaml")
    manifest.pop("ghi_de")
    save(unit_copy / "don_vi.yaml", manifest)
    code, findings = findings_of(unit_copy)
    assert code == 0
    (case,) = [f for f in findings if f["rule_id"] == "IND-DISCIPLINE-KHT"]
    assert case["severity"] == "warning" and case["override"] is None


def set_member_level(unit: Path, code: str, level: str) -> None:
    """The chi bộ's proposal, its ballot and the decision of a member all moved to ``level``."""
    path = unit / "ca_nhan" / f"{code}.yaml"
    form = load(path)
    form["danh_gia_chi_uy"]["muc"] = form["quyet_dinh_dang_uy"]["muc"] = level
    save(path, form)
    manifest = load(unit / "don_vi.yaml")
    for tally in manifest["bo_phieu"]:
        for row in tally["ket_qua"]:
            if row["thanh_vien"] == code:
                votes = sum(v for k, v in row.items() if k != "thanh_vien")
                row.clear()
                row.update({"thanh_vien": code, level: votes})
    save(unit / "don_vi.yaml", manifest)


def test_the_2b_group_sits_exactly_at_the_20_percent_edge(unit_copy):
    # 1 HTXSNV for 5 HTTNV passes; one HTTNV fewer and the 20 % no longer allows it.
    set_member_level(unit_copy, "dao_thi_minh_chau", "HTNV")
    code, findings = findings_of(unit_copy)
    assert code == 1
    (quota,) = [f for f in findings if f["rule_id"] in ("UNIT-QUOTA", "Q366-QUOTA-DECISION")]
    assert (quota["severity"], quota["json_path"]) == ("error", "$.thanh_vien")
    assert "Mẫu 2B" in quota["message_vi"] and "Ngô Thanh Tâm" in quota["message_vi"]


def test_a_recorded_25_percent_decision_lifts_the_edge(unit_copy):
    set_member_level(unit_copy, "dao_thi_minh_chau", "HTNV")
    manifest = load(unit_copy / "don_vi.yaml")
    manifest["don_vi"]["ty_le_htxs_quyet_dinh"] = [{
        "nhom": "Đảng viên không giữ chức vụ lãnh đạo, quản lý (Mẫu 2B)", "ty_le": 0.25, "so_ky_hieu": "1290-QĐ/TU",
        "ngay": "2026-12-10", "co_quan": "Ban Thường vụ Tỉnh ủy Bình Nguyên"}]
    save(unit_copy / "don_vi.yaml", manifest)
    code, findings = findings_of(unit_copy)
    assert code == 0
    assert not [f for f in findings if "QUOTA" in f["rule_id"]]


@pytest.mark.parametrize(("member", "level", "rule"), [
    # 91 points, but the units he leads exceed on 4/15 tasks (< 30 %).
    ("truong_quoc_khanh", "HTXSNV", "Q366-HTXS-TASKS"),
    # 80 points, but both units she leads have a late task.
    ("phan_thi_kim_oanh", "HTTNV", "Q366-HTT-TASKS"),
])
def test_a_leaders_level_is_driven_by_the_units_he_leads(unit_copy, member, level, rule):
    set_member_level(unit_copy, member, level)
    _, findings = findings_of(unit_copy)
    assert (rule, "error", f"ca_nhan/{member}.yaml", "$.quyet_dinh_dang_uy.muc") in keyed(findings, unit_copy)
    (found,) = [f for f in findings if f["rule_id"] == rule]
    assert "các đơn vị do mình trực tiếp lãnh đạo" in found["message_vi"]


def set_org_level(unit: Path, code: str, level: str) -> int:
    manifest = load(unit / "don_vi.yaml")
    index = next(i for i, o in enumerate(manifest["to_chuc"]) if o["ma"] == code)
    org = manifest["to_chuc"][index]
    org["quyet_dinh"]["muc"] = org["tham_dinh"]["muc"] = level
    org["tham_dinh"].pop("ly_do", None)
    save(unit / "don_vi.yaml", manifest)
    return index


def test_the_thon_dong_ledger_supports_htxsnv_and_only_the_quota_refuses_it(unit_copy, baseline):
    set_org_level(unit_copy, "chi_bo_thon_dong", "HTXSNV")
    about = new_findings(unit_copy, baseline)
    assert [(f["rule_id"], f["json_path"]) for f in about] == [("UNIT-QUOTA", "$.to_chuc")]
    assert "Chi bộ Thôn Đông" in about[0]["message_vi"]


@pytest.mark.parametrize(("org", "level", "rule"), [
    ("chi_bo_co_quan_dang", "HTXSNV", "Q366-HTXS-TASKS"),  # 91 points, 2/8 tasks exceeded
    ("chi_bo_uy_ban", "HTTNV", "Q366-HTT-TASKS"),  # one late task
])
def test_a_collective_ledger_caps_its_level(unit_copy, org, level, rule):
    index = set_org_level(unit_copy, org, level)
    _, findings = findings_of(unit_copy)
    assert (rule, "error", "don_vi.yaml", f"$.to_chuc[{index}].quyet_dinh.muc") in keyed(findings, unit_copy)


def test_the_upheld_complaint_needs_the_regrading_decision(unit_copy):
    (unit_copy / "van_ban" / "qd_xep_loai_lai_ho_van_phat.yaml").unlink()
    code, findings = findings_of(unit_copy)
    assert code == 1
    assert ("REGRADE-KEEP", "error", "van_ban/hs_khieu_nai_ho_van_phat.yaml", "$.ket_luan.muc_sau_ket_luan") in keyed(findings, unit_copy)


# -- the documents -----------------------------------------------------------------------------------------------
def test_no_document_cites_the_replaced_regulation(rendered):
    documents = sorted(rendered.rglob("*.docx"))
    assert len(documents) == 46
    for path in documents:
        text = docx_text(path)
        assert "124-QĐ/TW" not in text and "25-HD/BTCTW" not in text, path
        assert "Huyện ủy" not in text and "HUYỆN ỦY" not in text, path


@pytest.mark.parametrize("name", CITING_DOCUMENTS)
def test_decisions_minutes_and_reports_cite_qd366_and_hd43(rendered, name):
    text = docx_text(rendered / f"{name}.docx")
    assert "Quy định số 366-QĐ/TW" in text and "Hướng dẫn số 43-HD/BTCTW" in text


def header(path: Path) -> str:
    """The left header block of a document (first cell of its first table)."""
    return docx_tables(path)[0][0][0]


@pytest.mark.parametrize("name", COMMUNE_DOCUMENTS)
def test_commune_committee_documents_show_the_province_above(rendered, name):
    lines = header(rendered / f"{name}.docx").splitlines()
    assert lines[:2] == ["ĐẢNG BỘ TỈNH BÌNH NGUYÊN", "ĐẢNG ỦY XÃ HÒA BÌNH"]


def test_chi_bo_documents_show_the_commune_above(rendered):
    chi_bo = sorted((rendered / "ca_nhan").glob("*.docx")) + sorted((rendered / "tap_the").glob("chi_bo_*.docx"))
    chi_bo += sorted((rendered / "van_ban").glob("hn_*chi_bo_*.docx")) + sorted((rendered / "van_ban").glob("qd_tong_hop_de_xuat_*.docx"))
    assert len(chi_bo) == 30
    for path in chi_bo:
        lines = header(path).splitlines()
        assert lines[0] == "ĐẢNG BỘ XÃ HÒA BÌNH" and lines[1].startswith("CHI BỘ "), path


@pytest.mark.parametrize(("member", "role"), sorted(member_files().items()))
def test_each_member_gets_the_code_line_and_annex_of_their_role(rendered, member, role):
    text = docx_text(rendered / "ca_nhan" / f"{member}.docx")
    codes = set(re.findall(r"Mẫu 2[ABC]-HD KĐ\.ĐG 2025", text))
    assert codes == {ROLE_CODES[role]}
    assert f"{ROLE_ANNEX[role]}, Quy định 366-QĐ/TW" in text


def test_collective_reports_and_the_regrading_decision_carry_their_codes(rendered):
    for name in ("dang_uy_xa", "chi_bo_co_quan_dang", "chi_bo_uy_ban", "chi_bo_thon_dong"):
        assert "Mẫu 01-HD KĐ.ĐG 2025" in docx_text(rendered / "tap_the" / f"{name}.docx")
    regrade = docx_text(rendered / "van_ban" / "qd_xep_loai_lai_ho_van_phat.docx")
    assert "Mẫu 03-HD KĐ.ĐG" in regrade and "Hồ Văn Phát" in regrade
    assert "BAN THƯỜNG VỤ ĐẢNG ỦY XÃ HÒA BÌNH QUYẾT ĐỊNH" in regrade


def test_the_grading_decision_is_the_commune_standing_committees(rendered):
    text = docx_text(rendered / "van_ban" / "qd_xep_loai_dang_vien.docx")
    assert "BAN THƯỜNG VỤ ĐẢNG ỦY XÃ HÒA BÌNH QUYẾT ĐỊNH" in text and "T/M BAN THƯỜNG VỤ" in text


# -- PDF and dossier (LibreOffice) --------------------------------------------------------------------------------
@pytest.mark.libreoffice
@needs_libreoffice
def test_render_pdf_and_dossier(tmp_path):
    runner = CliRunner()
    rendered = runner.invoke(main, ["render", str(DEMO_2026), "-o", str(tmp_path / "d"), "--pdf"], catch_exceptions=False)
    assert rendered.exit_code == 0, rendered.output
    assert len(list((tmp_path / "d").rglob("*.pdf"))) == 46
    dossier = runner.invoke(main, ["dossier", str(DEMO_2026), "-o", str(tmp_path / "h")], catch_exceptions=False)
    assert dossier.exit_code == 0, dossier.output
    package = tmp_path / "h" / "ho_so"
    manifest = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["bo_quy_tac"] == "qd366"
    kinds = [p["loai"] for p in manifest["ho_so"]]
    assert (kinds.count("tap_the"), kinds.count("ca_nhan"), kinds.count("khen_thuong")) == (4, 14, 1)
    assert len(list((package / "ca_nhan").glob("*.zip"))) == 14 and len(list((package / "tap_the").glob("*.zip"))) == 4
    index = docx_text(package / "ca_nhan" / "tran_van_hieu" / "01_muc_luc.docx")
    assert "Mẫu 04-HD KĐ.ĐG 2025" in index and "Thiếu" not in index.split("Tổng số trang")[0]


@pytest.mark.xfail(strict=True, reason="so_lieu gives a member's level after the re-grading of 23/12/2026 to documents dated before it "
                                       "(decision 112-QĐ/ĐU of 16/12, notice 45-TB/ĐU of 17/12), which then show HTTNV for Hồ Văn Phát")
def test_documents_dated_before_the_regrading_print_the_level_then_in_force(rendered):
    notice = docx_text(rendered / "van_ban" / "qd_thong_bao_ho_van_phat.docx")
    assert "Mức xếp loại chất lượng: Hoàn thành nhiệm vụ." in notice
