"""Vietnamese for the words click prints itself (usage, help, usage errors), through click's gettext calls.

Click marks every message it prints with ``gettext``/``ngettext`` imported into each of its
modules; ``install()`` points those names at this catalogue, so a clerk never sees
"Usage:" or "Show this message and exit." A message missing here stays as click wrote it.
"""

from __future__ import annotations

import importlib

CATALOGUE = {
    "Usage:": "Cách dùng:",
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "Positional arguments": "Tham số",
    "Show this message and exit.": "In hướng dẫn này rồi thoát.",
    "Show the version and exit.": "In phiên bản rồi thoát.",
    "%(prog)s, version %(version)s": "%(prog)s, phiên bản %(version)s",
    "Error: {message}": "Lỗi: {message}",
    "Try '{command} {option}' for help.": "Gõ '{command} {option}' để xem hướng dẫn.",
    "Missing argument": "Thiếu tham số",
    "Missing option": "Thiếu tùy chọn",
    "Missing parameter": "Thiếu tham số",
    "Missing parameter: {param_name}": "Thiếu tham số: {param_name}",
    "Missing {param_type}": "Thiếu {param_type}",
    "Missing {param_type} '{param_hint}'.": "Thiếu {param_type} '{param_hint}'.",
    "Missing command.": "Thiếu lệnh.",
    "No such command {name!r}.": "Không có lệnh {name!r}.",
    "No such option {name!r}.": "Không có tùy chọn {name!r}.",
    "Option {name!r} does not take a value.": "Tùy chọn {name!r} không nhận giá trị.",
    "Invalid value for {param_hint}: {message}": "Giá trị không hợp lệ cho {param_hint}: {message}",
    "Invalid value: {message}": "Giá trị không hợp lệ: {message}",
    "Aborted!": "Đã dừng.",
    "default: {default}": "mặc định: {default}",
    "env var: {var}": "biến môi trường: {var}",
    "required": "bắt buộc",
    "deprecated": "không còn dùng",
    "file": "tệp",
    "directory": "thư mục",
    "path": "đường dẫn",
    "argument": "tham số",
    "option": "tùy chọn",
    "parameter": "tham số",
    # click passes the kind ("File", "Directory", "Path") title-cased; the sentence does without it.
    "{name} {filename!r} does not exist.": "{filename!r} không tồn tại.",
    "{name} {filename!r} is a directory.": "{filename!r} là một thư mục, không phải tệp.",
    "{name} {filename!r} is a file.": "{filename!r} là một tệp, không phải thư mục.",
    "{name} {filename!r} is not readable.": "Không đọc được {filename!r}.",
    "{name} {filename!r} is not writable.": "Không ghi được vào {filename!r}.",
    "{name} {filename!r} is not executable.": "{filename!r} không chạy được.",
    "Could not open file {filename!r}: {message}": "Không mở được tệp {filename!r}: {message}",
    "{value!r} is not a valid {number_type}.": "{value!r} không phải là {number_type} hợp lệ.",
    "integer": "số nguyên",
    "float": "số",
    "{value} is not in the range {range}.": "{value} không nằm trong khoảng {range}.",
    "Choose from:\n\t{choices}": "Chọn một trong:\n\t{choices}",
    "Value must be an iterable.": "Giá trị phải là một danh sách.",
    "Argument {name!r} takes {nargs} values.": "Tham số {name!r} nhận {nargs} giá trị.",
    "Name '{name}' defined twice": "Tên '{name}' được khai báo hai lần",
    "unknown error": "lỗi không rõ",
}
PLURALS = {
    "Got unexpected extra argument ({args})": ("Thừa tham số ({args})", "Thừa các tham số ({args})"),
    "{value!r} is not {choice}.": ("{value!r} không phải là {choice}.", "{value!r} không phải là một trong {choices}."),
    "Did you mean {possibility}?": ("Có phải là {possibility}?", "(Có phải là một trong: {possibilities}?)"),
    "Option {name!r} requires an argument.": ("Tùy chọn {name!r} cần một giá trị.", "Tùy chọn {name!r} cần {nargs} giá trị."),
    "{value!r} does not match the format {format}.": ("{value!r} không đúng dạng {format}.", "{value!r} không đúng dạng nào trong {formats}."),
    "Takes {nargs} values but 1 was given.": ("Cần {nargs} giá trị nhưng chỉ có 1.", "Cần {nargs} giá trị nhưng có {len}."),
}
MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui", "utils")


def gettext(message: str) -> str:
    return CATALOGUE.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    forms = PLURALS.get(singular)
    if forms is None:
        return singular if n == 1 else plural
    return forms[0] if n == 1 else forms[1]


def install() -> None:
    """Point click's ``_``/``ngettext`` at the Vietnamese catalogue (idempotent)."""
    for name in MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
