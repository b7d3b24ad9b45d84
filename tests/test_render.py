"""Stage 4 (generator/render.py): Party-format DOCX with exact text, layout, fonts and safe escaping.

Also the filters and the environment of generator/templating.py that rendering uses.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import docx
import jinja2
import pytest
from docx.shared import Pt

from conftest import TESTS, demo_forms, docx_text
from generator.render import document_meta
from generator.period import Period
from generator.templating import date_line, doc_number, document_title, make_env, period_text, short_date, tick
from generator.validate import check_file

MINIMAL = TESTS / "examples" / "valid" / "ca_nhan_toi_thieu.yaml"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Every demo form and the minimal form rendered to DOCX once (no PDF)."""
    from click.testing import CliRunner

    from generator.cli import main

    out = tmp_path_factory.mktemp("render")
    files = [*demo_forms(), MINIMAL]
    result = CliRunner().invoke(main, ["render", *map(str, files), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("form", [*demo_forms(), MINIMAL], ids=lambda p: p.stem)
def test_docx_text_matches_golden(form, rendered, golden):
    golden(f"{form.stem}.docx.txt", docx_text(rendered / f"{form.stem}.docx"))


def test_special_characters_and_line_breaks_come_out_intact(rendered):
    text = docx_text(rendered / "ca_nhan_toi_thieu.docx")
    assert 'Giữ vững <lập trường> & "bản lĩnh" chính trị.' in text
    assert "CHI BỘ THÔN A & B" in text
    body = zipfile.ZipFile(rendered / "ca_nhan_toi_thieu.docx").read("word/document.xml").decode()
    assert "Dòng thứ nhất</w:t><w:br/><w:t xml:space=\"preserve\">Dòng thứ hai" in body


def test_party_header_layout(rendered):
    doc = docx.Document(str(rendered / "dang_uy_xa.docx"))
    left, right = doc.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs] == ["ĐẢNG BỘ HUYỆN TÂN PHÚ", "ĐẢNG ỦY XÃ HÒA BÌNH", "*", "Số 45-BC/ĐU"]
    assert [p.text for p in right.paragraphs] == ["ĐẢNG CỘNG SẢN VIỆT NAM", "", "Hòa Bình, ngày 10 tháng 12 năm 2024"]
    tieu_de = right.paragraphs[0].runs[0]
    assert (tieu_de.bold, tieu_de.underline, tieu_de.font.size) == (True, True, Pt(15))
    assert left.paragraphs[1].runs[0].bold is True
    assert left.paragraphs[0].runs[0].bold is not True
    assert right.paragraphs[2].runs[0].italic is True
    assert left.width < right.width


def test_self_review_has_no_number_and_a_form_label(rendered):
    doc = docx.Document(str(rendered / "dinh_thi_hoa.docx"))
    assert doc.paragraphs[0].text == "Mẫu 02A-HD KĐ.ĐG 2023"
    assert doc.paragraphs[0].runs[0].font.size == Pt(12)
    left = doc.tables[0].rows[0].cells[0]
    assert [p.text for p in left.paragraphs] == ["ĐẢNG BỘ XÃ HÒA BÌNH", "CHI BỘ THÔN ĐÔNG", "*"]
    leader = docx.Document(str(rendered / "hoang_van_thang.docx"))
    assert leader.paragraphs[0].text == "Mẫu 02B-HD KĐ.ĐG 2023"
    assert "(Cá nhân giữ chức vụ lãnh đạo, quản lý)" in docx_text(rendered / "hoang_van_thang.docx")


def test_times_new_roman_14_a4_and_default_margins(rendered):
    doc = docx.Document(str(rendered / "dang_uy_xa.docx"))
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(14)
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)] == [20, 20, 30, 15]
    title = next(p for p in doc.paragraphs if p.text == "BÁO CÁO")
    assert title.runs[0].font.size == Pt(16) and title.runs[0].bold


def test_page_numbers_start_on_page_two(rendered):
    doc = docx.Document(str(rendered / "dang_uy_xa.docx"))
    section = doc.sections[0]
    assert section.different_first_page_header_footer is True
    assert "PAGE" in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml
    assert round(section.header_distance.mm) == 10


