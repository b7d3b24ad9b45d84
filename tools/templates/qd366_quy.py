"""Template of ruleset qd366: Mẫu 05-HD KĐ.ĐG, the individual's self-assessment of a quarter or of a year.

The BTCTW original was not found; the layout is the skeleton five 2026 local copies share (qd366-forms.md §8,
inferred, strong): code line, the header of an individual self-review, "BẢN TỰ ĐÁNH GIÁ, XẾP LOẠI CỦA CÁ NHÂN" over
"Quý III, Năm 2026" (or "Năm 2026"), an optional locality subtitle, the identity block, I. the self-assessment of the
period's results with the score table (…/30, …/70, …/100; criterion rows when the data has them) and, where the
locality scores by the six result axes of HD 02-HD/BTCTW, the per-axis table; II. the proposed level (four boxes,
one ticked) and "CÁ NHÂN TỰ ĐÁNH GIÁ"; III. the competent level's comment, score, proposed level and how far the
key targets were met, under the confirming body's block, whose title is data (ban thường vụ cấp ủy or tập thể lãnh
đạo by default; a chi bộ or a head of agency elsewhere). The task annex follows Thanh Hóa's "Mẫu 9D" columns.

Every period text goes through the ``ky`` filter (generator/templating.py), so one template serves a quarter and a
year. Group labels and task results are the ruleset's words (``nhan``), written into the template when drafted.
"""

from __future__ import annotations

from docx.enum.text import WD_TAB_ALIGNMENT
from docx.shared import Cm
from partydoc import PartyDoc, sig_lines
from templates.cham_diem import num
from templates.qd366_ca_nhan import BLANK, count_line, if_chain, labels, runs
from templates.qd366_tap_the import _two_blocks, drop_spacer_after_signature, final_spacer, grid, loop_rows, write

from generator import docx_format as fmt

RULESET = "qd366"
TASKS = "ket_qua_nhiem_vu"
TABLE_PT = 11
CONFIRM_NOTE = "(Xác lập thời điểm, ký, ghi rõ họ tên và đóng dấu)"
SELF = "CÁ NHÂN TỰ ĐÁNH GIÁ"
GROUP_MAX = {"nhom_chung": "30", "nhom_nhiem_vu": "70"}
"""The caps printed on the form (…/30, …/70), as HD 43's forms print them; the rules check scores against settings."""


def optional_number(expr: str) -> str:
    """A number with a decimal comma, nothing when empty (a table cell left for the hand)."""
    return f"{{{{ ('%g'|format({expr}))|replace('.', ',') if {expr} is not none else '' }}}}"


def lower_first(text: str) -> str:
    return text[0].lower() + text[1:]


# -- the first page ----------------------------------------------------------------------------------
def title(d: PartyDoc) -> None:
    d.para("BẢN TỰ ĐÁNH GIÁ, XẾP LOẠI CỦA CÁ NHÂN", bold=True, size=16, align="center", indent=False, after=0)
    d.para("{{ ky_danh_gia|ky(viet_hoa=True, dau_phay=True) }}", bold=True, align="center", indent=False, after=0)
    d.tag("{%p if phu_de %}")
    d.para("({{ phu_de }})", italic=True, align="center", indent=False, after=0)
    d.tag("{%p endif %}")
    d.para("", indent=False, after=6)


def identity(d: PartyDoc) -> None:
    """Name and birth date on one line, then the three posts and the workplace (§8: no chi bộ line on the form)."""
    p = runs(d, [("Họ và tên: ", {}), ("{{ ca_nhan.ho_ten }}", {"bold": True}), ("\tNgày sinh: ", {}),
                 ("{{ ca_nhan.ngay_sinh|ngay }}", {})], align="left", indent=False, after=2)
    p.paragraph_format.tab_stops.add_tab_stop(Cm(10), WD_TAB_ALIGNMENT.LEFT)
    for label, expr in (("Chức vụ Đảng", "ca_nhan.chuc_vu_dang"), ("Chức vụ chính quyền", "ca_nhan.chuc_vu_chinh_quyen"),
                        ("Chức vụ đoàn thể", "ca_nhan.chuc_vu_doan_the"), ("Đơn vị công tác", "ca_nhan.don_vi_cong_tac")):
        runs(d, [(f"{label}: ", {}), (f"{{{{ {expr} }}}}", {})], align="left", indent=False, after=2)
    d.para("", after=0)


