"""Settings in layers (generator/settings.py, schemas/locality.schema.json): every key typed, every problem reported."""

from __future__ import annotations

import json

import pytest
import yaml

from conftest import DEMO, ROOT, TESTS
from generator import registry, ruleset, settings as settings_module
from generator.errors import ConfigError
from generator.resources import EXTRA_ENV
from generator.settings import check_settings, load_settings

DEFAULT = ROOT / "localities" / "mac_dinh.yaml"
SCHEMA = json.loads((ROOT / "schemas" / "locality.schema.json").read_text(encoding="utf-8"))
QD124 = yaml.safe_load((ROOT / "rulesets" / "qd124.yaml").read_text(encoding="utf-8"))
FORM = TESTS / "examples" / "valid" / "ca_nhan_toi_thieu.yaml"

IDENTITY_KEYS = {"ten", "phien_ban", "chu_the", "can_cu_dia_phuong", "the_thuc", "nhiem_ky", "nhan_bieu_mau",
                 "muc_do_quy_tac", "ngay_nghi_them", "theo_bo_quy_tac", "danh_sach"}
"""Keys of a locality file that describe the locality itself, not a rule (``danh_sach``: the headers of the locality's
own roster export): the ruleset has no default for them."""


def _settings(tmp_path, text: str):
    path = tmp_path / "tinh.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _objects(schema: dict, path: str = "$"):
    """Every object schema with fixed properties, with its path."""
    if schema.get("type") == "object" and "properties" in schema:
        yield path, schema
        for name, sub in schema["properties"].items():
            yield from _objects(sub, f"{path}.{name}")
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield from _objects(schema[key], f"{path}[]" if key == "items" else f"{path}.*")


def _clear_caches() -> None:
    for module in (ruleset, registry, settings_module):
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


@pytest.fixture(autouse=True)
def fresh():
    _clear_caches()
    yield
    _clear_caches()


def test_default_and_demo_localities_are_valid():
    assert check_settings("qd124", None)[0] == []
    assert check_settings("qd124", DEMO / "dia_phuong.yaml")[0] == []


def test_schema_declares_every_key_of_the_default_with_a_vietnamese_title():
    default = yaml.safe_load(DEFAULT.read_text(encoding="utf-8"))
    assert set(default) <= set(SCHEMA["properties"])
    for path, schema in _objects(SCHEMA):
        assert schema.get("additionalProperties") is False, path
        for name, sub in schema["properties"].items():
            assert sub.get("title") or "$ref" in sub, f"{path}.{name}"


def test_default_locality_carries_no_demo_place():
    text = DEFAULT.read_text(encoding="utf-8")
    for name in ("Hòa Bình", "Hoà Bình", "Tân Phú", "Thôn Đông"):
        assert name not in text


@pytest.mark.parametrize("key", sorted(set(SCHEMA["properties"]) - IDENTITY_KEYS))
def test_the_ruleset_has_a_default_for_every_rule_setting(key):
    """Settings are complete after layering, so no code needs a fall-back (``.get(key, default)``): every rule
    setting has a default in a bundled ruleset (a setting only qd366 reads, like ``so_nhiem_vu``, lives in qd366's)."""
    bundled = {k for path in (ROOT / "rulesets").glob("qd*.yaml") for k in yaml.safe_load(path.read_text(encoding="utf-8")).get("thiet_lap") or {}}
    assert key in bundled, f"không bộ quy tắc nào có giá trị mặc định cho '{key}' (thiet_lap)"


def test_the_ruleset_defaults_are_declared_by_the_schema():
    assert set(QD124["thiet_lap"]) <= set(SCHEMA["properties"]) - IDENTITY_KEYS


