"""Templates of ruleset qd124 for the individual dossier and its side documents (spec §2.9–2.11).

- residence_comment: phiếu nhận xét of the residence-place chi bộ (QĐ 213-QĐ/TW, HD 33-HD/BTCTW);
- member_supplement: phiếu bổ sung hồ sơ đảng viên (HD 06-HD/TW 8.1c);
- suggestion_letter: văn bản gợi ý kiểm điểm (công văn of the upper standing committee);
- complaint_reply: công văn answering a complaint about a grading result (draft while no conclusion);
- regrade_decision: quyết định hủy bỏ kết quả và xếp loại lại, with the annex old | new | reason.

No central layout exists for any of them under QĐ 124 [GAP]; these are the project defaults [I].
"""

from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Mm, Pt

from generator import docx_format as fmt
from partydoc import TEXT_WIDTH_MM, PartyDoc, sig_lines

NOI_NHAN = [
    ("Nơi nhận:", {"bold": True, "italic": True, "underline": True, "size": 12}),
    ("{%p for noi in noi_nhan %}", {}),
    ("- {{ noi }}{{ '.' if loop.last else ',' }}", {"size": 12}),
    ("{%p endfor %}", {}),
]
YEAR = "{{ ky_danh_gia.nam }}"
SUBJECT_KIND = "{% if to_chuc %}tổ chức đảng{% else %}đảng viên{% endif %}"


# -- shared blocks ------------------------------------------------------------------------------
def runs(d: PartyDoc, parts: list[tuple[str, dict]], *, align: str = "justify", indent: bool = True, after: float | None = None,
         keep_next: bool = False):
    """One paragraph made of several runs, e.g. a bold "Điều 1." followed by plain text."""
    p = d.doc.add_paragraph()
    for text, style in parts:
        style = dict(style)
        run = p.add_run(text)
        run.bold = style.pop("bold", False) or None
        run.italic = style.pop("italic", False) or None
        run.underline = style.pop("underline", False) or None
        if "size" in style:
            run.font.size = Pt(style.pop("size"))
    d._shape(p, align=align, indent=indent, after=after, keep_next=keep_next)
    return p


def header(d: PartyDoc, *, numbered: bool, summary: str | None = None, date_expr: str = "ngay_lap") -> None:
    """The Party two-column header; a công văn adds its "V/v …" summary under the number (italic 12)."""
    d.party_header(numbered=numbered, summary=summary, date_expr=date_expr)


def centred_blocks(d: PartyDoc, *rows: tuple[list[tuple[str, dict]], list[tuple[str, dict]]]) -> None:
    """Blocks side by side, each centred in its half; several rows keep their lines level (no borders, one page).

    A line's style may carry ``align`` ("justify" for a paragraph of text inside a block).
    """
    d.keep_with_signature()
    table = d.doc.add_table(rows=len(rows), cols=2)
    table.autofit = False
    fmt.remove_table_borders(table)
    fmt.set_cell_margins_zero(table)
    half = Mm(TEXT_WIDTH_MM / 2)
    for i in range(2):
        table.columns[i].width = half
    for r, (row, content) in enumerate(zip(table.rows, rows)):
        fmt.keep_row_together(row)
        for side, (cell, lines) in enumerate(zip(row.cells, content)):
            cell.width = half
            for n, (text, style) in enumerate(lines):
                style = dict(style)
                size = style.pop("size", None)
                align = style.pop("align", "center")
                p = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
                if text.startswith("{%p"):
                    d._fill(p, text)
                else:
                    d._fill(p, text, size=size, **style)
                d._shape(p, align=align, indent=False, after=0, keep_next=r < len(rows) - 1)
                p.paragraph_format.line_spacing = 1.0
                # a gutter between the two blocks
                if side == 0:
                    p.paragraph_format.right_indent = Mm(4)
                else:
                    p.paragraph_format.left_indent = Mm(4)
    d.para("", indent=False, after=0)


