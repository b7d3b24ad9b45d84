"""Dossier checklists (generator/checklist.py): lines from the ruleset, conditions registered by name."""

from __future__ import annotations

import dataclasses

import pytest

from conftest import DEMO
from generator import ruleset as rulesets
from generator.checklist import ALWAYS, CONDITIONS, IF_ANY, NOT_APPLICABLE, PRESENT, evaluate, kind_vi, packages
from generator.errors import ConfigError
from generator.facts import unit_facts
from generator.source import load_unit


@pytest.fixture(scope="module")
def demo():
    findings, unit = load_unit(DEMO)
    assert unit is not None, findings
    return unit


@pytest.mark.parametrize("key", rulesets.known_keys())
def test_every_condition_a_ruleset_names_is_registered(key):
    for kind, lines in rulesets.load(key).checklists.items():
        for line in lines:
            assert line["khi"] in (ALWAYS, IF_ANY, *CONDITIONS), (key, kind, line["ma"])


def test_an_unknown_condition_names_the_ruleset_and_the_line(demo):
    data = {**demo.ruleset.data, "ho_so": {**demo.ruleset.checklists, "ca_nhan": [
        {"ma": "la", "ten": "Một văn bản lạ", "khi": "khong_co_dieu_kien", "nguon": {}}]}}
    unit = dataclasses.replace(demo, ruleset=dataclasses.replace(demo.ruleset, data=data))
    with pytest.raises(ConfigError) as caught:
        evaluate(unit, unit.member("nguyen_van_hung"))
    assert "qd124" in caught.value.message and "'la'" in caught.value.message and "khong_co_dieu_kien" in caught.value.message


def test_own_form_slots_and_the_scoring_sheet_fill_their_line(demo):
    facts = unit_facts(demo)
    member = demo.member("nguyen_van_hung")
    line = next(i for i in evaluate(demo, member, facts=facts) if i.code == "ban_kiem_diem")
    assert line.status == PRESENT
    assert [s.form for s in line.sources if s.form is not None] == [member.form, member.score_form]
    org = demo.org("chi_bo_co_quan")
    line = next(i for i in evaluate(demo, org, facts=facts) if i.code == "bao_cao")
    assert [s.form for s in line.sources] == [org.form, org.score_form]


def test_a_line_whose_condition_fails_does_not_apply(demo):
    def status(code: str) -> str:
        return {i.code: i.status for i in evaluate(demo, demo.member(code))}["ke_khai_tai_san"]

    # The asset declaration is required of leaders only (condition lanh_dao, the ruleset's leader role).
    assert (status("nguyen_van_hung"), status("do_minh_tuan")) == (PRESENT, NOT_APPLICABLE)


def test_package_kinds_are_named_by_the_ruleset(demo):
    assert {p.kind for p in packages(demo)} == {"ca_nhan", "tap_the", "khen_thuong"}
    assert [kind_vi(demo.ruleset, k) for k in ("ca_nhan", "tap_the", "khen_thuong")] == ["cá nhân", "tập thể", "khen thưởng"]
