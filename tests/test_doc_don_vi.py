"""What a unit says is what its documents say (issue 8): the issuing body, the body above, the place.

Unit documents take their header (body above / issuing committee), deciding body ("… QUYẾT ĐỊNH"), signing
authority and place from the organisation that issues them (generator/facts.py, ``ban_hanh``), derived from the
organisation's kind and name through the table of schemas/unit.schema.json. ``facts.issuer_mismatches`` and
``facts.place_mismatches`` report a document whose own header, authority or place says otherwise. A form rendered
alone keeps its own ``don_vi`` and ``chu_ky``.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import DEMO, ROOT, docx_text, small_unit
from generator import facts, registry
from generator.facts import unit_facts
from generator.errors import TemplateError
from generator.settings import load_settings
from generator.render import render_docx
from generator.source import load_unit
from generator.validate import check_file

VAN_BAN = DEMO / "van_ban"


def _load(path: Path):
    findings, unit = load_unit(path)
    assert unit is not None and not [f for f in findings if f.severity == "error"], findings
    return unit


def _render(unit, name: str, tmp_path: Path) -> list[str]:
    """The text lines of one unit document (found by file stem) rendered with the unit's facts."""
    form = next(f for f in unit.forms() if Path(f.path).stem == name)
    out = tmp_path / f"{name}.docx"
    out.write_bytes(render_docx(form, unit.settings, registry.template_path(form.entry), unit_facts(unit)))
    return docx_text(out).splitlines()


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _write(path: Path, data: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _with_documents(root: Path, docs: dict[str, dict], **don_vi) -> Path:
    """The small chi bộ unit of conftest with extra documents in van_ban/ and extra don_vi keys."""
    small_unit(root)
    manifest = _yaml(root / "don_vi.yaml")
    manifest["don_vi"].update(don_vi)
    manifest["van_ban"] = ["van_ban/"]
    for name, data in docs.items():
        _write(root / "van_ban" / f"{name}.yaml", data)
    _write(root / "don_vi.yaml", manifest)
    return root


def _copy_demo_with(tmp_path: Path, documents: dict[str, dict]) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(DEMO, target)
    for name, data in documents.items():
        _write(target / "van_ban" / f"{name}.yaml", data)
    return target


def _render_alone(path: Path, tmp_path: Path) -> Path:
    findings, form = check_file(path)
    assert form is not None, findings
    out = tmp_path / f"{path.stem}.docx"
    out.write_bytes(render_docx(form, load_settings("qd124"), registry.template_path(form.entry)))
    return out


def _decision_of_a_dang_uy() -> dict:
    """The demo's member grading decision, as a đảng ủy writes it: its own header and T/M ĐẢNG ỦY."""
    data = _yaml(VAN_BAN / "qd_xep_loai_dang_vien.yaml")
    data.pop("co_quan_ban_hanh")
    data["don_vi"] = {"cap_tren": "ĐẢNG BỘ HUYỆN TÂN PHÚ", "ten": "ĐẢNG ỦY XÃ HÒA BÌNH"}
    data["chu_ky"] = {"quyen_han": "T/M ĐẢNG ỦY", "chuc_vu": "BÍ THƯ", "ho_ten": "Nguyễn Văn Hùng"}
    data["dia_danh"] = "Hòa Bình"
    return data


def _ballot() -> dict:
    return {"bieu_mau": "phieu_bau", "ky_danh_gia": {"nam": 2024}, "to_chuc": "cb", "ngay_lap": "2024-12-06"}


# -- 1. the deciding body ---------------------------------------------------------------------------
def test_demo_decision_names_its_issuer_by_code_and_prints_it(tmp_path):
    unit = _load(DEMO)
    seq = _render(unit, "qd_xep_loai_dang_vien", tmp_path)
    assert seq[:4] == ["ĐẢNG BỘ HUYỆN TÂN PHÚ", "ĐẢNG ỦY XÃ HÒA BÌNH", "*", "Số 57-QĐ/ĐU"]
    assert "Hòa Bình, ngày 12 tháng 12 năm 2024" in seq
    assert "BAN CHẤP HÀNH ĐẢNG BỘ XÃ HÒA BÌNH QUYẾT ĐỊNH" in seq
    assert "T/M ĐẢNG ỦY" in seq and "BÍ THƯ" in seq
    assert "(Kèm theo Quyết định số 57-QĐ/ĐU ngày 12 tháng 12 năm 2024 của Ban Chấp hành Đảng bộ xã Hòa Bình)" in seq


def test_a_chi_bo_decision_is_headed_decided_and_signed_by_the_chi_bo(tmp_path):
    """A decision copied from a đảng ủy into a chi bộ unit: everything printed comes from the chi bộ."""
    unit = _load(_with_documents(tmp_path / "cb", {"qd": _decision_of_a_dang_uy()}))
    seq = _render(unit, "qd", tmp_path)
    assert seq[:3] == ["CHI BỘ THỬ", "*", "Số 57-QĐ/ĐU"]  # no body above is known: the upper line is empty
    assert "CHI BỘ THỬ QUYẾT ĐỊNH" in seq
    # no generated line names a đảng ủy (the free text copied in, "Căn cứ …", is the writer's own)
    assert not [line for line in seq if line.isupper() and ("ĐẢNG ỦY" in line or "BAN CHẤP HÀNH" in line)]
    assert "T/M CHI BỘ" in seq
    assert any(line.endswith("của Chi bộ Thử)") for line in seq)


def test_mismatched_header_and_authority_are_reported_with_what_is_printed(tmp_path):
    unit = _load(_with_documents(tmp_path / "cb", {"qd": _decision_of_a_dang_uy()}))
    found = {(Path(m.file).name, m.json_path): m.message_vi for m in facts.issuer_mismatches(unit, unit_facts(unit))
             if Path(m.file).name in ("qd.yaml", "don_vi.yaml")}
    assert found[("qd.yaml", "$.don_vi.ten")].startswith("Cơ quan ban hành ghi 'ĐẢNG ỦY XÃ HÒA BÌNH' nhưng tổ chức ban hành (cb) là 'CHI BỘ THỬ'")
    assert "to_chuc[0].ban_hanh.ten" in found[("qd.yaml", "$.don_vi.ten")]
    assert "hoso in 'T/M CHI BỘ'" in found[("qd.yaml", "$.chu_ky.quyen_han")]
    assert "'T/M CHI ỦY'" in found[("qd.yaml", "$.chu_ky.quyen_han")]  # the accepted authorities are listed
    gaps = [(Path(m.file).name, m.json_path) for m in facts.issuer_gaps(unit, unit_facts(unit))]
    assert ("don_vi.yaml", "$.don_vi.cap_tren") in gaps  # no body above: the upper header line is empty


def test_the_demo_documents_agree_with_their_issuers():
    unit = _load(DEMO)
    assert facts.issuer_mismatches(unit, unit_facts(unit)) == []
    assert facts.issuer_gaps(unit, unit_facts(unit)) == []
    assert facts.place_mismatches(unit, unit_facts(unit)) == []


def test_unknown_issuer_codes_and_documents_without_an_issuer_are_reported(tmp_path):
    data = _yaml(VAN_BAN / "hs_nhan_xet_cu_tru_nguyen_van_hung.yaml")
    data.pop("don_vi")
    data["co_quan_ban_hanh"] = "khong_co"
    root = _copy_demo_with(tmp_path, {"hs_nhan_xet_cu_tru_nguyen_van_hung": data, "phieu_tap_the": {**_ballot(), "to_chuc": "ld_ubnd"}})
    manifest = _yaml(root / "don_vi.yaml")
    manifest["to_chuc"].append({"ma": "ld_ubnd", "ten": "Tập thể lãnh đạo Ủy ban nhân dân xã", "loai": "tap_the_lanh_dao"})
    _write(root / "don_vi.yaml", manifest)
    unit = _load(root)
    assert [(Path(m.file).name, m.json_path) for m in facts.issuer_mismatches(unit, unit_facts(unit))] == [
        ("hs_nhan_xet_cu_tru_nguyen_van_hung.yaml", "$.co_quan_ban_hanh")]
    assert "Không có tổ chức mã 'khong_co'" in facts.issuer_mismatches(unit, unit_facts(unit))[0].message_vi
    (gap,) = facts.issuer_gaps(unit, unit_facts(unit))
    assert (Path(gap.file).name, gap.json_path) == ("phieu_tap_the.yaml", "$.don_vi")
    assert gap.message_vi.startswith("Tập thể lãnh đạo Ủy ban nhân dân xã (tập thể lãnh đạo, quản lý) không ban hành văn bản của Đảng")


def test_a_standing_committee_may_sign_for_a_dang_uy(tmp_path):
    """T/M BAN THƯỜNG VỤ is an authority of a đảng bộ: accepted, printed, with its deciding body."""
    unit = _load(DEMO)
    seq = _render(unit, "qd_tong_hop_tham_dinh", tmp_path)
    assert "T/M BAN THƯỜNG VỤ" in seq
    issuer = unit_facts(unit)["ban_hanh"]
    assert [a["tham_quyen_ky"] for a in issuer["tham_quyen"]] == ["T/M ĐẢNG ỦY", "T/M BAN THƯỜNG VỤ"]
    assert issuer["tham_quyen"][1]["co_quan_quyet_dinh"] == "Ban Thường vụ Đảng ủy xã Hòa Bình"


def test_unit_facts_expose_each_organisations_issuing_names():
    so_lieu = unit_facts(_load(DEMO))
    xa = so_lieu["to_chuc_theo_ma"]["dang_bo_xa"]["ban_hanh"]
    assert {k: xa[k] for k in ("cap_tren", "ten", "co_quan", "co_quan_quyet_dinh", "tham_quyen_ky", "chuc_vu_ky", "dia_danh")} == {
        "cap_tren": "Đảng bộ huyện Tân Phú", "ten": "Đảng ủy xã Hòa Bình", "co_quan": "Đảng ủy xã Hòa Bình",
        "co_quan_quyet_dinh": "Ban Chấp hành Đảng bộ xã Hòa Bình", "tham_quyen_ky": "T/M ĐẢNG ỦY", "chuc_vu_ky": "BÍ THƯ",
        "dia_danh": "Hòa Bình",
    }
    thon = so_lieu["to_chuc_theo_ma"]["chi_bo_thon_dong"]["ban_hanh"]
    assert (thon["cap_tren"], thon["ten"], thon["tham_quyen_ky"], thon["co_quan_quyet_dinh"]) == (
        "Đảng bộ xã Hòa Bình", "Chi bộ Thôn Đông", "T/M CHI BỘ", "Chi bộ Thôn Đông")
    # don_vi.yaml overrides the default authority of a chi bộ that has a chi ủy
    co_quan = so_lieu["to_chuc_theo_ma"]["chi_bo_co_quan"]["ban_hanh"]
    assert (co_quan["tham_quyen_ky"], co_quan["co_quan_quyet_dinh"]) == ("T/M CHI ỦY", "Chi ủy Chi bộ Cơ quan xã")
    assert so_lieu["ban_hanh"] == xa
    assert so_lieu["ban_hanh_theo_tep"][str(VAN_BAN / "qd_xep_loai_dang_vien.yaml")] == "dang_bo_xa"


def test_a_chi_bo_signs_with_its_default_authority_when_the_document_names_none(tmp_path):
    unit = _load(DEMO)
    for name, code in (("qd_tong_hop_de_xuat_chi_bo_thon_dong", "T/M CHI BỘ"), ("qd_tong_hop_de_xuat_chi_bo_co_quan", "T/M CHI ỦY")):
        form = next(f for f in unit.forms() if Path(f.path).stem == name)
        form.data["chu_ky"].pop("quyen_han")
        assert code in _render(unit, name, tmp_path)


def test_a_notice_takes_the_notifying_body_from_its_issuer(tmp_path):
    data = _yaml(VAN_BAN / "qd_thong_bao_tran_thi_mai.yaml")
    for key in ("don_vi", "co_quan", "dia_danh"):
        data.pop(key)
    data["chu_ky"].pop("quyen_han")
    unit = _load(_copy_demo_with(tmp_path, {"qd_thong_bao_tran_thi_mai": data}))
    text = "\n".join(_render(unit, "qd_thong_bao_tran_thi_mai", tmp_path))
    assert text.startswith("ĐẢNG BỘ HUYỆN TÂN PHÚ\nĐẢNG ỦY XÃ HÒA BÌNH\n*\nSố 32-TB/ĐU")
    assert "năm 2024, Đảng ủy xã Hòa Bình thông báo kết quả" in text
    assert "Đảng ủy xã Hòa Bình thông báo để đồng chí Trần Thị Mai" in text
    assert "\nT/M ĐẢNG ỦY\nBÍ THƯ\n" in text


def test_a_form_alone_keeps_its_own_header_and_signature(tmp_path):
    seq = docx_text(_render_alone(ROOT / "tests" / "examples" / "valid" / "quyet_dinh_xep_loai_lai.yaml", tmp_path)).splitlines()
    assert seq[:2] == ["ĐẢNG BỘ HUYỆN TÂN PHÚ", "ĐẢNG ỦY XÃ TÂN LẬP"]
    assert "ĐẢNG ỦY XÃ TÂN LẬP QUYẾT ĐỊNH:" in seq
    assert "T/M ĐẢNG ỦY" in seq


def test_a_form_naming_its_issuer_by_code_needs_its_unit(tmp_path):
    data = _yaml(ROOT / "tests" / "examples" / "valid" / "quyet_dinh_xep_loai_lai.yaml")
    data.pop("don_vi")
    data["co_quan_ban_hanh"] = "dang_bo_xa"
    findings, form = check_file(_write(tmp_path / "qd.yaml", data))
    assert form is not None, findings  # valid: with its unit the code gives the header
    with pytest.raises(TemplateError, match="hoso render THƯ_MỤC_ĐƠN_VỊ"):
        render_docx(form, load_settings("qd124"), registry.template_path(form.entry))


# -- 2. the body above ------------------------------------------------------------------------------
def test_a_chi_bo_unit_names_the_body_above_and_every_header_shows_it(tmp_path):
    root = _with_documents(tmp_path / "cb", {"phieu": _ballot()}, cap_tren={"ten": "Đảng bộ xã Hòa Bình", "loai": "dang_bo_co_so"})
    unit = _load(root)
    assert _render(unit, "phieu", tmp_path)[:3] == ["ĐẢNG BỘ XÃ HÒA BÌNH", "CHI BỘ THỬ", "*"]
    assert unit_facts(unit)["cap_tren"] == {"ten": "Đảng bộ xã Hòa Bình", "loai": "dang_bo_co_so", "loai_ten": "Đảng bộ cơ sở"}
    assert (unit_facts(unit)["ban_hanh"]["cap_tren"], unit_facts(unit)["ban_hanh"]["ten"]) == ("Đảng bộ xã Hòa Bình", "Chi bộ Thử")
    assert not [m for m in facts.issuer_mismatches(unit, unit_facts(unit)) + facts.issuer_gaps(unit, unit_facts(unit)) if Path(m.file).name in ("phieu.yaml", "don_vi.yaml")]


def test_the_body_above_is_not_graded_by_the_unit(tmp_path, cli):
    """Naming the body above adds no finding: it is not an organisation of the unit, so no Mẫu 01 is asked of it."""
    def check(root: Path) -> list[tuple]:
        result = cli("check", root, "--format", "json")
        return sorted((f["rule_id"], f["json_path"]) for f in json.loads(result.stdout)["findings"])

    plain = check(small_unit(tmp_path / "khong"))
    named = small_unit(tmp_path / "co")
    manifest = _yaml(named / "don_vi.yaml")
    # The same body above the members' self-reviews already name in their headers.
    manifest["don_vi"]["cap_tren"] = {"ten": "Đảng bộ xã Thử Nghiệm", "loai": "dang_bo_co_so"}
    _write(named / "don_vi.yaml", manifest)
    assert check(named) == plain


# -- 3. the place -----------------------------------------------------------------------------------
def test_the_place_comes_from_the_unit(tmp_path):
    root = _with_documents(tmp_path / "cb", {"phieu": _ballot()}, dia_danh="Tân Lập")
    unit = _load(root)
    assert "Tân Lập, ngày 06 tháng 12 năm 2024" in _render(unit, "phieu", tmp_path)
    assert unit_facts(unit)["dia_danh"] == "Tân Lập"


def test_with_no_place_known_a_blank_is_printed_to_fill_by_hand(tmp_path):
    unit = _load(_with_documents(tmp_path / "cb", {"phieu": _ballot()}))
    assert not unit.settings["the_thuc"].get("dia_danh")
    assert "……, ngày 06 tháng 12 năm 2024" in _render(unit, "phieu", tmp_path)


def test_a_form_place_other_than_its_units_is_reported(tmp_path):
    ballot = {**_ballot(), "dia_danh": "Hòa Bình"}
    unit = _load(_with_documents(tmp_path / "cb", {"phieu": ballot}, dia_danh="Tân Lập"))
    found = [(Path(m.file).name, m.json_path, m.message_vi) for m in facts.place_mismatches(unit, unit_facts(unit)) if Path(m.file).name == "phieu.yaml"]
    assert found == [("phieu.yaml", "$.dia_danh", (
        "Địa danh ghi 'Hòa Bình' nhưng địa danh của Chi bộ Thử là 'Tân Lập' (don_vi.dia_danh): hoso in 'Tân Lập'. "
        "Bỏ dia_danh khỏi văn bản, hoặc ghi to_chuc[0].ban_hanh.dia_danh trong don_vi.yaml."))]
    assert "Tân Lập, ngày 06 tháng 12 năm 2024" in _render(unit, "phieu", tmp_path)


def test_the_default_locality_carries_no_demo_place():
    assert not load_settings("qd124")["the_thuc"].get("dia_danh")
    assert _yaml(DEMO / "don_vi.yaml")["don_vi"]["dia_danh"] == "Hòa Bình"


# -- 4. the unit schema documents every field --------------------------------------------------------
def _fields(node: dict, path: str = "$"):
    for name, sub in node.get("properties", {}).items():
        yield f"{path}.{name}", sub
        yield from _fields(sub, f"{path}.{name}")
    if isinstance(node.get("items"), dict):
        yield from _fields(node["items"], f"{path}[]")


VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE)


