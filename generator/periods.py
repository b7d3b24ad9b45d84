"""A subject's periods side by side (issue 12): the quarters and the year of one organisation, per member and collective.

``period_table`` loads several units of the same organisation (quarters and years, in any order), lines their periods
up (each year with its four quarters, so a missing quarter shows), and gives for every member and collective, in each
period: the self-assessed level, the proposed level, the decided level, the level in effect and the total score
(field ``tong_diem`` of the ruleset's field map). A year's record may also list the quarterly results
(``ket_qua_quy`` of its manifest): they fill the quarters for which no unit was given, and a quarter unit that says
otherwise is a finding. Each row ends with a summary per year. ``render_text`` and ``render_json`` show the table.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .findings import Finding, escape, sort_key
from .grading import vn
from .period import ROMAN, Period
from .ruleset import Ruleset
from .scoring import computed_total, scoring
from .source import MANIFEST, load_unit
from .unit import Located, Member, Subject, Unit, field_of, parse_date, value_of

RULE = "PERIOD-TABLE"
"""Rule id of what ``period_table`` reports: units it cannot line up, a subject it cannot find, quarters that disagree."""
BASIS = "Kết quả đánh giá hằng quý là căn cứ đánh giá hằng năm (Quy định 366-QĐ/TW, Điều 15, khoản 1)"

FROM_UNIT = "don_vi"
"""``Cell.source``: read from the unit of that period."""
FROM_YEAR = "ket_qua_quy"
"""``Cell.source``: read from the year's manifest (``ket_qua_quy``), no unit of that quarter being given."""
KIND_VI = {"thanh_vien": "đảng viên", "to_chuc": "tập thể"}


@dataclass(frozen=True)
class Cell:
    """One subject in one period."""

    period: Period
    present: bool = False
    """The subject is in the unit of that period (or in the year's record of its quarters)."""
    source: str | None = None
    """Where the values come from: FROM_UNIT, FROM_YEAR, or None (no unit of that period, or not in it)."""
    status: str | None = None
    """A member not reviewed or not graded (``tinh_trang`` other than ``xep_loai``)."""
    self_level: str | None = None
    proposed: str | None = None
    decided: str | None = None
    level: str | None = None
    """The level in effect (the model's precedence: re-grading, decision, ballot, proposal, self-assessment)."""
    score: float | None = None
    file: str | None = None


@dataclass(frozen=True)
class YearSummary:
    """A subject's quarters and year of one year."""

    year: int
    quarters_with_level: tuple[int, ...]
    quarters_missing: tuple[int, ...]
    """Quarters with no level, except those that ended before the subject existed (admission, founding)."""
    mean_quarter_score: float | None
    lowest_quarter_level: str | None
    highest_quarter_level: str | None
    year_level: str | None
    year_score: float | None


@dataclass(frozen=True)
class Row:
    kind: str
    """``thanh_vien`` or ``to_chuc``."""
    code: str
    name: str
    parent: str
    """The member's chi bộ or the organisation above, by name (from the latest unit that has the subject)."""
    cells: tuple[Cell, ...]
    summaries: tuple[YearSummary, ...]


@dataclass(frozen=True)
class PeriodTable:
    unit_name: str
    periods: tuple[Period, ...]
    """The columns: each year's four quarters (when its ruleset evaluates quarters), then the year when its unit was given."""
    files: dict[Period, str] = field(default_factory=dict)
    """The manifest read for each period that has a unit."""
    rows: tuple[Row, ...] = ()
    findings: tuple[Finding, ...] = ()
    status_names: dict[str, str] = field(default_factory=dict)
    """Names of the members' statuses (the latest unit's ruleset, ``nhan.tinh_trang``)."""

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)


