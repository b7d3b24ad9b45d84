"""Templates of ruleset qd366: the individual self-reviews of Hướng dẫn 43-HD/BTCTW (Mẫu 2A, 2B, 2C).

Selected by role, never by letter: 2A = giữ chức vụ lãnh đạo, quản lý (``lanh_dao``), 2B = không giữ chức vụ
(``khong_lanh_dao``), 2C = đảng viên không làm việc trong hệ thống chính trị (``ngoai_he_thong``) — HD 25 had
02A and 02B the other way round.

What is copied and what is reconstructed (qd366-forms.md §1, §3–§5):
- verified: the body of 2B and 2C (A. I–VI, B. I–II with the three score lines and four levels), 2B's evidence
  annex line, the absence of that line in 2C;
- inferred: the title and subtitle of 2B, the whole body of 2A (built from QĐ 366 Điều 6 khoản 2; its item 4 is
  cut in the only copy found and is printed up to the cut), the header, the identity lines, every signature and
  confirmation block, the Phụ lục 2 sentence of cadres managed centrally, and the evidence annex (columns of
  Thanh Hóa's 2026 "Mẫu 9D"). Each is ordinary template text a locality overlay can change.
"""

from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Cm, Mm, Pt
from partydoc import NBSP, TEXT_WIDTH_MM, PartyDoc, sig_lines
from templates.cham_diem import num
from templates.kiem_diem import PHAM_CHAT

from generator import docx_format as fmt
from generator.ruleset import load as load_ruleset

RULESET = "qd366"
NONE_TEXT = "(Không có)"
BLANK = "……………………"
TABLE_PT = 11
TASKS = "ket_qua_nhiem_vu"

ROLES = {
    "leader": {
        "subtitle": "(Cá nhân giữ chức vụ lãnh đạo, quản lý)",
        "posts": True,
        "item_2": "2. Việc thực hiện nhiệm vụ, quyền hạn và kết quả thực hiện các chỉ tiêu, nhiệm vụ được giao trong năm, "
                  "gắn với hiệu quả, tiến độ, chất lượng công việc.",
        # The Phụ lục of the criteria framework: 3, or 2 for cadres managed by the Central Committee, Politburo,
        # Secretariat (QĐ 366 Điều 10 khoản 2.1–2.2).
        "framework": "{% if thuoc_dien_tw %}cán bộ thuộc diện Ban Chấp hành Trung ương, Bộ Chính trị, Ban Bí thư quản lý "
                     "được quy định tại Phụ lục 2{% else %}cá nhân giữ chức vụ lãnh đạo, quản lý được quy định tại Phụ lục 3"
                     "{% endif %}",
        "annex_line": True,
    },
    "staff": {
        "subtitle": "(Cá nhân không giữ chức vụ lãnh đạo, quản lý)",
        "posts": False,
        "item_2": "2. Việc thực hiện nhiệm vụ, quyền hạn và kết quả thực hiện các chỉ tiêu, nhiệm vụ được giao trong năm, "
                  "gắn với hiệu quả, tiến độ, chất lượng công việc.",
        "framework": "cá nhân không giữ chức vụ lãnh đạo, quản lý được quy định tại Phụ lục 4",
        "annex_line": True,
    },
    "outside": {
        "subtitle": "(Đảng viên không làm việc trong hệ thống chính trị)",
        "posts": False,
        "item_2": "2. Việc thực hiện quyền và nghĩa vụ của đảng viên theo các nhiệm vụ chính trị được cấp uỷ, chi bộ phân công.",
        "framework": "đảng viên không làm việc trong hệ thống chính trị được quy định tại Phụ lục 5",
        "annex_line": False,  # verified absent from the 2C copy
    },
}

