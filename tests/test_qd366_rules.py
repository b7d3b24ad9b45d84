"""Quy định 366-QĐ/TW as data (rulesets/qd366.yaml) through the one classifier (generator/rules/classify.py): the
score band AND the Điều 11 conditions counted from the task ledger, the failure cases with their mitigations, the quota
with a recorded decision, the criteria sets of a locality; quarters (generator/rules/quarters.py): a quarter's deadline,
the roll-up switches from quarters to the year, the state-side decree of each period."""

from __future__ import annotations

import datetime as dt
import json
import math
from types import SimpleNamespace

import pytest
from hypothesis import given, settings as hypothesis_settings
from hypothesis import strategies as st

from conftest import TESTS
from generator import ruleset
from generator.period import Period
from generator.rules import Context, run_rules
from generator.rules.classify import classify, table_of
from generator.rules.individual import state_decree
from generator.rules.process import quarter_deadline
from generator.rules.quarters import QuarterResult, bottom_runs, expected_quarters, recorded_quarters, rounded
from generator.rules.measures import MEASURES, check_ruleset, holds
from generator.rules.unit_rules import NEEDS_DECISION, OVER, WITHIN, judge_quota
from generator.settings import check_settings, load_settings, rubric_problems
from generator.unit import Member, Org

QD366 = ruleset.load("qd366")
QD124 = ruleset.load("qd124")
TOP, SECOND, THIRD, BOTTOM = QD366.levels
SETTINGS = load_settings(QD366)
RESULTS = ("vuot_muc", "dung_han", "hoan_thanh_cham", "dang_thuc_hien_cham", "khong_hoan_thanh")
LATE = ("hoan_thanh_cham", "dang_thuc_hien_cham")
ENTRIES = {"lanh_dao": "individual_leader", "khong_lanh_dao": "individual_staff", "ngoai_he_thong": "individual_outside"}


def context(**settings) -> Context:
    return Context(QD366, {**SETTINGS, **settings}, None)


def form(entry: str, data: dict) -> SimpleNamespace:
    """A stand-in for a validated qd366 form: what the classifier reads (entry key, data, path, ruleset)."""
    return SimpleNamespace(path="ban_kiem_diem.yaml", data=data, entry=SimpleNamespace(key=entry), binding=SimpleNamespace(ruleset=QD366))


def tasks(results) -> list[dict]:
    return [{"noi_dung": f"Nhiệm vụ {i + 1}", "ket_qua": r, "san_pham": "Sản phẩm"} for i, r in enumerate(results)]


def person(score: float, results, role: str = "khong_lanh_dao", level: str | None = None, led=None, remedied=None, **more) -> Member:
    data = {"ky_danh_gia": {"nam": 2026}, "vai_tro": role, "tu_danh_gia": {"diem": {"tong": score}, **({"muc_de_xuat": level} if level else {})},
            "ket_qua_nhiem_vu": tasks(results), **more}
    if led is not None:
        data["don_vi_lanh_dao"] = [{"ten": f"Đơn vị {i + 1}", "nhiem_vu": tasks(r)} for i, r in enumerate(led)]
    if remedied is not None:
        data["khac_phuc_truoc"] = [{"noi_dung": "Hạn chế", "tinh_trang": s} for s in remedied]
    return Member(None, 0, {}, form(ENTRIES[role], data), "thanh_vien")


def collective(score: float, results, level: str | None = None, **raw) -> Org:
    data = {"ky_danh_gia": {"nam": 2026}, "tu_danh_gia": {"diem": {"tong": score}, **({"muc_de_xuat": level} if level else {})},
            "ket_qua_nhiem_vu": tasks(results)}
    return Org(None, 0, {"ma": "cb", "ten": "Chi bộ", **raw}, form("collective_report", data), "to_chuc")


def found(members=(), orgs=(), *rule_ids: str) -> list[tuple[str, str]]:
    """(rule id, severity) of the findings of the given rules (all rules when none is named) for subjects checked without a unit."""
    return [(f.rule_id, f.severity) for f in run_rules(context(), members, orgs) if not rule_ids or f.rule_id in rule_ids]


