"""Building blocks for writing docxtpl templates in the Party document format (spec §4).

The scaffold library of ``tools/scaffold_template.py``: a first draft of a new template, which is
then committed under ``templates_docx/`` and edited in Word or LibreOffice from there on.
Jinja tags written here are plain text inside runs, exactly as a clerk would type them.
"""

from __future__ import annotations

import io
import sys
from contextlib import contextmanager
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.text.paragraph import Paragraph

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generator import docx_format as fmt  # noqa: E402

FONT = "Times New Roman"
BODY_PT = 14
TEXT_WIDTH_MM = 210 - 30 - 15
DEFAULT_MARGINS = {"top": 20, "bottom": 20, "left": 30, "right": 15}
LEVELS = [
    ("HTXSNV", "Hoàn thành xuất sắc nhiệm vụ"),
    ("HTTNV", "Hoàn thành tốt nhiệm vụ"),
    ("HTNV", "Hoàn thành nhiệm vụ"),
    ("KHTNV", "Không hoàn thành nhiệm vụ"),
]
CRITERION_LEVELS = ["Xuất sắc", "Tốt", "Trung bình", "Kém"]
NBSP = "\u00a0"
"""Between a box and its label, so that a line never breaks between them ("☐ Kém" stays whole)."""
DOT_LINE_MM = 160
"""Where a dotted line to write on ends: a dot-leader tab stop, so the line never overflows into a stub on the next
line. 160 mm fits the text width of both margin settings of spec §4 (165 mm at 30/15, 160 mm at 35/15)."""


