"""Units (generator/unit.py, loaded by generator/source.py): a manifest with its forms, and unit-wide edge cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from conftest import TESTS

MINIMAL = TESTS / "examples" / "valid" / "ca_nhan_toi_thieu.yaml"


def make_unit(tmp_path: Path, levels: list[str], extra: dict | None = None) -> Path:
    """A chi bộ cơ sở with one member per level, each with a valid self-review at that level."""
    base = yaml.safe_load(MINIMAL.read_text(encoding="utf-8").replace("2024-02-05", "2024-12-02"))
    base["uu_diem"]["pham_chat"]["cap_do"] = "Xuất sắc"
    base["uu_diem"]["thuc_hien_nhiem_vu"]["cap_do"] = "Xuất sắc"
    (tmp_path / "ca_nhan").mkdir(parents=True)
    members = []
    for i, level in enumerate(levels):
        form = dict(base, ca_nhan={"ho_ten": f"Đảng viên Số {i + 1}", "ngay_sinh": "1980-01-01"}, tu_nhan_muc={"dang_vien": level},
                    don_vi={"cap_tren": "Đảng bộ xã Thử Nghiệm", "ten": "Chi bộ Thử"})
        path = tmp_path / "ca_nhan" / f"dv{i}.yaml"
        path.write_text(yaml.safe_dump(form, allow_unicode=True), encoding="utf-8")
        members.append({"ma": f"dv{i}", "ho_ten": f"Đảng viên Số {i + 1}", "chi_bo": "cb", "ban_kiem_diem": f"ca_nhan/dv{i}.yaml", "nhan_xet_cu_tru": True})
    manifest = {
        "don_vi": {"ten": "Chi bộ Thử", "to_chuc_co_so": "cb"},
        "ky_danh_gia": {"nam": 2024},
        "to_chuc": [{"ma": "cb", "ten": "Chi bộ Thử", "loai": "chi_bo_co_so",
                     "hop": {"buoi": [{"bat_dau": "2024-12-06T07:30", "ket_thuc": "2024-12-06T11:30"}]},
                     "quyet_dinh": {"muc": "HTTNV", "ngay": "2024-12-20"}}],
        "thanh_vien": members,
        # The chi bộ's secret ballot adopts each self-assessed level: quotas count graded levels, not self-ratings.
        "bo_phieu": [{"to_chuc": "cb", "co_mat": len(levels), "hop_le": len(levels), "khong_hop_le": 0,
                      "ket_qua": [{"thanh_vien": f"dv{i}", level: len(levels)} for i, level in enumerate(levels)]}],
        **(extra or {}),
    }
    (tmp_path / "don_vi.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    return tmp_path


def findings(cli, unit: Path) -> tuple[int, list[dict]]:
    result = cli("check", unit, "--format", "json")
    return result.exit_code, json.loads(result.stdout)["findings"]


def test_one_member_unit(tmp_path, cli):
    code, found = findings(cli, make_unit(tmp_path, ["HTTNV"]))
    # Only the packages' missing documents (minutes, residence comment…), shown by check as warnings.
    assert code == 0 and {f["rule_id"] for f in found} == {"DOSSIER-COMPLETE"}
    assert {f["severity"] for f in found} == {"warning"}


def test_all_khtnv_is_consistent(tmp_path, cli):
    code, found = findings(cli, make_unit(tmp_path, ["KHTNV"] * 4))
    assert code == 0
    assert not [f for f in found if f["rule_id"].startswith("UNIT-QUOTA")]


def test_all_htxsnv_exceeds_the_small_group_allowance(tmp_path, cli):
    code, found = findings(cli, make_unit(tmp_path, ["HTXSNV"] * 4))
    assert code == 1
    # A small group over its allowance is a quota excess: UNIT-QUOTA (scripts filtering on it see every excess).
    quota = [f for f in found if f["rule_id"].startswith("UNIT-QUOTA")]
    assert len(quota) == 1 and quota[0]["rule_id"] == "UNIT-QUOTA" and quota[0]["severity"] == "error"
    assert "tối đa 1" in quota[0]["message_vi"] and "nhóm nhỏ" in quota[0]["message_vi"]


def test_quota_counts_decided_levels_not_self_ratings(tmp_path, cli):
    unit = make_unit(tmp_path, ["HTXSNV"] * 2 + ["HTTNV"] * 3)
    manifest = yaml.safe_load((unit / "don_vi.yaml").read_text(encoding="utf-8"))
    # Self-rated HTXSNV twice, but the vote adopted HTTNV for the second: one HTXSNV, within the small-group allowance.
    manifest["bo_phieu"][0]["ket_qua"][1] = {"thanh_vien": "dv1", "HTXSNV": 2, "HTTNV": 3}
    (unit / "don_vi.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    code, found = findings(cli, unit)
    assert code == 0 and not [f for f in found if f["rule_id"] == "UNIT-QUOTA"]
    # Without any vote or decision, self-ratings alone are not counted.
    del manifest["bo_phieu"]
    (unit / "don_vi.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    code, found = findings(cli, unit)
    assert not [f for f in found if f["rule_id"].startswith("UNIT-QUOTA")]


def test_decision_annex_prints_the_voted_level_and_check_reports_a_disagreeing_decision(tmp_path, cli):
    from generator.facts import unit_facts
    from generator.source import load_unit

    unit = make_unit(tmp_path, ["HTTNV"] * 6)
    manifest = yaml.safe_load((unit / "don_vi.yaml").read_text(encoding="utf-8"))
    manifest["bo_phieu"][0]["ket_qua"][0] = {"thanh_vien": "dv0", "HTXSNV": 4, "HTTNV": 2}
    (unit / "don_vi.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    _, loaded = load_unit(unit)
    member = loaded.member("dv0")
    assert member.level().value == "HTXSNV" and member.level().path == "$.bo_phieu[0].ket_qua[0]"
    assert unit_facts(loaded)["thanh_vien_theo_ma"]["dv0"]["muc"] == "HTXSNV"
    # The party committee then decides HTTNV: BALLOT-TALLY names the disagreement, and the decision is what counts.
    form = yaml.safe_load((unit / "ca_nhan" / "dv0.yaml").read_text(encoding="utf-8"))
    form["quyet_dinh_dang_uy"] = {"muc": "HTTNV", "ngay": "2024-12-15", "nguoi_ky": {"ho_ten": "Đảng viên Số 2"}}
    (unit / "ca_nhan" / "dv0.yaml").write_text(yaml.safe_dump(form, allow_unicode=True), encoding="utf-8")
    code, found = findings(cli, unit)
    tally = [f for f in found if f["rule_id"] == "BALLOT-TALLY"]
    assert code == 1 and len(tally) == 1 and tally[0]["json_path"] == "$.quyet_dinh_dang_uy.muc"
    assert "bỏ phiếu chọn mức HTXSNV" in tally[0]["message_vi"]


def test_quota_of_a_large_group(tmp_path, cli):
    code, found = findings(cli, make_unit(tmp_path, ["HTXSNV"] * 3 + ["HTTNV"] * 10))
    quota = [f for f in found if f["rule_id"] == "UNIT-QUOTA"]
    assert code == 1 and len(quota) == 1 and "được tối đa 2" in quota[0]["message_vi"]


def test_override_is_reported_but_does_not_block(tmp_path, cli):
    override = {"ghi_de": [{"quy_tac": "UNIT-QUOTA", "co_quan": "Ban Thường vụ Huyện ủy", "ngay": "2024-12-18",
                            "ly_do": "Đơn vị có thành tích xuất sắc, nổi trội", "van_ban": "Số 12-CV/HU"}]}
    code, found = findings(cli, make_unit(tmp_path, ["HTXSNV"] * 3 + ["HTTNV"] * 10, override))
    quota = [f for f in found if f["rule_id"] == "UNIT-QUOTA"]
    assert code == 0 and quota[0]["override"]["co_quan"] == "Ban Thường vụ Huyện ủy"
    text = cli("check", tmp_path).stdout
    assert "đã được cấp có thẩm quyền cho phép" in text and "Đơn vị có thành tích xuất sắc" in text


def test_missing_form_file_is_named_with_its_manifest_path(tmp_path, cli):
    unit = make_unit(tmp_path, ["HTTNV"])
    (unit / "ca_nhan" / "dv0.yaml").unlink()
    code, found = findings(cli, unit)
    assert code == 1
    assert ("SCHEMA", "$.thanh_vien[0].ban_kiem_diem") in {(f["rule_id"], f["json_path"]) for f in found}


def test_name_in_form_must_match_the_manifest(tmp_path, cli):
    unit = make_unit(tmp_path, ["HTTNV"])
    manifest = yaml.safe_load((unit / "don_vi.yaml").read_text(encoding="utf-8"))
    manifest["thanh_vien"][0]["ho_ten"] = "Người Khác"
    (unit / "don_vi.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    code, found = findings(cli, unit)
    assert code == 1 and any(f["json_path"] == "$.ca_nhan.ho_ten" for f in found)


def test_unknown_chi_bo_and_duplicate_codes(tmp_path, cli):
    unit = make_unit(tmp_path, ["HTTNV", "HTTNV"])
    manifest = yaml.safe_load((unit / "don_vi.yaml").read_text(encoding="utf-8"))
    manifest["thanh_vien"][1]["ma"] = "dv0"
    manifest["thanh_vien"][1]["chi_bo"] = "khong_co"
    (unit / "don_vi.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    code, found = findings(cli, unit)
    paths = {f["json_path"] for f in found}
    assert code == 1 and {"$.thanh_vien[1].ma", "$.thanh_vien[1].chi_bo"} <= paths


def test_manifest_schema_errors_are_vietnamese(tmp_path, cli):
    (tmp_path / "don_vi.yaml").write_text("don_vi: {ten: X}\nky_danh_gia: {nam: 2024}\nto_chuc: []\nthanh_vien: []\n", encoding="utf-8")
    code, found = findings(cli, tmp_path)
    assert code == 1
    assert {f["json_path"] for f in found} == {"$.don_vi.to_chuc_co_so", "$.to_chuc"}


@pytest.mark.parametrize("name", ["khong_co", "rong"])
def test_unreadable_unit_is_a_clear_error(tmp_path, cli, name):
    target = tmp_path / name
    if name == "rong":
        target.mkdir()
    result = cli("check", target)
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_forms_checked_without_a_unit_get_form_level_rules(tmp_path, cli):
    form = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    form["uu_diem"]["pham_chat"]["cap_do"] = "Kém"
    path = tmp_path / "kem.yaml"
    path.write_text(yaml.safe_dump(form, allow_unicode=True), encoding="utf-8")
    code, found = findings(cli, path)
    assert code == 1
    assert [(f["rule_id"], f["json_path"]) for f in found] == [("IND-KEM-KHT", "$.tu_nhan_muc.dang_vien")]


def test_q8_comparison_groups_follow_the_locality(tmp_path, cli):
    unit = make_unit(tmp_path / "u", ["HTXSNV"] * 2 + ["HTTNV"] * 10)
    manifest = yaml.safe_load((unit / "don_vi.yaml").read_text(encoding="utf-8"))
    manifest["to_chuc"].append({"ma": "cb2", "ten": "Chi bộ Hai", "loai": "chi_bo_truc_thuoc", "thuoc": "cb"})
    for member in manifest["thanh_vien"][:2]:
        member["chi_bo"] = "cb2"
    (unit / "don_vi.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    # Default: one group for the whole grassroots organisation: 2 HTXSNV ≤ 20 % of 10 HTTNV.
    assert not [f for f in findings(cli, unit)[1] if f["rule_id"].startswith("UNIT-QUOTA")]
    locality = tmp_path / "tinh.yaml"
    locality.write_text("ty_le_htxs: {nhom_mac_dinh: {dang_vien: chi_bo}}\n", encoding="utf-8")
    result = json.loads(cli("check", unit, "--format", "json", "--locality", locality).stdout)["findings"]
    small = [f for f in result if f["rule_id"] == "UNIT-QUOTA" and f["severity"] == "error"]
    assert len(small) == 1 and "Chi bộ Hai" in small[0]["message_vi"]


def test_codes_named_anywhere_in_a_document_must_exist(tmp_path, cli):
    import shutil

    from conftest import DEMO

    unit = tmp_path / "demo"
    shutil.copytree(DEMO, unit)
    path = unit / "van_ban" / "hn_phieu_htxs_chi_bo_co_quan.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["danh_sach"] = ["tran_thi_mai", "nguoi_la"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, found = findings(cli, unit)
    assert code == 1
    assert [(f["json_path"], Path(f["file"]).name) for f in found if f["rule_id"] == "SCHEMA"] == [("$.danh_sach[1]", path.name)]


def test_documents_of_a_unit_must_agree_with_each_other(tmp_path, cli):
    """Cross-document consistency: the chi bộ in a self-review's header, the signer of a Mẫu 01, the meeting's dates."""
    import shutil

    from conftest import DEMO

    unit = tmp_path / "demo"
    shutil.copytree(DEMO, unit)
    review = unit / "ca_nhan" / "nguyen_van_hung.yaml"
    review.write_text(review.read_text(encoding="utf-8").replace("ten: CHI BỘ CƠ QUAN XÃ", "ten: CHI BỘ THÔN ĐÔNG"), encoding="utf-8")
    report = unit / "tap_the" / "chi_bo_thon_dong.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace('ho_ten: "Hoàng Văn Thắng"', 'ho_ten: "Lý Văn Sơn"'), encoding="utf-8")
    minutes = unit / "van_ban" / "hn_bien_ban_chi_bo_thon_dong.yaml"
    text = minutes.read_text(encoding="utf-8")
    assert "2024-12-07T" in text
    minutes.write_text(text.replace("2024-12-07T", "2024-12-08T"), encoding="utf-8")
    code, found = findings(cli, unit)
    by_file = {(Path(f["file"]).name, f["json_path"], f["severity"]) for f in found if f["rule_id"] == "SCHEMA"}
    assert ("nguyen_van_hung.yaml", "$.don_vi.ten", "error") in by_file
    assert ("chi_bo_thon_dong.yaml", "$.chu_ky.ho_ten", "warning") in by_file
    assert ("hn_bien_ban_chi_bo_thon_dong.yaml", "$.buoi[0].bat_dau", "error") in by_file
    assert code == 1


def test_subjects_and_documents_are_looked_up_by_code_as_a_scan_would_find_them():
    from conftest import DEMO
    from generator.source import load_unit

    _, unit = load_unit(DEMO)
    kinds = {d.data["bieu_mau"] for d in unit.documents}
    for s in [*unit.orgs, *unit.members]:
        assert (unit.org(s.ma) if s.kind == "to_chuc" else unit.member(s.ma)) is s
        for kind in kinds:
            scan = [d for d in unit.documents if d.data["bieu_mau"] == kind and d.data.get(s.kind) == s.ma]
            assert s.documents_of_kind(kind) == scan
    assert unit.documents_of_kind(unit.ruleset.kind("bien_ban")) == [d for d in unit.documents if d.data["bieu_mau"] == unit.ruleset.kind("bien_ban")]
    assert unit.member("khong_co") is None and unit.org(None) is None


def test_a_duplicate_code_finds_the_first_subject(tmp_path):
    from generator.source import load_unit

    unit = make_unit(tmp_path, ["HTTNV", "HTNV"])
    manifest = yaml.safe_load((unit / "don_vi.yaml").read_text(encoding="utf-8"))
    manifest["thanh_vien"][1]["ma"] = "dv0"
    (unit / "don_vi.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    findings, loaded = load_unit(unit)
    assert ("$.thanh_vien[1].ma", "Mã 'dv0' bị trùng.") in {(f.json_path, f.message_vi) for f in findings}
    assert loaded.member("dv0") is loaded.members[0]


def test_forms_without_a_unit_are_members_by_the_self_review_slot_of_their_ruleset():
    from generator.period import Period
    from generator.unit import standalone_subjects
    from generator.validate import check_file

    _, review = check_file(MINIMAL)
    _, decision = check_file(TESTS / "examples" / "valid" / "quyet_dinh_xep_loai_lai.yaml")
    members, orgs = standalone_subjects([review, decision])
    assert [m.form for m in members] == [review] and [o.form for o in orgs] == [decision]
    assert members[0].ruleset is review.binding.ruleset
    assert members[0].evaluation_date() == Period.of(review.data["ky_danh_gia"]).end
    assert members[0].documents("khieu_nai") == [] and members[0].voted() is None
