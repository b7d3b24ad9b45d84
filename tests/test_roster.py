"""The roster workbook (generator/roster.py): the template a clerk fills, and reading a filled roster back.

Workbooks are built in the tests with openpyxl the way Excel saves them (dates as dates or as dd/mm/yyyy text, card
numbers that became numbers, decomposed Unicode, stray spaces), then read by ``read_roster``.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from conftest import ROOT
from generator import registry
from generator import roster as roster_module
from generator.errors import UsageError
from generator.period import Period
from generator.roster import (INLINE_LIST_LIMIT, MEMBERS, ORGS, _Bad, _Note, digits_of, parse_day, parse_moment, read_roster, table,
                              write_template)

SAMPLE = ROOT / "examples" / "roster" / "danh_sach_2026.xlsx"
SAMPLE_CSV = ROOT / "examples" / "roster" / "danh_sach_2026.csv"

ORG_ROWS = [
    {"Tên tổ chức": "Đảng bộ xã An Lạc", "Loại tổ chức": "Đảng bộ xã, phường, đặc khu trực thuộc tỉnh", "Trực thuộc": "Đảng bộ tỉnh Thử"},
    {"Tên tổ chức": "Chi bộ Thôn Một", "Loại tổ chức": "Chi bộ cơ sở", "Trực thuộc": "Đảng bộ xã An Lạc", "Người đứng đầu": "Nguyễn Văn An"},
    {"Tên tổ chức": "Chi bộ Thôn Hai", "Loại tổ chức": "Chi bộ cơ sở", "Trực thuộc": "Đảng bộ xã An Lạc"},
]


def member(name: str, card, born, org: str = "Chi bộ Thôn Một", **more) -> dict:
    row = {"Họ và tên": name, "Số thẻ đảng viên": card, "Ngày sinh": born, "Ngày vào Đảng": "10/05/2005", "Chi bộ": org,
           "CB-CC-VC": "Có", "Lãnh đạo, quản lý": "Không"}
    row.update(more)
    return row


MEMBER_ROWS = [
    member("Nguyễn Văn An", "01234567", "01/02/1980", **{"Lãnh đạo, quản lý": "Có", "Chức vụ Đảng": "Bí thư Chi bộ"}),
    member("Trần Thị Bình", 2345678, dt.datetime(1985, 3, 4), "Chi bộ Thôn Hai"),
    member("Lê Văn Cường", "03456789", "1990-07-08", "Chi bộ Thôn Hai", **{"CB-CC-VC": "Không",
                                                                          "Nhóm đối tượng": "Đảng viên không làm việc trong hệ thống chính trị"}),
]


def fill_roster(path: Path, *, year: int = 2026, orgs=ORG_ROWS, members=MEMBER_ROWS, events=(), meetings=(), template: bool = True,
                renamed: dict[str, str] | None = None, quarter: int | None = None) -> Path:
    """A roster as a clerk fills it: hoso's template (or a bare workbook), values set under their header names
    (``renamed``: headers of the template written otherwise, as a locality's export names them)."""
    if template:
        write_template(path, year=year, overwrite=True, quarter=quarter)
        workbook = load_workbook(path)
        for ws in workbook.worksheets:
            for cell in ws[1]:
                cell.value = (renamed or {}).get(cell.value, cell.value)
    else:
        workbook = Workbook()
        workbook.active.title = "Thành viên"
        workbook.active.append([c.header for c in table().sheet(MEMBERS).columns])
        workbook.create_sheet("Tổ chức").append([c.header for c in table().sheet(ORGS).columns])
    for title, rows in (("Tổ chức", orgs), ("Thành viên", members), ("Hoàn cảnh", events), ("Hội nghị", meetings)):
        if title not in workbook.sheetnames:
            continue
        ws = workbook[title]
        columns = {cell.value: cell.column for cell in ws[1] if cell.value}
        for r, row in enumerate(rows, start=2):
            for header, value in row.items():
                if value is not None:
                    ws.cell(row=r, column=columns[header], value=value)
    workbook.save(path)
    return path


def messages(found) -> list[str]:
    return [f.message_vi for f in found.findings()]


# -- the template ----------------------------------------------------------------------------------------------------
def test_template_has_sheets_validations_names_and_a_guide(tmp_path):
    path = write_template(tmp_path / "mau.xlsx", year=2026)
    workbook = load_workbook(path)
    assert workbook.sheetnames[0] == "Hướng dẫn"
    assert {"Tổ chức", "Thành viên", "Hoàn cảnh", "Hội nghị", "DanhMuc"} <= set(workbook.sheetnames)
    assert workbook["DanhMuc"].sheet_state == "hidden"
    names = {k: v.attr_text for k, v in workbook.defined_names.items()}
    assert names["HOSO_NAM"] == "2026" and names["HOSO_BO_QUY_TAC"] == '"qd366"'
    assert names["DS_TO_CHUC"].startswith("'Tổ chức'!$A$2")
    members = workbook["Thành viên"]
    header = {cell.value: cell for cell in members[1]}
    assert header["Họ và tên"].font.b and members.freeze_panes == "A2"
    assert "Nhóm đối tượng" in header  # qd366: the leader flag alone does not choose Mẫu 2B or 2C
    card = header["Số thẻ đảng viên"].column_letter
    assert members.column_dimensions[card].number_format == "@"
    rules = {str(dv.sqref).split(":")[0][:-1]: dv for dv in members.data_validations.dataValidation}
    assert rules[header["Chi bộ"].column_letter].formula1 == "=DS_TO_CHUC"
    assert rules[header["Nhóm đối tượng"].column_letter].formula1 == "=DS_NHOM_DOI_TUONG"  # names with commas: a list sheet
    assert rules[header["Ngày sinh"].column_letter].type == "date"
    assert rules[card].type == "textLength" and rules[card].formula1 == "8"
    assert rules[header["CB-CC-VC"].column_letter].formula1 == '"Có,Không"'
    every = [dv for ws in workbook.worksheets for dv in ws.data_validations.dataValidation]
    assert every and not any(dv.showDropDown for dv in every), "showDropDown=True hides the arrow"
    assert all(dv.prompt and dv.error for dv in every)
    assert all(len(dv.formula1) <= INLINE_LIST_LIMIT for dv in every)
    lists = workbook["DanhMuc"]
    group = [c.value for c in lists["B"] if c.value][1:]
    assert group == ["Cá nhân giữ chức vụ lãnh đạo, quản lý", "Cá nhân không giữ chức vụ lãnh đạo, quản lý",
                     "Đảng viên không làm việc trong hệ thống chính trị"]
    guide = " ".join(str(c.value) for row in workbook["Hướng dẫn"].iter_rows() for c in row if c.value)
    for sheet in table().sheets:
        for column in sheet.columns:
            assert column.header in guide and column.help in guide


def test_template_of_a_year_follows_its_ruleset(tmp_path):
    workbook = load_workbook(write_template(tmp_path / "mau.xlsx", year=2024))
    assert {k: v.attr_text for k, v in workbook.defined_names.items()}["HOSO_BO_QUY_TAC"] == '"qd124"'
    headers = [c.value for c in workbook["Thành viên"][1]]
    assert "Nhóm đối tượng" not in headers and "Lãnh đạo, quản lý" in headers
    kinds = [c.value for c in workbook["DanhMuc"]["A"] if c.value]
    assert "Chi bộ cơ sở" in kinds  # organisation kinds by their Vietnamese names (unit schema x-loai)


def test_template_is_not_overwritten_unless_asked(tmp_path):
    path = write_template(tmp_path / "mau.xlsx", year=2026)
    with pytest.raises(UsageError, match="--ghi-de"):
        write_template(path, year=2026)
    write_template(path, year=2025, overwrite=True)
    kept = list((tmp_path / "_phien_ban_truoc").glob("*/mau.xlsx"))
    assert len(kept) == 1 and load_workbook(kept[0]).defined_names["HOSO_NAM"].attr_text == "2026"
    assert load_workbook(path).defined_names["HOSO_NAM"].attr_text == "2025"
    assert path.stat().st_mode & 0o777 == 0o600
    with pytest.raises(UsageError):
        write_template(tmp_path / "mau.xls")


def test_cli_writes_the_template(cli, tmp_path):
    result = cli("roster", "template", tmp_path / "ds.xlsx", "--nam", "2024")
    assert result.exit_code == 0, result.output
    assert load_workbook(tmp_path / "ds.xlsx").defined_names["HOSO_NAM"].attr_text == "2024"
    again = cli("roster", "template", tmp_path / "ds.xlsx")
    assert again.exit_code == 2 and "--ghi-de" in again.output


# -- values --------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("raw, expected", [
    (dt.datetime(1980, 2, 5), dt.date(1980, 2, 5)),
    (29256, dt.date(1980, 2, 5)),          # an Excel serial date
    (29256.0, dt.date(1980, 2, 5)),
    ("05/02/1980", dt.date(1980, 2, 5)),
    ("5/2/1980", dt.date(1980, 2, 5)),
    (" 5 / 2 / 1980 ", dt.date(1980, 2, 5)),
    ("05-02-1980", dt.date(1980, 2, 5)),
    ("05.02.1980", dt.date(1980, 2, 5)),
    ("1980-02-05", dt.date(1980, 2, 5)),
])
def test_dates_are_read_in_every_form_excel_gives(raw, expected):
    assert parse_day(raw) == expected


