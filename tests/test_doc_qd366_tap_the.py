"""Forms of ruleset qd366 for collectives and the deciding level (tools/templates/qd366_tap_the.py): Mẫu 01, 03, 04, 06.

Each form is rendered alone from tests/examples/valid/qd366/<key>.yaml (year 2026, bound to qd366 without
``bo_quy_tac``), reopened, and its whole text compared with tests/golden/qd366/<key>.docx.txt; the lines a clerk
checks first (code line, scores, ticked level, annex rows, regulation cited) are asserted one by one. Variants of
the examples are built in memory.
"""

from __future__ import annotations

import copy
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from conftest import TESTS, docx_tables, docx_text
from generator import registry, ruleset
from generator.lint import lint_entry
from generator.load import load_form
from generator.render import render_docx
from generator.settings import load_settings
from generator.templating import TICKED, UNTICKED
from generator.unit import field_of
from generator.validate import check_data, check_file

EXAMPLES = TESTS / "examples" / "valid" / "qd366"
KEYS = ["collective_report", "regrade_decision", "dossier_index", "central_summary"]
QD366 = ruleset.load("qd366")
NBSP = "\u00a0"


def _data(key: str) -> dict:
    return copy.deepcopy(load_form(EXAMPLES / f"{key}.yaml").data)


def _form(data: dict):
    findings, form = check_data("bieu_mau.yaml", data)
    assert form is not None and not [f for f in findings if f.severity == "error"], findings
    return form


def _errors(data: dict) -> list:
    findings, _ = check_data("bieu_mau.yaml", data)
    return [f for f in findings if f.severity == "error"]


@pytest.fixture(scope="module")
def settings() -> dict:
    return load_settings("qd366")


@pytest.fixture
def render(settings, tmp_path):
    """Render form data alone; returns the DOCX path."""
    count = iter(range(1000))

    def run(data: dict) -> Path:
        form = _form(data)
        out = tmp_path / f"{form.entry.key}_{next(count)}.docx"
        out.write_bytes(render_docx(form, settings, registry.template_path(form.entry)))
        return out

    return run


def _lines(path: Path) -> list[str]:
    return docx_text(path).splitlines()


# -- every form ------------------------------------------------------------------------------------
@pytest.mark.parametrize("key", KEYS)
def test_example_binds_to_qd366_and_its_own_entry(key):
    findings, form = check_file(EXAMPLES / f"{key}.yaml")
    assert form is not None and not findings, findings
    assert form.binding.ruleset.key == "qd366" and not form.binding.explicit
    assert (form.entry.ruleset, form.entry.key) == ("qd366", key)
    assert form.entry.template == f"qd366/{key}.docx"


@pytest.mark.parametrize("key", KEYS)
def test_example_validates_through_the_cli(key, cli):
    result = cli("validate", EXAMPLES / f"{key}.yaml")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("key", KEYS)
def test_template_uses_only_names_of_its_schema(key):
    entry = next(e for e in registry.entries() if (e.ruleset, e.key) == ("qd366", key))
    assert lint_entry(entry) == []


@pytest.mark.parametrize("key", KEYS)
def test_rendered_text_matches_golden(key, render, golden):
    golden(f"qd366/{key}.docx.txt", docx_text(render(_data(key))))


@pytest.mark.parametrize("key", KEYS)
def test_cites_the_regulation_in_force_never_the_replaced_one(key, render):
    text = docx_text(render(_data(key)))
    for replaced in ("124-QĐ/TW", "25-HD/BTCTW", "Quy định 124", "Hướng dẫn 25"):
        assert replaced not in text
    assert "02A" not in text and "02B" not in text


@pytest.mark.parametrize(("key", "label"), [
    ("collective_report", "Mẫu 01-HD KĐ.ĐG 2025"),
    ("regrade_decision", "Mẫu 03-HD KĐ.ĐG"),
    ("dossier_index", "Mẫu 04-HD KĐ.ĐG 2025"),
    ("central_summary", "Mẫu 06-HD KĐ.ĐG 2025"),
])
def test_code_line_tops_the_page(key, label, render):
    assert _lines(render(_data(key)))[0] == label


