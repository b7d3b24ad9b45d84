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
"""Where a file that a new run replaces is kept, under a time-stamped folder."""
STALE_AFTER_S = 24 * 3600
"""Age after which a staging folder without an owner file counts as abandoned."""
STAGING_PREFIX = ".hoso-dang-tao-"
OWNER_FILE = ".chu_so_huu"
"""Inside a staging folder: "<pid> <start time>" of the run that made it."""


def private_dir(path: Path) -> Path:
    """Create a folder (and missing parents) readable by its owner only; return it.

    Only folders this call creates get mode 0700 (party-member data is confidential); a folder
    that already existed keeps its mode, so pointing hoso at a shared folder never locks others
    out of it. Raises OSError when the path exists and is not a folder, or cannot be created.
    """
    missing = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            continue  # made meanwhile by a concurrent run, which set its mode
        os.chmod(folder, 0o700)  # mkdir's mode passes through the umask
    path.mkdir(exist_ok=True)  # raises FileExistsError when the path is a file
    return path


def process_token(pid: int | None = None) -> str:
    """Who a process is, stable for its lifetime: "<pid> <start time>" (pid numbers get reused)."""
    pid = os.getpid() if pid is None else pid
    return f"{pid} {_start_time(pid) or ''}".strip()


def process_alive(token: str) -> bool:
    """Whether the process a ``process_token`` names is still running (not gone, not a zombie, not a newer process with its pid)."""
    try:
        pid_text, _, start = token.strip().partition(" ")
        pid = int(pid_text)
    except ValueError:
        return False
    if pid <= 0:
        return False
    if not Path("/proc/self/stat").exists():  # no procfs (e.g. macOS): the pid alone has to do
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    now = _start_time(pid)
    return now is not None and (not start or now == start)


def _start_time(pid: int) -> str | None:
    """Field 22 of /proc/<pid>/stat (start time in clock ticks since boot); None if gone or a zombie, "" without procfs."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except FileNotFoundError:
        return None if Path("/proc/self/stat").exists() else ""
    except OSError:
        return None
    # Field 2 (the command name, in parentheses) may itself contain spaces and parentheses.
    fields = raw[raw.rfind(")") + 2 :].split()
    if len(fields) < 20 or fields[0] in ("Z", "X"):
        return None
    return fields[19]


def write_owner(folder: Path) -> None:
    """Mark a temporary folder as this process's, so a later run can tell when it was abandoned."""
    fd = os.open(folder / OWNER_FILE, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(process_token() + "\n")


def abandoned(folder: Path, now: float | None = None) -> bool:
    """Whether a temporary folder's owner is dead (owner file), or, without one, it is older than a day."""
    try:
        token = (folder / OWNER_FILE).read_text(encoding="ascii", errors="replace")
    except FileNotFoundError:
        try:
            age = (now or time.time()) - folder.stat().st_mtime
        except OSError:
            return False
        return age > STALE_AFTER_S
    except OSError:
        return False
    return not process_alive(token)


def remove_tree(path: Path, attempts: int = 5) -> None:
    """Remove a folder and everything in it, retrying while a just-stopped process may still be finishing writes."""
    for attempt in range(attempts):
        try:
            shutil.rmtree(path)
            return
        except FileNotFoundError:
            return
        except OSError:
            time.sleep(0.1 * (attempt + 1))
    shutil.rmtree(path, ignore_errors=True)


@contextmanager
def staging(out_dir: Path) -> Iterator[Path]:
    """A private staging folder inside ``out_dir`` (same filesystem, so moves are atomic).

    It is removed on exit, whether the run succeeded or not. Staging folders left by killed
    runs are removed first: those whose owner file names a process that is gone, and those
    without an owner file that are more than a day old (never a live concurrent run's).
    """
    private_dir(out_dir)
    now = time.time()
    for stale in out_dir.glob(STAGING_PREFIX + "*"):
        if stale.is_dir() and not stale.is_symlink() and abandoned(stale, now):
            remove_tree(stale)
    stage = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
    try:
        write_owner(stage)
        yield stage
    finally:
        remove_tree(stage)


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's content, read in blocks."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def publish(stage: Path, out_dir: Path, names: list[str], stamp: str | None = None) -> list[Path]:
    """Move staged files into ``out_dir``; an existing different file is kept under _phien_ban_truoc/<stamp>/.

    Identical files are left alone. Calls of one run pass the same ``stamp`` (default: now).
    Returns the published paths.
    """
    stamp = stamp or time_stamp()
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


def time_stamp() -> str:
    """The name of a time-stamped folder (_phien_ban_truoc/, .phien_ban/): local time to the microsecond."""
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")


def publish_tree(stage: Path, out_dir: Path, name: str) -> Path:
    """Make a fully built folder the current ``out_dir/name`` in one atomic step.

    The folder moves to ``out_dir/.phien_ban/<time>/``; ``out_dir/name`` is a symbolic link
    swapped by rename, so a run killed at any moment leaves the previous version or the new
    one, never a mix, and every earlier version stays on disk.
    """
    stamp = time_stamp()
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
