"""Templates of ruleset qd366 (Hướng dẫn 43-HD/BTCTW) for collectives and the deciding level: Mẫu 01, 03, 04, 06.

- collective_report (Mẫu 01-HD KĐ.ĐG 2025): body of HD 43 word for word (verified); header, number, signature and
  "Nơi nhận" as Mẫu 01 of qd124 (inferred); part B scores …/30, …/70, …/100 and the proposed level; the annex
  "Phụ lục kết quả thực hiện nhiệm vụ" from the task ledger, with counts computed here, never typed.
- regrade_decision (Mẫu 03-HD KĐ.ĐG): the Party decision format (inferred, qd366-forms.md §6), citing the regulation
  and guidance of the form's ruleset (``hoso.bo_quy_tac``).
- dossier_index (Mẫu 04-HD KĐ.ĐG 2025): the qd124 index's data and columns under the HD 43 title.
- central_summary (Mẫu 06, number inferred): the 7-column summary for centrally managed cadres, on a landscape page.

The labels of the task ledger and of the remedy statuses are copied from rulesets/qd366.yaml (``nhan``) into each
template when it is drafted: a template cannot read its ruleset, and the template is the ruleset's own data.
"""

from __future__ import annotations

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from generator import docx_format as fmt
from generator import ruleset
from partydoc import PartyDoc, sig_lines

RULESET = ruleset.load("qd366")
TASK = RULESET.vocabulary("ket_qua_nhiem_vu")
REMEDY = RULESET.vocabulary("khac_phuc")
YEAR = "{{ ky_danh_gia.nam }}"
NOI_NHAN = [
    ("{%p if noi_nhan %}", {}),
    ("Nơi nhận:", {"bold": True, "italic": True, "underline": True, "size": 12}),
    ("{%p for noi in noi_nhan %}", {}),
    ("- {{ noi }}{{ '.' if loop.last else ',' }}", {"size": 12}),
    ("{%p endfor %}", {}),
    ("{%p endif %}", {}),
]
SIGNATURE = sig_lines("{{ hoso.ban_hanh.tham_quyen_ky }}", "{{ hoso.ban_hanh.chuc_vu_ky }}", None, None, "{{ chu_ky.ho_ten }}")


# -- small helpers -------------------------------------------------------------------------------
def label(mapping: dict[str, str], expr: str, filters: str = "") -> str:
    """The label of a code printed from a mapping written into the template (``{{ {'a': 'A'}[expr] }}``). The mapping
    stays inside the ``{{ }}``: docxtpl cannot read a brace inside a ``{%p … %}`` tag, so no ``{%p set %}`` holds it."""
    assert not any("'" in v for v in mapping.values())
    literal = "{" + ", ".join(f"'{k}': '{v}'" for k, v in mapping.items()) + "}"
    return f"{{{{ {literal}[{expr}]{filters} }}}}"


def number(expr: str) -> str:
    """A score as printed: "27", "27,5"; "…" when empty (a blank to fill by hand)."""
    return f"{{{{ '…' if {expr} is none else ('%g'|format({expr}))|replace('.', ',') }}}}"


def runs(d: PartyDoc, parts: list[tuple[str, dict]], *, indent: bool = True, align: str = "justify", keep_next: bool = False):
    """One paragraph of several runs, e.g. a bold "Điều 1." then plain text."""
    p = d.doc.add_paragraph()
    for text, style in parts:
        run = p.add_run(text)
        run.bold = style.get("bold") or None
        run.italic = style.get("italic") or None
        if style.get("size"):
            run.font.size = Pt(style["size"])
    d._shape(p, align=align, indent=indent, keep_next=keep_next)
    return p