def supported(subject) -> str:
    """The level the data supports: the bottom when a failure case holds, else the highest level whose conditions hold."""
    v = classify(context(), subject)
    return BOTTOM if v.cases else v.supported


def band(score: float) -> str:
    return next((lvl for lvl in QD366.levels if lvl in SETTINGS["diem"]["khung"] and score >= SETTINGS["diem"]["khung"][lvl]), BOTTOM)


# -- the data ------------------------------------------------------------------------------------------------
def test_the_qd366_rows_name_only_what_exists():
    assert check_ruleset(QD366) == []


def test_a_row_naming_a_rule_without_a_row_fails_loudly():
    data = ruleset.deep_merge(QD366.data, {"dieu_kien_muc": {"ca_nhan": {TOP: [{"do": "ty_le_vuot_muc", "toi_thieu": 0.3, "quy_tac": "Q366-KHONG-CO"}]}}})
    problems = check_ruleset(ruleset.Ruleset("thu", "thử", "", "", ("nam",), data))
    assert any("Q366-KHONG-CO" in p for p in problems)


def test_each_role_names_its_branch_of_article_11():
    assert {name: role["nhanh"] for name, role in QD366.roles.items()} == {"lanh_dao": "lanh_dao", "khong_lanh_dao": "ca_nhan", "ngoai_he_thong": "ca_nhan"}
    assert table_of(context(), person(80, ["dung_han"], role="lanh_dao")) == "lanh_dao"
    assert table_of(context(), collective(80, ["dung_han"])) == "tap_the"


def test_level_codes_compare_on_the_level_order():
    assert holds(QD366, {"do": "khung_diem", "toi_thieu": SECOND}, TOP) is True
    assert holds(QD366, {"do": "khung_diem", "toi_thieu": SECOND}, THIRD) is False
    assert holds(QD366, {"do": "khung_diem", "bang": BOTTOM}, BOTTOM) is True


# -- measures ---------------------------------------------------------------------------------------------------
def test_the_ledger_measures_count_results_by_the_settings_groups():
    m = person(85, ["vuot_muc", "dung_han", "hoan_thanh_cham", "dang_thuc_hien_cham", "khong_hoan_thanh"])
    ctx = context()
    shares = {name: MEASURES[name](ctx, m) for name in ("ty_le_hoan_thanh", "ty_le_dung_han", "ty_le_vuot_muc", "ty_le_cham", "ty_le_khong_hoan_thanh")}
    assert shares == {"ty_le_hoan_thanh": 0.6, "ty_le_dung_han": 0.4, "ty_le_vuot_muc": 0.2, "ty_le_cham": 0.4, "ty_le_khong_hoan_thanh": 0.2}
    assert MEASURES["tong_nhiem_vu"](ctx, m) == 5


def test_tasks_arising_in_the_year_count_unless_the_settings_leave_them_out():
    m = person(85, ["dung_han"], ket_qua_nhiem_vu=[{"noi_dung": "a", "ket_qua": "dung_han"}, {"noi_dung": "b", "ket_qua": "khong_hoan_thanh", "phat_sinh": True}])
    assert MEASURES["ty_le_hoan_thanh"](context(), m) == 0.5
    without = {**SETTINGS["so_nhiem_vu"], "tinh_phat_sinh": False}
    assert MEASURES["ty_le_hoan_thanh"](context(so_nhiem_vu=without), person(85, [], ket_qua_nhiem_vu=m.form.data["ket_qua_nhiem_vu"])) == 1.0


def test_no_ledger_and_no_earlier_shortcoming_are_unknown_not_failures():
    m = person(85, [])
    ctx = context()
    assert MEASURES["ty_le_dung_han"](ctx, m) is None
    assert MEASURES["ty_le_khac_phuc"](ctx, m) is None
    assert MEASURES["ty_le_khac_phuc"](ctx, person(85, [], remedied=["da_khac_phuc", "dang_khac_phuc"])) == 0.5


def test_the_appraised_score_wins_over_the_self_score():
    m = person(92, ["dung_han"], danh_gia_chi_uy={"diem": {"tong": 86}, "muc": SECOND})
    assert MEASURES["diem"](context(), m) == 86
    assert MEASURES["khung_diem"](context(), m) == SECOND
    assert MEASURES["khung_diem"](context(), person(49.5, [])) == BOTTOM


