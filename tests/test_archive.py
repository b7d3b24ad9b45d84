"""Stage 7 (generator/archive.py): store, versions, verify, export; concurrent use; confidentiality;
safe names, a damaged index never reported clean, rebuilding the index from the records."""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import TESTS, needs_libreoffice, small_unit


def with_libreoffice(test):
    return pytest.mark.libreoffice(needs_libreoffice(test))


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


@with_libreoffice
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


@with_libreoffice
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


@with_libreoffice
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
    problems = int(re.search(r"(\d+) vấn đề", result.stdout).group(1))
    assert problems >= 2


@with_libreoffice
def test_a_tampered_package_is_refused(tmp_path, cli, packages):
    import shutil

    copy = tmp_path / "goi"
    shutil.copytree(packages[0].resolve(), copy)
    target = next((copy / "ca_nhan" / "dv0").glob("02_*.pdf"))
    os.chmod(target, 0o600)
    target.write_bytes(target.read_bytes() + b"%")
    result = archive(cli, tmp_path / "kho", "add", copy)
    assert result.exit_code == 1 and "không khớp SHA-256" in result.stderr


@with_libreoffice
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


@with_libreoffice
def test_store_is_owner_only(tmp_path, cli, packages):
    store = tmp_path / "kho"
    archive(cli, store, "add", packages[0])
    assert stat.S_IMODE(os.stat(store).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(store / "luu_tru.sqlite").st_mode) == 0o600
    blob = next(p for p in (store / "tep").rglob("*") if p.is_file())
    assert stat.S_IMODE(os.stat(blob).st_mode) == 0o400


# -- small packages built by hand (no LibreOffice): the layout `hoso dossier` writes ---------------------
UNIT = "Chi bộ Thử"


def write_subject(folder: Path, files: dict[str, bytes], ma: str, kind: str = "ca_nhan", **override) -> dict:
    """Write the files and a manifest.json listing them into ``folder``; returns the manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)
    manifest = {
        "doi_tuong": {"ma": ma, "ten": f"Đảng viên {ma}", "loai": kind}, "don_vi": UNIT,
        "ky_danh_gia": {"nam": 2024}, "bo_quy_tac": "qd366",
        "tep": [{"ten": n, "sha256": hashlib.sha256(c).hexdigest(), "kich_thuoc": len(c)} for n, c in files.items()],
        **override,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return manifest


def fake_package(root: Path, tag: str = "", codes=("dv0", "dv1"), period: dict | None = None) -> Path:
    """A dossier package: manifest.json at the top and one folder per subject; ``tag`` changes the content,
    ``period`` is the ``ky_danh_gia`` (default: the year 2024)."""
    extra = {"ky_danh_gia": period} if period else {}
    for ma in codes:
        write_subject(root / "ca_nhan" / ma, {"01_muc_luc.pdf": f"mục lục {ma}{tag}".encode(), f"ho_so_{ma}.pdf": f"hồ sơ {ma}{tag}".encode()}, ma, **extra)
    (root / "manifest.json").write_text(json.dumps({"don_vi": UNIT, "ho_so": list(codes)}), encoding="utf-8")
    return root


@pytest.fixture
def store(tmp_path, cli):
    """A store holding dv0 (versions 1 and 2) and dv1 (version 1)."""
    kho = tmp_path / "kho"
    assert archive(cli, kho, "add", fake_package(tmp_path / "goi1")).exit_code == 0
    assert archive(cli, kho, "add", fake_package(tmp_path / "goi2", " (xếp loại lại)", codes=("dv0",))).exit_code == 0
    return kho


def sql(kho: Path, *statements: str) -> None:
    con = sqlite3.connect(kho / "luu_tru.sqlite")
    with con:
        for statement in statements:
            con.execute(statement)
    con.close()


def index_content(db: Path):
    """What the index says, without row ids: every file row joined to its version, subject and unit, and row counts."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT u.ten, u.ky_danh_gia, u.bo_quy_tac, s.ma, s.ten, s.loai, v.so, v.them_luc, v.dau_van_tay, v.manifest, v.ban_ghi, "
            "f.ten, f.sha256, f.kich_thuoc FROM tep f JOIN phien_ban v ON v.id = f.phien_ban_id JOIN doi_tuong s ON s.id = v.doi_tuong_id "
            "JOIN don_vi u ON u.id = s.don_vi_id").fetchall()
        counts = [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("don_vi", "doi_tuong", "phien_ban", "tep")]
        return sorted(map(repr, rows)), counts
    finally:
        con.close()