def test_every_field_of_the_unit_schema_has_a_vietnamese_title_and_description():
    schema = json.loads((ROOT / "schemas" / "unit.schema.json").read_text(encoding="utf-8"))
    fields = list(_fields(schema))
    assert len(fields) > 150
    missing = [path for path, sub in fields
               if not (VIETNAMESE.search(sub.get("title", "")) and VIETNAMESE.search(sub.get("description", "")))]
    assert missing == []


def test_kind_names_are_data_of_the_unit_schema():
    schema = json.loads((ROOT / "schemas" / "unit.schema.json").read_text(encoding="utf-8"))
    kinds = schema["$defs"]["loai_to_chuc"]
    assert set(kinds["enum"]) == set(kinds["x-loai"])
    assert facts.ORG_KINDS["chi_bo_truc_thuoc"] == "Chi bộ trực thuộc"
    assert facts.ORG_KINDS["dang_bo_cap_tren_co_so"].startswith("Đảng bộ cấp trên trực tiếp")


@pytest.mark.parametrize(("a", "b", "same"), [
    ("ĐẢNG ỦY XÃ HÒA BÌNH", "Đảng ủy xã Hòa Bình", True),
    ("Đảng uỷ xã Hoà Bình", "ĐẢNG ỦY XÃ HÒA BÌNH", True),
    ("CHI BỘ  THÔN ĐÔNG", "Chi bộ Thôn Đông", True),
    ("Chi bộ Thôn Đông", "Chi bộ Thôn Tây", False),
    ("Hòa Bình", "Hoa Bình", False),
], ids=["case", "old-tone-marks", "spacing", "other-name", "other-tone"])
def test_names_compare_without_case_spacing_or_old_tone_placement(a, b, same):
    assert facts.same_name(a, b) is same
