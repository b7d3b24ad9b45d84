"""Template of the dossier index (mục lục hồ sơ) that ``hoso dossier`` fills for every package."""

from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from generator import docx_format as fmt
from partydoc import PartyDoc, sig_lines

# Widths (mm, 165 in all) with 1 mm cell padding: "215-QĐ/HU" and "10/12/2024;" fit on one line, and the notes
# column is wide enough that no word of a note ("Bản đính kèm … không theo PDF/A") is broken inside a syllable.
COLUMNS = [("STT", 10), ("Tên tài liệu", 50), ("Số, ký hiệu", 24), ("Ngày, tháng, năm", 24), ("Số trang", 13), ("Tình trạng", 20), ("Ghi chú", 24)]
STATUS = "{{ {'co': 'Có', 'khong_co': 'Không có', 'thieu': 'Thiếu', 'khong_ap_dung': 'Không áp dụng'}[m.tinh_trang] }}"


def _cell(cell, text, *, bold=False, italic=False, align="center", size=12):
    p = cell.paragraphs[0]
    run = p.add_run(text)
    run.bold, run.italic = bold or None, italic or None
    run.font.size = Pt(size)
    p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT}[align]
    p.paragraph_format.first_line_indent = Mm(0)
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.line_spacing = 1.0


def dossier_index() -> PartyDoc:
    d = PartyDoc()
    d.form_label()
    d.party_header(numbered=False)
    d.title(
        "MỤC LỤC HỒ SƠ",
        ("kiểm điểm, đánh giá, xếp loại chất lượng năm {{ ky_danh_gia.nam }}", {"bold": True}),
        ("({{ {'ca_nhan': 'Hồ sơ cá nhân', 'tap_the': 'Hồ sơ tập thể', 'khen_thuong': 'Hồ sơ khen thưởng'}[loai_ho_so] }}: {{ doi_tuong.ten }}{% if doi_tuong.mo_ta %} — {{ doi_tuong.mo_ta }}{% endif %})", {"italic": True}),
    )
    table = d.doc.add_table(rows=4, cols=len(COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    fmt.set_cell_margins(table, 1)
    for i, (name, width) in enumerate(COLUMNS):
        table.columns[i].width = Mm(width)
        for row in table.rows:
            row.cells[i].width = Mm(width)
        _cell(table.rows[0].cells[i], name, bold=True, size=11 if width < 15 else 12)
    fmt.repeat_header_row(table.rows[0])
    _cell(table.rows[1].cells[0], "{%tr for m in muc %}")
    cells = table.rows[2].cells
    fmt.keep_row_together(table.rows[2])  # an item never splits across pages
    _cell(cells[0], "{{ m.stt }}")
    _cell(cells[1], "{{ m.ten }}{% for t in m.tai_lieu %}\n- {{ t }}{% endfor %}", align="left")
    _cell(cells[2], "{{ m.so_ky_hieu }}")
    _cell(cells[3], "{{ m.ngay }}", size=11)
    _cell(cells[4], "{{ m.so_trang if m.so_trang is not none else '' }}")
    _cell(cells[5], STATUS, bold=False)
    _cell(cells[6], "{{ m.ghi_chu }}", size=11)
    _cell(table.rows[3].cells[0], "{%tr endfor %}")
    d.para("", after=0)
    d.para("Tổng số trang của hồ sơ: {{ tong_so_trang }}. Tình trạng: \"Có\" — có trong hồ sơ; \"Không có\" — thành phần \"nếu có\" không phát sinh; "
           "\"Không áp dụng\" — không thuộc trường hợp phải có; \"Thiếu\" — phải bổ sung.", italic=True, size=12)
    d.signature(sig_lines(None, "NGƯỜI LẬP HỒ SƠ", "(Ký, ghi rõ họ tên)", "{{ ngay_lap|ngay_thang(viet_hoa=True) }}", "{{ nguoi_lap.ho_ten }}"))
    return d


TEMPLATES = {"qd124/dossier_index.docx": dossier_index}