def period_table(units: list[Path], subject: str | None = None, *, locality_file: Path | None = None,
                 shared: tuple[Path, ...] = ()) -> PeriodTable:
    """Line up the periods of several units of one organisation; every member and collective, or only ``subject`` (a code).

    Returns the table; its ``findings`` hold errors (a unit that cannot be read, two units of one period, units of
    different organisations, an unknown subject: no rows then) and warnings (a year's record of a quarter that differs
    from the quarter's unit).
    """
    findings: list[Finding] = []
    loaded: dict[Period, Unit] = {}
    for path in units:
        found, unit = load_unit(Path(path), locality_file, shared)
        findings += [f for f in found if f.severity == "error"]
        if unit is None:
            continue
        if unit.period in loaded:
            findings.append(_error(unit.path, "$.ky_danh_gia", f"Hai đơn vị cùng kỳ {unit.period.label_vi}: {loaded[unit.period].path} và {unit.path}."))
            continue
        loaded[unit.period] = unit
    if len(loaded) < len(units) or not loaded:
        return PeriodTable("", (), findings=tuple(findings))
    ordered = [loaded[p] for p in sorted(loaded)]
    latest = ordered[-1]
    for unit in ordered[:-1]:
        findings += _same_organisation(unit, latest)
    if any(f.severity == "error" for f in findings):
        return PeriodTable("", (), findings=tuple(findings))
    periods = _columns(ordered)
    codes = _subjects(ordered)
    if subject is not None:
        if subject not in codes:
            findings.append(_error(latest.path, "$", f"Không có đảng viên hay tổ chức mã '{subject}' trong các đơn vị đã cho."))
            return PeriodTable(latest.data["don_vi"]["ten"], tuple(periods), _files(loaded), findings=tuple(findings))
        codes = {subject: codes[subject]}
    rows = tuple(_row(kind, code, loaded, periods, findings) for code, kind in codes.items())
    return PeriodTable(latest.data["don_vi"]["ten"], tuple(periods), _files(loaded), rows, tuple(findings),
                       latest.ruleset.vocabulary("tinh_trang"))


def _error(file: str, path: str, message: str, severity: str = "error") -> Finding:
    return Finding(RULE, severity, file, path, message, BASIS)


def _files(loaded: dict[Period, Unit]) -> dict[Period, str]:
    return {p: u.path for p, u in sorted(loaded.items())}


def _same_organisation(unit: Unit, latest: Unit) -> list[Finding]:
    mine, theirs = unit.data["don_vi"], latest.data["don_vi"]
    if mine["to_chuc_co_so"] != theirs["to_chuc_co_so"]:
        return [_error(unit.path, "$.don_vi.to_chuc_co_so",
                       f"Đơn vị {unit.period.label_vi} ({mine['ten']}, tổ chức cơ sở '{mine['to_chuc_co_so']}') không phải đơn vị "
                       f"{latest.period.label_vi} ({theirs['ten']}, '{theirs['to_chuc_co_so']}'): chỉ đặt cạnh nhau các kỳ của một đơn vị.")]
    if mine["ten"] != theirs["ten"]:
        return [_error(unit.path, "$.don_vi.ten", f"Tên đơn vị {unit.period.label_vi} ('{mine['ten']}') khác tên {latest.period.label_vi} "
                                                  f"('{theirs['ten']}'): kiểm tra lại có cùng một đơn vị không.", "warning")]
    return []


def _columns(units: list[Unit]) -> list[Period]:
    """Each year's quarters (when a unit of that year is evaluated by quarter under its ruleset) and the year if given."""
    columns: list[Period] = []
    for year in sorted({u.period.year for u in units}):
        of_year = [u for u in units if u.period.year == year]
        if any(u.period.quarter is not None or u.ruleset.accepts(Period(year, 1)) for u in of_year):
            columns += Period(year).quarters()
        if any(u.period.quarter is None for u in of_year):
            columns.append(Period(year))
    return columns


def _subjects(units: list[Unit]) -> dict[str, str]:
    """Every subject code (organisations, then members; latest unit first, in its order) with its list."""
    codes: dict[str, str] = {}
    for kind in ("to_chuc", "thanh_vien"):
        for unit in reversed(units):
            for raw in unit.data[kind]:
                codes.setdefault(raw["ma"], kind)
    return {code: kind for code, kind in sorted(codes.items(), key=lambda item: item[1] == "thanh_vien")}


def _subject(unit: Unit, kind: str, code: str) -> Subject | None:
    return unit.member(code) if kind == "thanh_vien" else unit.org(code)


def _row(kind: str, code: str, loaded: dict[Period, Unit], periods: list[Period], findings: list[Finding]) -> Row:
    newest = next(u for p, u in sorted(loaded.items(), reverse=True) if _subject(u, kind, code) is not None)
    subject = _subject(newest, kind, code)
    parent_code = subject.raw.get("chi_bo" if kind == "thanh_vien" else "thuoc")
    parent = newest.org(parent_code)
    cells = []
    for period in periods:
        unit = loaded.get(period)
        year_unit = loaded.get(period.annual) if period.quarter else None
        own = _cell(unit, kind, code, period) if unit is not None else None
        recorded = _recorded(year_unit, kind, code, period) if year_unit is not None else None
        if own is not None and recorded is not None and recorded.level and own.level and recorded.level != own.level:
            findings.append(_error(recorded.file, _recorded_path(year_unit, kind, code, period),
                                   f"{subject_name(subject)}: {period.label_vi} ghi {recorded.level} trong {MANIFEST} của năm, "
                                   f"nhưng đơn vị {period.label_vi} xếp {own.level}.", "warning"))
        cells.append(own or recorded or Cell(period))
    summaries = tuple(_summary(year, cells, subject, newest.ruleset) for year in sorted({p.year for p in periods}))
    return Row(kind, code, subject_name(subject), parent.name if parent is not None else "", tuple(cells), summaries)


