"""Rulesets as data (generator/ruleset.py, generator/registry.py): loading, inheritance and the form registry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from generator import registry, ruleset, settings
from generator.errors import ConfigError
from generator.period import Period
from generator.resources import EXTRA_ENV

QD124 = yaml.safe_load((ROOT / "rulesets" / "qd124.yaml").read_text(encoding="utf-8"))
HEADER = {"ten": "Bộ quy tắc thử", "van_ban": "Văn bản thử", "huong_dan": "Hướng dẫn thử", "ky": ["nam"]}


def _clear_caches() -> None:
    """Rulesets, registry entries and schemas are read once per process: forget them around each test."""
    for module in (ruleset, registry, settings):
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


@pytest.fixture(autouse=True)
def fresh():
    _clear_caches()
    yield
    _clear_caches()


@pytest.fixture
def data(tmp_path, monkeypatch):
    """An extra data folder (``HOSO_DU_LIEU``); call it with {relative path: YAML data or bytes} to add files."""
    root = tmp_path / "du_lieu"
    root.mkdir()
    monkeypatch.setenv(EXTRA_ENV, str(root))

    def add(files: dict[str, object]) -> Path:
        for relative, content in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content if isinstance(content, str) else yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
        _clear_caches()
        return root

    return add


def _forms(key: str) -> set[tuple]:
    return {(e.key, e.kind, e.role) for e in registry.entries() if e.ruleset == key}


# -- the bundled qd124 ---------------------------------------------------------------------------


def test_qd124_levels_best_first_with_their_names():
    rs = ruleset.load("qd124")
    assert rs.levels == ("HTXSNV", "HTTNV", "HTNV", "KHTNV")
    assert (rs.top, rs.bottom) == ("HTXSNV", "KHTNV")
    assert rs.level_name("HTTNV") == "Hoàn thành tốt nhiệm vụ"
    assert rs.named("KHTNV") == "KHTNV (Không hoàn thành nhiệm vụ)"
    assert rs.level_names == {item["ma"]: item["ten"] for item in QD124["muc"]}
    assert rs.level_name("HTT") == "" and rs.level_name(None) == ""


@pytest.mark.parametrize(("level", "rank"), [("HTXSNV", 3), ("HTTNV", 2), ("HTNV", 1), ("KHTNV", 0), ("HTT", -1), (None, -1)])
def test_qd124_rank_is_higher_for_a_better_level(level, rank):
    assert ruleset.load("qd124").rank(level) == rank


@pytest.mark.parametrize(("word", "rank"), [("Xuất sắc", 3), ("Tốt", 2), ("Trung bình", 1), ("Kém", 0), ("tốt", -1), (None, -1)])
def test_qd124_criterion_scale_best_first(word, rank):
    rs = ruleset.load("qd124")
    assert rs.scale == tuple(QD124["cap_do"])
    assert rs.scale_rank(word) == rank


def test_qd124_identity_comes_from_the_ruleset_table():
    rs = ruleset.load("qd124")
    assert rs.key == "qd124" and rs.name == "Quy định 124-QĐ/TW" and rs.periods == ("nam",)
    assert rs.regulation.startswith("Quy định số 124-QĐ/TW") and rs.guidance.startswith("Hướng dẫn số 25-HD/BTCTW")
    assert rs.has_data
    assert rs.accepts(Period(2024)) and not rs.accepts(Period(2024, 1))


@pytest.mark.parametrize(("slot", "kind"), sorted(QD124["vi_tri"].items()))
def test_qd124_slot_map_names_the_form_kind_of_each_slot(slot, kind):
    rs = ruleset.load("qd124")
    assert rs.kind(slot) == kind
    assert rs.slot_of(kind) == slot


def test_an_unknown_slot_is_a_config_error_naming_it():
    rs = ruleset.load("qd124")
    with pytest.raises(ConfigError, match="khong_co_vi_tri"):
        rs.kind("khong_co_vi_tri")
    assert rs.slot_of("khong_co_loai") is None


def test_field_map_resolves_ke_thua_and_overrides():
    rs = ruleset.load("qd124")
    staff, leader = rs.fields("individual_staff"), rs.fields("individual_leader")
    assert "ke_thua" not in leader
    assert leader["ho_ten"] == staff["ho_ten"] == "ca_nhan.ho_ten"
    assert leader["muc_cbccvc"] == ["danh_gia_cbccvc.muc", "tu_nhan_muc.cbccvc"]
    assert leader["tieu_chi"]["nhiem_vu"] == ["uu_diem.thuc_hien_nhiem_vu", "uu_diem.lanh_dao_dieu_hanh"]
    assert staff["tieu_chi"]["nhiem_vu"] == ["uu_diem.thuc_hien_nhiem_vu"]
    assert rs.fields("khong_co_bieu_mau") == {}


def test_rule_rows_carry_severity_basis_and_parameters():
    rs = ruleset.load("qd124")
    assert set(rs.rules) == set(QD124["quy_tac"])
    assert rs.rule("IND-LEVEL-CRITERIA")["dieu_kien"] == "ca_nhan"
    assert rs.rule("COL-KHT-CASES")["truong_hop"] == "tap_the"
    assert rs.rule("IND-DISCIPLINE-KHT")["hinh_thuc"][0] == rs.rule("IND-DISCIPLINE-KHT")["tu_muc"]
    assert all(row["muc_do"] in ("error", "warning", "info") and row["can_cu"] for row in rs.rules.values())
    assert rs.rule("KHONG-CO-QUY-TAC") is None


def test_conditions_failure_cases_checklists_and_settings():
    rs = ruleset.load("qd124")
    assert set(rs.conditions("ca_nhan")) == {"HTXSNV", "HTTNV", "HTNV"}
    assert all("do" in row for rows in rs.conditions("tap_the").values() for row in rows)
    assert rs.conditions("khong_co") == {}
    assert rs.failure_cases("ca_nhan")[0]["khi"] == [{"do": "cap_do_thap_nhat", "bang": "Kém"}]
    assert len(rs.failure_cases("tap_the")) == len(QD124["truong_hop_khong_dat"]["tap_the"])
    assert set(rs.checklists) == {"tap_the", "ca_nhan", "khen_thuong"}
    assert rs.settings["nghi_om"] == {"bat": True, "nguong_ngay": 90, "muc_toi_da": "HTNV"}
    assert rs.vocabulary("loai_ho_so") == QD124["nhan"]["loai_ho_so"]
    assert rs.is_leader_role("lanh_dao") and not rs.is_leader_role("khong_lanh_dao") and not rs.is_leader_role(None)


def test_a_ruleset_of_the_table_without_a_file_has_its_identity():
    rs = ruleset.load("qd366")
    assert rs.name == "Quy định 366-QĐ/TW" and rs.periods == ("nam", "quy")
    assert rs.accepts(Period(2026, 1))


@pytest.mark.parametrize(("period", "key"), [(Period(2018), "qd132"), (Period(2024), "qd124"), (Period(2025), "qd366"),
                                             (Period(2030), "qd366"), (Period(2026, 2), "qd366"), (Period(2010), None)])
def test_default_ruleset_of_a_period(period, key):
    assert ruleset.default_for(period) == key


def test_an_unknown_ruleset_is_a_config_error_listing_the_known_ones():
    with pytest.raises(ConfigError, match="qd124"):
        ruleset.load("qd999")


@pytest.mark.parametrize(
    ("base", "override", "merged"),
    [
        ({"a": 1, "b": 2}, {"b": 3}, {"a": 1, "b": 3}),
        ({"a": {"x": 1, "y": 2}}, {"a": {"y": 3}}, {"a": {"x": 1, "y": 3}}),
        ({"a": [1, 2]}, {"a": [3]}, {"a": [3]}),
        ({"a": 1, "b": 2}, {"b": None}, {"a": 1}),
        ({"a": {"x": 1, "y": 2}}, {"a": {"x": None}}, {"a": {"y": 2}}),
        ({"a": {"x": 1}}, {"a": 5}, {"a": 5}),
    ],
)
def test_deep_merge_mappings_merge_lists_replace_null_removes(base, override, merged):
    before = json.dumps(base)
    assert ruleset.deep_merge(base, override) == merged
    assert json.dumps(base) == before, "deep_merge must not change its input"


# -- inheritance (ke_thua) -----------------------------------------------------------------------


def _child(**changes) -> dict:
    return {"ke_thua": "qd124", **HEADER, **changes}


def test_a_ruleset_inheriting_qd124_states_only_what_differs(data):
    levels = [dict(item) for item in QD124["muc"]]
    levels[1]["ten"] = "Hoàn thành tốt nhiệm vụ được giao"
    data({"rulesets/con.yaml": _child(muc=levels, thiet_lap={"nghi_om": {"nguong_ngay": 60}},
                                      dieu_kien_muc={"ca_nhan": {"HTTNV": [{"do": "cap_do_nhiem_vu_thap_nhat", "toi_thieu": "Xuất sắc"}]}})})
    rs, base = ruleset.load("con"), ruleset.load("qd124")
    assert "con" in ruleset.known_keys()
    assert rs.name == "Bộ quy tắc thử" and rs.periods == ("nam",) and rs.has_data
    assert rs.levels == base.levels and rs.level_name("HTTNV") == "Hoàn thành tốt nhiệm vụ được giao"
    assert rs.settings["nghi_om"] == {"bat": True, "nguong_ngay": 60, "muc_toi_da": "HTNV"}
    assert rs.conditions("ca_nhan")["HTTNV"] == [{"do": "cap_do_nhiem_vu_thap_nhat", "toi_thieu": "Xuất sắc"}]
    assert rs.conditions("ca_nhan")["HTXSNV"] == base.conditions("ca_nhan")["HTXSNV"]
    assert rs.rules == base.rules and rs.checklists == base.checklists and rs.fields("individual_leader") == base.fields("individual_leader")
    assert rs.scale == base.scale and rs.kind("bao_cao") == base.kind("bao_cao")
    # The parent is not changed by its child.
    assert base.level_name("HTTNV") == "Hoàn thành tốt nhiệm vụ" and base.settings["nghi_om"]["nguong_ngay"] == 90


def test_null_removes_an_inherited_key(data):
    data({"rulesets/con.yaml": _child(quy_tac={"UNIT-ORDER": None}, thiet_lap={"han": {"huyen": None}})})
    rs = ruleset.load("con")
    assert rs.rule("UNIT-ORDER") is None and "UNIT-ORDER" not in rs.rules
    assert set(rs.rules) == set(QD124["quy_tac"]) - {"UNIT-ORDER"}
    assert rs.settings["han"] == {"co_so": "12-15", "tinh_nam_sau": "02-28"}
    assert ruleset.load("qd124").rule("UNIT-ORDER") is not None


def test_inheritance_is_transitive(data):
    data({"rulesets/con.yaml": _child(thiet_lap={"nghi_om": {"nguong_ngay": 60}}),
          "rulesets/chau.yaml": {"ke_thua": "con", **HEADER, "ten": "Bộ cháu", "thiet_lap": {"nghi_om": {"bat": False}}}})
    rs = ruleset.load("chau")
    assert rs.name == "Bộ cháu"
    assert rs.settings["nghi_om"] == {"bat": False, "nguong_ngay": 60, "muc_toi_da": "HTNV"}
    assert rs.levels == ruleset.load("qd124").levels


def test_an_inheritance_cycle_is_a_config_error_showing_the_cycle(data):
    data({"rulesets/mot.yaml": {"ke_thua": "hai", **HEADER}, "rulesets/hai.yaml": {"ke_thua": "mot", **HEADER}})
    with pytest.raises(ConfigError, match="vòng tròn") as caught:
        ruleset.load("mot")
    assert "mot" in str(caught.value) and "hai" in str(caught.value)


def test_inheriting_an_unknown_ruleset_is_a_config_error(data):
    data({"rulesets/con.yaml": {**_child(), "ke_thua": "qd1244"}})
    with pytest.raises(ConfigError, match="qd1244"):
        ruleset.load("con")


def test_a_ruleset_without_its_identity_is_a_config_error_naming_the_missing_keys(data):
    data({"rulesets/con.yaml": {"ten": "Bộ thử", "muc": QD124["muc"]}})
    with pytest.raises(ConfigError, match="van_ban"):
        ruleset.load("con")


def test_a_ruleset_file_that_is_not_a_mapping_is_a_config_error(data):
    data({"rulesets/con.yaml": "- a\n- b\n"})
    with pytest.raises(ConfigError):
        ruleset.load("con")


# -- the form registry ---------------------------------------------------------------------------


def test_bundled_registry_entries_follow_the_entry_schema():
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(json.loads((ROOT / "forms" / "registry.schema.json").read_text(encoding="utf-8")))
    for path in sorted((ROOT / "forms").glob("*/*.yaml")):
        item = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert [e.message for e in validator.iter_errors(item)] == [], path
        assert (path.parent.name, path.stem) == (item["bo_quy_tac"], item["khoa"]), path


def test_a_typo_in_a_registry_entry_is_a_config_error_naming_the_file(data):
    root = data({"rulesets/con.yaml": _child(),
                 "forms/con/minutes.yaml": {"bo_quy_tac": "con", "khoa": "minutes", "ke_thua": "qd124/minutes", "can_don_vii": True}})
    with pytest.raises(ConfigError) as caught:
        registry.entries()
    message = str(caught.value)
    assert str(root / "forms" / "con" / "minutes.yaml") in message and "can_don_vii" in message


def test_a_registry_entry_must_live_at_forms_ruleset_key(data):
    data({"rulesets/con.yaml": _child(), "forms/con/bien_ban.yaml": {"bo_quy_tac": "con", "khoa": "minutes", "ke_thua": "qd124/minutes"}})
    with pytest.raises(ConfigError, match="forms/con/minutes.yaml"):
        registry.entries()


def test_a_registry_entry_inheriting_an_unknown_entry_is_a_config_error(data):
    data({"rulesets/con.yaml": _child(), "forms/con/minutes.yaml": {"bo_quy_tac": "con", "khoa": "minutes", "ke_thua": "qd124/bien_ban"}})
    with pytest.raises(ConfigError, match="qd124/bien_ban"):
        registry.entries()


def test_a_ruleset_inheriting_qd124_gets_every_qd124_form_without_copying(data):
    data({"rulesets/con.yaml": _child()})
    assert _forms("con") == _forms("qd124") != set()
    qd124 = {e.key: e for e in registry.entries() if e.ruleset == "qd124"}
    for entry in (e for e in registry.entries() if e.ruleset == "con"):
        assert (entry.schema, entry.template, entry.name) == (qd124[entry.key].schema, qd124[entry.key].template, qd124[entry.key].name)


def test_an_entry_inheriting_another_overrides_only_what_it_states(data):
    data({"rulesets/con.yaml": _child(),
          "forms/con/minutes.yaml": {"bo_quy_tac": "con", "khoa": "minutes", "ke_thua": "qd124/minutes",
                                     "ten": "Biên bản hội nghị thử", "mau_in": "con/minutes.docx"},
          "templates_docx/con/minutes.docx": b"PK"})
    entries = {e.key: e for e in registry.entries() if e.ruleset == "con"}
    base = {e.key: e for e in registry.entries() if e.ruleset == "qd124"}
    assert _forms("con") == _forms("qd124")
    minutes = entries["minutes"]
    assert (minutes.ruleset, minutes.name, minutes.template) == ("con", "Biên bản hội nghị thử", "con/minutes.docx")
    assert (minutes.kind, minutes.schema, minutes.title, minutes.extra) == (base["minutes"].kind, base["minutes"].schema, base["minutes"].title, base["minutes"].extra)
    assert registry.template_path(minutes).read_bytes() == b"PK"
    assert registry.template_path(entries["result_notice"]) == ROOT / "templates_docx" / "qd124" / "result_notice.docx"


def test_a_form_naming_an_inheriting_ruleset_binds_to_it(data):
    data({"rulesets/con.yaml": _child()})
    kind = ruleset.load("qd124").kind("bien_ban")
    binding = registry.bind({"bieu_mau": kind, "ky_danh_gia": {"nam": 2024}, "bo_quy_tac": "con"})
    assert binding.ruleset.key == "con" and binding.entry.ruleset == "con" and binding.explicit
    assert binding.default_ruleset == "qd124"
