"""Paths taken from data (forms, ``van_ban``, attachments, manifests) stay inside their root folder."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath


class PathOutside(ValueError):
    """A path from data leaves its root, is absolute, or goes through a link; ``reason`` is Vietnamese."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _plain(name: str) -> None:
    if not isinstance(name, str) or not name.strip():
        raise PathOutside("đường dẫn trống")
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise PathOutside("đường dẫn có ký tự điều khiển")
    if "\\" in name:
        raise PathOutside("đường dẫn dùng dấu \\ (hãy dùng dấu /)")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise PathOutside("đường dẫn tuyệt đối (phải là đường dẫn tương đối)")


def plain_relative(name: str) -> PurePosixPath:
    """A plain relative POSIX path: no absolute path, drive, backslash, ``..``, empty part or control character.

    Raises PathOutside saying why not.
    """
    _plain(name)
    parts = name.split("/")
    if ".." in parts:
        raise PathOutside("đường dẫn đi ra ngoài thư mục gốc (có '..')")
    clean = [p for p in parts if p not in ("", ".")]
    if not clean:
        raise PathOutside("đường dẫn không chỉ tới tệp nào")
    return PurePosixPath(*clean)


def inside(root: Path, name: str, also: tuple[Path, ...] = ()) -> Path:
    """``root/name`` when it lies inside ``root`` (or one of the folders ``also`` that the person running
    hoso allowed) with no symbolic link on the way; else PathOutside.

    The file need not exist. Links are refused rather than followed (a link inside a unit, alone or
    followed by ``..``, could otherwise make hoso read or write a file elsewhere). The path is
    returned with ``..`` resolved by name, so the system never walks through one.
    """
    _plain(name)
    if not [p for p in name.split("/") if p not in ("", ".", "..")]:
        raise PathOutside("đường dẫn không chỉ tới tệp nào")
    try:
        return _inside(root, name, also)
    except OSError as exc:  # a name the system cannot hold (too long, invalid): never a traceback
        raise PathOutside(f"đường dẫn không dùng được ({exc.strerror or exc})") from None


def _inside(root: Path, name: str, also: tuple[Path, ...]) -> Path:
    current = root
    for part in name.split("/"):
        if part in ("", "."):
            continue
        current = current / part
        if part != ".." and current.is_symlink():
            raise PathOutside(f"'{name}' đi qua liên kết (symlink) '{part}'; hãy chép tệp thật vào thư mục")
    target = Path(os.path.normpath(root / name))
    for base in (root, *also):
        real, real_base = Path(os.path.realpath(target)), Path(os.path.realpath(base))
        if real == real_base or real_base in real.parents:
            return target
    if ".." in name.split("/"):
        raise PathOutside(f"'{name}' đi ra ngoài thư mục đơn vị (có '..'); hãy chép tệp vào thư mục đơn vị, hoặc cho phép một thư mục dùng chung bằng --thu-muc-chung")
    raise PathOutside(f"'{name}' nằm ngoài thư mục đơn vị")


def unit_folder(target: Path) -> Path:
    """The folder of a unit given as its folder or its manifest file."""
    return target if target.is_dir() else target.parent