LEADER_ITEMS = [
    ("lanh_dao_dieu_hanh",
     "3. Kết quả công tác lãnh đạo, chỉ đạo, quản lý, điều hành; thực hiện chức trách, nhiệm vụ; mức độ hoàn thành nhiệm vụ "
     "của các cấp uỷ, tổ chức đảng trực thuộc, địa phương, tổ chức, cơ quan, đơn vị thuộc quyền quản lý; khả năng quy tụ, "
     "xây dựng đoàn kết nội bộ."),
    # QĐ 366 Điều 6 khoản 2 item: the only copy found is cut after "được giao;" — printed up to the cut.
    ("trach_nhiem_doi_moi",
     "4. Trách nhiệm trong công việc; tinh thần năng động, đổi mới sáng tạo, dám nghĩ, dám nói, dám làm, nói đi đôi với làm, "
     "dám chịu trách nhiệm, dám đương đầu với khó khăn, thử thách, dám hành động, dám hy sinh lợi ích cá nhân vì lợi ích chung; "
     "trách nhiệm trong xây dựng đội ngũ cán bộ, kiểm soát quyền lực, phòng, chống tiêu cực trong phạm vi chức trách, nhiệm "
     "vụ được giao."),
    ("neu_guong",
     "5. Trách nhiệm nêu gương của bản thân và gia đình; việc đấu tranh phòng, chống tham nhũng, lãng phí, tiêu cực; sự tín "
     "nhiệm của cán bộ, đảng viên; việc xây dựng phong cách lãnh đạo đổi mới, gần dân, sát dân, trọng dân, thường xuyên nắm "
     "bắt tâm tư, nguyện vọng của Nhân dân."),
]
CAM_KET = "Việc thực hiện cam kết tu dưỡng, rèn luyện, phấn đấu của cá nhân theo quy định."
III = ("III. Kết quả khắc phục những hạn chế, khuyết điểm đã được cấp có thẩm quyền kết luận hoặc được chỉ ra ở các kỳ "
       "kiểm điểm trước")
III_NOTE = ("Kiểm điểm rõ từng hạn chế, khuyết điểm (đã được khắc phục; đang khắc phục, mức độ khắc phục; chưa được khắc "
            "phục); những khó khăn, vướng mắc (nếu có); trách nhiệm của cá nhân.")
IV = "IV. Giải trình những vấn đề được gợi ý kiểm điểm (nếu có)"
IV_NOTE = ("Giải trình từng vấn đề được gợi ý kiểm điểm, nêu nguyên nhân, xác định trách nhiệm của cá nhân đối với từng "
           "vấn đề được gợi ý kiểm điểm.")
V = "V. Làm rõ trách nhiệm của cá nhân đối với những hạn chế, khuyết điểm của tập thể (nếu có)"
VI = "VI. Phương hướng, biện pháp khắc phục hạn chế, khuyết điểm"
ANNEX_LINE = ("(Gửi kèm Phụ lục về kết quả thực hiện nhiệm vụ trong đó thể hiện sản phẩm tiến độ, chất lượng cụ thể - theo "
              "hướng dẫn của các cấp uỷ, tổ chức đảng)")
SCORES = [
    ("1. Nhóm tiêu chí chung: ", "nhom_chung", "/30"),
    ("2. Nhóm tiêu chí về kết quả thực hiện nhiệm vụ: ", "nhom_nhiem_vu", "/70"),
    ("Tổng điểm: ", "tong", "/100"),
]


def labels(name: str) -> dict[str, str]:
    """A label table of the ruleset (``nhan``), so the template prints the ruleset's own words."""
    table = load_ruleset(RULESET).vocabulary(name)
    assert table, f"rulesets/{RULESET}.yaml has no nhan.{name}"
    return table


def if_chain(expr: str, table: dict[str, str]) -> str:
    """``{% if x == 'a' %}A{% elif … %}…{% endif %}``: a code printed as its label."""
    parts = [f"{{% {'if' if i == 0 else 'elif'} {expr} == '{code}' %}}{label}" for i, (code, label) in enumerate(table.items())]
    return "".join(parts) + "{% endif %}"


def count(expr: str, *codes: str) -> str:
    """How many tasks of the list ``expr`` have one of the results ``codes`` (a Jinja expression)."""
    return f"({expr}|selectattr('ket_qua', 'in', {list(codes)!r})|list|length)"


