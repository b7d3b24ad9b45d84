"""Stage 3 (generator/rules/): every rule id fires on its example, the demo unit is clean, arithmetic holds."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from conftest import DEMO, ROOT, TESTS
from generator.errors import ConfigError
from generator.grading import add_months, ballot_adopted, deduction_expected, quota_allowed, working_days_before
from generator.rules import Context, catalogue, run_rules
from generator.period import Period
from generator.ruleset import Ruleset, deep_merge, default_for, known_keys, load
from generator.settings import load_settings
from generator.unit import Member

RULES_DIR = TESTS / "examples" / "rules"
SCENARIOS = sorted(p for p in RULES_DIR.glob("*") if (p / "don_vi.yaml").exists()) if RULES_DIR.exists() else []
SHARED = sorted(p for p in RULES_DIR.glob("_chung*") if p.is_dir())
"""Folders of forms the scenarios share (one per ruleset's forms), allowed with --thu-muc-chung."""
QD124 = load("qd124")
LEVELS = QD124.levels
DOMAIN = Path(__file__).resolve().parents[2] / "shared" / "domain"
INFO_ONLY = {"IND-MATERNITY", "UNIT-QUOTA-SMALL", "PTS-THRESHOLD"}
"""Rules whose example may fire at info severity although their row says otherwise (the information is the point)."""


def scenario_ruleset(case: Path) -> str:
    """The ruleset a scenario's unit is graded under: its bo_quy_tac, else the period's default."""
    manifest = yaml.safe_load((case / "don_vi.yaml").read_text(encoding="utf-8"))
    return manifest.get("bo_quy_tac") or default_for(Period.of(manifest["ky_danh_gia"]))


@pytest.mark.parametrize("case", SCENARIOS, ids=[p.name for p in SCENARIOS])
def test_rule_example_produces_exactly_its_expected_findings(case: Path, cli):
    expected = yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))
    shared = [arg for folder in SHARED for arg in ("--thu-muc-chung", folder)]
    result = cli("check", case, "--format", "json", *shared)
    assert result.exit_code == expected["ma_thoat"], result.output
    wanted = {(f["rule_id"], f["severity"], f["json_path"], f["tep"]): f for f in expected.get("phat_hien") or []}
    # A scenario is about its own rule: the packages' completeness (DOSSIER-COMPLETE, shown by check as
    # warnings) is compared only where the scenario names it.
    dossier = any(rule == "DOSSIER-COMPLETE" for rule, *_ in wanted)
    found = {(f["rule_id"], f["severity"], f["json_path"], Path(f["file"]).name): f for f in json.loads(result.stdout)["findings"]
             if dossier or f["rule_id"] != "DOSSIER-COMPLETE"}
    assert set(found) == set(wanted)
    for key, want in wanted.items():
        assert want["chua"] in found[key]["message_vi"], found[key]["message_vi"]
        assert found[key]["legal_basis"]
        assert bool(found[key]["override"]) == bool(want.get("ghi_de", False))


RULESETS = [key for key in known_keys() if load(key).has_data]


@pytest.mark.parametrize("key", RULESETS)
def test_every_rule_id_of_a_ruleset_has_an_example_of_that_ruleset_that_fires_it(key):
    rs = load(key)
    fired = set()
    for case in SCENARIOS:
        if scenario_ruleset(case) != key:
            continue
        expected = yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))
        fired |= {f["rule_id"] for f in expected.get("phat_hien") or []
                  if f["severity"] != "info" or f["rule_id"] in INFO_ONLY or rs.rule(f["rule_id"])["muc_do"] == "info"}
    checked = {r.id for r in catalogue() if r.stage == "check" and rs.rule(r.id) is not None}
    assert checked - fired == set()


def test_rule_ids_are_those_of_the_catalogue():
    ids = {r.id for r in catalogue()}
    # The public contract: the domain catalogues, and the rules hoso adds on top of them (README, table of added rules).
    texts = [DOMAIN / "rules.md", DOMAIN / "qd366-rules.md"]
    if all(t.exists() for t in texts):
        text = "".join(t.read_text(encoding="utf-8") for t in [*texts, ROOT / "README.md"])
        assert [rid for rid in sorted(ids) if f"| {rid} |" not in text] == []
    assert len({rid for rid in ids if QD124.rule(rid) is not None}) == 37


def test_every_rule_has_a_legal_source_in_its_docstring_and_a_ruleset_row():
    for r in catalogue():
        assert r.source, r.id
        rows = [load(key).rule(r.id) for key in RULESETS if load(key).rule(r.id) is not None]
        assert rows and all(row["can_cu"] for row in rows), r.id


