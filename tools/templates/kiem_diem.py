"""Templates of ruleset qd124: collective review report (Mẫu 01) and self-reviews (Mẫu 02A, 02B)."""

from __future__ import annotations

from partydoc import PartyDoc, sig_lines

COLLECTIVE_SECTIONS = [
    ("nguyen_tac_to_chuc", "1. Việc chấp hành nguyên tắc tổ chức và hoạt động, nhất là nguyên tắc tập trung dân chủ; thực hiện quy chế làm việc."),
    ("ket_qua_nhiem_vu", "2. Kết quả thực hiện các mục tiêu, chỉ tiêu, nhiệm vụ được đề ra trong nghị quyết đại hội nhiệm kỳ, kế hoạch, chương trình công tác năm, được cấp có thẩm quyền giao, phê duyệt và các nhiệm vụ phát sinh, đột xuất được cấp có thẩm quyền giao."),
    ("xay_dung_dang", "3. Công tác xây dựng, chỉnh đốn Đảng và hệ thống chính trị; năng lực, trách nhiệm của tập thể lãnh đạo, quản lý; trách nhiệm nêu gương; trách nhiệm giải trình; công tác đấu tranh phòng, chống tham nhũng, tiêu cực, lãng phí và ngăn chặn, đẩy lùi những biểu hiện suy thoái về tư tưởng chính trị, đạo đức, lối sống, \"tự diễn biến\", \"tự chuyển hoá\" trong nội bộ gắn với việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh."),
    ("kiem_tra_giam_sat", "4. Công tác kiểm tra, giám sát, kỷ luật đảng và giải quyết khiếu nại, tố cáo, kiến nghị, phản ánh của tổ chức, cá nhân."),
    ("trach_nhiem_lanh_dao", "5. Trách nhiệm của tập thể lãnh đạo, quản lý trong triển khai thực hiện các chủ trương, đường lối, nghị quyết, văn bản chỉ đạo của Đảng, của cấp trên; thực hiện nhiệm vụ chính trị của địa phương, tổ chức, cơ quan, đơn vị."),
]

COLLECTIVE_CRITERIA = [
    ("a) Các tiêu chí về xây dựng tập thể", [
        ("xay_dung_dang", "Công tác xây dựng, chỉnh đốn Đảng, xây dựng hệ thống chính trị; củng cố, xây dựng tổ chức đảng, nâng cao chất lượng đội ngũ cán bộ, đảng viên."),
        ("nang_luc_lanh_dao", "Năng lực lãnh đạo của cấp ủy; công tác lãnh đạo chính quyền, Mặt trận Tổ quốc và các tổ chức chính trị - xã hội; các mối quan hệ công tác."),
        ("kiem_tra_giam_sat", "Công tác thanh tra, kiểm tra, giám sát và kỷ luật; phòng, chống tham nhũng, lãng phí, tiêu cực, biểu hiện suy thoái tư tưởng chính trị, đạo đức, lối sống, \"tự diễn biến\", \"tự chuyển hóa\"."),
        ("tap_trung_dan_chu", "Việc thực hiện nguyên tắc tổ chức hoạt động, nhất là nguyên tắc tập trung dân chủ, tự phê bình và phê bình; thực hiện các quy định, quy chế, nội quy và chế độ làm việc."),
        ("doan_ket_phoi_hop", "Công tác phối hợp giữa cấp ủy và tập thể lãnh đạo; việc xây dựng đoàn kết, thống nhất trong nội bộ."),
        ("lanh_dao_chi_dao", "Trách nhiệm của tập thể lãnh đạo, quản lý trong lãnh đạo, chỉ đạo, kiểm tra, giám sát việc thực hiện nhiệm vụ chính trị; công tác cán bộ, xây dựng tổ chức bộ máy, tinh giản biên chế, cải cách hành chính và xây dựng cơ quan, đơn vị trong sạch, vững mạnh."),
    ]),
    ("b) Các tiêu chí về kết quả thực hiện nhiệm vụ được giao trong năm", [
        ("cu_the_hoa_ke_hoach", "Việc cụ thể hoá, xây dựng và tổ chức thực hiện các chương trình, kế hoạch công tác năm."),
        ("muc_tieu_chi_tieu", "Kết quả thực hiện các mục tiêu, chỉ tiêu, nhiệm vụ được đề ra theo nghị quyết đại hội hoặc chương trình, kế hoạch công tác do cấp có thẩm quyền giao, phê duyệt về phát triển kinh tế - xã hội, an ninh, quốc phòng, đối ngoại và xây dựng Đảng, hệ thống chính trị (lượng hóa bằng sản phẩm cụ thể)."),
        ("xep_loai_lien_quan", "Kết quả đánh giá, xếp loại chất lượng các tập thể, cá nhân có liên quan trực tiếp; các chỉ số đánh giá, xếp hạng đối với địa phương, tổ chức, cơ quan, đơn vị (nếu có)."),
    ]),
    ("c) Kết quả khắc phục hạn chế, yếu kém, khuyết điểm", [
        ("khac_phuc_han_che", "Kết quả khắc phục hạn chế, yếu kém, khuyết điểm đã được chỉ ra."),
    ]),
]