# -- paragraphs ----------------------------------------------------------------------------------
def runs(d: PartyDoc, parts: list[tuple[str, dict]], *, align: str = "justify", indent: bool = True, after: float | None = None,
         keep_next: bool = False):
    """One paragraph of several runs (plain label, bold value …), written where the document writes now."""
    p = d._target.add_paragraph()
    for text, style in parts:
        run = p.add_run(text)
        run.bold = style.get("bold") or None
        run.italic = style.get("italic") or None
        if "size" in style:
            run.font.size = Pt(style["size"])
    d._shape(p, align=align, indent=indent, after=after, keep_next=keep_next)
    return p


def item(d: PartyDoc, heading: str, expr: str) -> None:
    """A numbered item of part A and the author's paragraphs."""
    d.heading(heading, italic=True)
    d.paragraphs(expr)


def heading_with_note(d: PartyDoc, heading: str, note: str) -> None:
    """A section heading and its printed instruction (italic, indented by a tab) as one paragraph that never splits.

    As two paragraphs linked by keep-with-next, LibreOffice left the heading alone at the foot of a page when not
    one line of the instruction fitted below it.
    """
    p = runs(d, [(heading, {"bold": True})], indent=False, keep_next=True)
    p.add_run().add_break()
    p.add_run("\t" + note).italic = True
    p.paragraph_format.keep_together = True
    p.paragraph_format.tab_stops.add_tab_stop(Cm(1), WD_TAB_ALIGNMENT.LEFT)


def identity(d: PartyDoc, posts: bool) -> None:
    p = runs(d, [("Họ và tên: ", {}), ("{{ ca_nhan.ho_ten }}", {"bold": True}), ("\tNgày sinh: ", {}),
                 ("{{ ca_nhan.ngay_sinh|ngay }}", {})], align="left", indent=False, after=2)
    p.paragraph_format.tab_stops.add_tab_stop(Cm(10), WD_TAB_ALIGNMENT.LEFT)
    lines = [("Chức vụ Đảng", "ca_nhan.chuc_vu_dang"), ("Chức vụ chính quyền", "ca_nhan.chuc_vu_chinh_quyen"),
             ("Chức vụ đoàn thể", "ca_nhan.chuc_vu_doan_the")] if posts else []
    lines += [("Đơn vị công tác", "ca_nhan.don_vi_cong_tac"), ("Chi bộ", "ca_nhan.chi_bo")]
    for label, expr in lines:
        runs(d, [(f"{label}: ", {}), (f"{{{{ {expr} }}}}", {})], align="left", indent=False, after=2)
    d.para("", after=0)


# -- part A ----------------------------------------------------------------------------------------
def part_a(d: PartyDoc, role: dict, leader: bool) -> None:
    d.heading("A. NỘI DUNG KIỂM ĐIỂM", indent=False)
    d.heading("I. Ưu điểm, kết quả đạt được", indent=False)
    item(d, PHAM_CHAT, "kiem_diem.uu_diem.pham_chat")
    item(d, role["item_2"], "kiem_diem.uu_diem.thuc_hien_nhiem_vu")
    number = 3
    if leader:
        for key, text in LEADER_ITEMS:
            item(d, text, f"kiem_diem.uu_diem.{key}")
        number = 6
    item(d, f"{number}. {CAM_KET}", "kiem_diem.uu_diem.cam_ket")

    d.heading("II. Hạn chế, khuyết điểm và nguyên nhân", indent=False)
    item(d, "1. Hạn chế, khuyết điểm.", "kiem_diem.han_che.khuyet_diem")
    item(d, "2. Nguyên nhân của hạn chế, khuyết điểm.", "kiem_diem.han_che.nguyen_nhan")

    heading_with_note(d, III, III_NOTE)
    status = if_chain("h.tinh_trang", labels("khac_phuc"))
    d.tag("{%p for h in khac_phuc_truoc %}")
    runs(d, [("{{ loop.index }}. {{ h.noi_dung }} ", {}), (f"({status})", {"italic": True}),
             ("{% if h.ket_qua %}: {{ h.ket_qua }}{% endif %}", {})])
    d.tag("{%p endfor %}")
    d.tag("{%p for doan in kiem_diem.khac_phuc %}")
    d.para("{{ doan }}")
    d.tag("{%p endfor %}")
    d.tag("{%p if not khac_phuc_truoc and not kiem_diem.khac_phuc %}")
    d.para(NONE_TEXT, italic=True)
    d.tag("{%p endif %}")

    heading_with_note(d, IV, IV_NOTE)
    d.paragraphs("kiem_diem.giai_trinh_goi_y", empty=NONE_TEXT)
    d.heading(V, indent=False)
    d.paragraphs("kiem_diem.trach_nhiem_tap_the", empty=NONE_TEXT)
    d.heading(VI, indent=False)
    d.paragraphs("kiem_diem.phuong_huong")


