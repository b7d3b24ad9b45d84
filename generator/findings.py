"""Findings as data: what a check found, where, under which rule, and how to report it."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Iterable

SEVERITIES = ("error", "warning", "info")
SEVERITY_VI = {"error": "lỗi", "warning": "cảnh báo", "info": "thông tin"}


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
    """Render findings as Vietnamese lines for people, most severe first per file."""
    lines = []
    for f in sorted(findings, key=sort_key):
        sev = SEVERITY_VI[f.severity]
        if f.override:
            sev += " (đã được cấp có thẩm quyền cho phép)"
        line = f"{f.file}: {f.json_path}: [{f.rule_id}] {sev}: {f.message_vi}"
        if f.legal_basis:
            line += f" (Căn cứ: {f.legal_basis})"
        if f.override:
            o = f.override
            line += f" — Quyết định: {o.get('co_quan', '?')}, {o.get('ngay', '?')}: {o.get('ly_do', '')}"
        lines.append(line)
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
            "findings": [asdict(f) for f in sorted(findings, key=sort_key)],
        },
        ensure_ascii=False,
        indent=2,
    )
