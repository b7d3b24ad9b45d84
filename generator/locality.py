"""Locality settings: the province/district choices layered over the bundled default (spec §0.3)."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from .errors import ConfigError, InputError
from .findings import Finding, child_path, escape
from .load import load_yaml_file, problems_of
from .registry import SCHEMA_BASE, schema_registry
from .resources import data_dir

DEFAULT_FILE = "mac_dinh.yaml"
SCHEMA_ID = SCHEMA_BASE + "locality.schema.json"
BASIS = "Lược đồ thiết lập địa phương (schemas/locality.schema.json)"


class LocalityError(ConfigError):
    """A locality file cannot be used: unreadable, or settings that break its schema. Exit 1.

    ``findings`` holds every problem (SCHEMA findings with file and JSON path); printed
    through the CLI's ``Lỗi: …`` it gives one line per problem.
    """

    def __init__(self, findings: list[Finding]):
        first = findings[0]
        super().__init__(first.message_vi, file=first.file, json_path=first.json_path)
        self.findings = findings

    def __str__(self) -> str:
        return "\nLỗi: ".join(escape(f"{f.file}: {f.json_path}: {f.message_vi}") for f in self.findings)


def merge(base: dict, override: dict) -> dict:
    """Deep-merge two mappings; the override wins, nested mappings merge key by key."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def check_locality(path: str | Path | None = None) -> tuple[list[Finding], dict[str, Any] | None]:
    """The default locality overlaid by the user's file, and every problem of the result.

    Returns (findings, settings); settings is None when there is any finding. Problems
    are reported in the user's file (the default is checked by the test suite).
    """
    default = data_dir("localities") / DEFAULT_FILE
    settings = load_yaml_file(default)
    source = str(default)
    if path is not None:
        source = str(path)
        try:
            user = load_yaml_file(Path(path), source)
        except InputError as exc:
            return [_finding(source, p.json_path, p.message) for p in problems_of(exc)], None
        if not isinstance(user, dict):
            return [_finding(source, "$", "Tệp thiết lập địa phương phải là một bảng khóa: giá trị.")], None
        settings = merge(settings, user)
    from .validate import schema_findings

    findings = [
        _finding(source, f.json_path, f.message_vi)
        for f in schema_findings(source, settings, schema_registry()[SCHEMA_ID].contents, SCHEMA_ID, BASIS, "thiết lập địa phương")
    ]
    findings += _unknown_rules(source, settings.get("muc_do_quy_tac"))
    return findings, (None if findings else settings)


def load_locality(path: str | Path | None = None) -> dict[str, Any]:
    """Load the bundled default locality, overlaid by the user's file when given.

    Raises LocalityError (a ConfigError) listing every bad setting with its file and JSON path.
    """
    findings, settings = check_locality(path)
    if settings is None:
        raise LocalityError(findings)
    settings["_nguon"] = "mặc định" if path is None else str(path)
    return settings


def _finding(file: str, json_path: str, message: str) -> Finding:
    return Finding("SCHEMA", "error", file, json_path, f"Thiết lập địa phương không hợp lệ: {message}", BASIS)


def _unknown_rules(file: str, levels: Any) -> list[Finding]:
    """A severity change for a rule id hoso does not have would be silently ignored: say so."""
    if not isinstance(levels, dict) or not levels:
        return []
    from .rules import catalogue

    known = sorted(r.id for r in catalogue())
    out = []
    for rule_id in levels:
        if rule_id not in known:
            guess = difflib.get_close_matches(rule_id, known, n=1)
            hint = f" Có phải là '{guess[0]}'?" if guess else ""
            out.append(_finding(file, child_path("$.muc_do_quy_tac", rule_id), f"không có quy tắc '{rule_id}' (xem `hoso rules`).{hint}"))
    return out