def subject_name(subject: Subject) -> str:
    return subject.name or subject.ma


def _cell(unit: Unit, kind: str, code: str, period: Period) -> Cell:
    s = _subject(unit, kind, code)
    if s is None:
        return Cell(period, source=None, file=unit.path)
    forms = [f for f in (s.form, s.score_form) if f is not None]
    forms += [d for d in unit.documents if d.data.get(kind) == code]
    own = _field(forms, "muc_tu_nhan")
    proposed = _field(forms, "muc_de_xuat") or _located(s, "tham_dinh", "muc")
    level = s.level()
    voted = s.voted() if isinstance(s, Member) else None
    stages = [loc for loc in (own, proposed, voted) if loc is not None]
    decided = level if level is not None and not any(_same(level, loc) for loc in stages) else None
    effective = level or proposed or own
    status = s.raw.get("tinh_trang") if isinstance(s, Member) and s.status != "xep_loai" else None
    return Cell(period, True, FROM_UNIT, status, value_of(own), value_of(proposed), value_of(decided), value_of(effective),
                _score(unit, s, forms), _file_of(s, forms, unit))


def _field(forms: list, name: str) -> Located | None:
    for form in forms:
        found = field_of(form, name)
        if found is not None and found.value not in (None, ""):
            return found
    return None


def _located(s: Subject, *keys: str) -> Located | None:
    found = s.at(*keys)
    return found if found.value not in (None, "") else None


def _same(a: Located, b: Located) -> bool:
    return (a.file, a.path) == (b.file, b.path)


def _score(unit: Unit, s: Subject, forms: list) -> float | None:
    found = value_of(_field(forms, "tong_diem"))
    if isinstance(found, (int, float)) and not isinstance(found, bool):
        return found
    return computed_total(unit.settings, s)[0] if scoring(s) is not None else None


def _file_of(s: Subject, forms: list, unit: Unit) -> str:
    return forms[0].path if forms else unit.path


def _recorded(year_unit: Unit, kind: str, code: str, period: Period) -> Cell | None:
    s = _subject(year_unit, kind, code)
    if s is None:
        return None
    for item in s.raw.get("ket_qua_quy") or []:
        if item.get("quy") == period.quarter:
            return Cell(period, True, FROM_YEAR, level=item.get("muc"), score=item.get("diem"), file=year_unit.path)
    return None


def _recorded_path(year_unit: Unit, kind: str, code: str, period: Period) -> str:
    s = _subject(year_unit, kind, code)
    index = next(i for i, item in enumerate(s.raw.get("ket_qua_quy") or []) if item.get("quy") == period.quarter)
    return s.at("ket_qua_quy", index, "muc").path


def _summary(year: int, cells: list[Cell], subject: Subject, ruleset: Ruleset) -> YearSummary:
    since = parse_date(subject.raw.get("ngay_vao_dang" if subject.kind == "thanh_vien" else "ngay_thanh_lap"))
    quarters = [c for c in cells if c.period.year == year and c.period.quarter is not None]
    graded = [c for c in quarters if c.level]
    missing = [c.period.quarter for c in quarters if not c.level and (since is None or c.period.end >= since)]
    scores = [c.score for c in quarters if c.score is not None]
    ranked = sorted((c.level for c in graded), key=ruleset.rank)
    year_cell = next((c for c in cells if c.period == Period(year)), None)
    return YearSummary(year, tuple(c.period.quarter for c in graded), tuple(missing),
                       round(sum(scores) / len(scores), 2) if scores else None,
                       ranked[0] if ranked else None, ranked[-1] if ranked else None,
                       year_cell.level if year_cell else None, year_cell.score if year_cell else None)


# -- rendering ------------------------------------------------------------------------------------------------
def column_label(period: Period) -> str:
    """"Quý III/2026", "Năm 2026": a period as a column heading."""
    return f"Quý {ROMAN[period.quarter - 1]}/{period.year}" if period.quarter else f"Năm {period.year}"


LINES = (("Tự đánh giá", "self_level"), ("Đề xuất", "proposed"), ("Quyết định", "decided"), ("Mức xếp loại", "level"),
         ("Tổng điểm", "score"))
"""The lines of a subject's block in the text view: heading and the Cell attribute."""
BLANK = "—"
FROM_YEAR_MARK = "*"


def _width(text: str) -> int:
    return len(unicodedata.normalize("NFC", text))


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _shown(cell: Cell, attribute: str) -> str:
    value = getattr(cell, attribute)
    if value is None:
        return BLANK
    text = vn(value) if attribute == "score" else str(value)
    return text + FROM_YEAR_MARK if cell.source == FROM_YEAR else text