# -- part B ----------------------------------------------------------------------------------------
def part_b(d: PartyDoc, role: dict) -> None:
    d.heading("B. NỘI DUNG TỰ ĐÁNH GIÁ, XẾP LOẠI", indent=False)
    d.heading("I. Đánh giá theo các nhóm tiêu chí", indent=False)
    d.para(f"Trên cơ sở cụ thể hoá khung tiêu chí đánh giá đối với {role['framework']}, {{{{ hoso.bo_quy_tac.ten }}}}, "
           "cá nhân tự đánh giá, chấm điểm theo các tiêu chí được cụ thể hóa như sau:", keep_next=True)
    for i, (label, key, out_of) in enumerate(SCORES):
        last = i == len(SCORES) - 1
        # The score lines stay with the sentence above; the level block below keeps itself together, and a longer
        # keep-with-next chain would push all of part B to a new page.
        runs(d, [(label, {"bold": last}), (num(f"tu_danh_gia.diem.{key}") + out_of, {"bold": True})],
             keep_next=not last, after=2)
    d.para("", after=0)
    with d.kept_together():
        d.level_boxes("tu_danh_gia.muc_de_xuat", label="II. Đề xuất xếp loại mức chất lượng:", label_style={"bold": True})
        if role["annex_line"]:
            d.para(ANNEX_LINE, italic=True)
        d.para("", after=0)
        d.signature(sig_lines(None, "NGƯỜI TỰ KIỂM ĐIỂM", "(Ký, ghi rõ họ tên)", None, "{{ ca_nhan.ho_ten }}"))


# -- confirmation blocks -----------------------------------------------------------------------------
def level_line(d: PartyDoc, label: str, expr: str, extra: str = "") -> None:
    """"- label: Hoàn thành tốt nhiệm vụ" (dots to fill by hand while no level is set)."""
    runs(d, [(f"- {label}: ", {"italic": True}), (f"{{{{ {expr}|ten_muc if {expr} else '{BLANK}' }}}}", {"bold": True}),
             (extra, {})], indent=False, align="left")


def signer(block: str, authority: str, note: str) -> list[tuple[str, dict]]:
    return sig_lines(
        f"{{{{ {block}.nguoi_ky.quyen_han or '{authority}' }}}}" if authority else f"{{{{ {block}.nguoi_ky.quyen_han }}}}",
        f"{{{{ {block}.nguoi_ky.chuc_vu }}}}",
        note,
        f"{{{{ {block}.ngay|ngay_thang(viet_hoa=True) }}}}",
        f"{{{{ {block}.nguoi_ky.ho_ten }}}}",
    )


