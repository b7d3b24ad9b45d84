"""Stage 6 (generator/assemble.py): record packages with checklist, merged PDF/A, manifest, ZIP; atomic."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pypdf
import pytest

from conftest import docx_text, needs_libreoffice, small_unit

pytestmark = [pytest.mark.libreoffice, needs_libreoffice]


def build(cli, unit: Path, out: Path):
    return cli("dossier", unit, "-o", out, "--format", "json")


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    from click.testing import CliRunner

    from generator.cli import main

    root = tmp_path_factory.mktemp("dossier")
    unit = small_unit(root / "don_vi")
    result = CliRunner().invoke(main, ["dossier", str(unit), "-o", str(root / "out")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root / "out" / "ho_so"


def test_current_package_is_a_link_to_a_kept_version(package):
    assert package.is_symlink()
    assert package.resolve().parent.name == ".phien_ban"


def test_package_layout(package):
    member = package / "ca_nhan" / "dv0"
    names = sorted(p.name for p in member.iterdir())
    assert names[0:2] == ["01_muc_luc.docx", "01_muc_luc.pdf"]
    assert "ho_so_dv0.pdf" in names and "manifest.json" in names
    assert any(n.startswith("02_ban_kiem_diem") and n.endswith(".docx") for n in names)
    assert (package / "ca_nhan" / "dv0.zip").is_file() and (package / "tap_the" / "cb.zip").is_file()
    assert (package / "chi_bo_thu_2024.zip").is_file() and (package / "manifest.json").is_file()
    assert (package / "don_vi" / "phat_hien.json").is_file()


def test_checklist_text_matches_golden(package, golden):
    golden("dossier_index_dv0.docx.txt", docx_text(package / "ca_nhan" / "dv0" / "01_muc_luc.docx"))
    golden("dossier_index_cb.docx.txt", docx_text(package / "tap_the" / "cb" / "01_muc_luc.docx"))


def test_checklist_marks_absent_optional_and_not_applicable(package):
    text = docx_text(package / "ca_nhan" / "dv0" / "01_muc_luc.docx")
    assert "Bản kê khai tài sản" in text and "Không áp dụng" in text  # not a leader
    assert "Không có" in text  # the optional notice of results
    assert "Thiếu" not in text.split("Tổng số trang")[0]


def test_merged_pdf_has_an_outline_entry_per_document_page_labels_and_metadata(package):
    folder = package / "ca_nhan" / "dv0"
    reader = pypdf.PdfReader(str(folder / "ho_so_dv0.pdf"))
    titles = [o.title for o in reader.outline]
    assert titles[0] == "Mục lục hồ sơ"
    assert titles[1].startswith("1. Bản kiểm điểm cá nhân năm 2024 — Đảng Viên Thứ 1")
    assert any(t.startswith("3. Nhận xét nơi cư trú") for t in titles)
    parts = [f for f in sorted(folder.glob("[0-9]*.pdf"))]
    assert len(reader.pages) == sum(len(pypdf.PdfReader(str(p)).pages) for p in parts)
    assert reader.page_labels[0] == "1-1"
    assert reader.metadata.title == "Hồ sơ cá nhân: Đảng Viên Thứ 1 — năm 2024"
    assert reader.metadata.subject == "Đảng Viên Thứ 1 — năm 2024 — qd124"
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"<pdfaid:part[^>]*>2</pdfaid:part>", xmp) and re.search(r"<pdfaid:conformance[^>]*>B<", xmp)
    assert "/OutputIntents" in reader.trailer["/Root"]
    import pikepdf

    with pikepdf.open(folder / "ho_so_dv0.pdf") as pdf:
        assert pdf.check_pdf_syntax() == []  # qpdf's structural check
        assert pdf.open_metadata().pdfa_status == "2B"
        highest = max(pikepdf.open(p).pdf_version for p in parts)
        assert pdf.pdf_version == highest  # the merge keeps the highest version of its parts


def test_manifest_hashes_every_file(package):
    folder = package / "ca_nhan" / "dv0"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["ten"]: f["sha256"] for f in manifest["tep"]}
    on_disk = {p.name for p in folder.iterdir()} - {"manifest.json"}
    assert set(listed) == on_disk
    for name, sha in listed.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == sha
    assert manifest["bo_quy_tac"] == "qd124" and manifest["ky_danh_gia"] == {"nam": 2024}


def test_attachments_that_are_not_pdfa_are_flagged(package):
    folder = package / "ca_nhan" / "dv0"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    status = {f["ten"]: f.get("pdfa") for f in manifest["tep"]}
    assert status["01_muc_luc.pdf"] == "2B"
    assert next(v for k, v in status.items() if "phieu_bo_sung" in k and k.endswith(".pdf")) == ""
    assert "không theo PDF/A" in docx_text(folder / "01_muc_luc.docx")


def test_stale_staging_folders_are_cleaned_fresh_ones_kept(tmp_path, cli):
    out = tmp_path / "out"
    old, fresh = out / ".hoso-dang-tao-cu", out / ".hoso-dang-tao-moi"
    old.mkdir(parents=True), fresh.mkdir()
    os.utime(old, (time.time() - 3 * 24 * 3600,) * 2)
    assert build(cli, small_unit(tmp_path / "don_vi"), out).exit_code == 0
    assert not old.exists() and fresh.exists()


def test_scanned_image_became_a_pdf_page(package):
    folder = package / "ca_nhan" / "dv0"
    png = next(folder.glob("*nhan_xet_cu_tru*.png"))
    assert len(pypdf.PdfReader(str(png.with_suffix(".pdf"))).pages) == 1


def test_package_is_owner_only(package):
    for path in [package.resolve(), *package.resolve().rglob("*")]:
        mode = stat.S_IMODE(os.stat(path).st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), path


def test_same_input_gives_the_same_zip_bytes(tmp_path, cli, package):
    unit = small_unit(tmp_path / "don_vi")
    assert build(cli, unit, tmp_path / "out").exit_code == 0
    again = tmp_path / "out" / "ho_so"
    assert (again / "ca_nhan" / "dv0.zip").read_bytes() == (package / "ca_nhan" / "dv0.zip").read_bytes()
    assert (again / "chi_bo_thu_2024.zip").read_bytes() == (package / "chi_bo_thu_2024.zip").read_bytes()


def test_missing_items_are_findings_and_nothing_is_published(tmp_path, cli):
    unit = small_unit(tmp_path / "don_vi", complete=False)
    result = build(cli, unit, tmp_path / "out")
    assert result.exit_code == 1
    found = [f for f in json.loads(result.stdout)["findings"] if f["rule_id"] == "DOSSIER-COMPLETE"]
    assert {f["json_path"] for f in found} == {"$.to_chuc[0]", "$.thanh_vien[0]", "$.thanh_vien[1]"}
    member = next(f for f in found if f["json_path"] == "$.thanh_vien[0]")["message_vi"]
    assert "Phiếu bổ sung hồ sơ đảng viên" in member and "Phiếu nhận xét của cấp ủy nơi cư trú" in member
    assert "Thông báo kết quả" not in member  # "nếu có": absent, not missing
    assert not (tmp_path / "out" / "ho_so").exists()


def test_a_killed_build_leaves_the_previous_package_and_a_rerun_completes(tmp_path):
    unit = small_unit(tmp_path / "don_vi")
    out = tmp_path / "out"
    env = dict(os.environ, HOME=str(tmp_path))
    command = [sys.executable, "-m", "generator.cli", "dossier", str(unit), "-o", str(out)]
    assert subprocess.run(command, env=env, capture_output=True, timeout=600).returncode == 0
    first = (out / "ho_so").resolve()
    # Change the data, then kill rebuilds at several moments.
    form = unit / "ca_nhan" / "dv0.yaml"
    form.write_text(form.read_text(encoding="utf-8").replace("Đã khắc phục.", "Đã khắc phục xong."), encoding="utf-8")
    for delay in (0.5, 2.0, 4.0):
        proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        current = (out / "ho_so").resolve()
        assert current.is_dir()
        _assert_complete(current)
    assert subprocess.run(command, env=env, capture_output=True, timeout=600).returncode == 0
    latest = (out / "ho_so").resolve()
    _assert_complete(latest)
    assert latest != first and first.is_dir()  # the first version is kept
    assert "Đã khắc phục xong." in docx_text(next((latest / "ca_nhan" / "dv0").glob("02_*.docx")))


def _assert_complete(package: Path) -> None:
    for manifest_path in package.glob("*/*/manifest.json"):
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        for entry in manifest["tep"]:
            assert hashlib.sha256((manifest_path.parent / entry["ten"]).read_bytes()).hexdigest() == entry["sha256"]
    assert (package / "manifest.json").is_file()
