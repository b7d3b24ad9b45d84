"""Findings as data: what a check found, where, under which rule, and how to report it."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable

SEVERITIES = ("error", "warning", "info")
SEVERITY_VI = {"error": "lỗi", "warning": "cảnh báo", "info": "thông tin"}

SHOWN_CHARS = 60
"""How much of a user's value a message quotes: enough to find it, too little to flood a terminal."""

# What a line of report must never carry raw: C0/C1 controls and DEL (newlines would split a
# finding, ESC would reach the terminal), line/paragraph separators, bidirectional and zero-width
# marks (they change what is displayed), surrogates and noncharacters.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f"
    "\ufeff\ufff9-\ufffb\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
)
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def escape(text: str) -> str:
    """``text`` with every control or invisible character written as a visible escape (``\\n``, ``\\x1b``, ``\\u200b``)."""
    return _UNSAFE.sub(lambda m: _NAMED.get(m.group()) or _code(m.group()), text)


def _code(char: str) -> str:
    n = ord(char)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


_PLAIN_KEY = re.compile("[a-zA-Z][a-zA-Z0-9_]*")


def child_path(path: str, key: str | int) -> str:
    """The JSON path of ``key`` under ``path``, written as jsonschema writes it (``$.a[0]``, ``$.a['b-c']``)."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    if _PLAIN_KEY.fullmatch(key):
        return f"{path}.{key}"
    return path + "['" + escape(key.replace("\\", "\\\\").replace("'", "\\'")) + "']"


def show(value: Any, limit: int = SHOWN_CHARS) -> str:
    """A user's value as a message may quote it: escaped, and cut to ``limit`` characters plus "…"."""
    if isinstance(value, bool):
        text = str(value).lower()
    elif isinstance(value, int) and value.bit_length() > 200:
        text = f"một số có khoảng {int(value.bit_length() * 0.30103) + 1} chữ số"
    else:
        text = str(value)
    if len(text) > limit:
        text = text[:limit] + "…"
    return escape(text)


@dataclass(frozen=True)
class Finding:
    """One problem (or note) found in one file, at one JSON path, under one rule id."""

    rule_id: str
    severity: str
    file: str
    json_path: str
    message_vi: str
    legal_basis: str = ""
    subject: str = ""
    override: dict | None = field(default=None, compare=False)
    origin: str = field(default="", compare=False)
    """Where the clerk typed the value, when the unit came from a roster or a Word form: "danh_sach.xlsx, ô Thành viên!D14"."""

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")

    @property
    def blocking(self) -> bool:
        """True when the finding keeps the dossier from being final (an error not overridden)."""
        return self.severity == "error" and self.override is None


def has_blocking(findings: Iterable[Finding]) -> bool:
    return any(f.blocking for f in findings)


def sort_key(f: Finding) -> tuple:
    return (f.file, SEVERITIES.index(f.severity), f.json_path, f.rule_id)


def format_text(findings: list[Finding]) -> str:
    """Render findings as Vietnamese lines for people, most severe first per file.

    One finding is one line: control characters anywhere in it (a file name, a quoted value)
    are shown as escapes, so no value can split a finding or send codes to the terminal.
    """
    lines = []
    for f in sorted(findings, key=sort_key):
        sev = SEVERITY_VI[f.severity]
        if f.override:
            sev += " (đã được cấp có thẩm quyền cho phép)"
        line = f"{f.file}: {f.json_path}: [{f.rule_id}] {sev}: {f.message_vi}"
        if f.legal_basis:
            line += f" (Căn cứ: {f.legal_basis})"
        if f.origin:
            line += f" — Nhập tại: {f.origin}"
        if f.override:
            o = f.override
            line += f" — Quyết định: {o.get('co_quan', '?')}, {o.get('ngay', '?')}: {o.get('ly_do', '')}"
        lines.append(escape(line))
    return "\n".join(lines)


def summary_text(findings: list[Finding], files_checked: int) -> str:
    counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES}
    return (
        f"Đã kiểm tra {files_checked} tệp: {counts['error']} lỗi, "
        f"{counts['warning']} cảnh báo, {counts['info']} thông tin."
    )


def format_json(findings: list[Finding], files_checked: int) -> str:
    """Render findings as JSON for programs."""
    return json.dumps(
        {
            "files_checked": files_checked,
            "ok": not has_blocking(findings),
            "findings": [_no_surrogates(asdict(f)) for f in sorted(findings, key=sort_key)],
        },
        ensure_ascii=False,
        indent=2,
    )


_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_surrogates(value: Any) -> Any:
    """A lone surrogate (from a file name or a broken key) cannot be written as UTF-8: show it as an escape."""
    if isinstance(value, str):
        return _SURROGATE.sub(lambda m: _code(m.group()), value)
    if isinstance(value, dict):
        return {k: _no_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_no_surrogates(v) for v in value]
    return value
