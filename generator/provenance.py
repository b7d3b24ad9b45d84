"""Where each value of a unit was typed: a roster cell or a Word form's section, so findings can point back there.

``hoso init --roster`` and ``hoso forms import`` write ``.hoso/nguon.json`` in the unit folder::

    {"phien_ban": 1,
     "tep": {"don_vi.yaml": {"$.thanh_vien[3].ngay_vao_dang": "danh_sach.xlsx, ô Thành viên!F6"},
             "ca_nhan/nguyen_van_an.yaml": {"$.kiem_diem.uu_diem.pham_chat": "phieu/nguyen_van_an.docx, mục «1. Phẩm chất chính trị»"}}}

File names are relative to the unit folder (POSIX); paths are JSON paths as findings write them. A finding gets the
origin of the longest recorded path that contains it (``$.a.b[2]`` is inside ``$.a.b``), else of the first recorded
path inside it (a missing section points at where its parts were typed).
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Iterable

from .findings import Finding

FOLDER = ".hoso"
FILE = "nguon.json"
VERSION = 1

Origins = dict[str, dict[str, str]]
"""File (relative to the unit folder) → JSON path → where it was typed."""


def origins_path(unit_dir: Path) -> Path:
    return unit_dir / FOLDER / FILE


def read(unit_dir: Path) -> Origins:
    """The recorded origins of a unit folder; empty when none were recorded or the file is unreadable."""
    try:
        data = json.loads(origins_path(unit_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("tep") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return {}
    return {str(name): {str(k): str(v) for k, v in paths.items()} for name, paths in files.items() if isinstance(paths, dict)}


def merged(old: Origins, new: Origins, replace: Iterable[str] = ()) -> Origins:
    """``old`` with ``new`` laid over it; the files in ``replace`` lose their old entries first (re-imported whole)."""
    gone = set(replace)
    out = {name: dict(paths) for name, paths in old.items() if name not in gone}
    for name, paths in new.items():
        out.setdefault(name, {}).update(paths)
    return out


def content(origins: Origins) -> bytes:
    """The bytes of ``.hoso/nguon.json`` for ``origins`` (stable order, so an unchanged record is byte-identical)."""
    data = {"phien_ban": VERSION, "tep": {name: dict(sorted(origins[name].items())) for name in sorted(origins)}}
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def write(unit_dir: Path, origins: Origins) -> None:
    """Replace the record of ``unit_dir`` atomically (owner-only)."""
    folder = unit_dir / FOLDER
    folder.mkdir(mode=0o700, exist_ok=True)
    tmp = folder / f".{FILE}.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(content(origins))
    os.replace(tmp, origins_path(unit_dir))


def inside(path: str, parent: str) -> bool:
    """Whether JSON path ``path`` is ``parent`` or lies under it (``$.a[2]`` is not under ``$.a[20]``)."""
    return path == parent or (path.startswith(parent) and path[len(parent)] in ".[")


def origin_of(paths: dict[str, str], json_path: str) -> str:
    """The origin recorded for ``json_path`` in one file's record ("" when none)."""
    holders = [p for p in paths if inside(json_path, p)]
    if holders:
        return paths[max(holders, key=len)]
    parts = sorted(p for p in paths if inside(p, json_path))
    return paths[parts[0]] if parts else ""


def annotate(findings: list[Finding], unit_dir: Path) -> list[Finding]:
    """``findings`` with ``origin`` filled where the unit records where the value was typed."""
    origins = read(unit_dir)
    if not origins:
        return findings
    root = unit_dir.resolve()
    out = []
    for f in findings:
        paths = origins.get(_relative(f.file, root))
        where = origin_of(paths, f.json_path) if paths else ""
        out.append(dataclasses.replace(f, origin=where) if where and not f.origin else f)
    return out


def _relative(file: str, root: Path) -> str:
    try:
        return Path(file).resolve().relative_to(root).as_posix()
    except (ValueError, OSError):
        return ""
