"""Next period's unit from the last one (generator/carry.py): the 2026 demo (a year) carried to quý I/2027, a copy of it
as quý III/2026 carried to quý IV and to the year; what is carried, what stays behind, and the writing discipline."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from generator.carry import DATED, MANIFEST_POLICY, RULE, carry_over, lasts_into, plain_text
from generator.period import Period
from generator.registry import SCHEMA_BASE
from generator.schemawalk import root
from generator.source import MANIFEST, load_unit
from generator.unit import field_of

DEMO_2026 = ROOT / "examples" / "demo_2026"
YEAR_FORM = "ky_danh_gia: {nam: 2026}"


def quarter_copy(dest: Path, quarter: int) -> Path:
    """The 2026 demo as the unit of one quarter: ky_danh_gia {nam: 2026, quy: q} in the manifest and every form."""
    shutil.copytree(DEMO_2026, dest)
    changed = 0
    for path in sorted(dest.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if YEAR_FORM in text:
            path.write_text(text.replace(YEAR_FORM, f"ky_danh_gia: {{nam: 2026, quy: {quarter}}}"), encoding="utf-8")
            changed += 1
    unit_files = 1 + len(list(dest.glob("ca_nhan/*.yaml"))) + len(list(dest.glob("tap_the/*.yaml"))) + len(list(dest.glob("van_ban/*.yaml")))
    assert changed == unit_files, "every form of the demo must name its period as the helper expects"
    return dest


def edit_manifest(folder: Path, change) -> None:
    path = folder / MANIFEST
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def member(data: dict, code: str) -> dict:
    return next(m for m in data["thanh_vien"] if m["ma"] == code)


def read(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


@pytest.fixture(scope="module")
def carried_year(tmp_path_factory):
    """The 2026 demo carried to the next period (quý I/2027): (findings, written, target)."""
    target = tmp_path_factory.mktemp("carry") / "q1_2027"
    findings, written = carry_over(DEMO_2026, target)
    return findings, written, target


@pytest.fixture(scope="module")
def quarter_source(tmp_path_factory):
    return quarter_copy(tmp_path_factory.mktemp("source") / "q3_2026", 3)


# -- the manifest's keys --------------------------------------------------------------------------------------
def _schema_keys() -> dict[str, set[str]]:
    unit = root(SCHEMA_BASE + "unit.schema.json")
    props = unit.properties()
    return {"$": set(props), "don_vi": set(props["don_vi"].properties()),
            "to_chuc": set(props["to_chuc"].items().properties()), "thanh_vien": set(props["thanh_vien"].items().properties())}


@pytest.mark.parametrize("section", ["$", "don_vi", "to_chuc", "thanh_vien"])
def test_the_manifest_policy_decides_every_key_of_the_unit_schema(section):
    schema = _schema_keys()[section]
    policy = set(MANIFEST_POLICY[section])
    assert schema - policy == set(), f"keys of schemas/unit.schema.json ({section}) that carry_over does not decide: add them to MANIFEST_POLICY"
    assert policy - schema == set(), f"MANIFEST_POLICY names keys the unit schema no longer has ({section})"


# -- a year to the first quarter of the next year ----------------------------------------------------------------
def test_a_year_carries_over_to_the_first_quarter_of_the_next_year(carried_year):
    findings, written, target = carried_year
    assert not [f for f in findings if f.severity == "error"]
    assert target / MANIFEST in written
    found, unit = load_unit(target)
    assert unit is not None and not [f for f in found if f.rule_id == "SCHEMA"]
    assert unit.period == Period(2027, 1)


def test_the_new_unit_keeps_every_identity(carried_year):
    _, _, target = carried_year
    _, old = load_unit(DEMO_2026)
    _, new = load_unit(target)
    ident_m = ("ma", "ho_ten", "chi_bo", "ngay_vao_dang", "nhom_so_sanh")
    ident_o = ("ma", "ten", "loai", "thuoc", "nguoi_dung_dau", "thanh_vien_lanh_dao", "ngay_thanh_lap", "ban_hanh")
    assert [[m.raw.get(k) for k in ident_m] for m in new.members] == [[m.raw.get(k) for k in ident_m] for m in old.members]
    assert [[o.raw.get(k) for k in ident_o] for o in new.orgs] == [[o.raw.get(k) for k in ident_o] for o in old.orgs]
    assert new.data["don_vi"] == {k: v for k, v in old.data["don_vi"].items() if k != "ty_le_htxs_quyet_dinh"}


def test_levels_scores_decisions_and_texts_stay_behind(carried_year):
    _, written, target = carried_year
    _, old = load_unit(DEMO_2026)
    levels = set(old.ruleset.levels)
    for path in written:
        if path.suffix == ".yaml":
            assert not levels & set(strings(read(path))), f"{path} still names a level"
    _, new = load_unit(target)
    assert all(s.level() is None for s in [*new.members, *new.orgs])
    for key in ("bo_phieu", "ghi_de", "khen_thuong", "van_ban", "ngay_nop_ho_so"):
        assert key not in new.data
    for o in new.data["to_chuc"]:
        assert not {"quyet_dinh", "tham_dinh", "thong_bao_ket_qua", "dinh_kem", "bao_cao"} & set(o)
    for m in new.data["thanh_vien"]:
        assert not {"cac_noi_danh_gia", "thong_bao_ket_qua", "nhan_xet_cu_tru", "dinh_kem", "ban_kiem_diem"} & set(m)


def _drafts(old, target: Path):
    """(old form, draft data) of every subject's own form."""
    for s in [*old.orgs, *old.members]:
        if s.form is not None:
            yield s.form, read(target / Path(s.form.path).relative_to(DEMO_2026))