def field_line(d: PartyDoc, label: str, expr: str, *, optional: bool = False) -> None:
    """"Label: value" on one line, left aligned; an optional field prints only when filled."""
    if optional:
        d.tag(f"{{%p if {expr} %}}")
    runs(d, [(f"{label}: ", {}), (f"{{{{ {expr} }}}}", {})], align="left", indent=True, after=2)
    if optional:
        d.tag("{%p endif %}")


def kinh_gui(d: PartyDoc, expr: str) -> None:
    """"Kính gửi: X" on one centred line, or a list of recipients under it."""
    d.tag(f"{{%p if {expr}|length == 1 %}}")
    runs(d, [("Kính gửi: ", {"italic": True}), (f"{{{{ {expr}[0] }}}}", {})], align="center", indent=False)
    d.tag("{%p else %}")
    d.para("Kính gửi:", italic=True, align="center", indent=False, after=0)
    d.tag(f"{{%p for k in {expr} %}}")
    p = d.para("- {{ k }}", align="left", indent=False, after=0)
    p.paragraph_format.left_indent = Cm(4)
    d.tag("{%p endfor %}")
    d.para("", indent=False, after=0)
    d.tag("{%p endif %}")


# -- residence_comment -------------------------------------------------------------------------
RESIDENCE_ITEMS = [
    ("giu_moi_lien_he", "1. Việc giữ mối liên hệ với chi ủy, chi bộ và nhân dân nơi cư trú"),
    ("neu_guong", "2. Việc gương mẫu thực hiện và vận động gia đình, nhân dân nơi cư trú thực hiện chủ trương của Đảng, "
                  "chính sách, pháp luật của Nhà nước và các quy định của địa phương"),
    ("nghia_vu_cong_dan", "3. Việc thực hiện nghĩa vụ công dân và tham gia các hoạt động ở nơi cư trú"),
]


def residence_comment() -> PartyDoc:
    d = PartyDoc()
    d.form_label()
    header(d, numbered=False)
    d.title(
        "PHIẾU NHẬN XÉT",
        ("ĐẢNG VIÊN ĐANG CÔNG TÁC THỰC HIỆN NHIỆM VỤ Ở NƠI CƯ TRÚ", {"bold": True}),
        (f"Năm {YEAR}", {"bold": True}),
    )
    d.tag("{%p if kinh_gui %}")
    runs(d, [("Kính gửi: ", {"italic": True}), ("{{ kinh_gui }}", {})], align="center", indent=False)
    d.tag("{%p endif %}")
    d.para(
        "Thực hiện Quy định số 213-QĐ/TW ngày 02/01/2020 của Bộ Chính trị về trách nhiệm của đảng viên đang công tác "
        "thường xuyên giữ mối liên hệ với tổ chức đảng và nhân dân nơi cư trú và Hướng dẫn số 33-HD/BTCTW ngày 30/10/2020 "
        "của Ban Tổ chức Trung ương, {{ chi_bo_cu_tru }} nhận xét đảng viên đang công tác thực hiện nhiệm vụ ở nơi cư trú "
        f"năm {YEAR} như sau:"
    )
    d.heading("I. THÔNG TIN VỀ ĐẢNG VIÊN", indent=False)
    field_line(d, "Họ và tên", "dang_vien.ho_ten")
    field_line(d, "Ngày sinh", "dang_vien.ngay_sinh|ngay", optional=True)
    field_line(d, "Chức vụ", "dang_vien.chuc_vu", optional=True)
    field_line(d, "Cơ quan, đơn vị công tác", "dang_vien.don_vi_cong_tac", optional=True)
    field_line(d, "Chi bộ nơi sinh hoạt", "dang_vien.chi_bo_sinh_hoat")
    field_line(d, "Nơi cư trú", "dang_vien.noi_cu_tru")
    d.para("", after=0)
    d.heading("II. NỘI DUNG NHẬN XÉT", indent=False)
    for key, text in RESIDENCE_ITEMS:
        d.heading(text, italic=True)
        d.paragraphs(f"nhan_xet.{key}")
    d.tag("{%p if nhan_xet.de_nghi %}")
    d.heading("4. Ý kiến đề nghị", italic=True)
    d.paragraphs("nhan_xet.de_nghi")
    d.tag("{%p endif %}")
    d.para("", after=0)
    x = "xac_nhan_dang_uy"
    confirmation = [
        (f"{{%p if {x}.co_quan %}}", {}),
        (f"XÁC NHẬN CỦA {{{{ {x}.co_quan|upper }}}}", {"bold": True}),
        (f"{{{{ {x}.ngay|ngay_thang(viet_hoa=True) }}}}", {"italic": True}),
        (f"{{%p for doan_xn in {x}.noi_dung %}}", {}),
        ("{{ doan_xn }}", {"size": 13, "align": "justify"}),
        ("{%p endfor %}", {}),
        (f"{{{{ {x}.nguoi_ky.quyen_han or 'T/M ĐẢNG ỦY' }}}}", {"bold": True}),
        (f"{{{{ {x}.nguoi_ky.chuc_vu }}}}", {"bold": True}),
        ("(Ký tên, đóng dấu)", {"italic": True, "size": 12}),
        ("", {}), ("", {}), ("", {}),
        (f"{{{{ {x}.nguoi_ky.ho_ten }}}}", {"bold": True}),
        ("{%p endif %}", {}),
        ("", {}),
    ]
    signer = [
        ("{{ hoso.ban_hanh.tham_quyen_ky or 'T/M CHI ỦY (CHI BỘ)' }}", {"bold": True}),
        ("{{ hoso.ban_hanh.chuc_vu_ky }}", {"bold": True}),
        ("(Ký, ghi rõ họ tên)", {"italic": True, "size": 12}),
        ("", {}), ("", {}), ("", {}),
        ("{{ chu_ky.ho_ten }}", {"bold": True}),
    ]
    centred_blocks(d, (confirmation, signer))
    return d