def test_fake_packages_round_trip_with_a_record_chain(tmp_path, cli, store):
    rows = json.loads(archive(cli, store, "list", "--format", "json").stdout)
    assert {(r["ma"], r["phien_ban"]) for r in rows} == {("dv0", 2), ("dv1", 1)}
    records = [json.loads(p.read_bytes()) for p in (store / "ban_ghi").iterdir()]
    assert len(records) == 3
    first, second = sorted((r for r in records if r["doi_tuong"]["ma"] == "dv0"), key=lambda r: r["so"])
    assert first["truoc"] is None
    assert second["truoc"] == hashlib.sha256((store / "ban_ghi" / f"{second['truoc']}.json").read_bytes()).hexdigest()
    result = archive(cli, store, "verify")
    assert result.exit_code == 0, result.stdout
    assert "0 vấn đề" in result.stdout
    out = archive(cli, store, "export", "dv0", "-o", tmp_path / "xuat", "--phien-ban", "1")
    assert out.exit_code == 0
    assert (tmp_path / "xuat" / "dv0_v1" / "ho_so_dv0.pdf").read_bytes() == "hồ sơ dv0".encode()


UNSAFE_NAMES = [
    ("../../../ngoai.pdf", "'..'"),
    ("ABSOLUTE", "tuyệt đối"),
    ("con\\tep.pdf", "dấu \\"),
    ("C:/tep.pdf", "ổ đĩa"),
    ("thu_muc//tep.pdf", "thành phần rỗng"),
    ("./tep.pdf", "'.'"),
    ("tep\x01.pdf", "ký tự điều khiển"),
]


@pytest.mark.parametrize(("name", "reason"), UNSAFE_NAMES)
def test_add_refuses_a_manifest_name_that_is_not_a_plain_relative_path(tmp_path, cli, name, reason):
    package = fake_package(tmp_path / "a" / "b" / "goi", codes=("dv0",))
    outside = tmp_path / "ngoai.pdf"
    outside.write_bytes(b"secret")
    if name == "ABSOLUTE":
        name = str(outside)
    manifest_path = package / "ca_nhan" / "dv0" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    # The hash matches the file the name leads to: only the name itself is wrong.
    manifest["tep"].append({"ten": name, "sha256": hashlib.sha256(b"secret").hexdigest(), "kich_thuoc": 6})
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    result = archive(cli, tmp_path / "kho", "add", package)
    assert result.exit_code == 1
    assert f"{manifest_path}: $.tep[2].ten:" in result.stderr and reason in result.stderr
    assert not any((tmp_path / "kho" / "tep").iterdir()) and not any((tmp_path / "kho" / "ban_ghi").iterdir())


def test_add_refuses_a_symlink_leading_out_of_the_package(tmp_path, cli):
    package = fake_package(tmp_path / "goi", codes=("dv0",))
    outside = tmp_path / "bi_mat.pdf"
    outside.write_bytes("mục lục dv0".encode())  # same content as the file it replaces, so the hash matches
    target = package / "ca_nhan" / "dv0" / "01_muc_luc.pdf"
    target.unlink()
    target.symlink_to(outside)
    result = archive(cli, tmp_path / "kho", "add", package)
    assert result.exit_code == 1
    assert "$.tep[0].ten" in result.stderr and "ra ngoài thư mục hồ sơ" in result.stderr


def test_add_refuses_a_subject_folder_linked_out_of_the_package(tmp_path, cli):
    elsewhere = fake_package(tmp_path / "noi_khac", codes=("dv9",))
    package = fake_package(tmp_path / "goi", codes=("dv0",))
    (package / "ca_nhan" / "dv9").symlink_to(elsewhere / "ca_nhan" / "dv9")
    result = archive(cli, tmp_path / "kho", "add", package)
    assert result.exit_code == 1 and "ra ngoài gói hồ sơ" in result.stderr


def test_add_accepts_a_package_reached_through_the_dossier_link(tmp_path, cli):
    real = fake_package(tmp_path / "ra" / ".phien_ban" / "20240101-000000-000000")
    (tmp_path / "ra" / "ho_so").symlink_to(Path(".phien_ban") / "20240101-000000-000000")
    result = archive(cli, tmp_path / "kho", "add", tmp_path / "ra" / "ho_so")
    assert result.exit_code == 0 and result.stdout.count("Thêm:") == 2, result.output
    assert real.is_dir()


