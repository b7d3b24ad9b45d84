"""Safe output (generator/output.py): nothing half-written, nothing lost, owner-only permissions, others' folders untouched."""

from __future__ import annotations

import os
import stat

import pytest

from conftest import TESTS, demo_forms
from generator.output import OWNER_FILE, private_dir, process_alive, process_token, staging

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


def _mode(path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def _numbered_form(tmp_path):
    """An unnumbered form and a locality with the committee term, for --cap-so."""
    import yaml

    locality = tmp_path / "tinh.yaml"
    locality.write_text(yaml.safe_dump({"nhiem_ky": [{"tu": "2022-06-01", "den": "2025-05-31"}]}, allow_unicode=True), encoding="utf-8")
    form = yaml.safe_load((TESTS.parent / "examples" / "demo" / "tap_the" / "chi_bo_co_quan.yaml").read_text(encoding="utf-8"))
    del form["so_van_ban"]["so"]
    path = tmp_path / "bao_cao.yaml"
    path.write_text(yaml.safe_dump(form, allow_unicode=True), encoding="utf-8")
    return path, locality


@pytest.mark.parametrize("shared_mode", [0o1777, 0o755], ids=oct)
def test_existing_folders_keep_their_mode_and_what_hoso_creates_is_owner_only(tmp_path, cli, shared_mode):
    shared = tmp_path / "chung"
    shared.mkdir()
    os.chmod(shared, shared_mode)
    form, locality = _numbered_form(tmp_path)
    register = shared / "so_dang_ky" / "so.sqlite"
    for _ in range(2):  # the second run replaces nothing new but goes through every existing folder again
        result = cli("render", form, "-o", shared, "--locality", locality, "--cap-so", "--so-dang-ky", register)
        assert result.exit_code == 0, result.output
        assert _mode(shared) == shared_mode
    assert _mode(shared / "bao_cao.docx") == 0o600
    assert _mode(register.parent) == 0o700 and _mode(register) == 0o600

    # An existing register and its existing folder keep their modes too.
    os.chmod(register, 0o640)
    os.chmod(register.parent, 0o750)
    assert cli("render", form, "-o", shared, "--locality", locality, "--cap-so", "--so-dang-ky", register).exit_code == 0
    assert _mode(register) == 0o640 and _mode(register.parent) == 0o750


@pytest.mark.parametrize("shared_mode", [0o1777, 0o755], ids=oct)
def test_private_dir_sets_modes_only_on_the_folders_it_creates(tmp_path, shared_mode):
    shared = tmp_path / "chung"
    shared.mkdir()
    os.chmod(shared, shared_mode)
    made = private_dir(shared / "a" / "b" / "c")
    assert made.is_dir() and _mode(shared) == shared_mode
    assert [_mode(shared / p) for p in ("a", "a/b", "a/b/c")] == [0o700] * 3
    os.chmod(shared / "a", 0o755)
    private_dir(shared / "a" / "b" / "d")
    assert _mode(shared / "a") == 0o755 and _mode(shared / "a" / "b" / "d") == 0o700


def _dead_token() -> str:
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    token = process_token(proc.pid)
    proc.kill()
    proc.wait()
    return token


def test_staging_folders_of_dead_runs_are_removed_live_ones_kept(tmp_path, cli):
    out = tmp_path / "out"
    folders = {
        "dead": _dead_token(),  # the run was killed
        "reused": f"{os.getpid()} 1",  # its pid now belongs to another process (different start time)
        "live": process_token(),  # a run still going
    }
    for name, owner in folders.items():
        (out / f".hoso-dang-tao-{name}").mkdir(parents=True)
        (out / f".hoso-dang-tao-{name}" / OWNER_FILE).write_text(owner + "\n")
    fresh_without_owner = out / ".hoso-dang-tao-cu"
    fresh_without_owner.mkdir()
    assert cli("render", MINIMAL, "-o", out).exit_code == 0
    left = {p.name for p in out.glob(".hoso-dang-tao-*")}
    assert left == {".hoso-dang-tao-live", ".hoso-dang-tao-cu"}


def test_a_staging_folder_names_its_owner(tmp_path):
    with staging(tmp_path / "out") as stage:
        assert process_alive((stage / OWNER_FILE).read_text())
        assert _mode(stage) == 0o700
    assert not stage.exists()
    assert not process_alive(_dead_token())
