"""The command line speaks Vietnamese only, and a defect of hoso never shows a traceback."""

from __future__ import annotations

import re

import pytest

ENGLISH = re.compile(r"\b(Usage|Options|Commands|Show this message|Error|Missing|Invalid value|No such|does not exist|Try ')\b")


@pytest.mark.parametrize("args", [
    ["--help"], ["check", "--help"], ["render", "--help"], ["dossier", "--help"], ["archive", "--help"],
    ["complaint", "reply", "--help"], ["check"], ["render", "--khong-co"], ["check", "x", "--format", "xml"],
    ["dossier", "/khong/co/thu/muc", "-o", "x"], ["khong_co_lenh"],
])
def test_click_messages_are_vietnamese(cli, args):
    result = cli(*args)
    text = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert not ENGLISH.search(text), text
    assert ("Cách dùng:" in text) or ("Lỗi:" in text)


def test_internal_defect_is_a_vietnamese_message_and_a_private_log(cli, monkeypatch, tmp_path):
    import generator.pipeline as pipeline

    monkeypatch.delenv("HOSO_DEBUG")
    monkeypatch.setenv("HOSO_DATA", str(tmp_path / "du_lieu"))

    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("lỗi thử")

    monkeypatch.setattr(pipeline, "validate_files", broken)
    result = cli("validate", tmp_path / "x.yaml")
    assert result.exit_code == 70
    assert "Traceback" not in result.output and "Lỗi nội bộ của hoso" in result.stderr
    logs = list((tmp_path / "du_lieu" / "loi").glob("loi-*.txt"))
    assert len(logs) == 1 and "ZeroDivisionError" in logs[0].read_text(encoding="utf-8")
    assert logs[0].stat().st_mode & 0o077 == 0


def test_verbose_run_prints_no_library_logger_lines():
    """pikepdf logs "C++ to Python logger bridge initialized" at INFO when loaded under a root INFO logger."""
    import subprocess
    import sys

    code = "from generator.cli import _logging; _logging(True); import pikepdf, logging; logging.getLogger('hoso').info('Bước 1')"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "logger bridge" not in result.stderr and "Bước 1" in result.stderr


def test_forms_lists_every_form_code_and_attachment_item_code(cli):
    import json

    data = json.loads(cli("forms", "--bo-quy-tac", "qd124", "--format", "json").stdout)
    kinds = {(r["bieu_mau"], r["vai_tro"]) for r in data["bieu_mau"]}
    assert ("kiem_diem_ca_nhan", "lanh_dao") in kinds and ("bao_cao_tap_the", None) in kinds and len(kinds) == 21
    codes = {i["dinh_kem"] for i in data["muc_ho_so"] if i["dinh_kem"]}
    assert {"phieu_bo_sung", "nhan_xet_cu_tru", "quyet_dinh"} <= codes
    text = cli("forms", "--bo-quy-tac", "qd124").stdout
    assert "[muc: phieu_bo_sung]" in text and "bieu_mau: kiem_diem_ca_nhan + vai_tro: lanh_dao" in text
    # The default is the regulation in force: QĐ 366, with Mẫu 2C and every qd124 form it inherits.
    current = json.loads(cli("forms", "--format", "json").stdout)
    assert current["bo_quy_tac"] == "qd366"
    labels = {(r["bieu_mau"], r["vai_tro"]): r["nhan"] for r in current["bieu_mau"]}
    assert labels[("kiem_diem_ca_nhan", "lanh_dao")] == "Mẫu 2A-HD KĐ.ĐG 2025"
    assert labels[("kiem_diem_ca_nhan", "khong_lanh_dao")] == "Mẫu 2B-HD KĐ.ĐG 2025"
    assert labels[("kiem_diem_ca_nhan", "ngoai_he_thong")] == "Mẫu 2C-HD KĐ.ĐG 2025"
    assert ("bien_ban_hoi_nghi", None) in labels
    assert cli("forms", "--bo-quy-tac", "khong_co").exit_code == 2


def test_readme_figures_match_the_demo():
    import re
    from collections import Counter

    from conftest import ROOT
    from generator.checklist import packages
    from generator.pipeline import demo_unit
    from generator.source import load_unit

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    _, unit = load_unit(demo_unit())  # `scripts/demo` builds the current year's example unit
    kinds = Counter(p.kind for p in packages(unit))
    documents = re.search(r"\((\d+) văn bản của cả năm", readme).group(1)
    bundles = re.search(r"\((\d+) bộ hồ sơ: (\d+) cá nhân, (\d+) tập thể, (\d+) khen thưởng", readme).groups()
    assert int(documents) == len(unit.forms())
    assert tuple(map(int, bundles)) == (sum(kinds.values()), kinds["ca_nhan"], kinds["tap_the"], kinds["khen_thuong"])
