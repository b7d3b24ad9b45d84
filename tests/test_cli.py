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


def test_complaint_reply_in_one_step(tmp_path, cli):
    from conftest import DEMO, HAS_LIBREOFFICE

    complaint = DEMO / "van_ban" / "hs_khieu_nai_vu_thi_lan.yaml"
    args = ["complaint", "reply", complaint, "-o", tmp_path] + ([] if HAS_LIBREOFFICE else ["--no-pdf"])
    result = cli(*args)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "hs_khieu_nai_vu_thi_lan.docx").exists()
    from conftest import docx_text

    text = docx_text(tmp_path / "hs_khieu_nai_vu_thi_lan.docx")
    assert "Vũ Thị Lan" in text and "phải chấp hành kết luận" in text


def test_complaint_reply_without_conclusion_is_a_draft(tmp_path, cli):
    import yaml

    from conftest import DEMO

    data = yaml.safe_load((DEMO / "van_ban" / "hs_khieu_nai_vu_thi_lan.yaml").read_text(encoding="utf-8"))
    for key in ("ket_luan", "ngay_thong_bao"):
        data.pop(key, None)
    path = tmp_path / "kn.json"
    import json

    path.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    result = cli("complaint", "reply", path, "-o", tmp_path / "out", "--no-pdf")
    assert result.exit_code == 0
    assert "[COMPLAINT-REPLY] cảnh báo" in result.stderr
    from conftest import docx_text

    assert "DỰ THẢO" in docx_text(tmp_path / "out" / "kn.docx")


def test_complaint_reply_refuses_another_form(tmp_path, cli):
    from conftest import DEMO

    result = cli("complaint", "reply", DEMO / "tap_the" / "dang_uy_xa.yaml", "-o", tmp_path)
    assert result.exit_code == 1 and "không phải hồ sơ khiếu nại" in result.stdout
