"""Stage 2 (generator/validate.py): schema findings with file, JSON path, rule id and Vietnamese text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from conftest import TESTS, demo_forms
from generator import registry
from generator.validate import check_data

INVALID = sorted(p for p in (TESTS / "examples" / "invalid").iterdir() if p.is_dir())
VALID = sorted((TESTS / "examples" / "valid").glob("*.yaml"))


@pytest.mark.parametrize("case", INVALID, ids=[p.name for p in INVALID])
def test_invalid_example_produces_its_expected_findings(case: Path, cli):
    form = next(p for p in case.iterdir() if p.name.startswith("bieu_mau"))
    expected = yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))
    result = cli("validate", "--format", "json", form)
    assert result.exit_code == expected["ma_thoat"], result.output
    report = json.loads(result.stdout)
    found = {(f["rule_id"], f["json_path"]): f for f in report["findings"] if f["severity"] == "error"}
    wanted = {(f["rule_id"], f["json_path"]): f for f in expected["phat_hien"]}
    assert set(found) == set(wanted)
    for key, want in wanted.items():
        assert want["chua"] in found[key]["message_vi"], found[key]["message_vi"]
        assert found[key]["file"] == str(form)
        assert found[key]["legal_basis"]


@pytest.mark.parametrize("form", demo_forms() + VALID, ids=lambda p: p.stem)
def test_valid_example_is_clean(form: Path, cli):
    result = cli("validate", form)
    assert result.exit_code == 0, result.stdout
    assert "0 lỗi" in result.stdout


def test_text_report_names_file_path_rule_and_basis(cli):
    form = TESTS / "examples" / "invalid" / "thieu-vai-tro" / "bieu_mau.yaml"
    result = cli("validate", form)
    assert result.exit_code == 1
    line = result.stdout.splitlines()[0]
    assert line.startswith(f"{form}: $.vai_tro: [SCHEMA] lỗi: Thiếu vai trò")
    assert "Căn cứ:" in line


def test_all_files_are_reported_not_just_the_first(cli):
    forms = [TESTS / "examples" / "invalid" / n / "bieu_mau.yaml" for n in ("thieu-vai-tro", "tep-rong")]
    result = cli("validate", "--format", "json", *forms)
    files = {f["file"] for f in json.loads(result.stdout)["findings"]}
    assert files == {str(f) for f in forms}


def _minimal() -> dict:
    path = TESTS / "examples" / "valid" / "ca_nhan_toi_thieu.yaml"
    from generator.load import load_form

    return load_form(path).data


@pytest.mark.parametrize(
    ("period", "explicit", "expected"),
    [
        ({"nam": 2023}, None, "qd124"),
        ({"nam": 2024}, None, "qd124"),
        ({"nam": 2025}, "qd124", "qd124"),
    ],
)
def test_binds_period_to_ruleset(period, explicit, expected):
    data = dict(_minimal(), ky_danh_gia=period)
    if explicit:
        data["bo_quy_tac"] = explicit
    findings, form = check_data("x.yaml", data)
    assert form is not None, findings
    assert form.binding.ruleset.key == expected


def test_explicit_ruleset_that_differs_from_the_period_table_is_recorded():
    data = dict(_minimal(), ky_danh_gia={"nam": 2025}, bo_quy_tac="qd124")
    findings, form = check_data("x.yaml", data)
    assert form is not None
    assert [(f.severity, f.json_path) for f in findings] == [("info", "$.bo_quy_tac")]
    assert "qd366" in findings[0].message_vi


def test_default_ruleset_table():
    assert registry.default_ruleset(2020, None) == "qd132"
    assert registry.default_ruleset(2024, None) == "qd124"
    assert registry.default_ruleset(2026, None) == "qd366"
    assert registry.default_ruleset(2024, 2) == "qd366"


def test_forms_are_keyed_by_role_not_by_letter():
    staff = registry.bind({"bieu_mau": "kiem_diem_ca_nhan", "vai_tro": "khong_lanh_dao", "ky_danh_gia": {"nam": 2024}})
    leader = registry.bind({"bieu_mau": "kiem_diem_ca_nhan", "vai_tro": "lanh_dao", "ky_danh_gia": {"nam": 2024}})
    assert (staff.entry.key, staff.entry.label) == ("individual_staff", "Mẫu 02A-HD KĐ.ĐG 2023")
    assert (leader.entry.key, leader.entry.label) == ("individual_leader", "Mẫu 02B-HD KĐ.ĐG 2023")
