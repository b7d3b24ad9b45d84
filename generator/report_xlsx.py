"""File stage, results workbook: a unit's levels, scores, findings, dossier status and statistics in one XLSX, ready to print.

``hoso report UNIT_DIR --xlsx FILE`` writes four sheets: one row per member (Đảng viên), one row per organisation
(Tổ chức), the statistics of Biểu số 6F and the levels (named after the ruleset's statistics form), and every finding
of ``check`` (Phát hiện). Every number comes from what the documents print: the unit's facts (``so_lieu``), the rule
findings that ``check`` reports and the dossier checklists. Levels are shown by the ruleset's codes, with their names
in a legend above each table. The file is written once, complete (staged, then moved into place), owner-only; a
different earlier file is kept under ``_phien_ban_truoc/``.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from . import registry
from .checklist import MISSING, dossier_subjects, evaluate
from .errors import HosoError, UsageError
from .facts import unit_facts
from .findings import SEVERITY_VI, Finding, escape, sort_key
from .output import publish, staging
from .paths import unit_folder
from .provenance import annotate
from .rules import check_unit
from .source import load_unit
from .templating import short_date
from .unit import Located, Member, Org, Subject, Unit, value_of

SUFFIX = ".xlsx"
STAT_ENTRY = "stat_6f"
"""The registry key (``khoa``) of the statistics form whose table the statistics sheet repeats (Biểu số 6F-BTCTW)."""
STAT_SHEET = "Thống kê"
"""The statistics sheet's name when the ruleset has no statistics form (its label names the sheet otherwise)."""
SCORE_TOTAL = "tong"
"""The total of a score by groups (``diem_tu_cham``, ``diem_tham_dinh`` of the field map), as the score rules read it."""
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
"""Zip entry times: the same unit gives the same bytes, so re-running keeps no copy of an unchanged workbook."""

