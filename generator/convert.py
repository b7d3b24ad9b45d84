"""Stage 5, convert: DOCX → PDF through LibreOffice headless, as a back-end with limits.

Each soffice call runs with its own profile (two soffice processes sharing a profile block
each other), in its own session, under one fixed timeout per call (``HOSO_SOFFICE_TIMEOUT``,
default 120 s, whatever the number of files). When a call ends, its whole process group is
killed (soffice starts soffice.bin, which killing soffice alone leaves running) and waited
for. Every output must be a complete PDF (pdf.problem); a file a call did not turn into one
is deleted and converted again on its own, once, then reported as a ConversionError naming
it. Profiles are removed on every exit path, and profiles of killed runs by the next run.
Output is PDF/A-2b by default (fonts embedded).
"""

from __future__ import annotations

import json
import math
import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError, ConversionError
from .output import abandoned, process_alive, process_token, remove_tree, write_owner
from .pdf import normalise, problem

INSTALL_HINT = (
    "Cài LibreOffice và phông chữ bằng lệnh: "
    "sudo apt-get install -y libreoffice-writer-nogui fonts-liberation2 fonts-dejavu-core "
    "(hoặc chạy `bash scripts/demo` với quyền root, lệnh này tự cài)."
)
PDFA_VERSIONS = {"2b": 2, "1b": 1, "none": 0}
DEFAULT_TIMEOUT_S = 120.0
BATCH = 16
"""Files per soffice call at most: a call must finish well within its fixed timeout."""
PROFILE_PREFIX = "hoso-lo-"
SOFFICE_FILE = ".soffice"
"""Inside a profile: the process token of the soffice using it (its group is killed if its run was)."""
GROUP_EXIT_WAIT_S = 5.0


class LibreOfficeMissing(ConversionError):
    """soffice is not installed; the DOCX outputs are still valid. Exit 1."""


@dataclass(frozen=True)
class Converter:
    """Settings of the LibreOffice back-end; ``timeout_s`` bounds each soffice call, not each file."""

    soffice: str
    timeout_s: float = DEFAULT_TIMEOUT_S
    workers: int = 2
    pdfa: str = "2b"
    batch: int = BATCH

    def filter_spec(self) -> str:
        options = {
            "SelectPdfVersion": {"type": "long", "value": str(PDFA_VERSIONS[self.pdfa])},
            "EmbedStandardFonts": {"type": "boolean", "value": "true"},
            "UseTaggedPDF": {"type": "boolean", "value": "true"},
            "ExportBookmarks": {"type": "boolean", "value": "true"},
        }
        return "pdf:writer_pdf_Export:" + json.dumps(options, separators=(",", ":"))


def find_soffice() -> str | None:
    """The soffice binary: $HOSO_SOFFICE, else soffice/libreoffice on PATH."""
    configured = os.environ.get("HOSO_SOFFICE")
    if configured:
        return configured if shutil.which(configured) else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def timeout_setting() -> float:
    """Seconds one soffice call may take: $HOSO_SOFFICE_TIMEOUT, else 120. Raises ConfigError when it is not a positive number."""
    raw = os.environ.get("HOSO_SOFFICE_TIMEOUT", "").strip()
    if not raw:
        return DEFAULT_TIMEOUT_S
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise ConfigError(f"HOSO_SOFFICE_TIMEOUT phải là số giây lớn hơn 0 (ví dụ 120), không phải '{raw}'.")
    return value


def converter(pdfa: str = "2b", workers: int | None = None) -> Converter:
    """A Converter for this machine, or LibreOfficeMissing with the install hint."""
    soffice = find_soffice()
    if soffice is None:
        raise LibreOfficeMissing("Không tìm thấy LibreOffice (soffice) nên chưa tạo được PDF. " + INSTALL_HINT)
    return Converter(soffice, timeout_setting(), workers or min(2, os.cpu_count() or 1), pdfa)


