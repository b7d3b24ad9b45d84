"""Templates of ruleset qd124 for the review meeting (spec §2.6, §2.7): the minutes, the secret-ballot slips
(four-level slip; separate HTXSNV slip of the two-ballot locality option) and the tally minutes.

None of these has a central form. Every number they print (members called, present, absent, ballots, votes per
level, percentages, adopted levels, score totals) comes from ``so_lieu``; the instance holds only what the meeting
itself produced (sittings, chair, secretary, opinions, conclusions, open votes, the tally committee).
Names resolved at the top of each template (``{%p set … %}``): ``org`` (the organisation of ``to_chuc``),
and in the minutes ``tong``/``co_mat`` (called/present) and ``t`` (the tally of the organisation, or None).
"""

from __future__ import annotations

from docx.enum.table import WD_ALIGN_VERTICAL, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Mm, Pt

from generator import docx_format as fmt
from partydoc import LEVELS, TEXT_WIDTH_MM, PartyDoc

ORG = "{%p set org = so_lieu.to_chuc_theo_ma[to_chuc] %}"
LEVEL_SHORT = [code for code, _ in LEVELS]


def n2(expr: str) -> str:
    """A count printed with two digits, as Party documents do ("08 đồng chí")."""
    return f"{{{{ '%02d'|format({expr}) }}}}"


def num(expr: str) -> str:
    """A score with a decimal comma and no trailing zero ("86,5", "90")."""
    return f"{{{{ ('%g'|format({expr}))|replace('.', ',') if {expr} is not none else '…' }}}}"


def pct(part: str, whole: str) -> str:
    """part/whole as a Vietnamese percentage with one decimal at most ("87,5%", "100%")."""
    return f"{{{{ ('%g'|format((100 * {part} / {whole})|round(1)))|replace('.', ',') }}}}%"


def clock(expr: str) -> str:
    """"07 giờ 30 phút" from an ISO date-time "2024-12-06T07:30"."""
    return f"{{{{ {expr}[11:13] }}}} giờ {{{{ {expr}[14:16] }}}} phút"


# -- blocks --------------------------------------------------------------------------------
def header(d: PartyDoc, *, number: str | None, date_expr: str) -> None:
    """The Party header (spec §4.1) with the issuer taken from the unit unless ``don_vi`` overrides it.

    ``number``: None (unnumbered: ballots), "always" or "optional" (printed only when ``so_van_ban`` is given).
    """
    numbered = {None: False, "always": True, "optional": "optional"}[number]
    d.party_header(numbered=numbered, date_expr=date_expr)


def two_signatures(d: PartyDoc, left: list[str], right: list[str], note: str = "(Ký, ghi rõ họ tên)") -> None:
    """Two centred signature blocks side by side (no seal): post lines, note, space, name (last item); they stay on
    the page of the paragraph above."""
    d.keep_with_signature()
    table = d.doc.add_table(rows=1, cols=2)
    table.autofit = False
    fmt.remove_table_borders(table)
    fmt.set_cell_margins_zero(table)
    fmt.keep_row_together(table.rows[0])
    width = Mm(TEXT_WIDTH_MM / 2)
    tallest = max(len(left), len(right))
    for cell, lines in zip(table.rows[0].cells, (left, right)):
        cell.width = width
        *posts, name = lines
        texts = [(t, {"bold": True}) for t in posts] + [(note, {"italic": True, "size": 12})]
        texts += [("", {})] * (3 + tallest - len(lines)) + [(name, {"bold": True})]
        for i, (text, style) in enumerate(texts):
            p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            d._fill(p, text, **style)
            d._shape(p, align="center", indent=False, after=0)
            p.paragraph_format.line_spacing = 1.0
    for col in table.columns:
        col.width = width