def test_level_boxes_tick_exactly_the_chosen_level(rendered):
    """Each box is tied to its label by a non-breaking space, so that a line never breaks between them."""
    text = docx_text(rendered / "chi_bo_thon_dong.docx")
    assert "\t☒\u00a0Hoàn thành xuất sắc nhiệm vụ\t☐\u00a0Hoàn thành tốt nhiệm vụ" in text
    staff = docx_text(rendered / "ca_nhan_toi_thieu.docx")
    assert "Tự đánh giá về cấp độ thực hiện:  ☐\u00a0Xuất sắc  ☒\u00a0Tốt  ☐\u00a0Trung bình  ☐\u00a0Kém" in staff


def test_a_form_with_no_place_prints_a_blank_to_fill_by_hand(rendered):
    assert "……, ngày 05 tháng 02 năm 2024" in docx_text(rendered / "ca_nhan_toi_thieu.docx")


def test_dotted_lines_are_dot_leader_tabs(rendered):
    """Lines to write on end at a dot-leader tab stop inside the text width: they never spill onto the next line."""
    from docx.enum.text import WD_TAB_LEADER

    doc = docx.Document(str(rendered / "ca_nhan_toi_thieu.docx"))
    dotted = [p for p in doc.paragraphs if p.text == "\t"]
    assert len(dotted) == 3
    for p in dotted:
        (stop,) = p.paragraph_format.tab_stops
        assert stop.leader == WD_TAB_LEADER.DOTS and round(stop.position.mm) <= 160


def test_margins_come_from_the_locality_file(tmp_path, cli):
    locality = tmp_path / "tinh.yaml"
    locality.write_text("the_thuc: {le_tren: 25, le_duoi: 25, le_trai: 35, le_phai: 15, dia_danh: 'Định Hóa'}\n", encoding="utf-8")
    result = cli("render", MINIMAL, "-o", tmp_path, "--locality", locality)
    assert result.exit_code == 0, result.output
    doc = docx.Document(str(tmp_path / "ca_nhan_toi_thieu.docx"))
    s = doc.sections[0]
    assert [round(m.mm) for m in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == [25, 25, 35, 15]
    assert "Định Hóa, ngày 05 tháng 02 năm 2024" in docx_text(tmp_path / "ca_nhan_toi_thieu.docx")


def test_document_properties_name_subject_period_and_ruleset(rendered):
    props = docx.Document(str(rendered / "dinh_thi_hoa.docx")).core_properties
    assert props.title == "Bản kiểm điểm cá nhân năm 2024 — Đinh Thị Hoa"
    assert props.subject == "Đinh Thị Hoa — năm 2024 — qd124"


def test_same_input_gives_same_bytes(tmp_path, cli):
    for name in ("a", "b"):
        assert cli("render", MINIMAL, "-o", tmp_path / name).exit_code == 0
    assert (tmp_path / "a" / "ca_nhan_toi_thieu.docx").read_bytes() == (tmp_path / "b" / "ca_nhan_toi_thieu.docx").read_bytes()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-02-05", "ngày 05 tháng 02 năm 2026"),
        ("2025-12-05", "ngày 05 tháng 12 năm 2025"),
        ("2018-03-08", "ngày 08 tháng 3 năm 2018"),
        ("2024-01-31", "ngày 31 tháng 01 năm 2024"),
        (None, "ngày … tháng … năm …"),
    ],
)
def test_date_line_pads_days_and_january_february(value, expected):
    assert date_line(value) == expected


def test_date_line_can_pad_every_month():
    assert date_line("2018-03-08", pad_all_months=True) == "ngày 08 tháng 03 năm 2018"


@pytest.mark.parametrize(
    ("value", "expected"),
    [({"so": 45, "ky_hieu": "BC/ĐU"}, "Số 45-BC/ĐU"), ({"so": 5, "ky_hieu": "BC/CB"}, "Số 05-BC/CB"), ({"ky_hieu": "BC/CB"}, "Số …-BC/CB"), (None, "Số …")],
)
def test_document_number_has_no_colon(value, expected):
    assert doc_number(value) == expected