# -- member_supplement ---------------------------------------------------------------------------
LEVEL_ITEMS = [
    ("hoc_van", "Giáo dục phổ thông"),
    ("chuyen_mon", "Chuyên môn, nghiệp vụ (học hàm, học vị)"),
    ("ly_luan_chinh_tri", "Lý luận chính trị"),
    ("ngoai_ngu", "Ngoại ngữ, tiếng dân tộc thiểu số"),
    ("tin_hoc", "Tin học"),
]
OTHER_ITEMS = [
    ("don_vi_cong_tac", "2. Cơ quan, đơn vị công tác"),
    ("chuc_vu", "3. Chức vụ đảng, chính quyền, đoàn thể"),
    ("nghe_nghiep", "4. Nghề nghiệp"),
    ("khen_thuong", "5. Khen thưởng"),
    ("ky_luat", "6. Kỷ luật"),
    ("hoan_canh_gia_dinh", "7. Hoàn cảnh gia đình"),
    ("khac", "8. Những thay đổi khác"),
]
CHANGE = "{{ td.noi_dung }}{% if td.thoi_gian %} ({{ td.thoi_gian }}){% endif %}{% if td.can_cu %}; căn cứ: {{ td.can_cu }}{% endif %}."


def change_list(d: PartyDoc, expr: str, label: str, *, bullet: str, label_style: dict, indent_cm: float) -> None:
    """"Label: Không thay đổi." or the label followed by one line per change."""
    d.tag(f"{{%p if {expr} %}}")
    p = runs(d, [(f"{label}:", label_style)], align="left", indent=False, after=2, keep_next=True)
    p.paragraph_format.left_indent = Cm(indent_cm)
    d.tag(f"{{%p for td in {expr} %}}")
    p = d.para(f"{bullet} {CHANGE}", indent=False, after=2)
    p.paragraph_format.left_indent = Cm(indent_cm + 0.75)
    d.tag("{%p endfor %}")
    d.tag("{%p else %}")
    p = runs(d, [(f"{label}: ", label_style), ("Không thay đổi.", {})], align="left", indent=False, after=2)
    p.paragraph_format.left_indent = Cm(indent_cm)
    d.tag("{%p endif %}")


