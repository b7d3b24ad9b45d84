"""hoso init (generator/intake.py): a unit folder from a roster, and an updated roster laid over an existing unit."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import unicodedata
from pathlib import Path

import yaml
from openpyxl import load_workbook

from conftest import ROOT
from generator import provenance, registry
from generator.intake import init_unit
from generator.period import Period
from generator.source import load_unit
from test_roster import MEMBER_ROWS, SAMPLE, SAMPLE_CSV, fill_roster, member

DEMO_2026 = ROOT / "examples" / "demo_2026"


def read(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def manifest_errors(unit: Path) -> list:
    found, loaded = load_unit(unit)
    assert loaded is not None
    return [f for f in found if f.file.endswith("don_vi.yaml") and f.severity == "error"]


# -- a new unit -------------------------------------------------------------------------------------------------------------
def test_init_builds_the_sample_unit(cli, tmp_path):
    unit = tmp_path / "don_vi_moi"
    result = cli("init", unit, "--roster", SAMPLE)
    assert result.exit_code == 0, result.output
    assert "Tạo đơn vị Đảng bộ xã Hòa Bình năm 2026" in result.output and "Đặng Thu Trang" in result.output
    assert manifest_errors(unit) == []
    manifest = read(unit / "don_vi.yaml")
    assert manifest["don_vi"] == {"ten": "Đảng bộ xã Hòa Bình", "to_chuc_co_so": "dang_bo_xa_hoa_binh",
                                  "cap_tren": {"ten": "Đảng bộ tỉnh Bình Nguyên"}, "dia_danh": "Hòa Bình"}
    assert "bo_quy_tac" not in manifest  # chosen by the period
    assert [o["ma"] for o in manifest["to_chuc"]] == ["dang_bo_xa_hoa_binh", "chi_bo_co_quan_dang_mat_tran_xa",
                                                      "chi_bo_co_quan_uy_ban_nhan_dan_xa", "chi_bo_thon_dong"]
    people = {m["ma"]: m for m in manifest["thanh_vien"]}
    assert len(people) == 12 and "ban_kiem_diem" not in people["dang_thu_trang"]
    assert people["le_van_thanh"]["so_the_dang_vien"] == "00987612"
    assert people["tran_van_hieu"]["ky_luat"] == [{"hinh_thuc": "khien_trach", "ngay": "2026-09-15", "lien_quan_nhiem_vu": True,
                                                  "tu_phat_hien_khac_phuc": True,
                                                  "noi_vi_pham": "Phòng Kinh tế, Ủy ban nhân dân xã Hòa Bình",
                                                  "noi_dung": people["tran_van_hieu"]["ky_luat"][0]["noi_dung"]}]
    assert people["le_thi_phuong"]["thai_san"] == [{"tu": "2026-01-05", "den": "2026-07-04"}]
    assert manifest["to_chuc"][0]["hop"]["buoi"][1] == {"bat_dau": "2026-12-10T13:30", "ket_thuc": "2026-12-10T17:00"}
    assert sorted(p.name for p in (unit / "ca_nhan").iterdir()) == sorted(f"{m}.yaml" for m in people if m != "dang_thu_trang")
    assert len(list((unit / "tap_the").iterdir())) == 4
    for path in [unit / "don_vi.yaml", *unit.glob("*/*.yaml"), unit / ".hoso" / "nguon.json"]:
        assert path.stat().st_mode & 0o777 == 0o600


def test_skeletons_follow_role_and_ruleset(tmp_path):
    unit = tmp_path / "u"
    assert init_unit(unit, SAMPLE).written
    leader = read(unit / "ca_nhan" / "truong_quoc_khanh.yaml")
    staff = read(unit / "ca_nhan" / "ngo_thanh_tam.yaml")
    outside = read(unit / "ca_nhan" / "le_van_thanh.yaml")
    assert (leader["vai_tro"], staff["vai_tro"], outside["vai_tro"]) == ("lanh_dao", "khong_lanh_dao", "ngoai_he_thong")
    assert leader["ca_nhan"] == {"ho_ten": "Trương Quốc Khánh", "ngay_sinh": "1975-04-18", "chuc_vu_dang": "Bí thư Đảng ủy xã",
                                 "chuc_vu_chinh_quyen": "Chủ tịch Hội đồng nhân dân xã", "don_vi_cong_tac": "Đảng ủy xã Hòa Bình",
                                 "chi_bo": "Chi bộ Cơ quan Đảng - Mặt trận xã"}
    assert leader["don_vi"] == {"cap_tren": "Đảng bộ xã Hòa Bình", "ten": "Chi bộ Cơ quan Đảng - Mặt trận xã"}
    assert leader["la_cbccvc"] is True and outside["la_cbccvc"] is False
    assert leader["kiem_diem"]["uu_diem"] == {k: [] for k in ("pham_chat", "thuc_hien_nhiem_vu", "lanh_dao_dieu_hanh",
                                                               "trach_nhiem_doi_moi", "neu_guong", "cam_ket")}
    assert staff["kiem_diem"]["uu_diem"] == {"pham_chat": [], "thuc_hien_nhiem_vu": [], "cam_ket": []}  # no Mẫu 2A sections
    assert staff["kiem_diem"]["han_che"] == {"khuyet_diem": [], "nguyen_nhan": []}
    assert "tu_danh_gia" not in staff and "danh_gia_chi_uy" not in staff  # levels and others' blocks: not the writer's
    text = (unit / "ca_nhan" / "ngo_thanh_tam.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Ngô Thanh Tâm: ") and "hoso forms export" in text
    party = read(unit / "tap_the" / "dang_bo_xa_hoa_binh.yaml")
    assert party["don_vi"] == {"cap_tren": "Đảng bộ tỉnh Bình Nguyên", "ten": "Đảng ủy xã Hòa Bình"}
    assert party["tap_the"] == {"ten": "Ban Chấp hành Đảng bộ xã Hòa Bình"} and party["chu_ky"] == {"ho_ten": "Trương Quốc Khánh"}
    assert party["kiem_diem"]["uu_diem"]["nguyen_tac_to_chuc"] == []


def test_a_2024_roster_gets_the_2024_forms(tmp_path):
    unit = tmp_path / "u"
    result = init_unit(unit, fill_roster(tmp_path / "ds.xlsx", year=2024, members=MEMBER_ROWS[:2]))
    assert [f for f in result.findings if f.severity == "error"] == []
    assert read(unit / "don_vi.yaml")["ky_danh_gia"] == {"nam": 2024}
    leader = read(unit / "ca_nhan" / "nguyen_van_an.yaml")
    staff = read(unit / "ca_nhan" / "tran_thi_binh.yaml")
    assert leader["vai_tro"] == "lanh_dao" and staff["vai_tro"] == "khong_lanh_dao"
    assert staff["uu_diem"]["pham_chat"] == {"noi_dung": [], "dau_tranh_suy_thoai": []}  # Mẫu 02A: criteria with a scale level
    assert "lanh_dao_dieu_hanh" not in staff["uu_diem"] and leader["uu_diem"]["lanh_dao_dieu_hanh"] == {"noi_dung": []}
    assert manifest_errors(unit) == []


def test_a_filled_roster_imports_to_the_expected_unit(tmp_path):
    nfd = unicodedata.normalize("NFD", "  Phạm Thị  Dung")
    rows = [*MEMBER_ROWS, member(nfd, 4567890, 31000, "Chi bộ Thôn Hai", **{"Ngày vào Đảng": dt.datetime(2010, 1, 2),
                                                                           "Chức vụ chính quyền": " Phó Chủ tịch   Hội Nông dân xã ",
                                                                           "Tình trạng": "Đã kiểm điểm, chưa xếp loại", "Lý do": "vắng mặt"})]
    events = [{"Đảng viên": "04567890", "Loại": "Chuyển sinh hoạt đến", "Từ ngày": "15/03/2026", "Nơi": "Chi bộ Thôn Năm, xã Bình Yên"}]
    unit = tmp_path / "u"
    result = init_unit(unit, fill_roster(tmp_path / "ds.xlsx", members=rows, events=events))
    assert [f for f in result.findings if f.severity == "error"] == []
    dung = read(unit / "don_vi.yaml")["thanh_vien"][3]
    assert dung == {"ma": "pham_thi_dung", "ho_ten": "Phạm Thị Dung", "so_the_dang_vien": "04567890", "ngay_sinh": "1984-11-14",
                    "chi_bo": "chi_bo_thon_hai", "ban_kiem_diem": "ca_nhan/pham_thi_dung.yaml", "ngay_vao_dang": "2010-01-02",
                    "tinh_trang": "kiem_diem_khong_xep_loai", "ly_do": "vang_mat",
                    "chuyen_den": {"ngay": "2026-03-15", "tu": "Chi bộ Thôn Năm, xã Bình Yên"}}
    form = read(unit / "ca_nhan" / "pham_thi_dung.yaml")  # reviewed but not graded: still writes a self-review
    assert form["ca_nhan"]["chuc_vu_chinh_quyen"] == "Phó Chủ tịch Hội Nông dân xã" and form["vai_tro"] == "khong_lanh_dao"
    origins = provenance.read(unit)
    assert origins["don_vi.yaml"]["$.thanh_vien[3].ngay_sinh"] == "ds.xlsx, ô Thành viên!E5"
    assert origins["don_vi.yaml"]["$.thanh_vien[3].chuyen_den.tu"] == "ds.xlsx, ô Hoàn cảnh!H2"
    assert origins["ca_nhan/pham_thi_dung.yaml"]["$.ca_nhan.chuc_vu_chinh_quyen"] == "ds.xlsx, ô Thành viên!K5"
    assert origins["tap_the/chi_bo_thon_mot.yaml"]["$.chu_ky.ho_ten"] == "ds.xlsx, ô Tổ chức!D3"


def test_a_roster_with_errors_creates_nothing(cli, tmp_path):
    rows = [*MEMBER_ROWS, member("Phạm Thị Dung", "04567890", "30/02/1984")]
    unit = tmp_path / "khong_tao"
    result = cli("init", unit, "--roster", fill_roster(tmp_path / "ds.xlsx", members=rows), "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["ok"] is False and report["tep"] == []
    [error] = [f for f in report["findings"] if f["severity"] == "error"]
    assert error["rule_id"] == "ROSTER" and error["json_path"] == "$.thanh_vien[3].ngay_sinh"
    assert error["file"] == str(unit / "don_vi.yaml") and "Thành viên!E5" in error["message_vi"]
    assert error["origin"] == "ds.xlsx, ô Thành viên!E5"
    assert not unit.exists()


def test_too_long_values_for_a_form_are_roster_errors(tmp_path):
    rows = [member("Nguyễn Văn An", "01234567", "01/02/1980", **{"Chức vụ Đảng": "Bí thư " * 60})]
    unit = tmp_path / "u"
    result = init_unit(unit, fill_roster(tmp_path / "ds.xlsx", members=rows))
    [error] = [f for f in result.findings if f.severity == "error"]
    assert error.file == str(unit / "ca_nhan" / "nguyen_van_an.yaml") and error.json_path == "$.ca_nhan.chuc_vu_dang"
    assert "tối đa 300 ký tự" in error.message_vi and error.origin.endswith("Thành viên!J2")
    assert not unit.exists()


def test_csv_builds_a_one_chi_bo_unit(tmp_path):
    csv = tmp_path / "chi_bo.csv"
    csv.write_bytes(("\ufeffHọ và tên,Số thẻ đảng viên,Ngày sinh,Ngày vào Đảng,Chi bộ,CB-CC-VC,\"Lãnh đạo, quản lý\",Chức vụ Đảng\n"
                     "Nguyễn Văn An,01234567,01/02/1980,10/05/2005,Chi bộ Thôn Một,Không,Có,Bí thư Chi bộ\n"
                     "Trần Thị Bình,02345678,04/03/1985,10/05/2010,Chi bộ Thôn Một,Có,Không,\n").encode("utf-8"))
    unit = tmp_path / "u"
    result = init_unit(unit, csv, year=2026)
    assert [f for f in result.findings if f.severity == "error"] == []
    manifest = read(unit / "don_vi.yaml")
    assert manifest["don_vi"] == {"ten": "Chi bộ Thôn Một", "to_chuc_co_so": "chi_bo_thon_mot"}
    assert manifest["to_chuc"][0]["loai"] == "chi_bo_co_so"
    assert manifest_errors(unit) == []


# -- importing again ---------------------------------------------------------------------------------------------------------
def test_reimport_updates_identity_keeps_what_was_written_and_reports(cli, tmp_path):
    roster = fill_roster(tmp_path / "ds.xlsx")
    unit = tmp_path / "u"
    assert init_unit(unit, roster).written
    form_path = unit / "ca_nhan" / "tran_thi_binh.yaml"
    form = read(form_path)
    form["kiem_diem"]["uu_diem"]["pham_chat"] = ["Tôi giữ vững lập trường chính trị."]
    form["tu_danh_gia"] = {"muc_de_xuat": "HTTNV"}
    form_path.write_text(yaml.safe_dump(form, allow_unicode=True, sort_keys=False), encoding="utf-8")
    manifest = read(unit / "don_vi.yaml")
    manifest["thanh_vien"][1]["nhan_xet_cu_tru"] = True
    (unit / "don_vi.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False), encoding="utf-8")

    rows = [dict(MEMBER_ROWS[0], **{"Ngày sinh": "02/01/1980"}),                       # a corrected birth date
            dict(MEMBER_ROWS[1], **{"Chức vụ Đảng": "Phó Bí thư Chi bộ", "Họ và tên": "Trần Thị  Bình"}),
            member("Phạm Thị Dung", "04567890", "14/11/1984")]                         # new; Lê Văn Cường left out
    updated = fill_roster(tmp_path / "ds2.xlsx", members=rows)
    dry = init_unit(unit, updated, dry_run=True)
    assert dry.written == [] and not dry.created and "Phạm Thị Dung" not in (unit / "don_vi.yaml").read_text(encoding="utf-8")
    result = cli("init", unit, "--roster", updated)
    assert result.exit_code == 0, result.output
    assert "Nguyễn Văn An: ngày sinh 01/02/1980 → 02/01/1980" in result.output
    assert "Trần Thị Bình: thêm chức vụ Đảng Phó Bí thư Chi bộ (ca_nhan/tran_thi_binh.yaml)" in result.output
    assert "Thêm đảng viên Phạm Thị Dung (Chi bộ Thôn Một)" in result.output
    assert "Lê Văn Cường không còn trong danh sách" in result.output
    manifest = read(unit / "don_vi.yaml")
    assert [m["ma"] for m in manifest["thanh_vien"]] == ["nguyen_van_an", "tran_thi_binh", "le_van_cuong", "pham_thi_dung"]
    assert manifest["thanh_vien"][0]["ngay_sinh"] == "1980-01-02" and manifest["thanh_vien"][1]["nhan_xet_cu_tru"] is True
    form = read(form_path)
    assert form["kiem_diem"]["uu_diem"]["pham_chat"] == ["Tôi giữ vững lập trường chính trị."]
    assert form["tu_danh_gia"] == {"muc_de_xuat": "HTTNV"} and form["ca_nhan"]["chuc_vu_dang"] == "Phó Bí thư Chi bộ"
    assert read(unit / "ca_nhan" / "nguyen_van_an.yaml")["ca_nhan"]["ngay_sinh"] == "1980-01-02"
    assert (unit / "ca_nhan" / "pham_thi_dung.yaml").exists() and (unit / "ca_nhan" / "le_van_cuong.yaml").exists()
    assert list((unit / "_phien_ban_truoc").glob("*/ca_nhan/tran_thi_binh.yaml"))  # the replaced version is kept
    assert provenance.read(unit)["don_vi.yaml"]["$.thanh_vien[3].ho_ten"] == "ds2.xlsx, ô Thành viên!B4"

    again = cli("init", unit, "--roster", updated)
    assert again.exit_code == 0 and "Không có gì thay đổi." in again.output


def test_a_member_who_becomes_a_leader_gets_the_leader_sections(tmp_path):
    unit = tmp_path / "u"
    first = init_unit(unit, fill_roster(tmp_path / "ds.xlsx"))
    assert first.created and not [f for f in first.findings if f.severity == "error"]
    path = unit / "ca_nhan" / "tran_thi_binh.yaml"
    form = read(path)
    form["kiem_diem"]["uu_diem"]["pham_chat"] = ["Đoạn đã viết."]
    path.write_text(yaml.safe_dump(form, allow_unicode=True, sort_keys=False), encoding="utf-8")
    rows = [MEMBER_ROWS[0], dict(MEMBER_ROWS[1], **{"Lãnh đạo, quản lý": "Có", "Chức vụ chính quyền": "Phó Chủ tịch UBND xã"}), MEMBER_ROWS[2]]
    result = init_unit(unit, fill_roster(tmp_path / "ds2.xlsx", members=rows))
    assert any("nhóm đối tượng «Cá nhân không giữ chức vụ lãnh đạo, quản lý» → «Cá nhân giữ chức vụ lãnh đạo, quản lý»" in c
               for c in result.changes)
    form = read(path)
    assert form["vai_tro"] == "lanh_dao" and form["kiem_diem"]["uu_diem"]["pham_chat"] == ["Đoạn đã viết."]
    assert form["kiem_diem"]["uu_diem"]["neu_guong"] == []


def test_a_year_that_does_not_match_the_unit_is_refused(tmp_path):
    unit = tmp_path / "u"
    init_unit(unit, fill_roster(tmp_path / "ds.xlsx"))
    result = init_unit(unit, fill_roster(tmp_path / "ds2024.xlsx", year=2024, members=MEMBER_ROWS[:2]))
    assert any("năm 2024" in f.message_vi and f.severity == "error" for f in result.findings) and result.written == []
    assert init_unit(unit, tmp_path / "ds.xlsx", year=2025).findings[0].json_path == "$.ky_danh_gia.nam"


def test_the_members_csv_updates_an_existing_unit(tmp_path):
    unit = tmp_path / "u"
    init_unit(unit, SAMPLE)
    text = SAMPLE_CSV.read_text(encoding="utf-8-sig").replace("Đảng ủy xã Hòa Bình,Có,Cán bộ", "Đảng ủy xã Hòa Bình (kiêm nhiệm),Có,Cán bộ", 1)
    csv = tmp_path / "thanh_vien.csv"
    csv.write_text(text, encoding="utf-8-sig")
    result = init_unit(unit, csv)
    assert [f for f in result.findings if f.severity == "error"] == []
    assert result.changes == ["Trương Quốc Khánh: đơn vị công tác Đảng ủy xã Hòa Bình → Đảng ủy xã Hòa Bình (kiêm nhiệm) "
                              "(ca_nhan/truong_quoc_khanh.yaml)"]


def test_findings_of_check_point_back_to_the_roster_cell(cli, tmp_path):
    unit = tmp_path / "u"
    init_unit(unit, SAMPLE)
    result = cli("check", unit, "--format", "json")
    report = json.loads(result.output)
    covered = [f for f in report["findings"] if f["rule_id"] == "UNIT-COVERAGE" and f["json_path"] == "$.to_chuc[3].bao_cao"]
    assert covered and covered[0]["origin"] == "danh_sach_2026.xlsx, ô Tổ chức!A5"


def test_reimport_into_a_unit_written_by_hand_matches_by_name_and_birth_date(tmp_path):
    unit = tmp_path / "demo"
    shutil.copytree(DEMO_2026, unit)
    before = (unit / "ca_nhan" / "ngo_thanh_tam.yaml").read_text(encoding="utf-8")
    result = init_unit(unit, SAMPLE)
    assert [f for f in result.findings if f.severity == "error"] == []
    assert not any(c.startswith("Thêm đảng viên") for c in result.changes)  # every person of the roster is found
    assert "Ngô Thanh Tâm: thêm số thẻ đảng viên 01409336" in result.changes
    left = sorted(f.message_vi.split(" không còn")[0] for f in result.findings if "không còn trong danh sách" in f.message_vi)
    assert left == ["Hà Văn Lộc", "Lương Thị Hòa", "Nguyễn Đức Thịnh"]
    # A header in capitals names the same chi bộ: the form is left as written.
    assert (unit / "ca_nhan" / "ngo_thanh_tam.yaml").read_text(encoding="utf-8") == before
    assert manifest_errors(unit) == []
    assert load_workbook(SAMPLE, read_only=True).sheetnames  # the sample is untouched


# -- a quarter unit ---------------------------------------------------------------------------------------------------------
QUARTER_EVENTS = [
    {"Đảng viên": "Nguyễn Văn An", "Loại": "Nghỉ ốm", "Từ ngày": "10/03/2026", "Đến ngày": "20/03/2026"},   # before Q3: dropped
    {"Đảng viên": "Nguyễn Văn An", "Loại": "Nghỉ ốm", "Từ ngày": "10/06/2026", "Đến ngày": "20/07/2026"},   # reaches into Q3: kept
    {"Đảng viên": "Trần Thị Bình", "Loại": "Kỷ luật", "Từ ngày": "10/10/2026", "Hình thức kỷ luật": "Khiển trách"},  # after: dropped
    {"Đảng viên": "Trần Thị Bình", "Loại": "Nghỉ thai sản", "Từ ngày": "01/05/2026"},  # no end yet: still going on, kept
]


def test_a_quarter_unit_gets_the_quarter_forms_keeps_its_circumstances_and_loads(tmp_path):
    unit = tmp_path / "q3"
    result = init_unit(unit, fill_roster(tmp_path / "ds_q3.xlsx", quarter=3, events=QUARTER_EVENTS))
    assert [f for f in result.findings if f.severity == "error"] == [] and result.created
    manifest = read(unit / "don_vi.yaml")
    assert manifest["ky_danh_gia"] == {"nam": 2026, "quy": 3}
    rs = registry.ruleset(registry.default_ruleset(2026, 3)).for_period(Period(2026, 3))
    quarter_kind = rs.kind("ban_kiem_diem")
    assert quarter_kind != registry.ruleset(registry.default_ruleset(2026, None)).kind("ban_kiem_diem")
    forms = {m["ma"]: read(unit / m["ban_kiem_diem"]) for m in manifest["thanh_vien"]}
    assert len(forms) == 3 and {f["bieu_mau"] for f in forms.values()} == {quarter_kind}
    an = forms["nguyen_van_an"]
    assert an["ky_danh_gia"] == {"nam": 2026, "quy": 3} and an["thanh_vien"] == "nguyen_van_an" and an["vai_tro"] == "lanh_dao"
    assert an["ca_nhan"]["ho_ten"] == "Nguyễn Văn An" and an["ket_qua_thuc_hien"] == []
    assert "danh_gia_tham_quyen" not in an  # the superior's part of the form is not the member's to write
    # Organisations: the quarter's collective dossier has no self-review, so no report is made, and the lines say so.
    assert not (unit / "tap_the").exists() and all("bao_cao" not in o for o in manifest["to_chuc"])
    assert any("không tạo báo cáo tập thể (tap_the/)" in line for line in result.changes)
    # Circumstances: only those touching the quarter.
    members = {m["ma"]: m for m in manifest["thanh_vien"]}
    assert members["nguyen_van_an"]["nghi_om"] == [{"tu": "2026-06-10", "den": "2026-07-20"}]
    assert "ky_luat" not in members["tran_thi_binh"] and members["tran_thi_binh"]["thai_san"] == [{"tu": "2026-05-01"}]
    dropped = [line for line in result.changes if line.startswith("Bỏ qua")]
    assert len(dropped) == 2 and all("ngoài quý 3 năm 2026" in line for line in dropped)
    assert "Hoàn cảnh!B2" in dropped[0] and "kỷ luật" in dropped[1]
    assert manifest_errors(unit) == []
    origins = provenance.read(unit)["ca_nhan/nguyen_van_an.yaml"]
    assert origins["$.thanh_vien"] == origins["$.ca_nhan.ho_ten"] == "ds_q3.xlsx, ô Thành viên!B2"


def test_a_quarter_roster_updates_its_quarter_unit(tmp_path):
    unit = tmp_path / "q3"
    init_unit(unit, fill_roster(tmp_path / "ds_q3.xlsx", quarter=3, members=MEMBER_ROWS[:2]))
    path = unit / "ca_nhan" / "tran_thi_binh.yaml"
    form = read(path)
    form["ket_qua_thuc_hien"] = ["Đoạn đã viết."]
    path.write_text(yaml.safe_dump(form, allow_unicode=True, sort_keys=False), encoding="utf-8")
    rows = [MEMBER_ROWS[0], dict(MEMBER_ROWS[1], **{"Lãnh đạo, quản lý": "Có", "Chức vụ chính quyền": "Phó Chủ tịch UBND xã"})]
    result = init_unit(unit, fill_roster(tmp_path / "ds_q3b.xlsx", quarter=3, members=rows), year=2026, quarter=3)
    assert [f for f in result.findings if f.severity == "error"] == []
    form = read(path)
    assert form["vai_tro"] == "lanh_dao" and form["ket_qua_thuc_hien"] == ["Đoạn đã viết."]
    assert any("nhóm đối tượng" in line and "tran_thi_binh.yaml" in line for line in result.changes)
    assert manifest_errors(unit) == []


def test_a_roster_of_another_period_is_refused_and_nothing_is_written(tmp_path):
    year_roster = fill_roster(tmp_path / "ds_nam.xlsx", members=MEMBER_ROWS[:2])
    # A new quarter unit from a year's roster.
    result = init_unit(tmp_path / "moi", year_roster, year=2026, quarter=3)
    assert any(f.severity == "error" and "được tạo cho năm 2026, không dùng được cho quý 3 năm 2026" in f.message_vi for f in result.findings)
    assert result.written == [] and not (tmp_path / "moi").exists()
    # An existing quarter unit: a year's roster, or another quarter's, or a year argument.
    unit = tmp_path / "q3"
    init_unit(unit, fill_roster(tmp_path / "ds_q3.xlsx", quarter=3, members=MEMBER_ROWS[:2]))
    before = {p: p.read_bytes() for p in unit.rglob("*") if p.is_file()}
    for roster, kwargs in ((year_roster, {}), (fill_roster(tmp_path / "ds_q2.xlsx", quarter=2, members=MEMBER_ROWS[:2]), {}),
                           (tmp_path / "ds_q3.xlsx", {"year": 2026}), (tmp_path / "ds_q3.xlsx", {"quarter": 4})):
        result = init_unit(unit, roster, **kwargs)
        errors = [f for f in result.findings if f.severity == "error"]
        assert errors and "quý 3 năm 2026" in errors[0].message_vi and result.written == []
    assert {p: p.read_bytes() for p in unit.rglob("*") if p.is_file()} == before
    # A quarter's roster into a year unit.
    year_unit = tmp_path / "nam"
    init_unit(year_unit, year_roster)
    result = init_unit(year_unit, tmp_path / "ds_q3.xlsx")
    assert any(f.severity == "error" and "quý 3 năm 2026, đơn vị là của năm 2026" in f.message_vi for f in result.findings)