def test_tick_and_short_date():
    assert (tick("Tốt", "Tốt"), tick("Tốt", "Kém"), tick("Tốt", "Tốt", "x"), tick("Tốt", "Kém", "x")) == ("☒", "☐", "x", "")
    assert short_date("1972-03-04") == "04/03/1972"


def test_level_name_filter_prints_the_names_it_is_given():
    env = make_env(level_names={"A1": "Mức một"})
    assert env.from_string("{{ m|ten_muc }}|{{ n|ten_muc }}|{{ none|ten_muc }}").render(m="A1", n="B2", none=None) == "Mức một||"


QUARTER, YEAR = {"nam": 2026, "quy": 3}, {"nam": 2026}


@pytest.mark.parametrize(
    ("value", "options", "expected"),
    [
        (YEAR, {}, "năm 2026"),
        (QUARTER, {}, "quý III năm 2026"),
        ({"nam": 2026, "quy": None}, {}, "năm 2026"),  # a form's data after defaults: quy present and empty
        (YEAR, {"viet_hoa": True}, "Năm 2026"),
        (QUARTER, {"viet_hoa": True}, "Quý III năm 2026"),
        (QUARTER, {"viet_hoa": True, "dau_phay": True}, "Quý III, Năm 2026"),
        (YEAR, {"viet_hoa": True, "dau_phay": True}, "Năm 2026"),
        (QUARTER, {"dau_phay": True}, "quý III, năm 2026"),
        ({"nam": 2027, "quy": 1}, {}, "quý I năm 2027"),
        ({"nam": 2026, "quy": 4}, {"viet_hoa": True}, "Quý IV năm 2026"),
        (Period(2026, 2), {}, "quý II năm 2026"),
        ("2026-Q3", {"viet_hoa": True}, "Quý III năm 2026"),
        ("2024", {}, "năm 2024"),
        (None, {}, ""),
    ],
)
def test_period_filter_prints_the_period_as_documents_do(value, options, expected):
    assert period_text(value, **options) == expected


def test_period_filter_in_templates_positional_and_keyword():
    source = "{{ k|ky }}|{{ k|ky(True) }}|{{ k|ky(viet_hoa=True, dau_phay=True) }}|{{ k|ky|upper }}"
    assert make_env().from_string(source).render(k=QUARTER) == "quý III năm 2026|Quý III năm 2026|Quý III, Năm 2026|QUÝ III NĂM 2026"
    assert make_env().from_string(source).render(k=YEAR) == "năm 2026|Năm 2026|Năm 2026|NĂM 2026"


def test_period_filter_rejects_a_text_that_is_not_a_period():
    with pytest.raises(ValueError, match="Kỳ đánh giá"):
        period_text("quý ba")


@pytest.mark.parametrize("options", [{}, {"pad_all_months": True}, {"level_names": {"A1": "Mức một"}}])
def test_period_filter_works_in_every_cached_configuration(options):
    """The filter is the same in every configuration, so a template folded at compile time serves them all alike."""
    source = "{{ {'nam': 2026, 'quy': 3}|ky(True) }} / {{ k|ky }}"
    for _ in range(2):  # compiled, then from the cache
        assert make_env(**options).from_string(source).render(k=YEAR) == "Quý III năm 2026 / năm 2026"


def test_document_titles_may_print_the_period():
    from types import SimpleNamespace

    form = SimpleNamespace(entry=SimpleNamespace(title="Bản tự đánh giá {{ ky_danh_gia|ky }} — {{ ho_ten }}"),
                           data={"ky_danh_gia": QUARTER, "ho_ten": "A"})
    assert document_title(form) == "Bản tự đánh giá quý III năm 2026 — A"