@pytest.mark.parametrize("raw, why", [("31/02/2020", "có thật"), ("5/2/80", "bốn chữ số"), (1980, "không phải ngày"), ("ngày mai", "không phải ngày")])
def test_impossible_dates_say_why(raw, why):
    assert why in parse_day(raw)


def test_moments_are_read():
    assert parse_moment("06/12/2026 07:30") == dt.datetime(2026, 12, 6, 7, 30)
    assert parse_moment("2026-12-06T13:05") == dt.datetime(2026, 12, 6, 13, 5)
    assert parse_moment("7h30 06/12/2026") == dt.datetime(2026, 12, 6, 7, 30)
    assert parse_moment(dt.datetime(2026, 12, 6, 7, 30, 12)) == dt.datetime(2026, 12, 6, 7, 30)
    assert "thiếu giờ" in parse_moment("06/12/2026")


@pytest.mark.parametrize("raw, expected", [(1234567, "01234567"), (1234567.0, "01234567"), ("0123 4567", "01234567"), ("01.234.567", "01234567")])
def test_card_numbers_keep_their_leading_zeros(raw, expected):
    assert digits_of(8, raw) == expected


def test_card_numbers_that_lost_digits_are_refused_or_flagged():
    with pytest.raises(_Bad, match="số mũ"):
        digits_of(12, "1.23457E+11")
    with pytest.raises(_Bad, match="9 chữ số"):
        digits_of(8, "123456789")
    with pytest.raises(_Note) as note:
        digits_of(8, "1234567")  # CSV text of a number Excel stripped
    assert note.value.value == "01234567"


