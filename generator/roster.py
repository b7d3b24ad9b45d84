"""Intake, the roster: the column table (rosters/danh_sach.yaml), the workbook a clerk fills, and a filled roster read back.

Every cell is read again and checked, because Excel enforces its dropdowns only on typed values (pasted values pass):
headers are matched by their normalised text and aliases, never by position; values are normalised (Unicode NFC,
spaces, Excel serial dates, card numbers Excel turned into numbers); each problem names its sheet and cell
(``Thành viên!D14``). The vocabulary of coded columns comes from the ruleset and the unit schema, not from Python.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Callable

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from . import registry
from .errors import ConfigError, HosoError, UsageError
from .facts import org_kinds
from .findings import Finding, show
from .period import Period
from .load import load_yaml_file
from .registry import SCHEMA_BASE, schema_registry
from .resources import data_dir
from .ruleset import Ruleset
from .settings import LocalityError, load_settings

RULE = "ROSTER"
"""Rule id of every problem found in a roster."""
BASIS = "Tệp danh sách của hoso (rosters/danh_sach.yaml)"
TABLE_FILE = "danh_sach.yaml"
MANIFEST = "don_vi.yaml"
PREVIOUS_DIR = "_phien_ban_truoc"

ORGS, MEMBERS, EVENTS, MEETINGS = "to_chuc", "thanh_vien", "hoan_canh", "hoi_nghi"
"""The sheets of a roster, by their keys in the column table."""

MIN_SERIAL = 10000
"""Smaller numbers in a date column are not Excel dates (10000 is 19/05/1927): a year or a typing slip."""
MAX_SERIAL = 73415
"""31/12/2100 as an Excel serial date."""
EXCEL_EPOCH = dt.date(1899, 12, 30)
INLINE_LIST_LIMIT = 255
"""Excel refuses an inline list longer than this (commas included): longer lists go to the hidden sheet."""
HEADER_SCAN_ROWS = 10
"""How far down a sheet the header row is looked for (exports often start with a title)."""
YEAR_LABEL, QUARTER_LABEL, RULESET_LABEL = "Năm đánh giá", "Quý đánh giá", "Bộ quy tắc"
"""Labels of the guide sheet's cells that record the period and the ruleset (read back when the defined names were lost)."""
MADE_FOR = "Tệp danh sách được tạo cho "
"""Opening of the message about a roster made for another period."""

TEXT, CARD, ID_CARD, DATE, MOMENT, YES_NO, CHOICE, ORG_REF, MEMBER_REF, IGNORED = (
    "van_ban", "so_the", "so_cccd", "ngay", "thoi_diem", "co_khong", "lua_chon", "to_chuc", "thanh_vien", "bo_qua")
DIGITS = {CARD: 8, ID_CARD: 12}


# -- the column table ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """One column of a roster sheet, as rosters/danh_sach.yaml describes it."""

    key: str
    sheet: str
    header: str
    aliases: tuple[str, ...]
    kind: str
    source: dict
    required: bool
    advised: bool
    default: str | None
    target: dict
    applies: str
    width: int
    help: str

    @property
    def manifest_key(self) -> str | None:
        """Where the value goes in the subject's entry of don_vi.yaml (dotted), or None."""
        return self.target.get("don_vi")

    @property
    def form_field(self) -> str | None:
        """Where the value goes in the subject's form: a field-map name, optionally with a sub-path."""
        return self.target.get("bieu_mau")

    @property
    def label(self) -> str:
        """The header as it reads inside a sentence ("ngày sinh")."""
        return self.header[:1].lower() + self.header[1:] if self.header[1:2].islower() else self.header


@dataclass(frozen=True)
class Sheet:
    key: str
    name: str
    aliases: tuple[str, ...]
    description: str
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


@dataclass(frozen=True)
class Table:
    """The roster's column table: sheets, columns, circumstance kinds and the yes/no words."""

    sheets: tuple[Sheet, ...]
    events: dict
    yes: tuple[str, ...]
    no: tuple[str, ...]
    rows: int
    guide: str
    lists: str
    names: dict
    data: dict = field(compare=False, hash=False, repr=False)

    def sheet(self, key: str) -> Sheet:
        return next(s for s in self.sheets if s.key == key)

    def column(self, key: str) -> Column | None:
        return next((c for s in self.sheets for c in s.columns if c.key == key), None)


@cache
def table() -> Table:
    """The bundled column table (rosters/danh_sach.yaml)."""
    data = load_yaml_file(data_dir("rosters") / TABLE_FILE)
    sheets = []
    for raw in data["trang"]:
        columns = tuple(
            Column(key=c["khoa"], sheet=raw["khoa"], header=c["tieu_de"], aliases=tuple(c.get("bi_danh") or ()),
                   kind=c["kieu"], source=dict(c.get("nguon") or {}), required=bool(c.get("bat_buoc")),
                   advised=bool(c.get("nen_co")), default=c.get("mac_dinh"), target=dict(c.get("dich") or {}),
                   applies=c.get("ap_dung", "luon"), width=int(c.get("rong", 16)), help=" ".join(str(c.get("huong_dan", "")).split()))
            for c in raw["cot"]
        )
        sheets.append(Sheet(raw["khoa"], raw["ten"], tuple(raw.get("bi_danh") or ()), " ".join(str(raw.get("mo_ta", "")).split()), columns))
    return Table(tuple(sheets), dict(data["hoan_canh"]), tuple(data["co"]), tuple(data["khong"]), int(data["so_dong_mau"]),
                 data["ten_huong_dan"], data["ten_danh_muc"], dict(data["ten_dinh_nghia"]), data)


# -- normalising text -------------------------------------------------------------------------------------
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TRAILING_NOTE = re.compile(r"\s*(\([^()]*\)|\*|:)\s*$")


def clean_text(value: Any) -> str | None:
    """A cell's text as hoso keeps it: NFC, invisible characters removed, spaces collapsed and trimmed; None when empty."""
    if value is None:
        return None
    text = unicodedata.normalize("NFC", str(value)).replace("\u00a0", " ")
    text = " ".join(_INVISIBLE.sub("", text).split())
    return text or None


def norm(value: Any) -> str:
    """Text compared without regard to case, spacing or Unicode form (names, choices, headers)."""
    return (clean_text(value) or "").casefold()


def header_key(value: Any) -> str:
    """A header as matched: normalised, without a trailing required mark, colon or note in parentheses."""
    text = norm(value)
    while True:
        shorter = _TRAILING_NOTE.sub("", text)
        if shorter == text:
            return text
        text = shorter


def _plain(text: str) -> str:
    """ASCII letters and digits of a text (for codes typed instead of names: "nghi_om")."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return re.sub(r"[^a-z0-9]+", "_", "".join(c for c in decomposed if not unicodedata.combining(c)).lower()).strip("_")


def slug(text: str, limit: int = 60) -> str:
    """An ASCII code from a name: "Nguyễn Văn An" → "nguyen_van_an"."""
    return _plain(text)[:limit].strip("_")


# -- choices: every coded column's values come from the data -------------------------------------------------
@cache
def _unit_schema() -> dict:
    return schema_registry()[SCHEMA_BASE + "unit.schema.json"].contents


def _role_labels(rs: Ruleset) -> dict[str, list[str]]:
    """Other names of each role: its form's label ("Mẫu 2A-HD KĐ.ĐG 2025") and that label's short form ("Mẫu 2A", "2A")."""
    found: dict[str, list[str]] = {}
    for entry in registry.entries():
        if entry.ruleset == rs.key and entry.role in rs.roles and entry.label:
            names = found.setdefault(entry.role, [])
            names.append(entry.label)
            short = re.match(r"(\S+)\s+([0-9]+[A-Z]*)\b", entry.label)
            if short:
                names += [f"{short.group(1)} {short.group(2)}", short.group(2)]
    return found


def choices(column: Column, rs: Ruleset) -> dict[str, str]:
    """The codes a coded column accepts, each with the Vietnamese name shown in the workbook."""
    source = column.source
    if "luoc_do" in source:
        defs = _unit_schema()["$defs"][source["luoc_do"]]
        names = defs.get("x-loai") or {}
        return {code: (names.get(code) or {}).get("ten", code) for code in defs["enum"]}
    if "tu_vung" in source:
        return rs.vocabulary(source["tu_vung"])
    if source.get("vai_tro"):
        return {code: role.get("ten", code) for code, role in rs.roles.items()}
    if "gia_tri" in source:
        return dict(source["gia_tri"])
    if source.get("hoan_canh"):
        return {code: kind["ten"] for code, kind in table().events.items()}
    if source.get("tham_quyen_ky"):
        found: dict[str, str] = {}
        for kind in org_kinds().values():
            for authority in kind.get("tham_quyen") or []:
                found.setdefault(authority["ky"], authority["ky"])
        return found
    raise ConfigError(f"Cột {column.key} của rosters/{TABLE_FILE} không ghi nguồn danh sách chọn (nguon).")


def _choice_aliases(column: Column, rs: Ruleset) -> dict[str, str]:
    """Normalised text → code, for every way a choice may be written: its name, its code, its other names."""
    options = choices(column, rs)
    found = {}
    extra: dict[str, list[str]] = {}
    if column.source.get("hoan_canh"):
        extra = {code: list(kind.get("bi_danh") or ()) for code, kind in table().events.items()}
    if column.source.get("vai_tro"):
        extra = _role_labels(rs)
    for code, name in options.items():
        for text in (code, name, *extra.get(code, ())):
            found.setdefault(norm(text), code)
            found.setdefault(_plain(text), code)
    return found


def ambiguous_roles(rs: Ruleset) -> bool:
    """Whether the leader flag alone cannot choose a member's role: several roles on the same side of it."""
    leaders = [r for r in rs.roles if rs.is_leader_role(r)]
    return len(leaders) > 1 or len(rs.roles) - len(leaders) > 1


