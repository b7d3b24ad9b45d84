"""Locality settings (generator/locality.py, schemas/locality.schema.json): every key typed, every problem reported."""

from __future__ import annotations

import json

import pytest
import yaml

from conftest import DEMO, ROOT, TESTS
from generator.errors import ConfigError
from generator.locality import check_locality, load_locality

DEFAULT = ROOT / "localities" / "mac_dinh.yaml"
SCHEMA = json.loads((ROOT / "schemas" / "locality.schema.json").read_text(encoding="utf-8"))
FORM = TESTS / "examples" / "valid" / "ca_nhan_toi_thieu.yaml"


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


def test_default_and_demo_localities_are_valid():
    assert check_locality(None)[0] == []
    assert check_locality(DEMO / "dia_phuong.yaml")[0] == []


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
    ],
)
def test_every_bad_setting_is_a_finding_with_its_path(tmp_path, text, path, words):
    findings, settings = check_locality(_settings(tmp_path, text))
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


def test_load_locality_raises_a_config_error_carrying_the_findings(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_locality(_settings(tmp_path, "nghi_om: {nguong_ngay: abc, bat: 1}\n"))
    assert [f.json_path for f in caught.value.findings] == ["$.nghi_om.bat", "$.nghi_om.nguong_ngay"]


def test_user_settings_overlay_the_default(tmp_path):
    settings = load_locality(_settings(tmp_path, "nghi_om: {nguong_ngay: 60}\nthe_thuc: {dia_danh: 'Định Hóa'}\n"))
    assert settings["nghi_om"] == {"bat": True, "nguong_ngay": 60, "muc_toi_da": "HTNV"}
    assert settings["the_thuc"]["dia_danh"] == "Định Hóa" and settings["the_thuc"]["le_trai"] == 30
