"""The CLI (generator/cli.py): exit codes 0/1/2, Vietnamese help, JSON output, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import TESTS, demo_forms


def test_usage_error_exits_2(cli):
    result = cli("validate")
    assert result.exit_code == 2


def test_unknown_command_exits_2(cli):
    assert cli("khong-co-lenh").exit_code == 2


def test_clean_files_exit_0_and_findings_exit_1(cli):
    assert cli("validate", demo_forms()[0]).exit_code == 0
    bad = TESTS / "examples" / "invalid" / "tep-rong" / "bieu_mau.yaml"
    assert cli("validate", bad).exit_code == 1


def test_json_format_is_machine_readable(cli):
    bad = TESTS / "examples" / "invalid" / "thieu-vai-tro" / "bieu_mau.yaml"
    report = json.loads(cli("validate", "--format", "json", bad).stdout)
    assert report["ok"] is False
    assert report["files_checked"] == 1
    assert set(report["findings"][0]) >= {"rule_id", "severity", "file", "json_path", "message_vi", "legal_basis"}


def test_help_is_vietnamese(cli):
    result = cli("--help")
    assert "hồ sơ kiểm điểm, đánh giá, xếp loại chất lượng" in result.stdout
    for command in ("validate", "render", "lint", "demo"):
        assert command in result.stdout


def test_installed_entry_point_runs_as_a_process():
    bad = TESTS / "examples" / "invalid" / "sai-ma-hoa" / "bieu_mau.yaml"
    proc = subprocess.run(
        [sys.executable, "-m", "generator.cli", "validate", str(bad)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 1
    assert "UTF-8" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_render_with_bad_locality_file_names_the_setting(tmp_path, cli):
    locality = tmp_path / "tinh.yaml"
    locality.write_text("the_thuc: {le_tren: 200}\n", encoding="utf-8")
    result = cli("render", demo_forms()[0], "-o", tmp_path / "out", "--locality", locality)
    assert result.exit_code == 1
    assert "tinh.yaml: $.the_thuc.le_tren: Thiết lập địa phương không hợp lệ" in result.stderr
    assert not (tmp_path / "out").exists()
