"""Safe output (generator/output.py): nothing half-written, nothing lost, owner-only permissions."""

from __future__ import annotations

import os
import stat

from conftest import TESTS, demo_forms

MINIMAL = TESTS / "examples" / "valid" / "ca_nhan_toi_thieu.yaml"


def test_one_invalid_file_means_nothing_is_written(tmp_path, cli):
    bad = TESTS / "examples" / "invalid" / "thieu-vai-tro" / "bieu_mau.yaml"
    out = tmp_path / "out"
    result = cli("render", demo_forms()[0], bad, "-o", out)
    assert result.exit_code == 1
    assert "Chưa tạo văn bản nào" in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_previous_output_is_kept_when_replaced(tmp_path, cli):
    out = tmp_path / "out"
    assert cli("render", MINIMAL, "-o", out).exit_code == 0
    first = (out / "ca_nhan_toi_thieu.docx").read_bytes()
    changed = tmp_path / "ca_nhan_toi_thieu.yaml"
    changed.write_text(MINIMAL.read_text(encoding="utf-8").replace("Nguyễn Thị Thử", "Nguyễn Thị Sửa"), encoding="utf-8")
    assert cli("render", changed, "-o", out).exit_code == 0
    kept = list((out / "_phien_ban_truoc").glob("*/ca_nhan_toi_thieu.docx"))
    assert len(kept) == 1 and kept[0].read_bytes() == first
    assert (out / "ca_nhan_toi_thieu.docx").read_bytes() != first


def test_identical_rerun_keeps_no_duplicate(tmp_path, cli):
    out = tmp_path / "out"
    for _ in range(2):
        assert cli("render", MINIMAL, "-o", out).exit_code == 0
    assert not (out / "_phien_ban_truoc").exists()


def test_outputs_are_readable_by_owner_only(tmp_path, cli):
    out = tmp_path / "out"
    assert cli("render", MINIMAL, "-o", out).exit_code == 0
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(out / "ca_nhan_toi_thieu.docx").st_mode) == 0o600


def test_no_staging_folder_is_left_behind(tmp_path, cli):
    out = tmp_path / "out"
    assert cli("render", MINIMAL, "-o", out).exit_code == 0
    assert not [p for p in out.iterdir() if p.name.startswith(".hoso-")]


def test_same_stem_in_two_folders_does_not_collide(tmp_path, cli):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    for folder in (a, b):
        (folder / "x.yaml").write_text(MINIMAL.read_text(encoding="utf-8"), encoding="utf-8")
    assert cli("render", a / "x.yaml", b / "x.yaml", "-o", tmp_path / "out").exit_code == 0
    assert {p.name for p in (tmp_path / "out").glob("*.docx")} == {"a_x.docx", "b_x.docx"}