def render_text(table: PeriodTable) -> str:
    """The table for people: a block per subject, periods as columns, one line per stage and a summary per year."""
    status_names = table.status_names
    out = [f"Kết quả đánh giá theo kỳ — {table.unit_name}" if table.unit_name else "Kết quả đánh giá theo kỳ"]
    absent = [column_label(p) for p in table.periods if p not in table.files]
    if absent:
        out.append(f"Không có đơn vị của: {', '.join(absent)}.")
    heads = [column_label(p) for p in table.periods]
    first = max(_width(h) for h, _ in (("Kỳ", None), *LINES))
    for row in table.rows:
        out.append("")
        where = f", {row.parent}" if row.parent else ""
        out.append(f"{row.name} ({KIND_VI[row.kind]} {row.code}{where})")
        grid = [["Kỳ", *heads]] + [[label, *(_shown(c, attribute) for c in row.cells)] for label, attribute in LINES]
        notes = [f"{column_label(c.period)}: {status_names.get(c.status, c.status)}" for c in row.cells if c.status]
        widths = [max(_width(line[i]) for line in grid) for i in range(len(grid[0]))]
        widths[0] = first
        for line in grid:
            out.append("  " + "  ".join(_pad(text, w) for text, w in zip(line, widths)).rstrip())
        if notes:
            out.append("  Tình trạng: " + "; ".join(notes) + ".")
        out += ["  " + summary_text(s) for s in row.summaries]
        if any(c.source == FROM_YEAR for c in row.cells):
            out.append(f"  {FROM_YEAR_MARK} ghi ở kết quả các quý (ket_qua_quy) trong {MANIFEST} của năm.")
    return "\n".join(escape(line) for line in out) + "\n"


def summary_text(s: YearSummary) -> str:
    """"Năm 2026: 2/4 quý có mức (thiếu quý II, quý IV); điểm bình quân các quý 86,5; mức các quý từ HTNV đến HTTNV;
    mức năm HTTNV; điểm năm 88"."""
    parts = []
    if s.quarters_with_level or s.quarters_missing:  # neither: the year is not evaluated by quarter
        parts.append(f"{len(s.quarters_with_level)}/4 quý có mức"
                     + (f" (thiếu {', '.join(f'quý {ROMAN[q - 1]}' for q in s.quarters_missing)})" if s.quarters_missing else ""))
    if s.mean_quarter_score is not None:
        parts.append(f"điểm bình quân các quý {vn(s.mean_quarter_score)}")
    if s.lowest_quarter_level:
        same = s.lowest_quarter_level == s.highest_quarter_level
        parts.append(f"mức các quý {s.lowest_quarter_level}" if same else f"mức các quý từ {s.lowest_quarter_level} đến {s.highest_quarter_level}")
    if s.year_level:
        parts.append(f"mức năm {s.year_level}")
    if s.year_score is not None:
        parts.append(f"điểm năm {vn(s.year_score)}")
    return f"Năm {s.year}: " + ("; ".join(parts) or "chưa có kết quả") + "."


def to_data(table: PeriodTable) -> dict[str, Any]:
    """The table as JSON data: every key always present (null when unknown)."""
    return {
        "don_vi": table.unit_name,
        "ky": [{"ky": str(p), "ten": p.title_vi, "tep": table.files.get(p)} for p in table.periods],
        "doi_tuong": [{
            "loai": row.kind,
            "ma": row.code,
            "ten": row.name,
            "thuoc": row.parent,
            "theo_ky": [{
                "ky": str(c.period),
                "co_trong_don_vi": c.present,
                "nguon": c.source,
                "tinh_trang": c.status,
                "muc_tu_nhan": c.self_level,
                "muc_de_xuat": c.proposed,
                "muc_quyet_dinh": c.decided,
                "muc": c.level,
                "tong_diem": c.score,
                "tep": c.file,
            } for c in row.cells],
            "tom_tat": [{
                "nam": s.year,
                "quy_co_muc": list(s.quarters_with_level),
                "quy_thieu": list(s.quarters_missing),
                "diem_binh_quan_quy": s.mean_quarter_score,
                "muc_quy_thap_nhat": s.lowest_quarter_level,
                "muc_quy_cao_nhat": s.highest_quarter_level,
                "muc_nam": s.year_level,
                "diem_nam": s.year_score,
            } for s in row.summaries],
        } for row in table.rows],
        "phat_hien": [asdict(f) for f in sorted(table.findings, key=sort_key)],
    }


def render_json(table: PeriodTable) -> str:
    return json.dumps(to_data(table), ensure_ascii=False, indent=2) + "\n"
