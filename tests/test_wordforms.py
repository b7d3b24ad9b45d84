"""Word forms (generator/wordforms.py): export each own form as a DOCX to fill, import the filled documents back.

Round trips on both bundled demo units (qd124, qd366): untouched, filled with python-docx, and through a
LibreOffice open-and-save; damaged documents give findings naming the file and the section, never a silent blank.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from docx.oxml.ns import qn

from conftest import ROOT, needs_libreoffice
from generator import registry, wordforms
from generator.load import load_form
from generator.wordforms import PARAGRAPHS, export_forms, import_forms, key_of

DEMO_2024 = ROOT / "examples" / "demo"
DEMO_2026 = ROOT / "examples" / "demo_2026"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


# -- fixtures ----------------------------------------------------------------------------------------------------
def _forms(unit: Path) -> dict[str, dict]:
    manifest = yaml.safe_load((unit / "don_vi.yaml").read_text(encoding="utf-8"))
    names = [r[k] for kind, k in wordforms.OWN_FORMS.items() for r in manifest.get(kind, []) if r.get(k)]
    return {name: load_form(unit / name).data for name in names}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """Each demo unit copied and exported once per module: {demo name: folder holding unit/ and phieu/}."""
    out = {}
    with pytest.MonkeyPatch.context() as mp:  # as hermetic as the autouse fixture, which a module fixture does not get
        mp.setenv("HOME", str(tmp_path_factory.mktemp("home")))
        for name in [n for n in os.environ if n.startswith("HOSO_")]:
            mp.delenv(name)
        for source in (DEMO_2024, DEMO_2026):
            root = tmp_path_factory.mktemp(source.name)
            shutil.copytree(source, root / "unit")
            findings, written = export_forms(root / "unit", root / "unit" / "phieu")
            assert not findings, findings
            assert written
            out[source.name] = root
    return out


@pytest.fixture
def unit_2026(exported, tmp_path) -> Path:
    shutil.copytree(exported["demo_2026"] / "unit", tmp_path / "unit")
    return tmp_path / "unit"


@pytest.fixture
def unit_2024(exported, tmp_path) -> Path:
    shutil.copytree(exported["demo"] / "unit", tmp_path / "unit")
    return tmp_path / "unit"


def skeleton(unit: Path) -> None:
    """Turn every own form of ``unit`` into what ``hoso init`` writes: identity kept, every narrative section present
    and empty, no choice, no score, no assessment text."""
    for name, data in _forms(unit).items():
        entry = registry.bind(data).entry
        content = {item.path[0] for item in wordforms.candidates(entry)}
        new = {k: v for k, v in data.items() if k not in content}
        for item in wordforms.candidates(entry):
            if isinstance(item, wordforms.Field) and item.kind == PARAGRAPHS and wordforms.get_path(data, item.path) is not None \
                    and not any(k in item.path[0] for k in ("danh_gia", "quyet_dinh", "xac_nhan")):
                wordforms._put(new, item.path, [])
        (unit / name).write_text(yaml.safe_dump(new, allow_unicode=True, sort_keys=False), encoding="utf-8")


# -- filling a document as a person would, with python-docx ----------------------------------------------------------
def _bookmark(doc, name: str):
    for el in doc.element.body.iter(qn("w:bookmarkStart")):
        if el.get(qn("w:name")) == name:
            return el
    raise AssertionError(f"no bookmark {name}")


def _paragraph_of(el):
    while el.tag != qn("w:p"):
        el = el.getparent()
    return el


def fill_section(path: Path, json_path: str, paragraphs: list[str]) -> None:
    """Replace a narrative section's paragraphs (as Word does when one types into the content control)."""
    doc = docx.Document(str(path))
    head = _paragraph_of(_bookmark(doc, key_of(json_path)))
    sdt = head.getnext()
    assert sdt.tag == qn("w:sdt")
    content = sdt.find(qn("w:sdtContent"))
    for child in list(content):
        content.remove(child)
    for flag in sdt.find(qn("w:sdtPr")).findall(qn("w:showingPlcHdr")):
        flag.getparent().remove(flag)
    for text in paragraphs:
        content.append(doc.add_paragraph(text)._p)
    doc.save(str(path))


def set_line(path: Path, json_path: str, text: str) -> None:
    """Type a value into a one-line field."""
    doc = docx.Document(str(path))
    p = _paragraph_of(_bookmark(doc, key_of(json_path)))
    sdt = p.find(qn("w:sdt"))
    texts = list(sdt.iter(qn("w:t")))
    texts[0].text = text
    for t in texts[1:]:
        t.text = ""
    doc.save(str(path))


def tick(path: Path, json_path: str, chosen: list[int], count: int) -> None:
    """Tick the boxes ``chosen`` of a choice and clear the others (as clicking in Word does)."""
    doc = docx.Document(str(path))
    for i in range(count):
        start = _bookmark(doc, f"{key_of(json_path)}_{i}")
        box = next(s for s in start.itersiblings() if s.tag == qn("w:sdt"))
        next(box.iter(qn("w:t"))).text = wordforms.TICKED if i in chosen else wordforms.UNTICKED
        for checked in box.iter(f"{{{W14}}}checked"):
            checked.set(f"{{{W14}}}val", "1" if i in chosen else "0")
    doc.save(str(path))


def delete_section(path: Path, json_path: str) -> None:
    """Delete a section's heading and its content control."""
    doc = docx.Document(str(path))
    head = _paragraph_of(_bookmark(doc, key_of(json_path)))
    nxt = head.getnext()
    head.getparent().remove(head)
    if nxt is not None and nxt.tag == qn("w:sdt"):
        nxt.getparent().remove(nxt)
    doc.save(str(path))