# -- reading a roster ------------------------------------------------------------------------------------------------------
def test_the_sample_roster_reads_without_a_problem():
    found = read_roster(SAMPLE)
    assert [f for f in found.findings() if f.severity != "info"] == []
    assert found.year == 2026 and found.rs.key == "qd366"
    assert len(found.of(ORGS)) == 4 and len(found.of(MEMBERS)) == 12
    assert found.of(ORGS)[found.top].value("ten_to_chuc") == "Đảng bộ xã Hòa Bình"
    assert sorted(set(found.roles.values())) == ["khong_lanh_dao", "lanh_dao", "ngoai_he_thong"]


def test_values_are_normalised(tmp_path):
    nfd = unicodedata.normalize("NFD", "Phạm  Thị   Dung ")
    rows = [*MEMBER_ROWS, member(nfd, 4567890.0, 31000, **{"Ngày vào Đảng": dt.datetime(2010, 1, 2)})]
    found = read_roster(fill_roster(tmp_path / "ds.xlsx", members=rows))
    people = {r.value("ho_ten"): r for r in found.of(MEMBERS)}
    assert "Phạm Thị Dung" in people
    dung = people["Phạm Thị Dung"]
    assert dung.value("so_the") == "04567890" and dung.value("ngay_sinh") == "1984-11-14" and dung.value("ngay_vao_dang") == "2010-01-02"
    assert people["Trần Thị Bình"].value("so_the") == "02345678"
    assert people["Trần Thị Bình"].value("ngay_sinh") == "1985-03-04"
    assert people["Lê Văn Cường"].value("ngay_sinh") == "1990-07-08"
    assert [r.value("chi_bo").name for r in found.of(MEMBERS)][:2] == ["Chi bộ Thôn Một", "Chi bộ Thôn Hai"]
    assert found.errors == []


