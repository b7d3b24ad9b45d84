"""Stage 7 (generator/archive.py): store, versions, verify, export; concurrent use; confidentiality."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import TESTS, needs_libreoffice, small_unit

pytestmark = [pytest.mark.libreoffice, needs_libreoffice]


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    """Two dossier builds of one unit: before and after a member's re-grading."""
    from click.testing import CliRunner

    from generator.cli import main

    root = tmp_path_factory.mktemp("archive")
    unit = small_unit(root / "don_vi")
    runner = CliRunner()
    assert runner.invoke(main, ["dossier", str(unit), "-o", str(root / "v1")], catch_exceptions=False).exit_code == 0
    decision = yaml.safe_load((TESTS / "examples" / "valid" / "quyet_dinh_xep_loai_lai.yaml").read_text(encoding="utf-8"))
    decision.update(thanh_vien="dv0", ho_ten_doi_tuong="Đảng Viên Thứ 1", muc_cu="HTTNV", muc_moi="HTNV")
    (unit / "van_ban").mkdir()
    (unit / "van_ban" / "xep_loai_lai_dv0.yaml").write_text(yaml.safe_dump(decision, allow_unicode=True), encoding="utf-8")
    manifest = yaml.safe_load((unit / "don_vi.yaml").read_text(encoding="utf-8"))
    manifest["van_ban"] = ["van_ban/"]
    (unit / "don_vi.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(main, ["dossier", str(unit), "-o", str(root / "v2")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root / "v1" / "ho_so", root / "v2" / "ho_so"


def archive(cli, store: Path, *args):
    return cli("archive", "--kho", store, *args)


def test_add_list_show_and_idempotent_readd(tmp_path, cli, packages):
    store = tmp_path / "kho"
    first = archive(cli, store, "add", packages[0])
    assert first.exit_code == 0 and first.stdout.count("Thêm:") == 3
    again = archive(cli, store, "add", packages[0])
    assert again.stdout.count("Đã có:") == 3
    rows = json.loads(archive(cli, store, "list", "--format", "json").stdout)
    assert {(r["ma"], r["phien_ban"]) for r in rows} == {("cb", 1), ("dv0", 1), ("dv1", 1)}
    info = json.loads(archive(cli, store, "show", "dv0", "--format", "json").stdout)
    assert info["ten"] == "Đảng Viên Thứ 1" and len(info["phien_ban"]) == 1


def test_regrading_adds_a_version_and_keeps_the_old_one(tmp_path, cli, packages):
    store = tmp_path / "kho"
    archive(cli, store, "add", packages[0])
    result = archive(cli, store, "add", packages[1])
    assert "Thêm: Chi bộ Thử / dv0 — phiên bản 2" in result.stdout
    assert "Đã có: Chi bộ Thử / dv1 — phiên bản 1" in result.stdout
    old = Path(archive(cli, store, "export", "dv0", "-o", tmp_path / "xuat", "--phien-ban", "1").stdout.split("vào ")[1].strip())
    new = Path(archive(cli, store, "export", "dv0", "-o", tmp_path / "xuat").stdout.split("vào ")[1].strip())
    assert not any(p.name.startswith("0") and "xep_loai_lai" in p.name for p in old.iterdir())
    assert any("xep_loai_lai" in p.name for p in new.iterdir())
    assert archive(cli, store, "verify").exit_code == 0


def test_verify_catches_a_flipped_byte_and_a_missing_file(tmp_path, cli, packages):
    store = tmp_path / "kho"
    archive(cli, store, "add", packages[0])
    blobs = sorted(p for p in (store / "tep").rglob("*") if p.is_file())
    flipped, removed = blobs[0], blobs[1]
    os.chmod(flipped, 0o600)
    data = bytearray(flipped.read_bytes())
    data[len(data) // 2] ^= 0x01
    flipped.write_bytes(bytes(data))
    removed.unlink()
    result = archive(cli, store, "verify")
    assert result.exit_code == 1
    assert "đã bị sửa (SHA-256 không khớp)" in result.stdout and "bị thiếu" in result.stdout
    # Both blobs may back several files (a unit-wide decision sits in many packages): at least 2 problems.
    problems = int(re.search(r"(\d+) tệp có vấn đề", result.stdout).group(1))
    assert problems >= 2


def test_a_tampered_package_is_refused(tmp_path, cli, packages):
    import shutil

    copy = tmp_path / "goi"
    shutil.copytree(packages[0].resolve(), copy)
    target = next((copy / "ca_nhan" / "dv0").glob("02_*.pdf"))
    os.chmod(target, 0o600)
    target.write_bytes(target.read_bytes() + b"%")
    result = archive(cli, tmp_path / "kho", "add", copy)
    assert result.exit_code == 1 and "không khớp SHA-256" in result.stderr


def test_two_processes_adding_at_once_do_not_corrupt_the_store(tmp_path, packages):
    store = tmp_path / "kho"
    env = dict(os.environ, HOME=str(tmp_path))
    procs = [
        subprocess.Popen([sys.executable, "-m", "generator.cli", "archive", "--kho", str(store), "add", str(p)], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for p in packages
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    check = subprocess.run([sys.executable, "-m", "generator.cli", "archive", "--kho", str(store), "verify"], env=env, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    listing = json.loads(subprocess.run([sys.executable, "-m", "generator.cli", "archive", "--kho", str(store), "list", "--format", "json"],
                                        env=env, capture_output=True, text=True).stdout)
    assert {r["ma"]: r["phien_ban"] for r in listing} == {"cb": 1, "dv0": 2, "dv1": 1}


def test_store_is_owner_only(tmp_path, cli, packages):
    store = tmp_path / "kho"
    archive(cli, store, "add", packages[0])
    assert stat.S_IMODE(os.stat(store).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(store / "luu_tru.sqlite").st_mode) == 0o600
    blob = next(p for p in (store / "tep").rglob("*") if p.is_file())
    assert stat.S_IMODE(os.stat(blob).st_mode) == 0o400
