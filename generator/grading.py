"""Pure grading arithmetic: ballot majority, quota, deductions, working days, months, days in a period.

No I/O and no regulation here: level codes and scales come in as arguments (from the ruleset), so
everything takes plain values and can be property-tested.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import cache
from typing import Iterable, Sequence


def vn(number: float) -> str:
    """A number as Vietnamese writes it: decimal comma, no trailing zeros ("1,5", "2")."""
    return f"{number:g}".replace(".", ",")


def ballot_adopted(counts: dict[str, int], denominator: int, threshold: float, levels: Sequence[str]) -> str | None:
    """The highest level whose cumulative votes (that level or higher) exceed threshold × denominator.

    ``levels`` are the ruleset's levels, best first. Example: 3 / 3 / 4 / 0 votes of 10 for levels
    A, B, C, D → cumulative 3, 6 → B (spec §3.6, Q16). None when no level reaches the majority.
    """
    if denominator <= 0:
        return None
    total = 0
    for level in levels:
        total += counts.get(level, 0)
        if total > threshold * denominator:
            return level
    return None


def quota_allowed(n_httnv: int, n_htxsnv: int, *, ratio: float, base: str = "httnv", rounding: str = "floor",
                  small_on: bool = True, small_threshold: int = 5, small_allowed: int = 1) -> tuple[int, bool]:
    """How many HTXSNV a comparison group may have, and whether the small-group exception applied.

    UNIT-QUOTA: ≤ ratio × HTTNV (or × HTTNV + HTXSNV with base ``httnv_va_htxsnv``), rounded
    per ``rounding``. UNIT-QUOTA-SMALL: fewer than ``small_threshold`` HTTNV still allow
    ``small_allowed`` (seed 004 B.6).
    """
    counted = n_httnv + (n_htxsnv if base == "httnv_va_htxsnv" else 0)
    raw = ratio * counted
    allowed = math.floor(raw + 1e-9) if rounding == "floor" else math.ceil(raw - 1e-9)
    if small_on and n_httnv < small_threshold and allowed < small_allowed:
        return small_allowed, True
    return allowed, False


def deduction_expected(target: float, achieved: float, *, per_step: float = 0.5, step_percent: float = 5,
                       cap: float = 2, rounding: str = "ceil") -> float:
    """Points to deduct for a missed target: per_step × 5 % shortfall steps, at most ``cap`` (seed 004 B.6; Q9)."""
    shortfall = max(0.0, (target - achieved) / target) * 100
    steps = shortfall / step_percent
    steps = math.ceil(steps - 1e-9) if rounding == "ceil" else math.floor(steps + 1e-9)
    return min(cap, per_step * steps)


@cache
def _vietnam_calendar(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """(public holidays, weekend days worked in exchange for a bridge holiday) of Vietnam in ``year``."""
    import holidays

    calendar = holidays.country_holidays("VN", years=year)
    return frozenset(calendar), frozenset(d for d in getattr(calendar, "weekend_workdays", ()) if d.year == year)


def is_working_day(day: dt.date, extra_days_off: Iterable[dt.date] = ()) -> bool:
    """Monday–Friday or a weekend day worked in exchange for a bridge holiday (26/4/2025), not a Vietnamese public
    holiday (Tết included), not a locality extra day off."""
    days_off, swapped = _vietnam_calendar(day.year)
    return (day.weekday() < 5 or day in swapped) and day not in days_off and day not in set(extra_days_off)


def working_days_before(sent: dt.date, meeting: dt.date, extra_days_off: Iterable[dt.date] = ()) -> int:
    """Working days from ``sent`` (included) up to ``meeting`` (excluded) (DATE-NOTICE, Q20)."""
    extra = set(extra_days_off)
    days, day = 0, sent
    while day < meeting:
        days += is_working_day(day, extra)
        day += dt.timedelta(days=1)
    return days


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus calendar months, clamped to the month's last day (spec §3.0: D + 6 months)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        return dt.date.max if year > dt.MAXYEAR else dt.date.min
    last = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return dt.date(year, month, min(day.day, last))


def days_in_period(periods: Iterable[tuple[dt.date, dt.date]], start: dt.date, end: dt.date) -> int:
    """Total days of the given (from, to) periods that fall within [start, end], both ends included."""
    total = 0
    for lo, hi in periods:
        lo, hi = max(lo, start), min(hi, end)
        if hi >= lo:
            total += (hi - lo).days + 1
    return total
