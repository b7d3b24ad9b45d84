"""The scoring sheet (biểu chấm điểm, tools/templates/cham_diem.py; spec §2.5): four demo sheets of the unit.

Rows, maxima and totals are computed by hoso (so_lieu.cham_diem_theo_ma) from the sheets in examples/demo/diem/
and the demo rubric examples/demo/dia_phuong.yaml. The unit is copied and, while don_vi.yaml does not link the
sheets yet, linked here exactly as the lead will (``bieu_diem:`` on each subject, ``dia_phuong:`` on the unit).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import DEMO, docx_tables, docx_text
from generator.cli import main
from generator.facts import unit_facts
from generator.source import load_unit

SHEETS = {"dang_bo_xa": "dang_bo_xa", "chi_bo_co_quan": "chi_bo_co_quan", "chi_bo_thon_dong": "chi_bo_thon_dong",
          "nguyen_van_hung": "nguyen_van_hung"}


def linked_copy(target: Path) -> Path:
    """A copy of the demo unit whose subjects link their scoring sheets (no-op once don_vi.yaml has the links)."""
    shutil.copytree(DEMO, target)
    manifest = target / "don_vi.yaml"
    text = manifest.read_text(encoding="utf-8")
    if "dia_phuong:" not in text:
        text = text.replace("ky_danh_gia: {nam: 2024}\n", "ky_danh_gia: {nam: 2024}\ndia_phuong: dia_phuong.yaml\n", 1)
    for ma, name in SHEETS.items():
        if f"diem/{name}.yaml" in text:
            continue
        if f"  - ma: {ma}\n" in text:
            text = text.replace(f"  - ma: {ma}\n", f"  - ma: {ma}\n    bieu_diem: diem/{name}.yaml\n", 1)
        else:
            text = text.replace(f"{{ma: {ma}, ", f"{{ma: {ma}, bieu_diem: diem/{name}.yaml, ", 1)
    manifest.write_text(text, encoding="utf-8")
    assert text.count("bieu_diem: diem/") == 4
    return target


def render(unit: Path, out: Path) -> Path:
    result = CliRunner().invoke(main, ["render", str(unit), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out / "diem"


@pytest.fixture(scope="module")
def unit(tmp_path_factory) -> Path:
    return linked_copy(tmp_path_factory.mktemp("cham_diem") / "demo")


@pytest.fixture(scope="module")
def rendered(unit, tmp_path_factory) -> Path:
    return render(unit, tmp_path_factory.mktemp("cham_diem_out"))


@pytest.fixture(scope="module")
def facts(unit) -> dict:
    findings, loaded = load_unit(unit)
    assert loaded is not None, findings
    return unit_facts(loaded)["cham_diem_theo_ma"]


def lines(folder: Path, name: str) -> list[str]:
    return docx_text(folder / f"{name}.docx").splitlines()


def tables(folder: Path, name: str) -> list[list[list[str]]]:
    return docx_tables(folder / f"{name}.docx")


def vn(x: float) -> str:
    return f"{x:g}".replace(".", ",")


HEAD = ["Tiêu chí", "Điểm tối đa", "Kết quả thực hiện", "Điểm tự chấm", "Điểm cộng", "Điểm trừ", "Điểm đạt", "Ghi chú"]
NUMBERS = [f"({i})" for i in range(1, 9)]


# -- the unit checks clean with the sheets and the demo rubric ------------------------------------
def test_linked_unit_checks_clean(unit, cli):
    result = cli("check", "--format", "json", unit)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    bad = [f for f in report["findings"] if f["severity"] in ("error", "warning") or f["rule_id"].startswith("PTS")]
    assert bad == []


def test_computed_totals(facts):
    want = {  # tự chấm, cộng, trừ, tổng, tối đa, mức đề xuất
        "chi_bo_co_quan": (86, 1, 2.5, 84.5, 100, "HTTNV"),
        "chi_bo_thon_dong": (94, 2, 0.5, 95.5, 100, "HTXSNV"),
        "dang_bo_xa": (86, 1, 2.5, 84.5, 100, "HTTNV"),
        "nguyen_van_hung": (84, 1, 1.5, 83.5, 100, "HTTNV"),
    }
    for ma, (own, plus, minus, total, top, level) in want.items():
        s = facts[ma]
        assert (s["tong_tu_cham"], s["tong_cong"], s["tong_tru"], s["tong"], s["tong_toi_da"], s["muc_de_xuat"]) == (
            own, plus, minus, total, top, level), ma


# -- chi bộ sheet -------------------------------------------------------------------------------
def test_chi_bo_header_title_and_subject(rendered):
    text = lines(rendered, "chi_bo_co_quan")
    assert text[:3] == ["ĐẢNG BỘ XÃ HÒA BÌNH", "CHI BỘ CƠ QUAN XÃ", "*"]
    assert "Hòa Bình, ngày 06 tháng 12 năm 2024" in text
    i = text.index("BIỂU CHẤM ĐIỂM")
    assert text[i + 1] == "đánh giá, xếp loại chất lượng Chi bộ Cơ quan xã năm 2024"
    assert "Tổ chức được chấm điểm: Chi bộ Cơ quan xã (chi bộ trực thuộc, Đảng bộ xã Hòa Bình)." in text
    opening = next(t for t in text if t.startswith("Căn cứ Quy định số 124-QĐ/TW"))
    assert opening.endswith("Chi bộ Cơ quan xã chấm điểm năm 2024 như sau:")
    for heading in ("I. CHẤM ĐIỂM THEO TIÊU CHÍ", "II. ĐIỂM CỘNG", "III. ĐIỂM TRỪ", "IV. TỔNG HỢP KẾT QUẢ"):
        assert heading in text


def test_chi_bo_score_table(rendered, facts):
    main_table = tables(rendered, "chi_bo_co_quan")[1]
    assert main_table[0] == HEAD
    assert main_table[1] == NUMBERS
    assert [r[:2] + r[3:] for r in main_table[2:]] == [
        ["1. Công tác xây dựng Đảng", "40", "33", "", "0,5", "32,5", ""],
        ["1.1. Giáo dục chính trị, tư tưởng; học tập, quán triệt nghị quyết; thực hiện Chỉ thị 05-CT/TW", "10", "9", "", "", "9", ""],
        ["1.2. Chấp hành nguyên tắc tập trung dân chủ, chế độ và chất lượng sinh hoạt chi bộ", "10", "8", "", "0,5", "7,5", "Trừ III.2"],
        ["1.3. Quản lý, phân công nhiệm vụ đảng viên; phát triển đảng viên; thu, nộp đảng phí", "10", "9", "", "", "9", ""],
        ["1.4. Kiểm tra, giám sát, kỷ luật đảng; giải quyết đơn thư liên quan đến đảng viên", "10", "7", "", "", "7", ""],
        ["2. Lãnh đạo thực hiện nhiệm vụ chính trị", "50", "44", "1", "2", "43", ""],
        ["2.1. Cụ thể hóa nghị quyết, kế hoạch của cấp trên thành nghị quyết, chương trình của chi bộ", "10", "9", "", "", "9", ""],
        ["2.2. Kết quả thực hiện các chỉ tiêu, nhiệm vụ được giao trong năm", "30", "26", "1", "2", "25", "Cộng II.1 Trừ III.1"],
        ["2.3. Lãnh đạo chính quyền (thôn, cơ quan), Mặt trận và các đoàn thể; xây dựng đoàn kết", "10", "9", "", "", "9", ""],
        ["3. Khắc phục hạn chế, khuyết điểm", "10", "9", "", "", "9", ""],
        ["3.1. Kết quả khắc phục hạn chế, khuyết điểm đã được chỉ ra", "10", "9", "", "", "9", ""],
        ["TỔNG CỘNG", "100", "86", "1", "2,5", "84,5", ""],
    ]
    # Column (3) is the sheet's evidence for the criterion.
    assert main_table[9][2] == (
        "2.846 hồ sơ thủ tục hành chính, 99,3% đúng hạn (19 hồ sơ trễ hạn); thu ngân sách đạt 124,8% dự toán; "
        "chỉ số cải cách hành chính thứ 4/16; số hóa sổ hộ tịch đạt 72% kế hoạch."
    )
    s = facts["chi_bo_co_quan"]
    assert main_table[-1][1:] == [vn(s["tong_toi_da"]), "", vn(s["tong_tu_cham"]), vn(s["tong_cong"]), vn(s["tong_tru"]), vn(s["tong"]), ""]


def test_chi_bo_bonus_and_deduction_tables(rendered):
    _, _, bonus, minus, _ = tables(rendered, "chi_bo_co_quan")
    assert bonus == [
        ["TT", "Nội dung (tiêu chí được cộng)", "Thành tích nổi bật, điển hình được cộng điểm", "Điểm cộng"],
        ["1", "2.2. Kết quả thực hiện các chỉ tiêu, nhiệm vụ được giao trong năm",
         "Chỉ số cải cách hành chính của xã xếp thứ 4/16 xã, thị trấn trong huyện; thu ngân sách trên địa bàn đạt "
         "124,8% dự toán huyện giao.", "1"],
    ]
    assert minus[0] == ["TT", "Tiêu chí bị trừ điểm", "Lý do trừ điểm", "Tập thể, cá nhân chịu trách nhiệm", "Điểm trừ"]
    assert minus[1] == [
        "1", "2.2. Kết quả thực hiện các chỉ tiêu, nhiệm vụ được giao trong năm",
        "Số hóa sổ hộ tịch chưa đạt kế hoạch năm do công chức Tư pháp - Hộ tịch nghỉ ốm dài ngày, chậm phân công "
        "người kiêm nhiệm (chỉ tiêu “Tỷ lệ sổ hộ tịch được số hóa (%)”: kế hoạch 100, thực hiện 72, thiếu 28% so với "
        "kế hoạch)",
        "Tập thể Chi ủy; đồng chí Phạm Thị Hồng Nhung, Bí thư Chi bộ", "2",
    ]
    assert minus[2] == [
        "2", "1.2. Chấp hành nguyên tắc tập trung dân chủ, chế độ và chất lượng sinh hoạt chi bộ",
        "02 kỳ sinh hoạt thường kỳ (tháng 5, tháng 9) phải lùi lịch do trùng công việc đột xuất.",
        "Đồng chí Phạm Thị Hồng Nhung, Bí thư Chi bộ", "0,5",
    ]


def test_chi_bo_summary_level_and_signature(rendered):
    text = lines(rendered, "chi_bo_co_quan")
    assert "Điểm tự chấm: 86 điểm; điểm cộng: 1 điểm; điểm trừ: 2,5 điểm." in text
    assert "Tổng số điểm: 84,5/100 điểm." in text
    assert "Đề xuất xếp loại chất lượng:" in text
    assert "\t☐\u00a0Hoàn thành xuất sắc nhiệm vụ\t☒\u00a0Hoàn thành tốt nhiệm vụ" in text
    assert "\t☐\u00a0Hoàn thành nhiệm vụ\t☐\u00a0Không hoàn thành nhiệm vụ" in text
    sign = tables(rendered, "chi_bo_co_quan")[-1]
    assert sign[0][1].split("\n") == ["T/M CHI BỘ", "BÍ THƯ", "", "", "", "Phạm Thị Hồng Nhung"]
    assert sign[0][0] == ""  # no separate preparer


def test_chi_bo_xuat_sac(rendered):
    text = lines(rendered, "chi_bo_thon_dong")
    assert "đánh giá, xếp loại chất lượng Chi bộ Thôn Đông năm 2024" in text
    assert "Tổng số điểm: 95,5/100 điểm." in text
    assert "\t☒\u00a0Hoàn thành xuất sắc nhiệm vụ\t☐\u00a0Hoàn thành tốt nhiệm vụ" in text
    main_table = tables(rendered, "chi_bo_thon_dong")[1]
    assert main_table[-1][:2] + main_table[-1][3:] == ["TỔNG CỘNG", "100", "94", "2", "0,5", "95,5", ""]


# -- đảng bộ sheet: target deductions 0,5 per started 5 % ---------------------------------------
def test_dang_bo_deductions_show_target_and_shortfall(rendered):
    text = lines(rendered, "dang_bo_xa")
    assert text[:3] == ["ĐẢNG BỘ HUYỆN TÂN PHÚ", "ĐẢNG ỦY XÃ HÒA BÌNH", "*"]
    assert "Tổ chức được chấm điểm: Đảng bộ xã Hòa Bình (đảng bộ cơ sở)." in text
    _, main_table, _, minus, sign = tables(rendered, "dang_bo_xa")
    group2 = next(r for r in main_table if r[0] == "2. Lãnh đạo thực hiện nhiệm vụ chính trị")
    assert group2[1:] == ["50", "", "41", "1", "2,5", "39,5", ""]
    assert [r[0] for r in minus[1:]] == ["1", "2", "3"]
    assert minus[1][2].endswith("(chỉ tiêu “Tỷ lệ rác thải sinh hoạt được thu gom, xử lý (%)”: kế hoạch 92, thực hiện 88, "
                                "thiếu 4,35% so với kế hoạch)")
    assert minus[1][4] == "0,5"
    assert minus[2][2].endswith("kế hoạch 75, thực hiện 68,4, thiếu 8,8% so với kế hoạch)")
    assert minus[2][4] == "1"
    assert minus[3][3] == "Ban Thường vụ Đảng ủy; đồng chí Nguyễn Văn Hùng, Bí thư Đảng ủy (trách nhiệm người đứng đầu)"
    assert "Tổng số điểm: 84,5/100 điểm." in text
    assert sign[0][0].split("\n") == ["NGƯỜI LẬP BIỂU", "PHÓ BÍ THƯ THƯỜNG TRỰC", "", "", "", "Trần Thị Mai", ""]
    assert sign[0][1].split("\n") == ["T/M ĐẢNG ỦY", "BÍ THƯ", "", "", "", "Nguyễn Văn Hùng"]


# -- individual sheet ----------------------------------------------------------------------------
def test_member_sheet(rendered):
    text = lines(rendered, "nguyen_van_hung")
    assert text[:3] == ["ĐẢNG BỘ XÃ HÒA BÌNH", "CHI BỘ CƠ QUAN XÃ", "*"]
    assert "Hòa Bình, ngày 02 tháng 12 năm 2024" in text
    i = text.index("BIỂU CHẤM ĐIỂM")
    assert text[i + 1] == "đánh giá, xếp loại chất lượng đảng viên Nguyễn Văn Hùng năm 2024"
    assert text[i + 3:i + 6] == ["Họ và tên: Nguyễn Văn Hùng", "Chức vụ: Bí thư Đảng ủy xã", "Chi bộ: Chi bộ Cơ quan xã"]
    assert next(t for t in text if t.startswith("Căn cứ")).endswith("đảng viên Nguyễn Văn Hùng tự chấm điểm năm 2024 như sau:")
    _, main_table, bonus, minus, sign = tables(rendered, "nguyen_van_hung")
    assert [r[0] for r in main_table[2:5]] == [
        "1. Phẩm chất chính trị, đạo đức, lối sống, ý thức tổ chức kỷ luật",
        "1.1. Tư tưởng chính trị; chấp hành chủ trương của Đảng, pháp luật của Nhà nước",
        "1.2. Đạo đức, lối sống; trách nhiệm nêu gương; mối liên hệ với nhân dân nơi cư trú",
    ]
    row = next(r for r in main_table if r[0].startswith("2.3."))
    assert row[1:2] + row[3:] == ["15", "12", "1", "1", "12", "Cộng II.1 Trừ III.2"]
    assert main_table[-1][:2] + main_table[-1][3:] == ["TỔNG CỘNG", "100", "84", "1", "1,5", "83,5", ""]
    assert minus[1][2].endswith("kế hoạch 92, thực hiện 88, thiếu 4,35% so với kế hoạch)")
    assert "Tổng số điểm: 83,5/100 điểm." in text
    assert "\t☐\u00a0Hoàn thành xuất sắc nhiệm vụ\t☒\u00a0Hoàn thành tốt nhiệm vụ" in text
    assert sign[0][1].split("\n") == ["NGƯỜI TỰ CHẤM ĐIỂM", "", "", "", "Nguyễn Văn Hùng"]


# -- a sheet without groups, bonuses or deductions ------------------------------------------------
def test_flat_sheet_without_bonus_or_deduction(unit, tmp_path):
    copy = tmp_path / "demo"
    shutil.copytree(unit, copy)
    path = copy / "diem" / "chi_bo_thon_dong.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in ("nhom", "cong", "tru", "bang_chung"):
        data.pop(key)
    data["tong"] = 94
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = render(copy, tmp_path / "out")
    text = lines(out, "chi_bo_thon_dong")
    assert "Không có nội dung được cộng điểm." in text
    assert "Không có nội dung bị trừ điểm." in text
    assert "Tổng số điểm: 94/100 điểm." in text
    main_table = tables(out, "chi_bo_thon_dong")[1]
    assert [r[0] for r in main_table[2:]] == [
        "1.1. Giáo dục chính trị, tư tưởng; học tập, quán triệt nghị quyết; thực hiện Chỉ thị 05-CT/TW",
        "1.2. Chấp hành nguyên tắc tập trung dân chủ, chế độ và chất lượng sinh hoạt chi bộ",
        "1.3. Quản lý, phân công nhiệm vụ đảng viên; phát triển đảng viên; thu, nộp đảng phí",
        "1.4. Kiểm tra, giám sát, kỷ luật đảng; giải quyết đơn thư liên quan đến đảng viên",
        "2.1. Cụ thể hóa nghị quyết, kế hoạch của cấp trên thành nghị quyết, chương trình của chi bộ",
        "2.2. Kết quả thực hiện các chỉ tiêu, nhiệm vụ được giao trong năm",
        "2.3. Lãnh đạo chính quyền (thôn, cơ quan), Mặt trận và các đoàn thể; xây dựng đoàn kết",
        "3.1. Kết quả khắc phục hạn chế, khuyết điểm đã được chỉ ra",
        "TỔNG CỘNG",
    ]
    assert main_table[-1][:2] + main_table[-1][3:] == ["TỔNG CỘNG", "100", "94", "", "", "94", ""]
    assert all(r[2] == "" for r in main_table[2:])  # no column (3) evidence given


# -- schema rules ---------------------------------------------------------------------------------
def _invalid(tmp_path: Path, change) -> Path:
    data = yaml.safe_load((DEMO / "diem" / "chi_bo_co_quan.yaml").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "bieu.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("name, change, json_path", [
    ("bieu_mau", lambda d: d.update(bieu_mau="bieu_cham"), "$.bieu_mau"),
    ("doi_tuong_dang", lambda d: d.update(doi_tuong="Chi bộ Cơ quan"), "$.doi_tuong"),
    ("doi_tuong_thieu", lambda d: d.pop("doi_tuong"), "$.doi_tuong"),
    ("tieu_chi_thieu", lambda d: d.pop("tieu_chi"), "$.tieu_chi"),
    ("tieu_chi_rong", lambda d: d.update(tieu_chi=[]), "$.tieu_chi"),
    ("tieu_chi_khoa_la", lambda d: d["tieu_chi"][0].update(bang_chung="x"), "$.tieu_chi[0].bang_chung"),
    ("chu_ky_thieu", lambda d: d.pop("chu_ky"), "$.chu_ky"),
    ("nhom_ma_co_cham", lambda d: d["nhom"][0].update(ma="1.1"), "$.nhom[0].ma"),
    ("bang_chung_rong", lambda d: d["bang_chung"].update({"1.1": ""}), "$.bang_chung['1.1']"),
    ("cong_am", lambda d: d["cong"][0].update(diem=-1), "$.cong[0].diem"),
    ("chi_tieu_ke_hoach_0", lambda d: d["tru"][0]["chi_tieu"].update(ke_hoach=0), "$.tru[0].chi_tieu.ke_hoach"),
    ("muc_sai", lambda d: d.update(muc_de_xuat="Tốt"), "$.muc_de_xuat"),
    ("khoa_la", lambda d: d.update(ghi_chu="x"), "$.ghi_chu"),
])
def test_schema_rule(cli, tmp_path, name, change, json_path):
    path = _invalid(tmp_path, change)
    result = cli("validate", "--format", "json", path)
    assert result.exit_code == 1, result.output
    paths = {f["json_path"] for f in json.loads(result.stdout)["findings"] if f["severity"] == "error"}
    assert json_path in paths, paths


def test_demo_sheets_valid(cli):
    result = cli("validate", *sorted((DEMO / "diem").glob("*.yaml")))
    assert result.exit_code == 0, result.output