def test_drafts_keep_who_and_where_and_clear_what_the_period_said(carried_year):
    _, _, target = carried_year
    _, old = load_unit(DEMO_2026)
    cleared = ("muc_tu_nhan", "muc_de_xuat", "muc_quyet_dinh", "tong_diem", "nhan_xet", "ngay_quyet_dinh", "ngay_de_xuat",
               "han_che_truoc", "trach_nhiem", "diem_tu_cham", "co_goi_y")
    for form, draft in _drafts(old, target):
        fields = form.binding.ruleset.fields(form.entry.key)
        assert draft["ky_danh_gia"] == {"nam": 2027, "quy": 1}
        assert draft["bieu_mau"] == form.data["bieu_mau"]
        for name in ("ca_nhan", "vai_tro", "la_cbccvc", "ky_ten", "ten_don_vi"):
            if name in fields and field_of(form, name).value is not None:
                top = fields[name].split(".")[0]
                assert draft[top] == form.data[top], f"{form.path}: {name}"
        for name in cleared:
            for dotted in [fields[name]] if isinstance(fields.get(name), str) else fields.get(name) or []:
                value = draft
                for key in dotted.split("."):
                    value = value.get(key) if isinstance(value, dict) else None
                assert value is None, f"{form.path}: {name} ({dotted}) carried"
        assert "kiem_diem" not in draft and "ngay_lap" not in draft and "phien_ban" not in draft


def test_the_tasks_are_carried_without_their_results(carried_year):
    _, _, target = carried_year
    _, old = load_unit(DEMO_2026)
    ledgers = 0
    for form, draft in _drafts(old, target):
        tasks = field_of(form, "nhiem_vu")
        if tasks is None or not tasks.value:
            continue
        ledgers += 1
        key = tasks.path.removeprefix("$.")
        assert [t["noi_dung"] for t in draft[key]] == [t["noi_dung"] for t in tasks.value]
        # Every deadline of 2026 lies before quý I/2027: only what the task is stays.
        assert all(set(t) == {"noi_dung"} for t in draft[key])
        for unit_old, unit_new in zip(form.data.get("don_vi_lanh_dao") or [], draft.get("don_vi_lanh_dao") or []):
            assert unit_new.get("to_chuc") == unit_old.get("to_chuc") and unit_new["ten"] == unit_old["ten"]
            assert "muc" not in unit_new
            assert [t["noi_dung"] for t in unit_new.get("nhiem_vu") or []] == [t["noi_dung"] for t in unit_old.get("nhiem_vu") or []]
    assert ledgers >= 4