# -- Mẫu 01: collective report ---------------------------------------------------------------------
def test_report_header_number_and_title(render):
    text = _lines(render(_data("collective_report")))
    assert text[1:5] == ["ĐẢNG BỘ XÃ HÒA BÌNH", "CHI BỘ THÔN ĐÔNG", "*", "Số 09-BC/CB"]
    assert "Hòa Bình, ngày 01 tháng 12 năm 2026" in text
    i = text.index("BÁO CÁO")
    assert text[i + 1: i + 3] == ["kiểm điểm, tự đánh giá, xếp loại chất lượng năm 2026", "của tập thể Chi ủy Chi bộ Thôn Đông"]
    assert text[i + 4] == (
        "Căn cứ kết quả lãnh đạo, chỉ đạo thực hiện nhiệm vụ chính trị tại thôn Đông, xã Hòa Bình; tập thể Chi ủy Chi bộ "
        "Thôn Đông kiểm điểm, tự đánh giá, xếp loại chất lượng với các nội dung chủ yếu sau:"
    )


def test_report_opening_keeps_the_form_wording_when_no_place_is_given(render):
    data = _data("collective_report")
    del data["dia_ban"]
    assert any(line.startswith("Căn cứ kết quả lãnh đạo, chỉ đạo thực hiện nhiệm vụ chính trị tại địa phương (cơ quan, đơn vị); "
                               "tập thể Chi ủy Chi bộ Thôn Đông kiểm điểm")
               for line in _lines(render(data)))


def test_report_prints_the_headings_of_hd43_in_order(render):
    text = _lines(render(_data("collective_report")))
    headings = [
        "A. NỘI DUNG KIỂM ĐIỂM",
        "I. Ưu điểm, kết quả đạt được",
        "1. Việc chấp hành nguyên tắc tổ chức và hoạt động, nhất là nguyên tắc tập trung dân chủ; thực hiện quy chế làm việc.",
        "4. Trách nhiệm của tập thể lãnh đạo, quản lý trong triển khai thực hiện các chủ trương, đường lối, nghị quyết, văn bản "
        "chỉ đạo của Đảng, của cấp trên; thực hiện nhiệm vụ chính trị của địa phương, tổ chức, cơ quan, đơn vị.",
        "II. Hạn chế, khuyết điểm và nguyên nhân",
        "- Hạn chế, khuyết điểm.",
        "- Nguyên nhân của hạn chế, khuyết điểm.",
        "III. Kết quả khắc phục những hạn chế, khuyết điểm đã được cấp có thẩm quyền kết luận hoặc được chỉ ra ở các kỳ "
        "kiểm điểm trước",
        "IV. Giải trình những vấn đề được gợi ý kiểm điểm (nếu có)",
        "V. Trách nhiệm của tập thể, cá nhân",
        "VI. Phương hướng, biện pháp khắc phục hạn chế, khuyết điểm",
        "B. NỘI DUNG TỰ ĐÁNH GIÁ, XẾP LOẠI",
        "I. Đánh giá theo các nhóm tiêu chí",
    ]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    item3 = next(t for t in text if t.startswith("3. Công tác xây dựng, chỉnh đốn Đảng và hệ thống chính trị; xây dựng tổ chức"))
    assert item3.endswith("công tác kiểm tra, giám sát, kỷ luật đảng và công tác tiếp công dân, giải quyết khiếu nại, tố cáo, "
                          "kiến nghị, phản ánh của tổ chức, cá nhân.")


