"""Templates of ruleset qd124 for the unit's results: summary report, list of members not reviewed, Biểu số 6F.

Every number printed here is read from ``so_lieu`` (generator/facts.py) or computed from it in Jinja;
the instance files only hold the narrative, the addressee and the signatures.
"""

from __future__ import annotations

from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from generator import docx_format as fmt
from partydoc import LEVELS, TEXT_WIDTH_MM, PartyDoc, sig_lines

LEVEL_CODES = [code for code, _ in LEVELS]
NUMBER_TAG = "{{ so_van_ban|so_hieu(hoso.ky_hieu_mac_dinh) }}"
NOI_NHAN = [
    ("Nơi nhận:", {"bold": True, "italic": True, "underline": True, "size": 12}),
    ("{%p for noi in noi_nhan %}", {}),
    ("- {{ noi }}{{ '.' if loop.last else ',' }}", {"size": 12}),
    ("{%p endfor %}", {}),
]
# Collectives not reviewed: no self-review report (Mẫu 01) and no level decided for them.
ORGS_NOT_REVIEWED = "so_lieu.to_chuc|rejectattr('tu_nhan_muc')|rejectattr('muc')|list|length"
ORGS_SUGGESTED = "so_lieu.to_chuc|selectattr('co_goi_y')|list|length"