def member_supplement() -> PartyDoc:
    d = PartyDoc()
    d.form_label()
    header(d, numbered=False)
    d.title("PHIẾU BỔ SUNG HỒ SƠ ĐẢNG VIÊN", (f"Năm {YEAR}", {"bold": True}))
    d.heading("I. THÔNG TIN ĐẢNG VIÊN", indent=False)
    field_line(d, "Họ và tên đang dùng", "dang_vien.ho_ten")
    field_line(d, "Ngày sinh", "dang_vien.ngay_sinh|ngay")
    field_line(d, "Quê quán", "dang_vien.que_quan", optional=True)
    field_line(d, "Nơi ở hiện nay", "dang_vien.noi_o", optional=True)
    field_line(d, "Số thẻ đảng viên", "dang_vien.so_the_dang_vien", optional=True)
    field_line(d, "Ngày vào Đảng", "dang_vien.ngay_vao_dang|ngay", optional=True)
    field_line(d, "Ngày chính thức", "dang_vien.ngay_chinh_thuc|ngay", optional=True)
    field_line(d, "Chi bộ nơi sinh hoạt", "dang_vien.chi_bo")
    d.para("", after=0)
    d.heading(f"II. NHỮNG THAY ĐỔI TRONG NĂM {YEAR}", indent=False)
    d.para("1. Trình độ", bold=True, italic=True, indent=False, keep_next=True, after=2).paragraph_format.left_indent = Cm(1)
    for key, label in LEVEL_ITEMS:
        change_list(d, f"thay_doi.{key}", f"- {label}", bullet="+", label_style={}, indent_cm=1.5)
    for key, label in OTHER_ITEMS:
        change_list(d, f"thay_doi.{key}", label, bullet="-", label_style={"bold": True, "italic": True}, indent_cm=1)
    d.para("", after=0)
    d.signature(sig_lines(None, "ĐẢNG VIÊN BỔ SUNG", "(Ký, ghi rõ họ tên)", None, "{{ dang_vien.ho_ten }}"))

    def heading_part(key: str, title: str) -> list[tuple[str, dict]]:
        x = f"xac_nhan_{key}"
        return [
            (title, {"bold": True}),
            (f"{{{{ {x}.ngay|ngay_thang(viet_hoa=True) }}}}", {"italic": True}),
            (f"{{%p for doan_{key} in {x}.noi_dung %}}", {}),
            (f"{{{{ doan_{key} }}}}", {"size": 13, "align": "justify"}),
            ("{%p endfor %}", {}),
            ("", {}),
        ]

    def signer_part(key: str, authority: str, note: str) -> list[tuple[str, dict]]:
        x = f"xac_nhan_{key}"
        return [
            (f"{{{{ {x}.nguoi_ky.quyen_han or '{authority}' }}}}", {"bold": True}),
            (f"{{{{ {x}.nguoi_ky.chuc_vu or 'BÍ THƯ' }}}}", {"bold": True}),
            (note, {"italic": True, "size": 12}),
            ("", {}), ("", {}), ("", {}),
            (f"{{{{ {x}.nguoi_ky.ho_ten }}}}", {"bold": True}),
        ]

    centred_blocks(
        d,
        (heading_part("chi_uy", "CHI ỦY XÁC NHẬN"), heading_part("dang_uy", "ĐẢNG ỦY CƠ SỞ XÁC NHẬN")),
        (signer_part("chi_uy", "T/M CHI ỦY", "(Ký, ghi rõ họ tên)"), signer_part("dang_uy", "T/M ĐẢNG ỦY", "(Ký tên, đóng dấu)")),
    )
    return d