def test_report_part_b_scores_level_and_annex_line(render):
    text = _lines(render(_data("collective_report")))
    assert ("Trên cơ sở cụ thể hoá khung tiêu chí đánh giá đối với tập thể được quy định tại Phụ lục 1, Quy định số "
            "366-QĐ/TW, các tập thể tự đánh giá, chấm điểm theo các tiêu chí được cụ thể hóa như sau:") in text
    assert "1. Nhóm tiêu chí chung: 27/30" in text
    assert "2. Nhóm tiêu chí về kết quả thực hiện nhiệm vụ: 63/70" in text
    assert "Tổng điểm: 90/100" in text
    assert "- I.3. Kiểm tra, giám sát, kỷ luật đảng: 4,5/5 điểm (Giám sát chuyên đề 02 đảng viên);" in text
    assert "- II.2. Kết quả xếp loại các tổ chức, cá nhân liên quan: 13/15 điểm." in text
    i = text.index("II. Đề xuất xếp loại mức chất lượng")
    boxes = " ".join(text[i + 1: i + 3])  # the four boxes on two lines of the same paragraph
    assert f"{TICKED}{NBSP}Hoàn thành xuất sắc nhiệm vụ" in boxes
    for name in ("Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ", "Không hoàn thành nhiệm vụ"):
        assert f"{UNTICKED}{NBSP}{name}" in boxes
    assert boxes.count(TICKED) == 1
    assert ("(Gửi kèm Phụ lục về kết quả thực hiện nhiệm vụ trong đó thể hiện sản phẩm tiến độ, chất lượng cụ thể - theo "
            "hướng dẫn của các cấp uỷ, tổ chức đảng).") in text


def test_report_signature_and_recipients_as_the_issuer_signs(render):
    text = _lines(render(_data("collective_report")))
    i = text.index("Nơi nhận:")
    assert text[i + 1: i + 4] == ["- Đảng ủy xã Hòa Bình (để báo cáo),", "- Đảng viên trong Chi bộ,", "- Lưu Chi bộ."]
    assert text[i + 4: i + 6] == ["T/M CHI ỦY", "BÍ THƯ"]
    assert "Lê Văn Thành" in text[i + 6:]


def test_report_empty_scores_print_blanks_and_a_missing_total_is_the_sum(render):
    data = _data("collective_report")
    data["tu_danh_gia"]["diem"] = {}
    text = _lines(render(data))
    blanks = {"1. Nhóm tiêu chí chung: …/30", "2. Nhóm tiêu chí về kết quả thực hiện nhiệm vụ: …/70", "Tổng điểm: …/100"}
    assert blanks <= set(text)
    data["tu_danh_gia"]["diem"] = {"nhom_chung": 25.5, "nhom_nhiem_vu": 60}
    text = _lines(render(data))
    assert "1. Nhóm tiêu chí chung: 25,5/30" in text and "Tổng điểm: 85,5/100" in text


def test_report_section_iii_lists_earlier_shortcomings_with_their_status(render):
    data = _data("collective_report")
    data["khac_phuc_truoc"].append({"noi_dung": "Chậm nộp đảng phí.", "tinh_trang": "dang_khac_phuc"})
    data["khac_phuc_truoc"].append(
        {"noi_dung": "Hồ sơ đảng viên chưa số hóa", "tinh_trang": "chua_khac_phuc", "ket_qua": "Chưa có phần mềm"})
    text = _lines(render(data))
    i = text.index("III. Kết quả khắc phục những hạn chế, khuyết điểm đã được cấp có thẩm quyền kết luận hoặc được chỉ ra ở các "
                   "kỳ kiểm điểm trước")
    assert text[i + 1: i + 6] == [
        "1. Tỷ lệ đảng viên dự sinh hoạt chưa cao: đã khắc phục. Tỷ lệ dự sinh hoạt tăng từ 88% lên 95%.",
        "2. Nội dung sinh hoạt chuyên đề còn chung chung: đã khắc phục.",
        "3. Chậm nộp đảng phí: đang khắc phục.",
        "4. Hồ sơ đảng viên chưa số hóa: chưa khắc phục. Chưa có phần mềm.",
        "Tổng số 4 hạn chế, khuyết điểm: đã khắc phục 2, đang khắc phục 1, chưa khắc phục 1.",
    ]
    assert text[i + 6] == "Chi ủy đã đưa việc khắc phục các hạn chế vào nghị quyết tháng và kiểm tra kết quả hằng quý."


