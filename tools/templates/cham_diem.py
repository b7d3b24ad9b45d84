"""Template of ruleset qd124: the scoring sheet (biểu chấm điểm) of a party organisation or a member (spec §2.5).

Rows, maxima and totals come from ``so_lieu.cham_diem_theo_ma[doi_tuong]`` (computed by hoso from the sheet and
the locality rubric); the sheet's own data gives the group names, column (3) evidence, bonuses and deductions.
Columns (spec §2.5 default): (1) Tiêu chí | (2) Điểm tối đa | (3) Kết quả thực hiện | (4) Điểm tự chấm |
(5) Điểm cộng | (6) Điểm trừ | (7) Điểm đạt | (8) Ghi chú.
"""

from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from partydoc import TEXT_WIDTH_MM, PartyDoc, sig_lines

from generator import docx_format as fmt

TABLE_PT = 11
SHEET = "so_lieu.cham_diem_theo_ma[doi_tuong]"


def num(expr: str, blank_zero: bool = False) -> str:
    """A number with a decimal comma and no useless zeros: 27.5 → "27,5", 30.0 → "30"."""
    shown = f"'%g'|format({expr})|replace('.', ',')"
    return f"{{{{ ({shown}) if {expr} else '' }}}}" if blank_zero else f"{{{{ {shown} }}}}"


# A row belongs to group g when its code starts with "g.": "g." < ma < "g/" ('/' follows '.' in character order),
# which Jinja filters can test without a prefix test.
IN_GROUP = "selectattr('ma', 'gt', g.ma ~ '.')|selectattr('ma', 'lt', g.ma ~ '/')"


def _table(d: PartyDoc, widths: list[float], rows: int):
    table = d.doc.add_table(rows=rows, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for i, w in enumerate(widths):
        table.columns[i].width = Mm(w)
        for row in table.rows:
            row.cells[i].width = Mm(w)
    # Narrow cell padding (1 mm) so that "Điểm" fits the 13 mm number columns.
    mar = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), "57")
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    table._tbl.tblPr.append(mar)
    return table


def _write(cell, text: str, *, bold=False, italic=False, align="center", size=TABLE_PT) -> None:
    p = cell.paragraphs[0]
    if text:
        run = p.add_run(text)
        run.bold = bold or None
        run.italic = italic or None
        run.font.size = Pt(size)
    p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
                   "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
    p.paragraph_format.first_line_indent = Mm(0)
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.line_spacing = 1.0


def _shade(row, fill: str = "E7E6E6") -> None:
    for cell in row.cells:
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), fill)
        cell._tc.get_or_add_tcPr().append(shd)


def _tag_row(table, index: int, tag: str) -> None:
    """A row holding only a ``{%tr … %}`` tag in its first cell (docxtpl removes the row)."""
    row = table.rows[index]
    merged = row.cells[0].merge(row.cells[-1])
    _write(merged, tag, align="left")


def _data_row(table, index: int) -> None:
    """One criterion row of the main table; ``r`` is a row of the computed sheet."""
    cells = table.rows[index].cells
    fmt.keep_row_together(table.rows[index])
    _write(cells[0], "{{ r.ma }}. {{ r.ten }}", align="left")
    _write(cells[1], num("r.toi_da"))
    _write(cells[2], "{{ r.ket_qua or (bang_chung[r.ma] if r.ma in bang_chung else '') }}", align="left")
    _write(cells[3], num("r.diem"))
    _write(cells[4], num("r.cong", blank_zero=True))
    _write(cells[5], num("r.tru", blank_zero=True))
    _write(cells[6], num("r.dat"), bold=True)
    _write(
        cells[7],
        "{% filter trim %}"
        "{% for b in cong %}{% if b.tieu_chi == r.ma %}Cộng II.{{ loop.index }} {% endif %}{% endfor %}"
        "{% for t in tru %}{% if t.tieu_chi == r.ma %}Trừ III.{{ loop.index }} {% endif %}{% endfor %}"
        "{% endfilter %}",
        size=10,
    )