# -- suggestion_letter ---------------------------------------------------------------------------
def suggestion_letter() -> PartyDoc:
    d = PartyDoc()
    header(d, numbered=True, summary=f"V/v {{{{ trich_yeu or 'gợi ý kiểm điểm, đánh giá, xếp loại chất lượng năm ' ~ ky_danh_gia.nam }}}}")
    kinh_gui(d, "kinh_gui")
    d.para(
        "Thực hiện {{ hoso.bo_quy_tac.van_ban }}; {{ hoso.bo_quy_tac.huong_dan }}{% if can_cu %}; {{ can_cu }}{% endif %}; "
        "qua theo dõi, kiểm tra, giám sát và nắm tình hình, {{ hoso.ban_hanh.co_quan }} gợi ý {{ doi_tuong }} tập trung kiểm điểm, "
        "làm rõ những vấn đề sau:"
    )
    d.tag("{%p for vd in van_de %}")
    d.tag("{%p set so = loop.index %}")
    d.tag("{%p if vd.tieu_de %}")
    d.heading("{{ so }}. {{ vd.tieu_de }}", italic=True)
    d.tag("{%p endif %}")
    d.tag("{%p for doan in vd.noi_dung %}")
    d.para("{% if not vd.tieu_de and loop.first %}{{ so }}. {% endif %}{{ doan }}")
    d.tag("{%p endfor %}")
    d.tag("{%p endfor %}")
    d.para(
        "Đề nghị {{ doi_tuong }} nghiêm túc tự phê bình và phê bình, giải trình, làm rõ từng vấn đề được gợi ý tại mục IV "
        "\"Giải trình những vấn đề được gợi ý kiểm điểm\" của "
        "{% if thanh_vien %}bản kiểm điểm cá nhân{% else %}báo cáo kiểm điểm tập thể{% endif %}; "
        "xác định rõ trách nhiệm của tập thể, cá nhân và đề ra biện pháp khắc phục cụ thể."
    )
    d.para(
        "Hội nghị kiểm điểm "
        "{% if so_ngay_hop_toi_thieu %}được tổ chức với thời gian tối thiểu "
        "{{ '%g'|format(so_ngay_hop_toi_thieu)|replace('.', ',') }} ngày "
        "({{ '%02d'|format((so_ngay_hop_toi_thieu * 2)|int) }} buổi làm việc)"
        "{% else %}bảo đảm thời gian tối thiểu theo quy định đối với trường hợp có văn bản gợi ý kiểm điểm{% endif %}"
        "{% if du_hoi_nghi %}; {{ du_hoi_nghi }} dự và chỉ đạo hội nghị{% endif %}."
        "{% if han_bao_cao %} Báo cáo kết quả kiểm điểm gửi về {{ hoso.ban_hanh.co_quan }} trước {{ han_bao_cao|ngay_thang }}.{% endif %}"
    )
    d.para("", after=0)
    d.signature(sig_lines("{{ hoso.ban_hanh.tham_quyen_ky }}", "{{ hoso.ban_hanh.chuc_vu_ky }}", None, None, "{{ chu_ky.ho_ten }}"), left=NOI_NHAN)
    return d