def test_a_leaders_measures_pool_the_led_units_ledgers():
    m = person(92, ["vuot_muc"], role="lanh_dao", led=[["vuot_muc", "dung_han"], ["dung_han", "hoan_thanh_cham"]],
               phieu_tin_nhiem={"tong_so": 20, "tin_nhiem_thap": 11})
    ctx = context()
    assert MEASURES["ty_le_vuot_muc_don_vi"](ctx, m) == 0.25
    assert MEASURES["ty_le_hoan_thanh_don_vi"](ctx, m) == 1.0
    assert MEASURES["ty_le_cham_don_vi"](ctx, m) == 0.25
    assert MEASURES["ty_le_tin_nhiem_thap"](ctx, m) == 0.55
    assert MEASURES["so_don_vi_lanh_dao"](ctx, m) == 2


def test_led_units_levels_and_targets():
    m = person(80, [], role="lanh_dao", led=[[], []])
    m.form.data["don_vi_lanh_dao"][0]["muc"] = BOTTOM
    assert MEASURES["ty_le_don_vi_khtnv"](context(), m) == 0.5
    assert MEASURES["ty_le_don_vi_khtnv"](context(), person(80, [], role="lanh_dao", led=[[]])) is None


# -- the classification ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("score", "results", "expected"),
    [
        (95, ["vuot_muc", "vuot_muc", "dung_han", "dung_han", "dung_han"], TOP),
        (95, ["vuot_muc", "dung_han", "dung_han", "dung_han", "dung_han"], SECOND),  # 20 % exceeded: below the band (d.6 step 4)
        (85, ["vuot_muc", "vuot_muc", "dung_han"], SECOND),                           # the band caps the conditions
        (85, ["dung_han", "dung_han", "dung_han", "dung_han", "hoan_thanh_cham"], THIRD),
        (60, ["dung_han", "dung_han", "dung_han", "dung_han", "hoan_thanh_cham"], THIRD),
        (49, ["vuot_muc", "vuot_muc"], BOTTOM),                                        # < 50 (Q366-KHT-SCORE)
        (80, ["dung_han", "khong_hoan_thanh", "khong_hoan_thanh", "khong_hoan_thanh"], BOTTOM),  # > 50 % not done (4.3b)
    ],
)
def test_an_individual_is_classified_by_band_and_ledger(score, results, expected):
    assert supported(person(score, results)) == expected


def test_a_gap_is_not_the_bottom_level():
    v = classify(context(), person(85, ["dung_han", "dung_han", "dung_han", "hoan_thanh_cham"], level=THIRD))  # 25 % late
    assert v.supported == BOTTOM and not v.cases and v.gap


def test_remedy_and_discipline_conditions_of_a_collective():
    assert supported(collective(95, ["vuot_muc", "vuot_muc", "dung_han"])) == TOP
    assert supported(collective(95, ["vuot_muc", "vuot_muc", "dung_han"], lanh_dao_bi_ky_luat=True)) == SECOND
    assert supported(collective(95, ["vuot_muc", "dung_han", "dung_han"], sai_pham_cong_tac_can_bo=True)) == BOTTOM


def test_a_leader_is_classified_on_the_led_units_and_warned_on_the_own_ledger():
    m = person(93, ["hoan_thanh_cham"], role="lanh_dao", level=TOP, led=[["vuot_muc", "dung_han", "dung_han"]])
    v = classify(context(), m)
    assert v.supported == TOP
    warned = [row for row in v.failed if row.get("muc_do")]
    assert warned and all(row["quy_tac"] == "IND-LEVEL-CRITERIA" for row in warned)
    assert found([m], [], "IND-LEVEL-CRITERIA", "Q366-HTXS-TASKS") == [("IND-LEVEL-CRITERIA", "warning")]


def test_without_a_unit_a_band_row_is_reported_by_the_level_rule():
    # PTS-THRESHOLD reads the unit; a form checked alone still gets the band through its level rule.
    reported = [f for f in run_rules(context(), [person(75, ["vuot_muc", "vuot_muc", "dung_han"], level=TOP)], [])
                if f.rule_id in ("IND-LEVEL-CRITERIA", "PTS-THRESHOLD")]
    assert [(f.rule_id, f.severity) for f in reported] == [("IND-LEVEL-CRITERIA", "error")]
    assert "tổng điểm 75 chưa đạt khung" in reported[0].message_vi