FONT = "Times New Roman"
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
SEVERITY_FILL = {"error": PatternFill("solid", fgColor="F8CBAD"), "warning": PatternFill("solid", fgColor="FFE699")}
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TITLE_ROWS = 2
"""Rows above each table: the title (unit, period), then the ruleset and the legend of level codes."""
HEADER_ROW = TITLE_ROWS + 1
LINE_HEIGHT = 14.5
"""Points per line of 11-point text."""
CHARS_PER_WIDTH = 1.15
"""Characters of Times New Roman per unit of column width, less a little for words that do not fill a line."""


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header, width (characters) and horizontal alignment."""

    title: str
    width: float
    align: str = "left"


# -- the façade ------------------------------------------------------------------------------------
def write_report(unit_dir: Path, xlsx: Path, *, locality_file: Path | None = None, shared: tuple[Path, ...] = ()) -> list[Finding]:
    """Write the results workbook of the unit in ``unit_dir`` (its folder or its don_vi.yaml) to ``xlsx``.

    The workbook is written even when the unit breaks rules: its findings are in it. Returns the findings that kept
    it from being written (the unit could not be read: manifest, ruleset or settings unusable), else an empty list.
    Raises UsageError when ``xlsx`` is not an .xlsx file name or names a folder, HosoError when it cannot be written.
    """
    xlsx = Path(xlsx)
    if xlsx.suffix.lower() != SUFFIX:
        raise UsageError(f"Tệp kết quả phải có đuôi {SUFFIX} (Excel): {xlsx}.")
    if xlsx.is_dir():
        raise UsageError(f"{xlsx} là một thư mục; hãy ghi tên tệp Excel, ví dụ {xlsx / ('ket_qua' + SUFFIX)}.")
    unit_dir = Path(unit_dir)
    findings, unit = load_unit(unit_dir, locality_file, shared)
    folder = unit_folder(unit_dir)
    if unit is None:
        return annotate(findings, folder)
    findings = annotate(findings + check_unit(unit), folder)
    workbook = build_workbook(unit, unit_facts(unit), findings)
    _publish(workbook, xlsx)
    return []


def build_workbook(unit: Unit, facts: dict, findings: list[Finding]) -> Workbook:
    """The results workbook of a unit from its facts and findings (nothing is written)."""
    book = Workbook()
    report = _Report(unit, facts, findings)
    report.members(book.active)
    report.orgs(book.create_sheet())
    report.statistics(book.create_sheet())
    report.findings_sheet(book.create_sheet())
    book.active = 0
    # The period's end, not the clock: the same unit gives the same file.
    stamp = dt.datetime.combine(unit.period.end, dt.time())
    book.properties.created = stamp
    book.properties.modified = stamp
    book.properties.creator = "hoso"
    book.properties.title = escape(f"Kết quả đánh giá, xếp loại {unit.period.phrase_vi}: {facts['ten']}")
    return book


# -- the sheets ------------------------------------------------------------------------------------
class _Report:
    """The rows of each sheet, computed from one unit's facts and findings."""

    def __init__(self, unit: Unit, facts: dict, findings: list[Finding]):
        self.unit, self.facts, self.findings = unit, facts, findings
        self.ruleset = unit.ruleset
        self.in_dossier = {id(s) for s in dossier_subjects(unit)}
        # Findings by subject code and by file, so a 1,000-member unit needs no scan of every finding per row.
        self.by_subject: dict[str, list[Finding]] = {}
        self.by_file: dict[str, list[Finding]] = {}
        for f in findings:
            if f.subject:
                self.by_subject.setdefault(f.subject, []).append(f)
            if f.file:
                self.by_file.setdefault(os.path.abspath(f.file), []).append(f)

    # .. members ..
    def members(self, ws: Worksheet) -> None:
        views = self.facts["thanh_vien"]
        scores = [(self._own_score(m), self._appraised_score(m)) for m in self.unit.members]
        with_scores = any(a is not None or b is not None for a, b in scores)
        voted = any(view["muc_bo_phieu"] for view in views)
        columns = [Column("STT", 5, "center"), Column("Họ và tên", 20), Column("Chi bộ", 20), Column("Nhóm, vai trò", 20),
                   Column("Tình trạng", 13), Column("Tự xếp loại", 10, "center")]
        if voted:
            columns.append(Column("Kết quả bỏ phiếu", 10, "center"))
        columns += [Column("Mức đề xuất", 10, "center"), Column("Mức xếp loại (quyết định)", 12, "center")]
        if with_scores:
            columns += [Column("Điểm tự chấm", 8, "center"), Column("Điểm thẩm định", 9, "center")]
        columns += [Column("Số lỗi", 6, "center"), Column("Số cảnh báo", 8, "center"), Column("Hồ sơ", 13, "center"),
                    Column("Ghi chú", 34)]
        rows = []
        for i, (m, view) in enumerate(zip(self.unit.members, views)):
            errors, warnings, allowed = self._counts(m)
            dossier, missing = self._dossier(m)
            row: list[Any] = [i + 1, view["ho_ten"], view["ten_chi_bo"], self._role(view["vai_tro"]), view["tinh_trang_ten"],
                              view["muc_tu_nhan"]]
            if voted:
                row.append(view["muc_bo_phieu"])
            row += [view["muc_chi_uy"], view["muc"]]
            if with_scores:
                row += list(scores[i])
            notes = [view["ly_do_ten"], view["ghi_chu"], self._level_note(m, view["muc"]), _allowed_note(allowed), missing]
            row += [errors, warnings, dossier, _lines(notes)]
            rows.append(row)
        self._sheet(ws, "Đảng viên", f"DANH SÁCH ĐẢNG VIÊN VÀ KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI {self._period_upper()}", columns, rows)

    def _role(self, role: Any) -> str:
        return (self.ruleset.roles.get(role) or {}).get("ten", "") if role else ""

    def _level_note(self, s: Subject, level: Any) -> str:
        """Where the shown level comes from, when no competent body decided it yet."""
        if not level:
            return ""
        where = s.level()
        sources = [("muc_tu_nhan", "mức tự xếp loại")]
        if isinstance(s, Member):
            sources = [("muc_de_xuat", "mức đề xuất"), *sources]
            voted = s.voted()
            if where is not None and voted is not None and _same(where, voted):
                return "Theo kết quả bỏ phiếu, chưa có quyết định xếp loại."
        for name, label in sources:
            found = s.field(name)
            if where is not None and found is not None and _same(where, found):
                return f"Theo {label}, chưa có quyết định xếp loại."
        return ""

    # .. organisations ..
    def orgs(self, ws: Worksheet) -> None:
        views = self.facts["to_chuc"]
        scores = [(self._own_score(o), self._appraised_score(o)) for o in self.unit.orgs]
        with_scores = any(a is not None or b is not None for a, b in scores)
        columns = [
            Column("STT", 5, "center"), Column("Tên tổ chức", 26), Column("Loại", 16), Column("Trực thuộc", 20),
            Column("Số đảng viên", 8, "center"), Column("Tự xếp loại", 10, "center"), Column("Thẩm định", 10, "center"),
            Column("Mức xếp loại (quyết định)", 12, "center"),
        ]
        if with_scores:
            columns += [Column("Điểm tự chấm", 8, "center"), Column("Điểm thẩm định", 9, "center")]
        columns += [Column("Số lỗi", 6, "center"), Column("Số cảnh báo", 8, "center"), Column("Hồ sơ", 13, "center"),
                    Column("Ghi chú", 44)]
        rows = []
        for i, (o, view) in enumerate(zip(self.unit.orgs, views)):
            errors, warnings, allowed = self._counts(o)
            dossier, missing = self._dossier(o)
            appraisal = view["tham_dinh"] or {}
            row: list[Any] = [i + 1, view["ten"], view["loai_ten"], view["ten_cap_tren"], self._member_count(view),
                              view["tu_nhan_muc"], appraisal.get("muc"), view["muc"]]
            if with_scores:
                row += list(scores[i])
            notes = [_appraisal_note(appraisal), _decision_note(view["quyet_dinh"]), self._level_note(o, view["muc"]),
                     _allowed_note(allowed), missing]
            row += [errors, warnings, dossier, _lines(notes)]
            rows.append(row)
        self._sheet(ws, "Tổ chức", f"DANH SÁCH TỔ CHỨC ĐẢNG VÀ KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI {self._period_upper()}", columns, rows)

    def _member_count(self, view: dict) -> int:
        """Members of an organisation and of every organisation under it (a đảng bộ counts its chi bộ's members)."""
        by_code = self.facts["to_chuc_theo_ma"]
        count, todo, seen = 0, [view["ma"]], set()
        while todo:
            code = todo.pop()
            if code in seen or code not in by_code:
                continue
            seen.add(code)
            count += by_code[code]["so_dang_vien"]
            todo += by_code[code]["truc_thuoc"]
        return count

    # .. scores ..
    def _own_score(self, s: Subject) -> float | None:
        """The self-assessed total: the form's score by groups, else the total of the subject's scoring sheet."""
        total = _total(value_of(s.field("diem_tu_cham")))
        if total is None:
            total = (self.facts["cham_diem_theo_ma"].get(s.ma) or {}).get(SCORE_TOTAL)
        return total

    def _appraised_score(self, s: Subject) -> float | None:
        """The appraised total: the chi bộ's score on the member's form, the appraisal of the organisation in the manifest."""
        total = _total(value_of(s.field("diem_tham_dinh")))
        if total is None and isinstance(s, Org):
            total = _number((s.raw.get("tham_dinh") or {}).get("diem"))
        return total

    # .. findings and dossier of a subject ..
    def _counts(self, s: Subject) -> tuple[int, int, int]:
        """(errors still to fix, warnings, errors a competent body allowed) about a subject or in its own forms."""
        found = {id(f): f for f in self.by_subject.get(s.ma, [])}
        for form in (s.form, s.score_form):
            if form is not None:
                found.update((id(f), f) for f in self.by_file.get(os.path.abspath(form.path), []))
        own = list(found.values())
        return (sum(1 for f in own if f.blocking), sum(1 for f in own if f.severity == "warning"),
                sum(1 for f in own if f.severity == "error" and not f.blocking))

    def _dossier(self, s: Subject) -> tuple[str, str]:
        """The dossier status ("Đủ", "Thiếu 2 mục", "Không lập hồ sơ") and the missing items as a note."""
        if id(s) not in self.in_dossier:
            return "Không lập hồ sơ", ""
        missing = [item.name for item in evaluate(self.unit, s, facts=self.facts) if item.status == MISSING]
        if not missing:
            return "Đủ", ""
        return f"Thiếu {len(missing)} mục", "Hồ sơ còn thiếu: " + "; ".join(missing) + "."

    # .. statistics ..
    def statistics(self, ws: Worksheet) -> None:
        entry = next((e for e in registry.entries() if e.ruleset == self.ruleset.key and e.key == STAT_ENTRY), None)
        annual = self.unit.period.quarter is None
        six_f = entry is not None and annual
        ws.title = _sheet_name(entry.label if six_f and entry.label else STAT_SHEET)
        levels = self.ruleset.levels
        widths = [9, 52, 13, 13, 30] + [11] * max(0, len(levels) - 1)
        for i, width in enumerate(widths):
            ws.column_dimensions[get_column_letter(i + 1)].width = width
        stats = self.facts["thong_ke"]
        result_header = [Column("Mức", 0, "center"), Column("Tên mức", 0), Column("Đảng viên", 0, "center"),
                         Column("Tỷ lệ", 0, "center"), Column("Tổ chức", 0, "center"), Column("Tỷ lệ", 0, "center")]
        results = [[code, stats["xep_loai"][code]["ten"], stats["xep_loai"][code]["so"], stats["xep_loai"][code]["ty_le"],
                    stats["to_chuc"][code]["so"], stats["to_chuc"][code]["ty_le"]] for code in levels]
        results.append(["", "Cộng số đã xếp loại", stats["da_xep_loai"], "", stats["to_chuc_xep_loai"], ""])
        if six_f:
            caption = f"{entry.label}: {entry.name}"
        elif entry is not None:
            caption = (f"{entry.label} thống kê kết quả kiểm điểm hằng năm: kỳ {self.unit.period.phrase_vi} không lập biểu này. "
                       "Kết quả xếp loại chất lượng:")
        else:
            caption = "Kết quả xếp loại chất lượng:"
        self._titles(ws, f"THỐNG KÊ KẾT QUẢ KIỂM ĐIỂM, ĐÁNH GIÁ, XẾP LOẠI {self._period_upper()}", len(widths), caption)
        if six_f:
            header = [Column("TT", 0, "center"), Column("Nội dung", 0), Column("Tập thể", 0, "center"),
                      Column("Đảng viên", 0, "center"), Column("Ghi chú", 0)]
            end = _table(ws, HEADER_ROW, header, stat_6f_rows(self.facts, self._stat_form(entry), self._stat_default(entry)))
            row = _caption(ws, end + 2, "Kết quả xếp loại chất lượng", len(widths))
            end = _table(ws, row, result_header, results, bold_last=True)
        else:
            end = _table(ws, HEADER_ROW, result_header, results, bold_last=True)
        if stats["theo_chi_bo"]:
            row = _caption(ws, end + 2, "Kết quả xếp loại đảng viên theo chi bộ", len(widths))
            header = [Column("STT", 0, "center"), Column("Chi bộ", 0), Column("Số đảng viên", 0, "center"),
                      Column("Đã xếp loại", 0, "center")] + [Column(code, 0, "center") for code in levels]
            rows = [[i + 1, b["ten"], b["so_dang_vien"], b["da_xep_loai"], *(b[code] for code in levels)]
                    for i, b in enumerate(stats["theo_chi_bo"])]
            _table(ws, row, header, rows)
        ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        _print_setup(ws)

    def _stat_form(self, entry: registry.FormEntry) -> dict:
        """The unit's own statistics form (its notes, the management level of suggested reviews), or nothing."""
        own = [d for d in self.unit.documents if d.entry.key == entry.key]
        return own[-1].data if own else {}

    @staticmethod
    def _stat_default(entry: registry.FormEntry) -> Any:
        """The schema's default management level of suggested reviews (``goi_y_thuoc_dien``)."""
        return ((registry.schema(entry).get("properties") or {}).get("goi_y_thuoc_dien") or {}).get("default")

    # .. findings ..
    def findings_sheet(self, ws: Worksheet) -> None:
        columns = [Column("STT", 5, "center"), Column("Tệp", 24), Column("Vị trí trong tệp", 22), Column("Quy tắc", 16),
                   Column("Mức độ", 10, "center"), Column("Đối tượng", 18), Column("Nội dung", 60), Column("Nhập tại", 22),
                   Column("Căn cứ", 26)]
        names = {s.ma: s.name for s in [*self.unit.orgs, *self.unit.members]}
        rows = []
        shown = sorted(self.findings, key=sort_key)
        for i, f in enumerate(shown):
            severity = SEVERITY_VI[f.severity]
            severity = severity[0].upper() + severity[1:]
            message = f.message_vi
            if f.override:
                severity += " (đã được cấp có thẩm quyền cho phép)"
                o = f.override
                message += f" — Quyết định: {o.get('co_quan', '?')}, {o.get('ngay', '?')}: {o.get('ly_do', '')}"
            rows.append([i + 1, self._file(f.file), f.json_path, f.rule_id, severity, names.get(f.subject, f.subject), message,
                         f.origin, f.legal_basis])
        self._sheet(ws, "Phát hiện", f"CÁC PHÁT HIỆN KHI KIỂM TRA HỒ SƠ {self._period_upper()}", columns, rows,
                    empty="Không có phát hiện nào.")
        for i, f in enumerate(shown):
            if f.blocking or f.severity == "warning":
                ws.cell(HEADER_ROW + 1 + i, 5).fill = SEVERITY_FILL["error" if f.blocking else "warning"]

    def _file(self, name: str) -> str:
        """A finding's file relative to the unit folder when it lies inside it."""
        if not name:
            return ""
        folder = os.path.abspath(self.unit.folder)
        path = os.path.abspath(name)
        return os.path.relpath(path, folder) if path.startswith(folder + os.sep) else name

    # .. sheet frame ..
    def _period_upper(self) -> str:
        return self.unit.period.phrase_vi.upper()

    def _legend_text(self) -> str:
        ruleset = self.ruleset
        legend = "; ".join(f"{code}: {name}" for code, name in ruleset.level_names.items())
        return f"Bộ quy tắc: {ruleset.name} ({ruleset.guidance}). Mức xếp loại: {legend}."

    def _titles(self, ws: Worksheet, title: str, width: int, caption: str = "") -> None:
        head = _merged(ws, 1, width, f"{self.facts['ten'].upper()} — {title}")
        head.font = Font(name=FONT, size=13, bold=True)
        head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.row_dimensions[1].height = 24
        text = _lines([self._legend_text(), caption])
        legend = _merged(ws, TITLE_ROWS, width, text)
        legend.font = Font(name=FONT, size=10, italic=True)
        total = sum(ws.column_dimensions[get_column_letter(i + 1)].width for i in range(width))
        ws.row_dimensions[TITLE_ROWS].height = _height([text], [total], 13)

    def _sheet(self, ws: Worksheet, name: str, title: str, columns: Sequence[Column], rows: list[list[Any]], *,
               empty: str = "") -> None:
        ws.title = name
        for i, column in enumerate(columns):
            ws.column_dimensions[get_column_letter(i + 1)].width = column.width
        self._titles(ws, title, len(columns))
        if not rows and empty:
            rows = [[""] * len(columns)]
            rows[0][1] = empty
        end = _table(ws, HEADER_ROW, columns, rows)
        ws.freeze_panes = ws.cell(HEADER_ROW + 1, 3)
        ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(columns))}{end}"
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        _print_setup(ws)