# -- complaint_reply ------------------------------------------------------------------------------
def complaint_reply() -> PartyDoc:
    d = PartyDoc()
    d.tag("{%p if not ket_luan.co_quan %}")
    d.para("DỰ THẢO", bold=True, italic=True, size=12, align="right", indent=False, after=0)
    d.tag("{%p endif %}")
    header(
        d, numbered=True, date_expr="(ngay_lap or ngay_thong_bao)",
        summary=f"V/v trả lời khiếu nại về kết quả đánh giá, xếp loại chất lượng {SUBJECT_KIND} năm {YEAR}",
    )
    runs(d, [("Kính gửi: ", {"italic": True}), ("đồng chí {{ nguoi_khieu_nai.ho_ten }}", {})], align="center", indent=False)
    d.tag("{%p if nguoi_khieu_nai.chuc_vu or nguoi_khieu_nai.chi_bo %}")
    d.para(
        "({{ nguoi_khieu_nai.chuc_vu or '' }}{% if nguoi_khieu_nai.chuc_vu and nguoi_khieu_nai.chi_bo %}; {% endif %}"
        "{% if nguoi_khieu_nai.chi_bo %}đảng viên {{ nguoi_khieu_nai.chi_bo }}{% endif %})",
        italic=True, align="center", indent=False,
    )
    d.tag("{%p endif %}")
    d.para(
        "{{ ngay_khieu_nai|ngay_thang(viet_hoa=True) }}, đồng chí có đơn khiếu nại về kết quả đánh giá, xếp loại chất lượng "
        f"{SUBJECT_KIND} năm {YEAR}"
        "{% if to_chuc %}{% else %} đối với đồng chí{% endif %} là mức \"{{ ket_qua_bi_khieu_nai.muc|ten_muc }}\""
        "{% if ket_qua_bi_khieu_nai.van_ban %} ({{ ket_qua_bi_khieu_nai.van_ban }}"
        "{% if ket_qua_bi_khieu_nai.ngay %} ngày {{ ket_qua_bi_khieu_nai.ngay|ngay }}{% endif %}){% endif %}. "
        "Nội dung, lý do khiếu nại:"
    )
    d.paragraphs("noi_dung", var="doan_kn")
    d.tag("{%p if ket_luan.co_quan %}")
    d.para(
        "{{ ket_luan.ngay|ngay_thang(viet_hoa=True) }}, {{ ket_luan.co_quan }} đã xem xét đơn, đối chiếu với quy định "
        "và kết luận như sau:"
    )
    d.paragraphs("ket_luan.noi_dung", var="doan_kl")
    runs(d, [
        ("Kết quả sau kết luận: ", {"bold": True}),
        ("{% if ket_luan.muc_sau_ket_luan == ket_qua_bi_khieu_nai.muc %}"
         f"giữ nguyên kết quả xếp loại chất lượng năm {YEAR} là mức \"{{{{ ket_luan.muc_sau_ket_luan|ten_muc }}}}\"."
         "{% else %}"
         "thay đổi mức xếp loại từ \"{{ ket_qua_bi_khieu_nai.muc|ten_muc }}\" thành "
         "\"{{ ket_luan.muc_sau_ket_luan|ten_muc }}\"; cấp có thẩm quyền ban hành quyết định xếp loại lại theo quy định."
         "{% endif %}", {}),
    ])
    d.tag("{%p else %}")
    d.para("Ngày … tháng … năm …, " + "…" * 20 + " đã xem xét đơn, đối chiếu với quy định và kết luận như sau:")
    for _ in range(3):
        d.dotted_line()
    d.dotted_line("Kết quả sau kết luận: ", bold=True)
    d.tag("{%p endif %}")
    d.para(
        "Đề nghị đồng chí nghiêm túc chấp hành kết luận. Trường hợp chưa thống nhất, đồng chí có quyền trình bày ý kiến "
        "với cấp ủy cấp trên nhưng phải chấp hành kết luận của cấp có thẩm quyền."
    )
    d.para("", after=0)
    d.signature(sig_lines("{{ hoso.ban_hanh.tham_quyen_ky }}", "{{ hoso.ban_hanh.chuc_vu_ky }}", None, None, "{{ chu_ky.ho_ten }}"), left=NOI_NHAN)
    return d


# -- regrade_decision ----------------------------------------------------------------------------
WHO = "{% if not to_chuc %}đồng chí {% endif %}{{ ho_ten_doi_tuong }}"
OLD_DECISION = "{{ quyet_dinh_cu.van_ban }}{% if quyet_dinh_cu.ngay %} ngày {{ quyet_dinh_cu.ngay|ngay }}{% endif %}"