def test_headers_are_matched_by_name_and_alias_never_by_position(tmp_path):
    workbook = Workbook()
    ws = workbook.active
    ws.title = "DS_DANGVIEN"  # the first sheet of a database export: found by its headers
    ws.append(["Danh sách đảng viên (xuất ngày 01/12/2026)"])
    ws.append(["Trạng thái", "Chi bộ đang sinh hoạt", "Ngày kết nạp", "Số thẻ Đảng viên", "Họ tên", "Ngày sinh (dd/mm/yyyy)", "Lãnh đạo, quản lý"])
    ws.append(["Đang sinh hoạt", "Chi bộ Thôn Một", "10/05/2005", "01234567", "Nguyễn Văn An", "01/02/1980", "không"])
    path = tmp_path / "xuat.xlsx"
    workbook.save(path)
    found = read_roster(path, year=2024)
    row = found.of(MEMBERS)[0]
    assert row.value("ho_ten") == "Nguyễn Văn An" and row.value("so_the") == "01234567" and row.value("ngay_vao_dang") == "2005-05-10"
    assert row.ref("ho_ten") == "DS_DANGVIEN!E3"
    assert found.errors == [] and found.implicit_org  # one chi bộ and no organisation sheet: the unit is that chi bộ
    infos = [f for f in found.findings() if f.severity == "info"]
    assert any("Trạng thái" in f.message_vi for f in infos)


def test_a_locality_maps_its_own_headers(tmp_path):
    locality = tmp_path / "dia_phuong.yaml"
    locality.write_text('danh_sach:\n  bi_danh:\n    ho_ten: ["Tên đảng viên (đầy đủ)", "Họ tên ĐV"]\n', encoding="utf-8")
    rows = [{("Họ tên ĐV" if k == "Họ và tên" else k): v for k, v in r.items()} for r in MEMBER_ROWS]
    path = fill_roster(tmp_path / "ds.xlsx", members=rows, renamed={"Họ và tên": "Họ tên ĐV"})
    assert any("Họ tên ĐV" in m for m in messages(read_roster(path)))  # not known without the locality's alias
    found = read_roster(path, locality_file=locality)
    assert [r.value("ho_ten") for r in found.of(MEMBERS)] == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]
    assert found.errors == []
    bad = tmp_path / "sai.yaml"
    bad.write_text('danh_sach:\n  bi_danh:\n    khong_co: ["X"]\n', encoding="utf-8")
    assert any("khong_co" in m for m in messages(read_roster(path, locality_file=bad)))


def test_every_cell_is_checked_again_and_named(tmp_path):
    rows = [member("Nguyễn Văn An", "01234567", "31/02/1980"),                       # no such date
            member("Trần Thị Bình", "2345678X", "01/01/1985", "Chi bộ Thôn Ba"),      # not digits; unknown chi bộ
            member("Lê Văn Cường", "03456789", "01/01/1990", **{"CB-CC-VC": "Chắc là có", "Tình trạng": "Nghỉ"})]  # pasted values
    found = read_roster(fill_roster(tmp_path / "ds.xlsx", members=rows))
    by_ref = {f.origin.split(", ô ")[-1]: f for f in found.findings() if f.severity == "error"}
    assert set(by_ref) >= {"Thành viên!E2", "Thành viên!C3", "Thành viên!I3", "Thành viên!N4", "Thành viên!S4"}
    date = by_ref["Thành viên!E2"]
    assert date.rule_id == "ROSTER" and date.json_path == "$.thanh_vien[0].ngay_sinh"
    assert date.message_vi.startswith("Thành viên!E2: Ngày sinh: «31/02/1980»") and date.origin == "ds.xlsx, ô Thành viên!E2"
    assert by_ref["Thành viên!I3"].json_path == "$.thanh_vien[1].chi_bo" and "Chi bộ Thôn Ba" in by_ref["Thành viên!I3"].message_vi
    assert "danh sách chọn" in by_ref["Thành viên!S4"].message_vi


def test_duplicated_members_name_both_rows(tmp_path):
    rows = [*MEMBER_ROWS, member("Phạm Văn Dũng", "01234567", "02/02/1982"), member(" nguyễn văn  an", None, dt.datetime(1980, 2, 1))]
    found = read_roster(fill_roster(tmp_path / "ds.xlsx", members=rows))
    errors = [f.message_vi for f in found.findings() if f.severity == "error"]
    assert any("Trùng số thẻ đảng viên 01234567 với dòng 2" in m and m.startswith("Thành viên!C5") for m in errors)
    assert any("ghi hai lần: dòng 2" in m and "dòng 6" in m for m in errors)


def test_organisations_need_one_head_and_real_parents(tmp_path):
    orgs = [*ORG_ROWS, {"Tên tổ chức": "Chi bộ Thôn Ba", "Loại tổ chức": "Chi bộ cơ sở", "Trực thuộc": "Đảng bộ xã Khác"},
            {"Tên tổ chức": "Chi bộ Thôn Hai", "Loại tổ chức": "Chi bộ cơ sở", "Trực thuộc": "Đảng bộ xã An Lạc"}]
    errors = [m for m in messages(read_roster(fill_roster(tmp_path / "ds.xlsx", orgs=orgs)))]
    assert any("Chỉ một tổ chức đứng đầu" in m for m in errors)
    assert any(m.startswith("Tổ chức!A6") and "ghi hai lần" in m for m in errors)