def to_pdf(docx_files: list[Path], conv: Converter) -> list[Path]:
    """Convert DOCX files; PDFs land beside them.

    Raises ConversionError naming every file that gave no complete PDF after its retry.
    """
    if not docx_files:
        return []
    sweep_profiles()
    with _Pool(conv) as pool:
        failed = pool.run(_calls(docx_files, conv))
        if failed:
            # One retry, file by file, for whatever the batch did not produce.
            failed = pool.run([[f] for f in docx_files if f in failed])
    if failed:
        lines = "; ".join(f"{Path(p).name}: {why}" for p, why in failed.items())
        raise ConversionError(f"LibreOffice không chuyển được sang PDF sau khi thử lại: {lines}")
    return [p.with_suffix(".pdf") for p in docx_files]


def to_stable_pdf(documents: list[tuple[Path, object]], conv: Converter) -> list[Path]:
    """Convert DOCX files and give each PDF stable bytes from its metadata (``render.DocumentMeta``)."""

    pdfs = to_pdf([docx for docx, _ in documents], conv)
    for pdf, (_, meta) in zip(pdfs, documents):
        normalise(pdf, meta.day, title=meta.title, subject=meta.subject, keywords=meta.keywords)
    return pdfs


def sweep_profiles() -> None:
    """Remove the profiles of runs that were killed (owner gone, or no owner file and older than a day)."""
    tmp = Path(tempfile.gettempdir())
    uid = os.getuid() if hasattr(os, "getuid") else None
    for folder in tmp.glob(PROFILE_PREFIX + "*"):
        try:
            if folder.is_symlink() or not folder.is_dir() or (uid is not None and folder.stat().st_uid != uid):
                continue
        except OSError:
            continue
        if abandoned(folder):
            # A soffice that outlived its killed run may still hang on to the profile: stop its group first.
            try:
                soffice = (folder / SOFFICE_FILE).read_text(encoding="ascii")
            except OSError:
                soffice = ""
            if soffice and process_alive(soffice):
                _kill_group(int(soffice.split()[0]))
                _wait_group_gone(int(soffice.split()[0]))
            remove_tree(folder)


def _calls(files: list[Path], conv: Converter) -> list[list[Path]]:
    """Split files into soffice calls: one output folder per call, at most ``conv.batch`` files, spread over the workers."""
    by_dir: dict[Path, list[Path]] = {}
    for path in files:
        by_dir.setdefault(path.parent, []).append(path)
    calls = []
    for group in by_dir.values():
        count = max(min(conv.workers, len(group)), math.ceil(len(group) / max(conv.batch, 1)))
        calls += [group[i::count] for i in range(count)]
    return calls


class _Pool:
    """Worker threads, each with a private LibreOffice profile, that stop every soffice when the run is interrupted."""

    def __init__(self, conv: Converter):
        self.conv = conv
        self.cancel = threading.Event()
        self.profiles: queue.SimpleQueue[Path] = queue.SimpleQueue()
        self.made: list[Path] = []
        self.lock = threading.Lock()

    def __enter__(self) -> _Pool:
        return self

    def __exit__(self, *exc) -> None:
        self.cancel.set()
        for profile in self.made:
            remove_tree(profile)

    def _profile(self) -> Path:
        try:
            return self.profiles.get_nowait()
        except queue.Empty:
            profile = Path(tempfile.mkdtemp(prefix=PROFILE_PREFIX))
            with self.lock:
                self.made.append(profile)
            write_owner(profile)
            return profile

    def run(self, calls: list[list[Path]]) -> dict[Path, str]:
        """Run the calls; return each file that gave no complete PDF, with why."""
        executor = ThreadPoolExecutor(max_workers=max(1, min(self.conv.workers, len(calls))))
        try:
            futures = [executor.submit(self._call, files) for files in calls]
            failed: dict[Path, str] = {}
            for future in futures:
                failed.update(future.result())
            return failed
        except BaseException:
            self.cancel.set()  # Ctrl-C or a bug: every running soffice is stopped now, not at its timeout
            raise
        finally:
            executor.shutdown(wait=True, cancel_futures=True)

    def _call(self, files: list[Path]) -> dict[Path, str]:
        if self.cancel.is_set():
            return {f: "đã dừng" for f in files}
        profile = self._profile()
        clean = False
        try:
            failed, clean = _convert(files, profile, self.conv, self.cancel)
        finally:
            if clean:
                self.profiles.put(profile)
            else:
                remove_tree(profile)  # a killed soffice may have left it half-written: never reuse it
        return failed