def grid(d: PartyDoc, widths: list[float], rows: int, *, pad_mm: float = 1.0):
    """A bordered table of fixed column widths (mm), centred, with narrow cell padding."""
    table = d.doc.add_table(rows=rows, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    fmt.set_cell_margins(table, pad_mm)
    for i, w in enumerate(widths):
        table.columns[i].width = Mm(w)
        for row in table.rows:
            row.cells[i].width = Mm(w)
    return table


def write(cell, text: str, *, size: float = 12, bold: bool = False, italic: bool = False, align: str = "center",
          first: bool = True):
    p = cell.paragraphs[0] if first else cell.add_paragraph()
    if text:
        run = p.add_run(text)
        run.bold = bold or None
        run.italic = italic or None
        run.font.size = Pt(size)
    p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
                   "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
    p.paragraph_format.first_line_indent = Mm(0)
    p.paragraph_format.space_before = Pt(1)
    p.paragraph_format.space_after = Pt(1)
    p.paragraph_format.line_spacing = 1.0
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    return p


def loop_rows(table, start: int, loop: str, *, split: bool = False) -> None:
    """Rows ``start`` and ``start + 2`` carry ``{%tr for %}`` / ``{%tr endfor %}`` around the data row, which stays on
    one page unless ``split`` (a ledger row may be taller than what is left of a page: kept whole, it would leave a gap)."""
    write(table.rows[start].cells[0], f"{{%tr for {loop} %}}", size=8, align="left")
    write(table.rows[start + 2].cells[0], "{%tr endfor %}", size=8, align="left")
    if not split:
        fmt.keep_row_together(table.rows[start + 1])


def drop_spacer_after_signature(d: PartyDoc) -> None:
    """Remove the spacer ``signature`` leaves, when an annex that starts its own page follows: with the spacer, a
    signature ending a full page would leave a blank page before the annex."""
    spacer = d.doc.paragraphs[-1]
    assert not spacer.text
    spacer._element.getparent().remove(spacer._element)


def final_spacer(d: PartyDoc) -> None:
    """The paragraph a document needs after its last table, 1 pt high so that it never makes a page of its own."""
    p = d.para("", indent=False, after=0)
    p.paragraph_format.space_before = Pt(0)
    p.paragraph_format.line_spacing = Pt(1)
    fmt.set_paragraph_mark_size(p, 1)


# -- Mẫu 01: collective report ---------------------------------------------------------------------
COLLECTIVE_ITEMS = [
    ("nguyen_tac_to_chuc", "1. Việc chấp hành nguyên tắc tổ chức và hoạt động, nhất là nguyên tắc tập trung dân chủ; thực hiện "
     "quy chế làm việc."),
    ("ket_qua_nhiem_vu", "2. Kết quả thực hiện các mục tiêu, chỉ tiêu, nhiệm vụ được đề ra trong nghị quyết đại hội nhiệm kỳ, kế "
     "hoạch, chương trình công tác năm, được cấp có thẩm quyền giao, phê duyệt và các nhiệm vụ phát sinh, đột xuất được cấp "
     "có thẩm quyền giao."),
    ("xay_dung_dang", "3. Công tác xây dựng, chỉnh đốn Đảng và hệ thống chính trị; xây dựng tổ chức bộ máy tinh gọn, hoạt động "
     "hiệu năng, hiệu lực, hiệu quả; tinh giản biên chế gắn với cải cách hành chính và chuyển đổi số; năng lực, trách nhiệm "
     "của tập thể lãnh đạo, quản lý; trách nhiệm nêu gương; trách nhiệm giải trình; công tác đấu tranh phòng, chống tham "
     "nhũng, tiêu cực, lãng phí và ngăn chặn, đẩy lùi những biểu hiện suy thoái về tư tưởng chính trị, đạo đức, lối sống, "
     "\"tự diễn biến\", \"tự chuyển hoá\" trong nội bộ gắn với việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí "
     "Minh; công tác kiểm soát quyền lực, phòng, chống chạy chức, chạy quyền, lợi ích nhóm; xây dựng và thực hiện cơ chế "
     "công khai, minh bạch trong công tác cán bộ; công tác kiểm tra, giám sát, kỷ luật đảng và công tác tiếp công dân, giải "
     "quyết khiếu nại, tố cáo, kiến nghị, phản ánh của tổ chức, cá nhân."),
    ("trach_nhiem_lanh_dao", "4. Trách nhiệm của tập thể lãnh đạo, quản lý trong triển khai thực hiện các chủ trương, đường lối, "
     "nghị quyết, văn bản chỉ đạo của Đảng, của cấp trên; thực hiện nhiệm vụ chính trị của địa phương, tổ chức, cơ quan, "
     "đơn vị."),
]
SCORE_SENTENCE = (
    "Trên cơ sở cụ thể hoá khung tiêu chí đánh giá đối với tập thể được quy định tại Phụ lục 1, Quy định số 366-QĐ/TW, các "
    "tập thể tự đánh giá, chấm điểm theo các tiêu chí được cụ thể hóa như sau:"
)
ANNEX_LINE = (
    "(Gửi kèm Phụ lục về kết quả thực hiện nhiệm vụ trong đó thể hiện sản phẩm tiến độ, chất lượng cụ thể - theo hướng dẫn "
    "của các cấp uỷ, tổ chức đảng)."
)
NONE_TEXT = "(Không có)"
TARGETS = [  # Quy định 366-QĐ/TW, Điều 11, điểm 4.1 d: the five basic socio-economic targets
    ("tang_truong_kinh_te", "Tốc độ tăng trưởng kinh tế"),
    ("thu_ngan_sach", "Thu ngân sách nhà nước"),
    ("giai_ngan_dau_tu_cong", "Giải ngân vốn đầu tư công"),
    ("thu_nhap_binh_quan", "Thu nhập bình quân đầu người"),
    ("giam_ho_ngheo", "Giảm tỉ lệ hộ nghèo"),
]
# Widths (mm, 165 in all): "31/12/2026" in 10.5 pt fits "Thời hạn"; products and notes, the longest texts of a real
# ledger, get the widest columns after the task itself.
TASK_COLUMNS = [("TT", 8), ("Nội dung nhiệm vụ, công việc", 40), ("Thời hạn", 19), ("Kết quả", 25), ("Sản phẩm", 32),
                ("Tiến độ, chất lượng", 20), ("Ghi chú", 21)]
LONG_HEADING = 300
LATE = "['hoan_thanh_cham', 'dang_thuc_hien_cham']"


def _score_group(d: PartyDoc, group: str, line: str) -> None:
    d.para(line)
    d.tag(f"{{%p for c in diem.chi_tiet if c.nhom == '{group}' %}}")
    d.para("- {% if c.ma %}{{ c.ma }}. {% endif %}{{ c.noi_dung|trim|trim('.:') }}: " + number("c.diem")
           + "{% if c.toi_da is not none %}/" + number("c.toi_da") + "{% endif %} điểm"
           + "{% if c.minh_chung %} ({{ c.minh_chung|trim|trim('.') }}){% endif %}{{ '.' if loop.last else ';' }}", size=13)
    d.tag("{%p endfor %}")


def collective_report() -> PartyDoc:
    d = PartyDoc()
    d.form_label()
    d.tag("{%p set diem = tu_danh_gia.diem %}")
    d.tag("{%p set tong = diem.tong if diem.tong is not none else ((diem.nhom_chung + diem.nhom_nhiem_vu) "
          "if diem.nhom_chung is not none and diem.nhom_nhiem_vu is not none else none) %}")
    d.tag("{%p set ct = chi_tieu_kinh_te_xa_hoi %}")
    targets = ", ".join(f"('{name}', ct.{key})" for key, name in TARGETS)
    d.tag(f"{{%p set chi_tieu = [{targets}]|rejectattr('1.dat', 'none')|list %}}")
    d.party_header(numbered=True)
    d.title(
        "BÁO CÁO",
        (f"kiểm điểm, tự đánh giá, xếp loại chất lượng năm {YEAR}", {"bold": True}),
        ("của tập thể {{ tap_the.ten }}", {"bold": True}),
    )
    d.para(
        "Căn cứ kết quả lãnh đạo, chỉ đạo thực hiện nhiệm vụ chính trị tại {{ dia_ban or 'địa phương (cơ quan, đơn vị)' }}; "
        "tập thể {{ tap_the.ten }} kiểm điểm, tự đánh giá, xếp loại chất lượng với các nội dung chủ yếu sau:"
    )

    d.heading("A. NỘI DUNG KIỂM ĐIỂM", indent=False)
    d.heading("I. Ưu điểm, kết quả đạt được")
    for key, text in COLLECTIVE_ITEMS:
        # A heading of many lines is not kept with the text below: LibreOffice would move it whole, leaving a third of
        # the page blank.
        d.para(text, bold=True, italic=True, keep_next=len(text) < LONG_HEADING)
        d.paragraphs(f"kiem_diem.uu_diem.{key}")
    d.heading("II. Hạn chế, khuyết điểm và nguyên nhân")
    d.heading("- Hạn chế, khuyết điểm.", italic=True)
    d.paragraphs("kiem_diem.han_che.khuyet_diem")
    d.heading("- Nguyên nhân của hạn chế, khuyết điểm.", italic=True)
    d.paragraphs("kiem_diem.han_che.nguyen_nhan")
    d.heading("III. Kết quả khắc phục những hạn chế, khuyết điểm đã được cấp có thẩm quyền kết luận hoặc được chỉ ra ở các kỳ "
              "kiểm điểm trước")
    d.tag("{%p for h in khac_phuc_truoc %}")
    d.para("{{ loop.index }}. {{ h.noi_dung|trim|trim('.') }}: " + label(REMEDY, "h.tinh_trang", "|lower")
           + "{% if h.ket_qua %}. {{ h.ket_qua|trim|trim('.') }}{% endif %}.")
    d.tag("{%p endfor %}")
    d.tag("{%p if khac_phuc_truoc %}")
    d.tag("{%p set tt = khac_phuc_truoc|map(attribute='tinh_trang')|list %}")
    d.para("Tổng số {{ tt|length }} hạn chế, khuyết điểm: đã khắc phục {{ tt|select('equalto', 'da_khac_phuc')|list|length }}, "
           "đang khắc phục {{ tt|select('equalto', 'dang_khac_phuc')|list|length }}, "
           "chưa khắc phục {{ tt|select('equalto', 'chua_khac_phuc')|list|length }}.", italic=True)
    d.tag("{%p endif %}")
    d.tag("{%p for doan in kiem_diem.khac_phuc %}")
    d.para("{{ doan }}")
    d.tag("{%p endfor %}")
    d.tag("{%p if not khac_phuc_truoc and not kiem_diem.khac_phuc %}")
    d.para(NONE_TEXT, italic=True)
    d.tag("{%p endif %}")
    d.heading("IV. Giải trình những vấn đề được gợi ý kiểm điểm (nếu có)")
    d.paragraphs("kiem_diem.giai_trinh_goi_y", empty=NONE_TEXT)
    d.heading("V. Trách nhiệm của tập thể, cá nhân")
    d.paragraphs("kiem_diem.trach_nhiem")
    d.heading("VI. Phương hướng, biện pháp khắc phục hạn chế, khuyết điểm")
    d.paragraphs("kiem_diem.phuong_huong")

    d.heading("B. NỘI DUNG TỰ ĐÁNH GIÁ, XẾP LOẠI", indent=False)
    d.heading("I. Đánh giá theo các nhóm tiêu chí")
    d.para(SCORE_SENTENCE)
    _score_group(d, "nhom_chung", "1. Nhóm tiêu chí chung: " + number("diem.nhom_chung") + "/30")
    _score_group(d, "nhom_nhiem_vu", "2. Nhóm tiêu chí về kết quả thực hiện nhiệm vụ: " + number("diem.nhom_nhiem_vu") + "/70")
    runs(d, [("Tổng điểm: ", {"bold": True}), (number("tong") + "/100", {"bold": True})], keep_next=True)
    d.level_boxes("tu_danh_gia.muc_de_xuat", label="II. Đề xuất xếp loại mức chất lượng", label_style={"bold": True},
                  label_indent=True)
    d.para(ANNEX_LINE, italic=True)
    d.signature(SIGNATURE, left=NOI_NHAN)

    drop_spacer_after_signature(d)
    d.tag("{%p if ket_qua_nhiem_vu or chi_tieu %}")
    d.para("PHỤ LỤC", bold=True, align="center", indent=False, after=0).paragraph_format.page_break_before = True
    d.para(f"KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM {YEAR}", bold=True, align="center", indent=False, after=0)
    d.para("(Kèm theo Báo cáo {{ (so_van_ban|so_hieu(hoso.ky_hieu_mac_dinh))|replace('Số ', 'số ', 1) }} "
           "{{ 'ngày ' ~ (ngay_lap|ngay) if ngay_lap else 'ngày …' }} của {{ tap_the.ten }})",
           italic=True, align="center", indent=False, after=12)
    d.tag("{%p if ket_qua_nhiem_vu %}")
    table = grid(d, [w for _, w in TASK_COLUMNS], rows=4)
    for i, (name, _) in enumerate(TASK_COLUMNS):
        write(table.rows[0].cells[i], name, size=11, bold=True)
    fmt.repeat_header_row(table.rows[0])
    loop_rows(table, 1, "t in ket_qua_nhiem_vu", split=True)
    cells = table.rows[2].cells
    write(cells[0], "{{ loop.index }}", size=11)
    write(cells[1], "{{ t.noi_dung }}{% if t.phat_sinh %} (phát sinh, đột xuất){% endif %}", size=11, align="left")
    write(cells[2], "{{ t.thoi_han|ngay }}", size=10.5)
    write(cells[3], label(TASK, "t.ket_qua"), size=11, align="left")
    write(cells[4], "{{ t.san_pham }}", size=11, align="left")
    write(cells[5], "{{ [t.tien_do, t.chat_luong]|select|join('; ') }}", size=11, align="left")
    write(cells[6], "{{ t.ghi_chu }}", size=10.5, align="left")
    d.tag("{%p set kq = ket_qua_nhiem_vu|map(attribute='ket_qua')|list %}")
    d.tag("{%p set phat_sinh = ket_qua_nhiem_vu|selectattr('phat_sinh')|list|length %}")
    count = d.para(
        "Tổng số {{ kq|length }} nhiệm vụ{% if phat_sinh %} (trong đó {{ phat_sinh }} nhiệm vụ phát sinh, đột xuất){% endif %}: "
        "{{ kq|select('equalto', 'vuot_muc')|list|length }} vượt mức, "
        "{{ kq|select('equalto', 'dung_han')|list|length }} đúng hạn, "
        f"{{{{ kq|select('in', {LATE})|list|length }}}} chậm, "
        "{{ kq|select('equalto', 'khong_hoan_thanh')|list|length }} không hoàn thành.",
        indent=False, italic=True, size=13,
    )
    count.paragraph_format.space_before = Pt(6)
    d.tag("{%p endif %}")
    d.tag("{%p if chi_tieu %}")
    d.para("Kết quả thực hiện các chỉ tiêu kinh tế - xã hội cơ bản được cấp có thẩm quyền giao:", keep_next=True)
    d.tag("{%p for ten, c in chi_tieu %}")
    d.para("- {{ ten }}: {{ 'đạt' if c.dat else 'không đạt' }}{% if c.ghi_chu %} ({{ c.ghi_chu|trim|trim('.') }}){% endif %}"
           "{{ '.' if loop.last else ';' }}")
    d.tag("{%p endfor %}")
    d.tag("{%p endif %}")
    d.tag("{%p endif %}")
    final_spacer(d)
    return d


# -- Mẫu 03: re-grading decision -----------------------------------------------------------------
SUBJECT_KIND = "{{ 'tổ chức đảng' if to_chuc else 'đảng viên' }}"
WHO = "{{ ho_ten_doi_tuong if to_chuc else 'đồng chí ' ~ ho_ten_doi_tuong }}"
ADJUSTMENT = {  # Quy định 366-QĐ/TW, Điều 15, khoản 3: the cases in which a published result is revised
    "khuyet_diem_phat_hien_sau": "sau đó phát hiện có khuyết điểm",
    "khong_bao_dam_quy_dinh": "không bảo đảm quy định về mức xếp loại",
    "thieu_trung_thuc": "thiếu trung thực làm cho kết quả không chính xác",
    "phan_anh": "có phản ánh đã được cấp có thẩm quyền xem xét, kết luận",
}
OLD = ("Quyết định số {{ quyet_dinh_truoc.so_ky_hieu }}{% if quyet_dinh_truoc.ngay %} ngày {{ quyet_dinh_truoc.ngay|ngay }}"
       "{% endif %} của {{ quyet_dinh_truoc.co_quan or hoso.ban_hanh.co_quan_quyet_dinh }}")


def regrade_decision() -> PartyDoc:
    d = PartyDoc()
    d.form_label()
    d.tag("{%p set ds_ly_do = [ly_do] if ly_do is string else ly_do %}")
    d.party_header(numbered=True)
    d.title(
        "QUYẾT ĐỊNH",
        (f"về việc đánh giá, xếp loại lại chất lượng {SUBJECT_KIND} năm {YEAR}", {"bold": True}),
        ("-----", {}),
    )
    d.para("- Căn cứ Điều lệ Đảng;")
    d.para("- Căn cứ {{ hoso.bo_quy_tac.van_ban }}; {{ hoso.bo_quy_tac.huong_dan }};")
    d.para(f"- Căn cứ {OLD} về kết quả xếp loại chất lượng {SUBJECT_KIND} năm {YEAR};")
    d.tag("{%p for cc in can_cu %}")
    d.para("- {{ cc|trim|trim(';,.') }};")
    d.tag("{%p endfor %}")
    d.para(f"- Xét {WHO} đã được xếp loại chất lượng năm {YEAR} nhưng " + label(ADJUSTMENT, "can_cu_dieu_chinh") + ": "
           "{{ ds_ly_do|map('trim')|map('trim', '.;,')|join('. ') }}{{ ';' if xet_de_nghi else ',' }}")
    d.tag("{%p if xet_de_nghi %}")
    d.para("- Xét đề nghị của {{ xet_de_nghi|trim|trim('.;,') }},")
    d.tag("{%p endif %}")
    d.para("{{ hoso.ban_hanh.co_quan_quyet_dinh|upper }} QUYẾT ĐỊNH", bold=True, align="center", indent=False, keep_next=True)
    runs(d, [("Điều 1. ", {"bold": True}),
             (f"Hủy bỏ kết quả xếp loại chất lượng năm {YEAR} đối với {WHO} ở mức \"{{{{ muc_cu|ten_muc }}}}\" tại {OLD}.", {})])
    runs(d, [("Điều 2. ", {"bold": True}),
             (f"Đánh giá, xếp loại lại chất lượng năm {YEAR} đối với {WHO} ở mức: ", {}),
             ("{{ muc_moi|ten_muc }}", {"bold": True}), (".", {})])
    d.tag("{%p if dieu_thi_hanh %}")
    d.tag("{%p for doan in dieu_thi_hanh %}")
    runs(d, [("{% if loop.first %}Điều 3. {% endif %}", {"bold": True}), ("{{ doan }}", {})], keep_next=True)
    d.tag("{%p endfor %}")
    d.tag("{%p else %}")
    runs(d, [("Điều 3. ", {"bold": True}),
             (f"Quyết định có hiệu lực kể từ ngày ký. Các tổ chức, cá nhân có liên quan và {WHO} chịu trách nhiệm thi hành "
              "Quyết định này.", {})], keep_next=True)
    d.tag("{%p endif %}")
    d.signature(SIGNATURE, left=NOI_NHAN)
    return d


# -- Mẫu 04: dossier index -------------------------------------------------------------------------
INDEX_COLUMNS = [("STT", 10), ("Tên tài liệu", 50), ("Số, ký hiệu", 24), ("Ngày, tháng, năm", 24), ("Số trang", 13),
                 ("Tình trạng", 20), ("Ghi chú", 24)]
STATUS = "{{ {'co': 'Có', 'khong_co': 'Không có', 'thieu': 'Thiếu', 'khong_ap_dung': 'Không áp dụng'}[m.tinh_trang] }}"
KINDS = RULESET.vocabulary("loai_ho_so")


def dossier_index() -> PartyDoc:
    d = PartyDoc()
    d.form_label()
    d.party_header(numbered=False)
    d.title(
        "DANH MỤC HỒ SƠ",
        ("{% if loai_ho_so == 'khen_thuong' %}ĐỀ NGHỊ KHEN THƯỞNG{% else %}KIỂM ĐIỂM, ĐÁNH GIÁ, XẾP LOẠI "
         + label(KINDS, "loai_ho_so", "|upper") + f"{{% endif %}} NĂM {YEAR}", {"bold": True}),
        ("(Hồ sơ " + label(KINDS, "loai_ho_so") + ": {{ doi_tuong.ten }}"
         "{% if doi_tuong.mo_ta %} — {{ doi_tuong.mo_ta }}{% endif %})",
         {"italic": True}),
    )
    table = grid(d, [w for _, w in INDEX_COLUMNS], rows=4)
    for i, (name, width) in enumerate(INDEX_COLUMNS):
        write(table.rows[0].cells[i], name, bold=True, size=11 if width < 15 else 12)
    fmt.repeat_header_row(table.rows[0])
    loop_rows(table, 1, "m in muc")
    cells = table.rows[2].cells
    write(cells[0], "{{ m.stt }}")
    write(cells[1], "{{ m.ten }}{% for t in m.tai_lieu %}\n- {{ t }}{% endfor %}", align="left")
    write(cells[2], "{{ m.so_ky_hieu }}")
    write(cells[3], "{{ m.ngay }}", size=11)
    write(cells[4], "{{ m.so_trang if m.so_trang is not none else '' }}")
    write(cells[5], STATUS)
    write(cells[6], "{{ m.ghi_chu }}", size=11)
    d.para("", after=0)
    d.para("Tổng số trang của hồ sơ: {{ tong_so_trang }}. Tình trạng: \"Có\" — có trong hồ sơ; \"Không có\" — thành phần "
           "\"nếu có\" không phát sinh; \"Không áp dụng\" — không thuộc trường hợp phải có; \"Thiếu\" — phải bổ sung.",
           italic=True, size=12)
    d.signature(sig_lines(None, "NGƯỜI LẬP HỒ SƠ", "(Ký, ghi rõ họ tên)", "{{ ngay_lap|ngay_thang(viet_hoa=True) }}",
                          "{{ nguoi_lap.ho_ten }}"))
    return d


# -- Mẫu 06: summary for centrally managed cadres ------------------------------------------------------
SUMMARY_COLUMNS = [
    ("STT", 6),
    ("Họ và tên", 15),
    ("Chức vụ, đơn vị công tác", 19),
    ("Cá nhân tự đề xuất mức xếp loại", 12),
    ("Cấp có thẩm quyền đề xuất mức xếp loại", 12),
    ("Tóm tắt căn cứ, cơ sở, lý do trong trường hợp đề xuất mức HTXS hoặc KHTNV hoặc các nội dung khác (nếu có)", 20),
    ("Đề xuất nội dung liên quan về công tác cán bộ (nếu có)", 16),
]
ROMAN = "{{ {1: 'I', 2: 'II', 3: 'III', 4: 'IV'}[ky_danh_gia.quy] }}"


def _full_width(table, shares: list[float]) -> None:
    """Make a table as wide as the text, whatever the page: the table width and every column in fiftieths of a percent
    (the text is 252 mm wide on a landscape page and 165 mm on a portrait one)."""
    tbl_pr = table._tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tbl_pr.append(width)
    width.set(qn("w:type"), "pct")
    width.set(qn("w:w"), "5000")
    total = sum(shares)
    landscape_mm = 297 - 30 - 15
    for i, share in enumerate(shares):
        table.columns[i].width = Mm(landscape_mm * share / total)
        for row in table.rows:
            row.cells[i].width = Mm(landscape_mm * share / total)
            tc_w = row.cells[i]._tc.get_or_add_tcPr().find(qn("w:tcW"))
            tc_w.set(qn("w:type"), "pct")
            tc_w.set(qn("w:w"), str(round(5000 * share / total)))


def _landscape(d: PartyDoc) -> None:
    section = d.doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width


def _two_blocks(d: PartyDoc, left: list[tuple[str, dict]], right: list[tuple[str, dict]], shares=(45, 55)):
    """Two borderless centred blocks side by side across the text width (header, signature)."""
    table = d.doc.add_table(rows=1, cols=2)
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    fmt.remove_table_borders(table)
    fmt.set_cell_margins_zero(table)
    fmt.keep_row_together(table.rows[0])
    _full_width(table, list(shares))
    for cell, lines in zip(table.rows[0].cells, (left, right)):
        for i, (text, style) in enumerate(lines):
            p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            if text:
                run = p.add_run(text)
                if not text.startswith("{%p"):
                    run.bold = style.get("bold") or None
                    run.italic = style.get("italic") or None
                    run.underline = style.get("underline") or None
                    if style.get("size"):
                        run.font.size = Pt(style["size"])
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT if style.get("align") == "left" else WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.first_line_indent = Mm(0)
            p.paragraph_format.space_after = Pt(0)
            p.paragraph_format.line_spacing = 1.0
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    return table


def central_summary() -> PartyDoc:
    d = PartyDoc()
    _landscape(d)
    d.form_label()
    _two_blocks(d, [
        ("{{ hoso.ban_hanh.cap_tren|upper }}", {}),
        ("{{ hoso.ban_hanh.ten|upper }}", {"bold": True}),
        ("*", {}),
        ("{%p if so_van_ban.ky_hieu %}", {}),
        ("{{ so_van_ban|so_hieu(hoso.ky_hieu_mac_dinh) }}", {}),
        ("{%p endif %}", {}),
    ], [
        ("ĐẢNG CỘNG SẢN VIỆT NAM", {"bold": True, "underline": True, "size": 15}),
        ("", {}),
        ("{{ hoso.dia_danh }}, {{ ngay_lap|ngay_thang }}", {"italic": True}),
    ])
    d.para("", indent=False, after=6)
    d.para("TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ VÀ ĐỀ XUẤT XẾP LOẠI "
           f"{{% if ky_danh_gia.quy %}}QUÝ {ROMAN}, {{% endif %}}NĂM {YEAR}", bold=True, align="center", indent=False, after=0)
    d.para("ĐỐI VỚI CÁN BỘ THUỘC DIỆN {{ dien_quan_ly|upper }} QUẢN LÝ", bold=True, align="center", indent=False, after=12)
    table = d.doc.add_table(rows=4, cols=len(SUMMARY_COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    fmt.set_cell_margins(table, 1)
    _full_width(table, [share for _, share in SUMMARY_COLUMNS])
    for i, (name, _) in enumerate(SUMMARY_COLUMNS):
        write(table.rows[0].cells[i], name, size=11, bold=True)
    fmt.repeat_header_row(table.rows[0])
    loop_rows(table, 1, "cb in can_bo")
    cells = table.rows[2].cells
    write(cells[0], "{{ loop.index }}")
    write(cells[1], "{{ cb.ho_ten }}", align="left")
    write(cells[2], "{{ cb.chuc_vu_don_vi }}", align="left")
    write(cells[3], "{{ cb.tu_de_xuat|ten_muc }}")
    write(cells[4], "{{ cb.cap_tham_quyen_de_xuat|ten_muc }}")
    write(cells[5], "{{ cb.can_cu }}", align="left")
    write(cells[6], "{{ cb.de_xuat_can_bo }}", align="left")
    d.para("Ghi chú: HTXS: Hoàn thành xuất sắc nhiệm vụ; KHTNV: Không hoàn thành nhiệm vụ.", italic=True, size=11,
           indent=False, after=6).paragraph_format.space_before = Pt(3)
    d.keep_with_signature()
    _two_blocks(d, [(text, {**style, "align": "left"}) for text, style in NOI_NHAN], SIGNATURE)
    final_spacer(d)
    return d


TEMPLATES = {
    "qd366/collective_report.docx": collective_report,
    "qd366/regrade_decision.docx": regrade_decision,
    "qd366/dossier_index.docx": dossier_index,
    "qd366/central_summary.docx": central_summary,
}