@pytest.mark.parametrize(("content", "json_path"), [
    ("{không phải json", None),
    ("[]", "$"),
    (json.dumps({"don_vi": UNIT}), "$.bo_quy_tac"),
    ("TEP_NOT_LIST", "$.tep"),
    ("NAME_IS_NUMBER", "$.tep[0].ten"),
    ("SIZE_IS_TEXT", "$.tep[1].kich_thuoc"),
    ("BAD_SHA", "$.tep[0].sha256"),
    ("CODE_WITH_SLASH", "$.doi_tuong.ma"),
    ("QUARTER_5", "$.ky_danh_gia.quy"),
    ("QUARTER_TEXT", "$.ky_danh_gia.quy"),
    ("YEAR_TEXT", "$.ky_danh_gia"),
])
def test_a_malformed_manifest_is_an_input_error_naming_the_file(tmp_path, cli, content, json_path):
    package = fake_package(tmp_path / "goi", codes=("dv0",))
    manifest_path = package / "ca_nhan" / "dv0" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    edits = {
        "TEP_NOT_LIST": lambda m: m.update(tep={"ten": "x"}),
        "NAME_IS_NUMBER": lambda m: m["tep"][0].update(ten=7),
        "SIZE_IS_TEXT": lambda m: m["tep"][1].update(kich_thuoc="12"),
        "BAD_SHA": lambda m: m["tep"][0].update(sha256="xyz"),
        "CODE_WITH_SLASH": lambda m: m["doi_tuong"].update(ma="../dv0"),
        "QUARTER_5": lambda m: m.update(ky_danh_gia={"nam": 2026, "quy": 5}),
        "QUARTER_TEXT": lambda m: m.update(ky_danh_gia={"nam": 2026, "quy": "III"}),
        "YEAR_TEXT": lambda m: m.update(ky_danh_gia={"nam": "2026"}),
    }
    if content in edits:
        edits[content](manifest)
        content = json.dumps(manifest)
    manifest_path.write_text(content, encoding="utf-8")
    result = archive(cli, tmp_path / "kho", "add", package)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Lỗi: {manifest_path}")
    if json_path:
        assert f": {json_path}:" in result.stderr


def test_export_never_writes_outside_its_folder_nor_over_a_file(tmp_path, cli, store):
    victim = tmp_path / "nan_nhan.txt"
    victim.write_text("giữ nguyên", encoding="utf-8")
    out = tmp_path / "a" / "b" / "c" / "xuat"
    for bad in ("../../../../thoat.pdf", str(victim)):
        sql(store, f"UPDATE tep SET ten = '{bad}' WHERE ten = '01_muc_luc.pdf'")
        result = archive(cli, store, "export", "dv1", "-o", out)
        assert result.exit_code == 1 and "không xuất" in result.stderr
        sql(store, f"UPDATE tep SET ten = '01_muc_luc.pdf' WHERE ten = '{bad}'")
    assert not (tmp_path / "thoat.pdf").exists() and not list(tmp_path.rglob("thoat.pdf"))
    assert victim.read_text(encoding="utf-8") == "giữ nguyên"
    assert not out.exists() or not any(out.iterdir())  # no half-written export left behind
    assert archive(cli, store, "export", "dv1", "-o", out).exit_code == 0
    exported = out / "dv1_v1" / "ho_so_dv1.pdf"
    exported.write_bytes(b"ghi chu cua van thu")
    again = archive(cli, store, "export", "dv1", "-o", out)
    assert again.exit_code != 0 and "không ghi đè" in again.stderr
    assert exported.read_bytes() == b"ghi chu cua van thu"


def test_export_refuses_a_version_whose_index_rows_differ_from_its_record(tmp_path, cli, store):
    sql(store, "UPDATE tep SET kich_thuoc = kich_thuoc + 1 WHERE ten = '01_muc_luc.pdf'")
    result = archive(cli, store, "export", "dv1", "-o", tmp_path / "xuat")
    assert result.exit_code == 1 and "khác bản ghi" in result.stderr


