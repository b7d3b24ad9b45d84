"""The evaluation period (kỳ đánh giá): a year, or a quarter of a year (Quy định 366-QĐ/TW)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import total_ordering
from typing import Any

ROMAN = ("I", "II", "III", "IV")
"""Quarter numerals as Vietnamese documents write them: "Quý III năm 2026"."""
_TEXT = re.compile(r"(\d{4})(?:-[Qq]([1-4]))?")


@total_ordering
@dataclass(frozen=True)
class Period:
    """One evaluation period: ``Period(2024)`` is the year 2024, ``Period(2026, 1)`` its first quarter.

    Periods sort by year, and within a year the four quarters come before the year they build
    (Q1 < Q2 < Q3 < Q4 < the year): the order in which their evaluations close.
    """

    year: int
    quarter: int | None = None

    @classmethod
    def of(cls, data: dict[str, Any]) -> "Period":
        """The period of a form or a unit from its ``ky_danh_gia`` ({nam, quy})."""
        return cls(data["nam"], data.get("quy") or None)

    @classmethod
    def parse(cls, text: str) -> "Period":
        """The period of its canonical text, ``str(period)``: "2024" or "2026-Q3" ("2026-q3" too).

        Raises ValueError (message in Vietnamese) for any other text.
        """
        match = _TEXT.fullmatch(text.strip()) if isinstance(text, str) else None
        if match is None:
            raise ValueError(f"Kỳ đánh giá {text!r} không hợp lệ: ghi năm (ví dụ 2024) hoặc năm và quý (ví dụ 2026-Q3).")
        return cls(int(match[1]), int(match[2]) if match[2] else None)

    def __str__(self) -> str:
        """Canonical text: "2024", "2026-Q3" (what the archive index stores)."""
        return f"{self.year}-Q{self.quarter}" if self.quarter else str(self.year)

    def _key(self) -> tuple[int, int]:
        return self.year, self.quarter or 5

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._key() < other._key()

    def to_data(self) -> dict[str, int]:
        """The ``ky_danh_gia`` of this period: {"nam": 2024} or {"nam": 2026, "quy": 3}."""
        return {"nam": self.year, "quy": self.quarter} if self.quarter else {"nam": self.year}

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
    def annual(self) -> "Period":
        """The year this period belongs to (itself for a year)."""
        return Period(self.year)

    def quarters(self) -> tuple["Period", ...]:
        """The four quarters of this period's year, in order."""
        return tuple(Period(self.year, q) for q in range(1, 5))

    def next(self) -> "Period":
        """The following period of the same kind: the next quarter (Q4 → Q1 of the next year), or the next year."""
        if self.quarter is None:
            return Period(self.year + 1)
        return Period(self.year + 1, 1) if self.quarter == 4 else Period(self.year, self.quarter + 1)

    def previous(self) -> "Period":
        """The preceding period of the same kind: the quarter before (Q1 → Q4 of the year before), or the year before."""
        if self.quarter is None:
            return Period(self.year - 1)
        return Period(self.year - 1, 4) if self.quarter == 1 else Period(self.year, self.quarter - 1)

    @property
    def label_vi(self) -> str:
        """"năm 2024", "quý 1 năm 2026": for messages and listings."""
        return f"quý {self.quarter} năm {self.year}" if self.quarter else f"năm {self.year}"

    @property
    def phrase_vi(self) -> str:
        """"năm 2024", "quý III năm 2026": the period inside a document's sentence, quarters in Roman numerals."""
        return f"quý {ROMAN[self.quarter - 1]} năm {self.year}" if self.quarter else f"năm {self.year}"

    @property
    def title_vi(self) -> str:
        """"Năm 2024", "Quý III năm 2026": the period opening a title or a heading."""
        phrase = self.phrase_vi
        return phrase[0].upper() + phrase[1:]

    @property
    def slug(self) -> str:
        """The period in file names: "2024", "2026_q3"."""
        return f"{self.year}_q{self.quarter}" if self.quarter else str(self.year)

    @property
    def kind(self) -> str:
        """``nam`` or ``quy``: the period kinds a ruleset lists (``ky``)."""
        return "quy" if self.quarter else "nam"