def test_report_section_iii_without_shortcomings_says_none(render):
    data = _data("collective_report")
    del data["khac_phuc_truoc"]
    del data["kiem_diem"]["khac_phuc"]
    text = _lines(render(data))
    i = text.index("III. Kết quả khắc phục những hạn chế, khuyết điểm đã được cấp có thẩm quyền kết luận hoặc được chỉ ra ở các "
                   "kỳ kiểm điểm trước")
    assert text[i + 1: i + 3] == ["(Không có)", "IV. Giải trình những vấn đề được gợi ý kiểm điểm (nếu có)"]


def test_report_annex_is_the_task_ledger_with_counts(render):
    path = render(_data("collective_report"))
    text = _lines(path)
    i = text.index("PHỤ LỤC")
    assert text[i + 1: i + 3] == ["KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2026",
                                  "(Kèm theo Báo cáo số 09-BC/CB ngày 01/12/2026 của Chi ủy Chi bộ Thôn Đông)"]
    rows = docx_tables(path)[-1]
    assert rows[0] == ["TT", "Nội dung nhiệm vụ, công việc", "Thời hạn", "Kết quả", "Sản phẩm", "Tiến độ, chất lượng", "Ghi chú"]
    assert rows[1] == ["1", "Bê tông hóa đường giao thông nội đồng", "31/10/2026", "Hoàn thành vượt mức yêu cầu",
                       "1,2 km (kế hoạch 0,8 km)", "Xong 15/9/2026; Nghiệm thu đạt", ""]
    assert rows[6] == ["6", "Phòng, chống dịch tả lợn châu Phi (phát sinh, đột xuất)", "30/06/2026",
                       "Hoàn thành đúng hạn, bảo đảm chất lượng, hiệu quả", "Không phát sinh ổ dịch mới", "Đúng hạn", ""]
    assert len(rows) == 8 and rows[7][6] == "Chờ công nhận"
    assert ("Tổng số 7 nhiệm vụ (trong đó 1 nhiệm vụ phát sinh, đột xuất): 3 vượt mức, 4 đúng hạn, 0 chậm, 0 không hoàn "
            "thành.") in text


def test_report_annex_labels_are_the_rulesets(render):
    """The template carries the labels of rulesets/qd366.yaml (nhan.ket_qua_nhiem_vu): each status prints its label."""
    data = _data("collective_report")
    labels = QD366.vocabulary("ket_qua_nhiem_vu")
    data["ket_qua_nhiem_vu"] = [{"noi_dung": f"Nhiệm vụ {code}", "ket_qua": code} for code in labels]
    path = render(data)
    rows = docx_tables(path)[-1][1:]
    assert [r[3] for r in rows] == list(labels.values())
    assert "Tổng số 5 nhiệm vụ: 1 vượt mức, 1 đúng hạn, 2 chậm, 1 không hoàn thành." in _lines(path)


def test_report_without_ledger_has_no_annex_page(render):
    data = _data("collective_report")
    del data["ket_qua_nhiem_vu"]
    text = _lines(render(data))
    assert "PHỤ LỤC" not in text
    assert text[-1] == "Lê Văn Thành"