PHAM_CHAT = (
    "1. Về phẩm chất chính trị, đạo đức, lối sống; tinh thần đoàn kết, thống nhất trong nội bộ; ý thức tổ chức kỷ luật, "
    "trách nhiệm nêu gương, việc thực hiện những điều đảng viên không được làm; tác phong, lề lối làm việc. "
    "Liên hệ các biểu hiện về suy thoái, \"tự diễn biến\", \"tự chuyển hoá\"."
)
NHIEM_VU = "2. Về thực hiện chức trách, nhiệm vụ, quyền hạn được giao và kết quả thực hiện các chỉ tiêu, nhiệm vụ trong năm."
LEADER_ITEMS = [
    ("lanh_dao_dieu_hanh", "3. Kết quả công tác lãnh đạo, chỉ đạo, quản lý, điều hành; thực hiện chức trách, nhiệm vụ; mức độ hoàn thành nhiệm vụ của các tổ chức, cơ quan, đơn vị thuộc quyền quản lý; khả năng quy tụ, xây dựng đoàn kết nội bộ."),
    ("trach_nhiem_doi_moi", "4. Trách nhiệm trong công việc; tinh thần năng động, đổi mới, sáng tạo, dám nghĩ, dám làm, dám chịu trách nhiệm; xử lý những vấn đề khó, phức tạp, nhạy cảm trong thực hiện nhiệm vụ."),
    ("neu_guong", "5. Trách nhiệm nêu gương của bản thân và gia đình; việc đấu tranh phòng, chống tham nhũng, tiêu cực, lãng phí; sự tín nhiệm của cán bộ, đảng viên."),
]
NONE_TEXT = "(Không có)"


