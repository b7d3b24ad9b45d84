"""The evaluation period (generator/period.py): a year or a quarter, its bounds and its Vietnamese label."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.period import Period

D = dt.date

PERIODS = [
    # (period, start, end, label_vi, kind)
    (Period(2024), D(2024, 1, 1), D(2024, 12, 31), "năm 2024", "nam"),
    (Period(2026, 1), D(2026, 1, 1), D(2026, 3, 31), "quý 1 năm 2026", "quy"),
    (Period(2026, 2), D(2026, 4, 1), D(2026, 6, 30), "quý 2 năm 2026", "quy"),
    (Period(2026, 3), D(2026, 7, 1), D(2026, 9, 30), "quý 3 năm 2026", "quy"),
    (Period(2026, 4), D(2026, 10, 1), D(2026, 12, 31), "quý 4 năm 2026", "quy"),
    (Period(2028, 1), D(2028, 1, 1), D(2028, 3, 31), "quý 1 năm 2028", "quy"),
]


@pytest.mark.parametrize(("period", "start", "end", "label", "kind"), PERIODS, ids=lambda v: v.label_vi if isinstance(v, Period) else None)
def test_period_has_its_bounds_label_and_kind(period, start, end, label, kind):
    assert (period.start, period.end, period.label_vi, period.kind) == (start, end, label, kind)


@pytest.mark.parametrize(("period", "start", "end", "label", "kind"), PERIODS, ids=lambda v: v.label_vi if isinstance(v, Period) else None)
def test_period_contains_exactly_the_days_from_start_to_end(period, start, end, label, kind):
    one = dt.timedelta(days=1)
    assert period.contains(start) and period.contains(end) and period.contains(start + (end - start) / 2)
    assert not period.contains(start - one)
    assert not period.contains(end + one)


def test_the_quarters_of_a_year_cover_it_without_gap_or_overlap():
    year = Period(2026)
    quarters = [Period(2026, q) for q in (1, 2, 3, 4)]
    assert quarters[0].start == year.start and quarters[-1].end == year.end
    for before, after in zip(quarters, quarters[1:]):
        assert after.start - before.end == dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"nam": 2024}, Period(2024)),
        ({"nam": 2024, "quy": None}, Period(2024)),
        ({"nam": 2026, "quy": 2}, Period(2026, 2)),
    ],
)
def test_period_of_reads_ky_danh_gia(data, expected):
    assert Period.of(data) == expected