def test_a_draft_says_what_is_left_to_write_and_where_it_goes(carried_year):
    _, _, target = carried_year
    head = (target / "ca_nhan" / "truong_quoc_khanh.yaml").read_text(encoding="utf-8").splitlines()[:5]
    assert any(line.startswith("# Còn phải ghi: kiem_diem, tu_danh_gia, ket_qua_nhiem_vu[].ket_qua") for line in head)
    assert any("thanh_vien truong_quoc_khanh: ban_kiem_diem: ca_nhan/truong_quoc_khanh.yaml" in line for line in head)
    manifest = (target / MANIFEST).read_text(encoding="utf-8")
    assert "#   to_chuc dang_bo_xa: bao_cao: tap_the/dang_uy_xa.yaml" in manifest


def test_documents_and_attachments_stay_behind_and_the_locality_file_comes_along(carried_year):
    findings, _, target = carried_year
    assert not (target / "van_ban").exists() and not (target / "dinh_kem").exists()
    assert (target / "dia_phuong.yaml").read_bytes() == (DEMO_2026 / "dia_phuong.yaml").read_bytes()
    notes = [f.message_vi for f in findings if f.rule_id == RULE]
    assert any("văn bản của năm 2026 (van_ban) không chuyển" in n for n in notes)
    assert any("tệp đính kèm của năm 2026 không chuyển" in n for n in notes)


def test_the_new_unit_is_owner_only(carried_year):
    _, written, target = carried_year
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700, path.parent
    assert not list(target.parent.glob(".hoso-dang-tao-*"))


def test_check_finds_no_schema_error_only_the_forms_still_missing(carried_year, cli):
    _, _, target = carried_year
    result = cli("check", target, "--format", "json")
    found = json.loads(result.stdout)["findings"]
    assert not [f for f in found if f["rule_id"] == "SCHEMA"]
    # A quarter drops UNIT-COVERAGE (theo_ky.quy); the forms still missing show in the dossier check instead.
    assert any(f["rule_id"] == "DOSSIER-COMPLETE" for f in found)


# -- circumstances: what ends stays behind, what lasts comes along ------------------------------------------------
def test_circumstances_that_ended_before_the_first_quarter_stay_behind(carried_year):
    findings, _, target = carried_year
    data = read(target / MANIFEST)
    assert "thai_san" not in member(data, "le_thi_phuong")  # 05/01–04/07/2026
    assert "ky_luat" not in member(data, "tran_van_hieu")  # decided 15/09/2026
    # Admitted 02/09/2026: six months are over by the end of quý I/2027, so she is reviewed.
    assert "tinh_trang" not in member(data, "dang_thu_trang") and "ly_do" not in member(data, "dang_thu_trang")
    paths = {f.json_path for f in findings if f.rule_id == RULE}
    assert {"$.thanh_vien[10].thai_san", "$.thanh_vien[9].ky_luat", "$.thanh_vien[14].tinh_trang"} <= paths


def test_a_quarter_carries_over_to_the_next_quarter(quarter_source, tmp_path):
    def leave(data):
        member(data, "ha_van_loc")["nghi_om"] = [{"tu": "2026-07-01", "den": "2026-07-20"}, {"tu": "2026-09-20", "den": "2026-10-10"}]
        member(data, "vo_minh_quang")["mien_sinh_hoat"] = {"tu": "2026-08-01", "den": "2027-07-31"}
        member(data, "vo_minh_quang").update(tinh_trang="chua_kiem_diem", ly_do="mien_sinh_hoat")
        member(data, "nguyen_duc_thinh")["sinh_hoat_tam_thoi"] = {"noi": "Chi bộ Thôn Tây", "nhan_xet": True}

    source = tmp_path / "q3"
    shutil.copytree(quarter_source, source)
    edit_manifest(source, leave)
    findings, written = carry_over(source, tmp_path / "q4")
    assert written and not [f for f in findings if f.severity == "error"]
    found, unit = load_unit(tmp_path / "q4")
    assert unit is not None and unit.period == Period(2026, 4) and not [f for f in found if f.rule_id == "SCHEMA"]
    data = read(tmp_path / "q4" / MANIFEST)
    assert member(data, "ha_van_loc")["nghi_om"] == [{"tu": "2026-09-20", "den": "2026-10-10"}]
    assert member(data, "vo_minh_quang")["mien_sinh_hoat"] == {"tu": "2026-08-01", "den": "2027-07-31"}
    assert member(data, "vo_minh_quang")["tinh_trang"] == "chua_kiem_diem"  # the exemption still runs
    assert member(data, "dang_thu_trang")["ly_do"] == "moi_ket_nap"  # six months end 02/03/2027
    assert member(data, "nguyen_duc_thinh")["sinh_hoat_tam_thoi"] == {"noi": "Chi bộ Thôn Tây"}
    assert "thai_san" not in member(data, "le_thi_phuong") and "ky_luat" not in member(data, "tran_van_hieu")
    # A deadline still ahead in quý IV comes along; one of quý III does not.
    report = read(tmp_path / "q4" / "tap_the" / "chi_bo_uy_ban.yaml")["ket_qua_nhiem_vu"]
    deadlines = {t["noi_dung"]: t.get("thoi_han") for t in report}
    assert deadlines["Giải ngân 100% vốn đầu tư công được giao"] == "2026-12-31"
    assert deadlines["Làm sạch dữ liệu hộ tịch, hộ nghèo của 03 xã cũ theo Đề án 06 (kế hoạch của Chi bộ)"] is None


