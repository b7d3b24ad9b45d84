"""Stage 4, render: fill a form's DOCX template through a strict, autoescaping Jinja environment."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from markupsafe import Markup, escape

from . import __version__, docx_format, registry
from .errors import TemplateError
from .schemawalk import Node, fill_defaults
from .validate import ValidForm

LEVEL_NAMES = {
    "HTXSNV": "Hoàn thành xuất sắc nhiệm vụ",
    "HTTNV": "Hoàn thành tốt nhiệm vụ",
    "HTNV": "Hoàn thành nhiệm vụ",
    "KHTNV": "Không hoàn thành nhiệm vụ",
}
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


# -- filters -------------------------------------------------------------------------------
def tick(value: Any, option: str, mark: str | None = None) -> str:
    """☒ when ``value`` is ``option``, else ☐; with ``mark`` ("x") print it or nothing (table cells)."""
    if mark is not None:
        return mark if value == option else ""
    return TICKED if value == option else UNTICKED


def _parse_date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def date_line(value: Any, pad_all_months: bool = False, viet_hoa: bool = False) -> str:
    """"ngày 05 tháng 02 năm 2026": days below 10 and months 01–02 zero-padded (HD 36; spec §4.2).

    An empty date prints the blank form "ngày … tháng … năm …" to fill by hand.
    """
    day = _parse_date(value)
    word = "Ngày" if viet_hoa else "ngày"
    if day is None:
        return f"{word} … tháng … năm …"
    month = f"{day.month:02d}" if (pad_all_months or day.month <= 2) else str(day.month)
    return f"{word} {day.day:02d} tháng {month} năm {day.year}"


def short_date(value: Any) -> str:
    """"14/03/1972"."""
    day = _parse_date(value)
    return "" if day is None else f"{day.day:02d}/{day.month:02d}/{day.year}"


def doc_number(value: dict | None, default_code: str | None = None) -> str:
    """"Số 45-BC/ĐU" (no colon, HD 36); a draft without a number prints "Số …-BC/ĐU"."""
    if not value or not value.get("ky_hieu"):
        return f"Số …-{default_code}" if default_code else "Số …"
    number = value.get("so")
    shown = f"{number:02d}" if isinstance(number, int) else "…"
    return f"Số {shown}-{value['ky_hieu']}"


def level_name(code: Any) -> str:
    return LEVEL_NAMES.get(code, "") if code else ""


def _finalize(value: Any) -> Any:
    """Print None as nothing, and line breaks inside a text as Word line breaks."""
    if value is None:
        return ""
    if isinstance(value, str) and "\n" in value and not isinstance(value, Markup):
        parts = [escape(part) for part in value.split("\n")]
        return Markup('</w:t><w:br/><w:t xml:space="preserve">').join(parts)
    return value


def make_env(pad_all_months: bool = False) -> jinja2.Environment:
    """The one Jinja environment for every template: StrictUndefined, autoescape, our filters."""
    env = jinja2.Environment(
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=_finalize,
        keep_trailing_newline=True,
    )
    env.filters.update(
        o=tick,
        ngay_thang=lambda v, viet_hoa=False: date_line(v, pad_all_months, viet_hoa),
        ngay=short_date,
        so_hieu=doc_number,
        ten_muc=level_name,
    )
    return env


# -- context ---------------------------------------------------------------------------------
def build_context(form: ValidForm, locality: dict[str, Any], facts: dict | None = None) -> dict[str, Any]:
    """The template context: the form's data with every schema field present, plus ``hoso``
    and, for a form rendered within its unit, the unit's computed facts as ``so_lieu``."""
    entry = form.entry
    data = fill_defaults(form.data, Node(registry.schema(entry), entry.schema_id))
    labels = locality.get("nhan_bieu_mau", {}).get(entry.ruleset, {})
    rs = form.binding.ruleset
    fmt = locality["the_thuc"]
    from .facts import document_issuer, printed_issuer

    issuer = printed_issuer(data, entry.extra.get("ban_hanh") or {}, document_issuer(form, facts))
    if facts is None and data.get("co_quan_ban_hanh") and not issuer["ten"]:
        raise TemplateError(
            f"Văn bản ghi cơ quan ban hành bằng mã ({data['co_quan_ban_hanh']}): hãy tạo nó bằng `hoso render THƯ_MỤC_ĐƠN_VỊ`, "
            "hoặc ghi don_vi: {cap_tren: …, ten: …} để tạo riêng.",
            file=form.path, json_path="$.co_quan_ban_hanh",
        )
    hoso = {
        "nhan_mau": labels.get(entry.key, entry.label),
        "dia_danh": issuer["dia_danh"] or (facts or {}).get("dia_danh") or fmt.get("dia_danh") or BLANK_PLACE,
        "ban_hanh": issuer,
        "tieu_de": document_title(form, facts),
        "ky_hieu_mac_dinh": entry.extra.get("ky_hieu_mac_dinh"),
        "bo_quy_tac": {"key": rs.key, "ten": rs.name, "van_ban": rs.regulation, "huong_dan": rs.guidance},
        "dia_phuong": locality.get("ten", ""),
        "phien_ban": __version__,
    }
    if entry.extra.get("can_don_vi") and facts is None:
        raise TemplateError(
            f"{entry.name} lấy số liệu từ đơn vị: hãy tạo văn bản bằng `hoso render THƯ_MỤC_ĐƠN_VỊ` (thư mục có don_vi.yaml liệt kê tệp này).",
            file=form.path,
        )
    for reserved in ("hoso", "so_lieu"):
        if reserved in data:
            raise TemplateError(f"Dữ liệu biểu mẫu không được có khóa '{reserved}' (tên này dành cho hoso).", file=form.path, json_path=f"$.{reserved}")
    context = {**data, "hoso": hoso}
    if facts is not None:
        context["so_lieu"] = facts
    return context


