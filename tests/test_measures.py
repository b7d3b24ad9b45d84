"""generator/rules/measures.py: named measures, the level-condition evaluator and the failure cases, over ruleset data."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import TESTS
from generator import ruleset
from generator.errors import ConfigError
from generator.rules import Context
from generator.rules.measures import (
    MEASURES, cases_holding, check_ruleset, failure_cases, fill, highest_level, holds, level_for, lowest,
)
from generator.settings import load_settings
from generator.unit import Member, Org

TEST_RULESETS = TESTS / "rulesets" / "mau_thu"
QD124 = ruleset.load("qd124")
LEVELS = QD124.levels
SCALE = QD124.scale
INDIVIDUAL = QD124.conditions("ca_nhan")
COLLECTIVE = QD124.conditions("tap_the")


def context(rs: ruleset.Ruleset = QD124, **settings) -> Context:
    return Context(rs, {**load_settings(rs), **settings}, None)


def form(entry: str, data: dict, rs: ruleset.Ruleset = QD124) -> SimpleNamespace:
    """A stand-in for a validated form: what the measures read (entry key, data, path, ruleset)."""
    return SimpleNamespace(path="ban_kiem_diem.yaml", data=data, entry=SimpleNamespace(key=entry), binding=SimpleNamespace(ruleset=rs))


def leader(task: list[str], other: list[str]) -> Member:
    """A leader's self-review (2 task-result criteria, 4 others in qd124's field map) with the given criterion words."""
    paths = QD124.fields("individual_leader")["tieu_chi"]
    data: dict = {}
    for dotted, word in [*zip(paths["nhiem_vu"], task), *zip(paths["khac"], other)]:
        node = data
        for key in dotted.split("."):
            node = node.setdefault(key, {})
        node["cap_do"] = word
    return Member(None, 0, {}, form("individual_leader", data), "thanh_vien")


def organisation(**raw) -> Org:
    return Org(None, 0, {"ma": "CB", "ten": "Chi bộ", **raw}, None, "to_chuc")


def values(task: list[str], other: list[str]) -> dict:
    return {"cap_do_thap_nhat": lowest(QD124, [*task, *other]), "cap_do_nhiem_vu_thap_nhat": lowest(QD124, task), "co_ky_luat": False}


# -- every ruleset's rows name what exists ----------------------------------------------------------------
@pytest.mark.parametrize("folder", [None, TEST_RULESETS], ids=["bundled", "tests-rulesets"])
def test_every_ruleset_names_only_known_measures_levels_and_scale_words(folder, monkeypatch):
    if folder is not None:
        monkeypatch.setenv("HOSO_DU_LIEU", str(folder))
    keys = [k for k in ruleset.known_keys() if ruleset.load(k).has_data]
    assert keys
    assert {key: check_ruleset(ruleset.load(key)) for key in keys} == {key: [] for key in keys}


def test_a_row_naming_an_unknown_measure_fails_loudly():
    data = ruleset.deep_merge(QD124.data, {"dieu_kien_muc": {"ca_nhan": {LEVELS[0]: [{"do": "ty_le_vuot", "toi_thieu": 0.3}]}}})
    broken = ruleset.Ruleset("thu", "thử", "", "", ("nam",), data)
    problems = check_ruleset(broken)
    assert problems and "ty_le_vuot" in problems[0]
    with pytest.raises(ConfigError, match="ty_le_vuot"):
        Context(broken, load_settings(QD124), None)


def test_check_ruleset_reports_bad_comparisons_scale_words_placeholders_and_names():
    data = ruleset.deep_merge(QD124.data, {
        "dieu_kien_muc": {"tap_the": {"XYZ": [{"do": "tong_diem", "toi_thieu": 1, "toi_da": 2}, {"do": "cap_do_thap_nhat", "bang": "Khá"}]}},
        "truong_hop_khong_dat": {"tap_the": [{"khi": [{"do": "mat_doan_ket", "bang": True}], "ly_do": "{khong_co}"}]},
        "quy_tac": {"COL-KHT-CASES": {"truong_hop": "khong_co"}},
    })
    problems = "\n".join(check_ruleset(ruleset.Ruleset("thu", "thử", "", "", ("nam",), data)))
    for fragment in ("không có mức 'XYZ'", "đúng một phép so sánh", "'Khá' không có trong thang", "phép đo 'khong_co'", "truong_hop_khong_dat.khong_co"):
        assert fragment in problems


def test_every_measure_says_in_vietnamese_what_it_measures():
    for name, func in MEASURES.items():
        assert func.__doc__ and func.__doc__.strip()[0].isupper(), name


# -- the evaluator over qd124's level conditions ----------------------------------------------------------
criterion = st.sampled_from(SCALE)


@given(st.lists(criterion, min_size=1, max_size=3), st.lists(criterion, max_size=8))
def test_the_bottom_of_the_scale_supports_only_the_bottom_level(task, other):
    level, _ = level_for(QD124, INDIVIDUAL, values(task, other))
    assert (level == QD124.bottom) == (SCALE[-1] in task + other)


@given(st.lists(criterion, min_size=1, max_size=3), st.lists(criterion, max_size=8), st.integers(0, 10), st.sampled_from(SCALE[:-1]))
def test_raising_one_criterion_never_lowers_the_supported_level(task, other, index, better):
    every = task + other
    i = index % len(every)
    if QD124.scale_rank(better) <= QD124.scale_rank(every[i]):
        return
    raised = list(every)
    raised[i] = better
    before, _ = level_for(QD124, INDIVIDUAL, values(task, other))
    after, _ = level_for(QD124, INDIVIDUAL, values(raised[: len(task)], raised[len(task):]))
    assert QD124.rank(after) >= QD124.rank(before)


@pytest.mark.parametrize(
    ("task", "other", "expected"),
    [
        (["Xuất sắc"], ["Tốt", "Tốt"], "HTXSNV"),
        (["Xuất sắc"], ["Tốt", "Trung bình"], "HTTNV"),
        (["Tốt"], ["Xuất sắc"], "HTTNV"),
        (["Trung bình"], ["Xuất sắc"], "HTNV"),
        (["Xuất sắc"], ["Kém"], "KHTNV"),
        (["Xuất sắc", "Tốt"], ["Xuất sắc"], "HTTNV"),
        ([], [], "HTXSNV"),  # no criteria: nothing stops any level
    ],
)
def test_supported_level_table_read_from_the_form(task, other, expected):
    assert highest_level(context(), leader(task, other), INDIVIDUAL)[0] == expected


def test_unknown_values_do_not_stop_a_level_but_never_make_a_case():
    assert level_for(QD124, INDIVIDUAL, {"cap_do_thap_nhat": None, "cap_do_nhiem_vu_thap_nhat": None}) == (LEVELS[0], None)
    assert cases_holding(QD124, [{"khi": [{"do": "ty_le_chi_tieu", "duoi": 0.5}], "ly_do": "x"}], {"ty_le_chi_tieu": None}) == []


def test_a_level_without_rows_holds_and_the_bottom_is_the_fallback():
    rows = {LEVELS[0]: [{"do": "tong_diem", "toi_thieu": 90}]}
    assert level_for(QD124, rows, {"tong_diem": 50}) == (LEVELS[1], rows[LEVELS[0]][0])
    every = {lvl: [{"do": "tong_diem", "toi_thieu": 90}] for lvl in LEVELS}
    assert level_for(QD124, every, {"tong_diem": 50})[0] == QD124.bottom


def test_only_the_given_levels_can_be_chosen():
    # PTS-THRESHOLD: a level the settings give no band is never reached by points.
    bands = {LEVELS[0]: [{"do": "tong_diem", "toi_thieu": 90}], LEVELS[2]: [{"do": "tong_diem", "toi_thieu": 50}]}
    assert level_for(QD124, bands, {"tong_diem": 75}, [LEVELS[0], LEVELS[2]])[0] == LEVELS[2]


@pytest.mark.parametrize(("key", "value", "holds"), [("toi_thieu", 90, True), ("toi_da", 90, True), ("tren", 90, False), ("duoi", 91, True), ("bang", 90.0, True)])
def test_comparisons_on_numbers(key, value, holds):
    assert bool(cases_holding(QD124, [{"khi": [{"do": "tong_diem", key: value}], "ly_do": "x"}], {"tong_diem": 90})) is holds


def test_words_compare_on_the_criterion_scale_not_alphabetically():
    # "Tốt" sorts after "Trung bình" as text, but ranks above it on the scale.
    assert cases_holding(QD124, [{"khi": [{"do": "cap_do_thap_nhat", "tren": SCALE[2]}], "ly_do": "x"}], {"cap_do_thap_nhat": SCALE[1]}) == ["x"]


# -- collectives: the discipline row and the failure cases ------------------------------------------------
def collective(task: list[str], other: list[str], **raw) -> Org:
    paths = QD124.fields("collective_report")["tieu_chi"]
    data: dict = {}
    for dotted, word in [*zip(paths["nhiem_vu"], task), *zip(paths["khac"], other)]:
        node = data
        for key in dotted.split("."):
            node = node.setdefault(key, {})
        node["cap_do"] = word
    return Org(None, 0, {"ma": "DU", "ten": "Đảng ủy", **raw}, form("collective_report", data), "to_chuc")


def test_discipline_lowers_a_collective_by_one_level_with_its_own_reason():
    o = collective(["Xuất sắc"] * 3, ["Tốt"] * 7, so_don_vi_truc_thuoc=10, so_don_vi_truc_thuoc_bi_ky_luat=1)
    level, lowered = highest_level(context(), o, COLLECTIVE)
    assert level == LEVELS[1] and lowered["ly_do"].startswith("vì có tổ chức trực thuộc")
    clean = collective(["Xuất sắc"] * 3, ["Tốt"] * 7)
    assert highest_level(context(), clean, COLLECTIVE) == (LEVELS[0], None)


def test_criteria_speak_before_discipline():
    o = collective(["Tốt"] * 3, ["Tốt"] * 7, lanh_dao_bi_ky_luat=True)
    level, lowered = highest_level(context(), o, COLLECTIVE)
    assert level == LEVELS[1] and "ly_do" not in lowered


def test_collective_failure_cases_fill_their_reasons_with_the_measures():
    cases = QD124.failure_cases("tap_the")
    o = organisation(ket_qua_nhiem_vu={"ty_le_chi_tieu": 0.45, "chi_tieu_chu_yeu_dat": False}, so_don_vi_truc_thuoc=10,
                     so_don_vi_truc_thuoc_bi_ky_luat=3, mat_doan_ket=True)
    assert failure_cases(context(), o, cases) == [
        "chỉ đạt 45% chỉ tiêu và không đạt các chỉ tiêu chủ yếu",
        "3/10 đơn vị trực thuộc bị kỷ luật",
        "có kết luận mất đoàn kết nội bộ",
    ]


@pytest.mark.parametrize("raw", [
    {"ket_qua_nhiem_vu": {"ty_le_chi_tieu": 0.45}},  # main targets met unless said otherwise
    {"ket_qua_nhiem_vu": {"ty_le_chi_tieu": 0.45, "chi_tieu_chu_yeu_dat": False, "bat_kha_khang": True}},
    {"so_don_vi_truc_thuoc": 10, "so_don_vi_truc_thuoc_bi_ky_luat": 2},  # 20 % is not above 20 %
    {"so_don_vi_truc_thuoc_bi_ky_luat": 2},  # no subordinates known: no share
    {},
])
def test_no_failure_case_without_its_facts(raw):
    assert failure_cases(context(), organisation(**raw), QD124.failure_cases("tap_the")) == []


def test_measures_of_an_organisation():
    ctx = context()
    o = organisation(so_don_vi_truc_thuoc=4, so_don_vi_truc_thuoc_bi_ky_luat=1)
    assert MEASURES["ty_le_don_vi_bi_ky_luat"](ctx, o) == 0.25
    assert MEASURES["co_ky_luat"](ctx, o) is True
    assert MEASURES["co_ky_luat"](ctx, organisation()) is False
    assert MEASURES["ty_le_don_vi_bi_ky_luat"](ctx, organisation(so_don_vi_truc_thuoc=0)) is None
    assert MEASURES["dat_chi_tieu_chu_yeu"](ctx, organisation()) is True
    assert MEASURES["cap_do_thap_nhat"](ctx, organisation()) is None
    assert MEASURES["tong_diem"](ctx, organisation()) is None


def test_criterion_measures_read_the_form_through_the_field_map():
    m = leader(["Xuất sắc", "Tốt"], ["Trung bình"])
    ctx = context()
    assert MEASURES["cap_do_thap_nhat"](ctx, m) == "Trung bình"
    assert MEASURES["cap_do_nhiem_vu_thap_nhat"](ctx, m) == "Tốt"


def test_total_points_measure_uses_the_settings_rubric():
    sheet = {"tieu_chi": [{"ma": "1", "diem": 60, "toi_da": 60}, {"ma": "2", "diem": 35, "toi_da": 40}], "cong": [{"diem": 2}], "tru": [{"diem": 1}]}
    o = organisation(cham_diem=sheet)
    assert MEASURES["tong_diem"](context(), o) == 96


# -- rows with their own rule or severity (qd366) ------------------------------------------------------------------
def test_a_row_with_its_own_severity_only_warns_and_never_lowers_the_level():
    rows = {LEVELS[0]: [{"do": "tong_diem", "toi_thieu": 90, "muc_do": "warning", "ly_do": "x"}]}
    assert level_for(QD124, rows, {"tong_diem": 50}) == (LEVELS[0], None)


def test_a_reason_is_filled_with_vietnamese_numbers_and_unknowns():
    assert fill("{tong_diem} điểm, {ty_le_chi_tieu:.0%}", {"tong_diem": 81.5, "ty_le_chi_tieu": 0.456}) == "81,5 điểm, 46%"
    assert fill("đạt {ty_le_chi_tieu:.0%}", {"ty_le_chi_tieu": None}) == "đạt ?"


def test_level_codes_are_compared_on_the_level_order_and_checked():
    assert holds(QD124, {"do": "x", "toi_thieu": LEVELS[1]}, LEVELS[0]) is True
    assert holds(QD124, {"do": "x", "toi_thieu": LEVELS[1]}, "Khá") is None
    data = ruleset.deep_merge(QD124.data, {"dieu_kien_muc": {"ca_nhan": {LEVELS[0]: [{"do": "tong_diem", "toi_thieu": 90, "quy_tac": "KHONG-CO", "muc_do": "loi"}]}}})
    problems = "\n".join(check_ruleset(ruleset.Ruleset("thu", "thử", "", "", ("nam",), data)))
    assert "quy tắc 'KHONG-CO' không có dòng" in problems and "muc_do: phải là một trong" in problems
