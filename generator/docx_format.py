"""Small typed helpers over python-docx for the Party document format (Hướng dẫn 36-HD/VPTW).

Everything that touches DOCX structure after rendering (page setup, fields, document
properties) goes through here, on python-docx objects, never by editing XML text.
"""

from __future__ import annotations

from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

A4_WIDTH_MM = 210
A4_HEIGHT_MM = 297
HEADER_DISTANCE_MM = 10
"""Page numbers sit 10 mm from the top edge (spec §4, Party handbook)."""


def _all_script_slots(rpr, name: str) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), name)


def set_style_font(style, name: str, size: float) -> None:
    """Give a style one font for every script slot, so Vietnamese never falls back to another face."""
    style.font.name = name
    style.font.size = Pt(size)
    _all_script_slots(style.element.get_or_add_rPr(), name)


def apply_page_setup(doc: Document, margins_mm: dict[str, float], mirror: bool = False) -> None:
    """A4 (portrait, or landscape where the template says so) with the given margins (keys top/bottom/left/right), on every section.

    ``mirror`` swaps left and right on even pages (double-sided printing).
    """
    for section in doc.sections:
        # A section the template lays out landscape (a wide table) stays landscape, on A4.
        landscape = section.orientation == WD_ORIENT.LANDSCAPE
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width = Mm(A4_HEIGHT_MM if landscape else A4_WIDTH_MM)
        section.page_height = Mm(A4_WIDTH_MM if landscape else A4_HEIGHT_MM)
        section.top_margin = Mm(margins_mm["top"])
        section.bottom_margin = Mm(margins_mm["bottom"])
        section.left_margin = Mm(margins_mm["left"])
        section.right_margin = Mm(margins_mm["right"])
        section.header_distance = Mm(HEADER_DISTANCE_MM)
    settings = doc.settings.element
    existing = settings.find(qn("w:mirrorMargins"))
    if mirror and existing is None:
        settings.insert(0, OxmlElement("w:mirrorMargins"))
    elif not mirror and existing is not None:
        settings.remove(existing)


def add_field(paragraph: Paragraph, instruction: str, placeholder: str = "2") -> None:
    """Append a Word field (e.g. ``PAGE``) to a paragraph as begin/instr/separate/result/end runs."""
    def fld(kind: str):
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    run = paragraph.add_run()
    run._element.append(fld("begin"))
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._element.append(instr)
    run = paragraph.add_run()
    run._element.append(fld("separate"))
    paragraph.add_run(placeholder)
    run = paragraph.add_run()
    run._element.append(fld("end"))


def do_not_expand_manual_line_breaks(doc: Document) -> None:
    """Do not stretch a justified line that ends in a manual line break (a form field with several lines):
    Word's compatibility option ``doNotExpandShiftReturn``, which LibreOffice follows too."""
    settings = doc.settings.element
    compat = settings.find(qn("w:compat"))
    if compat is None:
        compat = OxmlElement("w:compat")
        settings.append(compat)
    if compat.find(qn("w:doNotExpandShiftReturn")) is None:
        compat.insert(0, OxmlElement("w:doNotExpandShiftReturn"))


def set_properties(doc: Document, *, title: str, subject: str, keywords: str, author: str, comments: str) -> None:
    """Fill the document properties that LibreOffice carries into the PDF metadata."""
    props = doc.core_properties
    props.title = title
    props.subject = subject
    props.keywords = keywords
    props.author = author
    props.last_modified_by = author
    props.comments = comments
    props.category = "Hồ sơ kiểm điểm, đánh giá, xếp loại chất lượng"


def remove_table_borders(table) -> None:
    """Make a table borderless (the two-column header and signature layouts)."""
    tbl_pr = table._tbl.tblPr
    borders = tbl_pr.find(qn("w:tblBorders"))
    if borders is None:
        borders = OxmlElement("w:tblBorders")
        tbl_pr.append(borders)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = borders.find(qn(f"w:{edge}"))
        if el is None:
            el = OxmlElement(f"w:{edge}")
            borders.append(el)
        el.set(qn("w:val"), "nil")


def set_cell_margins_zero(table) -> None:
    """Remove the left/right cell padding so centred header blocks line up with the margins."""
    tbl_pr = table._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), "0")
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tbl_pr.append(mar)


def set_cell_margins(table, side_mm: float) -> None:
    """Set the left/right padding of every cell of a table (narrow columns of dates, codes and notes)."""
    tbl_pr = table._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(round(side_mm * 56.7)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tbl_pr.append(mar)


def repeat_header_row(row) -> None:
    """Repeat a table's first row on each page it spans."""
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def keep_row_together(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def set_paragraph_mark_size(paragraph: Paragraph, size_pt: float) -> None:
    """Set the size of a paragraph's mark: an empty paragraph is as high as its mark."""
    ppr = paragraph._p.get_or_add_pPr()
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        ppr.append(rpr)
    for tag in ("w:sz", "w:szCs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            rpr.append(el)
        el.set(qn("w:val"), str(round(size_pt * 2)))


def stable_zip(data: bytes) -> bytes:
    """Rewrite a DOCX package with fixed entry timestamps, so the same input gives the same bytes."""
    import io
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def image_page(image: bytes, suffix: str) -> bytes:
    """A one-page A4 DOCX holding a scanned page, fitted to 10 mm margins (LibreOffice Writer converts it)."""
    import io

    from docx import Document

    doc = Document()
    apply_page_setup(doc, {"top": 10, "bottom": 10, "left": 10, "right": 10})
    paragraph = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    run = paragraph.add_run()
    picture = run.add_picture(io.BytesIO(image))
    width, height = picture.width, picture.height
    box_w, box_h = Mm(A4_WIDTH_MM - 20), Mm(A4_HEIGHT_MM - 25)
    scale = min(box_w / width, box_h / height)
    picture.width, picture.height = int(width * scale), int(height * scale)
    buffer = io.BytesIO()
    doc.save(buffer)
    return stable_zip(buffer.getvalue())