def leadership_block(d: PartyDoc) -> None:
    """2A: the confirmation of the standing committee or leadership collective (2026 quarterly forms' wording)."""
    with d.kept_together():
        d.para("XÁC NHẬN CỦA BAN THƯỜNG VỤ CẤP ỦY HOẶC TẬP THỂ LÃNH ĐẠO CƠ QUAN, ĐƠN VỊ", bold=True, indent=False,
               keep_next=True)
        d.tag("{%p for doan in xac_nhan_lanh_dao.nhan_xet %}")
        d.para("{{ doan }}")
        d.tag("{%p endfor %}")
        d.signature(signer("xac_nhan_lanh_dao", "", "(Xác lập thời điểm, ký, ghi rõ họ tên và đóng dấu)"))


def civil_servant_block(d: PartyDoc) -> None:
    """The head of agency's grading of a civil servant (HD 21/25 practice), printed only when filled."""
    d.tag("{%p if la_cbccvc and danh_gia_cbccvc.muc %}")
    with d.kept_together():
        d.para("ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC", bold=True, indent=False, keep_next=True)
        d.tag("{%p for doan in danh_gia_cbccvc.nhan_xet %}")
        d.para("{{ doan }}")
        d.tag("{%p endfor %}")
        level_line(d, "Mức xếp loại chất lượng cán bộ, công chức, viên chức", "danh_gia_cbccvc.muc")
        d.signature(signer("danh_gia_cbccvc", "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ", "(Xác lập thời điểm, ký, ghi rõ họ tên và đóng dấu)"))
    d.tag("{%p endif %}")


def party_blocks(d: PartyDoc) -> None:
    d.para("NHẬN XÉT, ĐÁNH GIÁ CỦA CHI ỦY (CHI BỘ)", bold=True, indent=False, keep_next=True)
    d.para("- Nhận xét, đánh giá:", italic=True, indent=False, keep_next=True)
    d.dotted_or_paragraphs("danh_gia_chi_uy.nhan_xet")
    # Non-breaking spaces: "(Tổng điểm 90/100)" moves to the next line as a whole.
    score = (f"{{% if danh_gia_chi_uy.diem.tong is not none %}}  (Tổng{NBSP}điểm{NBSP}{num('danh_gia_chi_uy.diem.tong')}/100)"
             f"{{% elif not danh_gia_chi_uy.muc %}}  (Tổng{NBSP}điểm{NBSP}…/100){{% endif %}}")
    with d.kept_together():
        level_line(d, "Chi bộ đề xuất xếp loại mức chất lượng", "danh_gia_chi_uy.muc", score)
        d.signature(signer("danh_gia_chi_uy", "T/M CHI ỦY (CHI BỘ)", "(Xác lập thời điểm, ký, ghi rõ họ tên)"))
    with d.kept_together():
        level_line(d, "Cấp có thẩm quyền xếp loại mức chất lượng", "quyet_dinh_dang_uy.muc")
        d.tag("{%p for doan in quyet_dinh_dang_uy.nhan_xet %}")
        d.para("{{ doan }}")
        d.tag("{%p endfor %}")
        d.signature(signer("quyet_dinh_dang_uy", "T/M ĐẢNG ỦY (CHI ỦY)", "(Xác lập thời điểm, ký, ghi rõ họ tên)"))


# -- evidence annex ------------------------------------------------------------------------------------
def _table(d: PartyDoc, columns: list[tuple[str, float]], rows: int):
    widths = [w for _, w in columns]
    assert abs(sum(widths) - TEXT_WIDTH_MM) < 0.5, sum(widths)
    table = d.doc.add_table(rows=rows, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    fmt.set_cell_margins(table, 1)
    for i, w in enumerate(widths):
        table.columns[i].width = Mm(w)
        for row in table.rows:
            row.cells[i].width = Mm(w)
    for i, (name, _) in enumerate(columns):
        _cell(table.rows[0].cells[i], name, bold=True)
    fmt.repeat_header_row(table.rows[0])
    return table


def _cell(cell, text: str, *, bold: bool = False, italic: bool = False, align: str = "center") -> None:
    p = cell.paragraphs[0]
    if text:
        run = p.add_run(text)
        run.bold = bold or None
        run.italic = italic or None
        run.font.size = Pt(TABLE_PT)
    p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT}[align]
    p.paragraph_format.first_line_indent = Mm(0)
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.line_spacing = 1.0


