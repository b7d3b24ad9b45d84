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


# -- canonical text, data, labels ------------------------------------------------------------------
TEXTS = [
    # (period, str, slug, to_data, label_vi, phrase_vi, title_vi)
    (Period(2024), "2024", "2024", {"nam": 2024}, "năm 2024", "năm 2024", "Năm 2024"),
    (Period(2026, 1), "2026-Q1", "2026_q1", {"nam": 2026, "quy": 1}, "quý 1 năm 2026", "quý I năm 2026", "Quý I năm 2026"),
    (Period(2026, 2), "2026-Q2", "2026_q2", {"nam": 2026, "quy": 2}, "quý 2 năm 2026", "quý II năm 2026", "Quý II năm 2026"),
    (Period(2026, 3), "2026-Q3", "2026_q3", {"nam": 2026, "quy": 3}, "quý 3 năm 2026", "quý III năm 2026", "Quý III năm 2026"),
    (Period(2026, 4), "2026-Q4", "2026_q4", {"nam": 2026, "quy": 4}, "quý 4 năm 2026", "quý IV năm 2026", "Quý IV năm 2026"),
]


@pytest.mark.parametrize(("period", "text", "slug", "data", "label", "phrase", "title"), TEXTS, ids=[row[1] for row in TEXTS])
def test_period_has_its_canonical_text_file_name_data_and_labels(period, text, slug, data, label, phrase, title):
    assert (str(period), period.slug, period.to_data(), period.label_vi, period.phrase_vi, period.title_vi) == (text, slug, data, label, phrase, title)


@pytest.mark.parametrize(("period", "text"), [(row[0], row[1]) for row in TEXTS], ids=[row[1] for row in TEXTS])
def test_canonical_text_and_data_round_trip(period, text):
    assert Period.parse(text) == period
    assert Period.of(period.to_data()) == period


@pytest.mark.parametrize(("text", "expected"), [("2026-q3", Period(2026, 3)), (" 2024 ", Period(2024)), ("2030-Q4", Period(2030, 4))])
def test_parse_accepts_a_lower_case_quarter_and_surrounding_spaces(text, expected):
    assert Period.parse(text) == expected


@pytest.mark.parametrize("text", ["", "26", "2026-Q5", "2026-Q0", "2026Q3", "Q3/2026", "2026-3", "năm 2026", "2026-Q3-x", None, 2026])
def test_parse_refuses_anything_else_in_vietnamese(text):
    with pytest.raises(ValueError, match="Kỳ đánh giá .* không hợp lệ"):
        Period.parse(text)


# -- arithmetic --------------------------------------------------------------------------------------
STEPS = [
    # (period, next, previous)
    (Period(2024), Period(2025), Period(2023)),
    (Period(2026, 1), Period(2026, 2), Period(2025, 4)),
    (Period(2026, 2), Period(2026, 3), Period(2026, 1)),
    (Period(2026, 3), Period(2026, 4), Period(2026, 2)),
    (Period(2026, 4), Period(2027, 1), Period(2026, 3)),
]


@pytest.mark.parametrize(("period", "following", "preceding"), STEPS, ids=[str(row[0]) for row in STEPS])
def test_next_and_previous_step_by_one_period_of_the_same_kind(period, following, preceding):
    assert period.next() == following and period.previous() == preceding
    assert following.previous() == period and preceding.next() == period
    assert following.start == period.end + dt.timedelta(days=1)  # no gap, no overlap
    assert preceding.end == period.start - dt.timedelta(days=1)


@pytest.mark.parametrize("period", [Period(2026), Period(2026, 1), Period(2026, 4)], ids=str)
def test_quarters_are_the_four_quarters_of_the_periods_year_and_annual_its_year(period):
    assert period.quarters() == (Period(2026, 1), Period(2026, 2), Period(2026, 3), Period(2026, 4))
    assert period.annual == Period(2026)


def test_four_steps_of_next_go_round_a_year():
    period = Period(2025, 3)
    for _ in range(4):
        period = period.next()
    assert period == Period(2026, 3)


def test_periods_sort_by_year_then_quarters_before_their_year():
    shuffled = [Period(2026), Period(2025, 4), Period(2026, 3), Period(2025), Period(2026, 1)]
    assert sorted(shuffled) == [Period(2025, 4), Period(2025), Period(2026, 1), Period(2026, 3), Period(2026)]
    assert Period(2026, 4) < Period(2026) < Period(2027, 1)
    assert max(Period(2026).quarters()) == Period(2026, 4)


def test_periods_are_values():
    assert Period(2026, 3) == Period.parse("2026-Q3") and hash(Period(2026, 3)) == hash(Period.parse("2026-Q3"))
    assert Period(2026) != Period(2026, 1)
    assert len({Period(2026), Period(2026, None), Period.of({"nam": 2026, "quy": None})}) == 1