score_st = st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda x: round(x, 1))
ledger_st = st.lists(st.sampled_from(RESULTS), min_size=1, max_size=12)
role_st = st.sampled_from(["khong_lanh_dao", "ngoai_he_thong"])


@hypothesis_settings(max_examples=200, deadline=None)
@given(score_st, score_st, ledger_st, role_st)
def test_a_higher_score_never_lowers_the_level(a, b, results, role):
    low, high = sorted((a, b))
    assert QD366.rank(supported(person(high, results, role))) >= QD366.rank(supported(person(low, results, role)))


@hypothesis_settings(max_examples=200, deadline=None)
@given(score_st, ledger_st, st.sampled_from(LATE), role_st)
def test_adding_a_late_task_never_raises_the_level(score, results, late, role):
    assert QD366.rank(supported(person(score, [*results, late], role))) <= QD366.rank(supported(person(score, results, role)))


@hypothesis_settings(max_examples=200, deadline=None)
@given(score_st, st.lists(ledger_st, min_size=1, max_size=3), st.integers(0, 2), st.sampled_from(LATE))
def test_adding_a_late_task_to_a_led_unit_never_raises_a_leaders_level(score, units, which, late):
    later = [list(u) for u in units]
    later[which % len(later)].append(late)
    before = supported(person(score, ["dung_han"], role="lanh_dao", led=units))
    after = supported(person(score, ["dung_han"], role="lanh_dao", led=later))
    assert QD366.rank(after) <= QD366.rank(before)


@hypothesis_settings(max_examples=200, deadline=None)
@given(score_st, ledger_st)
def test_the_level_never_exceeds_the_score_band(score, results):
    for subject in (person(score, results), collective(score, results)):
        assert QD366.rank(supported(subject)) <= QD366.rank(band(score))


# -- failure cases and mitigations -------------------------------------------------------------------------------
def test_a_mitigation_turns_a_case_into_a_question_for_the_competent_level():
    raw = {"giam_nhe": [{"truong_hop": "4.1d", "ly_do": "bat_kha_khang"}]}
    o = collective(68, ["dung_han", "dung_han", "dung_han", "khong_hoan_thanh", "khong_hoan_thanh"], level=THIRD, **raw)
    reported = [f for f in run_rules(context(), [], [o]) if f.rule_id.startswith("Q366-KHT")]
    assert [(f.rule_id, f.severity) for f in reported] == [("Q366-KHT-COL-CASES", "warning")]
    assert "cấp có thẩm quyền xem xét" in reported[0].message_vi


def test_a_mitigation_the_case_does_not_accept_changes_nothing():
    raw = {"giam_nhe": [{"ly_do": "tu_phat_hien_khac_phuc"}]}
    o = collective(68, ["dung_han", "dung_han", "dung_han", "khong_hoan_thanh", "khong_hoan_thanh"], level=THIRD, **raw)
    assert found([], [o], "Q366-KHT-COL-CASES") == [("Q366-KHT-COL-CASES", "error")]


def test_a_case_without_mitigation_forces_the_bottom_level_even_with_another_mitigated():
    raw = {"giam_nhe": [{"truong_hop": "4.1d", "ly_do": "bat_kha_khang"}], "mat_doan_ket": True}
    o = collective(68, ["dung_han", "dung_han", "dung_han", "khong_hoan_thanh", "khong_hoan_thanh"], level=THIRD, **raw)
    reported = [f for f in run_rules(context(), [], [o]) if f.rule_id.startswith("Q366-KHT")]
    assert [(f.rule_id, f.severity) for f in reported] == [("Q366-KHT-COL-CASES", "error")]
    assert "mất đoàn kết" in reported[0].message_vi and "70%" not in reported[0].message_vi


# -- the quota ---------------------------------------------------------------------------------------------------
QUOTA = SETTINGS["ty_le_htxs"]


