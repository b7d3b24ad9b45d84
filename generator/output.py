"""Writing outputs safely: stage in a private folder, then move into place, keeping what was there."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

PREVIOUS_DIR = "_phien_ban_truoc"
STALE_AFTER_S = 24 * 3600
"""Where a file that a new run replaces is kept, under a time-stamped folder."""


def private_dir(path: Path) -> Path:
    """Create a folder readable by its owner only (party-member data is confidential)."""
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


@contextmanager
def staging(out_dir: Path) -> Iterator[Path]:
    """A private staging folder inside ``out_dir`` (same filesystem, so moves are atomic).

    It is removed on exit, whether the run succeeded or not. Staging folders that runs killed
    more than a day ago left behind are removed first (never a concurrent run's).
    """
    private_dir(out_dir)
    now = time.time()
    for stale in out_dir.glob(".hoso-dang-tao-*"):
        if stale.is_dir() and now - stale.stat().st_mtime > STALE_AFTER_S:
            shutil.rmtree(stale, ignore_errors=True)
    stage = Path(tempfile.mkdtemp(prefix=".hoso-dang-tao-", dir=out_dir))
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's content, read in blocks."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def publish(stage: Path, out_dir: Path, names: list[str]) -> list[Path]:
    """Move staged files into ``out_dir``; an existing different file is kept under _phien_ban_truoc/.

    Identical files are left alone. Returns the published paths.
    """
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    published = []
    for name in names:
        src, dst = stage / name, out_dir / name
        os.chmod(src, 0o600)
        if dst.parent != out_dir:
            private_dir(dst.parent)
        if dst.exists():
            if sha256_file(dst) == sha256_file(src):
                published.append(dst)
                continue
            keep = private_dir((out_dir / PREVIOUS_DIR / stamp / name).parent)
            os.replace(dst, keep / Path(name).name)
        os.replace(src, dst)
        published.append(dst)
    return published


VERSIONS_DIR = ".phien_ban"


def publish_tree(stage: Path, out_dir: Path, name: str) -> Path:
    """Make a fully built folder the current ``out_dir/name`` in one atomic step.

    The folder moves to ``out_dir/.phien_ban/<time>/``; ``out_dir/name`` is a symbolic link
    swapped by rename, so a run killed at any moment leaves the previous version or the new
    one, never a mix, and every earlier version stays on disk.
    """
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    versions = private_dir(out_dir / VERSIONS_DIR)
    target = versions / stamp
    os.replace(stage, target)
    link = out_dir / name
    if link.exists() and not link.is_symlink():
        # A real folder from an older layout: keep it as a version of its own.
        os.replace(link, versions / f"{stamp}-truoc")
    tmp_link = out_dir / f".{name}.{stamp}.tmp"
    os.symlink(os.path.relpath(target, out_dir), tmp_link)
    os.replace(tmp_link, link)
    return link


def write_stable_zip(folder: Path, target: Path, root: str) -> None:
    """Zip a folder with sorted names, fixed timestamps and owner-only modes: same files, same bytes."""
    import zipfile

    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{root}/{path.relative_to(folder).as_posix()}", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, path.read_bytes())
    os.chmod(target, 0o600)