def test_report_annex_lists_the_socio_economic_targets_given(render):
    data = _data("collective_report")
    data["chi_tieu_kinh_te_xa_hoi"] = {
        "thu_ngan_sach": {"dat": True, "ghi_chu": "Đạt 118% dự toán."},
        "giam_ho_ngheo": {"dat": False},
    }
    text = _lines(render(data))
    i = text.index("Kết quả thực hiện các chỉ tiêu kinh tế - xã hội cơ bản được cấp có thẩm quyền giao:")
    assert text[i + 1: i + 3] == ["- Thu ngân sách nhà nước: đạt (Đạt 118% dự toán);", "- Giảm tỉ lệ hộ nghèo: không đạt."]
    del data["ket_qua_nhiem_vu"]
    text = _lines(render(data))
    assert "PHỤ LỤC" in text and "Tổng số" not in " ".join(text[text.index("PHỤ LỤC"):])


@pytest.mark.parametrize(("change", "path", "fragment"), [
    (lambda d: d["tu_danh_gia"].pop("muc_de_xuat"), "$.tu_danh_gia.muc_de_xuat", "đề xuất một mức xếp loại"),
    (lambda d: d.update(co_goi_y=True), "$.kiem_diem.giai_trinh_goi_y", "gợi ý"),
    (lambda d: d.pop("don_vi"), "$.don_vi", "cơ quan ban hành"),
    (lambda d: d["ket_qua_nhiem_vu"][0].update(ket_qua="xong"), "$.ket_qua_nhiem_vu[0].ket_qua", "vuot_muc"),
    (lambda d: d.update(chi_tieu_kinh_te_xa_hoi={"thu_ngan_sach": {}}), "$.chi_tieu_kinh_te_xa_hoi.thu_ngan_sach.dat", "Thiếu"),
    (lambda d: d["kiem_diem"]["uu_diem"].update(kiem_tra_giam_sat=["Mục của Quy định 124."]),
     "$.kiem_diem.uu_diem.kiem_tra_giam_sat", "không có"),
])
def test_report_schema_rejects(change, path, fragment):
    data = _data("collective_report")
    change(data)
    errors = _errors(data)
    assert any(e.json_path == path and fragment in e.message_vi for e in errors), errors


def test_report_keeps_the_qd124_envelope_for_units():
    """The keys the unit loader and the facts read (tap_the, don_vi, so_van_ban, chu_ky, noi_nhan …) are those of qd124."""
    qd124 = registry.schema(next(e for e in registry.entries() if (e.ruleset, e.key) == ("qd124", "collective_report")))
    qd366 = registry.schema(next(e for e in registry.entries() if (e.ruleset, e.key) == ("qd366", "collective_report")))
    for key in ("bieu_mau", "ky_danh_gia", "bo_quy_tac", "don_vi", "so_van_ban", "dia_danh", "ngay_lap", "co_goi_y", "tap_the",
                "chu_ky", "noi_nhan"):
        assert qd366["properties"][key] == qd124["properties"][key], key
    for name, path in QD366.fields("collective_report").items():
        if isinstance(path, str):
            assert path.split(".")[0] in qd366["properties"], (name, path)


# -- Mẫu 03: re-grading decision -----------------------------------------------------------------------
def test_decision_header_title_and_grounds_from_the_ruleset(render):
    text = _lines(render(_data("regrade_decision")))
    assert text[1:5] == ["ĐẢNG BỘ TỈNH LÂM SƠN", "ĐẢNG ỦY XÃ TÂN LẬP", "*", "Số 71-QĐ/ĐU"]
    assert "Tân Lập, ngày 15 tháng 01 năm 2027" in text
    i = text.index("QUYẾT ĐỊNH")
    assert text[i + 1: i + 3] == ["về việc đánh giá, xếp loại lại chất lượng đảng viên năm 2026", "-----"]
    grounds = text[i + 4: i + 10]
    assert grounds == [
        "- Căn cứ Điều lệ Đảng;",
        f"- Căn cứ {QD366.regulation}; {QD366.guidance};",
        "- Căn cứ Quyết định số 57-QĐ/ĐU ngày 18/12/2026 của Ban Thường vụ Đảng ủy xã Tân Lập về kết quả xếp loại chất lượng "
        "đảng viên năm 2026;",
        "- Căn cứ Kết luận số 12-KL/UBKTĐU ngày 08/01/2027 của Ủy ban Kiểm tra Đảng ủy xã Tân Lập;",
        "- Xét đồng chí Trương Văn Bình đã được xếp loại chất lượng năm 2026 nhưng thiếu trung thực làm cho kết quả không "
        "chính xác: Ủy ban Kiểm tra Đảng ủy xã kết luận đồng chí đã kê khai 02 nhiệm vụ \"hoàn thành vượt mức yêu cầu\" trong "
        "Phụ lục kết quả thực hiện nhiệm vụ nhưng thực tế hoàn thành chậm so với thời hạn được giao;",
        "- Xét đề nghị của Ban Xây dựng Đảng Đảng ủy xã,",
    ]
    assert "Quy định số 366-QĐ/TW" in grounds[1] and "Hướng dẫn số 43-HD/BTCTW" in grounds[1]


