"""Write the sample filled roster: examples/roster/danh_sach_2026.xlsx and its members sheet as CSV.

The workbook is hoso's own template for 2026 (``hoso roster template``) filled with the people of the demo unit
examples/demo_2026 (Đảng bộ xã Hòa Bình; names and numbers are fictional): four organisations, twelve members, a few
circumstances and the review meetings. ``hoso init /tmp/x --roster examples/roster/danh_sach_2026.xlsx`` builds a unit
from it; the CSV (UTF-8 with BOM, as Excel writes "CSV UTF-8") is the same members sheet.

    .venv/bin/python tools/make_roster_example.py            # writes examples/roster/
    .venv/bin/python tools/make_roster_example.py --out DIR
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import sys
import tempfile
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.roster import MEMBERS, table, write_template  # noqa: E402

YEAR = 2026
D = dt.date
T = dt.datetime

ORGS = [
    # Tên tổ chức, Loại tổ chức, Trực thuộc, Người đứng đầu, Ngày thành lập, Thẩm quyền ký, Tên tập thể kiểm điểm, Địa danh
    {"Tên tổ chức": "Đảng bộ xã Hòa Bình", "Loại tổ chức": "Đảng bộ xã, phường, đặc khu trực thuộc tỉnh",
     "Trực thuộc": "Đảng bộ tỉnh Bình Nguyên", "Người đứng đầu": "Trương Quốc Khánh", "Ngày thành lập": D(2025, 7, 1),
     "Tên tập thể kiểm điểm": "Ban Chấp hành Đảng bộ xã Hòa Bình", "Địa danh": "Hòa Bình"},
    {"Tên tổ chức": "Chi bộ Cơ quan Đảng - Mặt trận xã", "Loại tổ chức": "Chi bộ cơ sở", "Trực thuộc": "Đảng bộ xã Hòa Bình",
     "Người đứng đầu": "Lâm Thị Thu Hà", "Ngày thành lập": D(2025, 7, 1), "Thẩm quyền ký": "T/M CHI ỦY",
     "Tên tập thể kiểm điểm": "Chi ủy Chi bộ Cơ quan Đảng - Mặt trận xã"},
    {"Tên tổ chức": "Chi bộ Cơ quan Ủy ban nhân dân xã", "Loại tổ chức": "Chi bộ cơ sở", "Trực thuộc": "Đảng bộ xã Hòa Bình",
     "Người đứng đầu": "Phan Thị Kim Oanh", "Ngày thành lập": D(2025, 7, 1), "Thẩm quyền ký": "T/M CHI ỦY",
     "Tên tập thể kiểm điểm": "Chi ủy Chi bộ Cơ quan Ủy ban nhân dân xã"},
    {"Tên tổ chức": "Chi bộ Thôn Đông", "Loại tổ chức": "Chi bộ cơ sở", "Trực thuộc": "Đảng bộ xã Hòa Bình",
     "Người đứng đầu": "Cao Văn Sơn", "Ngày thành lập": D(2025, 7, 1),
     "Tên tập thể kiểm điểm": "Bí thư, Phó Bí thư Chi bộ Thôn Đông"},
]

CQD, UB, TD = "Chi bộ Cơ quan Đảng - Mặt trận xã", "Chi bộ Cơ quan Ủy ban nhân dân xã", "Chi bộ Thôn Đông"
LEADER, STAFF, OUTSIDE = ("Cá nhân giữ chức vụ lãnh đạo, quản lý", "Cá nhân không giữ chức vụ lãnh đạo, quản lý",
                          "Đảng viên không làm việc trong hệ thống chính trị")


def member(name, card, cccd, born, sex, admitted, official, org, party="", gov="", mass="", work="", civil="Có", kind="Công chức",
           leader="Không", group=STAFF, residence="", **more):
    row = {"Họ và tên": name, "Số thẻ đảng viên": card, "Số CCCD": cccd, "Ngày sinh": born, "Giới tính": sex,
           "Ngày vào Đảng": admitted, "Ngày chính thức": official, "Chi bộ": org, "Chức vụ Đảng": party,
           "Chức vụ chính quyền": gov, "Chức vụ đoàn thể": mass, "Đơn vị công tác": work, "CB-CC-VC": civil,
           "Loại CB-CC-VC": kind if civil == "Có" else "", "Lãnh đạo, quản lý": leader, "Nhóm đối tượng": group,
           "Chi bộ nơi cư trú": residence}
    row.update(more)
    return row


MEMBER_ROWS = [
    member("Trương Quốc Khánh", "01280451", "037075001841", D(1975, 4, 18), "Nam", D(1998, 5, 19), D(1999, 5, 19), CQD,
           party="Bí thư Đảng ủy xã", gov="Chủ tịch Hội đồng nhân dân xã", work="Đảng ủy xã Hòa Bình", kind="Cán bộ",
           leader="Có", group=LEADER, residence="Chi bộ Thôn Đông"),
    member("Lâm Thị Thu Hà", "01311872", "037181002213", D(1981, 9, 2), "Nữ", D(2004, 2, 3), D(2005, 2, 3), CQD,
           party="Phó Bí thư Thường trực Đảng ủy xã, Trưởng Ban Xây dựng Đảng, Bí thư Chi bộ Cơ quan Đảng - Mặt trận xã",
           work="Đảng ủy xã Hòa Bình", kind="Cán bộ", leader="Có", group=LEADER, residence="Chi bộ Thôn Tây"),
    member("Ngô Thanh Tâm", "01409336", "037090004527", D(1990, 6, 12), "Nam", D(2014, 6, 21), D(2015, 6, 21), CQD,
           work="Ban Xây dựng Đảng, Đảng ủy xã Hòa Bình", residence="Chi bộ Thôn Đông"),
    member("Đào Thị Minh Châu", "01452207", "037193006118", D(1993, 3, 8), "Nữ", D(2017, 3, 26), D(2018, 3, 26), CQD,
           work="Văn phòng Đảng ủy xã Hòa Bình", residence="Chi bộ Thôn Bắc"),
    member("Võ Minh Quang", "01296540", "037078000932", D(1978, 12, 5), "Nam", D(2001, 11, 7), D(2002, 11, 7), UB,
           party="Phó Bí thư Đảng ủy xã", gov="Chủ tịch Ủy ban nhân dân xã", work="Ủy ban nhân dân xã Hòa Bình", kind="Cán bộ",
           leader="Có", group=LEADER, residence="Chi bộ Thôn Nam"),
    member("Phan Thị Kim Oanh", "01334019", "037183003305", D(1983, 7, 14), "Nữ", D(2006, 7, 27), D(2007, 7, 27), UB,
           party="Đảng ủy viên, Bí thư Chi bộ Cơ quan Ủy ban nhân dân xã", gov="Phó Chủ tịch Ủy ban nhân dân xã",
           work="Ủy ban nhân dân xã Hòa Bình", kind="Cán bộ", leader="Có", group=LEADER, residence="Chi bộ Thôn Đông"),
    member("Trần Văn Hiếu", "01388264", "037085005071", D(1985, 10, 30), "Nam", D(2011, 10, 14), D(2012, 10, 14), UB,
           work="Phòng Kinh tế, Ủy ban nhân dân xã Hòa Bình (Địa chính - Xây dựng)", residence="Chi bộ Thôn Tây"),
    member("Lê Thị Phương", "01441958", "037191007764", D(1991, 5, 17), "Nữ", D(2016, 8, 19), D(2017, 8, 19), UB,
           work="Phòng Văn hóa - Xã hội, Ủy ban nhân dân xã Hòa Bình", kind="Viên chức", residence="Chi bộ Thôn Nam"),
    member("Cao Văn Sơn", "01201735", "037070000418", D(1970, 8, 15), "Nam", D(1994, 1, 8), D(1995, 1, 8), TD,
           party="Bí thư Chi bộ Thôn Đông", gov="Trưởng thôn Đông", work="Thôn Đông, xã Hòa Bình", civil="Không",
           leader="Có", group=LEADER),
    member("Lê Văn Thành", "00987612", "037058000156", D(1958, 3, 21), "Nam", D(1982, 12, 20), D(1983, 12, 20), TD,
           party="Phó Bí thư Chi bộ Thôn Đông", work="Hưu trí (nguyên giáo viên Trường Trung học cơ sở Hòa Bình)",
           civil="Không", group=OUTSIDE),
    member("Hồ Văn Phát", "01365420", "037079002689", D(1979, 6, 30), "Nam", D(2008, 3, 3), D(2009, 3, 3), TD,
           work="Giám đốc Công ty TNHH Phát Đạt (doanh nghiệp tư nhân)", civil="Không", group=OUTSIDE),
    member("Đặng Thu Trang", "", "037201009903", D(2001, 4, 10), "Nữ", D(2026, 9, 2), None, TD,
           work="Hợp tác xã Nông nghiệp Hòa Bình", civil="Không", group="",
           **{"Tình trạng": "Chưa kiểm điểm, chưa xếp loại", "Lý do": "Đảng viên mới kết nạp chưa đủ 6 tháng",
              "Ghi chú": "Kết nạp ngày 02/9/2026, chưa đủ 6 tháng: không kiểm điểm, không xếp loại năm 2026."}),
]

EVENTS = [
    {"Đảng viên": "Lê Thị Phương", "Loại": "Nghỉ thai sản", "Từ ngày": D(2026, 1, 5), "Đến ngày": D(2026, 7, 4)},
    {"Đảng viên": "Hồ Văn Phát", "Loại": "Nghỉ ốm", "Từ ngày": D(2026, 3, 10), "Đến ngày": D(2026, 3, 20)},
    {"Đảng viên": "Trần Văn Hiếu", "Loại": "Kỷ luật", "Từ ngày": D(2026, 9, 15), "Hình thức kỷ luật": "khiển trách",
     "Liên quan nhiệm vụ": "Có", "Tự phát hiện, khắc phục": "Có", "Nơi": "Phòng Kinh tế, Ủy ban nhân dân xã Hòa Bình",
     "Nội dung": "Ký xác nhận sai diện tích đất ở trong hồ sơ chuyển mục đích sử dụng đất của 01 hộ dân; tự phát hiện, "
                 "báo cáo và lập lại hồ sơ trước khi cấp giấy chứng nhận (Quyết định số 27-QĐ/UBKT ngày 15/9/2026)."},
    {"Đảng viên": "Ngô Thanh Tâm", "Loại": "Sinh hoạt tạm thời", "Nơi": "Chi bộ Trường Chính trị tỉnh Bình Nguyên (lớp trung cấp lý luận chính trị)"},
]

MEETINGS = [
    {"Tổ chức": CQD, "Ngày gửi dự thảo": D(2026, 12, 1), "Bắt đầu": T(2026, 12, 7, 7, 30), "Kết thúc": T(2026, 12, 7, 11, 30)},
    {"Tổ chức": CQD, "Bắt đầu": T(2026, 12, 7, 13, 30), "Kết thúc": T(2026, 12, 7, 17, 0)},
    {"Tổ chức": UB, "Ngày gửi dự thảo": D(2026, 12, 1), "Bắt đầu": T(2026, 12, 8, 7, 30), "Kết thúc": T(2026, 12, 8, 11, 30)},
    {"Tổ chức": UB, "Bắt đầu": T(2026, 12, 8, 13, 30), "Kết thúc": T(2026, 12, 8, 17, 0)},
    {"Tổ chức": TD, "Ngày gửi dự thảo": D(2026, 12, 2), "Bắt đầu": T(2026, 12, 9, 7, 30), "Kết thúc": T(2026, 12, 9, 11, 30)},
    {"Tổ chức": TD, "Bắt đầu": T(2026, 12, 9, 13, 30), "Kết thúc": T(2026, 12, 9, 17, 0)},
    {"Tổ chức": "Đảng bộ xã Hòa Bình", "Ngày gửi dự thảo": D(2026, 12, 3), "Bắt đầu": T(2026, 12, 10, 7, 30), "Kết thúc": T(2026, 12, 10, 11, 30)},
    {"Tổ chức": "Đảng bộ xã Hòa Bình", "Bắt đầu": T(2026, 12, 10, 13, 30), "Kết thúc": T(2026, 12, 10, 17, 0)},
]


def fill(path: Path) -> None:
    """Write the template for the year and fill its sheets by header name."""
    write_template(path, year=YEAR, overwrite=True)
    workbook = load_workbook(path)
    for title, rows in (("Tổ chức", ORGS), ("Thành viên", MEMBER_ROWS), ("Hoàn cảnh", EVENTS), ("Hội nghị", MEETINGS)):
        ws = workbook[title]
        columns = {cell.value: cell.column for cell in ws[1] if cell.value}
        for r, row in enumerate(rows, start=2):
            if "STT" in columns:
                ws.cell(row=r, column=columns["STT"], value=r - 1)
            for header, value in row.items():
                if value in ("", None):
                    continue
                cell = ws.cell(row=r, column=columns[header], value=value)
                if isinstance(value, dt.datetime):
                    cell.number_format = "DD/MM/YYYY HH:MM"
                elif isinstance(value, dt.date):
                    cell.number_format = "DD/MM/YYYY"
    stamp = dt.datetime(YEAR, 11, 20, 8, 0)
    workbook.properties.created = workbook.properties.modified = stamp
    workbook.save(path)


def members_csv() -> bytes:
    """The members sheet as Excel's "CSV UTF-8" writes it: BOM, commas, dates as dd/mm/yyyy."""
    headers = [c.header for c in table().sheet(MEMBERS).columns]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for i, row in enumerate(MEMBER_ROWS, start=1):
        values = {**row, "STT": i}
        writer.writerow([f"{v:%d/%m/%Y}" if isinstance(v, dt.date) else ("" if v is None else v) for v in (values.get(h) for h in headers)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "examples" / "roster")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / f"danh_sach_{YEAR}.xlsx"
        fill(staged)
        (args.out / staged.name).write_bytes(staged.read_bytes())
    (args.out / f"danh_sach_{YEAR}.csv").write_bytes(members_csv())
    print(f"Đã ghi {args.out / f'danh_sach_{YEAR}.xlsx'} và {args.out / f'danh_sach_{YEAR}.csv'}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