def read_back(path: Path, unit: Path) -> tuple[dict, dict, list]:
    """What the import reads from a document: {json path: value shown}, the same for the form file, and problems."""
    doc = wordforms.read_document(path)
    data = load_form(unit / doc.props[wordforms.PROP_FILE]).data
    entry = registry.bind(data).entry
    exported = json.loads(doc.props[wordforms.PROP_FIELDS])
    items = {k: f for k, f in wordforms.fields_by_key(entry).items() if k in exported}
    reading = wordforms.interpret(doc, items)
    got = {f.json_path: reading.values.get(k) for k, f in items.items()}
    want = {f.json_path: wordforms.display(f, wordforms.get_path(data, f.path)) for f in items.values()}
    return got, want, reading.problems


def body_text(doc) -> str:
    """Every paragraph of the body outside tables, content controls included (python-docx's ``paragraphs`` skips them)."""
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in doc.element.body.iter(qn("w:p"))
                     if not any(a.tag == qn("w:tbl") for a in p.iterancestors()))


def errors(findings) -> list:
    return [f for f in findings if f.severity == "error"]


# -- export ----------------------------------------------------------------------------------------------------
def test_export_writes_one_owner_only_document_per_own_form(exported):
    unit = exported["demo_2026"] / "unit"
    manifest = yaml.safe_load((unit / "don_vi.yaml").read_text(encoding="utf-8"))
    expected = {f"{r['ma']}.docx" for kind, key in wordforms.OWN_FORMS.items() for r in manifest[kind] if r.get(key)}
    written = {p.name for p in (unit / "phieu").glob("*.docx")}
    assert written == expected
    assert "dang_thu_trang.docx" not in written  # no form of her own: not reviewed this year
    for path in (unit / "phieu").glob("*.docx"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_exported_document_has_the_party_layout_and_the_form_prefilled(exported):
    unit = exported["demo_2026"] / "unit"
    path = unit / "phieu" / "ngo_thanh_tam.docx"
    doc = docx.Document(str(path))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.left_margin.mm), round(section.right_margin.mm), round(section.top_margin.mm)) == (30, 15, 20)
    assert doc.styles["Normal"].font.name == "Times New Roman" and doc.styles["Normal"].font.size.pt == 14
    text = body_text(doc)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "Mẫu 2B-HD KĐ.ĐG 2025" in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in cells and "CHI BỘ CƠ QUAN ĐẢNG - MẶT TRẬN XÃ" in cells
    assert "Hòa Bình, ngày 30 tháng 11 năm 2026" in cells
    assert "BẢN KIỂM ĐIỂM, TỰ ĐÁNH GIÁ, XẾP LOẠI CÁ NHÂN" in text and "Năm 2026" in text
    assert "Họ và tên: Ngô Thanh Tâm" in text
    assert "I. Ưu điểm, kết quả đạt được" in text
    assert "Là chuyên viên Ban Xây dựng Đảng, tôi hoàn thành 7/7 nhiệm vụ" in text  # existing text pre-filled
    assert f"{wordforms.TICKED} Hoàn thành xuất sắc nhiệm vụ" in text  # the proposed level ticked
    assert "Tổng điểm: 94" in text
    # Mẫu 2B has no I.3–I.5 (schema forbids them): not offered
    assert "Kết quả công tác lãnh đạo" not in text
    tags = {t.get(qn("w:val")) for t in doc.element.body.iter(qn("w:tag"))}
    assert "$.kiem_diem.uu_diem.pham_chat" in tags and "$.tu_danh_gia.diem.tong" in tags
    assert "$.tu_danh_gia.muc_de_xuat=HTXSNV" in tags
    assert all(len(t) <= wordforms.WORD_TAG_LIMIT for t in tags)
    props = wordforms.read_document(path).props
    assert props[wordforms.PROP_FILE] == "ca_nhan/ngo_thanh_tam.yaml"
    assert props[wordforms.PROP_UNIT] == "Đảng bộ xã Hòa Bình" and props[wordforms.PROP_PERIOD] == "2026"


def test_bookmark_names_suit_word(exported):
    doc = docx.Document(str(exported["demo"] / "unit" / "phieu" / "nguyen_van_hung.docx"))
    names = [el.get(qn("w:name")) for el in doc.element.body.iter(qn("w:bookmarkStart"))]
    assert names and len(names) == len(set(names))
    assert all(len(n) <= 40 and n[0].isalpha() and n.replace("_", "").isalnum() for n in names)


def test_export_is_deterministic(exported, tmp_path):
    unit = exported["demo"] / "unit"
    export_forms(unit, tmp_path / "again")
    for path in (tmp_path / "again").glob("*.docx"):
        assert path.read_bytes() == (unit / "phieu" / path.name).read_bytes(), path.name


# -- round trips -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("demo", ["demo", "demo_2026"])
def test_untouched_documents_read_back_exactly(exported, demo):
    unit = exported[demo] / "unit"
    for path in sorted((unit / "phieu").glob("*.docx")):
        got, want, problems = read_back(path, unit)
        assert not problems, (path.name, problems)
        assert got == want, path.name


@pytest.mark.parametrize("demo", ["demo", "demo_2026"])
def test_importing_untouched_documents_changes_nothing(exported, demo, tmp_path):
    shutil.copytree(exported[demo] / "unit", tmp_path / "unit")
    unit = tmp_path / "unit"
    before = _forms(unit)
    findings, changes, written = import_forms(unit, unit / "phieu")
    assert not findings
    assert written == []
    assert changes and all("không có thay đổi" in line for line in changes)
    assert _forms(unit) == before