def test_roles_come_from_the_ruleset(tmp_path):
    rows = [member("Nguyễn Văn An", "01234567", "01/02/1980", **{"Lãnh đạo, quản lý": "Có"}),     # leader, no post: warning
            member("Trần Thị Bình", "02345678", "01/01/1985", **{"CB-CC-VC": "Không"}),          # 2B or 2C? must say
            member("Lê Văn Cường", "03456789", "01/01/1990", **{"Lãnh đạo, quản lý": "Có",
                                                               "Nhóm đối tượng": "Mẫu 2B"})]        # contradiction
    found = read_roster(fill_roster(tmp_path / "ds.xlsx", members=rows))
    assert found.roles == {0: "lanh_dao"}
    text = "\n".join(messages(found))
    assert "Thành viên!Q3: Chọn nhóm đối tượng" in text and "Thành viên!P4: Cột «Lãnh đạo, quản lý» ghi Có" in text
    assert "chưa ghi chức vụ" in text
    old = read_roster(fill_roster(tmp_path / "ds2024.xlsx", year=2024, members=rows[:2]))
    assert old.roles == {0: "lanh_dao", 1: "khong_lanh_dao"} and old.rs.key == "qd124"


def test_circumstances_and_meetings_are_checked(tmp_path):
    events = [{"Đảng viên": "Nguyễn Văn An", "Loại": "Nghỉ ốm", "Từ ngày": "10/03/2026", "Đến ngày": "01/03/2026"},
              {"Đảng viên": "Không Có Ai", "Loại": "Kỷ luật", "Từ ngày": "10/03/2026", "Hình thức kỷ luật": "khiển trách"},
              {"Đảng viên": "02345678", "Loại": "Kỷ luật"},
              {"Đảng viên": "Nguyễn Văn An", "Loại": "miễn sinh hoạt", "Từ ngày": "01/01/2026", "Đến ngày": "31/12/2026", "Nội dung": "x"}]
    meetings = [{"Tổ chức": "Chi bộ Thôn Một", "Bắt đầu": "07/12/2026 07:30", "Kết thúc": "07/12/2026 07:00"}]
    found = read_roster(fill_roster(tmp_path / "ds.xlsx", events=events, meetings=meetings))
    text = "\n".join(messages(found))
    assert "Hoàn cảnh!D2: Đến ngày 01/03/2026 trước từ ngày 10/03/2026" in text
    assert "Hoàn cảnh!A3: Không có đảng viên «Không Có Ai»" in text
    assert "Hoàn cảnh!C4: Kỷ luật: phải ghi từ ngày" in text and "Hoàn cảnh!E4: Kỷ luật: phải ghi hình thức kỷ luật" in text
    assert "Hoàn cảnh!I5: Cột «Nội dung» không dùng cho «Miễn công tác và sinh hoạt đảng»" in text
    assert "Hội nghị!D2: Kết thúc 07/12/2026 07:00 không sau bắt đầu" in text
    assert all(f.json_path.startswith("$.") and f.rule_id == "ROSTER" for f in found.findings())
    paths = {f.origin.split(", ô ")[-1]: f.json_path for f in found.findings()}
    assert paths["Hoàn cảnh!D2"] == "$.thanh_vien[0].nghi_om" and paths["Hội nghị!D2"] == "$.to_chuc[1].hop.buoi"
    assert paths["Hoàn cảnh!I5"] == "$.thanh_vien[0].mien_sinh_hoat"


