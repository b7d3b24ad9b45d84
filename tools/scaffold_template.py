"""Write a first draft of a docxtpl template from its builder, never over an existing file.

Run: ``python tools/scaffold_template.py [TÊN ...] [--ra THƯ_MỤC]``. The committed ``.docx`` files
under ``templates_docx/`` are the source of truth: clerks and developers edit them in Word or
LibreOffice. The builders in ``tools/templates/`` (each module exposes
``TEMPLATES = {"qd124/<key>.docx": builder}``, a builder returns a PartyDoc) are a scaffold library:
they give a new form, or a form of a new ruleset, a first draft in the Party document format. A
name is a builder's key (``minutes``) or target (``qd124/minutes``); no name means every builder.
``--ra THƯ_MỤC`` writes the drafts under another folder (``THƯ_MỤC/qd124/minutes.docx``), for
example to compare a builder with the committed template or to start a locality's overlay.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEMPLATES_DOCX = HERE.parent / "templates_docx"
sys.path.insert(0, str(HERE))


def builders() -> dict:
    """Every builder of the scaffold library: target (``qd124/minutes.docx``) → function returning a PartyDoc."""
    found = {}
    for module_path in sorted((HERE / "templates").glob("[!_]*.py")):
        module = importlib.import_module(f"templates.{module_path.stem}")
        found.update(module.TEMPLATES)
    return found


def _matches(name: str, target: str) -> bool:
    bare = target.removesuffix(".docx")
    return name.removesuffix(".docx") in (bare, bare.split("/", 1)[-1])


def scaffold(names: list[str], out: Path) -> int:
    """Write the drafts of the named builders under ``out``; returns the exit code (0 done, 1 nothing written)."""
    known = builders()
    unknown = [n for n in names if not any(_matches(n, t) for t in known)]
    if unknown:
        print(f"Không có bộ dựng mẫu in: {', '.join(unknown)}. Các mẫu có bộ dựng: "
              f"{', '.join(t.removesuffix('.docx') for t in known)}.", file=sys.stderr)
        return 1
    chosen = {t: b for t, b in known.items() if not names or any(_matches(n, t) for n in names)}
    existing = [out / t for t in chosen if (out / t).exists()]
    if existing:
        # A committed template is edited by hand in Word: overwriting it would silently lose those edits.
        for path in existing:
            print(f"Đã có tệp {path}: không ghi đè.", file=sys.stderr)
        print("Không tạo tệp nào. Mẫu in đã có là bản gốc: hãy sửa trực tiếp bằng Word hoặc LibreOffice; "
              "muốn xem bản nháp từ bộ dựng thì dùng --ra THƯ_MỤC.", file=sys.stderr)
        return 1
    for target, build in chosen.items():
        path = out / target
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "xb") as handle:  # "x": fails rather than overwrite a file created meanwhile
            handle.write(build().to_bytes())
        print(f"Đã tạo bản nháp {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Tạo bản nháp mẫu in từ bộ dựng trong tools/templates/, chỉ khi tệp chưa có (không bao giờ ghi đè).",
    )
    parser.add_argument("ten", nargs="*", metavar="TÊN", help="khóa (minutes) hoặc đích (qd124/minutes); bỏ trống: mọi bộ dựng")
    parser.add_argument("--ra", type=Path, default=TEMPLATES_DOCX, metavar="THƯ_MỤC",
                        help=f"thư mục ghi bản nháp (mặc định {TEMPLATES_DOCX})")
    args = parser.parse_args(argv)
    return scaffold(args.ten, args.ra)


if __name__ == "__main__":
    sys.exit(main())
