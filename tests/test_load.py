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


# -- data no form can hold: every problem a finding with its JSON path, never a traceback ----------
MAX_DEPTH = 64


def _problems(tmp_path, text: str | bytes, name: str = "bieu_mau.yaml") -> list[tuple[str, str]]:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", errors="surrogatepass"))
    with pytest.raises(InputError) as caught:
        load_form(path)
    exc = caught.value
    return [(p.json_path, p.message) for p in getattr(exc, "problems", [])] or [(exc.json_path or "$", exc.message)]


@pytest.mark.parametrize(
    ("text", "path", "words"),
    [
        ("ca_nhan: {1: x}\n", "$.ca_nhan", "Khóa '1' ở dòng 1"),
        ("ca_nhan: {null: x}\n", "$.ca_nhan", "không phải là tên mục"),
        ("ca_nhan: {~: x}\n", "$.ca_nhan", "không phải là tên mục"),
        ("ca_nhan: {true: x}\n", "$.ca_nhan", "không phải là tên mục"),
        ("a: [{b: {[x, y]: 1}}]\n", "$.a[0].b", "là một danh sách"),
        ("a:\n  ? {x: 1}\n  : 2\n", "$.a", "bảng khóa"),
        ("1: x\n", "$", "Khóa '1'"),
    ],
)
def test_rejects_keys_that_are_not_text_at_any_depth(tmp_path, text, path, words):
    found = _problems(tmp_path, text)
    assert any(p == path and words in m for p, m in found), found


def test_non_text_key_is_a_finding_through_the_cli(tmp_path, cli):
    form = tmp_path / "bieu_mau.yaml"
    form.write_text("bieu_mau: kiem_diem_ca_nhan\nca_nhan: {ho_ten: A, 1: x}\nuu_diem: {null: 2}\n", encoding="utf-8")
    result = cli("validate", "--format", "json", form)
    assert result.exit_code == 1
    paths = {f["json_path"] for f in json.loads(result.stdout)["findings"]}
    assert paths == {"$.ca_nhan", "$.uu_diem"}


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("sau.yaml", "a: " + "[" * 70 + "]" * 70 + "\n"),
        ("sau.yaml", "a: " + "[" * 5000 + "]" * 5000 + "\n"),
        ("sau.yaml", "a: " + "{b: " * 3000 + "1" + "}" * 3000 + "\n"),
        ("sau.json", '{"a": ' + "[" * 70 + "]" * 70 + "}"),
        ("sau.json", '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}"),
    ],
)
def test_rejects_nesting_deeper_than_the_limit(tmp_path, name, text):
    found = _problems(tmp_path, text, name)
    assert len(found) == 1
    path, message = found[0]
    assert path.startswith("$")
    assert "lồng nhau quá sâu" in message


def test_nesting_up_to_the_limit_is_read(tmp_path):
    path = tmp_path / "sau.yaml"
    path.write_text("a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n", encoding="utf-8")
    assert load_form(path).data["a"]


@pytest.mark.parametrize(
    ("name", "text", "path"),
    [
        ("so.yaml", "ky_danh_gia: {nam: " + "9" * 5000 + "}\n", "$.ky_danh_gia.nam"),
        ("so.yaml", "a: [-" + "1" * 4301 + "]\n", "$.a[0]"),
        ("so.yaml", "a: 0x" + "f" * 5000 + "\n", "$.a"),
        ("so.yaml", "a: 90071992547409930\n", "$.a"),
        ("so.json", '{"ky_danh_gia": {"nam": ' + "9" * 5000 + "}}", "$.ky_danh_gia.nam"),
        ("so.json", '{"a": 1e999}', "$.a"),
    ],
)
def test_rejects_huge_numbers_with_their_path(tmp_path, name, text, path):
    found = _problems(tmp_path, text, name)
    assert [p for p, _ in found] == [path]
    assert "quá lớn" in found[0][1]


@pytest.mark.parametrize(
    ("name", "text", "path"),
    [
        ("so.yaml", "diem: .nan\n", "$.diem"),
        ("so.yaml", "diem: [1, .inf]\n", "$.diem[1]"),
        ("so.yaml", "diem: {a: -.Inf}\n", "$.diem.a"),
        ("so.json", '{"diem": NaN}', "$.diem"),
        ("so.json", '{"diem": [Infinity, -Infinity]}', "$.diem[0]"),
    ],
)
def test_rejects_nan_and_infinities_with_their_path(tmp_path, name, text, path):
    found = _problems(tmp_path, text, name)
    assert found[0][0] == path