@given(st.integers(0, 200), st.integers(0, 60), st.one_of(st.none(), st.floats(0, 0.5)))
def test_the_quota_is_never_exceeded_by_levels_the_rule_lets_through(n_t, n_x, decided):
    outcome, allowed, ratio, _ = judge_quota(n_t, n_x, QUOTA, decided)
    ceiling = math.floor(QUOTA["ty_le_co_quyet_dinh"] * n_t + 1e-9)
    if outcome == WITHIN:
        assert n_x <= allowed <= max(ceiling, math.floor(QUOTA["ty_le"] * n_t + 1e-9))
        if decided is None:
            assert n_x <= math.floor(QUOTA["ty_le"] * n_t + 1e-9)
    if outcome == NEEDS_DECISION:
        assert decided is None and n_x <= ceiling
    if outcome == OVER:
        assert n_x > allowed


def test_quota_edges_under_qd366():
    assert judge_quota(5, 1, QUOTA)[0] == WITHIN       # 20 % of 5 = 1
    assert judge_quota(4, 1, QUOTA)[0] == NEEDS_DECISION  # 0.8 → 0, but 25 % of 4 = 1
    assert judge_quota(4, 1, QUOTA, 0.25)[0] == WITHIN
    assert judge_quota(4, 2, QUOTA, 0.25)[0] == OVER
    assert judge_quota(4, 1, QUOTA, 0.40)[1] == 1      # a decision is capped at 25 %
    assert judge_quota(4, 1, load_settings(QD124)["ty_le_htxs"])[0] == WITHIN  # qd124: the small-group permission


# -- the locality's criteria sets -----------------------------------------------------------------------------------
def _rubric(general: list, tasks_: list) -> dict:
    return {**SETTINGS, "diem": {**SETTINGS["diem"], "bo_tieu_chi": {"khong_lanh_dao": {"nhom_chung": general, "nhom_nhiem_vu": tasks_}}}}


def test_a_criteria_set_whose_leaves_sum_to_the_caps_is_accepted():
    ok = _rubric([{"ma": "1", "noi_dung": "a", "toi_da": 30}],
                 [{"ma": "2", "noi_dung": "b", "tieu_chi_con": [{"ma": "2.1", "noi_dung": "c", "toi_da": 50}, {"ma": "2.2", "noi_dung": "d", "toi_da": 20}]}])
    assert rubric_problems(QD366, ok) == []


def test_criteria_set_problems_name_their_path():
    bad = _rubric([{"ma": "1", "noi_dung": "a", "toi_da": 25}, {"ma": "2", "noi_dung": "b"}], [{"ma": "3", "noi_dung": "c", "toi_da": 70}])
    problems = dict(rubric_problems(QD366, bad))
    assert "$.diem.bo_tieu_chi.khong_lanh_dao.nhom_chung[1].toi_da" in problems
    assert "phải bằng 30" in problems["$.diem.bo_tieu_chi.khong_lanh_dao.nhom_chung"]
    wrong_group = {**SETTINGS, "diem": {**SETTINGS["diem"], "bo_tieu_chi": {"lanh_dao_xa": {}}}}
    assert "không có nhóm đối tượng" in dict(rubric_problems(QD366, wrong_group))["$.diem.bo_tieu_chi.lanh_dao_xa"]


# -- quarters: the deadline of a quarter (DATE-DEADLINE) -------------------------------------------------------------
D = dt.date
SCENARIOS = TESTS / "examples" / "rules"
SHARED = [arg for name in ("_chung", "_chung_qd366") for arg in ("--thu-muc-chung", SCENARIOS / name)]


def _quarter_ctx(period: str, days: int, working: bool, extra=()) -> SimpleNamespace:
    han = {**SETTINGS["han"], "quy_sau_ngay": days, "quy_theo_ngay_lam_viec": working}
    return SimpleNamespace(settings={**SETTINGS, "han": han, "ngay_nghi_them": list(extra)}, unit=SimpleNamespace(period=Period.parse(period)))


def test_a_quarters_deadline_defaults_to_15_days_after_its_end():
    assert (SETTINGS["han"]["quy_sau_ngay"], SETTINGS["han"]["quy_theo_ngay_lam_viec"]) == (15, False)
    ctx = SimpleNamespace(settings=SETTINGS, unit=SimpleNamespace(period=Period.of({"nam": 2026, "quy": 3})))
    assert quarter_deadline(ctx) == (D(2026, 10, 15), "15 ngày sau khi kết thúc quý")


