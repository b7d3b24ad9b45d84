"""Vocabulary of templates: the one strict Jinja environment, its filters and the names every template may use.

This is the safe wrapper around docxtpl and Jinja that rendering (stage 4) and the template lint
(stage 3) share: ``StrictUndefined`` and autoescape for every template, Vietnamese messages for
Jinja's syntax errors, the Jinja source docxtpl renders from a ``.docx``, and a cache of compiled
templates (docxtpl compiles every part of a template on every render).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import jinja2
from docx import Document
from docx.oxml import parse_xml
from docxtpl import DocxTemplate
from markupsafe import Markup, escape

from .period import Period
from .validate import ValidForm

TICKED, UNTICKED = "☒", "☐"
BLANK_PLACE = "……"
"""The place printed when nobody names it: a blank to fill by hand ("……, ngày … tháng … năm …")."""

HOSO_KEYS = {
    "nhan_mau": "nhãn biểu mẫu (góc trên bên phải)",
    "dia_danh": "địa danh ở dòng ngày tháng (của tổ chức ban hành, của biểu mẫu, của đơn vị, của địa phương; không có thì \"……\" để điền tay)",
    "ban_hanh": "cơ quan ban hành in trên văn bản: cap_tren, ten (hai dòng phần đầu), co_quan (tên trong lời văn), "
                "co_quan_quyet_dinh, tham_quyen_ky, chuc_vu_ky, dia_danh, ma (mã tổ chức ban hành trong đơn vị hoặc rỗng)",
    "tieu_de": "tiêu đề tài liệu",
    "ky_hieu_mac_dinh": "ký hiệu in ở bản nháp chưa ghi số (khóa ky_hieu_mac_dinh của mục sổ đăng ký)",
    "bo_quy_tac": "bộ quy tắc: key, ten, van_ban, huong_dan",
    "dia_phuong": "tên bộ thiết lập địa phương",
    "phien_ban": "phiên bản hoso",
}
"""Names under ``hoso`` that every template may use besides the form's own data."""

FACT_KEYS = (
    "ten", "nam", "bo_quy_tac", "dia_danh", "cap_tren", "ban_hanh", "ban_hanh_theo_tep", "to_chuc", "to_chuc_theo_ma",
    "thanh_vien", "thanh_vien_theo_ma", "chua_kiem_diem_xep_loai", "thong_ke", "bo_phieu", "bo_phieu_theo_to_chuc",
    "cham_diem_theo_ma",
)
"""Names under ``so_lieu``: the unit's computed facts a template rendered within its unit may use."""


# -- filters -------------------------------------------------------------------------------
def tick(value: Any, option: str, mark: str | None = None) -> str:
    """☒ when ``value`` is ``option``, else ☐; with ``mark`` ("x") print it or nothing (table cells)."""
    if mark is not None:
        return mark if value == option else ""
    return TICKED if value == option else UNTICKED