def task_table(d: PartyDoc) -> None:
    """TT | Nội dung | Thời hạn | Kết quả | Sản phẩm | Tiến độ, chất lượng | Ghi chú: one row per task of the ledger."""
    columns = [("TT", 8), ("Nội dung nhiệm vụ, công việc", 38), ("Thời hạn", 21), ("Kết quả", 28), ("Sản phẩm", 27),
               ("Tiến độ, chất lượng", 23), ("Ghi chú", 20)]
    table = _table(d, columns, rows=4)
    _cell(table.rows[1].cells[0], f"{{%tr for nv in {TASKS} %}}", align="left")
    cells = table.rows[2].cells
    fmt.keep_row_together(table.rows[2])
    _cell(cells[0], "{{ loop.index }}")
    _cell(cells[1], "{{ nv.noi_dung }}", align="left")
    _cell(cells[2], "{{ nv.thoi_han|ngay }}")
    _cell(cells[3], if_chain("nv.ket_qua", labels("ket_qua_nhiem_vu")), align="left")
    _cell(cells[4], "{{ nv.san_pham }}", align="left")
    _cell(cells[5], "{{ nv.tien_do }}{{ '; ' if nv.tien_do and nv.chat_luong }}{{ nv.chat_luong }}", align="left")
    _cell(cells[6], "{% if nv.phat_sinh %}Nhiệm vụ phát sinh, đột xuất{{ '. ' if nv.ghi_chu }}{% endif %}{{ nv.ghi_chu }}",
          align="left")
    _cell(table.rows[3].cells[0], "{%tr endfor %}", align="left")


def count_line(d: PartyDoc, expr: str, lead: str) -> None:
    """"Tổng số … nhiệm vụ, công việc; trong đó: <label> a; …" counted from the ledger in the template."""
    table = labels("ket_qua_nhiem_vu")
    parts = "; ".join(f"{label[0].lower() + label[1:]}: {{{{ {count(expr, code)} }}}}" for code, label in table.items())
    p = d.para(f"{lead}{{{{ {expr}|length }}}} nhiệm vụ, công việc; trong đó: {parts}; "
               f"nhiệm vụ phát sinh, đột xuất: {{{{ {expr}|selectattr('phat_sinh')|list|length }}}}.", italic=True, size=13)
    p.paragraph_format.space_before = Pt(6)


def led_units_table(d: PartyDoc) -> None:
    """The units the leader directs: their level and their task ledgers counted (QĐ 366 Điều 11, khoản 1.2–3.2)."""
    columns = [("TT", 9), ("Địa phương, cơ quan, đơn vị", 46), ("Mức xếp loại", 35), ("Số nhiệm vụ", 15), ("Vượt mức", 15),
               ("Đúng hạn", 15), ("Chậm", 15), ("Không hoàn thành", 15)]
    buckets = [("vuot_muc",), ("dung_han",), ("hoan_thanh_cham", "dang_thuc_hien_cham"), ("khong_hoan_thanh",)]
    table = _table(d, columns, rows=5)
    _cell(table.rows[1].cells[0], "{%tr for dv in don_vi_lanh_dao %}", align="left")
    cells = table.rows[2].cells
    fmt.keep_row_together(table.rows[2])
    _cell(cells[0], "{{ loop.index }}")
    _cell(cells[1], "{{ dv.ten }}", align="left")
    _cell(cells[2], "{{ dv.muc|ten_muc }}")
    _cell(cells[3], "{{ dv.nhiem_vu|length if dv.nhiem_vu else '' }}")
    for i, codes in enumerate(buckets, start=4):
        _cell(cells[i], f"{{{{ {count('dv.nhiem_vu', *codes)} if dv.nhiem_vu else '' }}}}")
    _cell(table.rows[3].cells[0], "{%tr endfor %}", align="left")
    total = table.rows[4].cells
    every = "(don_vi_lanh_dao|map(attribute='nhiem_vu')|sum(start=[]))"
    merged = total[0].merge(total[2])
    _cell(merged, "Cộng", bold=True)
    _cell(total[3], f"{{{{ {every}|length }}}}", bold=True)
    for i, codes in enumerate(buckets, start=4):
        _cell(total[i], f"{{{{ {count(every, *codes)} }}}}", bold=True)