def _header(table, columns: list[str]) -> None:
    """The column names in the first row, repeated on every page the table runs onto."""
    for i, name in enumerate(columns):
        write(table.rows[0].cells[i], name, size=TABLE_PT, bold=True)
    fmt.repeat_header_row(table.rows[0])


def score_table(d: PartyDoc) -> None:
    """The two groups and the total, each group followed by its criterion rows (``diem.chi_tiet``) when given."""
    groups = labels("nhom_tieu_chi")
    assert set(groups) == set(GROUP_MAX), groups
    rows = 1 + 2 * 4 + 1  # header; per group: its row, the loop tag, a criterion row, the end tag; total
    table = grid(d, [12, 101, 26, 26], rows)
    _header(table, ["TT", "Nhóm tiêu chí, tiêu chí", "Điểm tối đa", "Điểm tự chấm"])
    for g, (key, numeral) in enumerate((("nhom_chung", "I"), ("nhom_nhiem_vu", "II"))):
        top = 1 + 4 * g
        cells = table.rows[top].cells
        write(cells[0], numeral, size=TABLE_PT, bold=True)
        write(cells[1], groups[key], size=TABLE_PT, bold=True, align="left")
        write(cells[2], GROUP_MAX[key], size=TABLE_PT, bold=True)
        write(cells[3], num(f"tu_danh_gia.diem.{key}"), size=TABLE_PT, bold=True)
        loop_rows(table, top + 1, f"c in tu_danh_gia.diem.chi_tiet if c.nhom == '{key}'")
        cells = table.rows[top + 2].cells
        write(cells[0], "{{ c.ma if c.ma is not none else loop.index }}", size=TABLE_PT)
        write(cells[1], "{{ c.noi_dung }}", size=TABLE_PT, italic=True, align="left")
        write(cells[2], optional_number("c.toi_da"), size=TABLE_PT, italic=True)
        write(cells[3], num("c.diem"), size=TABLE_PT, italic=True)
    total = table.rows[rows - 1].cells
    write(total[0].merge(total[1]), "Tổng điểm", size=TABLE_PT, bold=True)
    write(total[2], "100", size=TABLE_PT, bold=True)
    write(total[3], num("tu_danh_gia.diem.tong"), size=TABLE_PT, bold=True)


def axis_table(d: PartyDoc) -> None:
    """The result group split by the result axes: the proposed maximum and the self-score of each, and their sums
    (the rule, not the template, checks that the maxima make up the group's cap)."""
    d.tag("{%p if truc_ket_qua %}")
    d.para(f"{labels('nhom_tieu_chi')['nhom_nhiem_vu']} theo các trục kết quả trọng tâm:", italic=True, indent=True,
           keep_next=True).paragraph_format.space_before = Cm(0.2)
    table = grid(d, [12, 101, 26, 26], 5)
    _header(table, ["TT", "Trục kết quả trọng tâm", "Điểm tối đa đề xuất", "Điểm tự chấm"])
    loop_rows(table, 1, "t in truc_ket_qua")
    cells = table.rows[2].cells
    write(cells[0], "{{ t.ma if t.ma is not none else loop.index }}", size=TABLE_PT)
    write(cells[1], "{{ t.ten }}", size=TABLE_PT, align="left")
    write(cells[2], num("t.toi_da_de_xuat"), size=TABLE_PT)
    write(cells[3], num("t.diem"), size=TABLE_PT)
    total = table.rows[4].cells
    write(total[0].merge(total[1]), "Cộng", size=TABLE_PT, bold=True)
    write(total[2], num("truc_ket_qua|sum(attribute='toi_da_de_xuat')"), size=TABLE_PT, bold=True)
    write(total[3], num("truc_ket_qua|sum(attribute='diem')"), size=TABLE_PT, bold=True)
    d.tag("{%p endif %}")


def quarters_table(d: PartyDoc) -> None:
    """A year's form: the four quarters' results it rests on (QĐ 366 Điều 15 khoản 1), when the data gives them."""
    d.tag("{%p if ket_qua_quy %}")
    d.para("Kết quả đánh giá các quý trong năm:", italic=True, keep_next=True).paragraph_format.space_before = Cm(0.2)
    table = grid(d, [50, 35, 80], 4)
    _header(table, ["Kỳ đánh giá", "Tổng điểm", "Mức xếp loại"])
    loop_rows(table, 1, "q in ket_qua_quy|sort(attribute='quy')")
    cells = table.rows[2].cells
    write(cells[0], "{{ {'nam': ky_danh_gia.nam, 'quy': q.quy}|ky(viet_hoa=True) }}", size=TABLE_PT)
    write(cells[1], optional_number("q.diem"), size=TABLE_PT)
    write(cells[2], "{{ q.muc|ten_muc }}", size=TABLE_PT)
    d.tag("{%p endif %}")