@pytest.mark.parametrize(
    ("name", "text", "path", "code"),
    [
        ("c.yaml", "ca_nhan: {ho_ten: \"Nguyễn\\x00Văn\"}\n", "$.ca_nhan.ho_ten", "U+0000"),
        ("c.yaml", "ca_nhan: {ho_ten: \"A\x01B\"}\n", "$.ca_nhan.ho_ten", "U+0001"),
        ("c.yaml", "ca_nhan:\n  ho_ten: A\x1b[31mB\n", "$.ca_nhan.ho_ten", "U+001B"),
        ("c.yaml", "a: [x, \"\\u202eabc\"]\n", "$.a[1]", "U+202E"),
        ("c.yaml", "a: \"\\ud800\"\n", "$.a", "U+D800"),
        ("c.yaml", "a: \"x\\uffff\"\n", "$.a", "U+FFFF"),
        ("c.yaml", "a: \"x\\u2028y\"\n", "$.a", "U+2028"),
        ("c.yaml", "a: \"x\x7fy\"\n", "$.a", "U+007F"),
        ("c.json", '{"a": {"b": "x\\u0000"}}', "$.a.b", "U+0000"),
        ("c.json", '{"a": "x\u0007y"}', "$.a", "U+0007"),
        ("c.json", '{"a\\u0001": 1}', "$['a\\x01']", "U+0001"),
    ],
)
def test_rejects_control_and_broken_characters_with_their_path(tmp_path, name, text, path, code):
    found = _problems(tmp_path, text, name)
    assert [p for p, _ in found] == [path], found
    assert code in found[0][1]
    assert "\x1b" not in found[0][1] and "\x00" not in found[0][1]


def test_line_ends_and_zero_width_marks_are_normalised(tmp_path):
    path = tmp_path / "v.json"
    path.write_text(json.dumps({"a": "x\r\ny\rz", "ma\u200b": "Tô\u0301t\u200b\ufeff"}), encoding="utf-8")
    assert load_form(path).data == {"a": "x\ny\nz", "ma": "Tốt"}


def test_yaml_duplicate_keys_name_both_lines(tmp_path):
    found = _problems(tmp_path, "bieu_mau: a\nca_nhan:\n  ho_ten: A\n  ho_ten: B\nbieu_mau: b\n")
    assert ("$", "Khóa 'bieu_mau' xuất hiện hai lần: dòng 1 và dòng 5; chỉ giữ một.") in found
    assert ("$.ca_nhan", "Khóa 'ho_ten' xuất hiện hai lần: dòng 3 và dòng 4; chỉ giữ một.") in found


def test_keys_equal_after_nfc_are_duplicates(tmp_path):
    found = _problems(tmp_path, "a: {\"to\u0301t\": 1, \"tót\": 2}\n")
    assert found[0][0] == "$.a['tót']" and "hai lần" in found[0][1]


def test_json_duplicate_keys_are_reported(tmp_path):
    found = _problems(tmp_path, '{"a": {"b": 1, "b": 2}}', "d.json")
    assert found == [("$.a", "Khóa 'b' xuất hiện hai lần; chỉ giữ một.")]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("a: !!binary aGVsbG8=\n", "nhị phân"),
        ("a: !!set {x, y}\n", "tập hợp"),
        ("a: !!timestamp 2024-01-01\n", "ngày giờ"),
        ("a: !!omap [{x: 1}]\n", "đặc biệt"),
        ("a: {<<: {x: 1}, y: 2}\n", "khóa gộp"),
    ],
)
def test_rejects_yaml_types_json_cannot_hold(tmp_path, text, words):
    found = _problems(tmp_path, text)
    assert found[0][0].startswith("$.a") and words in found[0][1], found


def test_all_problems_of_a_file_are_reported_together(tmp_path):
    found = _problems(tmp_path, "a: .nan\nb: {1: x}\nc: \"\\x00\"\nd: " + "9" * 30 + "\n")
    assert [p for p, _ in found] == ["$.a", "$.b", "$.c", "$.d"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_files_are_named_as_such(tmp_path, encoding):
    found = _problems(tmp_path, "bieu_mau: kiem_diem_ca_nhan\nca_nhan: {ho_ten: Hoa}\n".encode(encoding))
    assert "UTF-16" in found[0][1] or "UTF-32" in found[0][1]
    assert "lưu lại với bảng mã UTF-8" in found[0][1]


def test_manifests_and_settings_get_the_same_checks(tmp_path):
    from generator.load import DataProblems, load_yaml_file

    path = tmp_path / "don_vi.yaml"
    path.write_text("to_chuc: [{ma: a, 5: b}]\nngay: .nan\n", encoding="utf-8")
    with pytest.raises(DataProblems) as caught:
        load_yaml_file(path)
    assert [p.json_path for p in caught.value.problems] == ["$.to_chuc[0]", "$.ngay"]


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("a.yaml", "a: 1\n---\nb: 2\n", "chỉ được có một tài liệu YAML"),
        ("a.yaml", "a:\n\t- x\n", "thụt lề bằng tab"),
        ("a.yaml", "a: !khac x\n", "thẻ YAML này không dùng được"),
        ("a.json", '{"a": 1,}', "tên mục phải đặt trong ngoặc kép"),
        ("a.json", '{"a": "x', "chuỗi chưa đóng ngoặc kép"),
    ],
)
def test_common_syntax_errors_are_explained_in_vietnamese(tmp_path, name, text, words):
    found = _problems(tmp_path, text, name)
    assert words in found[0][1] and "dòng" in found[0][1]
