"""Stage 1 (generator/load.py): every kind of unreadable file gets a Vietnamese message, never a traceback."""

from __future__ import annotations

import json

import pytest

from generator.errors import InputError
from generator.load import MAX_FORM_BYTES, load_form, nfc


def test_rejects_file_larger_than_limit_without_reading_it(tmp_path, cli):
    big = tmp_path / "qua_lon.yaml"
    with big.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    result = cli("validate", big)
    assert result.exit_code == 1
    assert "Tệp quá lớn (50.0 MB" in result.stdout
    assert "Traceback" not in result.output


def test_accepts_utf8_with_bom(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffbieu_mau: kiem_diem_ca_nhan\n".encode("utf-8"))
    assert load_form(path).data == {"bieu_mau": "kiem_diem_ca_nhan"}


def test_rejects_utf16(tmp_path):
    path = tmp_path / "utf16.yaml"
    path.write_bytes("bieu_mau: kiem_diem_ca_nhan\n".encode("utf-16"))
    with pytest.raises(InputError, match="UTF-8"):
        load_form(path)


def test_missing_file_is_named(tmp_path, cli):
    result = cli("validate", tmp_path / "khong_co.yaml")
    assert result.exit_code == 1
    assert "khong_co.yaml: $: [SCHEMA] lỗi: Không tìm thấy tệp." in result.stdout


def test_directory_is_not_a_form(tmp_path):
    with pytest.raises(InputError, match="không phải là một tệp"):
        load_form(tmp_path)


def test_dates_stay_iso_text(tmp_path):
    path = tmp_path / "ngay.yaml"
    path.write_text("ngay_lap: 2024-12-05\n", encoding="utf-8")
    assert load_form(path).data["ngay_lap"] == "2024-12-05"


def test_json_forms_are_read(tmp_path):
    path = tmp_path / "bieu_mau.json"
    path.write_text(json.dumps({"bieu_mau": "bao_cao_tap_the"}), encoding="utf-8")
    assert load_form(path).data == {"bieu_mau": "bao_cao_tap_the"}


def test_normalises_decomposed_vietnamese_to_nfc():
    decomposed = "Tô\u0301t"  # "Tốt" typed with a combining acute accent
    assert nfc({"cap_do": decomposed}) == {"cap_do": "Tốt"}


def test_limit_is_generous_for_real_forms():
    assert MAX_FORM_BYTES >= 1024 * 1024
