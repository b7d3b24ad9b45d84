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
VALID = sorted((TESTS / "examples" / "valid").rglob("*.yaml"))


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


# -- what validates must render, literally: no impossible dates or times ---------------------------
from conftest import DEMO  # noqa: E402


def _unit_copy(tmp_path, old: str, new: str) -> Path:
    import shutil

    unit = tmp_path / "don_vi"
    shutil.copytree(DEMO, unit)
    manifest = unit / "don_vi.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert old in text
    manifest.write_text(text.replace(old, new, 1), encoding="utf-8")
    return unit


@pytest.mark.parametrize(
    "moment",
    ["2024-12-10T25:00", "2024-02-30T07:30", "2024-12-10T07:60", "2024-12-10T07:30+07:00", "2024-12-10T07:30garbage", "2024-12-10 07:30"],
)
def test_unit_meeting_times_are_real_local_times(tmp_path, cli, moment):
    unit = _unit_copy(tmp_path, '{bat_dau: "2024-12-10T07:30"', f'{{bat_dau: "{moment}"')
    result = cli("check", "--format", "json", unit)
    assert result.exit_code == 1
    errors = [f for f in json.loads(result.stdout)["findings"] if f["severity"] == "error"]
    assert [f["json_path"] for f in errors] == ["$.to_chuc[0].hop.buoi[0].bat_dau"]
    assert "không phải là ngày giờ hợp lệ" in errors[0]["message_vi"]


@pytest.mark.parametrize("moment", ["2024-12-10T07:30", "2024-12-10T07:30:45"])
def test_unit_meeting_times_may_carry_seconds(moment):
    from generator.validate import FORMAT_CHECKER

    assert FORMAT_CHECKER.conforms(moment, "date-time")


def test_date_shaped_patterns_refuse_impossible_dates(tmp_path, cli):
    source = DEMO / "van_ban" / "hn_bien_ban_chi_bo_co_quan.yaml"
    form = tmp_path / "bien_ban.yaml"
    form.write_text(source.read_text(encoding="utf-8").replace('bat_dau: "2024-12-06T07:30"', 'bat_dau: "2024-02-30T07:30"'), encoding="utf-8")
    result = cli("validate", "--format", "json", form)
    assert result.exit_code == 1
    assert [f["json_path"] for f in json.loads(result.stdout)["findings"]] == ["$.buoi[0].bat_dau"]


def test_unit_manifest_gets_the_load_checks(tmp_path, cli):
    unit = _unit_copy(tmp_path, "  - ma: chi_bo_co_quan\n", "  - ma: chi_bo_co_quan\n    1: x\n    ghi_chu_thu: .nan\n")
    result = cli("check", "--format", "json", unit)
    assert result.exit_code == 1
    found = {(f["json_path"], f["file"]) for f in json.loads(result.stdout)["findings"]}
    assert found == {("$.to_chuc[1]", str(unit / "don_vi.yaml")), ("$.to_chuc[1].ghi_chu_thu", str(unit / "don_vi.yaml"))}


# -- messages that cannot be abused --------------------------------------------------------------
def test_quoted_values_are_escaped_and_cut_short():
    data = dict(_minimal(), tu_nhan_muc={"dang_vien": "x\x1b[2J\nlanh_dao" + "y" * 500})
    findings, _ = check_data("x.yaml", data)
    message = next(f.message_vi for f in findings if f.json_path == "$.tu_nhan_muc.dang_vien")
    assert "\x1b" not in message and "\n" not in message
    assert "x\\x1b[2J\\nlanh_dao" in message
    assert "y" * 61 not in message and "…" in message


def test_text_report_keeps_one_finding_on_one_line():
    from generator.findings import Finding, format_text

    text = format_text([Finding("SCHEMA", "error", "a\nb.yaml", "$.x", "giá trị 'q\nr\x1b[31m'", "")])
    assert text == "a\\nb.yaml: $.x: [SCHEMA] lỗi: giá trị 'q\\nr\\x1b[31m'"


def test_json_report_survives_a_lone_surrogate(tmp_path, cli):
    form = tmp_path / "bieu_mau.json"
    form.write_text('{"bieu_mau": "kiem_diem_ca_nhan", "a\\ud800": 1}', encoding="utf-8")
    result = cli("validate", "--format", "json", form)
    assert result.exit_code == 1
    assert json.loads(result.stdout)["findings"][0]["json_path"] == "$['a\\ud800']"


@pytest.mark.parametrize(("day", "words"), [("9999-12-31", "năm 9999"), ("0001-01-01", "năm 1"), ("1899-12-31", "năm 1899"), ("2024-02-30", "không phải là ngày hợp lệ")])
def test_dates_are_real_and_within_the_years_hoso_takes(day, words):
    findings, form = check_data("x.yaml", dict(_minimal(), ngay_lap=day))
    assert form is None
    assert [f.json_path for f in findings] == ["$.ngay_lap"] and words in findings[0].message_vi


def test_admission_in_year_9999_is_refused_before_the_rules_see_it(tmp_path, cli):
    unit = _unit_copy(tmp_path, "ngay_vao_dang: 19", "ngay_vao_dang: 99")
    result = cli("check", "--format", "json", unit)
    assert result.exit_code == 1
    errors = [f for f in json.loads(result.stdout)["findings"] if f["severity"] == "error"]
    assert len(errors) == 1 and errors[0]["json_path"].endswith(".ngay_vao_dang") and "nằm ngoài khoảng 1900–2099" in errors[0]["message_vi"]