def as_date(value: Any) -> dt.date | None:
    """A date from a form value (a date, or an ISO text); None when empty. Raises ValueError for other text."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def date_line(value: Any, pad_all_months: bool = False, viet_hoa: bool = False) -> str:
    """"ngày 05 tháng 02 năm 2026": days below 10 and months 01–02 zero-padded (HD 36; spec §4.2).

    An empty date prints the blank form "ngày … tháng … năm …" to fill by hand.
    """
    day = as_date(value)
    word = "Ngày" if viet_hoa else "ngày"
    if day is None:
        return f"{word} … tháng … năm …"
    month = f"{day.month:02d}" if (pad_all_months or day.month <= 2) else str(day.month)
    return f"{word} {day.day:02d} tháng {month} năm {day.year}"


def short_date(value: Any) -> str:
    """"14/03/1972"."""
    day = as_date(value)
    return "" if day is None else f"{day.day:02d}/{day.month:02d}/{day.year}"


def doc_number(value: dict | None, default_code: str | None = None) -> str:
    """"Số 45-BC/ĐU" (no colon, HD 36); a draft without a number prints "Số …-BC/ĐU"."""
    if not value or not value.get("ky_hieu"):
        return f"Số …-{default_code}" if default_code else "Số …"
    number = value.get("so")
    shown = f"{number:02d}" if isinstance(number, int) else "…"
    return f"Số {shown}-{value['ky_hieu']}"


def period_text(value: Any, viet_hoa: bool = False, dau_phay: bool = False) -> str:
    """The evaluation period as documents print it, from a ``ky_danh_gia`` ({nam, quy?}), a Period or its text.

    "năm 2026" / "quý III năm 2026" inside a sentence; ``viet_hoa`` capitalises the period opening a title or a
    heading ("Năm 2026" / "Quý III năm 2026"); ``dau_phay`` writes a quarter the way a form's title line leaves
    its two blanks ("Quý …, Năm …"): "Quý III, Năm 2026" (a year stays "Năm 2026"). An empty value prints nothing.
    Raises ValueError for a text that is not a period.
    """
    if not value:
        return ""
    if isinstance(value, Period):
        period = value
    elif isinstance(value, str):
        period = Period.parse(value)
    else:
        period = Period.of(value)
    text = period.title_vi if viet_hoa else period.phrase_vi
    if dau_phay and period.quarter:
        year = period.annual
        # The quarter's phrase ends with its year's phrase ("quý III" + " năm 2026"): cut it, and set the year apart.
        text = f"{text[:-len(year.phrase_vi)].rstrip()}, {year.title_vi if viet_hoa else year.phrase_vi}"
    return text


def level_name(code: Any, level_names: Mapping[str, str] | None = None) -> str:
    """The name of a level code in ``level_names`` (the ruleset's); "" for an empty or unknown code."""
    return (level_names or {}).get(code, "") if code else ""


def _finalize(value: Any) -> Any:
    """Print None as nothing, and line breaks inside a text as Word line breaks."""
    if value is None:
        return ""
    if isinstance(value, str) and "\n" in value and not isinstance(value, Markup):
        parts = [escape(part) for part in value.split("\n")]
        return Markup('</w:t><w:br/><w:t xml:space="preserve">').join(parts)
    return value


# -- the environment -----------------------------------------------------------------------
class _Environment(jinja2.Environment):
    """A Jinja environment whose ``from_string`` reuses code compiled once per (configuration, source)."""

    config: tuple = ()

    def from_string(self, source, globals=None, template_class=None):  # noqa: A002 - Jinja's signature
        # Code is cached for make_env's configuration only; docxtpl may set ``autoescape`` on the environment.
        if not isinstance(source, str) or self.autoescape is not True:
            return super().from_string(source, globals, template_class)
        cls = template_class or self.template_class
        return cls.from_code(self, _compiled(self.config, source), self.make_globals(globals), None)


def _build(pad_all_months: bool, level_names: tuple[tuple[str, str], ...]) -> _Environment:
    env = _Environment(
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=_finalize,
        keep_trailing_newline=True,
    )
    names = dict(level_names)
    env.filters.update(
        o=tick,
        ngay_thang=lambda v, viet_hoa=False: date_line(v, pad_all_months, viet_hoa),
        ngay=short_date,
        so_hieu=doc_number,
        ten_muc=lambda code: level_name(code, names),
        ky=period_text,
    )
    # The compiled-code cache is keyed by what makes two environments differ; every other filter is the same in all.
    env.config = (pad_all_months, level_names)
    return env


@lru_cache(maxsize=256)
def _compiled(config: tuple, source: str):
    # Compiled by an environment of the same configuration, because Jinja's optimizer folds a filter
    # applied to a constant at compile time. A syntax error raises here and is not cached.
    return _build(*config).compile(source)


def make_env(pad_all_months: bool = False, level_names: Mapping[str, str] | None = None) -> jinja2.Environment:
    """The one Jinja environment for every template: StrictUndefined, autoescape, our filters.

    ``ten_muc`` prints a level's name from ``level_names`` (code → name, the ruleset's); ``ky`` prints a period
    (``{{ ky_danh_gia|ky }}`` "quý III năm 2026", ``|ky(viet_hoa=True)`` "Quý III năm 2026"). Compiled
    templates are cached per process and configuration, so rendering a template again does not
    recompile it; templates compile with these filters only, so add none to the environment returned.
    """
    return _build(bool(pad_all_months), tuple((level_names or {}).items()))


# -- messages --------------------------------------------------------------------------------
JINJA_VI = (
    (r"No filter named '([^']+)'\.?", r"không có bộ lọc '\1'"),
    (r"No test named '([^']+)'\.?", r"không có phép thử '\1'"),
    (r"unexpected '([^']+)'", r"ký tự '\1' không đúng chỗ"),
    (r"unexpected end of template.*", "mẫu kết thúc khi một khối {% … %} chưa đóng"),
    (r"Encountered unknown tag '([^']+)'.*", r"thẻ '\1' không có hoặc đặt sai chỗ"),
    (r"expected token '([^']+)', got '([^']+)'", r"thiếu '\1' (gặp '\2')"),
)


def jinja_vi(message: str) -> str:
    """Jinja's common syntax messages in Vietnamese (the rest unchanged)."""
    for pattern, replacement in JINJA_VI:
        translated, count = re.subn(pattern, replacement, message)
        if count:
            return translated
    return message


def near(source: str, lineno: int) -> str:
    """The text of line ``lineno`` of a template's Jinja source, without XML tags (for messages)."""
    lines = source.splitlines()
    text = re.sub(r"<[^>]+>", "", lines[lineno - 1]) if 0 < lineno <= len(lines) else ""
    return " ".join(text.split())[:80]


# -- sources and titles ------------------------------------------------------------------------
def template_source(path: Path) -> str:
    """The Jinja source docxtpl would render for a template: body, headers and footers, one paragraph a line.

    Raises what python-docx raises for a file that is not a readable .docx (KeyError, ValueError, OSError...).
    """
    tpl = DocxTemplate(str(path))
    doc = Document(str(path))
    xml = tpl.patch_xml(tpl.xml_to_string(doc._element.body))
    for rel in doc.part.rels.values():
        if rel.reltype in (tpl.HEADER_URI, tpl.FOOTER_URI) and rel.target_part.blob:
            xml += tpl.patch_xml(tpl.xml_to_string(parse_xml(rel.target_part.blob)))
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)


_TITLES = jinja2.Environment(undefined=jinja2.ChainableUndefined, autoescape=False)  # plain text, no HTML escaping
_TITLES.filters["ky"] = period_text  # "… quý III năm 2026 — …": a title pattern prints the period as documents do


def document_title(form: ValidForm, facts: dict | None = None) -> str:
    """The entry's title pattern filled from the form data (plain text, no escaping).

    ``ten(code)`` gives the name of a member or organisation when the unit's facts are known.
    """
    def ten(code: str) -> str:
        for key in ("thanh_vien_theo_ma", "to_chuc_theo_ma"):
            hit = (facts or {}).get(key, {}).get(code)
            if hit:
                return hit.get("ho_ten") or hit.get("ten")
        return code

    return " ".join(_title(form.entry.title).render({**form.data, "ten": ten}).split())


@lru_cache(maxsize=128)
def _title(pattern: str) -> jinja2.Template:
    return _TITLES.from_string(pattern)