def collective_report() -> PartyDoc:
    d = PartyDoc()
    d.form_label()
    d.party_header(numbered=True)
    d.title(
        "BÁO CÁO",
        ("kiểm điểm, tự đánh giá, xếp loại chất lượng tập thể {{ tap_the.ten }} năm {{ ky_danh_gia.nam }}", {"bold": True}),
    )
    d.para(
        "Căn cứ kết quả lãnh đạo, chỉ đạo thực hiện nhiệm vụ chính trị năm {{ ky_danh_gia.nam }} của địa phương, "
        "cơ quan, đơn vị; căn cứ {{ hoso.bo_quy_tac.van_ban }} và {{ hoso.bo_quy_tac.huong_dan }}, "
        "tập thể {{ tap_the.ten }} kiểm điểm, tự đánh giá, xếp loại chất lượng với các nội dung chủ yếu sau:"
    )
    d.heading("A. NỘI DUNG KIỂM ĐIỂM", indent=False)
    d.heading("I. Ưu điểm, kết quả đạt được")
    for key, text in COLLECTIVE_SECTIONS:
        d.heading(text, italic=True)
        d.paragraphs(f"kiem_diem.uu_diem.{key}")
    d.heading("II. Hạn chế, khuyết điểm và nguyên nhân")
    d.heading("1. Hạn chế, khuyết điểm", italic=True)
    d.paragraphs("kiem_diem.han_che.khuyet_diem")
    d.heading("2. Nguyên nhân", italic=True)
    d.paragraphs("kiem_diem.han_che.nguyen_nhan")
    d.heading("III. Kết quả khắc phục những hạn chế, khuyết điểm đã được cấp có thẩm quyền kết luận hoặc được chỉ ra ở các kỳ kiểm điểm trước")
    d.paragraphs("kiem_diem.khac_phuc")
    d.heading("IV. Giải trình những vấn đề được gợi ý kiểm điểm (nếu có)")
    d.paragraphs("kiem_diem.giai_trinh_goi_y", empty=NONE_TEXT)
    d.heading("V. Trách nhiệm của tập thể, cá nhân")
    d.paragraphs("kiem_diem.trach_nhiem")
    d.heading("VI. Phương hướng, biện pháp khắc phục hạn chế, khuyết điểm")
    d.paragraphs("kiem_diem.phuong_huong")

    d.heading("B. NỘI DUNG TỰ ĐÁNH GIÁ, XẾP LOẠI", indent=False)
    d.heading("I. Tự đánh giá theo các tiêu chí")
    criteria_table(d)
    d.para("", after=0)
    d.level_boxes("tu_danh_gia.tu_nhan_muc", label="II. Tự nhận mức xếp loại chất lượng", label_style={"bold": True}, label_indent=True)
    d.signature(
        sig_lines("{{ hoso.ban_hanh.tham_quyen_ky }}", "{{ hoso.ban_hanh.chuc_vu_ky }}", None, None, "{{ chu_ky.ho_ten }}"),
        left=[
            ("Nơi nhận:", {"bold": True, "italic": True, "underline": True, "size": 12}),
            ("{%p for noi in noi_nhan %}", {}),
            ("- {{ noi }}{{ '.' if loop.last else ',' }}", {"size": 12}),
            ("{%p endfor %}", {}),
        ],
    )
    return d