def _self_review(rs: Ruleset, data: dict) -> Member:
    """A member checked without a unit, from a stand-in for a validated self-review."""
    form = SimpleNamespace(path="ban_kiem_diem.yaml", data=data, entry=SimpleNamespace(key="individual_staff"), binding=SimpleNamespace(ruleset=rs))
    return Member(None, 0, {}, form, "thanh_vien")


def test_a_rule_runs_for_a_ruleset_iff_its_rule_table_has_the_row():
    data = {"uu_diem": {"thuc_hien_nhiem_vu": {"cap_do": QD124.scale[-1]}}, "tu_nhan_muc": {"dang_vien": LEVELS[2]}}
    without = Ruleset("thu", "thử", "", "", ("nam",), deep_merge(QD124.data, {"quy_tac": {"IND-KEM-KHT": None}}))

    def fired(rs: Ruleset) -> set[str]:
        return {f.rule_id for f in run_rules(Context(rs, load_settings(QD124), None), [_self_review(rs, data)], [])}

    assert "IND-KEM-KHT" in fired(QD124)
    assert "IND-KEM-KHT" not in fired(without)


def test_the_localitys_severity_wins_over_the_rows():
    data = {"uu_diem": {"thuc_hien_nhiem_vu": {"cap_do": QD124.scale[-1]}}, "tu_nhan_muc": {"dang_vien": LEVELS[2]}}
    settings = {**load_settings(QD124), "muc_do_quy_tac": {"IND-KEM-KHT": "info"}}
    found = run_rules(Context(QD124, settings, None), [_self_review(QD124, data)], [])
    assert [(f.rule_id, f.severity, f.legal_basis) for f in found] == [("IND-KEM-KHT", "info", QD124.rule("IND-KEM-KHT")["can_cu"])]


def test_a_ruleset_without_data_cannot_run_rules():
    bare = Ruleset("qd999", "thử", "", "", ("nam",), {})
    with pytest.raises(ConfigError, match=r"qd999 chưa có dữ liệu quy tắc \(rulesets/qd999.yaml\)"):
        Context(bare, load_settings(QD124), None)


def test_demo_unit_checks_clean(cli):
    result = cli("check", DEMO, "--format", "json")
    assert result.exit_code == 0, result.stdout
    severities = {f["severity"] for f in json.loads(result.stdout)["findings"]}
    assert severities <= {"info"}


def test_rules_command_lists_ids_rulesets_severity_and_source(cli):
    rows = json.loads(cli("rules", "--format", "json").stdout)
    by_id = {r["rule_id"]: r for r in rows}
    assert by_id["IND-KEM-KHT"]["rulesets"] == ["qd124"]
    assert by_id["IND-KEM-KHT"]["severity"] == {"qd124": "error"}
    assert "Điều 12" in by_id["IND-KEM-KHT"]["legal_basis"]["qd124"]
    text = cli("rules").stdout
    assert "Quy tắc" not in text.splitlines()[0]
    assert "cap_do_thap_nhat:" in text  # the measures level conditions may name


# -- quota -------------------------------------------------------------------------------------------
counts = st.integers(min_value=0, max_value=500)


@given(counts, counts)
def test_quota_never_allows_more_than_the_ratio_outside_small_groups(n_httnv, n_htxsnv):
    allowed, small = quota_allowed(n_httnv, n_htxsnv, ratio=0.2)
    if small:
        assert n_httnv < 5 and allowed == 1
    else:
        assert allowed <= 0.2 * n_httnv + 1e-9


@given(counts, counts)
def test_one_more_httnv_never_lowers_the_quota(n_httnv, n_htxsnv):
    assert quota_allowed(n_httnv + 1, n_htxsnv, ratio=0.2)[0] >= quota_allowed(n_httnv, n_htxsnv, ratio=0.2)[0]


@given(counts, counts, st.sampled_from([0.2, 0.25]), st.sampled_from(["httnv", "httnv_va_htxsnv"]))
def test_quota_is_a_whole_number_within_bounds(n_httnv, n_htxsnv, ratio, base):
    allowed, _ = quota_allowed(n_httnv, n_htxsnv, ratio=ratio, base=base)
    assert isinstance(allowed, int) and 0 <= allowed <= max(1, n_httnv + n_htxsnv)


def test_q8_quota_rounds_down_on_httnv_count():
    # 9 HTTNV × 20 % = 1.8 → 1 (floor); the base is HTTNV, not HTTNV + HTXSNV.
    assert quota_allowed(9, 2, ratio=0.2) == (1, False)
    assert quota_allowed(9, 2, ratio=0.2, base="httnv_va_htxsnv") == (2, False)
    assert quota_allowed(9, 2, ratio=0.2, rounding="ceil") == (2, False)


def test_q8_small_group_allows_one_when_fewer_than_five_httnv():
    assert quota_allowed(4, 1, ratio=0.2) == (1, True)
    assert quota_allowed(4, 1, ratio=0.2, small_on=False) == (0, False)
    assert quota_allowed(5, 1, ratio=0.2) == (1, False)