# -- Biểu 6F --------------------------------------------------------------------------------------
def stat_6f_rows(facts: dict, form: dict, default_level: Any) -> list[list[Any]]:
    """The rows of the table of Biểu số 6F-BTCTW (TT, content, collectives, members, note) from the unit's facts, each
    number computed as the form's template computes it (templates_docx/qd124/stat_6f.docx); ``form`` is the unit's
    own statistics form (notes ``ghi_chu``, ``goi_y_thuoc_dien``), ``default_level`` the schema's default of the latter."""
    stats = facts["thong_ke"]
    orgs = facts["to_chuc"]
    not_reviewed = stats["chua_kiem_diem"]
    new_orgs = sum(1 for o in orgs if not o["tu_nhan_muc"] and not o["muc"])
    suggested_orgs = sum(1 for o in orgs if o["co_goi_y"])
    suggested_members = stats["goi_y"] - suggested_orgs
    notes = form.get("ghi_chu") or {}
    level = form.get("goi_y_thuoc_dien") or default_level

    def names(reason: str) -> str:
        return ", ".join(m["ho_ten"] for m in facts["chua_kiem_diem_xep_loai"] if m["ly_do"] == reason)

    def managed(code: str) -> tuple[int, int]:
        return (suggested_orgs, suggested_members) if level == code else (0, 0)

    return [
        ["1", "Số lượng thuộc đối tượng phải kiểm điểm tự phê bình và phê bình", stats["so_to_chuc"], stats["tong_dang_vien"],
         notes.get("phai_kiem_diem") or ("Kể cả số chưa kiểm điểm ở dòng 3" if not_reviewed["tong"] else "")],
        ["2", "Số lượng đã kiểm điểm tự phê bình và phê bình", stats["so_to_chuc"] - new_orgs, stats["da_kiem_diem"],
         notes.get("da_kiem_diem") or ""],
        ["3", "Số lượng chưa kiểm điểm tự phê bình và phê bình", new_orgs, not_reviewed["tong"], notes.get("chua_kiem_diem") or ""],
        ["", "Trong đó:", None, None, ""],
        ["3.1", "Số tập thể thành lập mới", new_orgs, None, ""],
        ["3.2", "Đảng viên mới kết nạp dưới 6 tháng", None, not_reviewed.get("moi_ket_nap", 0), names("moi_ket_nap")],
        ["", "Đảng viên được miễn công tác và sinh hoạt đảng", None, not_reviewed.get("mien_sinh_hoat", 0), names("mien_sinh_hoat")],
        ["", "Đảng viên bị đình chỉ sinh hoạt đảng", None, not_reviewed.get("dinh_chi_sinh_hoat", 0), names("dinh_chi_sinh_hoat")],
        ["4", "Số được gợi ý kiểm điểm", suggested_orgs, suggested_members, notes.get("goi_y") or ""],
        ["", "Trong đó:", None, None, ""],
        ["4.1", "Thuộc diện ban thường vụ cấp ủy cấp tỉnh quản lý", *managed("tinh"), ""],
        ["4.2", "Thuộc diện ban thường vụ cấp ủy cấp huyện quản lý", *managed("huyen"), ""],
        ["4.3", "Thuộc diện đảng ủy cơ sở quản lý", *managed("co_so"), ""],
    ]