def applies(column: Column, rs: Ruleset) -> bool:
    """Whether the template shows a column for a ruleset (``ap_dung``)."""
    if column.applies == "nhieu_vai_tro":
        return ambiguous_roles(rs)
    return True


def forms_of(rs: Ruleset) -> list:
    return [e for e in registry.entries() if e.ruleset == rs.key]


# -- the template workbook -------------------------------------------------------------------------------------
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
DATE_FORMAT = "DD/MM/YYYY"
MOMENT_FORMAT = "DD/MM/YYYY HH:MM"


def resolve_ruleset(year: int, ruleset_key: str | None, quarter: int | None = None) -> Ruleset:
    """The ruleset of a period (the period table), or the one named; raises UsageError when there is none with forms,
    or when the one named does not evaluate that kind of period (a quarter under a ruleset of years only)."""
    period = Period(year, quarter)
    key = ruleset_key or registry.default_ruleset(year, quarter)
    if key is None:
        raise UsageError(f"Không có bộ quy tắc nào áp dụng cho {period.label_vi}.")
    rs = registry.ruleset(key)
    if not rs.accepts(period):
        raise UsageError(f"{rs.name} không đánh giá theo {'quý' if quarter else 'năm'}: không dùng được cho {period.label_vi}.")
    if not forms_of(rs):
        raise UsageError(f"Phiên bản hoso này chưa có biểu mẫu của bộ quy tắc {key} ({rs.name}); chọn năm khác hoặc --bo-quy-tac.")
    return rs


def check_quarter(quarter: Any) -> int | None:
    """A quarter argument (1…4 or None); raises UsageError for anything else."""
    if quarter is None:
        return None
    if isinstance(quarter, bool) or not isinstance(quarter, int) or not 1 <= quarter <= 4:
        raise UsageError(f"Quý phải là 1, 2, 3 hoặc 4 (không phải {quarter!r}).")
    return quarter