@pytest.mark.parametrize(
    ("text", "path", "words"),
    [
        ("ty_le_htx: {ty_le: 0.3}\n", "$.ty_le_htx", "Có phải là 'ty_le_htxs'?"),
        ("nghi_om: {nguong_ngay: abc}\n", "$.nghi_om.nguong_ngay", "phải là một số nguyên"),
        ("nghi_om: {muc_toi_da: HTT}\n", "$.nghi_om.muc_toi_da", "chọn một trong"),
        ("diem: {thang_diem: {dang_vien: [{ma: '1.1'}]}}\n", "$.diem.thang_diem.dang_vien[0].toi_da", "Thiếu mục bắt buộc"),
        ("diem: {khung: {HTXS: 90}}\n", "$.diem.khung.HTXS", "Có phải là 'HTXSNV'?"),
        ("han: {co_so: '02-30'}\n", "$.han.co_so", "không đúng dạng"),
        ("ngay_nghi_them: [2024-02-30]\n", "$.ngay_nghi_them[0]", "không phải là ngày hợp lệ"),
        ("thoi_luong_hop: {loai: {khac: {thuong: x, goi_y: 1}}}\n", "$.thoi_luong_hop.loai.khac.thuong", "phải là một số"),
        ("muc_do_quy_tac: {UNIT-QOUTA: info}\n", "$.muc_do_quy_tac['UNIT-QOUTA']", "Có phải là 'UNIT-QUOTA'?"),
        ("muc_do_quy_tac: {UNIT-QUOTA: loi}\n", "$.muc_do_quy_tac['UNIT-QUOTA']", "chọn một trong"),
        ("diem: null\n", "$.diem", "phải là một bảng khóa"),
        ("bo_phieu: {nguong: 1.5}\n", "$.bo_phieu.nguong", "không được lớn hơn 1"),
        ("a: 1\na: 2\n", "$", "xuất hiện hai lần: dòng 1 và dòng 2"),
        ("nghi_om: {1: 2}\n", "$.nghi_om", "không phải là tên mục"),
        ("- a\n", "$", "bảng khóa"),
        # The section of one ruleset: problems are shown where the user wrote them.
        ("theo_bo_quy_tac: {qd124: {nghi_om: {nguong_ngay: abc}}}\n", "$.theo_bo_quy_tac.qd124.nghi_om.nguong_ngay", "phải là một số nguyên"),
        ("theo_bo_quy_tac: {qd124: {nghi_omm: {nguong_ngay: 60}}}\n", "$.theo_bo_quy_tac.qd124.nghi_omm", "Có phải là 'nghi_om'?"),
        ("theo_bo_quy_tac: {qd124: {diem: {khung: {HTXS: 90}}}}\n", "$.theo_bo_quy_tac.qd124.diem.khung.HTXS", "Có phải là 'HTXSNV'?"),
        ("theo_bo_quy_tac: {qd1244: {nghi_om: {nguong_ngay: 60}}}\n", "$.theo_bo_quy_tac.qd1244", "Có phải là 'qd124'?"),
        ("theo_bo_quy_tac: {qd124: 5}\n", "$.theo_bo_quy_tac.qd124", "bảng khóa"),
        ("theo_bo_quy_tac: [qd124]\n", "$.theo_bo_quy_tac", "phải là một bảng"),
        # A section for another ruleset is checked too, though it does not apply to qd124.
        ("theo_bo_quy_tac: {qd366: {nghi_om: {nguong_ngay: abc}}}\n", "$.theo_bo_quy_tac.qd366.nghi_om.nguong_ngay", "phải là một số nguyên"),
    ],
)
def test_every_bad_setting_is_a_finding_with_its_path(tmp_path, text, path, words):
    findings, settings = check_settings("qd124", _settings(tmp_path, text))
    assert settings is None
    assert any(f.json_path == path and words in f.message_vi for f in findings), [(f.json_path, f.message_vi) for f in findings]
    assert all(f.rule_id == "SCHEMA" and f.file == str(tmp_path / "tinh.yaml") for f in findings)


def test_all_problems_are_reported_one_line_each(tmp_path, cli):
    locality = _settings(tmp_path, "ty_le_htx: {ty_le: 0.3}\nnghi_om: {nguong_ngay: abc}\nthe_thuc: {le_tren: 200}\n")
    result = cli("check", FORM, "--locality", locality)
    assert result.exit_code == 1
    lines = result.stderr.strip().split("\n")
    assert [line.split(": ")[2] for line in lines] == ["$.ty_le_htx", "$.nghi_om.nguong_ngay", "$.the_thuc.le_tren"]
    assert all(line.startswith(f"Lỗi: {locality}: $.") for line in lines)
    assert "Traceback" not in result.output