_TITLES = jinja2.Environment(undefined=jinja2.ChainableUndefined, autoescape=False)  # plain text, no HTML escaping


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

    return " ".join(_TITLES.from_string(form.entry.title).render({**form.data, "ten": ten}).split())


# -- rendering -------------------------------------------------------------------------------
def render_docx(form: ValidForm, locality: dict[str, Any], template: Path, facts: dict | None = None) -> bytes:
    """Render one form to DOCX bytes, with page setup and properties from the locality.

    Raises TemplateError naming the template, the line and the text near the problem.
    """
    context = build_context(form, locality, facts)
    fmt = locality["the_thuc"]
    env = make_env(pad_all_months=bool(fmt.get("dem_tat_ca_thang")))
    try:
        tpl = DocxTemplate(str(template))
        tpl.render(context, jinja_env=env, autoescape=True)
    except jinja2.UndefinedError as exc:
        raise TemplateError(
            f"Mẫu in {template.name} dùng một tên không có trong dữ liệu: {_undefined_name(exc)}. "
            "Chạy `hoso lint` để xem mọi tên không khớp lược đồ.",
            file=form.path,
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        from .lint import jinja_vi

        near = " / ".join(s.strip() for s in getattr(exc, "docx_context", []) if s.strip())[:200]
        raise TemplateError(
            f"Mẫu in {template.name} sai cú pháp Jinja ở dòng {exc.lineno}: {jinja_vi(exc.message or '')}. Gần đoạn: «{near}»",
            file=form.path,
        ) from None
    except jinja2.TemplateError as exc:
        raise TemplateError(f"Không điền được mẫu in {template.name}: {exc}", file=form.path) from None
    except (KeyError, ValueError, OSError) as exc:
        raise TemplateError(f"Mẫu in {template.name} không đọc được hoặc hỏng: {exc}", file=form.path) from None

    doc = tpl.docx
    docx_format.apply_page_setup(
        doc,
        {"top": fmt["le_tren"], "bottom": fmt["le_duoi"], "left": fmt["le_trai"], "right": fmt["le_phai"]},
        mirror=bool(fmt.get("in_hai_mat")),
    )
    meta = document_meta(form, facts)
    docx_format.set_properties(
        doc, title=meta.title, subject=meta.subject, keywords=meta.keywords, author="hoso",
        comments=f"{form.entry.name}; {form.binding.ruleset.name}; thiết lập: {locality.get('ten', '')}",
    )
    # Dates from the form, not the clock: the same input must give the same bytes.
    doc.core_properties.created = doc.core_properties.modified = dt.datetime(meta.day.year, meta.day.month, meta.day.day)
    doc.core_properties.revision = 1
    buffer = io.BytesIO()
    doc.save(buffer)
    return docx_format.stable_zip(buffer.getvalue())


@dataclass(frozen=True)
class DocumentMeta:
    """What a generated document says about itself: its date, title, subject and keywords."""

    day: dt.date
    title: str
    subject: str
    keywords: str


def document_meta(form: ValidForm, facts: dict | None = None) -> DocumentMeta:
    """Metadata of a form's documents (DOCX properties, PDF info and XMP): subject, period, ruleset."""
    period = form.data["ky_danh_gia"]
    period_vi = f"quý {period['quy']} năm {period['nam']}" if period.get("quy") else f"năm {period['nam']}"
    from .facts import document_issuer

    issuer = document_issuer(form, facts) or {}
    who = ((form.data.get("ca_nhan") or {}).get("ho_ten") or (form.data.get("tap_the") or {}).get("ten")
           or (form.data.get("don_vi") or {}).get("ten") or issuer.get("ten", ""))
    day = _parse_date(form.data.get("ngay_lap")) or dt.date(period["nam"], 12, 31)
    rs = form.binding.ruleset.key
    return DocumentMeta(day, document_title(form, facts), f"{who} — {period_vi} — {rs}", f"{form.entry.key}; {rs}; {period_vi}")


def _undefined_name(exc: jinja2.UndefinedError) -> str:
    match = re.search(r"'([^']+)' (?:is undefined|has no attribute '([^']+)')", str(exc))
    if not match:
        return str(exc)
    return f"{match.group(1)}.{match.group(2)}" if match.group(2) else match.group(1)
