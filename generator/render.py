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

from . import __version__, docx_format, registry
from .errors import TemplateError
from .facts import document_issuer, printed_issuer
from .period import Period
from .schemawalk import Node, fill_defaults
from .templating import BLANK_PLACE, as_date, document_title, jinja_vi, make_env
from .validate import ValidForm


# -- context ---------------------------------------------------------------------------------
def build_context(form: ValidForm, settings: dict[str, Any], facts: dict | None = None) -> dict[str, Any]:
    """The template context: the form's data with every schema field present, plus ``hoso``
    and, for a form rendered within its unit, the unit's computed facts as ``so_lieu``.

    Raises TemplateError when the form needs its unit (``facts``) and is rendered alone, or uses a reserved key.
    """
    entry = form.entry
    data = fill_defaults(form.data, Node(registry.schema(entry), entry.schema_id))
    labels = settings["nhan_bieu_mau"].get(entry.ruleset, {})
    rs = form.binding.ruleset
    fmt = settings["the_thuc"]
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
        "dia_phuong": settings["ten"],
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


# -- rendering -------------------------------------------------------------------------------
def render_docx(form: ValidForm, settings: dict[str, Any], template: Path, facts: dict | None = None) -> bytes:
    """Render one form to DOCX bytes, with page setup and properties from the settings.

    Raises TemplateError naming the template, the line and the text near the problem.
    """
    context = build_context(form, settings, facts)
    fmt = settings["the_thuc"]
    env = make_env(pad_all_months=fmt["dem_tat_ca_thang"], level_names=form.binding.ruleset.level_names)
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
        mirror=fmt["in_hai_mat"],
    )
    meta = document_meta(form, facts)
    docx_format.set_properties(
        doc, title=meta.title, subject=meta.subject, keywords=meta.keywords, author="hoso",
        comments=f"{form.entry.name}; {form.binding.ruleset.name}; thiết lập: {settings['ten']}",
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
    period = Period.of(form.data["ky_danh_gia"])
    issuer = document_issuer(form, facts) or {}
    who = ((form.data.get("ca_nhan") or {}).get("ho_ten") or (form.data.get("tap_the") or {}).get("ten")
           or (form.data.get("don_vi") or {}).get("ten") or issuer.get("ten", ""))
    day = as_date(form.data.get("ngay_lap")) or period.end
    rs = form.binding.ruleset.key
    label = period.label_vi
    return DocumentMeta(day, document_title(form, facts), f"{who} — {label} — {rs}", f"{form.entry.key}; {rs}; {label}")


def _undefined_name(exc: jinja2.UndefinedError) -> str:
    match = re.search(r"'([^']+)' (?:is undefined|has no attribute '([^']+)')", str(exc))
    if not match:
        return str(exc)
    return f"{match.group(1)}.{match.group(2)}" if match.group(2) else match.group(1)