def test_a_quarter_carried_into_its_own_year_keeps_what_happened_in_the_year(quarter_source, tmp_path):
    findings, written = carry_over(quarter_source, tmp_path / "nam", Period(2026))
    assert written
    data = read(tmp_path / "nam" / MANIFEST)
    assert data["ky_danh_gia"] == {"nam": 2026}
    assert member(data, "le_thi_phuong")["thai_san"] and member(data, "tran_van_hieu")["ky_luat"]


@pytest.mark.parametrize(("entry", "lasts"), [
    ({"tu": "2026-09-01", "den": "2026-09-30"}, False),
    ({"tu": "2026-09-01", "den": "2026-10-01"}, True),
    ({"ngay": "2026-09-30"}, False),
    ({"ngay": "2026-10-01"}, True),
    ({"tu": "2026-09-01"}, True),
    ({}, False),
])
def test_a_circumstance_lasts_into_a_period_when_it_ends_inside_or_after_its_start(entry, lasts):
    assert lasts_into(entry, Period(2026, 4).start) is lasts


def test_every_dated_key_of_a_member_holds_dates_the_rule_reads():
    members = root(SCHEMA_BASE + "unit.schema.json").properties()["thanh_vien"].items().properties()
    for key, action in MANIFEST_POLICY["thanh_vien"].items():
        if action != DATED:
            continue
        node = members[key].items() or members[key]
        assert {"den", "ngay", "tu"} & set(node.properties()), key


# -- refusals ---------------------------------------------------------------------------------------------------
def test_a_target_that_holds_data_is_refused_and_left_alone(tmp_path):
    target = tmp_path / "q1"
    target.mkdir()
    (target / "ghi_chu.txt").write_text("của người khác", encoding="utf-8")
    findings, written = carry_over(DEMO_2026, target)
    assert written == []
    assert [f.severity for f in findings if f.rule_id == RULE] == ["error"]
    assert sorted(p.name for p in target.iterdir()) == ["ghi_chu.txt"]
    assert not list(tmp_path.glob(".hoso-dang-tao-*"))


def test_an_empty_target_folder_is_used(tmp_path):
    (tmp_path / "q1").mkdir()
    _, written = carry_over(DEMO_2026, tmp_path / "q1")
    assert tmp_path / "q1" / MANIFEST in written


@pytest.mark.parametrize("make", ["file", "link"])
def test_a_file_or_a_link_as_target_is_refused(tmp_path, make):
    target = tmp_path / "dich"
    if make == "file":
        target.write_text("x", encoding="utf-8")
    else:
        (tmp_path / "that").mkdir()
        target.symlink_to(tmp_path / "that")
    findings, written = carry_over(DEMO_2026, target)
    assert written == [] and findings[-1].severity == "error"


@pytest.mark.parametrize("period", [Period(2026), Period(2026, 4), Period(2025)])
def test_a_period_not_after_the_unit_is_refused(tmp_path, period):
    findings, written = carry_over(DEMO_2026, tmp_path / "q", period)
    assert written == [] and "phải sau kỳ của đơn vị" in findings[-1].message_vi
    assert not (tmp_path / "q").exists()


def test_a_unit_that_cannot_be_read_writes_nothing(tmp_path):
    (tmp_path / "hong").mkdir()
    (tmp_path / "hong" / MANIFEST).write_text("don_vi: {ten: X}\n", encoding="utf-8")
    findings, written = carry_over(tmp_path / "hong", tmp_path / "moi")
    assert written == [] and findings and all(f.rule_id == "SCHEMA" for f in findings)
    assert not (tmp_path / "moi").exists()


