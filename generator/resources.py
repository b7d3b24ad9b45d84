"""Where the data lives: inside the installed package or at the top of a source checkout, and in the
extra data folders named by ``HOSO_DU_LIEU`` (rulesets, forms, schemas and templates added as data)."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_KINDS = ("schemas", "forms", "rulesets", "localities", "rosters", "templates_docx", "examples")
EXTRA_ENV = "HOSO_DU_LIEU"
"""Folders (separated by ``os.pathsep``) laid out like the bundled data (``rulesets/``, ``forms/``,
``schemas/``, ``templates_docx/``): a ruleset, a form or a template added there needs no Python."""


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


def extra_roots() -> tuple[Path, ...]:
    """The extra data folders of ``HOSO_DU_LIEU``, in the order given."""
    return tuple(Path(p) for p in os.environ.get(EXTRA_ENV, "").split(os.pathsep) if p)


def data_dirs(kind: str) -> tuple[Path, ...]:
    """Every folder of one kind of data: the extra folders first (they win), then the bundled one."""
    return (*(root / kind for root in extra_roots() if (root / kind).is_dir()), data_dir(kind))


def find_data(kind: str, relative: str) -> Path | None:
    """The first file ``relative`` in the folders of ``kind`` (extra folders first), or None."""
    for folder in data_dirs(kind):
        candidate = folder / relative
        if candidate.is_file():
            return candidate
    return None