def test_filled_skeleton_is_imported(tmp_path):
    shutil.copytree(DEMO_2026, tmp_path / "unit")
    unit = tmp_path / "unit"
    skeleton(unit)
    findings, _ = export_forms(unit, unit / "phieu")
    assert not errors(findings)
    doc = unit / "phieu" / "ngo_thanh_tam.docx"
    got, _, _ = read_back(doc, unit)
    assert got["$.kiem_diem.uu_diem.pham_chat"] == [] and got["$.tu_danh_gia.muc_de_xuat"] is None
    fill_section(doc, "$.kiem_diem.uu_diem.pham_chat", ["Đoạn thứ nhất về phẩm chất.", "", "Đoạn thứ hai."])
    fill_section(doc, "$.kiem_diem.han_che.khuyet_diem", ["Có lúc chưa chủ động."])
    set_line(doc, "$.tu_danh_gia.diem.nhom_chung", "28,5")
    set_line(doc, "$.tu_danh_gia.diem.tong", "93")
    tick(doc, "$.tu_danh_gia.muc_de_xuat", [1], 4)
    before = _forms(unit)
    findings, changes, written = import_forms(unit, unit / "phieu")
    assert not errors(findings), errors(findings)
    after = load_form(unit / "ca_nhan" / "ngo_thanh_tam.yaml").data
    rs = registry.ruleset("qd366")
    assert after["kiem_diem"]["uu_diem"]["pham_chat"] == ["Đoạn thứ nhất về phẩm chất.", "Đoạn thứ hai."]
    assert after["kiem_diem"]["han_che"]["khuyet_diem"] == ["Có lúc chưa chủ động."]
    assert after["tu_danh_gia"]["diem"] == {"nhom_chung": 28.5, "tong": 93}
    assert after["tu_danh_gia"]["muc_de_xuat"] == rs.levels[1]
    old = before["ca_nhan/ngo_thanh_tam.yaml"]
    assert after["ca_nhan"] == old["ca_nhan"] and after["kiem_diem"]["uu_diem"]["cam_ket"] == []
    line = next(x for x in changes if x.startswith("ca_nhan/ngo_thanh_tam.yaml"))
    assert "5 mục được cập nhật" in line and "«1. Phẩm chất chính trị" in line
    assert [p.name for p in written] == ["ngo_thanh_tam.yaml"]
    # the rest of the skeleton is still empty: reported as unfinished, not blocking
    unfinished = [f for f in findings if f.file == str(doc)]
    assert unfinished and all(f.severity == "warning" for f in unfinished)
    assert any(f.json_path == "$.kiem_diem.uu_diem.thuc_hien_nhiem_vu" and "chưa hoàn chỉnh" in f.message_vi for f in unfinished)
    # others untouched; the previous version kept
    assert {k: v for k, v in _forms(unit).items() if k != "ca_nhan/ngo_thanh_tam.yaml"} == {
        k: v for k, v in before.items() if k != "ca_nhan/ngo_thanh_tam.yaml"}
    kept = list((unit / "_phien_ban_truoc").rglob("ngo_thanh_tam.yaml"))
    assert kept and load_form(kept[0]).data == old
    assert stat.S_IMODE((unit / "ca_nhan" / "ngo_thanh_tam.yaml").stat().st_mode) == 0o600
    # where each value was typed
    nguon = json.loads((unit / ".hoso" / "nguon.json").read_text(encoding="utf-8"))["tep"]["ca_nhan/ngo_thanh_tam.yaml"]
    assert nguon["$.kiem_diem.uu_diem.pham_chat"].startswith("phieu/ngo_thanh_tam.docx, mục «1. Phẩm chất chính trị")
    assert nguon["$.tu_danh_gia.muc_de_xuat"] == "phieu/ngo_thanh_tam.docx, mục «Đề xuất xếp loại mức chất lượng»"
    # importing again changes nothing
    findings, changes, written = import_forms(unit, unit / "phieu")
    assert written == [] and not errors(findings)


def test_qd124_criterion_scale_and_levels(unit_2024):
    doc = unit_2024 / "phieu" / "chi_bo_thon_dong.docx"
    rs = registry.ruleset("qd124")
    tick(doc, "$.tu_danh_gia.tieu_chi.xay_dung_dang.cap_do", [2], len(rs.scale))
    fill_section(doc, "$.tu_danh_gia.tieu_chi.xay_dung_dang.ket_qua", ["Dòng một.", "Dòng hai."])
    findings, changes, _ = import_forms(unit_2024, unit_2024 / "phieu")
    assert not errors(findings), errors(findings)
    data = load_form(unit_2024 / "tap_the" / "chi_bo_thon_dong.yaml").data
    assert data["tu_danh_gia"]["tieu_chi"]["xay_dung_dang"] == {"cap_do": rs.scale[2], "ket_qua": "Dòng một.\nDòng hai."}


def test_a_single_document_can_be_imported(unit_2024):
    doc = unit_2024 / "phieu" / "nguyen_van_hung.docx"
    fill_section(doc, "$.phuong_huong", ["Một phương hướng mới."])
    findings, changes, written = import_forms(unit_2024, doc)
    assert not errors(findings)
    assert len(changes) == 1 and "1 mục được cập nhật" in changes[0]
    assert load_form(unit_2024 / "ca_nhan" / "nguyen_van_hung.yaml").data["phuong_huong"] == ["Một phương hướng mới."]


def test_renamed_document_is_still_found(unit_2026):
    docs = unit_2026 / "phieu"
    fill_section(docs / "ha_van_loc.docx", "$.kiem_diem.phuong_huong", ["Phương hướng đã sửa."])
    os.rename(docs / "ha_van_loc.docx", docs / "Ban kiem diem - Ha Van Loc (ban cuoi).docx")
    findings, _, _ = import_forms(unit_2026, docs)
    assert not errors(findings)
    assert load_form(unit_2026 / "ca_nhan" / "ha_van_loc.yaml").data["kiem_diem"]["phuong_huong"] == ["Phương hướng đã sửa."]