def write_template(path: str | Path, year: int | None = None, ruleset_key: str | None = None,
                   locality_file: str | Path | None = None, overwrite: bool = False, quarter: int | None = None) -> Path:
    """Write the roster workbook a clerk fills for a period and return its path: a year (default: this year), or with
    ``quarter`` (1…4) a quarter of that year. The period is stored in the workbook (defined names and the guide sheet);
    the ruleset is the one the period table binds to the period, unless ``ruleset_key`` names one.

    Raises UsageError when the file exists and ``overwrite`` is not given, when the name does not end in .xlsx or when
    no ruleset with forms applies; ConfigError (LocalityError) for a bad locality file; HosoError when the file cannot
    be written. An overwritten file is kept under _phien_ban_truoc/<time>/ beside it.
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"Tệp mẫu phải có đuôi .xlsx: {path.name}")
    if path.exists() and not overwrite:
        raise UsageError(f"Tệp {path} đã có; thêm --ghi-de để ghi đè (tệp cũ được giữ bản sao trong {PREVIOUS_DIR}/).")
    year = year or dt.date.today().year
    period = Period(year, check_quarter(quarter))
    rs = resolve_ruleset(year, ruleset_key, period.quarter)
    settings = load_settings(rs, locality_file)
    workbook = _template(rs, period, _locality_aliases(settings))
    _save(workbook, path)
    return path


def _save(workbook: Workbook, path: Path) -> None:
    """Save next to the target and move into place; a replaced file is kept under _phien_ban_truoc/<time>/."""
    folder = path.parent if str(path.parent) else Path(".")
    tmp = folder / f".{path.name}.{os.getpid()}.tmp"
    try:
        workbook.save(tmp)
        os.chmod(tmp, 0o600)
        if path.exists():
            keep = folder / PREVIOUS_DIR / dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            keep.mkdir(parents=True, mode=0o700)
            os.replace(path, keep / path.name)
        os.replace(tmp, path)
    except PermissionError:
        tmp.unlink(missing_ok=True)
        raise HosoError(f"Không ghi được {path}, có lẽ tệp đang mở. Đóng tệp trong Excel rồi thử lại.") from None
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise HosoError(f"Không ghi được {path}: {exc.strerror or exc}.") from None


def _template(rs: Ruleset, period: Period, extra: dict[str, list[str]]) -> Workbook:
    t = table()
    workbook = Workbook()
    guide = workbook.active
    guide.title = t.guide
    list_columns: dict[str, str] = {}
    letters: dict[str, dict[str, str]] = {}
    shown = {s.key: [c for c in s.columns if applies(c, rs)] for s in t.sheets}
    for sheet in t.sheets:
        ws = workbook.create_sheet(sheet.name)
        letters[sheet.key] = {c.key: get_column_letter(i) for i, c in enumerate(shown[sheet.key], start=1)}
        _header(ws, shown[sheet.key])
    lists = workbook.create_sheet(t.lists)
    # Lists the reference columns choose from: the names typed on the other sheets.
    org_name = letters[ORGS]["ten_to_chuc"]
    member_name = letters[MEMBERS]["ho_ten"]
    last = t.rows + 1
    _define(workbook, "DS_TO_CHUC", f"{quote_sheetname(t.sheet(ORGS).name)}!${org_name}$2:${org_name}${last}")
    _define(workbook, "DS_THANH_VIEN", f"{quote_sheetname(t.sheet(MEMBERS).name)}!${member_name}$2:${member_name}${last}")
    for sheet in t.sheets:
        ws = workbook[sheet.name]
        for column in shown[sheet.key]:
            letter = letters[sheet.key][column.key]
            rule = _validation(column, rs, workbook, lists, list_columns)
            if rule is not None:
                rule.add(f"{letter}2:{letter}{last}")
                ws.add_data_validation(rule)
    _define(workbook, t.names["nam"], str(period.year))
    if period.quarter:
        _define(workbook, t.names["quy"], str(period.quarter))
    _define(workbook, t.names["bo_quy_tac"], f'"{rs.key}"')
    lists.sheet_state = "hidden"
    lists.protection.sheet = True
    _guide(guide, rs, period, shown, extra)
    workbook.active = 0
    return workbook


def _define(workbook: Workbook, name: str, text: str) -> None:
    workbook.defined_names[name] = DefinedName(name, attr_text=text)


def _header(ws, columns: list[Column]) -> None:
    for i, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=i, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        if column.help:
            comment = Comment(column.help, "hoso")
            comment.width, comment.height = 320, 120
            cell.comment = comment
        dimension = ws.column_dimensions[get_column_letter(i)]
        dimension.width = column.width
        if column.kind in DIGITS:
            dimension.number_format = "@"
        elif column.kind == DATE:
            dimension.number_format = DATE_FORMAT
        elif column.kind == MOMENT:
            dimension.number_format = MOMENT_FORMAT
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "A2"


def _validation(column: Column, rs: Ruleset, workbook: Workbook, lists, list_columns: dict[str, str]) -> DataValidation | None:
    """The data validation of a column: a list for every coded column, a date range, a digit count."""
    title, prompt = column.header, column.help[:255]
    common = dict(allow_blank=True, showErrorMessage=True, showInputMessage=True, promptTitle=title[:32], prompt=prompt)
    if column.kind == CHOICE:
        names = list(choices(column, rs).values())
        formula = _list_formula(column, names, workbook, lists, list_columns)
        return DataValidation(type="list", formula1=formula, errorTitle="Giá trị không có trong danh sách",
                              error=f"Chọn một giá trị trong danh sách của cột «{title}».", **common)
    if column.kind == YES_NO:
        return DataValidation(type="list", formula1=f'"{table().yes[0]},{table().no[0]}"', errorTitle="Chỉ ghi Có hoặc Không",
                              error=f"Cột «{title}»: chọn {table().yes[0]} hoặc {table().no[0]}.", **common)
    if column.kind in (ORG_REF, MEMBER_REF) or column.key == "truc_thuoc":
        name = "=DS_THANH_VIEN" if column.kind == MEMBER_REF else "=DS_TO_CHUC"
        return DataValidation(type="list", formula1=name, errorStyle="warning", errorTitle="Không có trong danh sách",
                              error=f"Cột «{title}»: tên này chưa có trong danh sách. Vẫn ghi nếu đúng.", **common)
    if column.kind in (DATE, MOMENT):
        return DataValidation(type="date", operator="between", formula1="1", formula2=str(MAX_SERIAL), errorTitle="Ngày không hợp lệ",
                              error=f"Cột «{title}»: ghi ngày dạng ngày/tháng/năm, ví dụ 05/02/1980.", **common)
    if column.kind in DIGITS:
        digits = DIGITS[column.kind]
        return DataValidation(type="textLength", operator="equal", formula1=str(digits), errorTitle="Sai số chữ số",
                              error=f"Cột «{title}»: ghi đủ {digits} chữ số.", **common)
    return None


def _list_formula(column: Column, names: list[str], workbook: Workbook, lists, list_columns: dict[str, str]) -> str:
    inline = '"' + ",".join(names) + '"'
    if len(inline) <= INLINE_LIST_LIMIT and not any("," in n or '"' in n for n in names):
        return inline
    letter = list_columns.get(column.key)
    if letter is None:
        letter = get_column_letter(len(list_columns) + 1)
        list_columns[column.key] = letter
        lists.cell(row=1, column=len(list_columns), value=column.header).font = Font(bold=True)
        for i, name in enumerate(names, start=2):
            lists.cell(row=i, column=len(list_columns), value=name)
        name = "DS_" + column.key.upper()
        _define(workbook, name, f"{quote_sheetname(lists.title)}!${letter}$2:${letter}${len(names) + 1}")
    return "=DS_" + column.key.upper()


def _guide(ws, rs: Ruleset, period: Period, shown: dict[str, list[Column]], extra: dict[str, list[str]]) -> None:
    t = table()
    bold = Font(bold=True)
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 26
    ws.column_dimensions["C"].width = 12
    ws.column_dimensions["D"].width = 40
    ws.column_dimensions["E"].width = 34
    ws.column_dimensions["F"].width = 34
    ws.column_dimensions["G"].width = 60
    what = "đánh giá, xếp loại chất lượng" if period.quarter else "kiểm điểm, đánh giá, xếp loại chất lượng"
    ws["A1"] = f"Danh sách tổ chức, đảng viên của đơn vị — {what} {period.phrase_vi}"
    ws["A1"].font = Font(bold=True, size=13)
    ws["A3"], ws["B3"] = YEAR_LABEL, period.year
    ws["A4"], ws["B4"] = RULESET_LABEL, rs.key
    ws["C4"] = f"{rs.name} ({rs.guidance})"
    for cell in (ws["A3"], ws["A4"]):
        cell.font = bold
    if period.quarter:
        ws["A5"], ws["B5"] = QUARTER_LABEL, period.quarter
        ws["C5"] = f"{period.title_vi}: mỗi đảng viên một bản tự đánh giá của quý (biểu mẫu theo {rs.name})."
        ws["A5"].font = bold
    steps = [
        "Cách dùng:",
        f"1. Trang «{t.sheet(ORGS).name}»: {t.sheet(ORGS).description}",
        f"2. Trang «{t.sheet(MEMBERS).name}»: {t.sheet(MEMBERS).description}",
        f"3. Trang «{t.sheet(EVENTS).name}»: {t.sheet(EVENTS).description}",
        f"4. Trang «{t.sheet(MEETINGS).name}»: {t.sheet(MEETINGS).description}",
        "5. Lưu tệp (dạng .xlsx), rồi chạy: hoso init THƯ_MỤC_ĐƠN_VỊ --roster TỆP.xlsx. hoso kiểm tra lại mọi ô (kể cả ô dán "
        "từ nơi khác) và báo lỗi kèm tên trang, ô; danh sách còn lỗi thì không tạo gì.",
        "6. Sửa danh sách rồi chạy lại lệnh trên để cập nhật đơn vị: thông tin nhân thân được cập nhật, nội dung bản kiểm "
        "điểm đã viết được giữ nguyên, không ai bị xóa khỏi đơn vị.",
        "Ô tô màu cam ở dòng đầu là cột bắt buộc. Ngày ghi dạng ngày/tháng/năm. Đừng đổi tên các trang; cột có thể đổi "
        "thứ tự, thêm cột khác thì hoso bỏ qua.",
    ]
    row = 6
    for line in steps:
        ws.cell(row=row, column=1, value=line).font = bold if line == steps[0] else Font()
        row += 1
    row += 1
    heads = ("Trang", "Cột", "Bắt buộc", "Giá trị", "Ghi vào", "Tên khác được nhận", "Giải thích")
    for i, text in enumerate(heads, start=1):
        cell = ws.cell(row=row, column=i, value=text)
        cell.font, cell.fill = bold, HEADER_FILL
    for sheet in t.sheets:
        for column in shown[sheet.key]:
            row += 1
            required = "bắt buộc" if column.required else ("nên có" if column.advised else "")
            values = [sheet.name, column.header, required, _kind_text(column, rs), column.target.get("mo_ta") or _target_text(column),
                      ", ".join([*column.aliases, *extra.get(column.key, [])]), column.help]
            for i, value in enumerate(values, start=1):
                ws.cell(row=row, column=i, value=value).alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"


KIND_TEXT = {TEXT: "chữ", CARD: "8 chữ số (định dạng Văn bản)", ID_CARD: "12 chữ số (định dạng Văn bản)",
             DATE: "ngày/tháng/năm", MOMENT: "ngày/tháng/năm giờ:phút", ORG_REF: "tên một tổ chức ở trang Tổ chức",
             MEMBER_REF: "họ và tên hoặc số thẻ của một đảng viên ở trang Thành viên", IGNORED: "không dùng"}


def _kind_text(column: Column, rs: Ruleset) -> str:
    if column.kind == CHOICE:
        names = list(choices(column, rs).values())
        return "chọn: " + "; ".join(names)
    if column.kind == YES_NO:
        return f"{table().yes[0]} / {table().no[0]}"
    if column.key == "truc_thuoc":
        return "tên một tổ chức ở trang này; dòng đứng đầu: tổ chức cấp trên ở ngoài đơn vị"
    return KIND_TEXT.get(column.kind, column.kind)


def _target_text(column: Column) -> str:
    parts = []
    if column.manifest_key:
        parts.append(f"{MANIFEST}: {column.sheet}[].{column.manifest_key}")
    if column.form_field:
        parts.append(f"biểu mẫu: {column.form_field}")
    return "; ".join(parts)


def _locality_aliases(settings: dict) -> dict[str, list[str]]:
    return {k: list(v) for k, v in ((settings.get("danh_sach") or {}).get("bi_danh") or {}).items()}


# -- reading a roster ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Ref:
    """A reference cell resolved: a row of the roster's own sheet, or a subject the existing unit already has."""

    row: int | None = None
    """Index of the referenced row among its sheet's data rows."""
    code: str | None = None
    """Code (``ma``) of the referenced subject of the existing unit."""
    name: str = ""


@dataclass
class Cell:
    """One non-empty cell, normalised."""

    value: Any
    ref: str
    """Where it is, "Thành viên!D14" (a CSV file: "D14")."""
    raw: Any = None


@dataclass
class Row:
    """One data row of a sheet: its cells by column key (empty cells absent)."""

    sheet: str
    number: int
    index: int
    cells: dict[str, Cell]
    letters: dict[str, str]
    title: str | None

    def value(self, key: str, default: Any = None) -> Any:
        cell = self.cells.get(key)
        return cell.value if cell is not None else default

    def ref(self, key: str | None = None) -> str:
        """The cell of a column in this row (even an empty one), or the row's first cell."""
        if key in self.cells:
            return self.cells[key].ref
        letter = self.letters.get(key or "", "A")
        return cell_ref(self.title, f"{letter}{self.number}")


def cell_ref(title: str | None, address: str) -> str:
    return address if title is None else f"{title}!{address}"


@dataclass
class Issue:
    """A problem of a roster before it is a finding: where it is (cell, row, column) and what it says."""

    severity: str
    message: str
    ref: str = ""
    row: Row | None = None
    column: str | None = None
    extra_path: str = ""
    """A JSON path below the row's subject, for problems of an entry the row adds (a circumstance, a meeting)."""