QUARTER_DEADLINES = [
    # (period, days, working days?, deadline, why)
    ("2026-Q1", 15, False, D(2026, 4, 15), "Q1 ends 31/3"),
    ("2024-Q1", 15, False, D(2024, 4, 15), "a leap year's Q1 (29/2) ends 31/3 too"),
    ("2026-Q2", 15, False, D(2026, 7, 15), "Q2 ends 30/6"),
    ("2026-Q4", 15, False, D(2027, 1, 15), "Q4's deadline falls in the next year"),
    ("2026-Q1", 10, True, D(2026, 4, 14), "10 working days from Wed 1/4/2026"),
    ("2026-Q2", 5, True, D(2026, 7, 7), "weekend 4–5/7/2026 skipped"),
    ("2026-Q4", 5, True, D(2027, 1, 8), "New Year's Day (Fri 1/1/2027) and the weekend skipped"),
    ("2024-Q4", 20, True, D(2025, 2, 5), "New Year's Day 2025 and Tết Ất Tỵ (27–31/1/2025) skipped"),
    ("2026-Q3", 0, True, D(2026, 9, 30), "no grace: the quarter's last day"),
]


@pytest.mark.parametrize(("period", "days", "working", "deadline", "why"), QUARTER_DEADLINES, ids=[row[4] for row in QUARTER_DEADLINES])
def test_a_quarters_deadline_is_counted_from_the_periods_end(period, days, working, deadline, why):
    assert quarter_deadline(_quarter_ctx(period, days, working))[0] == deadline


def test_a_locality_day_off_moves_a_quarters_working_day_deadline():
    assert quarter_deadline(_quarter_ctx("2026-Q4", 5, True, ["2027-01-04"]))[0] == D(2027, 1, 11)


@given(st.integers(2000, 2098), st.integers(1, 4), st.integers(0, 60))
def test_a_quarters_deadline_is_never_before_its_end_and_working_days_never_come_sooner(year, quarter, days):
    period = f"{year}-Q{quarter}"
    calendar, working = quarter_deadline(_quarter_ctx(period, days, False))[0], quarter_deadline(_quarter_ctx(period, days, True))[0]
    end = Period(year, quarter).end
    assert calendar == end + dt.timedelta(days=days) and calendar <= working
    assert (working - end).days <= 3 * days + 14  # a working day comes at least every few days, Tết included


def test_a_quarters_deadline_finding_cites_the_quarters_basis(cli):
    result = cli("check", SCENARIOS / "qd366-quy-han", "--format", "json", *SHARED)
    late = [f for f in json.loads(result.stdout)["findings"] if f["rule_id"] == "DATE-DEADLINE"]
    assert late and all(f["legal_basis"] == QD366.rule("DATE-DEADLINE")["can_cu_quy"] for f in late)


# -- quarters: from quarters to the year (tong_hop_quy) ---------------------------------------------------------------
def _results(*levels: str | None) -> list[QuarterResult]:
    return [QuarterResult(q, level, None, None) for q, level in enumerate(levels, 1) if level is not None]


def test_the_roll_up_switches_are_off_by_default():
    assert SETTINGS["tong_hop_quy"] == {"danh_gia_quy": False, "tu_ky": "", "cach_tinh": "doc_lap", "chu_so_thap_phan": 1,
                                        "mot_quy_khtnv_khong_htxs": False, "hai_quy_khtnv_lien_tiep": False}


@pytest.mark.parametrize(("levels", "runs"), [
    ((SECOND, BOTTOM, BOTTOM, SECOND), [[2, 3]]),
    ((BOTTOM, SECOND, BOTTOM, SECOND), []),
    ((BOTTOM, BOTTOM, BOTTOM, BOTTOM), [[1, 2, 3, 4]]),
    ((BOTTOM, BOTTOM, THIRD, BOTTOM), [[1, 2]]),
    ((BOTTOM, None, BOTTOM, BOTTOM), [[3, 4]]),      # a missing quarter breaks a run
    ((BOTTOM, None, None, None), []),
])
def test_bottom_quarters_in_a_row(levels, runs):
    assert [[r.quarter for r in run] for run in bottom_runs(_results(*levels), BOTTOM)] == runs