def _convert(files: list[Path], profile: Path, conv: Converter, cancel: threading.Event) -> tuple[dict[Path, str], bool]:
    """One soffice call over files of one folder; returns the files without a complete PDF (with why) and whether it ended cleanly."""

    outdir = files[0].parent
    for f in files:
        f.with_suffix(".pdf").unlink(missing_ok=True)
    cmd = [
        conv.soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless", "--invisible", "--norestore", "--nolockcheck", "--nodefault", "--nologo",
        "--convert-to", conv.filter_spec(),
        "--outdir", str(outdir),
        *[str(f) for f in files],
    ]
    env = dict(os.environ, HOME=str(profile), SAL_USE_VCLPLUGIN="svp")
    # Output goes to files, not pipes: a child that outlived soffice would hold a pipe open forever.
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        try:
            proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True)
        except OSError as exc:
            return {f: f"không chạy được LibreOffice: {exc}" for f in files}, True
        (profile / SOFFICE_FILE).write_text(process_token(proc.pid) + "\n", encoding="ascii")
        ended = _wait_and_stop(proc, conv.timeout_s, cancel)
        if ended == "timeout":
            why = f"quá thời gian {conv.timeout_s:g} giây cho một lần gọi LibreOffice"
        elif ended == "cancelled":
            why = "đã dừng"
        else:
            why = _last_line(err) or _last_line(out) or f"mã thoát {proc.returncode}"
    failed = {}
    for f in files:
        pdf = f.with_suffix(".pdf")
        if not pdf.exists():
            failed[f] = why or "không có tệp PDF"
            continue
        bad = problem(pdf)
        if bad:
            pdf.unlink(missing_ok=True)  # a broken output is never left where a PDF is expected
            failed[f] = bad + (f" ({why})" if ended != "exited" else "")
    return failed, ended == "exited"


def _wait_and_stop(proc: subprocess.Popen, timeout_s: float, cancel: threading.Event) -> str:
    """Wait for soffice up to the timeout, then kill its whole process group and wait until it is gone.

    Returns "exited", "timeout" or "cancelled".
    """
    deadline = time.monotonic() + timeout_s
    ended = "exited"
    try:
        while not _exited(proc):
            if cancel.is_set():
                ended = "cancelled"
                break
            left = deadline - time.monotonic()
            if left <= 0:
                ended = "timeout"
                break
            time.sleep(min(0.05, left))
    finally:
        # The child is not reaped yet, so its pid (the group id) cannot belong to anyone else.
        _kill_group(proc.pid)
        proc.wait()
        _wait_group_gone(proc.pid)
    return ended


def _exited(proc: subprocess.Popen) -> bool:
    """Whether the child has ended, without reaping it (its pid stays reserved for the group kill)."""
    if not hasattr(os, "waitid"):
        return proc.poll() is not None
    try:
        return os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:
        return True


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def group_members(pgid: int) -> list[int]:
    """Live (not zombie) processes of a process group, from /proc; [] when it is empty."""
    proc = Path("/proc")
    if not (proc / "self" / "stat").exists():
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return []
        return [pgid]
    members = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text(encoding="ascii", errors="replace")
        except OSError:
            continue
        fields = raw[raw.rfind(")") + 2 :].split()
        if len(fields) > 2 and fields[0] not in ("Z", "X") and fields[2] == str(pgid):
            members.append(int(entry.name))
    return members


def _wait_group_gone(pgid: int) -> None:
    """Wait until every killed process of the group is gone, so its profile and outputs can be removed."""
    deadline = time.monotonic() + GROUP_EXIT_WAIT_S
    while group_members(pgid) and time.monotonic() < deadline:
        _kill_group(pgid)
        time.sleep(0.02)


def _last_line(fh) -> str:
    fh.seek(0)
    lines = fh.read().decode("utf-8", errors="replace").strip().splitlines()
    return lines[-1].strip() if lines else ""