# -- small table helpers ---------------------------------------------------------------------
def _grid(d: PartyDoc, rows: int, widths: list[float], *, borders: bool = True):
    table = d.doc.add_table(rows=rows, cols=len(widths))
    if borders:
        table.style = "Table Grid"
    else:
        fmt.remove_table_borders(table)
        fmt.set_cell_margins_zero(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for i, w in enumerate(widths):
        table.columns[i].width = Mm(w)
        for cell in table.columns[i].cells:
            cell.width = Mm(w)
    return table


def _write(cell, text: str, *, bold=False, italic=False, align="center", size: float = 13, first=True):
    """Write one paragraph into a cell (the cell's first paragraph unless ``first`` is False)."""
    p = cell.paragraphs[0] if first else cell.add_paragraph()
    if text:
        run = p.add_run(text)
        run.bold = bold or None
        run.italic = italic or None
        run.font.size = Pt(size)
    p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
                   "justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    p.paragraph_format.first_line_indent = Mm(0)
    p.paragraph_format.space_before = Pt(1)
    p.paragraph_format.space_after = Pt(1)
    p.paragraph_format.line_spacing = 1.0
    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    return p


def _merge_row(row):
    return row.cells[0].merge(row.cells[-1])


def _header_number_with_default(d: PartyDoc, code: str) -> None:
    """Print "Số …-BC/ĐU" for a draft whose file does not yet give so_van_ban."""
    cell = d.doc.tables[-1].rows[0].cells[0]
    for p in cell.paragraphs:
        for run in p.runs:
            if run.text == NUMBER_TAG:
                run.text = f"{{{{ so_van_ban|so_hieu(hoso.ky_hieu_mac_dinh or '{code}') }}}}"
                return
    raise RuntimeError("partydoc.party_header no longer prints the number tag this module rewrites")


def _two_column_block(d: PartyDoc, left: list[tuple[str, dict]], right: list[tuple[str, dict]], split: float = 0.45) -> None:
    """A borderless two-column block, both columns centred (Biểu signatures)."""
    widths = [TEXT_WIDTH_MM * split, TEXT_WIDTH_MM * (1 - split)]
    d.keep_with_signature()
    table = _grid(d, 1, widths, borders=False)
    fmt.keep_row_together(table.rows[0])
    for cell, lines in zip(table.rows[0].cells, (left, right)):
        for i, (text, style) in enumerate(lines):
            style = dict(style)
            size = style.pop("size", 14)
            _write(cell, text, size=size, first=(i == 0), **style)
    d.para("", indent=False, after=6)


# -- summary report --------------------------------------------------------------------------
def summary_report() -> PartyDoc:
    d = PartyDoc()
    d.party_header(numbered=True)
    _header_number_with_default(d, "BC/ĐU")
    d.title(
        "BÁO CÁO",
        ("Kết quả kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng, đảng viên năm {{ ky_danh_gia.nam }}", {"bold": True}),
    )
    d.tag("{%p set tk = so_lieu.thong_ke %}")
    d.tag(f"{{%p set tt_chua = {ORGS_NOT_REVIEWED} %}}")
    d.tag(f"{{%p set tt_goi_y = {ORGS_SUGGESTED} %}}")
    d.para(
        "Thực hiện {{ hoso.bo_quy_tac.van_ban }}; {{ hoso.bo_quy_tac.huong_dan }}"
        "{% if thuc_hien %}; {{ thuc_hien }}{% endif %}, "
        "{{ hoso.ban_hanh.co_quan }} báo cáo {{ gui }} kết quả kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng, "
        "đảng viên năm {{ ky_danh_gia.nam }} như sau:"
    )
    d.heading("I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TỔ CHỨC THỰC HIỆN", indent=False)
    d.paragraphs("lanh_dao_chi_dao")

    d.heading("II. KẾT QUẢ KIỂM ĐIỂM, ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG", indent=False)
    d.heading("1. Kết quả kiểm điểm")
    d.para(
        "a) Đối với tập thể: số tổ chức đảng, tập thể lãnh đạo, quản lý phải kiểm điểm: {{ tk.so_to_chuc }}; "
        "đã kiểm điểm: {{ tk.so_to_chuc - tt_chua }}{% if tt_chua %}; chưa kiểm điểm: {{ tt_chua }}{% endif %}."
    )
    d.para(
        "b) Đối với đảng viên: Tổng số đảng viên: {{ tk.tong_dang_vien }}; số phải kiểm điểm: {{ tk.phai_kiem_diem }}; "
        "đã kiểm điểm: {{ tk.da_kiem_diem }} (đạt {{ tk.ty_le_da_kiem_diem }})."
    )
    d.tag("{%p if tk.chua_kiem_diem.tong %}")
    d.para(
        "Số đảng viên chưa kiểm điểm: {{ tk.chua_kiem_diem.tong }}, trong đó: đảng viên mới kết nạp chưa đủ 6 tháng: "
        "{{ tk.chua_kiem_diem.moi_ket_nap }}; được miễn công tác và sinh hoạt đảng: {{ tk.chua_kiem_diem.mien_sinh_hoat }}; "
        "bị đình chỉ sinh hoạt đảng: {{ tk.chua_kiem_diem.dinh_chi_sinh_hoat }}"
        "{% if tk.chua_kiem_diem.to_chuc_moi %}; sinh hoạt ở tổ chức đảng mới thành lập chưa đủ 6 tháng: {{ tk.chua_kiem_diem.to_chuc_moi }}{% endif %}"
        "{% if tk.chua_kiem_diem.vang_mat %}; vắng mặt, sẽ kiểm điểm trong thời gian sớm nhất: {{ tk.chua_kiem_diem.vang_mat }}{% endif %}"
        "{% if tk.chua_kiem_diem.khac %}; lý do khác: {{ tk.chua_kiem_diem.khac }}{% endif %}"
        " (có danh sách kèm theo)."
    )
    d.tag("{%p else %}")
    d.para("Không có đảng viên chưa kiểm điểm.")
    d.tag("{%p endif %}")
    d.para(
        "c) Số tập thể, đảng viên được cấp trên gợi ý kiểm điểm: {{ tk.goi_y }} "
        "(tập thể: {{ tt_goi_y }}; đảng viên: {{ tk.goi_y - tt_goi_y }})."
    )
    d.tag("{%p if ket_qua.kiem_diem %}")
    d.paragraphs("ket_qua.kiem_diem", var="doan_kd")
    d.tag("{%p endif %}")
    d.para("Kết quả kiểm điểm, xếp loại chất lượng đảng viên theo chi bộ:", keep_next=True)
    branch_table(d)
    legend = d.para(
        "Ghi chú: HTXSNV: Hoàn thành xuất sắc nhiệm vụ; HTTNV: Hoàn thành tốt nhiệm vụ; "
        "HTNV: Hoàn thành nhiệm vụ; KHTNV: Không hoàn thành nhiệm vụ.",
        italic=True, size=12, indent=False,
    )
    legend.paragraph_format.space_before = Pt(3)

    d.heading("2. Kết quả xếp loại chất lượng tổ chức đảng")
    d.para("Tổng số tổ chức đảng được xếp loại: {{ tk.to_chuc_xep_loai }}, trong đó:")
    for code, name in LEVELS:
        end = "." if code == LEVEL_CODES[-1] else ";"
        d.para(f"- {name}: {{{{ tk.to_chuc.{code}.so }}}} ({{{{ tk.to_chuc.{code}.ty_le }}}}){end}")
    d.para("Cụ thể:", keep_next=True)
    d.tag("{%p for tc in so_lieu.to_chuc if tc.loai != 'tap_the_lanh_dao' %}")
    d.para(
        "- {{ tc.ten }} ({{ tc.loai_ten|lower }}): {{ tc.muc_ten if tc.muc else 'chưa xếp loại' }}"
        "{% if tc.quyet_dinh %} (Quyết định {{ tc.quyet_dinh.van_ban|replace('Số ', 'số ') }}"
        "{% if tc.quyet_dinh.ngay %} ngày {{ tc.quyet_dinh.ngay|ngay }}{% endif %}"
        "{% if tc.quyet_dinh.co_quan %} của {{ tc.quyet_dinh.co_quan }}{% endif %}){% endif %}"
        "{{ '.' if loop.last else ';' }}"
    )
    d.tag("{%p endfor %}")
    d.tag("{%p if ket_qua.to_chuc %}")
    d.paragraphs("ket_qua.to_chuc", var="doan_tc")
    d.tag("{%p endif %}")

    d.heading("3. Kết quả xếp loại chất lượng đảng viên")
    d.para("Tổng số đảng viên được đánh giá, xếp loại chất lượng: {{ tk.da_xep_loai }}, trong đó:")
    for code, name in LEVELS:
        end = "." if code == LEVEL_CODES[-1] else ";"
        d.para(f"- {name}: {{{{ tk.xep_loai.{code}.so }}}} ({{{{ tk.xep_loai.{code}.ty_le }}}}){end}")
    for code, label in (("HTXSNV", "Đảng viên hoàn thành xuất sắc nhiệm vụ"), ("KHTNV", "Đảng viên không hoàn thành nhiệm vụ")):
        d.tag(f"{{%p if tk.xep_loai.{code}.so %}}")
        d.para(
            f"{label}: {{% for dv in so_lieu.thanh_vien|selectattr('muc', 'equalto', '{code}') %}}"
            "đồng chí {{ dv.ho_ten }} ({{ dv.ten_chi_bo }}){{ '.' if loop.last else '; ' }}{% endfor %}"
        )
        d.tag("{%p endif %}")
    d.tag("{%p if so_lieu.chua_kiem_diem_xep_loai %}")
    d.para("Số đảng viên chưa đánh giá, xếp loại chất lượng: {{ so_lieu.chua_kiem_diem_xep_loai|length }} (có danh sách kèm theo).")
    d.tag("{%p else %}")
    d.para("Không có đảng viên chưa đánh giá, xếp loại chất lượng.")
    d.tag("{%p endif %}")
    d.tag("{%p if ket_qua.dang_vien %}")
    d.paragraphs("ket_qua.dang_vien", var="doan_dv")
    d.tag("{%p endif %}")

    d.tag("{%p set lanh_dao = so_lieu.to_chuc|selectattr('loai', 'equalto', 'tap_the_lanh_dao')|list %}")
    d.tag("{%p if lanh_dao or ket_qua.tap_the_lanh_dao %}")
    d.heading("4. Kết quả kiểm điểm, xếp loại chất lượng tập thể lãnh đạo, quản lý")
    d.tag("{%p for tc in lanh_dao %}")
    d.para("- {{ tc.ten }}: {{ tc.muc_ten if tc.muc else 'chưa xếp loại' }}{{ '.' if loop.last else ';' }}")
    d.tag("{%p endfor %}")
    d.tag("{%p if ket_qua.tap_the_lanh_dao %}")
    d.paragraphs("ket_qua.tap_the_lanh_dao", var="doan_ld")
    d.tag("{%p endif %}")
    d.tag("{%p endif %}")

    d.heading("III. ĐÁNH GIÁ CHUNG", indent=False)
    d.heading("1. Ưu điểm")
    d.paragraphs("danh_gia_chung.uu_diem")
    d.heading("2. Hạn chế, khuyết điểm")
    d.paragraphs("danh_gia_chung.han_che")
    d.tag("{%p if danh_gia_chung.nguyen_nhan %}")
    d.heading("Nguyên nhân:", italic=True, bold=False)
    d.paragraphs("danh_gia_chung.nguyen_nhan", var="doan_nn")
    d.tag("{%p endif %}")
    d.heading("IV. KIẾN NGHỊ, ĐỀ XUẤT", indent=False)
    # Kept with the signature block, so that the signature never stands alone on the last page.
    d.tag("{%p for doan in kien_nghi %}")
    d.para("{{ doan }}", keep_next=True)
    d.tag("{%p endfor %}")
    d.para("", keep_next=True)
    d.signature(
        sig_lines("{{ hoso.ban_hanh.tham_quyen_ky }}", "{{ hoso.ban_hanh.chuc_vu_ky }}", None, None, "{{ chu_ky.ho_ten }}"),
        left=NOI_NHAN,
    )
    return d


def branch_table(d: PartyDoc) -> None:
    """Chi bộ | Số đảng viên | Đã xếp loại | four levels; a row per chi bộ, the total and the percentages."""
    widths = [45, 20, 20, 22, 19, 19, 20]
    table = _grid(d, 6, widths)
    header = ["Chi bộ", "Số đảng viên", "Đã xếp loại", *LEVEL_CODES]
    for i, text in enumerate(header):
        _write(table.rows[0].cells[i], text, bold=True, size=12 if i < 3 else 11)
    fmt.repeat_header_row(table.rows[0])
    _write(table.rows[1].cells[0], "{%tr for cb in so_lieu.thong_ke.theo_chi_bo %}", align="left")
    data = ["{{ cb.ten }}", "{{ cb.so_dang_vien }}", "{{ cb.da_xep_loai }}", *[f"{{{{ cb.{c} }}}}" for c in LEVEL_CODES]]
    for i, text in enumerate(data):
        _write(table.rows[2].cells[i], text, align="left" if i == 0 else "center")
    _write(table.rows[3].cells[0], "{%tr endfor %}", align="left")
    rows = "so_lieu.thong_ke.theo_chi_bo"
    total = ["Cộng", f"{{{{ {rows}|sum(attribute='so_dang_vien') }}}}", f"{{{{ {rows}|sum(attribute='da_xep_loai') }}}}",
             *[f"{{{{ {rows}|sum(attribute='{c}') }}}}" for c in LEVEL_CODES]]
    for i, text in enumerate(total):
        _write(table.rows[4].cells[i], text, bold=True, align="left" if i == 0 else "center")
    share = ["Tỷ lệ", "", "", *[f"{{{{ so_lieu.thong_ke.xep_loai.{c}.ty_le }}}}" for c in LEVEL_CODES]]
    for i, text in enumerate(share):
        _write(table.rows[5].cells[i], text, italic=True, align="left" if i == 0 else "center", size=12)
    for row in table.rows:
        fmt.keep_row_together(row)


# -- list of members not reviewed or not graded ----------------------------------------------
def not_reviewed_list() -> PartyDoc:
    d = PartyDoc()
    d.party_header(numbered=False)
    d.para("DANH SÁCH", bold=True, size=16, align="center", indent=False, after=0)
    d.para("ĐẢNG VIÊN CHƯA KIỂM ĐIỂM, XẾP LOẠI CHẤT LƯỢNG NĂM {{ ky_danh_gia.nam }}", bold=True, align="center", indent=False, after=0)
    d.tag("{%p if kem_theo %}")
    d.para("(Kèm theo {{ kem_theo }})", italic=True, align="center", indent=False, after=0)
    d.tag("{%p endif %}")
    d.para("", indent=False, after=6)

    widths = [11, 34, 28, 26, 17, 19, 30]
    table = _grid(d, 5, widths)
    header = ["TT", "Họ và tên", "Chi bộ", "Ngày kết nạp", "Chưa kiểm điểm", "Chưa đánh giá xếp loại", "Lý do"]
    for i, text in enumerate(header):
        _write(table.rows[0].cells[i], text, bold=True, size=12)
    fmt.repeat_header_row(table.rows[0])
    _write(table.rows[1].cells[0], "{%tr for dv in so_lieu.chua_kiem_diem_xep_loai %}", align="left")
    data = [
        ("{{ loop.index }}", "center"),
        ("{{ dv.ho_ten }}", "left"),
        ("{{ dv.ten_chi_bo }}", "left"),
        ("{{ dv.ngay_vao_dang|ngay }}", "center"),
        ("{{ 'x' if dv.chua_kiem_diem else '' }}", "center"),
        ("{{ 'x' if dv.chua_xep_loai else '' }}", "center"),
        ("{{ dv.ly_do_ten }}", "left"),
    ]
    for i, (text, align) in enumerate(data):
        _write(table.rows[2].cells[i], text, align=align, size=12)
    _write(table.rows[3].cells[0], "{%tr else %}", align="left")
    _write(_merge_row(table.rows[4]), "Không có", italic=True)
    # The row closing the loop: appended so that the "Không có" row sits between else and endfor.
    closing = table.add_row()
    _write(closing.cells[0], "{%tr endfor %}", align="left")
    for row in table.rows:
        fmt.keep_row_together(row)
    d.para("", after=0)
    d.para(
        "Danh sách có {{ so_lieu.chua_kiem_diem_xep_loai|length }} đảng viên; trong đó chưa kiểm điểm: "
        "{{ so_lieu.chua_kiem_diem_xep_loai|selectattr('chua_kiem_diem')|list|length }}, "
        "đã kiểm điểm nhưng chưa đánh giá, xếp loại: "
        "{{ so_lieu.chua_kiem_diem_xep_loai|rejectattr('chua_kiem_diem')|list|length }}.",
        italic=True,
    )
    d.signature(sig_lines("{{ hoso.ban_hanh.tham_quyen_ky }}", "{{ hoso.ban_hanh.chuc_vu_ky }}", None, None, "{{ chu_ky.ho_ten }}"))
    return d


# -- Biểu số 6F-BTCTW ------------------------------------------------------------------------
STAT_ROWS = [
    # (TT, Nội dung, style, Tập thể, Đảng viên, Ghi chú)
    ("1", "Số lượng thuộc đối tượng phải kiểm điểm tự phê bình và phê bình", "bold",
     "{{ so_lieu.thong_ke.so_to_chuc }}", "{{ so_lieu.thong_ke.tong_dang_vien }}",
     "{{ ghi_chu.phai_kiem_diem or ('Kể cả số chưa kiểm điểm ở dòng 3' if so_lieu.thong_ke.chua_kiem_diem.tong else '') }}"),
    ("2", "Số lượng đã kiểm điểm tự phê bình và phê bình", "bold",
     f"{{{{ so_lieu.thong_ke.so_to_chuc - {ORGS_NOT_REVIEWED} }}}}", "{{ so_lieu.thong_ke.da_kiem_diem }}", "{{ ghi_chu.da_kiem_diem }}"),
    ("3", "Số lượng chưa kiểm điểm tự phê bình và phê bình", "bold",
     f"{{{{ {ORGS_NOT_REVIEWED} }}}}", "{{ so_lieu.thong_ke.chua_kiem_diem.tong }}", "{{ ghi_chu.chua_kiem_diem }}"),
    ("", "Trong đó:", "italic", "", "", ""),
    ("3.1", "Số tập thể thành lập mới", "", f"{{{{ {ORGS_NOT_REVIEWED} }}}}", "", ""),
    ("3.2", "Đảng viên mới kết nạp dưới 6 tháng", "", "", "{{ so_lieu.thong_ke.chua_kiem_diem.moi_ket_nap }}", "moi_ket_nap"),
    ("", "Đảng viên được miễn công tác và sinh hoạt đảng", "", "", "{{ so_lieu.thong_ke.chua_kiem_diem.mien_sinh_hoat }}", "mien_sinh_hoat"),
    ("", "Đảng viên bị đình chỉ sinh hoạt đảng", "", "", "{{ so_lieu.thong_ke.chua_kiem_diem.dinh_chi_sinh_hoat }}", "dinh_chi_sinh_hoat"),
    ("4", "Số được gợi ý kiểm điểm", "bold",
     f"{{{{ {ORGS_SUGGESTED} }}}}", f"{{{{ so_lieu.thong_ke.goi_y - {ORGS_SUGGESTED} }}}}", "{{ ghi_chu.goi_y }}"),
    ("", "Trong đó:", "italic", "", "", ""),
    ("4.1", "Thuộc diện ban thường vụ cấp ủy cấp tỉnh quản lý", "", "tinh", "tinh", ""),
    ("4.2", "Thuộc diện ban thường vụ cấp ủy cấp huyện quản lý", "", "huyen", "huyen", ""),
    ("4.3", "Thuộc diện đảng ủy cơ sở quản lý", "", "co_so", "co_so", ""),
]
REASON_KEYS = {"moi_ket_nap", "mien_sinh_hoat", "dinh_chi_sinh_hoat"}
LEVEL_KEYS = {"tinh", "huyen", "co_so"}


def stat_6f() -> PartyDoc:
    d = PartyDoc()
    head = _grid(d, 1, [TEXT_WIDTH_MM * 0.5, TEXT_WIDTH_MM * 0.5], borders=False)
    left, right = head.rows[0].cells
    _write(left, "{{ hoso.ban_hanh.cap_tren|upper }}", size=14)
    _write(left, "{{ hoso.ban_hanh.ten|upper }}", bold=True, size=14, first=False)
    _write(left, "*", size=14, first=False)
    _write(right, "{{ hoso.nhan_mau }}", bold=True, size=13, align="right")
    for cell in head.rows[0].cells:
        cell.vertical_alignment = WD_ALIGN_VERTICAL.TOP
    d.para("", indent=False, after=6)
    d.title(
        "THỐNG KÊ",
        ("KẾT QUẢ KIỂM ĐIỂM TỰ PHÊ BÌNH VÀ PHÊ BÌNH", {"bold": True}),
        ("Năm {{ ky_danh_gia.nam }}", {"bold": True}),
    )

    col = [14, 77, 20, 20, 34]
    table = _grid(d, 1 + len(STAT_ROWS), col)
    for i, text in enumerate(["TT", "Nội dung", "Tập thể", "Đảng viên", "Ghi chú"]):
        _write(table.rows[0].cells[i], text, bold=True)
    fmt.repeat_header_row(table.rows[0])
    for r, (tt, content, style, org, member, note) in enumerate(STAT_ROWS, start=1):
        cells = table.rows[r].cells
        fmt.keep_row_together(table.rows[r])
        bold, italic = style == "bold", style == "italic"
        if org in LEVEL_KEYS:
            org = f"{{{{ ({ORGS_SUGGESTED}) if goi_y_thuoc_dien == '{org}' else 0 }}}}"
            member = f"{{{{ (so_lieu.thong_ke.goi_y - {ORGS_SUGGESTED}) if goi_y_thuoc_dien == '{member}' else 0 }}}}"
        if note in REASON_KEYS:
            note = (f"{{{{ so_lieu.chua_kiem_diem_xep_loai|selectattr('ly_do', 'equalto', '{note}')"
                    "|map(attribute='ho_ten')|join(', ') }}")
        _write(cells[0], tt, bold=bold, size=12)
        _write(cells[1], content, bold=bold, italic=italic, align="left", size=12)
        _write(cells[2], org, bold=bold, size=12)
        _write(cells[3], member, bold=bold, size=12)
        _write(cells[4], note, align="left", size=11)
    d.para("", indent=False, after=0)

    _two_column_block(
        d,
        [
            ("", {}),
            ("NGƯỜI LẬP BIỂU", {"bold": True}),
            ("(Ký, ghi rõ họ và tên; số điện thoại di động và cố định liên hệ)", {"italic": True, "size": 12}),
            ("", {}), ("", {}), ("", {}),
            ("{{ nguoi_lap_bieu.ho_ten }}", {"bold": True}),
            ("Điện thoại: {{ nguoi_lap_bieu.dien_thoai }}", {"size": 12}),
        ],
        [
            ("{{ hoso.dia_danh }}, {{ ngay_lap|ngay_thang }}", {"italic": True}),
            ("{{ hoso.ban_hanh.tham_quyen_ky }}", {"bold": True}),
            ("{{ hoso.ban_hanh.chuc_vu_ky }}", {"bold": True}),
            ("(Ký, đóng dấu, ghi rõ họ và tên)", {"italic": True, "size": 12}),
            ("", {}), ("", {}), ("", {}),
            ("{{ chu_ky.ho_ten }}", {"bold": True}),
        ],
    )
    return d


TEMPLATES = {
    "qd124/summary_report.docx": summary_report,
    "qd124/not_reviewed_list.docx": not_reviewed_list,
    "qd124/stat_6f.docx": stat_6f,
}