@pytest.mark.parametrize(
    ("options", "expected"),
    [({"level_names": {"A1": "Mức một"}}, "Mức một ngày 08 tháng 3 năm 2018"),
     ({"level_names": {"A1": "Mức khác"}}, "Mức khác ngày 08 tháng 3 năm 2018"),
     ({"level_names": {"A1": "Mức một"}, "pad_all_months": True}, "Mức một ngày 08 tháng 03 năm 2018")],
)
def test_compiled_templates_are_cached_per_configuration(options, expected):
    """Jinja folds a filter of a constant at compile time: a template compiled for one ruleset's names must not serve another."""
    source = "{{ 'A1'|ten_muc }} {{ '2018-03-08'|ngay_thang }}"
    assert make_env(**options).from_string(source).render() == expected


def test_a_syntax_error_is_raised_every_time_not_cached():
    for _ in range(2):
        with pytest.raises(jinja2.TemplateSyntaxError):
            make_env().from_string("{{ a }")


def test_document_day_defaults_to_the_end_of_the_period(tmp_path):
    undated = tmp_path / "khong_ngay.yaml"
    undated.write_text(MINIMAL.read_text(encoding="utf-8").replace("ngay_lap: 2024-02-05\n", ""), encoding="utf-8")
    findings, form = check_file(undated)
    assert form is not None and "ngay_lap" not in form.data, findings
    meta = document_meta(form)
    assert meta.day == dt.date(2024, 12, 31)
    assert (meta.subject, meta.keywords) == ("Nguyễn Thị Thử — năm 2024 — qd124", "individual_staff; qd124; năm 2024")


def _overlay_with(tmp_path: Path, old: str, new: str) -> Path:
    overlay = tmp_path / "mau_dia_phuong"
    (overlay / "qd124").mkdir(parents=True)
    doc = docx.Document(str(Path(__file__).parents[1] / "templates_docx" / "qd124" / "individual_staff.docx"))
    for p in doc.paragraphs:
        for run in p.runs:
            if old in run.text:
                run.text = run.text.replace(old, new)
    doc.save(str(overlay / "qd124" / "individual_staff.docx"))
    return overlay


def test_overlay_template_replaces_the_builtin_one(tmp_path, cli):
    overlay = _overlay_with(tmp_path, "BẢN KIỂM ĐIỂM CÁ NHÂN", "BẢN TỰ KIỂM ĐIỂM CỦA ĐẢNG VIÊN")
    result = cli("render", MINIMAL, "-o", tmp_path / "out", "--templates", overlay)
    assert result.exit_code == 0, result.output
    assert "BẢN TỰ KIỂM ĐIỂM CỦA ĐẢNG VIÊN" in docx_text(tmp_path / "out" / "ca_nhan_toi_thieu.docx")


def test_template_with_unknown_variable_fails_naming_template_and_variable(tmp_path, cli):
    overlay = _overlay_with(tmp_path, "ca_nhan.ho_ten", "ca_nhan.ho_va_ten")
    result = cli("render", MINIMAL, "-o", tmp_path / "out", "--templates", overlay)
    assert result.exit_code == 1
    # The overlay is linted before rendering: the finding names the template and the unknown path.
    assert "individual_staff.docx: $.ca_nhan.ho_va_ten: [SCHEMA]" in result.stdout
    assert "Traceback" not in result.output
    assert not any((tmp_path / "out").glob("*.docx"))


def test_template_with_syntax_error_names_the_nearby_text(tmp_path, cli):
    overlay = _overlay_with(tmp_path, "{{ ca_nhan.ho_ten }}", "{{ ca_nhan.ho_ten }")
    result = cli("render", MINIMAL, "-o", tmp_path / "out", "--templates", overlay)
    assert result.exit_code == 1
    assert "Sai cú pháp Jinja" in result.stdout and "gần «" in result.stdout
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_missing_libreoffice_still_writes_docx_and_says_how_to_install(tmp_path, cli, monkeypatch):
    monkeypatch.setenv("HOSO_SOFFICE", str(tmp_path / "khong_co_soffice"))
    result = cli("render", MINIMAL, "-o", tmp_path / "out", "--pdf")
    assert result.exit_code == 1
    assert (tmp_path / "out" / "ca_nhan_toi_thieu.docx").exists()
    assert "apt-get install" in result.stderr and "libreoffice-writer-nogui" in result.stderr
