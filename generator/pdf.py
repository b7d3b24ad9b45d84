"""PDF post-processing with pikepdf (qpdf): stable bytes, and PDF/A-preserving merges with outlines.

LibreOffice stamps the current time into each PDF (document info, XMP, the ICC profile of the
PDF/A output intent) and a random /ID. ``normalise`` replaces them with values derived from
the document, so the same input gives the same bytes. ``merge`` joins PDF/A files into one
PDF/A-2b: it keeps one output intent, writes XMP with the pdfaid markers, an outline entry
per document and page labels — the markers a plain page-copying merge drops.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from .errors import ConversionError

PDFA_PART, PDFA_CONFORMANCE = "2", "B"


def _pdf_date(day: dt.date) -> str:
    return f"D:{day:%Y%m%d}000000Z"


def _xmp_date(day: dt.date) -> str:
    return f"{day:%Y-%m-%d}T00:00:00Z"


def _fix_icc(pdf: pikepdf.Pdf, day: dt.date) -> None:
    """Give every output-intent ICC profile a fixed creation date (header bytes 24–35)."""
    for intent in pdf.Root.get("/OutputIntents", []):
        profile = intent.get("/DestOutputProfile")
        if profile is None:
            continue
        data = bytearray(profile.read_bytes())
        if len(data) < 128:
            continue
        for offset, value in zip(range(24, 36, 2), (day.year, day.month, day.day, 0, 0, 0)):
            data[offset:offset + 2] = value.to_bytes(2, "big")
        if any(data[84:100]):
            # ICC profile ID: MD5 with flags, rendering intent and the ID itself zeroed (ICC.1:2010 7.2.18).
            probe = bytearray(data)
            probe[44:48], probe[64:68], probe[84:100] = b"\0" * 4, b"\0" * 4, b"\0" * 16
            data[84:100] = hashlib.md5(probe).digest()  # noqa: S324 - mandated by the ICC format
        profile.write(bytes(data))


def _set_xmp(pdf: pikepdf.Pdf, day: dt.date, title: str, subject: str, keywords: str, pdfa: bool) -> None:
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
            meta[key] = _xmp_date(day)
        if title:
            meta["dc:title"] = title
        if subject:
            meta["dc:description"] = subject
        if keywords:
            meta["pdf:Keywords"] = keywords
        meta["pdf:Producer"] = "hoso"
        if pdfa:
            meta["pdfaid:part"] = PDFA_PART
            meta["pdfaid:conformance"] = PDFA_CONFORMANCE
        for key in ("xmpMM:DocumentID", "xmpMM:InstanceID"):
            if key in meta:
                del meta[key]


def _set_info(pdf: pikepdf.Pdf, day: dt.date, title: str, subject: str, keywords: str) -> None:
    info = pdf.docinfo
    info["/CreationDate"] = _pdf_date(day)
    info["/ModDate"] = _pdf_date(day)
    info["/Producer"] = "hoso"
    if title:
        info["/Title"] = title
    if subject:
        info["/Subject"] = subject
    if keywords:
        info["/Keywords"] = keywords


def problem(path: Path) -> str:
    """Why a file is not a complete, readable PDF, in Vietnamese; "" when it is one.

    Checks the ``%PDF-`` header, the ``%%EOF`` end marker (a truncated file lacks it) and that
    qpdf opens it without repairing it and finds at least one page.
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(5)
            fh.seek(max(0, size - 2048))
            tail = fh.read()
    except OSError as exc:
        return f"không đọc được tệp PDF ({exc.strerror or exc})"
    if size == 0:
        return "tệp PDF rỗng"
    if head != b"%PDF-":
        return "tệp kết quả không phải PDF"
    if b"%%EOF" not in tail:
        return "tệp PDF bị cắt cụt (thiếu dấu kết thúc %%EOF)"
    try:
        with pikepdf.open(path, attempt_recovery=False) as pdf:
            if len(pdf.pages) == 0:
                return "tệp PDF không có trang nào"
    except Exception as exc:  # noqa: BLE001 - any failure to parse means a broken file, reported as data
        return f"tệp PDF hỏng ({_first_line(exc).replace(f'{path}: ', '')})"
    return ""


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def normalise(path: Path, day: dt.date, *, title: str = "", subject: str = "", keywords: str = "") -> None:
    """Rewrite a PDF in place with dates, ICC header and /ID derived from its content.

    Raises ConversionError naming the file when it is not a PDF pikepdf can rewrite.
    """
    try:
        _normalise(path, day, title, subject, keywords)
    except pikepdf.PdfError as exc:
        raise ConversionError(f"Tệp PDF {path.name} do LibreOffice tạo ra bị hỏng, không chuẩn hóa được: {_first_line(exc)}") from exc


def _normalise(path: Path, day: dt.date, title: str, subject: str, keywords: str) -> None:
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        is_pdfa = "pdfaid:part" in str(pdf.open_metadata())
        _fix_icc(pdf, day)
        _set_info(pdf, day, title, subject, keywords)
        _set_xmp(pdf, day, title, subject, keywords, is_pdfa)
        # qpdf keeps the first (permanent) half of an existing /ID; drop it so both halves come from content.
        for key in ("/ID", "/DocChecksum"):  # DocChecksum: LibreOffice's, changes every run
            if key in pdf.trailer:
                del pdf.trailer[key]
        pdf.save(path, deterministic_id=True, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.preserve)


@dataclass
class Part:
    """One document of a merged bundle: its PDF and the outline title that points to it."""

    path: Path
    title: str


def pdfa_status(path: Path) -> str:
    """The PDF/A part and conformance a PDF declares ("2B"), or "" when it declares none."""
    with pikepdf.open(path) as pdf:
        return pdf.open_metadata().pdfa_status or ""


def page_count(path: Path) -> int:
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def merge(parts: list[Part], target: Path, day: dt.date, *, title: str, subject: str, keywords: str) -> list[tuple[str, int, int]]:
    """Join PDFs into one PDF/A-2b with an outline entry and a page-label range per part.

    Returns (title, first page, page count) per part, pages numbered from 1.
    """
    out = pikepdf.new()
    ranges = []
    labels = []
    intents = None
    version = "1.4"
    for part in parts:
        with pikepdf.open(part.path) as src:
            version = max(version, src.pdf_version)
            first = len(out.pages)
            out.pages.extend(src.pages)
            if intents is None and "/OutputIntents" in src.Root:
                intents = pikepdf.Array([out.copy_foreign(i if i.is_indirect else src.make_indirect(i)) for i in src.Root.OutputIntents])
            count = len(src.pages)
        ranges.append((part.title, first + 1, count))
        # Each document's pages are labelled 1, 2, … with its order number as prefix ("3-1", "3-2").
        labels += [first, pikepdf.Dictionary(S=pikepdf.Name.D, P=pikepdf.String(f"{len(ranges)}-"))]
    if intents is not None:
        out.Root.OutputIntents = intents
    out.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array(labels))
    out.Root.PageMode = pikepdf.Name.UseOutlines
    out.Root.Lang = pikepdf.String("vi-VN")
    out.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
    with out.open_outline() as outline:
        for text, first_page, _ in ranges:
            outline.root.append(pikepdf.OutlineItem(text, first_page - 1))
    _set_info(out, day, title, subject, keywords)
    _set_xmp(out, day, title, subject, keywords, pdfa=intents is not None)
    _fix_icc(out, day)
    out.save(target, deterministic_id=True, compress_streams=True, min_version=version)
    return ranges
