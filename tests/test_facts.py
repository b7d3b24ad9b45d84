"""Computed facts of a unit (generator/facts.py): the ``so_lieu`` contract, named by the unit's ruleset."""

from __future__ import annotations

import dataclasses

import pytest

from conftest import DEMO
from generator.facts import unit_facts
from generator.source import load_unit
from generator.templating import FACT_KEYS


@pytest.fixture(scope="module")
def demo():
    findings, unit = load_unit(DEMO)
    assert unit is not None, findings
    return unit


def test_facts_offer_exactly_the_keys_templates_may_use(demo):
    assert tuple(unit_facts(demo)) == FACT_KEYS


def test_level_names_and_statistics_follow_the_ruleset():
    """A ruleset that renames a level changes every printed name; nothing is named in Python."""
    _, unit = load_unit(DEMO)
    rs = unit.ruleset
    renamed = [dict(item, ten=f"Mức {item['ma']}") for item in rs.data["muc"]]
    unit.ruleset = dataclasses.replace(rs, data={**rs.data, "muc": renamed})
    facts = unit_facts(unit)
    graded = [m for m in facts["thanh_vien"] if m["muc"]]
    assert graded and all(m["muc_ten"] == f"Mức {m['muc']}" for m in graded)
    assert list(facts["thong_ke"]["xep_loai"]) == list(rs.levels)
    assert {v["ten"] for v in facts["thong_ke"]["xep_loai"].values()} == {f"Mức {code}" for code in rs.levels}


def test_the_ruleset_key_is_a_plain_value(demo):
    assert unit_facts(demo)["bo_quy_tac"] == "qd124"