def test_load_settings_raises_a_config_error_carrying_the_findings(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_settings("qd124", _settings(tmp_path, "nghi_om: {nguong_ngay: abc, bat: 1}\n"))
    assert [f.json_path for f in caught.value.findings] == ["$.nghi_om.bat", "$.nghi_om.nguong_ngay"]


def test_user_settings_overlay_the_default(tmp_path):
    settings = load_settings("qd124", _settings(tmp_path, "nghi_om: {nguong_ngay: 60}\nthe_thuc: {dia_danh: 'Định Hóa'}\n"))
    assert settings["nghi_om"] == {"bat": True, "nguong_ngay": 60, "muc_toi_da": "HTNV"}
    assert settings["the_thuc"]["dia_danh"] == "Định Hóa" and settings["the_thuc"]["le_trai"] == 30


def test_settings_take_the_ruleset_or_its_key():
    assert load_settings(ruleset.load("qd124")) == load_settings("qd124")


def test_without_a_user_file_the_settings_are_the_ruleset_defaults_under_the_bundled_locality():
    settings = load_settings("qd124")
    for key, value in QD124["thiet_lap"].items():
        assert settings[key] == value, key
    assert settings["ten"] == yaml.safe_load(DEFAULT.read_text(encoding="utf-8"))["ten"]
    assert "theo_bo_quy_tac" not in settings


@pytest.mark.parametrize(
    ("text", "threshold"),
    [
        ("", 90),                                                                       # the ruleset's default
        ("nghi_om: {nguong_ngay: 60}\n", 60),                                           # the user's common section
        ("theo_bo_quy_tac: {qd124: {nghi_om: {nguong_ngay: 45}}}\n", 45),               # the user's section for qd124
        ("nghi_om: {nguong_ngay: 60}\ntheo_bo_quy_tac: {qd124: {nghi_om: {nguong_ngay: 45}}}\n", 45),
        ("theo_bo_quy_tac: {qd124: {nghi_om: {nguong_ngay: 45}}}\nnghi_om: {nguong_ngay: 60}\n", 45),  # order in the file does not matter
        ("theo_bo_quy_tac: {qd366: {nghi_om: {nguong_ngay: 30}}}\n", 90),               # another ruleset's section does not apply
        ("nghi_om: {nguong_ngay: 60}\ntheo_bo_quy_tac: {qd366: {nghi_om: {nguong_ngay: 30}}}\n", 60),
    ],
)
def test_layers_ruleset_then_common_then_the_rulesets_section(tmp_path, text, threshold):
    settings = load_settings("qd124", _settings(tmp_path, text or "{}\n"))
    assert settings["nghi_om"] == {"bat": True, "nguong_ngay": threshold, "muc_toi_da": "HTNV"}


def test_layers_merge_key_by_key(tmp_path):
    text = "the_thuc: {le_tren: 25}\ntheo_bo_quy_tac: {qd124: {the_thuc: {le_duoi: 25}, ty_le_htxs: {nhom_nho: {nguong: 4}}}}\n"
    settings = load_settings("qd124", _settings(tmp_path, text))
    assert (settings["the_thuc"]["le_tren"], settings["the_thuc"]["le_duoi"], settings["the_thuc"]["le_trai"]) == (25, 25, 30)
    assert settings["ty_le_htxs"]["nhom_nho"] == {"bat": True, "nguong": 4, "duoc_chon": 1}
    assert settings["ty_le_htxs"]["ty_le"] == QD124["thiet_lap"]["ty_le_htxs"]["ty_le"]


def test_the_bundled_locality_overrides_the_ruleset_defaults(tmp_path, monkeypatch):
    """A ruleset default that the bundled locality also sets loses to it; the user's file wins over both."""
    root = tmp_path / "du_lieu"
    (root / "rulesets").mkdir(parents=True)
    bundled = yaml.safe_load(DEFAULT.read_text(encoding="utf-8"))
    child = {"ke_thua": "qd124", "ten": "Bộ thử", "van_ban": "Văn bản thử", "huong_dan": "Hướng dẫn thử", "ky": ["nam"],
             "thiet_lap": {"the_thuc": {"co_chu": bundled["the_thuc"]["co_chu"] - 1}, "nghi_om": {"nguong_ngay": 60}}}
    (root / "rulesets" / "con.yaml").write_text(yaml.safe_dump(child, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv(EXTRA_ENV, str(root))
    _clear_caches()
    settings = load_settings("con")
    assert settings["the_thuc"]["co_chu"] == bundled["the_thuc"]["co_chu"]
    assert settings["nghi_om"]["nguong_ngay"] == 60
    user = load_settings("con", _settings(tmp_path, "theo_bo_quy_tac: {con: {the_thuc: {co_chu: 12}}, qd124: {nghi_om: {nguong_ngay: 30}}}\n"))
    assert (user["the_thuc"]["co_chu"], user["nghi_om"]["nguong_ngay"]) == (12, 60)