def test_decision_articles_annul_regrade_and_execute(render):
    text = _lines(render(_data("regrade_decision")))
    i = text.index("BAN THƯỜNG VỤ ĐẢNG ỦY XÃ TÂN LẬP QUYẾT ĐỊNH")
    assert text[i + 1: i + 4] == [
        "Điều 1. Hủy bỏ kết quả xếp loại chất lượng năm 2026 đối với đồng chí Trương Văn Bình ở mức \"Hoàn thành xuất sắc "
        "nhiệm vụ\" tại Quyết định số 57-QĐ/ĐU ngày 18/12/2026 của Ban Thường vụ Đảng ủy xã Tân Lập.",
        "Điều 2. Đánh giá, xếp loại lại chất lượng năm 2026 đối với đồng chí Trương Văn Bình ở mức: Hoàn thành tốt nhiệm vụ.",
        "Điều 3. Quyết định có hiệu lực kể từ ngày ký. Các tổ chức, cá nhân có liên quan và đồng chí Trương Văn Bình chịu "
        "trách nhiệm thi hành Quyết định này.",
    ]
    j = text.index("Nơi nhận:")
    assert text[j + 5: j + 7] == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ"] and text[-1] == "Đặng Quốc Toàn"


def test_decision_on_an_organisation_with_reasons_in_paragraphs(render):
    data = _data("regrade_decision")
    del data["thanh_vien"]
    data.update(to_chuc="cb_thon_bac", ho_ten_doi_tuong="Chi bộ Thôn Bắc", can_cu_dieu_chinh="khong_bao_dam_quy_dinh",
                ly_do=["Chi bộ có 01 đảng viên bị kỷ luật khiển trách.", "Không bảo đảm điều kiện của mức đã xếp."],
                quyet_dinh_truoc={"so_ky_hieu": "60-QĐ/ĐU"}, dieu_thi_hanh=["Ban Xây dựng Đảng và Chi bộ Thôn Bắc thi hành."])
    data.pop("xet_de_nghi")
    data.pop("can_cu")
    text = _lines(render(data))
    assert "về việc đánh giá, xếp loại lại chất lượng tổ chức đảng năm 2026" in text
    assert ("- Xét Chi bộ Thôn Bắc đã được xếp loại chất lượng năm 2026 nhưng không bảo đảm quy định về mức xếp loại: Chi bộ "
            "có 01 đảng viên bị kỷ luật khiển trách. Không bảo đảm điều kiện của mức đã xếp,") in text
    assert any(t.startswith("Điều 1. Hủy bỏ kết quả xếp loại chất lượng năm 2026 đối với Chi bộ Thôn Bắc ở mức") and
               t.endswith("tại Quyết định số 60-QĐ/ĐU của Ban Thường vụ Đảng ủy xã Tân Lập.") for t in text)
    assert "Điều 3. Ban Xây dựng Đảng và Chi bộ Thôn Bắc thi hành." in text
    assert not any("đồng chí Chi bộ" in t for t in text)