def grid(d: PartyDoc, widths: list[float], side_mm: float | None = None):
    """A bordered table of the given column widths (mm); ``side_mm`` narrows the left/right cell margins."""
    table = d.doc.add_table(rows=0, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for i, w in enumerate(widths):
        table.columns[i].width = Mm(w)
    if side_mm is not None:
        margins = OxmlElement("w:tblCellMar")
        for side in ("left", "right"):
            el = OxmlElement(f"w:{side}")
            el.set(qn("w:w"), str(round(side_mm * 56.7)))
            el.set(qn("w:type"), "dxa")
            margins.append(el)
        table._tbl.tblPr.append(margins)
    return table


def cell_text(cell, text: str, *, bold=False, italic=False, align="center", size=12, width=None) -> None:
    p = cell.paragraphs[0]
    if text:
        run = p.add_run(text)
        run.bold = bold or None
        run.italic = italic or None
        run.font.size = Pt(size)
    p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
    p.paragraph_format.first_line_indent = Mm(0)
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.line_spacing = 1.0
    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    if width:
        cell.width = Mm(width)


def add_row(table, widths, texts, *, height_cm: float | None = None, **style):
    row = table.add_row()
    for i, text in enumerate(texts):
        if isinstance(text, tuple):
            text, extra = text
        else:
            extra = {}
        cell_text(row.cells[i], text, width=widths[i], **{**style, **extra})
    if height_cm:
        row.height = Cm(height_cm)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    return row


def loop_rows(table, widths, start_tag: str, cells: list, end_tag: str, **style) -> None:
    """``{%tr …%}`` row, the templated row, ``{%tr end… %}`` row (docxtpl removes both tag rows)."""
    add_row(table, widths, [start_tag] + [""] * (len(widths) - 1), align="left")
    row = add_row(table, widths, cells, **style)
    fmt.keep_row_together(row)
    add_row(table, widths, [end_tag] + [""] * (len(widths) - 1), align="left")
    return row


def dash_list(d: PartyDoc, loop: str, text: str) -> None:
    d.tag(f"{{%p for {loop} %}}")
    d.para(text)
    d.tag("{%p endfor %}")


# -- minutes (spec §2.6) -------------------------------------------------------------------
def minutes() -> PartyDoc:
    d = PartyDoc()
    d.tag(ORG)
    d.tag("{%p set tong = so_trieu_tap or org.so_dang_vien %}")
    d.tag("{%p set co_mat = tong - vang_mat|length %}")
    d.tag("{%p set t = so_lieu.bo_phieu_theo_to_chuc.get(to_chuc) %}")
    d.tag("{%p set cuoi = buoi|last %}")
    d.form_label()
    header(d, number="always", date_expr="ngay_lap or cuoi.ket_thuc[:10]")
    d.title(
        "BIÊN BẢN",
        ("Hội nghị kiểm điểm, đánh giá, xếp loại chất lượng "
         "{% if trich_yeu %}{{ trich_yeu }}{% elif loai_hoi_nghi == 'chi_bo' %}tập thể và đảng viên {{ org.ten }}"
         "{% elif loai_hoi_nghi == 'dang_uy' %}tập thể Ban Chấp hành {{ org.ten }}"
         "{% elif loai_hoi_nghi == 'ban_thuong_vu' %}tập thể Ban Thường vụ {{ org.ten }}"
         "{% else %}tập thể lãnh đạo, quản lý {{ org.ten }}{% endif %} năm {{ ky_danh_gia.nam }}", {"bold": True}),
    )

    d.heading("I. THỜI GIAN, ĐỊA ĐIỂM, THÀNH PHẦN", indent=False)
    d.tag("{%p if buoi|length == 1 %}")
    d.para(f"1. Thời gian: từ {clock('cuoi.bat_dau')} đến {clock('cuoi.ket_thuc')}, {{{{ cuoi.bat_dau[:10]|ngay_thang }}}}.")
    d.tag("{%p else %}")
    d.para("1. Thời gian: hội nghị họp {{ buoi|length }} buổi:")
    dash_list(d, "b in buoi", f"- Buổi {{{{ loop.index }}}}: từ {clock('b.bat_dau')} đến {clock('b.ket_thuc')}, {{{{ b.bat_dau[:10]|ngay_thang }}}}.")
    d.tag("{%p endif %}")
    d.para("2. Địa điểm: {{ dia_diem }}{{ '' if dia_diem[-1:] in ['.', ';'] else '.' }}")
    d.para(
        "3. Hình thức: {% if loai_hoi_nghi == 'chi_bo' %}hội nghị chi bộ (toàn thể đảng viên)"
        "{% elif loai_hoi_nghi == 'dang_uy' %}hội nghị Ban Chấp hành đảng bộ"
        "{% elif loai_hoi_nghi == 'ban_thuong_vu' %}hội nghị Ban Thường vụ"
        "{% else %}hội nghị tập thể lãnh đạo, quản lý{% endif %}."
    )
    d.para("4. Thành phần:")
    d.para("- Chủ trì: đồng chí {{ chu_tri.ho_ten }}, {{ chu_tri.chuc_vu }}.")
    d.para("- Thư ký: đồng chí {{ thu_ky.ho_ten }}, {{ thu_ky.chuc_vu }}.")
    d.tag("{%p if dai_bieu_cap_tren %}")
    d.para("- Đại biểu cấp trên dự hội nghị:")
    dash_list(d, "db in dai_bieu_cap_tren", "+ Đồng chí {{ db.ho_ten }}, {{ db.chuc_vu }}.")
    d.tag("{%p endif %}")
    d.para(
        "- {% if loai_hoi_nghi == 'chi_bo' and not so_trieu_tap %}Tổng số đảng viên của chi bộ{% else %}Tổng số đồng chí được triệu tập{% endif %}: "
        f"{n2('tong')} đồng chí; có mặt: {n2('co_mat')} đồng chí; vắng mặt: {n2('vang_mat|length')} đồng chí."
    )
    d.tag("{%p if vang_mat %}")
    d.para("- Vắng mặt:")
    dash_list(d, "v in vang_mat", "+ Đồng chí {{ v.ho_ten }}: {{ v.ly_do }}")
    d.tag("{%p endif %}")
    d.para("5. Văn bản gợi ý kiểm điểm của cấp trên đối với tập thể: {{ 'có' if org.co_goi_y else 'không có' }}.")

    d.heading("II. NỘI DUNG HỘI NGHỊ", indent=False)
    d.tag("{%p if muc_dich %}")
    d.para("Đồng chí chủ trì nêu mục đích, yêu cầu của hội nghị:")
    d.paragraphs("muc_dich", var="doan_md")
    d.tag("{%p endif %}")
    n_org = n2("chuong_trinh|selectattr('to_chuc')|list|length")
    n_member = n2("chuong_trinh|selectattr('thanh_vien')|list|length")
    d.para(f"Hội nghị lần lượt kiểm điểm {n_org} tập thể và {n_member} đảng viên theo thứ tự dưới đây.")
    d.tag("{%p for muc in chuong_trinh %}")
    d.tag("{%p set tc = so_lieu.to_chuc_theo_ma.get(muc.to_chuc) if muc.to_chuc else none %}")
    d.tag("{%p set dv = so_lieu.thanh_vien_theo_ma.get(muc.thanh_vien) if muc.thanh_vien else none %}")
    d.tag("{%p set sheet = so_lieu.cham_diem_theo_ma.get(muc.to_chuc or muc.thanh_vien) %}")
    d.heading(
        "{{ loop.index }}. Kiểm điểm {% if muc.to_chuc %}tập thể {{ muc.ten or (tc.ten if tc else muc.to_chuc) }}"
        "{% else %}đồng chí {{ dv.ho_ten if dv else muc.thanh_vien }}{% if dv and dv.chuc_vu %}, {{ dv.chuc_vu }}{% endif %}{% endif %}",
        indent=True,
    )
    d.tag("{%p if muc.chu_tri.ho_ten %}")
    d.para("Chủ trì phần kiểm điểm: đồng chí {{ muc.chu_tri.ho_ten }}, {{ muc.chu_tri.chuc_vu }}.", italic=True)
    d.tag("{%p endif %}")
    # a) presentation
    d.tag("{%p if muc.to_chuc %}")
    d.para(
        "a) Trình bày: {% if muc.nguoi_trinh_bay.ho_ten %}đồng chí {{ muc.nguoi_trinh_bay.ho_ten }}, {{ muc.nguoi_trinh_bay.chuc_vu }}, "
        "{% elif tc and tc.nguoi_dung_dau %}đồng chí {{ tc.nguoi_dung_dau.ho_ten }}{% if tc.nguoi_dung_dau.chuc_vu_dang %}, "
        "{{ tc.nguoi_dung_dau.chuc_vu_dang }},{% endif %} {% endif %}trình bày báo cáo kiểm điểm của tập thể"
        "{% if tc and tc.tu_nhan_muc %}; tập thể tự nhận mức xếp loại chất lượng: {{ tc.tu_nhan_muc|ten_muc }}{% endif %}."
    )
    d.tag("{%p else %}")
    d.para(
        "a) Trình bày: {% if muc.nguoi_trinh_bay.ho_ten %}đồng chí {{ muc.nguoi_trinh_bay.ho_ten }}, {{ muc.nguoi_trinh_bay.chuc_vu }}, "
        "trình bày bản kiểm điểm của đồng chí {{ dv.ho_ten if dv else muc.thanh_vien }}{% else %}đồng chí "
        "{{ dv.ho_ten if dv else muc.thanh_vien }} trình bày bản kiểm điểm cá nhân{% endif %}"
        "{% if dv and dv.muc_tu_nhan %}; tự nhận mức xếp loại chất lượng đảng viên: {{ dv.muc_tu_nhan|ten_muc }}{% endif %}."
    )
    d.tag("{%p endif %}")
    d.paragraphs("muc.trinh_bay", var="doan_tb")
    # b) opinions
    d.tag("{%p if muc.y_kien %}")
    d.para("b) Ý kiến tham gia:")
    dash_list(d, "yk in muc.y_kien", "- Đồng chí {{ yk.nguoi }}: {{ yk.noi_dung }}")
    d.tag("{%p else %}")
    d.para("b) Ý kiến tham gia: không có ý kiến khác.")
    d.tag("{%p endif %}")
    # c) conclusion
    d.para("c) Kết luận của chủ trì:")
    d.paragraphs("muc.ket_luan", var="doan_kl")
    # scores from the scoring sheet (spec §2.5), when the unit has one for this subject
    d.tag("{%p if sheet %}")
    d.para(
        f"Kết quả chấm điểm: tổng điểm tự chấm {num('sheet.tong_tu_cham')}; điểm cộng {num('sheet.tong_cong')}; điểm trừ "
        f"{num('sheet.tong_tru')}; tổng số điểm hội nghị thống nhất: {num('sheet.tong')}/{num('sheet.tong_toi_da')} điểm."
    )
    d.tag("{%p for x in sheet.tru %}")
    d.para(
        f"- Trừ {num('x.diem')} điểm{{% if x.get('tieu_chi') %}} (tiêu chí {{{{ x.tieu_chi }}}}){{% endif %}}"
        "{% if x.get('ly_do') %}: {{ x.ly_do.rstrip('.') }}{% endif %}"
        "{% if x.get('trach_nhiem') %}; trách nhiệm: {{ x.trach_nhiem.rstrip('.') }}{% endif %}."
    )
    d.tag("{%p endfor %}")
    d.tag("{%p for x in sheet.cong %}")
    d.para(
        f"- Cộng {num('x.diem')} điểm{{% if x.get('tieu_chi') %}} (tiêu chí {{{{ x.tieu_chi }}}}){{% endif %}}"
        "{% if x.get('thanh_tich') %}: {{ x.thanh_tich.rstrip('.') }}{% endif %}."
    )
    d.tag("{%p endfor %}")
    d.tag("{%p endif %}")
    # d) open vote on the collective's score and self-level
    d.tag("{%p if muc.bieu_quyet.tan_thanh is not none %}")
    d.para(
        "d) Biểu quyết: hội nghị biểu quyết thông qua "
        f"{{% if sheet %}}tổng số điểm {num('sheet.tong')}/{num('sheet.tong_toi_da')} điểm và {{% endif %}}"
        "mức tự xếp loại chất lượng của tập thể{% if tc and tc.tu_nhan_muc %} ({{ tc.tu_nhan_muc|ten_muc }}){% endif %}: "
        f"{n2('muc.bieu_quyet.tan_thanh')}/{n2('co_mat')} đồng chí có mặt tán thành"
        f"{{% if co_mat %}} ({pct('muc.bieu_quyet.tan_thanh', 'co_mat')}){{% endif %}}, "
        f"{n2('muc.bieu_quyet.khong_tan_thanh')} đồng chí không tán thành."
    )
    d.tag("{%p endif %}")
    d.tag("{%p endfor %}")

    d.heading("III. KẾT QUẢ BỎ PHIẾU XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN", indent=False)
    d.tag("{%p if t %}")
    d.para(
        "Sau khi chủ trì hội nghị kết luận, hội nghị bỏ phiếu kín xếp loại chất lượng đối với từng đảng viên. "
        f"Số phiếu phát ra: {n2('t.phat_ra')}; số phiếu thu vào: {n2('t.thu_vao')}; số phiếu hợp lệ: {n2('t.hop_le')}; "
        f"số phiếu không hợp lệ: {n2('t.khong_hop_le')}. Kết quả kiểm phiếu (chi tiết tại biên bản kiểm phiếu):"
    )
    widths = [11, 44, 20, 20, 20, 20, 30]
    table = grid(d, widths, side_mm=1)
    add_row(table, widths, ["STT", "Họ và tên", *[(c, {"size": 11}) for c in LEVEL_SHORT], "Mức được chọn"], bold=True, size=12)
    fmt.repeat_header_row(table.rows[0])
    loop_rows(
        table, widths, "{%tr for r in t.ket_qua %}",
        ["{{ loop.index }}", ("{{ r.ho_ten }}", {"align": "left"}), *[f"{{{{ r.{c} }}}}" for c in LEVEL_SHORT],
         ("{{ r.muc_chon_ten or '—' }}", {"align": "left"})],
        "{%tr endfor %}", size=12,
    )
    note = d.para(
        "Ghi chú: " + "; ".join(f"{code}: {name}" for code, name in LEVELS) + ". Mức được chọn là mức cao nhất có số phiếu "
        "cộng dồn quá 1/2 {{ 'số phiếu hợp lệ' if t.mau_so == t.hop_le else 'số đảng viên có mặt' }}.",
        italic=True, size=12, indent=False,
    )
    note.paragraph_format.space_before = Pt(4)
    d.tag("{%p else %}")
    d.para("Hội nghị không bỏ phiếu xếp loại chất lượng đảng viên.")
    d.tag("{%p endif %}")

    d.heading("IV. Ý KIẾN BẢO LƯU", indent=False)
    d.tag("{%p if bao_luu %}")
    dash_list(d, "bl in bao_luu", "- Đồng chí {{ bl.nguoi }}: {{ bl.noi_dung }}")
    d.tag("{%p else %}")
    d.para("Không có ý kiến bảo lưu.")
    d.tag("{%p endif %}")

    d.para(
        f"Hội nghị kết thúc lúc {clock('cuoi.ket_thuc')}, {{{{ cuoi.ket_thuc[:10]|ngay_thang }}}}. Biên bản đã được đọc lại trước hội nghị và được hội nghị thông qua"
        f"{{% if thong_qua.tan_thanh is not none %}} với {n2('thong_qua.tan_thanh')}/{n2('co_mat')} đồng chí có mặt tán thành, "
        f"{n2('thong_qua.khong_tan_thanh')} đồng chí không tán thành{{% endif %}}."
    )
    d.para("")
    two_signatures(d, ["THƯ KÝ", "{{ thu_ky.ho_ten }}"], ["CHỦ TRÌ HỘI NGHỊ", "{{ chu_tri.ho_ten }}"])
    return d


# -- ballots (spec §2.7) -------------------------------------------------------------------
def ballot_level() -> PartyDoc:
    d = PartyDoc()
    d.tag(ORG)
    d.form_label()
    header(d, number=None, date_expr="ngay_lap or org.hop.ngay")
    d.title("PHIẾU XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM {{ ky_danh_gia.nam }}")
    d.para(
        "(Đồng chí đánh dấu X vào 01 ô duy nhất trên mỗi dòng, tương ứng với mức xếp loại chất lượng mà đồng chí lựa chọn "
        "đối với từng đảng viên)",
        italic=True, align="center", indent=False,
    )
    widths = [10, 49, 26.5, 26.5, 26.5, 26.5]
    table = grid(d, widths)
    add_row(table, widths, ["TT", "Họ và tên", *[name for _, name in LEVELS]], bold=True, size=12)
    fmt.repeat_header_row(table.rows[0])
    loop_rows(
        table, widths, "{%tr for m in org.thanh_vien if not m.chua_kiem_diem %}",
        ["{{ loop.index }}", ("{{ m.ho_ten }}", {"align": "left"}), "", "", "", ""],
        "{%tr endfor %}", size=13, height_cm=0.9,
    )
    return d


def ballot_htxs() -> PartyDoc:
    d = PartyDoc()
    d.tag(ORG)
    d.tag(
        "{%p set de_xuat = (org.thanh_vien|selectattr('muc_chi_uy', 'eq', 'HTXSNV')|map(attribute='ma')|list)"
        " + (org.thanh_vien|selectattr('muc_tu_nhan', 'eq', 'HTXSNV')|map(attribute='ma')|list) %}"
    )
    d.tag(
        "{%p set ds = danh_sach or (org.thanh_vien|rejectattr('chua_kiem_diem')|selectattr('ma', 'in', de_xuat)"
        "|map(attribute='ma')|list) %}"
    )
    d.form_label()
    header(d, number=None, date_expr="ngay_lap or org.hop.ngay")
    d.title("PHIẾU BÌNH CHỌN ĐẢNG VIÊN\nHOÀN THÀNH XUẤT SẮC NHIỆM VỤ", ("Năm {{ ky_danh_gia.nam }}", {"bold": True}))
    d.para(
        "(Đồng chí đánh dấu X vào ô “Đồng ý” hoặc ô “Không đồng ý” trên mỗi dòng)",
        italic=True, align="center", indent=False,
    )
    widths = [15, 55, 43, 26, 26]
    table = grid(d, widths)
    add_row(table, widths, ["Số TT", "Họ và tên", "Chi bộ", "Đồng ý", "Không đồng ý"], bold=True, size=12)
    fmt.repeat_header_row(table.rows[0])
    row_cells = [
        "{% set m = so_lieu.thanh_vien_theo_ma.get(ma) %}{{ loop.index }}",
        ("{{ m.ho_ten if m else ma }}", {"align": "left"}),
        ("{{ m.ten_chi_bo if m else '' }}", {"align": "left"}),
        "", "",
    ]
    loop_rows(table, widths, "{%tr for ma in ds %}", row_cells, "{%tr endfor %}", size=13, height_cm=0.9)
    add_row(table, widths, ["{%tr if not ds %}", "", "", "", ""], align="left")
    row = table.add_row()
    merged = row.cells[0].merge(row.cells[-1])
    cell_text(merged, "(Không có đảng viên được đề xuất mức Hoàn thành xuất sắc nhiệm vụ)", italic=True, size=12)
    add_row(table, widths, ["{%tr endif %}", "", "", "", ""], align="left")
    return d


# -- tally minutes (spec §2.7) -------------------------------------------------------------
def tally_minutes() -> PartyDoc:
    d = PartyDoc()
    d.tag(ORG)
    d.tag("{%p set t = so_lieu.bo_phieu_theo_to_chuc.get(to_chuc) %}")
    d.tag("{%p set truong_ban = to_kiem_phieu|selectattr('nhiem_vu', 'eq', 'Trưởng ban')|first %}")
    d.form_label()
    header(d, number="optional", date_expr="ngay_lap or (t.ngay if t else none)")
    d.title("BIÊN BẢN KIỂM PHIẾU", ("Xếp loại chất lượng đảng viên năm {{ ky_danh_gia.nam }}", {"bold": True}))
    d.tag("{%p if t %}")
    d.heading("I. THỜI GIAN, ĐỊA ĐIỂM, THÀNH PHẦN", indent=False)
    d.para(
        "1. Thời gian: bắt đầu kiểm phiếu lúc {{ gio_bat_dau[:2] }} giờ {{ gio_bat_dau[3:] }} phút, "
        "{{ t.ngay|ngay_thang }}, tại hội nghị kiểm điểm, đánh giá, xếp loại chất lượng năm {{ ky_danh_gia.nam }} của {{ org.ten }}."
    )
    d.para("2. Địa điểm: {{ dia_diem }}{{ '' if dia_diem[-1:] in ['.', ';'] else '.' }}")
    d.para(
        f"3. Thành phần: tổng số đảng viên được triệu tập: {n2('org.so_dang_vien')} đồng chí; có mặt: {n2('t.co_mat')} đồng chí; "
        f"vắng mặt: {n2('org.so_dang_vien - t.co_mat')} đồng chí."
    )
    d.para("4. Chủ trì hội nghị: đồng chí {{ chu_tri.ho_ten }}, {{ chu_tri.chuc_vu }}.")
    d.para(f"5. Tổ kiểm phiếu do hội nghị bầu gồm {n2('to_kiem_phieu|length')} đồng chí:")
    dash_list(d, "tv in to_kiem_phieu", "- Đồng chí {{ tv.ho_ten }}, {{ tv.nhiem_vu|lower }}{{ '.' if loop.last else ';' }}")

    d.heading("II. KẾT QUẢ KIỂM PHIẾU", indent=False)
    d.para(
        f"1. Số phiếu phát ra: {n2('t.phat_ra')} phiếu; số phiếu thu vào: {n2('t.thu_vao')} phiếu; "
        f"số phiếu hợp lệ: {n2('t.hop_le')} phiếu; số phiếu không hợp lệ: {n2('t.khong_hop_le')} phiếu."
    )
    d.para(
        "2. Số phiếu và tỷ lệ xếp loại chất lượng đối với từng đảng viên (tỷ lệ % tính trên "
        "{{ 'số phiếu hợp lệ' if t.mau_so == t.hop_le else 'số đảng viên có mặt' }}):",
        keep_next=True,
    )
    tally_table(d)
    d.para("", after=0)
    d.para(
        "Mức được chọn là mức cao nhất có số phiếu cộng dồn quá 1/2 "
        "{{ 'số phiếu hợp lệ' if t.mau_so == t.hop_le else 'số đảng viên có mặt' }} "
        "(số phiếu cộng dồn của một mức gồm số phiếu của mức đó và của các mức cao hơn)."
    )
    d.para("3. Tổng hợp mức được chọn:", keep_next=True)
    for code, name in LEVELS:
        count = n2(f"t.ket_qua|selectattr('muc_chon', 'eq', '{code}')|list|length")
        d.para(f"- {name}: {count} đồng chí" + ("." if code == LEVELS[-1][0] else ";"))
    d.para(
        "Biên bản kiểm phiếu lập xong lúc {% if gio_ket_thuc %}{{ gio_ket_thuc[:2] }} giờ {{ gio_ket_thuc[3:] }} phút{% else %}…{% endif %} "
        "cùng ngày, đã được Tổ kiểm phiếu thông qua và công bố trước hội nghị."
    )
    d.tag("{%p else %}")
    d.para("(Chưa có kết quả kiểm phiếu của tổ chức này: ghi kết quả vào mục bo_phieu của don_vi.yaml.)", italic=True)
    d.tag("{%p endif %}")
    d.para("")
    two_signatures(d, ["TỔ KIỂM PHIẾU", "TRƯỞNG BAN", "{{ truong_ban.ho_ten }}"], ["CHỦ TRÌ HỘI NGHỊ", "{{ chu_tri.ho_ten }}"])
    return d


def tally_table(d: PartyDoc) -> None:
    """STT | Họ và tên | one column per level: "số phiếu (tỷ lệ)" | Mức được chọn."""
    widths = [10, 41, 22, 22, 22, 22, 26]
    table = grid(d, widths, side_mm=1)
    header_cells = ["STT", "Họ và tên", *[name for _, name in LEVELS], "Mức được chọn"]
    add_row(table, widths, header_cells, bold=True, size=11)
    fmt.repeat_header_row(table.rows[0])
    cells = ["{{ loop.index }}", ("{{ r.ho_ten }}", {"align": "left"})]
    cells += [f"{{{{ r.{code} }}}} ({{{{ r.ty_le.{code} }}}})" for code in LEVEL_SHORT]
    cells.append("{{ r.muc_chon_ten or '—' }}")
    loop_rows(table, widths, "{%tr for r in t.ket_qua %}", cells, "{%tr endfor %}", size=12)


TEMPLATES = {
    "qd124/minutes.docx": minutes,
    "qd124/ballot_level.docx": ballot_level,
    "qd124/ballot_htxs.docx": ballot_htxs,
    "qd124/tally_minutes.docx": tally_minutes,
}