# -- cells -----------------------------------------------------------------------------------------
def _table(ws: Worksheet, top: int, columns: Sequence[Column], rows: Iterable[list[Any]], *, bold_last: bool = False) -> int:
    """Write a header row at ``top`` and the rows below it, framed; returns the last row written."""
    for i, column in enumerate(columns):
        cell = ws.cell(top, i + 1)
        _set(cell, column.title)
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    widths = [ws.column_dimensions[get_column_letter(i + 1)].width for i in range(len(columns))]
    ws.row_dimensions[top].height = _height([c.title for c in columns], widths)
    row = top
    rows = list(rows)
    for n, values in enumerate(rows):
        row = top + 1 + n
        for i, (column, value) in enumerate(zip(columns, values)):
            cell = ws.cell(row, i + 1)
            _set(cell, value)
            cell.font = Font(name=FONT, size=11, bold=bold_last and n == len(rows) - 1)
            cell.border = BORDER
            cell.alignment = Alignment(horizontal=column.align, vertical="top", wrap_text=True)
        ws.row_dimensions[row].height = _height(values, widths)
    return row


def _height(values: Sequence[Any], widths: Sequence[float], line: float = LINE_HEIGHT) -> float:
    """A row height (points) that shows every wrapped line of its cells: spreadsheet programs do not all grow rows
    of wrapped text by themselves (LibreOffice keeps the default height of a row written without one)."""
    lines = 1
    for value, width in zip(values, widths):
        if value is None or value == "":
            continue
        per_line = max(1, int(width * CHARS_PER_WIDTH))
        lines = max(lines, sum(max(1, math.ceil(len(part) / per_line)) for part in str(value).split("\n")))
    return round(lines * line + 3, 1)