@pytest.mark.parametrize(("change", "path", "fragment"), [
    (lambda d: d.update(to_chuc="cb"), "$.thanh_vien", "Chỉ ghi một trong hai"),
    (lambda d: d.pop("thanh_vien"), "$.thanh_vien", "Ghi một trong hai"),
    (lambda d: d.update(muc_moi="HTXSNV"), "$.muc_moi", "phải khác mức cũ"),
    (lambda d: d.pop("quyet_dinh_truoc"), "$.quyet_dinh_truoc", "Thiếu"),
    (lambda d: d.update(can_cu_dieu_chinh="khac"), "$.can_cu_dieu_chinh", "thieu_trung_thuc"),
    (lambda d: d.update(ly_do=[]), "$.ly_do", "không để trống"),
    (lambda d: d.update(quyet_dinh_cu={"van_ban": "Quyết định số 57-QĐ/ĐU"}), "$.quyet_dinh_cu", "không có"),
])
def test_decision_schema_rejects(change, path, fragment):
    data = _data("regrade_decision")
    change(data)
    errors = _errors(data)
    assert any(e.json_path == path and fragment in e.message_vi for e in errors), errors


def test_decision_keeps_the_fields_the_model_reads():
    form = _form(_data("regrade_decision"))
    assert field_of(form, "muc_cu").value == "HTXSNV" and field_of(form, "muc_moi").value == "HTTNV"
    assert field_of(form, "ly_do").value and field_of(form, "ky_hieu").value == "QĐ/ĐU"
    assert field_of(form, "ngay").value == "2027-01-15"


# -- Mẫu 04: dossier index ---------------------------------------------------------------------------------
def test_index_inherits_the_qd124_data_shape_under_the_hd43_title(render):
    entry = next(e for e in registry.entries() if (e.ruleset, e.key) == ("qd366", "dossier_index"))
    assert entry.schema == "qd124/dossier_index.schema.json" and entry.kind == "muc_luc_ho_so"
    assert entry.name == "Danh mục hồ sơ kiểm điểm, đánh giá, xếp loại" and entry.label == "Mẫu 04-HD KĐ.ĐG 2025"
    path = render(_data("dossier_index"))
    text = _lines(path)
    i = text.index("DANH MỤC HỒ SƠ")
    assert text[i + 1: i + 3] == ["KIỂM ĐIỂM, ĐÁNH GIÁ, XẾP LOẠI TẬP THỂ NĂM 2026",
                                  "(Hồ sơ tập thể: Chi bộ Thôn Đông — Chi bộ cơ sở)"]
    rows = docx_tables(path)[1]
    assert rows[0] == ["STT", "Tên tài liệu", "Số, ký hiệu", "Ngày, tháng, năm", "Số trang", "Tình trạng", "Ghi chú"]
    assert rows[1] == ["1", "Báo cáo kiểm điểm tập thể\n- Báo cáo kiểm điểm tập thể Chi ủy Chi bộ Thôn Đông năm 2026", "09-BC/CB",
                       "01/12/2026", "5", "Có", ""]
    assert [r[5] for r in rows[1:]] == ["Có", "Có", "Thiếu", "Không áp dụng"]
    signature = ["NGƯỜI LẬP HỒ SƠ", "(Ký, ghi rõ họ tên)", "Ngày 20 tháng 12 năm 2026", "Nguyễn Thị Lan"]
    assert [t for t in text[-7:] if t] == signature


def test_index_of_a_personal_dossier(render):
    data = _data("dossier_index")
    data.update(loai_ho_so="ca_nhan", doi_tuong={"ten": "Trần Văn Nam", "mo_ta": "Chi bộ Thôn Đông"})
    text = _lines(render(data))
    assert "KIỂM ĐIỂM, ĐÁNH GIÁ, XẾP LOẠI CÁ NHÂN NĂM 2026" in text
    assert "(Hồ sơ cá nhân: Trần Văn Nam — Chi bộ Thôn Đông)" in text
    data["loai_ho_so"] = "khen_thuong"
    text = _lines(render(data))
    assert "ĐỀ NGHỊ KHEN THƯỞNG NĂM 2026" in text and "(Hồ sơ khen thưởng: Trần Văn Nam — Chi bộ Thôn Đông)" in text


