"""Quarter periods across the stages (issue 12): working days and days across quarter boundaries
(generator/grading.py with generator/period.py), and what a quarter changes in a dossier's names
(generator/assemble.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.assemble import bundle_description, unit_zip_name
from generator.grading import days_in_period, is_working_day, working_days_before
from generator.period import Period

D = dt.date

# -- working days (DATE-NOTICE) across quarter and year boundaries -------------------------------------
NOTICES = [
    # (sent, meeting, working days from sent up to the meeting, what the window crosses)
    (D(2026, 3, 27), D(2026, 4, 2), 4, "Q1→Q2 2026, no holiday: 27, 30, 31/3, 1/4"),
    (D(2025, 3, 28), D(2025, 4, 8), 6, "Q1→Q2 2025 with Giỗ Tổ Hùng Vương (Mon 7/4)"),
    (D(2026, 6, 26), D(2026, 7, 3), 5, "Q2→Q3 2026, no holiday"),
    (D(2026, 9, 28), D(2026, 10, 5), 5, "Q3→Q4 2026, no holiday"),
    (D(2026, 12, 28), D(2027, 1, 8), 8, "Q4 2026→Q1 2027: New Year's Day (Fri 1/1/2027) only"),
    (D(2024, 12, 23), D(2025, 2, 3), 24, "Q4 2024→Q1 2025 across New Year, then Tết Ất Tỵ (Mon 27/1–Fri 31/1/2025)"),
    (D(2025, 12, 29), D(2026, 1, 5), 4, "Q4 2025→Q1 2026: 29, 30, 31/12, then 2/1"),
    (D(2026, 2, 13), D(2026, 2, 24), 2, "Tết Bính Ngọ inside Q1 2026 (Mon 16/2–Fri 20/2)"),
    (D(2027, 1, 29), D(2027, 2, 12), 5, "Tết Đinh Mùi 2027 (Thu 4/2–Wed 10/2)"),
    (D(2026, 4, 24), D(2026, 5, 5), 4, "30/4–1/5/2026 and Giỗ Tổ observed (Mon 27/4)"),
    (D(2025, 8, 28), D(2025, 9, 4), 3, "Quốc khánh 1–2/9/2025, the last month of Q3"),
]


@pytest.mark.parametrize(("sent", "meeting", "expected", "why"), NOTICES, ids=[row[3] for row in NOTICES])
def test_working_days_before_a_meeting_count_holidays_of_each_year_across_quarters(sent, meeting, expected, why):
    assert working_days_before(sent, meeting) == expected


@pytest.mark.parametrize("sent", [row[0] for row in NOTICES])
def test_working_days_of_a_window_are_the_sum_of_its_parts_in_each_quarter(sent):
    """Cutting a notice window at a quarter boundary changes nothing: the count is per day, never per period."""
    meeting = next(row[1] for row in NOTICES if row[0] == sent)
    cut = Period(sent.year, (sent.month - 1) // 3 + 1).next().start
    if not sent < cut < meeting:
        cut = sent + (meeting - sent) / 2
    assert working_days_before(sent, cut) + working_days_before(cut, meeting) == working_days_before(sent, meeting)


def test_a_locality_day_off_after_new_year_is_not_a_working_day():
    assert working_days_before(D(2025, 12, 29), D(2026, 1, 5), extra_days_off=[D(2026, 1, 2)]) == 3


@pytest.mark.parametrize(("day", "working"), [
    (D(2025, 1, 27), False),  # 29 Tết, a Monday
    (D(2026, 2, 17), False),  # mùng 1 Tết Bính Ngọ
    (D(2026, 3, 31), True),   # last day of Q1 2026
    (D(2026, 4, 1), True),    # first day of Q2 2026
    (D(2026, 4, 30), False),
    (D(2026, 5, 1), False),
    (D(2026, 9, 2), False),
    (D(2026, 10, 1), True),   # first day of Q4 2026
    (D(2027, 1, 1), False),   # first day of Q1 2027
])
def test_quarter_boundaries_and_holidays_are_told_apart(day, working):
    assert is_working_day(day) is working


def test_a_saturday_swapped_into_a_working_day_counts():
    # 30/4–4/5/2025 off (2/5 swapped with Saturday 26/4): 25, 26, 28, 29/4 and 5/5 are working days.
    assert working_days_before(D(2025, 4, 25), D(2025, 5, 6)) == 5


# -- days of a leave within a quarter ----------------------------------------------------------------
LEAVES = [
    # (leave from, leave to, days in Q1, Q2, Q3, Q4 of 2026)
    (D(2026, 3, 20), D(2026, 4, 10), (12, 10, 0, 0)),
    (D(2025, 12, 15), D(2026, 1, 15), (15, 0, 0, 0)),
    (D(2026, 6, 30), D(2026, 10, 1), (0, 1, 92, 1)),
    (D(2026, 1, 1), D(2026, 12, 31), (90, 91, 92, 92)),
]


@pytest.mark.parametrize(("start", "end", "by_quarter"), LEAVES, ids=[f"{row[0]}..{row[1]}" for row in LEAVES])
def test_days_of_a_leave_in_each_quarter_add_up_to_the_days_in_the_year(start, end, by_quarter):
    year = Period(2026)
    counted = tuple(days_in_period([(start, end)], q.start, q.end) for q in year.quarters())
    assert counted == by_quarter
    assert sum(counted) == days_in_period([(start, end)], year.start, year.end)


# -- dossier names (assemble) ------------------------------------------------------------------------
@pytest.mark.parametrize(("period", "name"), [
    (Period(2024), "chi_bo_thu_2024.zip"),
    (Period(2026, 3), "chi_bo_thu_2026_q3.zip"),
    (Period(2027, 1), "chi_bo_thu_2027_q1.zip"),
])
def test_the_unit_zip_carries_the_quarter_and_keeps_the_year_name(period, name):
    assert unit_zip_name("Chi bộ Thử", period) == name


@pytest.mark.parametrize(("period", "title", "subject", "keywords"), [
    (Period(2024), "Hồ sơ cá nhân: Nguyễn Văn A — năm 2024", "Nguyễn Văn A — năm 2024 — qd366",
     "hồ sơ kiểm điểm, đánh giá, xếp loại; qd366; năm 2024"),
    (Period(2026, 3), "Hồ sơ cá nhân: Nguyễn Văn A — quý 3 năm 2026", "Nguyễn Văn A — quý 3 năm 2026 — qd366",
     "hồ sơ kiểm điểm, đánh giá, xếp loại; qd366; quý 3 năm 2026"),
], ids=str)
def test_the_merged_pdf_names_the_units_period(period, title, subject, keywords):
    assert bundle_description("cá nhân", "Nguyễn Văn A", period, "qd366") == {"title": title, "subject": subject, "keywords": keywords}