def test_a_year_record_takes_the_manifests_quarters_then_its_forms():
    data = {"ky_danh_gia": {"nam": 2026}, "ket_qua_quy": [{"quy": 1, "muc": SECOND, "diem": 80}, {"quy": 2, "muc": THIRD, "diem": 60}]}
    m = Member(None, 0, {"ma": "an", "ket_qua_quy": [{"quy": 2, "muc": BOTTOM, "diem": 45}]}, form("quarterly_self", data), "thanh_vien")
    recorded, where = recorded_quarters(m)
    assert [(r.quarter, r.level, r.score, r.where.path) for r in recorded] == [
        (2, BOTTOM, 45, "$.thanh_vien[0].ket_qua_quy[0].muc"), (1, SECOND, 80, "$.ket_qua_quy[0].muc")]
    assert where.path == "$.thanh_vien[0].ket_qua_quy"
    alone = Member(None, 0, {"ma": "an"}, form("quarterly_self", data), "thanh_vien")
    assert recorded_quarters(alone)[1].path == "$.ket_qua_quy" and len(recorded_quarters(alone)[0]) == 2


@pytest.mark.parametrize(("value", "digits", "expected"), [(82.75, 1, "82.8"), (82.25, 1, "82.3"), (82.5, 0, "83"), (86.666, 2, "86.67"), (82, 1, "82.0")])
def test_the_mean_is_rounded_half_up(value, digits, expected):
    assert str(rounded(value, digits)) == expected


@pytest.mark.parametrize(("since", "first", "expected"), [
    (None, None, [1, 2, 3, 4]),
    (None, "2026-Q2", [2, 3, 4]),
    (None, "2025-Q3", [1, 2, 3, 4]),        # a plan begun in an earlier year covers every quarter
    (None, "2027-Q1", []),
    (D(2026, 5, 10), None, [2, 3, 4]),     # admitted in Q2: Q1 is not owed
    (D(2026, 6, 30), "2026-Q3", [3, 4]),
])
def test_the_quarters_a_year_record_owes(since, first, expected):
    found = expected_quarters(Period(2026), since, Period.parse(first) if first else None)
    assert [q.quarter for q in found] == expected


SWITCHES = [
    # (the switch, the rule it turns on, its severity, the members it finds, words of a message)
    ({"danh_gia_quy": True}, "Q366-QUARTER-MISSING", "warning", {"an"}, "thiếu kết quả đánh giá quý 3 năm 2026"),
    ({"danh_gia_quy": True, "tu_ky": "2026-Q4"}, None, None, set(), None),
    ({"cach_tinh": "trung_binh"}, "Q366-QUARTER-MEAN", "error", {"an", "binh"}, "điểm năm 92 khác trung bình điểm các quý 75,7"),
    ({"cach_tinh": "trung_binh", "chu_so_thap_phan": 0}, "Q366-QUARTER-MEAN", "error", {"an", "binh"}, "điểm năm 82 khác trung bình điểm các quý 65"),
    ({"mot_quy_khtnv_khong_htxs": True}, "Q366-QUARTER-KHT-NO-HTXS", "error", {"an"}, "quý 2 xếp mức KHTNV"),
    ({"hai_quy_khtnv_lien_tiep": True}, "Q366-QUARTER-KHT-RUN", "warning", {"binh"}, "2 quý liên tiếp (quý 1, quý 2 năm 2026)"),
]


@pytest.mark.parametrize(("switch", "rule_id", "severity", "who", "words"), SWITCHES, ids=[json.dumps(row[0]) for row in SWITCHES])
def test_each_roll_up_switch_turns_its_rule_on_for_the_same_year(tmp_path, cli, switch, rule_id, severity, who, words):
    """qd366-quy-mac-dinh has no finding with the defaults; each switch alone gives its own rule's findings."""
    locality = tmp_path / "dia_phuong.yaml"
    locality.write_text(json.dumps({"theo_bo_quy_tac": {"qd366": {"tong_hop_quy": switch}}}, ensure_ascii=False), encoding="utf-8")
    result = cli("check", SCENARIOS / "qd366-quy-mac-dinh", "--format", "json", "--locality", locality, *SHARED)
    found = [f for f in json.loads(result.stdout)["findings"] if f["rule_id"].startswith("Q366-QUARTER")]
    if rule_id is None:
        assert found == []
        return
    assert {(f["rule_id"], f["severity"]) for f in found} == {(rule_id, severity)}
    assert {f["subject"] for f in found} == who
    assert any(words in f["message_vi"] for f in found), [f["message_vi"] for f in found]