# -- Mẫu 06: summary for centrally managed cadres -------------------------------------------------------
def test_summary_title_table_and_signature(render):
    path = render(_data("central_summary"))
    text = _lines(path)
    assert text[1:5] == ["", "TỈNH ỦY LÂM SƠN", "*", "Số 45-BC/TU"]
    i = text.index("TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ VÀ ĐỀ XUẤT XẾP LOẠI NĂM 2026")
    assert text[i + 1] == "ĐỐI VỚI CÁN BỘ THUỘC DIỆN BỘ CHÍNH TRỊ, BAN BÍ THƯ QUẢN LÝ"
    rows = docx_tables(path)[1]
    assert rows[0] == [
        "STT", "Họ và tên", "Chức vụ, đơn vị công tác", "Cá nhân tự đề xuất mức xếp loại",
        "Cấp có thẩm quyền đề xuất mức xếp loại",
        "Tóm tắt căn cứ, cơ sở, lý do trong trường hợp đề xuất mức HTXS hoặc KHTNV hoặc các nội dung khác (nếu có)",
        "Đề xuất nội dung liên quan về công tác cán bộ (nếu có)",
    ]
    assert rows[2] == ["2", "Trần Thị Bích", "Phó Bí thư Tỉnh ủy, Chủ tịch Ủy ban nhân dân tỉnh", "Hoàn thành xuất sắc nhiệm vụ",
                       "Hoàn thành tốt nhiệm vụ", "Giải ngân vốn đầu tư công đạt 91% kế hoạch, chưa bảo đảm tiến độ.",
                       "Tiếp tục theo dõi tiến độ giải ngân vốn đầu tư công quý I/2027."]
    assert len(rows) == 3
    assert {"T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ THƯỜNG TRỰC", "Lê Minh Quang", "- Ban Tổ chức Trung ương,"} <= set(text)


def test_summary_of_a_quarter_for_another_managing_level(render):
    data = _data("central_summary")
    data.update(ky_danh_gia={"nam": 2026, "quy": 2}, dien_quan_ly="Ban Thường vụ Tỉnh ủy")
    text = _lines(render(data))
    assert "TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ VÀ ĐỀ XUẤT XẾP LOẠI QUÝ II, NĂM 2026" in text
    assert "ĐỐI VỚI CÁN BỘ THUỘC DIỆN BAN THƯỜNG VỤ TỈNH ỦY QUẢN LÝ" in text


def test_summary_requires_grounds_for_an_excellent_or_failing_proposal():
    data = _data("central_summary")
    del data["can_bo"][0]["can_cu"]
    errors = _errors(data)
    assert any(e.json_path == "$.can_bo[0].can_cu" and "tóm tắt căn cứ" in e.message_vi for e in errors), errors
    data["can_bo"][0].update(tu_de_xuat="HTTNV", cap_tham_quyen_de_xuat="HTTNV")
    assert _errors(data) == []


def test_summary_template_is_landscape_with_tables_as_wide_as_the_text():
    """The page is landscape in the template; every table is 100 % of the text width, so it fits the page whatever its
    orientation (render keeps a portrait A4 until generator/docx_format.apply_page_setup keeps a landscape section)."""
    doc = docx.Document(str(registry.template_path(next(e for e in registry.entries() if e.key == "central_summary"))))
    assert doc.sections[0].orientation == WD_ORIENT.LANDSCAPE
    for table in doc.tables:
        width = table._tbl.tblPr.find(qn("w:tblW"))
        assert (width.get(qn("w:type")), width.get(qn("w:w"))) == ("pct", "5000")