@pytest.mark.parametrize(("n_httnv", "expected"), [(0, 1), (1, 1), (10, 2), (14, 2), (15, 3)])
def test_quota_edge_cases(n_httnv, expected):
    assert quota_allowed(n_httnv, 0, ratio=0.2)[0] == expected


# -- ballots ------------------------------------------------------------------------------------------
def test_ballot_counts_the_levels_it_is_given():
    assert ballot_adopted({"A": 2, "B": 4, "C": 4}, 10, 0.5, ("A", "B", "C")) == "B"
    assert ballot_adopted({"A": 2, "B": 4, "C": 4}, 10, 0.5, ("C", "B", "A")) == "B"
    assert ballot_adopted({"A": 6}, 10, 0.5, ("B", "C")) is None


def test_q16_ballot_majority_is_cumulative_over_half_of_valid_ballots():
    top, second, third = LEVELS[:3]
    assert ballot_adopted({top: 3, second: 3, third: 4}, 10, 0.5, LEVELS) == second
    assert ballot_adopted({top: 5, second: 5}, 10, 0.5, LEVELS) == second  # exactly half is not a majority
    assert ballot_adopted({top: 6, second: 4}, 10, 0.5, LEVELS) == top


@given(st.lists(st.integers(0, 30), min_size=4, max_size=4))
def test_ballot_always_adopts_a_level_when_every_valid_ballot_is_counted(votes):
    counts = dict(zip(LEVELS, votes))
    total = sum(votes)
    adopted = ballot_adopted(counts, total, 0.5, LEVELS)
    if total == 0:
        assert adopted is None
    else:
        higher = sum(counts[lvl] for lvl in LEVELS[: LEVELS.index(adopted) + 1])
        assert higher > total / 2
        if adopted != LEVELS[0]:
            assert sum(counts[lvl] for lvl in LEVELS[: LEVELS.index(adopted)]) <= total / 2


# -- points, dates ----------------------------------------------------------------------------------
def test_q9_partial_five_percent_step_counts():
    assert deduction_expected(100, 92) == 1.0  # 8 % short → 2 started steps → 1.0
    assert deduction_expected(100, 92, rounding="floor") == 0.5
    assert deduction_expected(100, 50) == 2  # capped at 2 points per target
    assert deduction_expected(100, 100) == 0


@given(st.floats(1, 1000), st.floats(0, 1000))
def test_deduction_is_between_zero_and_cap(target, achieved):
    assert 0 <= deduction_expected(target, achieved) <= 2


def test_q20_working_days_skip_weekends_and_tet():
    # Sent Monday 05/02/2024, meeting Thursday 15/02/2024: Tết 08–14/02 leaves 5, 6, 7 February.
    assert working_days_before(dt.date(2024, 2, 5), dt.date(2024, 2, 15)) == 3
    assert working_days_before(dt.date(2024, 2, 6), dt.date(2024, 2, 15)) == 2
    assert working_days_before(dt.date(2024, 12, 6), dt.date(2024, 12, 9)) == 1  # Friday only
    assert working_days_before(dt.date(2024, 12, 6), dt.date(2024, 12, 9), [dt.date(2024, 12, 6)]) == 0


def test_six_months_is_calendar_months():
    assert add_months(dt.date(2024, 8, 31), 6) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 6, 15), 6) == dt.date(2024, 12, 15)


def test_check_shows_what_dossier_will_refuse_with_the_item_code_and_the_units_own_basis(tmp_path, cli):
    import shutil

    unit = tmp_path / "demo"
    shutil.copytree(DEMO, unit)
    manifest = (unit / "don_vi.yaml").read_text(encoding="utf-8")
    kept = [line for line in manifest.splitlines() if "muc: phieu_bo_sung" not in line]
    assert len(kept) < len(manifest.splitlines())
    (unit / "don_vi.yaml").write_text("\n".join(kept) + "\n", encoding="utf-8")
    result = cli("check", unit, "--format", "json")
    assert result.exit_code == 0, result.stdout  # a warning while checking; `hoso dossier` refuses
    found = [f for f in json.loads(result.stdout)["findings"] if f["rule_id"] == "DOSSIER-COMPLETE"]
    assert found and {f["severity"] for f in found} == {"warning"}
    assert all("muc: phieu_bo_sung" in f["message_vi"] for f in found)
    assert all("366" not in f["legal_basis"] and "25-HD/BTCTW" in f["legal_basis"] for f in found)
    dossier = cli("dossier", unit, "-o", tmp_path / "out", "--format", "json")
    assert dossier.exit_code == 1 and not (tmp_path / "out" / "ho_so").exists()
