"""Loading a unit (generator/source.py): every source yields the same UnitInput, so the same findings."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from conftest import DEMO
from generator.facts import unit_facts
from generator.load import load_form, load_yaml_file
from generator.source import build_unit, load_unit, unit_input_from_dicts


def _as_dicts(folder: Path) -> tuple[dict, dict[str, dict], dict[str, Path]]:
    """A unit folder as a web intake would send it: the manifest, every form by its name, the attached files
    (read with hoso's loader, so dates stay text as an intake sends them)."""
    manifest = load_yaml_file(folder / "don_vi.yaml")
    forms = {p.relative_to(folder).as_posix(): load_form(p).data for p in folder.rglob("*.yaml")
             if p.name not in ("don_vi.yaml", "dia_phuong.yaml")}
    attachments = {p.relative_to(folder).as_posix(): p for p in (folder / "dinh_kem").rglob("*") if p.is_file()}
    return manifest, forms, attachments


def _rows(findings) -> list[tuple]:
    return [(f.rule_id, f.severity, f.file, f.json_path, f.message_vi) for f in findings]


def test_memory_source_gives_the_folder_findings_and_facts(tmp_path):
    unit = tmp_path / "demo"
    shutil.copytree(DEMO, unit)
    # Something to report: a self-review naming another chi bộ in its header.
    review = unit / "ca_nhan" / "nguyen_van_hung.yaml"
    review.write_text(review.read_text(encoding="utf-8").replace("ten: CHI BỘ CƠ QUAN XÃ", "ten: CHI BỘ THÔN ĐÔNG"), encoding="utf-8")
    from_folder, folder_unit = load_unit(unit)
    manifest, forms, attachments = _as_dicts(unit)
    source = unit_input_from_dicts(manifest, forms, attachments, shown=str(unit / "don_vi.yaml"), folder=unit,
                                   locality=unit / "dia_phuong.yaml")
    from_memory, memory_unit = build_unit(source)
    assert _rows(from_memory) == _rows(from_folder)
    assert any(f.json_path == "$.don_vi.ten" for f in from_memory)
    assert unit_facts(memory_unit) == unit_facts(folder_unit)


def test_memory_source_names_a_missing_form_like_a_folder(tmp_path):
    manifest = {"don_vi": {"ten": "Chi bộ Thử", "to_chuc_co_so": "cb"}, "ky_danh_gia": {"nam": 2024},
                "to_chuc": [{"ma": "cb", "ten": "Chi bộ Thử", "loai": "chi_bo_co_so"}],
                "thanh_vien": [{"ma": "dv", "ho_ten": "Đảng viên Thử", "chi_bo": "cb", "ban_kiem_diem": "ca_nhan/dv.yaml"}]}
    (tmp_path / "don_vi.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    from_folder, _ = load_unit(tmp_path)
    from_memory, _ = build_unit(unit_input_from_dicts(manifest, {}, shown=str(tmp_path / "don_vi.yaml"), folder=tmp_path))
    assert _rows(from_memory) == _rows(from_folder)
    assert [(f.json_path, f.message_vi) for f in from_memory if f.json_path.startswith("$.thanh_vien")] == [
        ("$.thanh_vien[0].ban_kiem_diem", "Không tìm thấy tệp 'ca_nhan/dv.yaml' (đường dẫn tính từ thư mục của don_vi.yaml).")]


def test_memory_source_cleans_data_as_a_file_would_be(tmp_path):
    manifest = {"don_vi": {"ten": "Chi bộ Thử", "to_chuc_co_so": "cb"}, "ky_danh_gia": {"nam": float("nan")},
                "to_chuc": [], "thanh_vien": []}
    findings, unit = build_unit(unit_input_from_dicts(manifest, {}))
    assert unit is None and [f.json_path for f in findings] == ["$.ky_danh_gia.nam"]


def test_a_document_folder_may_lie_in_an_allowed_shared_folder(tmp_path):
    shared = tmp_path / "chung"
    shutil.copytree(DEMO / "van_ban", shared / "van_ban")
    unit = tmp_path / "don_vi"
    shutil.copytree(DEMO, unit, ignore=shutil.ignore_patterns("van_ban"))
    manifest = yaml.safe_load((unit / "don_vi.yaml").read_text(encoding="utf-8"))
    manifest["van_ban"] = ["../chung/van_ban/"]
    (unit / "don_vi.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    findings, loaded = load_unit(unit, shared=(shared,))
    assert loaded is not None and len(loaded.documents) == len(list((DEMO / "van_ban").glob("*.yaml")))
    assert not [f for f in findings if f.severity == "error"]
    outside, _ = load_unit(unit)
    assert [f.json_path for f in outside if "Không đọc" in f.message_vi] == ["$.van_ban[0]"]