@dataclass
class Roster:
    """A roster as read: the ruleset and period it is for, the rows of each sheet, and every problem found."""

    path: Path
    year: int | None
    rs: Ruleset | None
    explicit_ruleset: bool
    file_year: int | None = None
    quarter: int | None = None
    """The quarter of the period (1…4), None for a year."""
    file_quarter: int | None = None
    """The quarter the workbook records (its template was made for a quarter)."""
    rows: dict[str, list[Row]] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    sheets_found: set[str] = field(default_factory=set)
    top: int | None = None
    """Index of the organisation that heads the unit (its parent is outside the unit)."""
    roles: dict[int, str] = field(default_factory=dict)
    """Member row index → role (``vai_tro``) of the member's form."""
    role_cells: dict[int, list[str]] = field(default_factory=dict)
    """Member row index → the cells the role was read from."""
    role_given: dict[int, bool] = field(default_factory=dict)
    """Member row index → whether the row says the role (subject group, leader or CB-CC-VC cell), not only the default."""
    implicit_org: bool = False
    """True when the roster had no organisation sheet and its only chi bộ was taken as the unit."""

    @property
    def shown(self) -> str:
        return self.path.name

    @property
    def period(self) -> Period | None:
        """The period the roster is read for (a year or a quarter), None when unknown."""
        return Period(self.year, self.quarter) if self.year else None

    @property
    def file_period(self) -> Period | None:
        """The period the workbook was made for, None when it records none (a CSV file, a workbook not from hoso)."""
        return Period(self.file_year, self.file_quarter) if self.file_year else None

    def of(self, sheet: str) -> list[Row]:
        return self.rows.get(sheet, [])

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    def origin(self, ref: str) -> str:
        return f"{self.shown}, ô {ref}" if ref else self.shown

    def findings(self, locate: Callable[[Issue], tuple[str, str]] | None = None) -> list[Finding]:
        """The problems as ROSTER findings: the file and JSON path the value goes to (``locate``; by default
        don_vi.yaml with subjects in roster order), the cell in the message and in ``origin``."""
        locate = locate or self.default_location
        out = []
        for issue in self.issues:
            file, path = locate(issue)
            message = f"{issue.ref}: {issue.message}" if issue.ref else issue.message
            out.append(Finding(RULE, issue.severity, file, path, message, BASIS, origin=self.origin(issue.ref)))
        return out

    def default_location(self, issue: Issue) -> tuple[str, str]:
        row = issue.row
        if row is None:
            return MANIFEST, "$"
        return MANIFEST, subject_path(self, row, issue.column, issue.extra_path)


def subject_path(roster: Roster, row: Row, column: str | None, extra: str = "", index_of: Callable[[str, int], int] | None = None) -> str:
    """The JSON path in don_vi.yaml of a row's value: its subject's entry and the column's key there."""
    index_of = index_of or (lambda sheet, i: i)
    col = table().column(column) if column else None
    if row.sheet in (ORGS, MEMBERS):
        base = f"$.{row.sheet}[{index_of(row.sheet, row.index)}]"
        if extra:
            return base + extra
        if col is not None and col.manifest_key:
            if row.sheet == ORGS and roster.top == row.index and col.key == "truc_thuoc":
                return "$.don_vi.cap_tren.ten"
            return f"{base}.{col.manifest_key}"
        return base
    target = row.value("thanh_vien" if row.sheet == EVENTS else "to_chuc_hop")
    kind = MEMBERS if row.sheet == EVENTS else ORGS
    if not isinstance(target, Ref) or target.row is None:
        return f"$.{kind}"
    base = f"$.{kind}[{index_of(kind, target.row)}]"
    if extra:
        return base + extra
    if row.sheet == EVENTS:
        spec = table().events.get(row.value("loai_hoan_canh"))
        if spec is None:
            return base
        sub = next((k for k, c in spec["truong"].items() if c == column), None)
        return f"{base}.{spec['dich']}" + (f".{sub}" if sub and not spec.get("nhieu") else "")
    if column == "ngay_gui_du_thao":
        return f"{base}.hop.ngay_gui_du_thao"
    return f"{base}.hop.buoi" if column in ("bat_dau", "ket_thuc") else f"{base}.hop"


def read_roster(path: str | Path, *, year: int | None = None, quarter: int | None = None, ruleset_key: str | None = None,
                locality_file: str | Path | None = None, known_orgs: dict[str, str] | None = None,
                known_members: list[tuple[str, str, str | None]] | None = None, default_year: int | None = None) -> Roster:
    """Read a filled roster (.xlsx, or .csv of the members sheet) and check every cell; never raises for bad input.

    The period: ``year`` and ``quarter`` when given (a year alone is a year period; a quarter alone is a quarter of the
    workbook's year), else what the workbook records (year and quarter), else ``default_year`` (with a warning), else
    an error. A workbook made for the other kind of period (a year's roster read for a quarter, or the reverse) is an
    error; one made for another period of the same kind is read for the period asked, with a warning.
    ``ruleset_key`` overrides the ruleset the workbook records; ``known_orgs`` (name → code) and ``known_members``
    ((code, name, card)) are the subjects of an existing unit, which references may name.
    Problems are in ``Roster.issues`` (``Roster.findings()`` turns them into findings).
    """
    path = Path(path)
    roster = Roster(path, year, None, False)
    try:
        quarter = check_quarter(quarter)
    except UsageError as exc:
        roster.issues.append(Issue("error", exc.message))
        return roster
    sheets, meta = _open(path, roster)
    if sheets is None:
        return roster
    roster.file_year, roster.file_quarter = meta.get("nam"), meta.get("quy")
    asked = year is not None or quarter is not None
    roster.year = year or roster.file_year
    roster.quarter = quarter if asked else roster.file_quarter
    if roster.year is None and default_year:
        roster.year = default_year
        roster.issues.append(Issue("warning", f"Tệp không ghi kỳ đánh giá: dùng {roster.period.label_vi} (chọn kỳ khác bằng --nam)."))
    if roster.year is None:
        roster.issues.append(Issue("error", "Không biết năm đánh giá: tệp không ghi năm (tệp mẫu của hoso ghi ở trang "
                                            f"«{table().guide}»); ghi --nam."))
        return roster
    made, period = roster.file_period, roster.period
    if asked and made is not None and made != period:
        if made.kind != period.kind:
            roster.issues.append(Issue("error", f"{MADE_FOR}{made.label_vi}, không dùng được cho {period.label_vi}: các cột, danh sách chọn "
                                                f"và bộ quy tắc của tệp là của {made.label_vi}. Lập tệp mẫu cho {period.label_vi} (hoso "
                                                "roster template) rồi chép danh sách sang."))
            return roster
        roster.issues.append(Issue("warning", f"{MADE_FOR}{made.label_vi}; dùng {period.label_vi}."))
    key = ruleset_key or meta.get("bo_quy_tac") or registry.default_ruleset(roster.year, roster.quarter)
    try:
        roster.rs = resolve_ruleset(roster.year, key, roster.quarter)
    except (UsageError, ConfigError) as exc:
        roster.issues.append(Issue("error", exc.message))
        return roster
    roster.explicit_ruleset = roster.rs.key != registry.default_ruleset(roster.year, roster.quarter)
    try:
        settings = load_settings(roster.rs, locality_file)
    except LocalityError as exc:
        roster.issues += [Issue("error", f"{f.file}: {f.json_path}: {f.message_vi}") for f in exc.findings]
        return roster
    extra = _locality_aliases(settings)
    for key in extra:
        if table().column(key) is None:
            roster.issues.append(Issue("error", f"Thiết lập địa phương danh_sach.bi_danh ghi cột '{key}', không có trong rosters/{TABLE_FILE}."))
    _Reader(roster, sheets, extra, known_orgs or {}, known_members or []).read()
    return roster


