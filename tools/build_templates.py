"""Regenerate the built-in docxtpl templates under templates_docx/.

Run: ``python tools/build_templates.py [NAME ...]``. Each module in tools/templates/ exposes
``TEMPLATES = {"qd124/<key>.docx": builder}``; a builder returns a PartyDoc. The .docx files
are what clerks open and edit; this script is how developers produce the built-in ones
consistently. A locality that edits its own copies overlays them with ``--templates DIR``.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "templates_docx"
sys.path.insert(0, str(HERE))


def builders() -> dict:
    found = {}
    for module_path in sorted((HERE / "templates").glob("[!_]*.py")):
        module = importlib.import_module(f"templates.{module_path.stem}")
        found.update(module.TEMPLATES)
    return found


def main(names: list[str]) -> None:
    for target, build in builders().items():
        if names and not any(n in target for n in names):
            continue
        build().save(OUT / target)
        print(f"Đã tạo {OUT / target}")


if __name__ == "__main__":
    main(sys.argv[1:])
