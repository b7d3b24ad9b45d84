"""Templates of ruleset qd124 for spec §2.8–2.9: proposal summary, appraisal summary, grading decision, result notice.

Every level, count and name printed by these templates comes from ``so_lieu`` (the unit's computed facts);
the instance only names the subject, the issuing body, the number, the grounds and free text.
Tables must fit A4 portrait (165 mm of text width): level cells hold the short codes (HTXSNV, HTTNV, HTNV,
KHTNV) and a legend under the table spells them out.
"""

from __future__ import annotations

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from generator import docx_format as fmt
from partydoc import LEVELS, PartyDoc, sig_lines

CODES = "['HTXSNV', 'HTTNV', 'HTNV', 'KHTNV']"
LEGEND = "; ".join(f"{code}: {name}" for code, name in LEVELS)
NOI_NHAN = [
    ("{%p if noi_nhan %}", {}),
    ("Nơi nhận:", {"bold": True, "italic": True, "underline": True, "size": 12}),
    ("{%p for noi in noi_nhan %}", {}),
    ("- {{ noi }}{{ '.' if loop.last else ',' }}", {"size": 12}),
    ("{%p endfor %}", {}),
    ("{%p endif %}", {}),
]


# -- table helpers ------------------------------------------------------------------------------
def _cell_margins(table, mm: float, vpad: float) -> None:
    """Narrow left/right cell padding so short level codes fit their columns; a little air above and below."""
    tbl_pr = table._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for edge, size in (("top", vpad), ("left", mm), ("bottom", vpad), ("right", mm)):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(round(size * 56.7)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tbl_pr.append(mar)


def _grid(d: PartyDoc, widths: list[float], rows: int, margin_mm: float = 1.0, vpad_mm: float = 0.4):
    table = d.doc.add_table(rows=rows, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _cell_margins(table, margin_mm, vpad_mm)
    for i, w in enumerate(widths):
        table.columns[i].width = Mm(w)
        for row in table.rows:
            row.cells[i].width = Mm(w)
    return table


def _write(cell, text: str, *, size: float = 12, bold: bool = False, italic: bool = False, align: str = "center") -> None:
    p = cell.paragraphs[0]
    if text:
        run = p.add_run(text)
        run.bold = bold or None
        run.italic = italic or None
        run.font.size = Pt(size)
    p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT}[align]
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p.paragraph_format.first_line_indent = Mm(0)
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.line_spacing = 1.0


def _loop_rows(table, start: int, loop: str) -> None:
    """Rows ``start`` and ``start + 2`` carry the ``{%tr for %}`` / ``{%tr endfor %}`` tags around the data row."""
    _write(table.rows[start].cells[0], f"{{%tr for {loop} %}}", size=8, align="left")
    _write(table.rows[start + 2].cells[0], "{%tr endfor %}", size=8, align="left")
    fmt.keep_row_together(table.rows[start + 1])


def _runs(d: PartyDoc, *parts: tuple[str, bool], indent: bool = True, align: str = "justify"):
    """One paragraph of several runs: (text, bold)."""
    p = d.para("", indent=indent, align=align)
    for text, bold in parts:
        run = p.add_run(text)
        run.bold = bold or None
    return p


# -- 1. proposal summary (tong_hop_de_xuat) ----------------------------------------------------
PROPOSAL_HEAD = [
    "(1) Đảng viên tự đánh giá, xếp loại",
    "(2) Xếp loại CBCCVC",
    "(3) Chi ủy đề xuất",
    "(4) Tập thể lãnh đạo đoàn thể",
    "(5) Chi bộ đánh giá, xếp loại",
]
PROPOSAL_CELLS = ["m.muc_tu_nhan", "m.muc_cbccvc", "m.muc_chi_uy", "m.muc_doan_the", "m.muc_bo_phieu"]


def proposal_summary() -> PartyDoc:
    d = PartyDoc()
    d.form_label()
    d.tag("{%p set org = so_lieu.to_chuc_theo_ma[to_chuc] %}")
    d.tag("{%p set ds = org.thanh_vien %}")
    d.party_header(numbered=False)
    d.para("TỔNG HỢP ĐỀ XUẤT MỨC CHẤT LƯỢNG ĐẢNG VIÊN", bold=True, size=15, align="center", indent=False, after=0)
    d.para("CỦA CÁC CHỦ THỂ NĂM {{ ky_danh_gia.nam }}", bold=True, size=15, align="center", indent=False, after=0)
    d.para(
        "({{ org.ten }}{% if org.hop.ngay %}, hội nghị kiểm điểm ngày {{ org.hop.ngay|ngay }}{% endif %})",
        italic=True, align="center", indent=False, after=6,
    )

    widths = [7, 31, 30, 16, 16, 16, 16, 16, 17]
    table = _grid(d, widths, rows=5, margin_mm=0.6, vpad_mm=0)
    head = table.rows
    for i, text in ((0, "TT"), (1, "Họ và tên đảng viên"), (2, "Chức vụ đảng, chính quyền, đoàn thể"), (8, "Ghi chú")):
        merged = head[0].cells[i].merge(head[1].cells[i])
        _write(merged, text, size=11, bold=True)
    group = head[0].cells[3].merge(head[0].cells[7])
    _write(group, "Mức chất lượng do các chủ thể đề xuất, đánh giá", size=10, bold=True)
    for j, text in enumerate(PROPOSAL_HEAD, start=3):
        _write(head[1].cells[j], text, size=9, bold=True)
    fmt.repeat_header_row(head[0])
    fmt.repeat_header_row(head[1])
    _loop_rows(table, 2, "m in ds")
    cells = table.rows[3].cells
    _write(cells[0], "{{ loop.index }}", size=11)
    _write(cells[1], "{{ m.ho_ten }}", size=11, align="left")
    _write(cells[2], "{{ m.chuc_vu }}", size=10, align="left")
    for j, expr in enumerate(PROPOSAL_CELLS, start=3):
        _write(cells[j], f"{{{{ {expr} }}}}", size=10)
    _write(cells[8], "{{ [m.ly_do_ten or m.ghi_chu, ghi_chu[m.ma] if m.ma in ghi_chu else '']|select|join('; ') }}", size=10, align="left")

    d.para(f"Ghi chú: {LEGEND}. Cột (2) chỉ ghi với đảng viên là cán bộ, công chức, viên chức; cột (4) chỉ ghi với đảng viên "
           "là thành viên tập thể lãnh đạo đoàn thể; cột (5) là mức được chi bộ biểu quyết thông qua"
           "{% if to_chuc in so_lieu.bo_phieu_theo_to_chuc %} (kiểm phiếu ngày "
           "{{ so_lieu.bo_phieu_theo_to_chuc[to_chuc].ngay|ngay }}){% endif %}.",
           italic=True, size=11, indent=False, after=6).paragraph_format.space_before = Pt(3)
    d.para(
        "Tổng số đảng viên của chi bộ: {{ ds|length }}; đã kiểm điểm: {{ ds|rejectattr('chua_kiem_diem')|list|length }}; "
        "chưa kiểm điểm, xếp loại: {{ ds|selectattr('chua_xep_loai')|list|length }}. "
        "Chi bộ đánh giá, xếp loại (cột 5): "
        f"{{% for c in {CODES} %}}{{{{ ds|selectattr('muc_bo_phieu', 'equalto', c)|list|length }}}} {{{{ c }}}}"
        "{{ '; ' if not loop.last else '.' }}{% endfor %}",
        size=13, after=0, keep_next=True,
    )
    d.signature(
        sig_lines("{{ hoso.ban_hanh.tham_quyen_ky }}", "{{ hoso.ban_hanh.chuc_vu_ky }}", None, None, "{{ chu_ky.ho_ten }}"),
        left=NOI_NHAN,
    )
    return d


# -- 2. appraisal summary (tong_hop_tham_dinh) ----------------------------------------------------
APPRAISAL_HEAD = ["TT", "Tên tổ chức", "Tự đánh giá, xếp loại", "Ý kiến các chủ thể", "Kết quả thẩm định", "Đề xuất", "Ghi chú"]
DIFFERS = "o.tham_dinh and o.tu_nhan_muc and o.tham_dinh.muc != o.tu_nhan_muc"


def appraisal_summary() -> PartyDoc:
    d = PartyDoc()
    d.form_label()
    d.tag("{%p set goc = so_lieu.to_chuc|rejectattr('thuoc')|list %}")
    d.tag("{%p set rows = so_lieu.to_chuc|selectattr('thuoc')|list %}")
    d.tag("{%p set khac = [] %}")
    d.tag("{%p for o in rows %}")
    d.tag(f"{{%p if {DIFFERS} %}}")
    d.tag("{%p set _them = khac.append(o) %}")
    d.tag("{%p endif %}")
    d.tag("{%p endfor %}")
    d.party_header(numbered=True)
    d.title(
        "TỔNG HỢP KẾT QUẢ THẨM ĐỊNH",
        ("đánh giá, xếp loại chất lượng tổ chức đảng năm {{ ky_danh_gia.nam }}", {"bold": True}),
        ("(Các tổ chức trực thuộc {{ goc[0].ten if goc else so_lieu.ten }})", {"italic": True}),
    )
    d.para(
        "Thực hiện {{ hoso.bo_quy_tac.van_ban }} và {{ hoso.bo_quy_tac.huong_dan }}, {{ co_quan_tham_dinh }} đã thẩm định "
        "báo cáo kiểm điểm, tự đánh giá, xếp loại chất lượng năm {{ ky_danh_gia.nam }} của {{ rows|length }} tổ chức, "
        "có tham khảo ý kiến của các tổ chức, cá nhân có liên quan. Kết quả tổng hợp như sau:"
    )
    widths = [8, 28, 17, 50, 18, 17, 27]
    table = _grid(d, widths, rows=4, margin_mm=0.8)
    for i, text in enumerate(APPRAISAL_HEAD):
        _write(table.rows[0].cells[i], text, size=11, bold=True)
    fmt.repeat_header_row(table.rows[0])
    _loop_rows(table, 1, "o in rows")
    cells = table.rows[2].cells
    _write(cells[0], "{{ loop.index }}", size=11)
    _write(cells[1], "{{ o.ten }}", size=11, align="left")
    _write(cells[2], "{{ o.tu_nhan_muc or 'Chưa có báo cáo' }}", size=10.5)
    _write(cells[3], "{{ y_kien[o.ma] if o.ma in y_kien else '' }}", size=11, align="left")
    _write(cells[4], "{{ o.tham_dinh.muc if o.tham_dinh else 'Chưa thẩm định' }}"
                     "{% if o.ma in so_lieu.cham_diem_theo_ma %} ({{ '%g'|format(so_lieu.cham_diem_theo_ma[o.ma].tong)|replace('.', ',') }} điểm){% endif %}",
           size=10.5)
    _write(cells[5], "{{ de_xuat[o.ma] if o.ma in de_xuat else (o.tham_dinh.muc if o.tham_dinh else '') }}", size=10.5)
    _write(cells[6], f"{{% if {DIFFERS} %}}{{{{ o.tham_dinh.get('ly_do') or '(chưa ghi lý do)' }}}}"
                     "{% elif o.tham_dinh %}{{ o.tham_dinh.get('ly_do') or '' }}{% endif %}",
           size=11, align="left")
    d.para(f"Ghi chú: {LEGEND}.", italic=True, size=11, indent=False, after=6).paragraph_format.space_before = Pt(3)

    d.para(
        "Kết quả thẩm định: "
        f"{{% for c in {CODES} %}}{{{{ rows|selectattr('tham_dinh')|map(attribute='tham_dinh')|selectattr('muc', 'equalto', c)|list|length }}}} "
        "tổ chức {{ c|ten_muc }}{{ '; ' if not loop.last else '' }}{% endfor %}"
        "{% if rows|rejectattr('tham_dinh')|list %}; chưa thẩm định {{ rows|rejectattr('tham_dinh')|list|length }} tổ chức{% endif %}."
    )
    d.tag("{%p if khac %}")
    d.para("Có {{ khac|length }} tổ chức có kết quả thẩm định khác mức tự đánh giá, xếp loại:")
    d.tag("{%p for o in khac %}")
    d.para("- {{ o.ten }}: tự đánh giá {{ o.tu_nhan_muc|ten_muc }}, kết quả thẩm định {{ o.tham_dinh.muc|ten_muc }}. "
           "Lý do: {{ o.tham_dinh.get('ly_do') or '(chưa ghi lý do)' }}", keep_next=True)
    d.tag("{%p endfor %}")
    d.tag("{%p else %}")
    d.para("Không có tổ chức nào có kết quả thẩm định khác mức tự đánh giá, xếp loại.", keep_next=True)
    d.tag("{%p endif %}")
    d.tag("{%p for doan in kien_nghi %}")
    d.para("{{ doan }}", keep_next=True)  # the proposal stays with the signature
    d.tag("{%p endfor %}")
    d.signature(
        sig_lines("{{ hoso.ban_hanh.tham_quyen_ky }}", "{{ hoso.ban_hanh.chuc_vu_ky }}", None, None, "{{ chu_ky.ho_ten }}"),
        left=NOI_NHAN,
    )
    return d


# -- 3. grading decision (quyet_dinh_xep_loai) ------------------------------------------------------
def grading_decision() -> PartyDoc:
    d = PartyDoc()
    d.form_label()
    d.tag("{%p set la_dv = doi_tuong == 'dang_vien' %}")
    d.tag("{%p set ds = so_lieu.thanh_vien|selectattr('muc')|list if la_dv else so_lieu.to_chuc|selectattr('loai', 'equalto', 'chi_bo_truc_thuoc')|list %}")
    d.tag("{%p set cap_uy = hoso.ban_hanh.co_quan_quyet_dinh %}")
    d.tag("{%p set so_qd = so_van_ban|so_hieu(hoso.ky_hieu_mac_dinh)|replace('Số ', '') %}")
    d.party_header(numbered=True)
    d.title(
        "QUYẾT ĐỊNH",
        ("Công nhận xếp loại chất lượng {{ 'đảng viên' if la_dv else 'các chi bộ trực thuộc' }} năm {{ ky_danh_gia.nam }}", {"bold": True}),
    )
    d.tag("{%p for c in can_cu %}")
    d.para("{{ c }}")
    d.tag("{%p endfor %}")
    d.tag("{%p if la_dv and so_lieu.bo_phieu %}")
    d.para(
        "Căn cứ kết quả kiểm phiếu xếp loại chất lượng đảng viên tại hội nghị kiểm điểm của "
        "{% for t in so_lieu.bo_phieu %}{{ t.ten_to_chuc }} ngày {{ t.ngay|ngay }}{{ ', ' if not loop.last else '' }}{% endfor %};"
    )
    d.tag("{%p elif not la_dv and ds|selectattr('tham_dinh')|list %}")
    d.tag("{%p set td = ds|selectattr('tham_dinh')|map(attribute='tham_dinh')|list %}")
    d.para(
        "Căn cứ kết quả thẩm định đánh giá, xếp loại chất lượng các chi bộ trực thuộc năm {{ ky_danh_gia.nam }} của "
        "{{ td|map(attribute='co_quan', default='')|select|unique|join(', ') or 'cơ quan thẩm định' }}"
        "{% if td|map(attribute='ngay', default='')|unique|list|length == 1 and td[0].get('ngay') %} ngày {{ td[0].ngay|ngay }}{% endif %};"
    )
    d.tag("{%p endif %}")
    d.tag("{%p if xet_de_nghi %}")
    d.para("{{ xet_de_nghi }}")
    d.tag("{%p endif %}")
    d.para("{{ cap_uy|upper }} QUYẾT ĐỊNH", bold=True, align="center", indent=False, after=6)

    _runs(d, ("Điều 1. ", True), (
        "{% if la_dv %}Xếp loại chất lượng đảng viên năm {{ ky_danh_gia.nam }} cho {{ ds|length }} đảng viên."
        "{% else %}Xếp loại chất lượng năm {{ ky_danh_gia.nam }} cho {{ ds|length }} chi bộ trực thuộc.{% endif %}"
        " (Có danh sách kèm theo)", False))
    d.para(
        f"Trong đó: {{% for c in {CODES} %}}{{{{ c|ten_muc }}}}: {{{{ ds|selectattr('muc', 'equalto', c)|list|length }}}} "
        "{% if la_dv %}đảng viên ({{ so_lieu.thong_ke.xep_loai[c].ty_le }}){% else %}chi bộ{% endif %}{{ '; ' if not loop.last else '.' }}{% endfor %}"
    )
    d.tag("{%p if la_dv and so_lieu.chua_kiem_diem_xep_loai %}")
    d.para(
        "Chưa xếp loại chất lượng năm {{ ky_danh_gia.nam }}: {{ so_lieu.chua_kiem_diem_xep_loai|length }} đảng viên ("
        "{% for m in so_lieu.chua_kiem_diem_xep_loai %}đồng chí {{ m.ho_ten }}, {{ m.ten_chi_bo }}"
        "{% if m.ly_do_ten %}: {{ m.ly_do_ten|lower }}{% endif %}{{ '; ' if not loop.last else '' }}{% endfor %}).",
        after=6,
    )
    d.tag("{%p endif %}")
    _runs(d, ("Điều 2. ", True), ("{{ dieu_2 }}", False)).paragraph_format.keep_with_next = True
    d.signature(
        sig_lines("{{ hoso.ban_hanh.tham_quyen_ky }}", "{{ hoso.ban_hanh.chuc_vu_ky }}", None, None, "{{ chu_ky.ho_ten }}"),
        left=NOI_NHAN,
    )

    # The annex starts a new page through its title ("page break before"), not through a page-break paragraph:
    # when the signature ends a full page, that paragraph and the spacer after the signature would leave a blank page.
    spacer = d.doc.paragraphs[-1]
    spacer._element.getparent().remove(spacer._element)
    d.para(
        "DANH SÁCH XẾP LOẠI CHẤT LƯỢNG {{ 'ĐẢNG VIÊN' if la_dv else 'CÁC CHI BỘ TRỰC THUỘC' }} NĂM {{ ky_danh_gia.nam }}",
        bold=True, align="center", indent=False, after=0,
    ).paragraph_format.page_break_before = True
    d.para(
        "(Kèm theo Quyết định số {{ so_qd }} {{ ngay_lap|ngay_thang }} của {{ cap_uy }})",
        italic=True, align="center", indent=False, after=12,
    )
    d.tag("{%p if la_dv %}")
    _annex_table(d, ["TT", "Họ và tên", "Chi bộ", "Xếp loại"], ["x.ho_ten", "x.ten_chi_bo"], "left")
    d.tag("{%p else %}")
    _annex_table(d, ["TT", "Tên chi bộ", "Số đảng viên", "Xếp loại"], ["x.ten", "x.so_dang_vien"], "center")
    d.tag("{%p endif %}")
    d.para("")
    d.para("Danh sách gồm {{ ds|length }} {{ 'đảng viên' if la_dv else 'chi bộ' }}.", italic=True, indent=False)
    return d


def _annex_table(d: PartyDoc, head: list[str], exprs: list[str], third_align: str) -> None:
    """The decision's annex: TT | name | chi bộ or members | level (full name)."""
    widths = [11, 50, 40, 64]
    table = _grid(d, widths, rows=4)
    for i, text in enumerate(head):
        _write(table.rows[0].cells[i], text, size=13, bold=True)
    fmt.repeat_header_row(table.rows[0])
    _loop_rows(table, 1, "x in ds")
    cells = table.rows[2].cells
    _write(cells[0], "{{ loop.index }}", size=13)
    _write(cells[1], f"{{{{ {exprs[0]} }}}}", size=13, align="left")
    _write(cells[2], f"{{{{ {exprs[1]} }}}}", size=13, align=third_align)
    _write(cells[3], "{{ x.muc_ten }}", size=13, align="left")


# -- 4. result notice (thong_bao_ket_qua) ---------------------------------------------------------
def result_notice() -> PartyDoc:
    d = PartyDoc()
    d.form_label()
    d.tag("{%p set m = so_lieu.thanh_vien_theo_ma[thanh_vien] if thanh_vien else none %}")
    d.tag("{%p set s = m if thanh_vien else so_lieu.to_chuc_theo_ma[to_chuc] %}")
    d.tag("{%p set qd_don_vi = (s.quyet_dinh or []) if not thanh_vien else [] %}")
    d.tag("{%p set qd_so = quyet_dinh.so_van_ban|so_hieu if quyet_dinh.so_van_ban.ky_hieu else ((s.quyet_dinh.get('van_ban') if qd_don_vi else none) or 'Số …') %}")
    d.tag("{%p set qd_ngay = quyet_dinh.ngay or (m.ngay_quyet_dinh if thanh_vien else (s.quyet_dinh.get('ngay') if qd_don_vi else none)) %}")
    d.tag("{%p set qd_co_quan = quyet_dinh.co_quan or (s.quyet_dinh.get('co_quan') if qd_don_vi else none) or hoso.ban_hanh.co_quan_quyet_dinh %}")
    d.tag("{%p set ten = ('đồng chí ' ~ m.ho_ten) if thanh_vien else s.ten %}")
    d.party_header(numbered=True)
    d.title(
        "THÔNG BÁO",
        ("Kết quả đánh giá, xếp loại chất lượng năm {{ ky_danh_gia.nam }}", {"bold": True}),
    )
    d.para(
        "Căn cứ Quyết định {{ qd_so|replace('Số ', 'số ') }}{% if qd_ngay %} ngày {{ qd_ngay|ngay }}{% endif %} của {{ qd_co_quan }} về công nhận "
        "xếp loại chất lượng năm {{ ky_danh_gia.nam }}, {{ hoso.ban_hanh.co_quan }} thông báo kết quả đánh giá, xếp loại chất lượng năm "
        "{{ ky_danh_gia.nam }} đối với {{ ten }}"
        "{% if thanh_vien %}{% if m.chuc_vu %}, {{ m.chuc_vu|replace('; ', ', ') }}{% endif %}, đảng viên {{ m.ten_chi_bo }}{% endif %}"
        " như sau:"
    )
    _runs(d, ("1. Mức xếp loại chất lượng: ", False), ("{{ s.muc_ten or 'chưa xếp loại' }}", True), (".", False))
    d.tag("{%p if uu_diem %}")
    d.para("2. Ưu điểm chủ yếu:", keep_next=True)
    d.paragraphs("uu_diem")
    d.para("3. Hạn chế, khuyết điểm chủ yếu:", keep_next=True)
    d.paragraphs("han_che", var="doan_hc")
    d.tag("{%p else %}")
    d.para("2. Ưu điểm, hạn chế chủ yếu (nhận xét, đánh giá của chi ủy):", keep_next=True)
    d.paragraphs("m.nhan_xet_chi_uy", var="doan_cu", empty="(Chi ủy chưa ghi nhận xét.)")
    d.tag("{%p endif %}")
    d.para(
        "{{ 4 if uu_diem else 3 }}. Trường hợp không nhất trí với kết quả đánh giá, xếp loại, {{ 'đồng chí' if thanh_vien else s.ten }} "
        "có quyền trình bày ý kiến, khiếu nại bằng văn bản gửi {{ noi_nhan_khieu_nai or hoso.ban_hanh.co_quan }}"
        "{% if han_khieu_nai_ngay %} trong thời hạn {{ han_khieu_nai_ngay }} ngày kể từ ngày nhận được Thông báo này{% endif %}; "
        "trong thời gian chờ xem xét, giải quyết vẫn phải chấp hành kết luận của tổ chức."
    )
    d.para("{{ hoso.ban_hanh.co_quan }} thông báo để {{ ten }} và {{ gui_den }} (cơ quan, đơn vị quản lý) biết, thực hiện.", keep_next=True)
    d.signature(
        sig_lines("{{ hoso.ban_hanh.tham_quyen_ky }}", "{{ hoso.ban_hanh.chuc_vu_ky }}", None, None, "{{ chu_ky.ho_ten }}"),
        left=[
            ("Nơi nhận:", {"bold": True, "italic": True, "underline": True, "size": 12}),
            ("- {{ ten[0]|upper ~ ten[1:] }},", {"size": 12}),
            ("- {{ gui_den }}{{ ',' if noi_nhan else '.' }}", {"size": 12}),
            ("{%p for noi in noi_nhan %}", {}),
            ("- {{ noi }}{{ '.' if loop.last else ',' }}", {"size": 12}),
            ("{%p endfor %}", {}),
        ],
    )
    return d


TEMPLATES = {
    "qd124/proposal_summary.docx": proposal_summary,
    "qd124/appraisal_summary.docx": appraisal_summary,
    "qd124/grading_decision.docx": grading_decision,
    "qd124/result_notice.docx": result_notice,
}