def _open(path: Path, roster: Roster) -> tuple[list[tuple[str | None, list[tuple]]] | None, dict]:
    """The sheets of a roster file as (title, rows of values) and what the workbook records (year, ruleset)."""
    suffix = path.suffix.lower()
    fail = lambda message: (roster.issues.append(Issue("error", message)), (None, {}))[1]  # noqa: E731
    if suffix == ".xls":
        return fail(f"{path.name} là tệp Excel cũ (.xls), hoso không đọc được. Lưu lại tệp dưới dạng .xlsx (trong Excel: Tệp → Lưu "
                    "thành → Sổ làm việc Excel) rồi chạy lại.")
    if suffix not in (".xlsx", ".xlsm", ".csv"):
        return fail(f"{path.name}: hoso đọc tệp Excel .xlsx hoặc CSV. Lưu lại tệp dưới dạng .xlsx rồi chạy lại.")
    try:
        if suffix == ".csv":
            return [(None, _csv_rows(path.read_bytes()))], {}
        return _xlsx(path)
    except PermissionError:
        return fail(f"Không mở được {path.name}, có lẽ tệp đang mở. Đóng tệp trong Excel rồi thử lại.")
    except FileNotFoundError:
        return fail(f"Không có tệp {path}.")
    except UnicodeDecodeError:
        return fail(f"{path.name} không phải văn bản UTF-8: trong Excel chọn Lưu thành «CSV UTF-8 (Comma delimited)».")
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        return fail(f"{path.name} không phải tệp .xlsx đọc được ({type(exc).__name__}). Mở bằng Excel, lưu lại tệp dưới dạng .xlsx rồi "
                    "chạy lại.")


def _xlsx(path: Path) -> tuple[list[tuple[str, list[tuple]]], dict]:
    t = table()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about extensions and styles it does not read
        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            meta: dict = {}
            names = {k: v.attr_text for k, v in workbook.defined_names.items()}
            year_text = str(names.get(t.names["nam"], "")).strip().lstrip("=")
            if year_text.isdigit():
                meta["nam"] = int(year_text)
                quarter_text = str(names.get(t.names["quy"], "")).strip().lstrip("=")
                if quarter_text in ("1", "2", "3", "4"):
                    meta["quy"] = int(quarter_text)
            ruleset_text = str(names.get(t.names["bo_quy_tac"], "")).strip().lstrip("=").strip('"')
            if ruleset_text:
                meta["bo_quy_tac"] = ruleset_text
            sheets = []
            for ws in workbook.worksheets:
                rows = [tuple(row) for row in ws.iter_rows(values_only=True)]
                if norm(ws.title) == norm(t.guide) and "nam" not in meta:
                    meta.update(_guide_meta(rows))
                sheets.append((ws.title, rows))
        finally:
            workbook.close()
    return sheets, meta


def _guide_meta(rows: list[tuple]) -> dict:
    """Year, quarter and ruleset from the guide sheet's cells ("Năm đánh giá" | 2026), when the defined names were lost."""
    found = {}
    for row in rows[:10]:
        if len(row) >= 2 and norm(row[0]) == norm(YEAR_LABEL) and str(row[1] or "").strip().isdigit():
            found["nam"] = int(str(row[1]).strip())
        if len(row) >= 2 and norm(row[0]) == norm(QUARTER_LABEL) and str(row[1] or "").strip() in ("1", "2", "3", "4"):
            found["quy"] = int(str(row[1]).strip())
        if len(row) >= 2 and norm(row[0]) == norm(RULESET_LABEL) and row[1]:
            found["bo_quy_tac"] = str(row[1]).strip()
    return found