def annex(d: PartyDoc, leader: bool) -> None:
    """The evidence annex (HD 43 tiểu mục 7.12) on its own page, printed when there is evidence to print."""
    condition = f"{TASKS} or don_vi_lanh_dao or phieu_tin_nhiem.tong_so" if leader else TASKS
    d.tag(f"{{%p if {condition} %}}")
    title = d.para("PHỤ LỤC KẾT QUẢ THỰC HIỆN NHIỆM VỤ", bold=True, align="center", indent=False, after=0)
    title.paragraph_format.page_break_before = True
    d.para("(Kèm theo Bản kiểm điểm, tự đánh giá, xếp loại cá nhân năm {{ ky_danh_gia.nam }} của đồng chí "
           "{{ ca_nhan.ho_ten }})", italic=True, align="center", indent=False)
    if leader:
        d.tag(f"{{%p if {TASKS} %}}")
        d.heading("I. Nhiệm vụ, công việc được giao của cá nhân", indent=False)
    task_table(d)
    count_line(d, TASKS, "Tổng số: ")
    if leader:
        d.tag("{%p endif %}")
        d.tag("{%p if don_vi_lanh_dao %}")
        d.heading("II. Kết quả thực hiện nhiệm vụ của các địa phương, cơ quan, đơn vị do cá nhân trực tiếp lãnh đạo, quản lý",
                  indent=False)
        led_units_table(d)
        d.para("", after=0)
        d.tag("{%p endif %}")
        d.tag("{%p if phieu_tin_nhiem.tong_so %}")
        d.heading("III. Kết quả lấy phiếu tín nhiệm", indent=False)
        share = "'%g'|format((100 * phieu_tin_nhiem.tin_nhiem_thap / phieu_tin_nhiem.tong_so)|round(2))|replace('.', ',')"
        d.para("Lấy phiếu tín nhiệm{% if phieu_tin_nhiem.ngay %} ngày {{ phieu_tin_nhiem.ngay|ngay }}{% endif %}: tổng số "
               "{{ phieu_tin_nhiem.tong_so }} phiếu; số phiếu tín nhiệm thấp: {{ phieu_tin_nhiem.tin_nhiem_thap }} phiếu "
               f"({{{{ {share} }}}}% tổng số phiếu).")
        d.tag("{%p endif %}")
    d.signature(sig_lines(None, "NGƯỜI TỰ KIỂM ĐIỂM", "(Ký, ghi rõ họ tên)", None, "{{ ca_nhan.ho_ten }}"))
    d.tag("{%p endif %}")


# -- the forms ---------------------------------------------------------------------------------------
def individual(kind: str) -> PartyDoc:
    role = ROLES[kind]
    leader = kind == "leader"
    d = PartyDoc()
    d.form_label()
    d.party_header(numbered=False)
    d.title(
        "BẢN KIỂM ĐIỂM, TỰ ĐÁNH GIÁ, XẾP LOẠI CÁ NHÂN",
        ("Năm {{ ky_danh_gia.nam }}", {"bold": True}),
        (role["subtitle"], {"italic": True}),
    )
    identity(d, role["posts"])
    part_a(d, role, leader)
    part_b(d, role)
    if leader:
        leadership_block(d)
    if kind != "outside":
        civil_servant_block(d)
    party_blocks(d)
    annex(d, leader)
    return d


TEMPLATES = {
    f"{RULESET}/individual_leader.docx": lambda: individual("leader"),
    f"{RULESET}/individual_staff.docx": lambda: individual("staff"),
    f"{RULESET}/individual_outside.docx": lambda: individual("outside"),
}
