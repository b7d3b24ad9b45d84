"""Every path a unit names stays inside the unit folder (or a folder the operator allowed); links are not followed."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import DEMO
from generator.paths import PathOutside, inside, plain_relative


@pytest.mark.parametrize("name", ["../x.pdf", "a/../../x.pdf", "/etc/passwd", "C:/x.pdf", "a\\..\\x", "", "a/\x00b", "./"])
def test_paths_leaving_the_root_are_refused(tmp_path, name):
    with pytest.raises(PathOutside):
        inside(tmp_path, name)


@pytest.mark.parametrize("name", ["../x", "/abs", "a//../b", "a/./../../b", "", "x\\y"])
def test_archive_names_must_be_plain_relative(name):
    with pytest.raises(PathOutside):
        plain_relative(name)


def test_plain_paths_inside_are_kept_as_written(tmp_path):
    (tmp_path / "a").mkdir()
    assert inside(tmp_path, "a/b.pdf") == tmp_path / "a/b.pdf"
    assert inside(tmp_path, "a/../a/b.pdf") == tmp_path / "a/b.pdf"


def test_links_are_not_followed(tmp_path):
    outside = tmp_path / "ngoai"
    outside.mkdir()
    (outside / "bi_mat.pdf").write_bytes(b"%PDF-1.7")
    unit = tmp_path / "don_vi"
    unit.mkdir()
    os.symlink(outside / "bi_mat.pdf", unit / "tep.pdf")
    os.symlink(outside, unit / "thu_muc")
    for name in ("tep.pdf", "thu_muc/bi_mat.pdf", "thu_muc/../ngoai/bi_mat.pdf"):
        with pytest.raises(PathOutside):
            inside(unit, name)


def test_allowed_shared_folder(tmp_path):
    shared = tmp_path / "chung"
    shared.mkdir()
    unit = tmp_path / "don_vi"
    unit.mkdir()
    assert inside(unit, "../chung/a.yaml", (shared,)) == shared / "a.yaml"
    with pytest.raises(PathOutside):
        inside(unit, "../khac/a.yaml", (shared,))


def _demo(tmp_path: Path) -> Path:
    unit = tmp_path / "demo"
    shutil.copytree(DEMO, unit)
    return unit


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_attachment_outside_the_unit_is_a_finding_and_never_packed(tmp_path, cli):
    unit = _demo(tmp_path)
    secret = tmp_path / "src" / "evil.pdf"
    secret.parent.mkdir()
    shutil.copyfile(DEMO / "dinh_kem" / "phieu_bo_sung" / "nguyen_van_hung.pdf", secret)
    _replace(unit / "don_vi.yaml", "tep: dinh_kem/phieu_bo_sung/nguyen_van_hung.pdf", "tep: ../src/evil.pdf")
    result = cli("check", unit, "--format", "json")
    assert result.exit_code == 1
    found = [f for f in json.loads(result.stdout)["findings"] if f["severity"] == "error"]
    assert [(f["rule_id"], f["json_path"]) for f in found] == [("SCHEMA", "$.thanh_vien[0].dinh_kem[1].tep")]
    assert "ngoài thư mục đơn vị" in found[0]["message_vi"]
    before = sorted(p for p in tmp_path.rglob("*"))
    dossier = cli("dossier", unit, "-o", tmp_path / "ra")
    assert dossier.exit_code == 1
    assert not (tmp_path / "ra" / "ho_so").exists()
    assert [p for p in tmp_path.rglob("*") if p not in before and "ra" not in p.relative_to(tmp_path).parts] == []


def test_symlinked_attachment_and_forms_are_findings(tmp_path, cli):
    unit = _demo(tmp_path)
    target = unit / "dinh_kem" / "phieu_bo_sung" / "nguyen_van_hung.pdf"
    outside = tmp_path / "ngoai.pdf"
    shutil.move(target, outside)
    os.symlink(outside, target)
    review = unit / "ca_nhan" / "tran_thi_mai.yaml"
    shutil.move(review, tmp_path / "tran_thi_mai.yaml")
    os.symlink(tmp_path / "tran_thi_mai.yaml", review)
    _replace(unit / "don_vi.yaml", "van_ban: [van_ban/]", "van_ban: [van_ban/, /etc/]")
    result = cli("check", unit, "--format", "json")
    assert result.exit_code == 1
    paths = {f["json_path"] for f in json.loads(result.stdout)["findings"] if f["rule_id"] == "SCHEMA"}
    assert {"$.thanh_vien[0].dinh_kem[1].tep", "$.thanh_vien[1].ban_kiem_diem", "$.van_ban[1]"} <= paths


def test_a_name_the_system_cannot_hold_is_a_finding(tmp_path, cli):
    unit = _demo(tmp_path)
    _replace(unit / "don_vi.yaml", "bao_cao: tap_the/chi_bo_co_quan.yaml", "bao_cao: " + "Nội dung dài " * 40 + ".yaml")
    result = cli("check", unit, "--format", "json")
    assert result.exit_code == 1
    found = [f for f in json.loads(result.stdout)["findings"] if f["json_path"] == "$.to_chuc[1].bao_cao"]
    assert found and "không dùng được" in found[0]["message_vi"]


def test_a_broken_locality_of_the_unit_is_json_too(tmp_path, cli):
    unit = _demo(tmp_path)
    (unit / "dia_phuong.yaml").write_text("ty_le_htx: {ty_le: 0.2}\n", encoding="utf-8")
    result = cli("check", unit, "--format", "json")
    assert result.exit_code == 1
    found = json.loads(result.stdout)["findings"]
    assert any(f["json_path"].startswith("$.ty_le_htx") and "ty_le_htxs" in f["message_vi"] for f in found)


def test_add_months_never_leaves_the_calendar():
    import datetime as dt

    from generator.grading import add_months

    assert add_months(dt.date(9999, 12, 31), 6) == dt.date.max