def test_unreadable_files_say_what_to_do(tmp_path, monkeypatch):
    old = tmp_path / "ds.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    assert "Lưu lại tệp dưới dạng .xlsx" in messages(read_roster(old))[0]
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"not a zip")
    assert "không phải tệp .xlsx đọc được" in messages(read_roster(broken))[0]

    def locked(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(roster_module, "load_workbook", locked)
    assert "Đóng tệp trong Excel rồi thử lại" in messages(read_roster(SAMPLE))[0]


def test_a_workbook_without_a_year_needs_one(tmp_path):
    path = fill_roster(tmp_path / "ds.xlsx", template=False)
    assert "ghi --nam" in messages(read_roster(path))[0]
    assert read_roster(path, year=2026).rs.key == "qd366"


def test_csv_members_sheet(tmp_path):
    found = read_roster(SAMPLE_CSV, year=2026)
    assert len(found.of(MEMBERS)) == 12 and found.of(MEMBERS)[9].value("so_the") == "00987612"
    assert any("3 tên chi bộ" in m for m in messages(found))  # several chi bộ and no organisation sheet
    semicolons = tmp_path / "ds.csv"
    text = "Họ và tên;Số thẻ;Ngày sinh;Ngày kết nạp;Chi bộ;CB-CC-VC\nNguyễn Văn An;1234567;1/2/1980;10/5/2005;Chi bộ Thôn Một;Có\n"
    semicolons.write_bytes(("\ufeff" + text).encode("utf-8"))
    found = read_roster(semicolons, year=2026)
    row = found.of(MEMBERS)[0]
    assert row.value("so_the") == "01234567" and row.value("ngay_sinh") == "1980-02-01" and row.ref("so_the") == "B2"
    assert [f.severity for f in found.findings()] == ["warning"]  # the card got its leading zero back: said so
    assert found.implicit_org and found.of(ORGS)[0].value("ten_to_chuc") == "Chi bộ Thôn Một"


def test_the_year_is_also_read_from_the_guide_sheet(tmp_path):
    path = fill_roster(tmp_path / "ds.xlsx", year=2024, members=MEMBER_ROWS[:2])
    workbook = load_workbook(path)
    del workbook.defined_names["HOSO_NAM"], workbook.defined_names["HOSO_BO_QUY_TAC"]  # lost by another spreadsheet program
    workbook.save(path)
    found = read_roster(path)
    assert (found.year, found.rs.key, found.errors) == (2024, "qd124", [])


# -- a quarter ----------------------------------------------------------------------------------------------------------
def test_a_quarter_template_stores_the_quarter_and_its_ruleset(tmp_path):
    path = write_template(tmp_path / "mau_q3.xlsx", year=2026, quarter=3)
    workbook = load_workbook(path)
    names = {k: v.attr_text for k, v in workbook.defined_names.items()}
    assert names["HOSO_NAM"] == "2026" and names["HOSO_QUY"] == "3"
    assert names["HOSO_BO_QUY_TAC"] == f'"{registry.default_ruleset(2026, 3)}"'
    guide = workbook["Hướng dẫn"]
    assert (guide["A5"].value, guide["B5"].value) == ("Quý đánh giá", 3) and "quý III năm 2026" in guide["A1"].value
    found = read_roster(path)
    assert found.period == Period(2026, 3) and found.file_period == Period(2026, 3)
    assert "HOSO_QUY" not in {k for k in load_workbook(write_template(tmp_path / "nam.xlsx", year=2026)).defined_names}
    # The defined names lost (a copy pasted into a new workbook): the guide sheet's cells still say the period.
    for name in ("HOSO_NAM", "HOSO_QUY"):
        del workbook.defined_names[name]
    workbook.save(tmp_path / "mat_ten.xlsx")
    assert read_roster(tmp_path / "mat_ten.xlsx").period == Period(2026, 3)


def test_a_quarter_needs_a_ruleset_that_evaluates_quarters(tmp_path):
    with pytest.raises(UsageError, match="không đánh giá theo quý"):
        write_template(tmp_path / "q.xlsx", year=2026, quarter=1, ruleset_key="qd124")
    with pytest.raises(UsageError, match="Quý phải là"):
        write_template(tmp_path / "q.xlsx", year=2026, quarter=5)
    assert not (tmp_path / "q.xlsx").exists()


def test_a_roster_read_for_the_other_kind_of_period_is_an_error(tmp_path):
    year_roster = fill_roster(tmp_path / "nam.xlsx", members=MEMBER_ROWS[:1])
    found = read_roster(year_roster, year=2026, quarter=3)
    assert found.rs is None and "Tệp danh sách được tạo cho năm 2026, không dùng được cho quý 3 năm 2026" in messages(found)[0]
    quarter_roster = fill_roster(tmp_path / "q2.xlsx", members=MEMBER_ROWS[:1], quarter=2)
    assert "không dùng được cho năm 2026" in messages(read_roster(quarter_roster, year=2026))[0]
    moved = read_roster(quarter_roster, year=2026, quarter=3)  # another quarter: read for the one asked, with a warning
    assert moved.period == Period(2026, 3) and not moved.errors
    assert any("quý 2 năm 2026; dùng quý 3 năm 2026" in m for m in messages(moved))