def test_form_changed_after_export_is_kept_when_the_document_left_the_section_alone(unit_2026):
    form = unit_2026 / "ca_nhan" / "le_thi_phuong.yaml"
    data = load_form(form).data
    data["kiem_diem"]["phuong_huong"] = ["Chi ủy sửa trực tiếp trong tệp sau khi xuất phiếu."]
    form.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    fill_section(unit_2026 / "phieu" / "le_thi_phuong.docx", "$.kiem_diem.han_che.nguyen_nhan", ["Nguyên nhân mới."])
    findings, _, _ = import_forms(unit_2026, unit_2026 / "phieu")
    assert not errors(findings)
    after = load_form(form).data
    assert after["kiem_diem"]["phuong_huong"] == ["Chi ủy sửa trực tiếp trong tệp sau khi xuất phiếu."]
    assert after["kiem_diem"]["han_che"]["nguyen_nhan"] == ["Nguyên nhân mới."]


def test_a_document_sent_again_after_more_changes_is_merged_on_what_was_imported(unit_2026):
    doc = unit_2026 / "phieu" / "le_thi_phuong.docx"
    fill_section(doc, "$.kiem_diem.phuong_huong", ["Bản thứ nhất."])
    assert not errors(import_forms(unit_2026, unit_2026 / "phieu")[0])
    fill_section(doc, "$.kiem_diem.phuong_huong", ["Bản thứ hai, sửa thêm."])
    findings, changes, written = import_forms(unit_2026, unit_2026 / "phieu")
    assert not errors(findings) and [p.name for p in written] == ["le_thi_phuong.yaml"]
    assert load_form(unit_2026 / "ca_nhan" / "le_thi_phuong.yaml").data["kiem_diem"]["phuong_huong"] == ["Bản thứ hai, sửa thêm."]
    synced = wordforms.read_synced(unit_2026)["ca_nhan/le_thi_phuong.yaml"]
    assert synced[key_of("$.kiem_diem.phuong_huong")] == wordforms.fingerprint(["Bản thứ hai, sửa thêm."])


def test_a_section_changed_in_both_places_is_a_conflict(unit_2026):
    form = unit_2026 / "ca_nhan" / "le_thi_phuong.yaml"
    data = load_form(form).data
    data["kiem_diem"]["phuong_huong"] = ["Sửa trong tệp."]
    form.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    fill_section(unit_2026 / "phieu" / "le_thi_phuong.docx", "$.kiem_diem.phuong_huong", ["Sửa trong phiếu."])
    findings, changes, _ = import_forms(unit_2026, unit_2026 / "phieu")
    [conflict] = errors(findings)
    assert conflict.json_path == "$.kiem_diem.phuong_huong" and "cả trong phiếu và trong tệp" in conflict.message_vi
    assert load_form(form).data["kiem_diem"]["phuong_huong"] == ["Sửa trong tệp."]
    assert any(line.startswith("ca_nhan/le_thi_phuong.yaml: không ghi") for line in changes)


def test_dry_run_writes_nothing(unit_2026):
    fill_section(unit_2026 / "phieu" / "ngo_thanh_tam.docx", "$.kiem_diem.phuong_huong", ["Mới."])
    before = (unit_2026 / "ca_nhan" / "ngo_thanh_tam.yaml").read_bytes()
    findings, changes, written = import_forms(unit_2026, unit_2026 / "phieu", dry_run=True)
    assert not errors(findings) and written == []
    assert any("1 mục sẽ được cập nhật" in line for line in changes)
    assert (unit_2026 / "ca_nhan" / "ngo_thanh_tam.yaml").read_bytes() == before
    assert not (unit_2026 / ".hoso" / "nguon.json").exists()


# -- damaged documents -----------------------------------------------------------------------------------------
def test_deleted_section_with_data_is_an_error_and_keeps_the_form(unit_2026):
    doc = unit_2026 / "phieu" / "ngo_thanh_tam.docx"
    before = (unit_2026 / "ca_nhan" / "ngo_thanh_tam.yaml").read_bytes()
    fill_section(doc, "$.kiem_diem.phuong_huong", ["Một thay đổi khác."])
    delete_section(doc, "$.kiem_diem.han_che.khuyet_diem")
    findings, changes, _ = import_forms(unit_2026, unit_2026 / "phieu")
    [error] = errors(findings)
    assert error.file == str(doc) and error.json_path == "$.kiem_diem.han_che.khuyet_diem"
    assert "không còn trong phiếu" in error.message_vi and error.origin == "phieu/ngo_thanh_tam.docx, mục «Hạn chế, khuyết điểm»"
    assert (unit_2026 / "ca_nhan" / "ngo_thanh_tam.yaml").read_bytes() == before


def test_deleted_empty_section_is_a_warning(unit_2026):
    doc = unit_2026 / "phieu" / "ngo_thanh_tam.docx"
    delete_section(doc, "$.kiem_diem.giai_trinh_goi_y")  # empty in the form
    fill_section(doc, "$.kiem_diem.phuong_huong", ["Mới."])
    findings, _, written = import_forms(unit_2026, unit_2026 / "phieu")
    assert not errors(findings)
    assert any(f.severity == "warning" and f.json_path == "$.kiem_diem.giai_trinh_goi_y" for f in findings)
    assert written


def test_two_boxes_ticked_is_an_error(unit_2026):
    doc = unit_2026 / "phieu" / "ngo_thanh_tam.docx"
    tick(doc, "$.tu_danh_gia.muc_de_xuat", [0, 1], 4)
    findings, _, written = import_forms(unit_2026, unit_2026 / "phieu")
    [error] = errors(findings)
    assert error.json_path == "$.tu_danh_gia.muc_de_xuat" and "chỉ được chọn một" in error.message_vi
    assert error.origin == "phieu/ngo_thanh_tam.docx, mục «Đề xuất xếp loại mức chất lượng»"
    assert written == []


