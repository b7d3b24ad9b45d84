"""Where the bundled data lives: inside the installed package, or at the top of a source checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_KINDS = ("schemas", "forms", "rulesets", "localities", "templates_docx", "examples")


@cache
def data_dir(kind: str) -> Path:
    """Return the folder of one kind of bundled data (``schemas``, ``forms``, ...).

    A wheel carries them under ``generator/data/``; a source checkout (editable
    install, tests) has them beside the package.
    """
    if kind not in _KINDS:
        raise ValueError(kind)
    for candidate in (_PACKAGE / "data" / kind, _PACKAGE.parent / kind):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled data folder {kind!r} not found")