def _set(cell, value: Any) -> None:
    """Put a value in a cell: text escaped (no control characters) and never read as a formula."""
    if value is None or value == "":
        cell.value = None
        return
    if isinstance(value, bool):
        value = "Có" if value else "Không"
    if isinstance(value, str):
        cell.value = "\n".join(escape(line) for line in value.split("\n"))
        cell.data_type = "s"  # "=…" typed by a clerk is text, not a formula
        return
    cell.value = value


def _merged(ws: Worksheet, row: int, width: int, text: str):
    """A text across ``width`` columns of one row, wrapped."""
    if width > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    cell = ws.cell(row, 1)
    _set(cell, text)
    cell.font = Font(name=FONT, size=10, italic=True)
    cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
    return cell


def _caption(ws: Worksheet, row: int, text: str, width: int) -> int:
    """A bold caption above a table; returns the table's header row."""
    cell = _merged(ws, row, width, text)
    cell.font = Font(name=FONT, size=11, bold=True)
    return row + 1


def _print_setup(ws: Worksheet) -> None:
    """Landscape A4, fitted to the page width, narrow margins, page numbers in the footer."""
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6, header=0.2, footer=0.3)
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "Trang &P/&N"


def _sheet_name(text: str) -> str:
    """A valid sheet name: at most 31 characters, none of ``[]:*?/\\``."""
    cleaned = "".join("-" if c in "[]:*?/\\" else c for c in text).strip("'")
    return cleaned[:31] or STAT_SHEET