def test_deleted_box_is_an_error(unit_2026):
    doc = unit_2026 / "phieu" / "ngo_thanh_tam.docx"
    d = docx.Document(str(doc))
    start = _bookmark(d, key_of("$.tu_danh_gia.muc_de_xuat") + "_2")
    box = next(s for s in start.itersiblings() if s.tag == qn("w:sdt"))
    box.getparent().remove(box)
    d.save(str(doc))
    findings, _, _ = import_forms(unit_2026, unit_2026 / "phieu")
    [error] = errors(findings)
    assert error.json_path == "$.tu_danh_gia.muc_de_xuat" and "ô bị xóa" in error.message_vi


def test_typed_x_ticks_a_box(unit_2026):
    doc = unit_2026 / "phieu" / "ngo_thanh_tam.docx"
    tick(doc, "$.tu_danh_gia.muc_de_xuat", [], 4)
    d = docx.Document(str(doc))
    start = _bookmark(d, key_of("$.tu_danh_gia.muc_de_xuat") + "_1")
    box = next(s for s in start.itersiblings() if s.tag == qn("w:sdt"))
    next(box.iter(qn("w:t"))).text = "x"
    d.save(str(doc))
    findings, _, _ = import_forms(unit_2026, unit_2026 / "phieu")
    assert not errors(findings)
    assert load_form(unit_2026 / "ca_nhan" / "ngo_thanh_tam.yaml").data["tu_danh_gia"]["muc_de_xuat"] == registry.ruleset("qd366").levels[1]


def test_bad_number_and_date_are_errors_with_their_origin(unit_2026):
    doc = unit_2026 / "phieu" / "truong_quoc_khanh.docx"
    set_line(doc, "$.tu_danh_gia.diem.tong", "chín mươi")
    set_line(doc, "$.danh_gia_chi_uy.ngay", "31/02/2026")
    findings, _, written = import_forms(unit_2026, unit_2026 / "phieu")
    by_path = {f.json_path: f for f in errors(findings)}
    assert set(by_path) == {"$.tu_danh_gia.diem.tong", "$.danh_gia_chi_uy.ngay"}
    assert "không phải là một số" in by_path["$.tu_danh_gia.diem.tong"].message_vi
    assert by_path["$.tu_danh_gia.diem.tong"].origin == "phieu/truong_quoc_khanh.docx, mục «Tổng điểm»"
    assert "ngày có thật" in by_path["$.danh_gia_chi_uy.ngay"].message_vi
    assert written == []


def test_schema_error_brought_by_the_document_blocks_its_file_only(unit_2026):
    fill_section(unit_2026 / "phieu" / "ngo_thanh_tam.docx", "$.kiem_diem.uu_diem.pham_chat", [])
    fill_section(unit_2026 / "phieu" / "ha_van_loc.docx", "$.kiem_diem.phuong_huong", ["Phương hướng mới."])
    findings, changes, written = import_forms(unit_2026, unit_2026 / "phieu")
    [error] = errors(findings)
    assert error.rule_id == "SCHEMA" and error.file.endswith("ngo_thanh_tam.docx")
    assert error.json_path == "$.kiem_diem.uu_diem.pham_chat" and error.origin.startswith("phieu/ngo_thanh_tam.docx, mục «1.")
    assert load_form(unit_2026 / "ca_nhan" / "ngo_thanh_tam.yaml").data["kiem_diem"]["uu_diem"]["pham_chat"]
    assert [p.name for p in written] == ["ha_van_loc.yaml"]