def regrade_decision() -> PartyDoc:
    d = PartyDoc()
    d.form_label()
    d.party_header(numbered=True)
    d.title(
        "QUYẾT ĐỊNH",
        (f"Về việc hủy bỏ kết quả và xếp loại lại chất lượng {SUBJECT_KIND} năm {YEAR}", {"bold": True}),
        (f"đối với {WHO}", {"bold": True}),
    )
    d.paragraphs("can_cu", var="cc")
    d.para("", after=0)
    d.para("{{ hoso.ban_hanh.co_quan_quyet_dinh|upper }} QUYẾT ĐỊNH:", bold=True, align="center", indent=False, keep_next=True)
    runs(d, [
        ("Điều 1. ", {"bold": True}),
        (f"Hủy bỏ kết quả xếp loại chất lượng {SUBJECT_KIND} năm {YEAR} đối với {WHO} ở mức "
         "\"{{ muc_cu|ten_muc }}\" đã công bố tại " + OLD_DECISION + f"; xếp loại lại chất lượng năm {YEAR} đối với {WHO} "
         "ở mức \"{{ muc_moi|ten_muc }}\" (lý do tại Phụ lục kèm theo).", {}),
    ])
    d.tag("{%p if dieu_thi_hanh %}")
    d.tag("{%p for doan in dieu_thi_hanh %}")
    runs(d, [("{% if loop.first %}Điều 2. {% endif %}", {"bold": True}), ("{{ doan }}", {})])
    d.tag("{%p endfor %}")
    d.tag("{%p else %}")
    runs(d, [
        ("Điều 2. ", {"bold": True}),
        (f"Quyết định có hiệu lực kể từ ngày ký. Các tổ chức, cá nhân có liên quan và {WHO} chịu trách nhiệm thi hành "
         "Quyết định này.", {}),
    ])
    d.tag("{%p endif %}")
    d.para("", after=0)
    d.signature(sig_lines("{{ hoso.ban_hanh.tham_quyen_ky }}", "{{ hoso.ban_hanh.chuc_vu_ky }}", None, None, "{{ chu_ky.ho_ten }}"), left=NOI_NHAN)

    d.page_break()
    d.para("PHỤ LỤC", bold=True, align="center", indent=False, after=0)
    d.para(f"KẾT QUẢ XẾP LOẠI LẠI CHẤT LƯỢNG {{{{ ('tổ chức đảng' if to_chuc else 'đảng viên')|upper }}}} NĂM {YEAR}",
           bold=True, align="center", indent=False, after=0)
    d.para("(Kèm theo Quyết định {{ (so_van_ban|so_hieu(hoso.ky_hieu_mac_dinh))|replace('Số ', 'số ', 1) }} "
           "ngày {{ ngay_lap|ngay }})", italic=True, align="center", indent=False)
    annex_table(d)
    return d


def annex_table(d: PartyDoc) -> None:
    widths = [10, 35, 40, 30, 50]
    table = d.doc.add_table(rows=2, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for i, w in enumerate(widths):
        table.columns[i].width = Mm(w)

    def write(cell, text, *, bold=False, italic=False, align="center", first=True, width=None):
        p = cell.paragraphs[0] if first else cell.add_paragraph()
        if text:
            run = p.add_run(text)
            run.bold = bold or None
            run.italic = italic or None
            run.font.size = Pt(13)
        p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
                       "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
        p.paragraph_format.first_line_indent = Mm(0)
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.line_spacing = 1.0
        if width:
            cell.width = Mm(width)
        return p

    head = ["TT", "{% if to_chuc %}Tổ chức đảng{% else %}Họ và tên{% endif %}", "Mức cũ (bị hủy bỏ)", "Mức mới", "Lý do"]
    for i, text in enumerate(head):
        write(table.rows[0].cells[i], text, bold=True, width=widths[i])
    fmt.repeat_header_row(table.rows[0])
    cells = table.rows[1].cells
    write(cells[0], "1", width=widths[0])
    write(cells[1], "{{ ho_ten_doi_tuong }}", align="left", width=widths[1])
    write(cells[2], "{{ muc_cu|ten_muc }}", width=widths[2])
    write(cells[2], "(" + OLD_DECISION + ")", italic=True, first=False)
    write(cells[3], "{{ muc_moi|ten_muc }}", bold=True, width=widths[3])
    write(cells[4], "{%p for ld in ly_do %}", align="left", width=widths[4])
    write(cells[4], "{{ ld }}", align="left", first=False)
    write(cells[4], "{%p endfor %}", align="left", first=False)


TEMPLATES = {
    "qd124/residence_comment.docx": residence_comment,
    "qd124/member_supplement.docx": member_supplement,
    "qd124/suggestion_letter.docx": suggestion_letter,
    "qd124/complaint_reply.docx": complaint_reply,
    "qd124/regrade_decision.docx": regrade_decision,
}
