"""The façade: run the stages in order (load → validate → rules → render → convert → assemble)."""

from __future__ import annotations

from pathlib import Path

from .findings import Finding
from .validate import ValidForm, check_file


def validate_files(files: list[Path] | tuple[Path, ...]) -> list[Finding]:
    """Stages 1–2 for each file: every schema finding of every file."""
    findings: list[Finding] = []
    for path in files:
        found, _ = check_file(path)
        findings.extend(found)
    return findings


def valid_forms(files: list[Path] | tuple[Path, ...]) -> tuple[list[Finding], list[ValidForm]]:
    """Stages 1–2, keeping the forms that passed."""
    findings: list[Finding] = []
    forms: list[ValidForm] = []
    for path in files:
        found, form = check_file(path)
        findings.extend(found)
        if form is not None:
            forms.append(form)
    return findings, forms