def test_documents_of_another_unit_period_or_none_are_refused(unit_2026, exported, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(unit_2026 / "phieu" / "ha_van_loc.docx", docs / "khac_don_vi.docx")
    _set_prop(docs / "khac_don_vi.docx", wordforms.PROP_UNIT, "Đảng bộ xã Tân Lập")
    shutil.copy(exported["demo"] / "unit" / "phieu" / "nguyen_van_hung.docx", docs / "nam_2024.docx")
    plain = docx.Document()
    plain.add_paragraph("Bản kiểm điểm tự soạn")
    plain.save(str(docs / "tu_soan.docx"))
    (docs / "hong.docx").write_bytes(b"not a zip")
    (docs / "cu.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (docs / "~$khoa.docx").write_bytes(b"lock file of Word")
    # the same unit, another period
    shutil.copy(unit_2026 / "phieu" / "cao_van_son.docx", docs / "ky_khac.docx")
    _set_prop(docs / "ky_khac.docx", wordforms.PROP_PERIOD, "2025")
    findings, changes, written = import_forms(unit_2026, docs)
    by_file = {Path(f.file).name: f.message_vi for f in errors(findings)}
    assert set(by_file) == {"khac_don_vi.docx", "nam_2024.docx", "tu_soan.docx", "hong.docx", "cu.doc", "ky_khac.docx"}
    assert "đơn vị khác" in by_file["khac_don_vi.docx"]
    assert "Không phải phiếu do hoso" in by_file["tu_soan.docx"]
    assert "tệp hỏng" in by_file["hong.docx"]
    assert ".docx" in by_file["cu.doc"]
    assert "kỳ đánh giá khác" in by_file["ky_khac.docx"] and "kỳ đánh giá khác" in by_file["nam_2024.docx"]
    assert written == [] and changes == []


def _set_prop(path: Path, name: str, value: str) -> None:
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    props = wordforms._custom_props(parts["docProps/custom.xml"])
    props[name] = value
    parts["docProps/custom.xml"] = wordforms._custom_xml(props)
    with zipfile.ZipFile(path, "w") as z:
        for filename, data in parts.items():
            z.writestr(filename, data)


def test_two_documents_of_one_form_are_both_refused(unit_2026):
    docs = unit_2026 / "phieu"
    shutil.copy(docs / "ha_van_loc.docx", docs / "ha_van_loc_ban_2.docx")
    findings, _, _ = import_forms(unit_2026, docs)
    assert {Path(f.file).name for f in errors(findings)} == {"ha_van_loc.docx", "ha_van_loc_ban_2.docx"}


def test_text_outside_any_section_is_reported(unit_2026):
    doc = unit_2026 / "phieu" / "ngo_thanh_tam.docx"
    d = docx.Document(str(doc))
    d.add_paragraph("Ghi chú thêm của đồng chí sau chữ ký.")
    d.save(str(doc))
    fill_section(doc, "$.kiem_diem.phuong_huong", ["Mới."])
    findings, _, written = import_forms(unit_2026, unit_2026 / "phieu")
    assert not errors(findings) and written
    assert any(f.severity == "warning" and "Ghi chú thêm" in f.message_vi for f in findings)


def test_member_table_in_a_section_becomes_paragraphs(unit_2026):
    doc = unit_2026 / "phieu" / "ngo_thanh_tam.docx"
    fill_section(doc, "$.kiem_diem.phuong_huong", ["Các việc cụ thể:"])
    d = docx.Document(str(doc))
    head = _paragraph_of(_bookmark(d, key_of("$.kiem_diem.phuong_huong")))
    table = d.add_table(rows=2, cols=2)
    for r, row in enumerate([("Việc", "Thời hạn"), ("Hướng dẫn chi bộ thôn", "Quý I/2027")]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    head.getnext().addnext(table._tbl)
    d.save(str(doc))
    findings, _, _ = import_forms(unit_2026, unit_2026 / "phieu")
    assert not errors(findings)
    data = load_form(unit_2026 / "ca_nhan" / "ngo_thanh_tam.yaml").data
    assert data["kiem_diem"]["phuong_huong"] == ["Các việc cụ thể:", "Việc; Thời hạn", "Hướng dẫn chi bộ thôn; Quý I/2027"]
    assert any(f.severity == "warning" and f.json_path == "$.kiem_diem.phuong_huong" for f in findings)


# -- LibreOffice open-and-save -----------------------------------------------------------------------------------
def _libreoffice_resave(files: list[Path], out: Path, profile: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "docx",
                    "--outdir", str(out), *map(str, files)], check=True, timeout=300,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    saved = [out / f.name for f in files]
    assert all(p.is_file() for p in saved)
    return saved


@pytest.mark.libreoffice
@needs_libreoffice
@pytest.mark.parametrize("demo", ["demo", "demo_2026"])
def test_libreoffice_open_and_save_keeps_every_value(exported, demo, tmp_path):
    shutil.copytree(exported[demo] / "unit", tmp_path / "unit")
    unit = tmp_path / "unit"
    filled = unit / "phieu" / ("nguyen_van_hung.docx" if demo == "demo" else "ngo_thanh_tam.docx")
    section = "$.phuong_huong" if demo == "demo" else "$.kiem_diem.phuong_huong"
    fill_section(filled, section, ["Phương hướng viết trong Word.", "Đoạn hai."])
    saved = _libreoffice_resave(sorted((unit / "phieu").glob("*.docx")), tmp_path / "lo", tmp_path / "profile")
    for path in saved:
        got, want, problems = read_back(path, unit)
        assert not problems, (path.name, problems)
        if path.name != filled.name:
            assert got == want, path.name
    before = _forms(unit)
    findings, changes, written = import_forms(unit, tmp_path / "lo")
    assert not errors(findings), errors(findings)
    after = _forms(unit)
    changed = [name for name in before if before[name] != after[name]]
    assert len(changed) == 1
    assert wordforms.get_path(after[changed[0]], tuple(section[2:].split("."))) == ["Phương hướng viết trong Word.", "Đoạn hai."]


@pytest.mark.libreoffice
@needs_libreoffice
def test_libreoffice_saved_document_with_a_ticked_box(unit_2024, tmp_path):
    doc = unit_2024 / "phieu" / "nguyen_van_hung.docx"
    rs = registry.ruleset("qd124")
    tick(doc, "$.uu_diem.neu_guong.cap_do", [0], len(rs.scale))
    [saved] = _libreoffice_resave([doc], tmp_path / "lo", tmp_path / "profile")
    [saved] = _libreoffice_resave([saved], tmp_path / "lo2", tmp_path / "profile")  # twice: checkbox controls degrade
    findings, _, _ = import_forms(unit_2024, saved)
    assert not errors(findings), errors(findings)
    data = load_form(unit_2024 / "ca_nhan" / "nguyen_van_hung.yaml").data
    assert data["uu_diem"]["neu_guong"]["cap_do"] == rs.scale[0]


# -- the command line ------------------------------------------------------------------------------------------------
def test_cli_export_and_import(cli, tmp_path):
    shutil.copytree(DEMO_2026, tmp_path / "unit")
    unit = tmp_path / "unit"
    result = cli("forms", "export", unit, "-o", tmp_path / "phieu")
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "phieu").glob("*.docx"))) == 18
    fill_section(tmp_path / "phieu" / "cao_van_son.docx", "$.kiem_diem.phuong_huong", ["Phương hướng mới của đồng chí Sơn."])
    result = cli("forms", "import", unit, tmp_path / "phieu", "--thu")
    assert result.exit_code == 0, result.output
    assert "ca_nhan/cao_van_son.yaml: 1 mục sẽ được cập nhật" in result.output
    result = cli("forms", "import", unit, tmp_path / "phieu", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["ok"] and any(p.endswith("cao_van_son.yaml") for p in report["tep"])
    tick(tmp_path / "phieu" / "cao_van_son.docx", "$.tu_danh_gia.muc_de_xuat", [0, 2], 4)
    result = cli("forms", "import", unit, tmp_path / "phieu")
    assert result.exit_code == 1
    assert "cao_van_son.docx" in result.output and "chỉ được chọn một" in result.output


# -- lists of flat objects as tables (the task ledger of QĐ 366) ---------------------------------------------------
LEDGER = "$.ket_qua_nhiem_vu"
MEMBER = "ngo_thanh_tam"


def ledger_table(doc, json_path: str = LEDGER):
    """The table right after a table field's marked heading."""
    table = _paragraph_of(_bookmark(doc, key_of(json_path))).getnext()
    assert table.tag == qn("w:tbl")
    return docx.table.Table(table, doc._body)


def cell_texts(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def ledger_field(unit: Path, name: str = MEMBER, json_path: str = LEDGER):
    data = load_form(unit / "ca_nhan" / f"{name}.yaml").data
    entry = registry.bind(data).entry
    return next(f for f in wordforms.candidates(entry) if isinstance(f, wordforms.Field) and f.json_path == json_path), data


def test_task_ledger_is_exported_as_a_table_with_the_demo_rows(exported):
    unit = exported["demo_2026"] / "unit"
    item, data = ledger_field(unit)
    assert item.kind == wordforms.TABLE
    labels = registry.ruleset("qd366").vocabulary("ket_qua_nhiem_vu")
    doc = docx.Document(str(unit / "phieu" / f"{MEMBER}.docx"))
    table = ledger_table(doc)
    rows = cell_texts(table)
    assert rows[0][0] == wordforms.ROW_NUMBER
    assert rows[0][1:4] == ["Nội dung nhiệm vụ, công việc", "Thời hạn hoàn thành", "Kết quả"]
    tasks = data["ket_qua_nhiem_vu"]
    assert len(rows) == 1 + len(tasks) + wordforms.EMPTY_ROWS
    first = tasks[0]
    y, m, d = str(first["thoi_han"]).split("-")
    assert rows[1][:4] == ["1", first["noi_dung"], f"{d}/{m}/{y}", labels[first["ket_qua"]]]
    assert [r[1] for r in rows[1:1 + len(tasks)]] == [t["noi_dung"] for t in tasks]
    assert all(not any(r) for r in rows[1 + len(tasks):])
    assert table._tbl.tr_lst[0].find(qn("w:trPr")).find(qn("w:tblHeader")) is not None  # repeats on every page
    heading = _paragraph_of(_bookmark(doc, key_of(LEDGER)))
    assert "thêm dòng nếu cần" in "".join(t.text for t in heading.iter(qn("w:t")))
    # The shortcomings of earlier reviews too, by the ruleset's labels.
    remedy = cell_texts(ledger_table(doc, "$.khac_phuc_truoc"))
    status = registry.ruleset("qd366").vocabulary("khac_phuc")
    assert remedy[1][1:3] == [data["khac_phuc_truoc"][0]["noi_dung"], status[data["khac_phuc_truoc"][0]["tinh_trang"]]]


def fill_ledger(path: Path) -> None:
    """A member's edits in Word: a result changed, a new task typed in an empty row (label without diacritics, in
    capitals), another added with "insert row" (by its code), one row emptied."""
    doc = docx.Document(str(path))
    table = ledger_table(doc)
    labels = registry.ruleset("qd366").vocabulary("ket_qua_nhiem_vu")
    table.cell(1, 3).text = labels["dung_han"].upper()
    table.cell(2, 1).text, table.cell(2, 2).text, table.cell(2, 3).text = "", "", ""
    for c in range(len(table.columns)):
        table.cell(2, c).text = ""
    empty = len(table.rows) - wordforms.EMPTY_ROWS
    table.cell(empty, 1).text = "Số hóa hồ sơ đảng viên\n(đợt 2)"
    table.cell(empty, 2).text = "15/12/2026"
    table.cell(empty, 3).text = "hoan thanh dung han, bao dam chat luong, hieu qua"
    table.cell(empty, 4).text = "có"
    row = table.add_row()
    row.cells[1].text = "Rà soát đảng phí"
    row.cells[3].text = "hoan_thanh_cham"
    row.cells[8].text = "Chậm 5 ngày"
    doc.save(str(path))


def expected_ledger(tasks: list[dict]) -> list[dict]:
    out = [dict(t) for t in tasks]
    out[0]["ket_qua"] = "dung_han"
    del out[1]
    out.append({"noi_dung": "Số hóa hồ sơ đảng viên\n(đợt 2)", "thoi_han": "2026-12-15", "ket_qua": "dung_han", "phat_sinh": True})
    out.append({"noi_dung": "Rà soát đảng phí", "ket_qua": "hoan_thanh_cham", "ghi_chu": "Chậm 5 ngày"})
    return out


def _ledger(unit: Path) -> list[dict]:
    return json.loads(json.dumps(load_form(unit / "ca_nhan" / f"{MEMBER}.yaml").data.get("ket_qua_nhiem_vu"), default=str))


def test_filled_table_is_imported(unit_2026):
    before = _ledger(unit_2026)
    fill_ledger(unit_2026 / "phieu" / f"{MEMBER}.docx")
    findings, changes, written = import_forms(unit_2026, unit_2026 / "phieu")
    assert not errors(findings), errors(findings)
    assert [p.name for p in written] == [f"{MEMBER}.yaml"]
    assert _ledger(unit_2026) == expected_ledger(before)
    origins = json.loads((unit_2026 / ".hoso" / "nguon.json").read_text(encoding="utf-8"))["tep"][f"ca_nhan/{MEMBER}.yaml"]
    assert "hàng 8, cột «Nội dung nhiệm vụ, công việc»" in origins["$.ket_qua_nhiem_vu[6].noi_dung"]
    # Sent again unchanged: nothing more to do.
    findings, changes, written = import_forms(unit_2026, unit_2026 / "phieu")
    assert not errors(findings) and written == []


def test_unknown_result_label_is_an_error_naming_file_section_row_and_column(unit_2026):
    doc_path = unit_2026 / "phieu" / f"{MEMBER}.docx"
    before = _ledger(unit_2026)
    doc = docx.Document(str(doc_path))
    table = ledger_table(doc)
    table.cell(3, 3).text = "Làm được một nửa"
    doc.save(str(doc_path))
    findings, _, written = import_forms(unit_2026, unit_2026 / "phieu")
    [bad] = errors(findings)
    assert bad.rule_id == "WORDFORM" and bad.file.endswith(f"{MEMBER}.docx")
    assert bad.json_path == "$.ket_qua_nhiem_vu[2].ket_qua"
    assert "Sổ nhiệm vụ" in bad.origin and "hàng 3, cột «Kết quả»" in bad.origin
    assert "Làm được một nửa" in bad.message_vi and "Hoàn thành đúng hạn" in bad.message_vi
    assert written == [] and _ledger(unit_2026) == before


def test_deleted_table_with_data_is_an_error_and_keeps_the_form(unit_2026):
    doc_path = unit_2026 / "phieu" / f"{MEMBER}.docx"
    before = _ledger(unit_2026)
    doc = docx.Document(str(doc_path))
    head = _paragraph_of(_bookmark(doc, key_of(LEDGER)))
    table = head.getnext()
    head.getparent().remove(head)
    table.getparent().remove(table)
    doc.save(str(doc_path))
    findings, _, written = import_forms(unit_2026, unit_2026 / "phieu")
    assert any(f.json_path == LEDGER and "Sổ nhiệm vụ" in f.message_vi for f in errors(findings))
    assert written == [] and _ledger(unit_2026) == before


def test_table_three_way_merge(unit_2026):
    form = unit_2026 / "ca_nhan" / f"{MEMBER}.yaml"
    data = yaml.safe_load(form.read_text(encoding="utf-8"))
    data["ket_qua_nhiem_vu"][0]["ghi_chu"] = "Sửa trong tệp sau khi xuất phiếu"
    form.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    # Untouched table: the form's newer ledger is kept.
    findings, _, written = import_forms(unit_2026, unit_2026 / "phieu")
    assert not errors(findings) and written == []
    assert _ledger(unit_2026)[0]["ghi_chu"] == "Sửa trong tệp sau khi xuất phiếu"
    # Changed in both places: a conflict, nothing written.
    fill_ledger(unit_2026 / "phieu" / f"{MEMBER}.docx")
    findings, _, written = import_forms(unit_2026, unit_2026 / "phieu")
    assert any(f.json_path == LEDGER and "cả trong phiếu và trong tệp" in f.message_vi for f in errors(findings))
    assert written == []


def test_fields_without_a_column_are_kept_for_unchanged_rows(unit_2026, tmp_path):
    form = unit_2026 / "ca_nhan" / f"{MEMBER}.yaml"
    data = yaml.safe_load(form.read_text(encoding="utf-8"))
    data["ket_qua_nhiem_vu"][3]["ma_rieng"] = "NV-04"  # not in the schema: no column shows it
    form.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = tmp_path / "phieu"
    findings, _ = export_forms(unit_2026, out)
    assert not errors(findings)
    doc = docx.Document(str(out / f"{MEMBER}.docx"))
    table = ledger_table(doc)
    table.cell(1, 3).text = "dung_han"
    table.cell(4, 8).text = "Ghi chú mới"
    doc.save(str(out / f"{MEMBER}.docx"))
    findings, _, written = import_forms(unit_2026, out)
    assert not errors(findings), errors(findings)  # the form's own schema error stays a warning: the document made it no worse
    ledger = _ledger(unit_2026)
    assert ledger[0]["ket_qua"] == "dung_han"
    assert "ma_rieng" not in ledger[3] and ledger[3]["ghi_chu"] == "Ghi chú mới"  # a changed row is built from its cells
    # Unchanged rows keep it.
    data = yaml.safe_load(form.read_text(encoding="utf-8"))
    data["ket_qua_nhiem_vu"][5]["ma_rieng"] = "NV-06"
    form.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    findings, _ = export_forms(unit_2026, out)
    doc = docx.Document(str(out / f"{MEMBER}.docx"))
    ledger_table(doc).cell(1, 8).text = "Ghi chú khác"
    doc.save(str(out / f"{MEMBER}.docx"))
    findings, _, written = import_forms(unit_2026, out)
    assert not errors(findings), errors(findings)
    ledger = _ledger(unit_2026)
    assert ledger[0]["ghi_chu"] == "Ghi chú khác" and ledger[5]["ma_rieng"] == "NV-06"


@pytest.mark.libreoffice
@needs_libreoffice
def test_libreoffice_saved_filled_table_reads_the_same(unit_2026, tmp_path):
    doc = unit_2026 / "phieu" / f"{MEMBER}.docx"
    before = _ledger(unit_2026)
    fill_ledger(doc)
    [saved] = _libreoffice_resave([doc], tmp_path / "lo", tmp_path / "profile")
    item, _ = ledger_field(unit_2026)
    direct = wordforms.interpret(wordforms.read_document(doc), {item.key: item})
    resaved = wordforms.interpret(wordforms.read_document(saved), {item.key: item})
    assert not [p for p in resaved.problems if p[1] == item.key]
    assert resaved.values[item.key] == direct.values[item.key]
    assert resaved.row_numbers[item.key] == direct.row_numbers[item.key]
    findings, _, written = import_forms(unit_2026, saved)
    assert not errors(findings), errors(findings)
    assert _ledger(unit_2026) == expected_ledger(before)