def part_i(d: PartyDoc) -> None:
    d.heading("I. Tự đánh giá kết quả thực hiện nhiệm vụ", indent=False)
    d.para("Trên cơ sở nhiệm vụ được giao, cá nhân tự đánh giá về kết quả thực hiện nhiệm vụ {{ ky_danh_gia|ky }} như sau:")
    d.paragraphs("ket_qua_thuc_hien")
    d.para("Kết quả tự chấm điểm theo các nhóm tiêu chí:", italic=True, keep_next=True)
    score_table(d)
    axis_table(d)
    quarters_table(d)
    d.para("", after=0)


def part_ii(d: PartyDoc) -> None:
    with d.kept_together():
        d.level_boxes("tu_danh_gia.muc_de_xuat", label="II. Tự đề xuất xếp loại mức chất lượng:", label_style={"bold": True})
        d.signature(sig_lines(None, SELF, "(Ký, ghi rõ họ tên)", None, "{{ ca_nhan.ho_ten }}"))


def _line(d: PartyDoc, label: str, value: str, after: float | None = None):
    return runs(d, [(f"- {label}: ", {"italic": True}), (value, {"bold": True})], indent=False, align="left", after=after)


def part_iii(d: PartyDoc) -> None:
    """The competent level's comment and proposal (dotted blanks while empty), signed under the confirming body."""
    groups = labels("nhom_tieu_chi")
    a = "danh_gia_tham_quyen"
    d.heading("III. Nhận xét, đánh giá của cấp có thẩm quyền", indent=False)
    d.tag(f"{{%p for doan in {a}.nhan_xet %}}")
    d.para("{{ doan }}")
    d.tag("{%p endfor %}")
    detail = (f"{{% if {a}.diem.nhom_chung is not none and {a}.diem.nhom_nhiem_vu is not none %}} "
              f"({lower_first(groups['nhom_chung'])}: {num(f'{a}.diem.nhom_chung')}/30; "
              f"{lower_first(groups['nhom_nhiem_vu'])}: {num(f'{a}.diem.nhom_nhiem_vu')}/70){{% endif %}}")
    score = f"{{% if {a}.diem.tong is not none %}}{num(f'{a}.diem.tong')}/100{detail}{{% else %}}……/100{{% endif %}}"
    _line(d, "Chấm điểm", score)
    _line(d, "Đề xuất xếp loại", f"{{{{ {a}.muc|ten_muc if {a}.muc else '{BLANK}' }}}}")
    # The last line and the signature never part; a longer kept block would leave half a page blank above it.
    with d.kept_together():
        _line(d, "Mức độ đáp ứng đối với các mục tiêu, nhiệm vụ then chốt", f"{{{{ {a}.dap_ung or '{BLANK}' }}}}", after=12)
        d.signature([
            ("{{ xac_nhan.tieu_de }}", {"bold": True}),
            (CONFIRM_NOTE, {"italic": True, "size": 12}),
            ("{%p if xac_nhan.nguoi_ky.quyen_han %}", {}),
            ("{{ xac_nhan.nguoi_ky.quyen_han }}", {"bold": True}),
            ("{%p endif %}", {}),
            ("{%p if xac_nhan.nguoi_ky.chuc_vu %}", {}),
            ("{{ xac_nhan.nguoi_ky.chuc_vu }}", {"bold": True}),
            ("{%p endif %}", {}),
            ("{{ xac_nhan.ngay|ngay_thang(viet_hoa=True) }}", {"italic": True}),
            *[("", {})] * 3,
            ("{{ xac_nhan.nguoi_ky.ho_ten }}", {"bold": True}),
        ])


# -- the task annex ("Mẫu 9D") -------------------------------------------------------------------------
ANNEX_COLUMNS = [("TT", 9), ("Nội dung nhiệm vụ, công việc", 40), ("Thời hạn hoàn thành", 20), ("Tình hình thực hiện", 28),
                 ("Sản phẩm hoàn thành", 27), ("Đánh giá tiến độ", 21), ("Ghi chú", 20)]