def score_table(d: PartyDoc) -> None:
    widths = [42, 12, 44, 12, 12, 12, 13, 18]
    assert abs(sum(widths) - TEXT_WIDTH_MM) < 0.5
    table = _table(d, widths, rows=12)
    heads = ["Tiêu chí", "Điểm tối đa", "Kết quả thực hiện", "Điểm tự chấm", "Điểm cộng", "Điểm trừ", "Điểm đạt", "Ghi chú"]
    for i, text in enumerate(heads):
        _write(table.rows[0].cells[i], text, bold=True, size=TABLE_PT if i in (0, 2) else 10)
        _write(table.rows[1].cells[i], f"({i + 1})", italic=True, size=10)
    _shade(table.rows[0])
    fmt.repeat_header_row(table.rows[0])
    fmt.repeat_header_row(table.rows[1])

    # Groups named in the sheet (nhom): a subtotal row, then the group's criteria.
    _tag_row(table, 2, "{%tr for g in nhom %}")
    cells = table.rows[3].cells
    fmt.keep_row_together(table.rows[3])
    _shade(table.rows[3], "F2F2F2")
    _write(cells[0], "{{ g.ma }}. {{ g.ten }}", bold=True, align="left")
    for i, key in ((1, "toi_da"), (3, "diem"), (4, "cong"), (5, "tru"), (6, "dat")):
        _write(cells[i], num(f"{SHEET}.dong|{IN_GROUP}|sum(attribute='{key}')", blank_zero=key in ("cong", "tru")), bold=True)
    _tag_row(table, 4, f"{{%tr for r in {SHEET}.dong if r.ma > (g.ma ~ '.') and r.ma < (g.ma ~ '/') %}}")
    _data_row(table, 5)
    _tag_row(table, 6, "{%tr endfor %}")
    _tag_row(table, 7, "{%tr endfor %}")
    # Criteria outside every named group (all of them when the sheet names no group).
    _tag_row(table, 8, f"{{%tr for r in {SHEET}.dong if not ('.' in r.ma and r.ma.split('.')[0] in (nhom|map(attribute='ma')|list)) %}}")
    _data_row(table, 9)
    _tag_row(table, 10, "{%tr endfor %}")

    cells = table.rows[11].cells
    fmt.keep_row_together(table.rows[11])
    _shade(table.rows[11])
    _write(cells[0], "TỔNG CỘNG", bold=True)
    _write(cells[1], num(f"{SHEET}.tong_toi_da"), bold=True)
    _write(cells[3], num(f"{SHEET}.tong_tu_cham"), bold=True)
    _write(cells[4], num(f"{SHEET}.tong_cong", blank_zero=True), bold=True)
    _write(cells[5], num(f"{SHEET}.tong_tru", blank_zero=True), bold=True)
    _write(cells[6], num(f"{SHEET}.tong"), bold=True)
    _write(cells[7], f"{{% if {SHEET}.tong < {SHEET}.dong|sum(attribute='dat') %}}Không vượt điểm tối đa{{% endif %}}", size=10)


def bonus_table(d: PartyDoc) -> None:
    widths = [10, 50, 88, 17]
    d.tag("{%p if cong %}")
    table = _table(d, widths, rows=4)
    for i, text in enumerate(["TT", "Nội dung (tiêu chí được cộng)", "Thành tích nổi bật, điển hình được cộng điểm", "Điểm cộng"]):
        _write(table.rows[0].cells[i], text, bold=True)
    _shade(table.rows[0])
    fmt.repeat_header_row(table.rows[0])
    _tag_row(table, 1, "{%tr for b in cong %}")
    cells = table.rows[2].cells
    fmt.keep_row_together(table.rows[2])
    _write(cells[0], "{{ loop.index }}")
    _write(cells[1], f"{{{{ b.tieu_chi or '' }}}}{{% for r in {SHEET}.dong if r.ma == b.tieu_chi %}}. {{{{ r.ten }}}}{{% endfor %}}", align="left")
    _write(cells[2], "{{ b.thanh_tich }}", align="left")
    _write(cells[3], num("b.diem"), bold=True)
    _tag_row(table, 3, "{%tr endfor %}")
    d.tag("{%p else %}")
    d.para("Không có nội dung được cộng điểm.", italic=True, indent=True)
    d.tag("{%p endif %}")