# -- small helpers ---------------------------------------------------------------------------------
def _same(a: Located, b: Located) -> bool:
    return (a.file, a.path) == (b.file, b.path)


def _number(value: Any) -> float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _total(score: Any) -> float | None:
    return _number(score.get(SCORE_TOTAL)) if isinstance(score, dict) else None


def _lines(parts: Iterable[Any]) -> str:
    return "\n".join(str(p) for p in parts if p)


def _allowed_note(count: int) -> str:
    return f"{count} lỗi đã được cấp có thẩm quyền cho phép." if count else ""


def _appraisal_note(appraisal: dict) -> str:
    """"Thẩm định: <body>, ngày 14/12/2026; <reason>."."""
    parts = [appraisal.get("co_quan"), f"ngày {short_date(appraisal['ngay'])}" if appraisal.get("ngay") else ""]
    shown = ", ".join(p for p in parts if p)
    if appraisal.get("ly_do"):
        shown = f"{shown}; {appraisal['ly_do']}" if shown else appraisal["ly_do"]
    return f"Thẩm định: {shown.rstrip('.')}." if shown else ""


def _decision_note(decision: dict | None) -> str:
    if not decision:
        return ""
    parts = [decision.get("van_ban"), decision.get("co_quan"), f"ngày {short_date(decision['ngay'])}" if decision.get("ngay") else ""]
    shown = ", ".join(p for p in parts if p)
    return f"Quyết định: {shown}." if shown else ""


# -- writing ---------------------------------------------------------------------------------------
def workbook_bytes(book: Workbook) -> bytes:
    """The XLSX bytes of a workbook, the same for the same content: openpyxl's writer without the clock (its
    ``save`` stamps the modification time; zip entries get a fixed time and owner-only mode)."""
    raw = io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
    stable = io.BytesIO()
    with zipfile.ZipFile(raw) as written, zipfile.ZipFile(stable, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in written.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, written.read(entry))
    return stable.getvalue()


def _publish(book: Workbook, xlsx: Path) -> Path:
    """Write the workbook in a staging folder next to ``xlsx``, then move it into place (an earlier different file is
    kept under ``_phien_ban_truoc/``). Raises HosoError when the folder cannot be written."""
    out_dir = xlsx.parent
    try:
        with staging(out_dir) as stage:
            (stage / xlsx.name).write_bytes(workbook_bytes(book))
            return publish(stage, out_dir, [xlsx.name])[0]
    except OSError as exc:
        raise HosoError(f"Không ghi được tệp Excel {xlsx}: {exc.strerror or exc}.") from exc