class PartyDoc:
    """A docxtpl template under construction: A4, Times New Roman 14, page numbers from page 2."""

    def __init__(self) -> None:
        self.doc = Document()
        normal = self.doc.styles["Normal"]
        fmt.set_style_font(normal, FONT, BODY_PT)
        pf = normal.paragraph_format
        pf.space_before = Pt(0)
        pf.space_after = Pt(6)
        pf.line_spacing = 1.15
        pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        for name in ("Header", "Footer"):
            fmt.set_style_font(self.doc.styles[name], FONT, BODY_PT)
        fmt.apply_page_setup(self.doc, DEFAULT_MARGINS)
        section = self.doc.sections[0]
        section.different_first_page_header_footer = True
        page_no = section.header.paragraphs[0]
        page_no.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt.add_field(page_no, "PAGE")
        fmt.do_not_expand_manual_line_breaks(self.doc)
        self._target = self.doc  # where paragraphs go: the body, or the cell of a block kept on one page

    # -- paragraphs -------------------------------------------------------------------------
    def para(
        self,
        text: str = "",
        *,
        bold: bool = False,
        italic: bool = False,
        underline: bool = False,
        size: float | None = None,
        align: str = "justify",
        indent: bool = True,
        after: float | None = None,
        keep_next: bool = False,
    ):
        p = self._target.add_paragraph()
        self._fill(p, text, bold=bold, italic=italic, underline=underline, size=size)
        self._shape(p, align=align, indent=indent, after=after, keep_next=keep_next)
        return p

    @staticmethod
    def _fill(p, text, *, bold=False, italic=False, underline=False, size=None):
        if text:
            run = p.add_run(text)
            run.bold = bold or None
            run.italic = italic or None
            run.underline = underline or None
            if size:
                run.font.size = Pt(size)
        return p

    @staticmethod
    def _shape(p, *, align="justify", indent=True, after=None, keep_next=False):
        p.alignment = {
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "left": WD_ALIGN_PARAGRAPH.LEFT,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
        }[align]
        p.paragraph_format.first_line_indent = Cm(1) if indent and align == "justify" else Cm(0)
        if after is not None:
            p.paragraph_format.space_after = Pt(after)
        if keep_next:
            p.paragraph_format.keep_with_next = True

    def tag(self, tag: str) -> None:
        """A paragraph holding only a ``{%p … %}`` tag (docxtpl removes the paragraph)."""
        self.para(tag, indent=False, align="left", after=0)

    def heading(self, text: str, *, italic: bool = False, bold: bool = True, indent: bool = True) -> None:
        self.para(text, bold=bold, italic=italic, indent=indent, keep_next=True)

    def paragraphs(self, expr: str, *, empty: str | None = None, var: str = "doan", keep_next: bool = False) -> None:
        """One paragraph per item of a list of paragraphs; ``empty`` is printed when the list is empty.

        ``keep_next``: the paragraphs stay on the page of what follows (a short comment above its boxes and signature).
        """
        if empty is not None:
            self.tag(f"{{%p if {expr} %}}")
        self.tag(f"{{%p for {var} in {expr} %}}")
        self.para(f"{{{{ {var} }}}}", keep_next=keep_next)
        self.tag("{%p endfor %}")
        if empty is not None:
            self.tag("{%p else %}")
            self.para(empty, italic=True, keep_next=keep_next)
            self.tag("{%p endif %}")

    def dotted_line(self, lead: str = "", **style) -> None:
        """A line to write on by hand: ``lead`` then dots up to DOT_LINE_MM (a dot-leader tab, never wider than the line)."""
        p = self._target.add_paragraph()
        self._fill(p, lead, **style)
        p.add_run("\t")
        self._shape(p, align="left", indent=bool(lead), after=0)
        p.paragraph_format.tab_stops.add_tab_stop(Mm(DOT_LINE_MM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)

    def dotted_or_paragraphs(self, expr: str, lines: int = 3) -> None:
        """The paragraphs when filled, otherwise dotted lines to write on by hand."""
        self.tag(f"{{%p if {expr} %}}")
        self.tag(f"{{%p for doan in {expr} %}}")
        self.para("{{ doan }}")
        self.tag("{%p endfor %}")
        self.tag("{%p else %}")
        for _ in range(lines):
            self.dotted_line()
        self.tag("{%p endif %}")

    def criterion_line(self, expr: str) -> None:
        """"Tự đánh giá về cấp độ thực hiện: ☒ Xuất sắc ☐ Tốt …" for one criterion, on one line.

        Each box is bound to its label by a non-breaking space, and the line is left-aligned without indent so that
        the four boxes fit the 160–165 mm line in 14 pt italic (justified, it overflowed and "Kém" wrapped alone).
        """
        boxes = "  ".join(f"{{{{ {expr}|o('{lvl}') }}}}{NBSP}{lvl}" for lvl in CRITERION_LEVELS)
        self.para(f"Tự đánh giá về cấp độ thực hiện:  {boxes}", italic=True, indent=False, align="left")

    def level_boxes(self, expr: str, *, label: str | None = None, label_style: dict | None = None, label_indent: bool = False,
                    indent_cm: float = 1.0):
        """The four quality levels as ticked/unticked boxes on two lines, with the ``label`` line above them, all in
        one paragraph (lines broken, boxes on tab stops): one paragraph keeps together and needs a single
        keep-with-next link to the signature below, the only kind LibreOffice follows."""
        p = self._target.add_paragraph()
        if label:
            self._fill(p, label, **(label_style or {}))
        for i, pair in enumerate((LEVELS[:2], LEVELS[2:])):
            if label or i:
                p.add_run().add_break()
            p.add_run("\t" + "\t".join(f"{{{{ {expr}|o('{code}') }}}}{NBSP}{name}" for code, name in pair))
        self._shape(p, align="left", indent=False, after=6)
        if label and label_indent:
            p.paragraph_format.first_line_indent = Cm(1)
        p.paragraph_format.keep_together = True
        for position in (indent_cm, indent_cm + 8.5):
            p.paragraph_format.tab_stops.add_tab_stop(Cm(position), WD_TAB_ALIGNMENT.LEFT)
        return p

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    @contextmanager
    def kept_together(self):
        """Write a block (a label, a comment, boxes and a signature) that never splits across pages: everything inside
        goes into the one cell of a borderless table row that cannot split. LibreOffice follows only one
        keep-with-next link, so a chain of kept paragraphs still breaks; a row does not. A signature inside is
        written as centred paragraphs in the right part of the cell."""
        table = self.doc.add_table(rows=1, cols=1)
        table.autofit = False
        fmt.remove_table_borders(table)
        fmt.set_cell_margins_zero(table)
        fmt.keep_row_together(table.rows[0])
        cell = table.rows[0].cells[0]
        cell.width = table.columns[0].width = Mm(TEXT_WIDTH_MM)
        placeholder = cell.paragraphs[0]
        self._target = cell
        try:
            yield
        finally:
            self._target = self.doc
        if len(cell.paragraphs) > 1:
            placeholder._p.getparent().remove(placeholder._p)
        self.para("", indent=False, after=6)

    # -- blocks ---------------------------------------------------------------------------
    def form_label(self, expr: str = "hoso.nhan_mau") -> None:
        """The form label at the top right, size 12 (e.g. "Mẫu 02B-HD KĐ.ĐG 2023")."""
        self.tag(f"{{%p if {expr} %}}")
        self.para(f"{{{{ {expr} }}}}", size=12, align="right", indent=False, after=0)
        self.tag("{%p endif %}")

    def party_header(
        self,
        *,
        numbered: bool | str,
        summary: str | None = None,
        upper: str = "{{ hoso.ban_hanh.cap_tren|upper }}",
        issuer: str = "{{ hoso.ban_hanh.ten|upper }}",
        date_expr: str = "ngay_lap",
    ) -> None:
        """Two borderless columns: issuing body, asterisk and number left; ĐCSVN and date right (spec §4.1).

        ``numbered``: True, False, or "optional" (the number line prints only when ``so_van_ban`` is given).
        ``summary``: a công văn's "V/v …" line under the number (italic 12). ``upper``/``issuer``: the
        Jinja expressions of the two body lines. ``date_expr``: the Jinja expression of the document date.
        """
        table = self.doc.add_table(rows=1, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        fmt.remove_table_borders(table)
        fmt.set_cell_margins_zero(table)
        left_w, right_w = Mm(TEXT_WIDTH_MM * 0.45), Mm(TEXT_WIDTH_MM * 0.55)
        left, right = table.rows[0].cells
        left.width, right.width = left_w, right_w
        table.columns[0].width, table.columns[1].width = left_w, right_w

        def line(cell, text, first=False, **style):
            p = cell.paragraphs[0] if first else cell.add_paragraph()
            self._fill(p, text, **style)
            self._shape(p, align="center", indent=False, after=0)
            p.paragraph_format.line_spacing = 1.0
            return p

        line(left, upper, first=True)
        line(left, issuer, bold=True)
        line(left, "*")
        if numbered == "optional":
            line(left, "{%p if so_van_ban.ky_hieu %}")
        if numbered:
            line(left, "{{ so_van_ban|so_hieu(hoso.ky_hieu_mac_dinh) }}")
        if numbered == "optional":
            line(left, "{%p endif %}")
        if summary:
            line(left, summary, italic=True, size=12)
        line(right, "ĐẢNG CỘNG SẢN VIỆT NAM", first=True, bold=True, underline=True, size=15)
        line(right, "")
        line(right, f"{{{{ hoso.dia_danh }}}}, {{{{ ({date_expr})|ngay_thang }}}}", italic=True)
        self.para("", after=6, indent=False)

    def title(self, kind: str, *lines: tuple[str, dict]) -> None:
        """Document type (16, bold, upper) and its summary lines."""
        self.para(kind, bold=True, size=16, align="center", indent=False, after=0)
        for text, style in lines:
            self.para(text, align="center", indent=False, after=0, **style)
        self.para("", indent=False, after=6)

    def keep_with_signature(self) -> None:
        """Keep the last paragraph of text on the page of the block that follows, so that a signature never opens a
        page on its own. Empty spacers between them are removed (their space goes to the paragraph above): a
        spacer would be a second keep-with-next link, which LibreOffice does not follow. Tag-only paragraphs, which
        docxtpl removes, are passed; a table just above ends the search."""
        spacers = []
        for element in reversed(list(self.doc.element.body.iterchildren())):
            if element.tag == qn("w:sectPr"):
                continue
            if element.tag != qn("w:p"):
                return  # a table above: keep the spacer, or the two tables would run into one
            p = Paragraph(element, self.doc)
            text = p.text.strip()
            if text.startswith("{%p"):
                continue
            if not text:
                spacers.append(element)
                continue
            for spacer in spacers:
                spacer.getparent().remove(spacer)
            p.paragraph_format.keep_with_next = True
            if spacers:
                p.paragraph_format.space_after = Pt(12)
            return

    def signature(self, right: list[tuple[str, dict]], left: list[tuple[str, dict]] | None = None) -> None:
        """Signature block on the right (authority, post, space, name); optional "Nơi nhận" on the left.

        The block cannot split across pages and stays on the page of the text just above it. Inside a
        ``kept_together`` block (no "Nơi nhận") its lines are centred paragraphs in the right part of the cell.
        """
        if self._target is not self.doc:
            assert not left, "a signature with a left column cannot be written inside a kept block"
            right_part = Mm(TEXT_WIDTH_MM * 0.45)
            for text, style in right:
                style = dict(style)
                p = self._target.add_paragraph()
                self._fill(p, text, **({} if text.startswith("{%p") else style))
                self._shape(p, align="center", indent=False, after=0)
                p.paragraph_format.left_indent = right_part
                p.paragraph_format.line_spacing = 1.0
            return
        self.keep_with_signature()
        table = self.doc.add_table(rows=1, cols=2)
        table.autofit = False
        fmt.remove_table_borders(table)
        fmt.set_cell_margins_zero(table)
        fmt.keep_row_together(table.rows[0])
        lw, rw = Mm(TEXT_WIDTH_MM * 0.45), Mm(TEXT_WIDTH_MM * 0.55)
        lcell, rcell = table.rows[0].cells
        lcell.width, rcell.width = lw, rw
        table.columns[0].width, table.columns[1].width = lw, rw
        for cell, lines, align in ((lcell, left or [], "left"), (rcell, right, "center")):
            first = True
            for text, style in lines:
                style = dict(style)
                size = style.pop("size", None)
                p = cell.paragraphs[0] if first else cell.add_paragraph()
                first = False
                if text.startswith("{%p"):
                    self._fill(p, text)
                else:
                    self._fill(p, text, size=size, **style)
                self._shape(p, align=style.pop("align", align), indent=False, after=0)
                p.paragraph_format.line_spacing = 1.0
        self.para("", indent=False, after=6)

    def to_bytes(self) -> bytes:
        """The template as .docx bytes with fixed zip timestamps, so the same builder gives the same bytes."""
        self._shrink_final_spacer()
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return fmt.stable_zip(buffer.getvalue())

    def _shrink_final_spacer(self) -> None:
        """A document cannot end with a table, so an empty paragraph follows the last signature block; make it 1 pt
        high, so that a signature ending at the foot of a page does not push it onto a blank last page."""
        blocks = [e for e in self.doc.element.body.iterchildren() if e.tag != qn("w:sectPr")]
        content = [e for e in blocks if not (e.tag == qn("w:p") and Paragraph(e, self.doc).text.strip().startswith("{%p"))]
        if len(content) >= 2 and content[-2].tag == qn("w:tbl") and not Paragraph(content[-1], self.doc).text:
            last = Paragraph(content[-1], self.doc)
            last.paragraph_format.space_before = last.paragraph_format.space_after = Pt(0)
            last.paragraph_format.line_spacing = Pt(1)
            fmt.set_paragraph_mark_size(last, 1)


def sig_lines(authority: str | None, post: str, note: str | None, date_expr: str | None, name: str, blank: int = 3):
    """The right-hand lines of a signature block; Jinja expressions allowed in each part."""
    lines: list[tuple[str, dict]] = []
    if authority:
        lines.append((authority, {"bold": True}))
    lines.append((post, {"bold": True}))
    if note:
        lines.append((note, {"italic": True, "size": 12}))
    if date_expr:
        lines.append((date_expr, {"italic": True}))
    lines.extend(("", {}) for _ in range(blank))
    lines.append((name, {"bold": True}))
    return lines