def deduction_table(d: PartyDoc) -> None:
    widths = [10, 38, 60, 42, 15]
    d.tag("{%p if tru %}")
    table = _table(d, widths, rows=4)
    heads = ["TT", "Tiêu chí bị trừ điểm", "Lý do trừ điểm", "Tập thể, cá nhân chịu trách nhiệm", "Điểm trừ"]
    for i, text in enumerate(heads):
        _write(table.rows[0].cells[i], text, bold=True)
    _shade(table.rows[0])
    fmt.repeat_header_row(table.rows[0])
    _tag_row(table, 1, "{%tr for t in tru %}")
    cells = table.rows[2].cells
    fmt.keep_row_together(table.rows[2])
    _write(cells[0], "{{ loop.index }}")
    _write(cells[1], f"{{{{ t.tieu_chi or '' }}}}{{% for r in {SHEET}.dong if r.ma == t.tieu_chi %}}. {{{{ r.ten }}}}{{% endfor %}}", align="left")
    ke, dat = "t.chi_tieu.ke_hoach", "t.chi_tieu.dat"
    _write(
        cells[2],
        "{{ t.ly_do or '' }}"
        f"{{% if {ke} %}} (chỉ tiêu{{% if t.chi_tieu.ten %}} “{{{{ t.chi_tieu.ten }}}}”{{% endif %}}: kế hoạch {num(ke)}, "
        f"thực hiện {num(dat)}{{% if {dat} < {ke} %}}, thiếu {num(f'(({ke} - {dat}) / {ke} * 100)|round(2)')}% "
        "so với kế hoạch{% endif %}){% endif %}",
        align="left",
    )
    _write(cells[3], "{{ t.trach_nhiem or '' }}", align="left")
    _write(cells[4], num("t.diem"), bold=True)
    _tag_row(table, 3, "{%tr endfor %}")
    d.tag("{%p else %}")
    d.para("Không có nội dung bị trừ điểm.", italic=True, indent=True)
    d.tag("{%p endif %}")