def task_table(d: PartyDoc) -> None:
    """TT (1) … Ghi chú (7): one row per task of the ledger; the result printed as the ruleset's label."""
    table = grid(d, [w for _, w in ANNEX_COLUMNS], 5)
    _header(table, [name for name, _ in ANNEX_COLUMNS])
    for i in range(len(ANNEX_COLUMNS)):
        write(table.rows[1].cells[i], f"({i + 1})", size=TABLE_PT, italic=True)
    fmt.repeat_header_row(table.rows[1])
    loop_rows(table, 2, f"nv in {TASKS}")
    cells = table.rows[3].cells
    write(cells[0], "{{ loop.index }}", size=TABLE_PT)
    write(cells[1], "{{ nv.noi_dung }}", size=TABLE_PT, align="left")
    write(cells[2], "{{ nv.thoi_han|ngay }}", size=TABLE_PT)
    write(cells[3], if_chain("nv.ket_qua", labels("ket_qua_nhiem_vu")), size=TABLE_PT, align="left")
    write(cells[4], "{{ nv.san_pham }}", size=TABLE_PT, align="left")
    write(cells[5], "{{ nv.tien_do }}", size=TABLE_PT, align="left")
    write(cells[6], "{% if nv.phat_sinh %}Nhiệm vụ phát sinh, đột xuất{{ '. ' if nv.chat_luong or nv.ghi_chu }}{% endif %}"
                    "{% if nv.chat_luong %}Chất lượng: {{ nv.chat_luong }}{{ '. ' if nv.ghi_chu }}{% endif %}{{ nv.ghi_chu }}",
          size=TABLE_PT, align="left")


def annex(d: PartyDoc) -> None:
    """The annex of tasks on its own page, printed when the ledger has tasks."""
    d.tag(f"{{%p if {TASKS} %}}")
    first = d.para("PHỤ LỤC", bold=True, align="center", indent=False, after=0)
    first.paragraph_format.page_break_before = True
    d.para("KẾT QUẢ THỰC HIỆN NHIỆM VỤ, CÔNG VIỆC ĐƯỢC GIAO TRONG {{ ky_danh_gia|ky|upper }}", bold=True, align="center",
           indent=False, after=0)
    d.para("(Kèm theo Bản tự đánh giá, xếp loại của cá nhân {{ ky_danh_gia|ky }})", italic=True, align="center", indent=False)
    posts = "[ca_nhan.chuc_vu_dang, ca_nhan.chuc_vu_chinh_quyen, ca_nhan.chuc_vu_doan_the]|select|join('; ')"
    for label, expr in (("Họ và tên", "ca_nhan.ho_ten"), ("Chức vụ (Đảng, Chính quyền, Đoàn thể)", posts),
                        ("Đơn vị công tác", "ca_nhan.don_vi_cong_tac"), ("Chi bộ, Đảng bộ đang sinh hoạt", "ca_nhan.chi_bo")):
        runs(d, [(f"- {label}: ", {}), (f"{{{{ {expr} }}}}", {})], align="left", indent=False, after=2)
    d.para("", after=0)
    task_table(d)
    count_line(d, TASKS, "Tổng số: ")
    d.keep_with_signature()
    _two_blocks(d, [
        ("{{ xac_nhan.tieu_de }}", {"bold": True}),
        (CONFIRM_NOTE, {"italic": True, "size": 12}),
        *[("", {})] * 3,
        ("{{ xac_nhan.nguoi_ky.ho_ten }}", {"bold": True}),
    ], [
        (SELF, {"bold": True}),
        ("(Ký, ghi rõ họ tên)", {"italic": True, "size": 12}),
        *[("", {})] * 3,
        ("{{ ca_nhan.ho_ten }}", {"bold": True}),
    ], shares=(50, 50))
    d.tag("{%p endif %}")
    final_spacer(d)


def quarterly_self() -> PartyDoc:
    d = PartyDoc()
    d.form_label()
    d.party_header(numbered=False)
    title(d)
    identity(d)
    part_i(d)
    part_ii(d)
    part_iii(d)
    drop_spacer_after_signature(d)  # the annex opens its own page; the document's last paragraph is final_spacer's
    annex(d)
    return d


TEMPLATES = {f"{RULESET}/quarterly_self.docx": quarterly_self}