def test_a_quarter_missing_from_the_year_is_not_owed_before_the_plan_began(tmp_path, cli):
    locality = tmp_path / "dia_phuong.yaml"
    locality.write_text('theo_bo_quy_tac: {qd366: {tong_hop_quy: {danh_gia_quy: true, tu_ky: "2026-Q2"}}}\n', encoding="utf-8")
    result = cli("check", SCENARIOS / "qd366-quy-mac-dinh", "--format", "json", "--locality", locality, *SHARED)
    missing = [f["message_vi"] for f in json.loads(result.stdout)["findings"] if f["rule_id"] == "Q366-QUARTER-MISSING"]
    assert len(missing) == 1 and "quý 3 năm 2026" in missing[0] and "quý 1" not in missing[0].split("(")[0]


def test_a_bad_first_quarter_is_a_settings_finding(tmp_path):
    locality = tmp_path / "dia_phuong.yaml"
    locality.write_text('tong_hop_quy: {tu_ky: "2026-III"}\n', encoding="utf-8")
    findings, settings = check_settings(QD366, locality)
    assert settings is None and [f.json_path for f in findings] == ["$.tong_hop_quy.tu_ky"]


# -- the state-side decree of each period (IND-CIVIL-SERVANT-LINK) -------------------------------------------------------
TABLE = SETTINGS["lien_ket_cbccvc"]["can_cu_theo_ky"]


@pytest.mark.parametrize(("year", "kind", "words", "not_words"), [
    (2021, None, "Nghị định 90/2020/NĐ-CP", "48/2023"),
    (2024, None, "được sửa đổi, bổ sung bởi Nghị định 48/2023/NĐ-CP", "335/2025"),
    (2025, "vien_chuc", "Nghị định 90/2020/NĐ-CP", "233/2026"),
    (2026, "cong_chuc", "Nghị định 335/2025/NĐ-CP ngày 21/12/2025", "233/2026"),
    (2026, "vien_chuc", "Nghị định 233/2026/NĐ-CP ngày 26/6/2026", "335/2025"),
    (2027, "can_bo", "Nghị định 335/2025/NĐ-CP ngày 21/12/2025 của Chính phủ (công chức); Nghị định 233/2026/NĐ-CP", "90/2020"),
    (2026, None, "(đơn vị sự nghiệp công lập và viên chức)", "90/2020"),
])
def test_the_state_decree_follows_the_period(year, kind, words, not_words):
    decree = state_decree(TABLE, year, kind)
    assert words in decree and not_words not in decree


def test_the_decree_table_is_the_same_data_under_both_rulesets():
    assert load_settings(QD124)["lien_ket_cbccvc"]["can_cu_theo_ky"] == TABLE
    assert state_decree([{"tu_nam": 2030, "can_cu": "x"}], 2026, None) is None


@pytest.mark.parametrize(("case", "decree"), [
    ("qd366-quy-lien-ket-cbccvc", "Nghị định 233/2026/NĐ-CP"),
    ("ind-civil-servant-link", "Nghị định 90/2020/NĐ-CP"),
])
def test_the_link_findings_basis_is_the_rows_and_the_periods_decree(cli, case, decree):
    result = cli("check", SCENARIOS / case, "--format", "json", *SHARED)
    found = [f for f in json.loads(result.stdout)["findings"] if f["rule_id"] == "IND-CIVIL-SERVANT-LINK"]
    rs = QD366 if case.startswith("qd366") else QD124
    assert found and all(f["legal_basis"].startswith(rs.rule("IND-CIVIL-SERVANT-LINK")["can_cu"] + "; ") and decree in f["legal_basis"] for f in found)
