"""Speed of ``hoso init``: a 1,000-member, 40-chi-bộ roster read, checked and written as a unit of 1,041 files.

Run: ``.venv/bin/python benchmarks/bench_roster.py [--members 1000] [--chi-bo 40] [--nam 2026] [--lap 1]``.
The roster is hoso's own template filled with generated people (openpyxl, as a clerk's Excel would save it); then
``init_unit`` runs in this process on a new folder (every skeleton form written) and once more on the same folder
with the same roster (a re-import that changes nothing). Target (issue 13): the first run under 30 s on a 2-core
machine. A script, not a test: machines are shared and noisy, so nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.intake import init_unit  # noqa: E402
from generator.roster import write_template  # noqa: E402

TARGET_SECONDS = 30.0
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Quốc", "Ngọc", "Thu", "Kim", "Xuân", "Hồng"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hiếu", "Hoa", "Hùng", "Khánh", "Lan", "Linh", "Long", "Mai",
         "Nam", "Nga", "Phong", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Trung", "Tuấn", "Vân", "Yến"]


def make_roster(path: Path, members: int, branches: int, year: int, seed: int = 13) -> None:
    """A filled roster: a đảng bộ xã, ``branches`` chi bộ, ``members`` people, a few circumstances and meetings."""
    rng = random.Random(seed)
    write_template(path, year=year, overwrite=True)
    workbook = load_workbook(path)
    orgs = workbook["Tổ chức"]
    top = "Đảng bộ xã Thử Nghiệm"
    orgs.append([top, "Đảng bộ xã, phường, đặc khu trực thuộc tỉnh", "Đảng bộ tỉnh Thử Nghiệm", None, dt.date(year - 1, 7, 1)])
    names = [f"Chi bộ Thôn {i + 1:02d}" for i in range(branches)]
    for name in names:
        orgs.append([name, "Chi bộ trực thuộc" if rng.random() < 0.2 else "Chi bộ cơ sở", top, None, dt.date(year - 1, 7, 1)])
    people = workbook["Thành viên"]
    header = [c.value for c in people[1]]
    col = {h: i for i, h in enumerate(header)}
    roles = {True: "Cá nhân giữ chức vụ lãnh đạo, quản lý", False: "Cá nhân không giữ chức vụ lãnh đạo, quản lý"}
    outside = "Đảng viên không làm việc trong hệ thống chính trị"
    seen = set()
    for n in range(members):
        while True:
            name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            born = dt.date(rng.randint(1945, year - 26), rng.randint(1, 12), rng.randint(1, 28))
            if (name, born) not in seen:
                seen.add((name, born))
                break
        leader = n % 25 == 0
        civil = leader or rng.random() < 0.5
        row = [None] * len(header)
        row[col["STT"]] = n + 1
        row[col["Họ và tên"]] = name
        row[col["Số thẻ đảng viên"]] = f"{10000000 + n:08d}" if n % 3 else 10000000 + n  # some cells typed as numbers
        row[col["Ngày sinh"]] = born if n % 2 else f"{born:%d/%m/%Y}"
        row[col["Ngày vào Đảng"]] = dt.date(born.year + 25, rng.randint(1, 12), rng.randint(1, 28))
        row[col["Chi bộ"]] = names[n % branches]
        row[col["Chức vụ Đảng"]] = f"Bí thư {names[n % branches]}" if leader else None
        row[col["Đơn vị công tác"]] = "Ủy ban nhân dân xã" if civil else "Hưu trí"
        row[col["CB-CC-VC"]] = "Có" if civil else "Không"
        row[col["Lãnh đạo, quản lý"]] = "Có" if leader else "Không"
        if "Nhóm đối tượng" in col:
            row[col["Nhóm đối tượng"]] = roles[leader] if civil else outside
        people.append(row)
    events = workbook["Hoàn cảnh"]
    for n in range(0, members, 50):
        events.append([f"{10000000 + n:08d}", "Nghỉ ốm", dt.date(year, 3, 1), dt.date(year, 3, 10)])  # by card: namesakes
    meetings = workbook["Hội nghị"]
    for name in [top, *names]:
        meetings.append([name, dt.date(year, 12, 1), dt.datetime(year, 12, 8, 7, 30), dt.datetime(year, 12, 8, 11, 30)])
        meetings.append([name, None, dt.datetime(year, 12, 8, 13, 30), dt.datetime(year, 12, 8, 17, 0)])
    workbook.save(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--chi-bo", dest="branches", type=int, default=40)
    parser.add_argument("--nam", dest="year", type=int, default=2026)
    parser.add_argument("--lap", type=int, default=1, help="runs of the first import; the fastest counts")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        roster = Path(tmp) / "danh_sach.xlsx"
        start = time.perf_counter()
        make_roster(roster, args.members, args.branches, args.year)
        print(f"Tạo danh sách {args.members} đảng viên, {args.branches} chi bộ: {time.perf_counter() - start:.1f} s")
        best, result = None, None
        for lap in range(args.lap):
            unit = Path(tmp) / f"don_vi_{lap}"
            start = time.perf_counter()
            result = init_unit(unit, roster)
            seconds = time.perf_counter() - start
            best = seconds if best is None else min(best, seconds)
        errors = [f for f in result.findings if f.severity == "error"]
        print(f"hoso init (đơn vị mới): {best:.1f} s, {len(result.written)} tệp, {len(errors)} lỗi "
              f"(mục tiêu < {TARGET_SECONDS:.0f} s: {'đạt' if best < TARGET_SECONDS and not errors else 'KHÔNG ĐẠT'})")
        for f in errors[:5]:
            print(f"  {f.file}: {f.json_path}: {f.message_vi}")
        start = time.perf_counter()
        again = init_unit(Path(tmp) / "don_vi_0", roster)
        print(f"hoso init lần hai (nhập lại, không đổi gì): {time.perf_counter() - start:.1f} s, {len(again.written)} tệp ghi, "
              f"{len(again.changes)} thay đổi")
        return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
