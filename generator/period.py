"""The evaluation period (kỳ đánh giá): a year, or a quarter of a year (Quy định 366-QĐ/TW)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, order=True)
class Period:
    """One evaluation period: ``Period(2024)`` is the year 2024, ``Period(2026, 1)`` its first quarter."""

    year: int
    quarter: int | None = None

    @classmethod
    def of(cls, data: dict[str, Any]) -> "Period":
        """The period of a form or a unit from its ``ky_danh_gia`` ({nam, quy})."""
        return cls(data["nam"], data.get("quy") or None)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1 if self.quarter is None else 3 * self.quarter - 2, 1)

    @property
    def end(self) -> dt.date:
        if self.quarter is None or self.quarter == 4:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, 3 * self.quarter + 1, 1) - dt.timedelta(days=1)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def label_vi(self) -> str:
        """"năm 2024", "quý 1 năm 2026"."""
        return f"quý {self.quarter} năm {self.year}" if self.quarter else f"năm {self.year}"

    @property
    def kind(self) -> str:
        """``nam`` or ``quy``: the period kinds a ruleset lists (``ky``)."""
        return "quy" if self.quarter else "nam"