# -- linked drafts ------------------------------------------------------------------------------------------------
def test_linked_drafts_are_named_and_check_lists_what_each_still_lacks(tmp_path, cli):
    findings, written = carry_over(DEMO_2026, tmp_path / "q1", link_forms=True)
    assert written
    data = read(tmp_path / "q1" / MANIFEST)
    assert member(data, "truong_quoc_khanh")["ban_kiem_diem"] == "ca_nhan/truong_quoc_khanh.yaml"
    assert data["to_chuc"][0]["bao_cao"] == "tap_the/dang_uy_xa.yaml"
    found = json.loads(cli("check", tmp_path / "q1", "--format", "json").stdout)["findings"]
    schema = [f for f in found if f["rule_id"] == "SCHEMA"]
    assert schema and not [f for f in schema if f["file"].endswith(MANIFEST)]
    lacking = {(Path(f["file"]).name, f["json_path"]) for f in schema}
    assert ("truong_quoc_khanh.yaml", "$.tu_danh_gia") in lacking and ("truong_quoc_khanh.yaml", "$.ket_qua_nhiem_vu[0].ket_qua") in lacking


# -- what a schema calls plain text ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("schema", "path", "plain"), [
    ("qd366/collective_report.schema.json", "tap_the", True),
    ("qd366/collective_report.schema.json", "chu_ky", True),
    ("qd366/collective_report.schema.json", "don_vi", True),
    ("qd366/collective_report.schema.json", "so_van_ban", False),  # a number
    ("qd366/collective_report.schema.json", "kiem_diem", False),  # paragraphs
    ("qd366/collective_report.schema.json", "tu_danh_gia", False),  # scores and a level
    ("qd366/collective_report.schema.json", "ngay_lap", False),  # a date
    ("qd366/individual_staff.schema.json", "phien_ban", False),  # a status of the period
    ("qd366/individual_staff.schema.json", "co_goi_y", False),  # a flag of the period
    ("qd366/individual_staff.schema.json", "bieu_mau", True),  # a constant
])
def test_plain_text_is_text_without_levels_dates_numbers_flags_or_lists(schema, path, plain):
    assert plain_text(root(SCHEMA_BASE + schema).properties()[path]) is plain


def test_a_status_is_kept_only_while_its_reason_holds(quarter_source, tmp_path):
    def statuses(data):
        member(data, "ha_van_loc").update(tinh_trang="xep_loai")
        member(data, "luong_thi_hoa").update(tinh_trang="chua_kiem_diem", ly_do="vang_mat")
        member(data, "le_van_thanh")["dinh_chi_cap_uy"] = False
        member(data, "cao_van_son")["dinh_chi_cap_uy"] = True

    source = tmp_path / "q3"
    shutil.copytree(quarter_source, source)
    edit_manifest(source, statuses)
    findings, written = carry_over(source, tmp_path / "q4")
    data = read(tmp_path / "q4" / MANIFEST)
    assert member(data, "ha_van_loc")["tinh_trang"] == "xep_loai"
    assert "tinh_trang" not in member(data, "luong_thi_hoa")  # absent from one meeting says nothing of the next
    assert "dinh_chi_cap_uy" not in member(data, "le_van_thanh") and member(data, "cao_van_son")["dinh_chi_cap_uy"] is True
    noted = {f.json_path for f in findings if f.rule_id == RULE}
    assert "$.thanh_vien[5].tinh_trang" in noted and "$.thanh_vien[11].dinh_chi_cap_uy" in noted
    assert "$.thanh_vien[4].tinh_trang" not in noted and "$.thanh_vien[12].dinh_chi_cap_uy" not in noted


def test_a_year_under_a_ruleset_without_quarters_carries_over_to_the_next_year(tmp_path):
    source = tmp_path / "nam_2024"
    shutil.copytree(ROOT / "examples" / "demo", source)
    edit_manifest(source, lambda data: data.update(bo_quy_tac="qd124"))
    findings, written = carry_over(source, tmp_path / "nam_2025")
    assert written, findings
    assert read(tmp_path / "nam_2025" / MANIFEST)["ky_danh_gia"] == {"nam": 2025}