def _csv_rows(data: bytes) -> list[tuple]:
    text = data.decode("utf-8-sig")
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first.count)
    return [tuple(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


class _Reader:
    """Reads the sheets of one roster into its rows and issues."""

    def __init__(self, roster: Roster, sheets: list, extra: dict[str, list[str]], known_orgs: dict[str, str],
                 known_members: list[tuple[str, str, str | None]]):
        self.roster, self.sheets, self.extra = roster, sheets, extra
        self.rs = roster.rs
        self.known_orgs = {norm(name): code for name, code in known_orgs.items()}
        self.known_org_names = {norm(name): name for name in known_orgs}
        self.known_members = known_members
        self.choice_maps: dict[str, dict[str, str]] = {}

    def issue(self, severity: str, message: str, row: Row | None = None, column: str | None = None, extra_path: str = "") -> None:
        ref = row.ref(column) if row is not None else ""
        self.roster.issues.append(Issue(severity, message, ref, row, column, extra_path))

    # -- sheets and headers ------------------------------------------------------------------------
    def read(self) -> None:
        t = table()
        ignored = {norm(t.guide), norm(t.lists)}
        unmatched = []
        chosen: dict[str, tuple[str | None, list[tuple]]] = {}
        for title, rows in self.sheets:
            if title is not None and norm(title) in ignored:
                continue
            key = self._sheet_by_name(title)
            if key is not None and key not in chosen:
                chosen[key] = (title, rows)
            else:
                unmatched.append((title, rows))
        for title, rows in unmatched:
            key = self._sheet_by_headers(rows, exclude=set(chosen))
            if key is not None:
                chosen[key] = (title, rows)
        if not chosen:
            self.issue("error", "Không tìm thấy trang danh sách nào: cần ít nhất trang «Thành viên» có dòng tên cột "
                                "(Họ và tên, Ngày vào Đảng, Chi bộ…).")
            return
        for key in (ORGS, MEMBERS, EVENTS, MEETINGS):
            if key in chosen:
                title, rows = chosen[key]
                self.roster.sheets_found.add(key)
                self.roster.rows[key] = self._rows(t.sheet(key), title, rows)
        if MEMBERS not in chosen:
            self.issue("error", f"Thiếu trang «{t.sheet(MEMBERS).name}» (danh sách đảng viên).")
        self._check_orgs()
        self._check_members()
        self._check_events()
        self._check_meetings()

    def _names(self, column: Column) -> set[str]:
        return {header_key(h) for h in (column.header, *column.aliases, *self.extra.get(column.key, ()))}

    def _sheet_by_name(self, title: str | None) -> str | None:
        if title is None:
            return None
        for sheet in table().sheets:
            if norm(title) in {norm(n) for n in (sheet.name, *sheet.aliases)}:
                return sheet.key
        return None

    def _sheet_by_headers(self, rows: list[tuple], exclude: set[str]) -> str | None:
        """The sheet whose columns a header row matches best (a CSV file, a sheet named by another program)."""
        best, score = None, 0
        for sheet in table().sheets:
            if sheet.key in exclude:
                continue
            _, found = self._header_row(sheet, rows)
            required = [c for c in sheet.columns if c.required]
            hits = len(found) + sum(1 for c in required if c.key in found.values())
            if len(found) >= 2 and hits > score:
                best, score = sheet.key, hits
        return best

    def _header_row(self, sheet: Sheet, rows: list[tuple]) -> tuple[int, dict[int, str]]:
        """The header row (0-based) among the first rows and its matched columns (position → column key)."""
        names = {c.key: self._names(c) for c in sheet.columns}
        best_at, best = 0, {}
        for at, row in enumerate(rows[:HEADER_SCAN_ROWS]):
            found = {}
            for i, value in enumerate(row):
                key = header_key(value)
                match = next((k for k, n in names.items() if key and key in n), None)
                if match is not None:
                    found[i] = match
            if len(found) > len(best):
                best_at, best = at, found
        return best_at, best

    def _rows(self, sheet: Sheet, title: str | None, rows: list[tuple]) -> list[Row]:
        at, found = self._header_row(sheet, rows)
        header = rows[at] if rows else ()
        letters: dict[str, str] = {}
        for i, key in sorted(found.items()):
            if key in letters:
                self.roster.issues.append(Issue("error", f"Hai cột cùng là cột «{sheet.column(key).header}» ({letters[key]} và "
                                                         f"{get_column_letter(i + 1)}): xóa hoặc đổi tên một cột.",
                                                cell_ref(title, f"{get_column_letter(i + 1)}{at + 1}")))
                continue
            letters[key] = get_column_letter(i + 1)
        for i, value in enumerate(header):
            if i not in found and clean_text(value):
                self.roster.issues.append(Issue("info", f"Cột «{show(clean_text(value))}» không phải cột hoso dùng: bỏ qua.",
                                                cell_ref(title, f"{get_column_letter(i + 1)}{at + 1}")))
        data_rows = []
        positions = {key: i for i, key in found.items() if letters.get(key) == get_column_letter(i + 1)}
        for number, values in enumerate(rows[at + 1:], start=at + 2):
            if all(clean_text(v) is None for v in values):
                continue
            row = Row(sheet.key, number, len(data_rows), {}, letters, title)
            for key, i in positions.items():
                raw = values[i] if i < len(values) else None
                if clean_text(raw) is None and not isinstance(raw, (int, float, dt.date)):
                    continue
                column = sheet.column(key)
                if column.kind == IGNORED:
                    continue
                ref = cell_ref(title, f"{letters[key]}{number}")
                value = self._convert(column, raw, ref, row)
                if value is not None:
                    row.cells[key] = Cell(value, ref, raw)
            data_rows.append(row)
        missing = [c for c in sheet.columns if c.required and c.key not in letters and not self._implied(sheet, c)]
        if missing and data_rows:
            for column in missing:
                self.roster.issues.append(Issue("error", f"Trang «{sheet.name}» thiếu cột «{column.header}» (bắt buộc).",
                                                cell_ref(title, "A1")))
        return data_rows

    def _implied(self, sheet: Sheet, column: Column) -> bool:
        """A required column that may be left out: the chi bộ when the unit has a single organisation."""
        return column.key == "chi_bo" and (self._single_org() is not None)

    def _single_org(self) -> str | None:
        orgs = self.roster.rows.get(ORGS)
        if orgs is not None:
            return orgs[0].value("ten_to_chuc") if len(orgs) == 1 else None
        return next(iter(self.known_org_names.values())) if len(self.known_org_names) == 1 else None

    # -- values ------------------------------------------------------------------------------------
    def _convert(self, column: Column, raw: Any, ref: str, row: Row) -> Any:
        """The normalised value of a cell, or None (with an issue) when it cannot be read."""
        try:
            return CONVERTERS[column.kind](self, column, raw, ref)
        except _Bad as bad:
            self.roster.issues.append(Issue("error", f"{column.header}: {bad.message}", ref, row, column.key))
            return None
        except _Note as note:
            self.roster.issues.append(Issue("warning", f"{column.header}: {note.message}", ref, row, column.key))
            return note.value

    def _digits(self, column: Column, raw: Any, ref: str) -> str:
        return digits_of(DIGITS[column.kind], raw)

    def _text(self, column: Column, raw: Any, ref: str) -> str:
        return text_of(raw)

    def _date(self, column: Column, raw: Any, ref: str) -> str:
        day = parse_day(raw)
        if isinstance(day, str):
            raise _Bad(day)
        return day.isoformat()

    def _moment(self, column: Column, raw: Any, ref: str) -> str:
        moment = parse_moment(raw)
        if isinstance(moment, str):
            raise _Bad(moment)
        return f"{moment:%Y-%m-%dT%H:%M}"

    def _yes_no(self, column: Column, raw: Any, ref: str) -> bool:
        if isinstance(raw, bool):
            return raw
        key = norm(raw)
        if key in {norm(w) for w in table().yes}:
            return True
        if key in {norm(w) for w in table().no}:
            return False
        raise _Bad(f"«{show(clean_text(raw))}» không phải {table().yes[0]} hay {table().no[0]}.")

    def _choice(self, column: Column, raw: Any, ref: str) -> str:
        known = self.choice_maps.get(column.key)
        if known is None:
            known = self.choice_maps[column.key] = _choice_aliases(column, self.rs)
        text = clean_text(self._text(column, raw, ref))
        code = known.get(norm(text)) or known.get(_plain(text or ""))
        if code is None:
            options = list(choices(column, self.rs).values())
            listed = "; ".join(f"«{o}»" for o in options[:12]) + ("; …" if len(options) > 12 else "")
            raise _Bad(f"«{show(text)}» không có trong danh sách chọn ({listed}).")
        return code

    def _reference(self, column: Column, raw: Any, ref: str) -> str:
        if isinstance(raw, (int, float)) and column.kind == MEMBER_REF:
            return digits_of(DIGITS[CARD], raw)
        return text_of(raw)

    # -- checks across rows ----------------------------------------------------------------------------
    def _check_orgs(self) -> None:
        orgs = self.roster.rows.get(ORGS)
        if orgs is None:
            self._implicit_org()
            return
        seen: dict[str, Row] = {}
        for row in orgs:
            name = row.value("ten_to_chuc")
            if name is None:
                self.issue("error", "Thiếu tên tổ chức.", row, "ten_to_chuc")
                continue
            if norm(name) in seen:
                self.issue("error", f"Tổ chức «{show(name)}» ghi hai lần: {seen[norm(name)].ref('ten_to_chuc')} và {row.ref('ten_to_chuc')}.",
                           row, "ten_to_chuc")
                continue
            seen[norm(name)] = row
            self._required(row)
        kinds = org_kinds()
        tops = []
        for row in orgs:
            parent = row.value("truc_thuoc")
            if parent is None:
                continue
            inside = seen.get(norm(parent))
            if inside is row:
                self.issue("error", "Tổ chức không thể trực thuộc chính nó.", row, "truc_thuoc")
            elif inside is not None:
                row.cells["truc_thuoc"].value = Ref(row=inside.index, name=inside.value("ten_to_chuc"))
            elif norm(parent) in self.known_orgs:
                row.cells["truc_thuoc"].value = Ref(code=self.known_orgs[norm(parent)], name=self.known_org_names[norm(parent)])
            else:
                tops.append(row)
            authority = row.value("tham_quyen_ky")
            kind = kinds.get(row.value("loai_to_chuc")) or {}
            accepted = [a["ky"] for a in kind.get("tham_quyen") or []]
            if authority is not None and row.value("loai_to_chuc") and authority not in accepted:
                shown = ", ".join(f"«{a}»" for a in accepted) or "không ký văn bản của Đảng"
                self.issue("error", f"Thẩm quyền ký «{authority}» không dùng cho {kind.get('ten', '').lower()} ({shown}).", row, "tham_quyen_ky")
        if len(tops) > 1:
            listed = ", ".join(f"«{r.value('ten_to_chuc')}» ({r.ref('truc_thuoc')})" for r in tops)
            for row in tops[1:]:
                self.issue("error", f"Chỉ một tổ chức đứng đầu đơn vị được ghi cấp trên ở ngoài đơn vị; ở đây có {len(tops)}: {listed}. "
                                    "Các tổ chức khác ghi «Trực thuộc» là tên một tổ chức ở trang này.", row, "truc_thuoc")
        elif tops:
            self.roster.top = tops[0].index
        elif orgs and not self.known_orgs:
            self.issue("error", "Không có tổ chức đứng đầu đơn vị: một dòng phải ghi «Trực thuộc» là tổ chức cấp trên ở ngoài đơn vị.",
                       orgs[0], "truc_thuoc")
        self._no_circle(orgs)

    def _no_circle(self, orgs: list[Row]) -> None:
        for row in orgs:
            seen, current = set(), row
            while current is not None:
                if current.index in seen:
                    self.issue("error", "Các tổ chức trực thuộc nhau thành vòng tròn: sửa cột «Trực thuộc».", row, "truc_thuoc")
                    break
                seen.add(current.index)
                parent = current.value("truc_thuoc")
                current = orgs[parent.row] if isinstance(parent, Ref) and parent.row is not None else None

    def _implicit_org(self) -> None:
        """No organisation sheet: the existing unit's organisations, or the members' only chi bộ as the unit."""
        if self.known_orgs:
            return
        names = {}
        for row in self.roster.rows.get(MEMBERS, []):
            if row.value("chi_bo"):
                names.setdefault(norm(row.value("chi_bo")), row)
        if len(names) != 1:
            self.issue("error", f"Tệp không có trang «{table().sheet(ORGS).name}»: hoso chỉ lập được đơn vị là một chi bộ (mọi "
                                f"đảng viên cùng cột Chi bộ); ở đây có {len(names)} tên chi bộ. Dùng tệp Excel theo mẫu "
                                "(hoso roster template) và điền trang Tổ chức.")
            return
        first = next(iter(names.values()))
        name = first.value("chi_bo")
        kind = table().data.get("loai_mot_chi_bo")
        cells = {"ten_to_chuc": Cell(name, first.ref("chi_bo"))}
        if kind:
            cells["loai_to_chuc"] = Cell(kind, first.ref("chi_bo"))
        self.roster.rows[ORGS] = [Row(ORGS, first.number, 0, cells, {}, first.title)]
        self.roster.top = 0
        self.roster.implicit_org = True

    def _required(self, row: Row) -> None:
        for column in table().sheet(row.sheet).columns:
            if column.key in row.cells:
                continue
            if column.required and not (column.key == "chi_bo" and self._single_org()):
                if column.key in row.letters or column.key == "ten_to_chuc":
                    self.issue("error", f"Thiếu {column.label} (cột bắt buộc).", row, column.key)
            elif column.advised and column.key in row.letters:
                self.issue("warning", f"Chưa ghi {column.label}.", row, column.key)

    def _org_ref(self, row: Row, key: str) -> None:
        cell = row.cells.get(key)
        if cell is None:
            single = self._single_org() if key == "chi_bo" else None
            if single is not None:
                orgs = self.roster.rows.get(ORGS)
                row.cells[key] = Cell(Ref(row=0, name=single) if orgs else Ref(code=self.known_orgs[norm(single)], name=single), row.ref(key))
            return
        orgs = self.roster.rows.get(ORGS) or []
        text = cell.value
        found = next((o for o in orgs if norm(o.value("ten_to_chuc")) == norm(text)), None)
        if found is not None:
            cell.value = Ref(row=found.index, name=found.value("ten_to_chuc"))
        elif norm(text) in self.known_orgs:
            cell.value = Ref(code=self.known_orgs[norm(text)], name=self.known_org_names[norm(text)])
        else:
            del row.cells[key]
            self.issue("error", f"Không có tổ chức «{show(text)}» ở trang «{table().sheet(ORGS).name}»: ghi đúng tên như ở đó.", row, key)

    def _member_ref(self, row: Row, key: str) -> None:
        cell = row.cells.get(key)
        if cell is None:
            return
        text = cell.value
        members = self.roster.rows.get(MEMBERS) or []
        if re.fullmatch(r"[0-9]{8}", text):
            found = [m for m in members if m.value("so_the") == text]
            known = [k for k in self.known_members if k[2] == text]
        else:
            found = [m for m in members if norm(m.value("ho_ten")) == norm(text)]
            known = [k for k in self.known_members if norm(k[1]) == norm(text)]
        if len(found) == 1:
            cell.value = Ref(row=found[0].index, name=found[0].value("ho_ten"))
        elif len(found) > 1:
            del row.cells[key]
            listed = ", ".join(m.ref("ho_ten") for m in found)
            self.issue("error", f"Có {len(found)} đảng viên tên «{show(text)}» ({listed}): ghi số thẻ đảng viên thay cho họ tên.", row, key)
        elif len(known) == 1:
            cell.value = Ref(code=known[0][0], name=known[0][1])
        else:
            del row.cells[key]
            self.issue("error", f"Không có đảng viên «{show(text)}» ở trang «{table().sheet(MEMBERS).name}».", row, key)

    def _check_members(self) -> None:
        members = self.roster.rows.get(MEMBERS) or []
        by_card: dict[str, Row] = {}
        by_id: dict[str, Row] = {}
        by_person: dict[tuple[str, str], Row] = {}
        for row in members:
            self._required(row)
            self._org_ref(row, "chi_bo")
            for key, seen, what in (("so_the", by_card, "số thẻ đảng viên"), ("so_cccd", by_id, "số CCCD")):
                value = row.value(key)
                if value is None:
                    continue
                if value in seen:
                    self.issue("error", f"Trùng {what} {value} với dòng {seen[value].number} ({seen[value].ref(key)}): "
                                        "hai dòng là một người, hoặc một số bị ghi nhầm.", row, key)
                else:
                    seen[value] = row
            name, born = row.value("ho_ten"), row.value("ngay_sinh")
            if name and born:
                person = (norm(name), born)
                if person in by_person:
                    other = by_person[person]
                    self.issue("error", f"Đảng viên «{show(name)}» sinh ngày {vn_date(born)} ghi hai lần: dòng {other.number} "
                                        f"({other.ref('ho_ten')}) và dòng {row.number} ({row.ref('ho_ten')}).", row, "ho_ten")
                else:
                    by_person[person] = row
            self._dates(row)
            self._status(row)
            if needs_form(row):
                self._role(row)
        for row in self.roster.rows.get(ORGS) or []:
            if not self.roster.implicit_org:
                self._member_ref(row, "nguoi_dung_dau")

    def _dates(self, row: Row) -> None:
        born, admitted, official = row.value("ngay_sinh"), row.value("ngay_vao_dang"), row.value("ngay_chinh_thuc")
        if born and admitted and admitted <= born:
            self.issue("error", f"Ngày vào Đảng {vn_date(admitted)} không sau ngày sinh {vn_date(born)}.", row, "ngay_vao_dang")
        if admitted and official and official < admitted:
            self.issue("error", f"Ngày chính thức {vn_date(official)} trước ngày vào Đảng {vn_date(admitted)}.", row, "ngay_chinh_thuc")
        period = self.roster.period
        end = period.end.isoformat()
        for key in ("ngay_sinh", "ngay_vao_dang", "ngay_chinh_thuc"):
            value = row.value(key)
            if value and value > end:
                column = table().sheet(MEMBERS).column(key)
                what = f"năm đánh giá {period.year}" if period.quarter is None else f"kỳ đánh giá ({period.label_vi})"
                self.issue("error", f"{column.header} {vn_date(value)} sau {what}.", row, key)

    def _status(self, row: Row) -> None:
        status = row.value("tinh_trang")
        default = table().sheet(MEMBERS).column("tinh_trang").default
        if status is not None and status != default and row.value("ly_do") is None:
            self.issue("error", "Tình trạng không phải kiểm điểm, xếp loại bình thường thì phải ghi lý do (cột Lý do).", row, "ly_do")
        if row.value("ly_do") is not None and (status is None or status == default):
            self.issue("warning", "Có lý do chưa kiểm điểm, xếp loại nhưng cột Tình trạng để trống: lý do được ghi, tình trạng vẫn là "
                                  "kiểm điểm, xếp loại.", row, "tinh_trang")
        if row.value("loai_cbccvc") is not None and row.value("cbccvc") is False:
            self.issue("warning", "Có loại CB-CC-VC nhưng cột CB-CC-VC ghi Không.", row, "loai_cbccvc")

    def _role(self, row: Row) -> None:
        """The role of the member's form: the subject group when given, else the leader flag (and CB-CC-VC)."""
        rs, roles = self.rs, self.rs.roles
        group, leader, civil = row.value("nhom_doi_tuong"), row.value("lanh_dao"), row.value("cbccvc")
        used = [row.ref(k) for k in ("nhom_doi_tuong", "lanh_dao", "cbccvc") if k in row.cells]
        if group is not None:
            if group not in roles:
                self.issue("error", f"Nhóm đối tượng này không có trong {rs.name} (các nhóm: "
                                    f"{'; '.join(r.get('ten', k) for k, r in roles.items())}).", row, "nhom_doi_tuong")
                return
            if leader is not None and rs.is_leader_role(group) != leader:
                self.issue("error", f"Cột «Lãnh đạo, quản lý» ghi {table().yes[0] if leader else table().no[0]} nhưng nhóm đối tượng là "
                                    f"«{roles[group].get('ten', group)}».", row, "lanh_dao")
                return
            role = group
        else:
            candidates = [r for r in roles if rs.is_leader_role(r) == bool(leader)]
            inside = [r for r in candidates if (roles[r] or {}).get("trong_he_thong", True) is not False]
            if len(candidates) == 1:
                role = candidates[0]
            elif civil and len(inside) == 1:
                role = inside[0]
            elif not candidates:
                self.issue("error", f"{rs.name} không có vai trò nào {'giữ' if leader else 'không giữ'} chức vụ lãnh đạo, quản lý.", row, "lanh_dao")
                return
            else:
                listed = "; ".join(f"«{roles[r].get('ten', r)}»" for r in candidates)
                self.issue("error", f"Chọn nhóm đối tượng (cột «Nhóm đối tượng»): {listed}.", row, "nhom_doi_tuong")
                return
        if civil and (roles[role] or {}).get("trong_he_thong", True) is False:
            self.issue("error", f"Đảng viên là cán bộ, công chức, viên chức nhưng nhóm đối tượng là «{roles[role].get('ten', role)}».", row, "cbccvc")
            return
        if rs.is_leader_role(role) and not any(row.value(k) for k in ("chuc_vu_dang", "chuc_vu_chinh_quyen", "chuc_vu_doan_the")):
            self.issue("warning", "Giữ chức vụ lãnh đạo, quản lý nhưng chưa ghi chức vụ (Đảng, chính quyền hoặc đoàn thể): bản kiểm "
                                  "điểm cần ít nhất một chức vụ.", row, "chuc_vu_dang")
        self.roster.roles[row.index] = role
        self.roster.role_cells[row.index] = used or [row.ref("ho_ten")]
        self.roster.role_given[row.index] = bool(used)

    def _check_events(self) -> None:
        events = self.roster.rows.get(EVENTS) or []
        kinds = table().events
        once: dict[tuple, Row] = {}
        for row in events:
            self._required(row)
            self._member_ref(row, "thanh_vien")
            kind = row.value("loai_hoan_canh")
            if kind is None:
                continue
            spec = kinds[kind]
            used = set(spec["truong"].values())
            for key in spec.get("bat_buoc") or []:
                if key not in row.cells:
                    column = table().column(key)
                    self.issue("error", f"{spec['ten']}: phải ghi {column.label}.", row, key)
            for key in row.cells:
                if key not in used and key not in ("thanh_vien", "loai_hoan_canh"):
                    self.issue("warning", f"Cột «{table().column(key).header}» không dùng cho «{spec['ten']}»: bỏ qua.", row, key)
            start, end = row.value("tu_ngay"), row.value("den_ngay")
            if start and end and "den_ngay" in used and end < start:
                self.issue("error", f"Đến ngày {vn_date(end)} trước từ ngày {vn_date(start)}.", row, "den_ngay")
            member = row.value("thanh_vien")
            if not spec.get("nhieu") and isinstance(member, Ref):
                key = (member.row, member.code, kind)
                if key in once:
                    self.issue("error", f"«{spec['ten']}» của {member.name} ghi hai lần (dòng {once[key].number} và {row.number}): "
                                        "chỉ ghi một dòng.", row, "loai_hoan_canh")
                else:
                    once[key] = row

    def _check_meetings(self) -> None:
        sent: dict[tuple, Row] = {}
        for row in self.roster.rows.get(MEETINGS) or []:
            self._required(row)
            self._org_ref(row, "to_chuc_hop")
            start, end = row.value("bat_dau"), row.value("ket_thuc")
            if start and end and end <= start:
                self.issue("error", f"Kết thúc {vn_moment(end)} không sau bắt đầu {vn_moment(start)}.", row, "ket_thuc")
            org, draft = row.value("to_chuc_hop"), row.value("ngay_gui_du_thao")
            if isinstance(org, Ref) and draft:
                key = (org.row, org.code)
                if key in sent and sent[key].value("ngay_gui_du_thao") != draft:
                    self.issue("error", f"Ngày gửi dự thảo của {org.name} ghi khác nhau: {vn_date(sent[key].value('ngay_gui_du_thao'))} "
                                        f"({sent[key].ref('ngay_gui_du_thao')}) và {vn_date(draft)}.", row, "ngay_gui_du_thao")
                sent.setdefault(key, row)


class _Bad(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class _Note(Exception):
    """A value that was read, with a warning about how."""

    def __init__(self, message: str, value: Any):
        super().__init__(message)
        self.message, self.value = message, value


def digits_of(count: int, raw: Any) -> str:
    """A number of ``count`` digits from a cell; raises _Bad, or _Note when leading zeros were added back."""
    if isinstance(raw, bool):
        raise _Bad(f"ghi {count} chữ số.")
    if isinstance(raw, (int, float)):
        if isinstance(raw, float) and not raw.is_integer():
            raise _Bad(f"«{show(raw)}» không phải {count} chữ số.")
        text = str(int(raw))
        if len(text) > count:
            raise _Bad(f"«{text}» có {len(text)} chữ số, phải có {count}.")
        return text.zfill(count)  # Excel drops the leading zeros of a number
    text = clean_text(raw) or ""
    if re.fullmatch(r"[0-9.,]+[eE]\+?[0-9]+", text):
        raise _Bad(f"«{show(text)}» đã bị Excel đổi sang dạng số mũ nên mất chữ số: định dạng cột là Văn bản (Text) rồi ghi lại.")
    compact = re.sub(r"[\s.\-]", "", text)
    if not compact.isdigit():
        raise _Bad(f"«{show(text)}» phải gồm {count} chữ số.")
    if len(compact) > count:
        raise _Bad(f"«{show(text)}» có {len(compact)} chữ số, phải có {count}.")
    if len(compact) < count:
        raise _Note(f"«{show(text)}» chỉ có {len(compact)} chữ số: hoso thêm số 0 ở đầu thành {compact.zfill(count)} "
                    "(Excel bỏ số 0 ở đầu khi cột không định dạng Văn bản); kiểm tra lại.", compact.zfill(count))
    return compact


def text_of(raw: Any) -> str | None:
    """A text cell: a number Excel stored is written without ".0", a date as dd/mm/yyyy."""
    if isinstance(raw, dt.datetime):
        return f"{raw:%d/%m/%Y}"
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return clean_text(raw)


CONVERTERS: dict[str, Callable] = {
    TEXT: _Reader._text, CARD: _Reader._digits, ID_CARD: _Reader._digits, DATE: _Reader._date, MOMENT: _Reader._moment,
    YES_NO: _Reader._yes_no, CHOICE: _Reader._choice, ORG_REF: _Reader._reference, MEMBER_REF: _Reader._reference,
}


# -- dates -----------------------------------------------------------------------------------------------------------
_DMY = re.compile(r"([0-9]{1,2})\s*[/.\-]\s*([0-9]{1,2})\s*[/.\-]\s*([0-9]{2,4})")
_YMD = re.compile(r"([0-9]{4})\s*-\s*([0-9]{1,2})\s*-\s*([0-9]{1,2})")
_TIME = re.compile(r"([0-9]{1,2})\s*(?::|h|giờ)\s*([0-9]{2})?\s*(?:phút|p)?", re.IGNORECASE)


def parse_day(raw: Any) -> dt.date | str:
    """A date from a cell (datetime, Excel serial number, dd/mm/yyyy, d/m/yyyy or yyyy-mm-dd text), or why not."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, bool):
        return "không phải ngày."
    if isinstance(raw, (int, float)):
        if MIN_SERIAL <= raw <= MAX_SERIAL:
            return EXCEL_EPOCH + dt.timedelta(days=int(raw))
        return f"«{show(raw)}» không phải ngày: ghi dạng ngày/tháng/năm, ví dụ 05/02/1980."
    text = clean_text(raw) or ""
    match = _YMD.fullmatch(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _DMY.fullmatch(text)
        if not match:
            return f"«{show(text)}» không phải ngày: ghi dạng ngày/tháng/năm, ví dụ 05/02/1980."
        day, month, year = (int(g) for g in match.groups())
        if len(match.group(3)) != 4:
            return f"«{show(text)}»: ghi năm đủ bốn chữ số (ví dụ 05/02/1980)."
    try:
        found = dt.date(year, month, day)
    except ValueError:
        return f"«{show(text)}» không phải ngày có thật (ngày/tháng/năm)."
    if not 1900 <= found.year <= 2100:
        return f"«{show(text)}»: năm phải từ 1900 đến 2100."
    return found


def parse_moment(raw: Any) -> dt.datetime | str:
    """A date and time from a cell (datetime, Excel serial, "06/12/2026 07:30", "2026-12-06T07:30"), or why not."""
    if isinstance(raw, dt.datetime):
        return raw.replace(second=0, microsecond=0)
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and MIN_SERIAL <= raw <= MAX_SERIAL:
        moment = dt.datetime.combine(EXCEL_EPOCH, dt.time()) + dt.timedelta(days=float(raw))
        return (moment + dt.timedelta(seconds=30)).replace(second=0, microsecond=0)
    text = clean_text(raw) or ""
    parts = re.split(r"\s*[T ,]\s*|\s+lúc\s+", text, maxsplit=1) if text else [text]
    day_text, time_text = (parts + [""])[:2]
    day = parse_day(day_text)
    if isinstance(day, str):  # "07:30 06/12/2026": time first
        swapped = re.split(r"\s+", text, maxsplit=1)
        if len(swapped) == 2 and not isinstance(parse_day(swapped[1]), str):
            time_text, day = swapped[0], parse_day(swapped[1])
        else:
            return f"«{show(text)}» không phải ngày giờ: ghi dạng ngày/tháng/năm giờ:phút, ví dụ 06/12/2026 07:30."
    match = _TIME.fullmatch(time_text.strip()) if time_text else None
    if not match:
        return f"«{show(text)}»: thiếu giờ (ghi dạng ngày/tháng/năm giờ:phút, ví dụ 06/12/2026 07:30)."
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        return f"«{show(text)}»: giờ không hợp lệ."
    return dt.datetime.combine(day, dt.time(hour, minute))


def vn_date(iso: str) -> str:
    """"2026-01-05" → "05/01/2026"."""
    try:
        return f"{dt.date.fromisoformat(iso):%d/%m/%Y}"
    except (TypeError, ValueError):
        return str(iso)


def vn_moment(iso: str) -> str:
    try:
        return f"{dt.datetime.fromisoformat(iso):%d/%m/%Y %H:%M}"
    except (TypeError, ValueError):
        return str(iso)


def display(column: Column, value: Any, rs: Ruleset | None) -> str:
    """A value as the clerk wrote it (for change lines): dates dd/mm/yyyy, choices by name, yes/no."""
    if value is None:
        return "(trống)"
    if isinstance(value, bool):
        return table().yes[0] if value else table().no[0]
    if isinstance(value, Ref):
        return value.name
    if column.kind == DATE:
        return vn_date(value)
    if column.kind == MOMENT:
        return vn_moment(value)
    if column.kind == CHOICE and rs is not None:
        return choices(column, rs).get(value, str(value))
    return str(value)


def needs_form(row: Row) -> bool:
    """Whether a member gets a self-review: every status but those of ``khong_ban_kiem_diem`` (not reviewed at all)."""
    status = row.value("tinh_trang", table().sheet(MEMBERS).column("tinh_trang").default)
    return status not in (table().data.get("khong_ban_kiem_diem") or ())