@pytest.mark.parametrize("damage", ["xoa", "cat_rong", "cat_nua"])
def test_a_missing_or_truncated_index_is_never_replaced_by_an_empty_one(store, cli, damage):
    db = store / "luu_tru.sqlite"
    if damage == "xoa":
        db.unlink()
    else:
        data = db.read_bytes()
        db.write_bytes(b"" if damage == "cat_rong" else data[: len(data) // 2])
    for command in (["verify"], ["list"], ["show", "dv0"]):
        result = archive(cli, store, *command)
        assert result.exit_code == 1, (command, result.output)
        assert "Lỗi:" in result.stderr or "vấn đề" in result.stdout
    result = archive(cli, store, "verify")
    if damage != "cat_nua":
        assert "rebuild-index" in result.stderr
        assert not db.exists() or db.stat().st_size == 0  # no empty tables created over the store


def test_a_deleted_version_row_is_reported(store, cli):
    sql(store, "DELETE FROM tep WHERE phien_ban_id = (SELECT max(id) FROM phien_ban)", "DELETE FROM phien_ban WHERE id = (SELECT max(id) FROM phien_ban)")
    result = archive(cli, store, "verify")
    assert result.exit_code == 1
    assert f"{UNIT} / dv0 / phiên bản 2: bản ghi" in result.stdout and "không có trong chỉ mục" in result.stdout


def test_a_deleted_first_version_leaves_a_gap_that_is_reported(store, cli):
    first = f"(SELECT v.id FROM phien_ban v JOIN doi_tuong s ON s.id = v.doi_tuong_id WHERE s.ma = 'dv0' AND v.so = 1)"
    sql(store, f"DELETE FROM tep WHERE phien_ban_id = {first}", f"DELETE FROM phien_ban WHERE id = {first}")
    record = next(p for p in (store / "ban_ghi").iterdir() if json.loads(p.read_bytes())["so"] == 1 and "dv0" in p.read_text(encoding="utf-8"))
    record.unlink()
    result = archive(cli, store, "verify")
    assert result.exit_code == 1
    assert "thiếu phiên bản 1" in result.stdout and "chuỗi bản ghi bị đứt" in result.stdout


def test_a_swapped_hash_in_a_file_row_is_reported(store, cli):
    # Both hashes name stored, intact files: only the comparison with the record can see the swap.
    con = sqlite3.connect(store / "luu_tru.sqlite")
    with con:
        (a_id, a), (b_id, b) = con.execute("SELECT id, sha256 FROM tep WHERE phien_ban_id = 1 ORDER BY id").fetchall()
        con.execute("UPDATE tep SET sha256 = ? WHERE id = ?", (b, a_id))
        con.execute("UPDATE tep SET sha256 = ? WHERE id = ?", (a, b_id))
    con.close()
    result = archive(cli, store, "verify")
    assert result.exit_code == 1
    assert "chỉ mục khác bản ghi" in result.stdout and "01_muc_luc.pdf" in result.stdout


@pytest.mark.parametrize("edit", ["UPDATE doi_tuong SET ten = 'Người khác' WHERE ma = 'dv1'",
                                  "UPDATE phien_ban SET them_luc = '2000-01-01T00:00:00' WHERE id = 1",
                                  "UPDATE phien_ban SET manifest = replace(manifest, '2024', '2023') WHERE id = 1",
                                  "UPDATE phien_ban SET ban_ghi = NULL WHERE id = 1",
                                  "UPDATE phien_ban SET so = 3 WHERE so = 2"])
def test_any_edited_index_value_is_reported(store, cli, edit):
    sql(store, edit)
    assert archive(cli, store, "verify").exit_code == 1


def test_an_altered_or_deleted_record_is_reported(store, cli):
    records = sorted((store / "ban_ghi").iterdir())
    os.chmod(records[0], 0o600)
    records[0].write_bytes(records[0].read_bytes().replace(b"2024", b"2025"))
    records[1].unlink()
    result = archive(cli, store, "verify")
    assert result.exit_code == 1
    assert "đã bị sửa (SHA-256 không khớp tên tệp)" in result.stdout and result.stdout.count("bị thiếu hoặc hỏng") >= 2


def test_byte_flips_of_the_index_are_reported_or_harmless(tmp_path, cli, store):
    """30 seeded flips anywhere in the SQLite file, 30 more inside stored hashes and file names: never a
    traceback, exit 0 or 1, and verify passes only when what the index says did not change."""
    db = store / "luu_tru.sqlite"
    pristine = db.read_bytes()
    expected = index_content(db)
    con = sqlite3.connect(db)
    needles = {value.encode() for row in con.execute("SELECT ten, sha256 FROM tep") for value in row}
    con.close()
    data_bytes = sorted({i for needle in needles for m in re.finditer(re.escape(needle), pristine) for i in range(m.start(), m.end())})
    rng = random.Random(20240917)
    offsets = [rng.randrange(len(pristine)) for _ in range(30)] + rng.sample(data_bytes, 30)
    reported = []
    for offset in offsets:
        data = bytearray(pristine)
        data[offset] ^= 1 << rng.randrange(8)
        db.write_bytes(bytes(data))
        verify = archive(cli, store, "verify")  # an exception here fails the test: no traceback, ever
        listing = archive(cli, store, "list")
        assert verify.exit_code in (0, 1) and listing.exit_code in (0, 1), (offset, verify.output, listing.output)
        if verify.exit_code == 1:
            assert "vấn đề" in verify.stdout or verify.stderr.startswith("Lỗi:"), verify.output
        else:
            try:
                content = index_content(db)
            except sqlite3.DatabaseError:
                content = None
            assert content == expected, f"byte {offset}: verify passed but the index content changed"
        reported.append(verify.exit_code == 1)
        for extra in store.glob("luu_tru.sqlite?*"):
            extra.unlink()
    db.write_bytes(pristine)
    assert archive(cli, store, "verify").exit_code == 0
    assert sum(reported[30:]) >= 25, reported  # flips inside hashes and names are data: nearly all must be reported


def test_rebuild_index_restores_a_deleted_index(tmp_path, cli, store):
    before_list = archive(cli, store, "list", "--format", "json").stdout
    before_show = archive(cli, store, "show", "dv0", "--format", "json").stdout
    (store / "luu_tru.sqlite").unlink()
    rebuilt = archive(cli, store, "rebuild-index")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert rebuilt.stdout.count("Khôi phục:") == 3 and "3 phiên bản, 0 vấn đề" in rebuilt.stdout
    assert archive(cli, store, "verify").exit_code == 0
    assert archive(cli, store, "list", "--format", "json").stdout == before_list
    assert archive(cli, store, "show", "dv0", "--format", "json").stdout == before_show
    assert stat.S_IMODE(os.stat(store / "luu_tru.sqlite").st_mode) == 0o600


def test_rebuild_index_keeps_the_damaged_index_and_restores_deleted_rows(tmp_path, cli, store):
    before = archive(cli, store, "list", "--format", "json").stdout
    sql(store, "DELETE FROM tep", "DELETE FROM phien_ban")
    assert archive(cli, store, "list").exit_code == 1  # emptied: refused until rebuilt
    rebuilt = archive(cli, store, "rebuild-index")
    assert rebuilt.exit_code == 0, rebuilt.output
    kept = list(store.glob("luu_tru.sqlite.hong-*"))
    assert len(kept) == 1 and f"Chỉ mục cũ được giữ ở {kept[0]}" in rebuilt.stdout
    assert archive(cli, store, "list", "--format", "json").stdout == before
    assert archive(cli, store, "verify").exit_code == 0


def test_rebuild_index_reports_an_altered_record_and_does_not_restore_it(tmp_path, cli, store):
    record = next(p for p in (store / "ban_ghi").iterdir() if '"ma":"dv1"' in p.read_text(encoding="utf-8"))
    os.chmod(record, 0o600)
    record.write_bytes(record.read_bytes().replace("Đảng viên dv1".encode(), "Người khác".encode()))
    rebuilt = archive(cli, store, "rebuild-index")
    assert rebuilt.exit_code == 1 and "đã bị sửa" in rebuilt.stdout and "dv1" not in "".join(
        line for line in rebuilt.stdout.splitlines() if line.startswith("Khôi phục:"))


def test_a_store_made_before_records_is_verified_with_a_warning(tmp_path, cli, store):
    # The layout of older hoso: no ban_ghi column, no records.
    sql(store, "ALTER TABLE phien_ban DROP COLUMN ban_ghi")
    for record in (store / "ban_ghi").iterdir():
        record.unlink()
    result = archive(cli, store, "verify")
    assert result.exit_code == 0, result.stdout
    assert result.stdout.count("cảnh báo: chưa có bản ghi") == 3 and "0 vấn đề, 3 cảnh báo" in result.stdout
    added = archive(cli, store, "add", fake_package(tmp_path / "goi3", " (lần 3)", codes=("dv0",)))
    assert "phiên bản 3" in added.stdout
    assert archive(cli, store, "verify").exit_code == 0


def test_a_failed_add_leaves_no_record_behind(tmp_path, cli, store):
    sql(store, "CREATE TRIGGER hong BEFORE INSERT ON tep BEGIN SELECT RAISE(ABORT, 'thử lỗi'); END")
    records = sorted(p.name for p in (store / "ban_ghi").iterdir())
    result = archive(cli, store, "add", fake_package(tmp_path / "goi3", " (lần 3)", codes=("dv0",)))
    assert result.exit_code == 1 and "Lỗi:" in result.stderr
    assert sorted(p.name for p in (store / "ban_ghi").iterdir()) == records
    sql(store, "DROP TRIGGER hong")
    check = archive(cli, store, "verify")
    assert check.exit_code == 1 and "không thuộc phiên bản nào" in check.stdout  # the files it stored are not hidden
    archive(cli, store, "add", tmp_path / "goi3")
    assert archive(cli, store, "verify").exit_code == 0


def test_concurrent_adds_keep_one_unbroken_chain(tmp_path):
    store = tmp_path / "kho"
    env = dict(os.environ, HOME=str(tmp_path))
    packages = [fake_package(tmp_path / f"goi{i}", f" lần {i}", codes=("dv0",)) for i in range(4)]
    run = [sys.executable, "-m", "generator.cli", "archive", "--kho", str(store)]
    procs = [subprocess.Popen([*run, "add", str(p)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for p in packages]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    check = subprocess.run([*run, "verify"], env=env, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    records = [json.loads(p.read_bytes()) for p in (store / "ban_ghi").iterdir()]
    assert sorted(r["so"] for r in records) == [1, 2, 3, 4]


def test_only_what_the_archive_creates_is_made_owner_only(tmp_path, cli):
    shared = tmp_path / "chung"
    shared.mkdir()
    os.chmod(shared, 0o755)
    out = tmp_path / "xuat"
    out.mkdir()
    os.chmod(out, 0o755)
    assert archive(cli, shared, "add", fake_package(tmp_path / "goi")).exit_code == 0
    assert archive(cli, shared, "export", "dv0", "-o", out).exit_code == 0
    assert stat.S_IMODE(os.stat(shared).st_mode) == 0o755 and stat.S_IMODE(os.stat(out).st_mode) == 0o755
    for folder in (shared / "tep", shared / "ban_ghi", out / "dv0_v1"):
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(shared / "luu_tru.sqlite").st_mode) == 0o600
    assert all(stat.S_IMODE(os.stat(p).st_mode) == 0o400 for p in (shared / "ban_ghi").iterdir())
    assert all(stat.S_IMODE(os.stat(p).st_mode) == 0o600 for p in (out / "dv0_v1").iterdir())


def test_verify_reports_in_json(store, cli):
    (store / "ban_ghi" / next(iter(os.listdir(store / "ban_ghi")))).unlink()
    result = archive(cli, store, "verify", "--format", "json")
    report = json.loads(result.stdout)
    assert result.exit_code == 1 and {p["kind"] for p in report["van_de"]} >= {"ban_ghi_thieu"}


# -- quarters (issue 12): a year and its quarters are different entries --------------------------------
YEAR, Q2, Q3 = {"nam": 2026}, {"nam": 2026, "quy": 2}, {"nam": 2026, "quy": 3}


@pytest.fixture
def periods_store(tmp_path, cli):
    """A store holding dv0 for the year 2026 and for its quarters II and III, all with the same files."""
    kho = tmp_path / "kho"
    for name, period in (("nam", YEAR), ("quy_2", Q2), ("quy_3", Q3)):
        result = archive(cli, kho, "add", fake_package(tmp_path / name, codes=("dv0",), period=period))
        assert result.exit_code == 0, result.output
    return kho


def index_periods(kho: Path) -> list[str]:
    con = sqlite3.connect(kho / "luu_tru.sqlite")
    try:
        return sorted(text for (text,) in con.execute("SELECT ky_danh_gia FROM don_vi"))
    finally:
        con.close()


def test_a_year_and_two_quarters_of_one_subject_are_three_entries_never_versions(tmp_path, cli, periods_store):
    rows = json.loads(archive(cli, periods_store, "list", "--format", "json").stdout)
    assert [(r["ma"], r["ky_danh_gia"], r["phien_ban"]) for r in rows] == [("dv0", Q2, 1), ("dv0", Q3, 1), ("dv0", YEAR, 1)]
    assert index_periods(periods_store) == ["2026", "2026-Q2", "2026-Q3"]
    records = [json.loads(p.read_bytes()) for p in (periods_store / "ban_ghi").iterdir()]
    assert sorted((json.dumps(r["ky_danh_gia"], sort_keys=True), r["so"], r["truoc"]) for r in records) == sorted(
        (json.dumps(p, sort_keys=True), 1, None) for p in (YEAR, Q2, Q3))
    assert len([p for p in (periods_store / "tep").rglob("*") if p.is_file()]) == 2  # the same files are stored once
    # A new Quý III package is Quý III's version 2; the year and Quý II keep their version 1.
    added = archive(cli, periods_store, "add", fake_package(tmp_path / "quy_3b", " (xếp loại lại)", codes=("dv0",), period=Q3))
    assert added.stdout.strip() == f"Thêm: {UNIT} (quý 3 năm 2026) / dv0 — phiên bản 2"
    again = archive(cli, periods_store, "add", tmp_path / "nam")
    assert again.stdout.strip() == f"Đã có: {UNIT} / dv0 — phiên bản 1"
    rows = json.loads(archive(cli, periods_store, "list", "--format", "json").stdout)
    assert [(r["ky_danh_gia"], r["phien_ban"]) for r in rows] == [(Q2, 1), (Q3, 2), (YEAR, 1)]
    verify = archive(cli, periods_store, "verify")
    assert verify.exit_code == 0 and "0 vấn đề" in verify.stdout, verify.stdout


def test_show_and_export_choose_the_period_of_a_code(tmp_path, cli, periods_store):
    from generator.archive import Archive
    from generator.errors import UsageError
    from generator.period import Period

    ambiguous = archive(cli, periods_store, "show", "dv0")
    assert ambiguous.exit_code == 2
    assert "có ở nhiều kỳ đánh giá: năm 2026, quý 2 năm 2026, quý 3 năm 2026" in ambiguous.stderr
    store = Archive(periods_store)
    try:
        shown = store.show("dv0", period=Period(2026, 3))
        assert shown["ky_danh_gia"] == Q3 and shown["don_vi"] == UNIT and [v["so"] for v in shown["phien_ban"]] == [1]
        assert store.show("dv0", period=Period(2026))["ky_danh_gia"] == YEAR
        with pytest.raises(UsageError, match="của quý 1 năm 2026"):
            store.show("dv0", period=Period(2026, 1))
        out = tmp_path / "xuat"
        quarter = store.export("dv0", out, period=Period(2026, 3))
        year = store.export("dv0", out, period=Period(2026))
        second = store.export("dv0", out, period=Period(2026, 2))
    finally:
        store.close()
    assert (quarter.name, year.name, second.name) == ("dv0_2026_q3_v1", "dv0_v1", "dv0_2026_q2_v1")
    assert (quarter / "ho_so_dv0.pdf").read_bytes() == (year / "ho_so_dv0.pdf").read_bytes() == "hồ sơ dv0".encode()


def test_a_quarter_entry_is_named_with_its_quarter_in_verify_and_rebuild(tmp_path, cli, periods_store):
    before = archive(cli, periods_store, "list", "--format", "json").stdout
    quarter = ("SELECT v.id FROM phien_ban v JOIN doi_tuong s ON s.id = v.doi_tuong_id JOIN don_vi u ON u.id = s.don_vi_id "
               "WHERE u.ky_danh_gia = '2026-Q3'")
    sql(periods_store, f"DELETE FROM tep WHERE phien_ban_id = ({quarter})", f"DELETE FROM phien_ban WHERE id = ({quarter})")
    result = archive(cli, periods_store, "verify")
    assert result.exit_code == 1
    assert f"{UNIT} (quý 3 năm 2026) / dv0 / phiên bản 1: bản ghi" in result.stdout and "không có trong chỉ mục" in result.stdout
    rebuilt = archive(cli, periods_store, "rebuild-index")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert f"Khôi phục: {UNIT} (quý 3 năm 2026) / dv0 — phiên bản 1" in rebuilt.stdout
    assert f"Khôi phục: {UNIT} / dv0 — phiên bản 1" in rebuilt.stdout
    assert archive(cli, periods_store, "list", "--format", "json").stdout == before
    assert index_periods(periods_store) == ["2026", "2026-Q2", "2026-Q3"]


def test_an_edited_period_in_the_index_is_reported(periods_store, cli):
    sql(periods_store, "UPDATE don_vi SET ky_danh_gia = '2026-Q4' WHERE ky_danh_gia = '2026-Q3'")
    result = archive(cli, periods_store, "verify")
    assert result.exit_code == 1 and "kỳ đánh giá: chỉ mục ghi 2026-Q4, bản ghi ghi 2026-Q3" in result.stdout


def _record_bytes(kho: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (kho / "ban_ghi").iterdir()}


def test_a_store_written_before_quarters_opens_verifies_and_lists(tmp_path, cli, store):
    """The previous format kept the JSON of ky_danh_gia in the index ('{"nam": 2024}', '{"nam": 2026, "quy": 3}'):
    opening the store rewrites the index once; the records stay byte for byte what they were."""
    assert archive(cli, store, "add", fake_package(tmp_path / "quy_3", codes=("dv0",), period=Q3)).exit_code == 0
    expected_list = archive(cli, store, "list", "--format", "json").stdout
    con = sqlite3.connect(store / "luu_tru.sqlite")
    with con:
        for (text,) in con.execute("SELECT ky_danh_gia FROM don_vi").fetchall():
            old = json.dumps({"2024": {"nam": 2024}, "2026-Q3": Q3}[text], sort_keys=True)  # how the previous version wrote it
            con.execute("UPDATE don_vi SET ky_danh_gia = ? WHERE ky_danh_gia = ?", (old, text))
    con.close()
    assert index_periods(store) == ['{"nam": 2024}', '{"nam": 2026, "quy": 3}']
    records = _record_bytes(store)
    listed = archive(cli, store, "list", "--format", "json")
    assert listed.exit_code == 0 and listed.stdout == expected_list
    assert index_periods(store) == ["2024", "2026-Q3"]
    verify = archive(cli, store, "verify")
    assert verify.exit_code == 0 and "0 vấn đề" in verify.stdout, verify.stdout
    assert json.loads(archive(cli, store, "show", "dv1", "--format", "json").stdout)["ky_danh_gia"] == {"nam": 2024}
    # The year's chain goes on where the previous version left it.
    added = archive(cli, store, "add", fake_package(tmp_path / "goi3", " (lần 3)", codes=("dv0",)))
    assert added.stdout.strip() == f"Thêm: {UNIT} / dv0 — phiên bản 3"
    assert archive(cli, store, "verify").exit_code == 0
    after = _record_bytes(store)
    assert {k: after[k] for k in records} == records and len(after) == len(records) + 1


def test_a_previous_index_is_migrated_when_verify_opens_it_first(store, cli):
    sql(store, """UPDATE don_vi SET ky_danh_gia = '{"nam": 2024}'""")
    result = archive(cli, store, "verify")
    assert result.exit_code == 0 and "0 vấn đề" in result.stdout, result.stdout
    assert index_periods(store) == ["2024"]


def test_two_spellings_of_one_period_in_a_previous_index_are_left_for_verify_to_report(store, cli):
    # A hand-made manifest could carry {"nam": 2024, "quy": null}; the previous version indexed it as another unit.
    sql(store, """UPDATE don_vi SET ky_danh_gia = '{"nam": 2024}'""",
        f"""INSERT INTO don_vi (ten, ky_danh_gia, bo_quy_tac) VALUES ('{UNIT}', '{{"nam": 2024, "quy": null}}', 'qd366')""",
        f"""UPDATE doi_tuong SET don_vi_id = (SELECT max(id) FROM don_vi) WHERE ma = 'dv1'""")
    rows = json.loads(archive(cli, store, "list", "--format", "json").stdout)
    assert {r["ma"]: r["ky_danh_gia"] for r in rows} == {"dv0": {"nam": 2024}, "dv1": {"nam": 2024}}
    assert index_periods(store) == ["2024", '{"nam": 2024, "quy": null}']
    result = archive(cli, store, "verify")
    assert result.exit_code == 1 and "kỳ đánh giá: chỉ mục ghi" in result.stdout
    assert archive(cli, store, "rebuild-index").exit_code == 0
    assert index_periods(store) == ["2024"] and archive(cli, store, "verify").exit_code == 0