def criteria_table(d: PartyDoc) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    from generator import docx_format as fmt

    widths = [11, 48, 46, 15, 15, 15, 15]  # "TT" in bold 12 needs 11 mm with the default cell padding
    rows = 1 + sum(1 + len(items) for _, items in COLLECTIVE_CRITERIA)
    table = d.doc.add_table(rows=rows, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for i, w in enumerate(widths):
        table.columns[i].width = Mm(w)

    def write(cell, text, *, bold=False, italic=False, align="center", width=None, size=12):
        p = cell.paragraphs[0]
        run = p.add_run(text)
        run.bold = bold or None
        run.italic = italic or None
        run.font.size = Pt(size)
        p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
        p.paragraph_format.first_line_indent = Mm(0)
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.line_spacing = 1.0
        if width:
            cell.width = Mm(width)

    header = ["TT", "Tiêu chí", "Kết quả thực hiện (sản phẩm cụ thể)", "Xuất sắc", "Tốt", "Trung bình", "Kém"]
    for i, text in enumerate(header):
        write(table.rows[0].cells[i], text, bold=True, width=widths[i], size=11 if i >= 3 else 12)
    fmt.repeat_header_row(table.rows[0])
    r, number = 1, 0
    for group, items in COLLECTIVE_CRITERIA:
        row = table.rows[r]
        merged = row.cells[0].merge(row.cells[-1])
        write(merged, group, bold=True, align="left")
        r += 1
        for key, text in items:
            number += 1
            cells = table.rows[r].cells
            fmt.keep_row_together(table.rows[r])
            expr = f"tu_danh_gia.tieu_chi.{key}"
            write(cells[0], str(number), width=widths[0])
            write(cells[1], text, align="justify", width=widths[1])
            write(cells[2], f"{{{{ {expr}.ket_qua }}}}", align="justify", width=widths[2])
            for j, level in enumerate(["Xuất sắc", "Tốt", "Trung bình", "Kém"], start=3):
                write(cells[j], f"{{{{ {expr}.cap_do|o('{level}', 'x') }}}}", bold=True, width=widths[j])
            r += 1


def individual(leader: bool) -> PartyDoc:
    d = PartyDoc()
    d.form_label()
    d.party_header(numbered=False)
    subtitle = "(Cá nhân giữ chức vụ lãnh đạo, quản lý)" if leader else "(Cá nhân không giữ chức vụ lãnh đạo, quản lý)"
    d.title(
        "BẢN KIỂM ĐIỂM CÁ NHÂN",
        ("Năm {{ ky_danh_gia.nam }}", {"bold": True}),
        (subtitle, {"italic": True}),
    )
    for label, expr in [
        ("Họ và tên", "ca_nhan.ho_ten"),
        ("Ngày sinh", "ca_nhan.ngay_sinh|ngay"),
        ("Chức vụ Đảng", "ca_nhan.chuc_vu_dang"),
        ("Chức vụ chính quyền", "ca_nhan.chuc_vu_chinh_quyen"),
        ("Chức vụ đoàn thể", "ca_nhan.chuc_vu_doan_the"),
        ("Đơn vị công tác", "ca_nhan.don_vi_cong_tac"),
        ("Chi bộ", "ca_nhan.chi_bo"),
    ]:
        d.para(f"{label}: {{{{ {expr} }}}}", indent=True, align="left", after=2)
    d.para("", after=0)

    d.heading("I. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC", indent=False)
    d.heading(PHAM_CHAT, italic=True)
    d.paragraphs("uu_diem.pham_chat.noi_dung")
    d.tag("{%p if uu_diem.pham_chat.dau_tranh_suy_thoai %}")
    d.heading("Kết quả đấu tranh phòng, chống những biểu hiện suy thoái về tư tưởng chính trị, đạo đức, lối sống, \"tự diễn biến\", \"tự chuyển hóa\":", italic=True, bold=False)
    d.paragraphs("uu_diem.pham_chat.dau_tranh_suy_thoai", var="doan_st")
    d.tag("{%p endif %}")
    d.criterion_line("uu_diem.pham_chat.cap_do")
    d.heading(NHIEM_VU, italic=True)
    d.paragraphs("uu_diem.thuc_hien_nhiem_vu.noi_dung")
    d.criterion_line("uu_diem.thuc_hien_nhiem_vu.cap_do")
    number = 3
    if leader:
        for key, text in LEADER_ITEMS:
            d.heading(text, italic=True)
            d.paragraphs(f"uu_diem.{key}.noi_dung")
            d.criterion_line(f"uu_diem.{key}.cap_do")
        number = 6
    d.heading(f"{number}. Việc thực hiện cam kết tu dưỡng, rèn luyện, phấn đấu hằng năm.", italic=True)
    d.paragraphs("uu_diem.cam_ket")

    d.heading("II. HẠN CHẾ, KHUYẾT ĐIỂM VÀ NGUYÊN NHÂN", indent=False)
    d.heading("1. Hạn chế, khuyết điểm", italic=True)
    d.paragraphs("han_che.khuyet_diem")
    d.heading("2. Nguyên nhân", italic=True)
    d.paragraphs("han_che.nguyen_nhan")
    d.heading("III. KẾT QUẢ KHẮC PHỤC NHỮNG HẠN CHẾ, KHUYẾT ĐIỂM ĐÃ ĐƯỢC CẤP CÓ THẨM QUYỀN KẾT LUẬN HOẶC ĐƯỢC CHỈ RA Ở CÁC KỲ KIỂM ĐIỂM TRƯỚC", indent=False)
    d.paragraphs("khac_phuc.noi_dung")
    d.criterion_line("khac_phuc.cap_do")
    d.heading("IV. GIẢI TRÌNH NHỮNG VẤN ĐỀ ĐƯỢC GỢI Ý KIỂM ĐIỂM (NẾU CÓ)", indent=False)
    d.paragraphs("giai_trinh_goi_y", empty=NONE_TEXT)
    d.heading("V. LÀM RÕ TRÁCH NHIỆM CỦA CÁ NHÂN ĐỐI VỚI NHỮNG HẠN CHẾ, KHUYẾT ĐIỂM CỦA TẬP THỂ (NẾU CÓ)", indent=False)
    d.paragraphs("trach_nhiem_tap_the", empty=NONE_TEXT)
    d.heading("VI. PHƯƠNG HƯỚNG, BIỆN PHÁP KHẮC PHỤC HẠN CHẾ, KHUYẾT ĐIỂM", indent=False)
    d.paragraphs("phuong_huong")
    # Every level with its signature is one block that never splits across pages (PartyDoc.kept_together).
    italic = {"italic": True}
    with d.kept_together():
        d.heading("VII. TỰ NHẬN MỨC XẾP LOẠI CHẤT LƯỢNG", indent=False)
        d.tag("{%p if la_cbccvc %}")
        d.level_boxes("tu_nhan_muc.cbccvc", label="1. Xếp loại cán bộ, công chức, viên chức:", label_style=italic, label_indent=True)
        d.tag("{%p endif %}")
        d.level_boxes("tu_nhan_muc.dang_vien", label="{{ '2. ' if la_cbccvc else '' }}Xếp loại đảng viên:", label_style=italic,
                      label_indent=True)
        d.para("")
        d.signature(sig_lines(None, "NGƯỜI TỰ KIỂM ĐIỂM", "(Ký, ghi rõ họ tên)", None, "{{ ca_nhan.ho_ten }}"))

    d.tag("{%p if la_cbccvc %}")
    d.heading("ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC", indent=False)
    d.para("- Nhận xét, đánh giá của người quản lý, sử dụng cán bộ, công chức, viên chức:", italic=True, indent=False, keep_next=True)
    d.dotted_or_paragraphs("danh_gia_cbccvc.nhan_xet")
    with d.kept_together():
        d.level_boxes("danh_gia_cbccvc.muc", label="- Mức xếp loại chất lượng cán bộ, công chức, viên chức:", label_style=italic)
        d.signature(sig_lines(
            "{{ danh_gia_cbccvc.nguoi_ky.quyen_han }}",
            "{{ danh_gia_cbccvc.nguoi_ky.chuc_vu or 'THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ' }}",
            "(Xác lập thời điểm, ký, ghi rõ họ tên và đóng dấu)",
            "{{ danh_gia_cbccvc.ngay|ngay_thang(viet_hoa=True) }}",
            "{{ danh_gia_cbccvc.nguoi_ky.ho_ten }}",
        ))
    d.tag("{%p endif %}")

    d.heading("ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN", indent=False)
    d.para("- Nhận xét, đánh giá của chi ủy:", italic=True, indent=False, keep_next=True)
    d.dotted_or_paragraphs("danh_gia_chi_uy.nhan_xet")
    with d.kept_together():
        d.level_boxes("danh_gia_chi_uy.muc", label="- Chi bộ đề xuất xếp loại mức chất lượng:", label_style=italic)
        d.signature(sig_lines(
            "{{ danh_gia_chi_uy.nguoi_ky.quyen_han or hoso.ban_hanh.tham_quyen_ky or 'T/M CHI ỦY (CHI BỘ)' }}",
            "{{ danh_gia_chi_uy.nguoi_ky.chuc_vu }}",
            "(Xác lập thời điểm, ký, ghi rõ họ tên)",
            "{{ danh_gia_chi_uy.ngay|ngay_thang(viet_hoa=True) }}",
            "{{ danh_gia_chi_uy.nguoi_ky.ho_ten }}",
        ))
    with d.kept_together():
        d.para("- Đảng ủy, chi ủy cơ sở xếp loại mức chất lượng:", italic=True, indent=False)
        d.paragraphs("quyet_dinh_dang_uy.nhan_xet")
        d.level_boxes("quyet_dinh_dang_uy.muc")
        d.signature(sig_lines(
            "{{ quyet_dinh_dang_uy.nguoi_ky.quyen_han or 'T/M ĐẢNG ỦY (CHI ỦY)' }}",
            "{{ quyet_dinh_dang_uy.nguoi_ky.chuc_vu }}",
            "(Xác lập thời điểm, ký, ghi rõ họ tên)",
            "{{ quyet_dinh_dang_uy.ngay|ngay_thang(viet_hoa=True) }}",
            "{{ quyet_dinh_dang_uy.nguoi_ky.ho_ten }}",
        ))
    return d



TEMPLATES = {
    "qd124/collective_report.docx": collective_report,
    "qd124/individual_staff.docx": lambda: individual(leader=False),
    "qd124/individual_leader.docx": lambda: individual(leader=True),
}