def scoring_sheet() -> PartyDoc:
    d = PartyDoc()
    d.tag("{%p set la_to_chuc = doi_tuong in so_lieu.to_chuc_theo_ma %}")
    d.tag(
        "{%p set ten_doi_tuong = so_lieu.to_chuc_theo_ma[doi_tuong].ten if la_to_chuc "
        "else 'đảng viên ' ~ so_lieu.thanh_vien_theo_ma[doi_tuong].ho_ten %}"
    )
    d.form_label()
    d.party_header(numbered=False)
    d.title(
        "BIỂU CHẤM ĐIỂM",
        ("đánh giá, xếp loại chất lượng {{ ten_doi_tuong }} năm {{ ky_danh_gia.nam }}", {"bold": True}),
    )
    d.tag("{%p if la_to_chuc %}")
    d.para(
        "Tổ chức được chấm điểm: {{ so_lieu.to_chuc_theo_ma[doi_tuong].ten }} "
        "({{ so_lieu.to_chuc_theo_ma[doi_tuong].loai_ten|lower }}"
        "{% if so_lieu.to_chuc_theo_ma[doi_tuong].ten_cap_tren %}, {{ so_lieu.to_chuc_theo_ma[doi_tuong].ten_cap_tren }}{% endif %}).",
        indent=True, align="left", after=2,
    )
    d.tag("{%p else %}")
    d.para("Họ và tên: {{ so_lieu.thanh_vien_theo_ma[doi_tuong].ho_ten }}", indent=True, align="left", after=2)
    d.tag("{%p if so_lieu.thanh_vien_theo_ma[doi_tuong].chuc_vu %}")
    d.para("Chức vụ: {{ so_lieu.thanh_vien_theo_ma[doi_tuong].chuc_vu }}", indent=True, align="left", after=2)
    d.tag("{%p endif %}")
    d.para("Chi bộ: {{ so_lieu.thanh_vien_theo_ma[doi_tuong].ten_chi_bo }}", indent=True, align="left", after=2)
    d.tag("{%p endif %}")
    d.para(
        "Căn cứ {{ hoso.bo_quy_tac.van_ban }}; {{ hoso.bo_quy_tac.huong_dan }} và thang điểm đánh giá, xếp loại "
        "chất lượng hằng năm do cấp ủy cấp trên ban hành, "
        "{% if la_to_chuc %}{{ ten_doi_tuong }} chấm điểm{% else %}{{ ten_doi_tuong }} tự chấm điểm{% endif %} "
        "năm {{ ky_danh_gia.nam }} như sau:"
    )
    d.heading("I. CHẤM ĐIỂM THEO TIÊU CHÍ", indent=False)
    score_table(d)
    d.para("", after=0)
    d.heading("II. ĐIỂM CỘNG", indent=False)
    bonus_table(d)
    d.para("", after=0)
    d.heading("III. ĐIỂM TRỪ", indent=False)
    deduction_table(d)
    d.para("", after=0)
    first = len(d.doc.paragraphs)
    d.heading("IV. TỔNG HỢP KẾT QUẢ", indent=False)
    d.para(
        f"Điểm tự chấm: {num(SHEET + '.tong_tu_cham')} điểm; điểm cộng: {num(SHEET + '.tong_cong')} điểm; "
        f"điểm trừ: {num(SHEET + '.tong_tru')} điểm.",
        indent=True,
    )
    d.para(f"Tổng số điểm: {num(SHEET + '.tong')}/{num(SHEET + '.tong_toi_da')} điểm.", bold=True, indent=True, keep_next=True)
    d.level_boxes("muc_de_xuat", label="Đề xuất xếp loại chất lượng:", label_style={"bold": True}, label_indent=True)
    # The summary and the proposed level stay with the signature (signature() keeps the last paragraph with it;
    # LibreOffice follows only that one link, so the chain above it is kept where possible).
    for p in d.doc.paragraphs[first:]:
        p.paragraph_format.keep_with_next = True
    d.signature(
        [
            ("{%p if chu_ky.quyen_han %}", {}),
            ("{{ chu_ky.quyen_han }}", {"bold": True}),
            ("{%p endif %}", {}),
            *sig_lines(None, "{{ chu_ky.chuc_vu or ('NGƯỜI TỰ CHẤM ĐIỂM' if not la_to_chuc else '') }}", None, None,
                       "{{ chu_ky.ho_ten }}"),
        ],
        left=[
            ("{%p if nguoi_lap.ho_ten %}", {}),
            ("{{ nguoi_lap.quyen_han or 'NGƯỜI LẬP BIỂU' }}", {"bold": True}),
            ("{{ nguoi_lap.chuc_vu }}", {"bold": True}),
            ("", {}), ("", {}), ("", {}),
            ("{{ nguoi_lap.ho_ten }}", {"bold": True}),
            ("{%p endif %}", {}),
            ("", {}),  # a table cell must keep one paragraph when there is no preparer
        ],
    )
    # The preparer's block is centred in the left column, like the signer's block on the right.
    for p in d.doc.tables[-1].rows[0].cells[0].paragraphs:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return d


TEMPLATES = {"qd124/scoring_sheet.docx": scoring_sheet}
