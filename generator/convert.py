"""Stage 5, convert: DOCX → PDF through LibreOffice headless, as a back-end with limits.

Each worker runs its own soffice with its own profile (two soffice processes sharing a
profile block each other), a timeout, one retry per failed file, and a check that every
expected PDF exists and is not empty. Output is PDF/A-2b by default (fonts embedded).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .errors import ConversionError

INSTALL_HINT = (
    "Cài LibreOffice và phông chữ bằng lệnh: "
    "sudo apt-get install -y libreoffice-writer-nogui fonts-liberation2 fonts-dejavu-core "
    "(hoặc chạy `bash scripts/demo` với quyền root, lệnh này tự cài)."
)
PDFA_VERSIONS = {"2b": 2, "1b": 1, "none": 0}


class LibreOfficeMissing(ConversionError):
    """soffice is not installed; the DOCX outputs are still valid. Exit 1."""


@dataclass(frozen=True)
class Converter:
    """Settings of the LibreOffice back-end."""

    soffice: str
    timeout_s: float = 180.0
    workers: int = 2
    pdfa: str = "2b"
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


def converter(pdfa: str = "2b", workers: int | None = None) -> Converter:
    """A Converter for this machine, or LibreOfficeMissing with the install hint."""
    soffice = find_soffice()
    if soffice is None:
        raise LibreOfficeMissing("Không tìm thấy LibreOffice (soffice) nên chưa tạo được PDF. " + INSTALL_HINT)
    timeout = float(os.environ.get("HOSO_SOFFICE_TIMEOUT", "180"))
    return Converter(soffice, timeout, workers or min(2, os.cpu_count() or 1), pdfa)


def to_pdf(docx_files: list[Path], conv: Converter) -> list[Path]:
    """Convert DOCX files; PDFs land beside them.

    Raises ConversionError naming what failed.
    """
    if not docx_files:
        return []
    chunks = [docx_files[i :: conv.workers] for i in range(conv.workers)]
    chunks = [c for c in chunks if c]
    with ThreadPoolExecutor(max_workers=len(chunks)) as pool:
        failed_lists = list(pool.map(lambda chunk: _run_chunk(chunk, conv), chunks))
    failed = [f for group in failed_lists for f in group]
    # One retry, file by file, for whatever the batch did not produce.
    still_failed = []
    for path in failed:
        detail = _run_chunk([path], conv, detail=True)
        if detail:
            still_failed.append(detail[0])
    if still_failed:
        lines = "; ".join(f"{Path(p).name}: {why}" for p, why in still_failed)
        raise ConversionError(f"LibreOffice không chuyển được sang PDF sau khi thử lại: {lines}")
    return [p.with_suffix(".pdf") for p in docx_files]


def to_stable_pdf(documents: list[tuple[Path, object]], conv: Converter) -> list[Path]:
    """Convert DOCX files and give each PDF stable bytes from its metadata (``render.DocumentMeta``)."""
    from .pdf import normalise

    pdfs = to_pdf([docx for docx, _ in documents], conv)
    for pdf, (_, meta) in zip(pdfs, documents):
        normalise(pdf, meta.day, title=meta.title, subject=meta.subject, keywords=meta.keywords)
    return pdfs


def _run_chunk(chunk: list[Path], conv: Converter, detail: bool = False) -> list:
    """Run one soffice over a chunk with a private profile; return what is missing."""
    by_dir: dict[Path, list[Path]] = {}
    for path in chunk:
        by_dir.setdefault(path.parent, []).append(path)
    missing: list = []
    with tempfile.TemporaryDirectory(prefix="hoso-lo-") as profile:
        env = dict(os.environ, HOME=profile, SAL_USE_VCLPLUGIN="svp")
        for outdir, files in by_dir.items():
            for f in files:
                f.with_suffix(".pdf").unlink(missing_ok=True)
            cmd = [
                conv.soffice,
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless", "--invisible", "--norestore", "--nolockcheck", "--nodefault", "--nologo",
                "--convert-to", conv.filter_spec(),
                "--outdir", str(outdir),
                *[str(f) for f in files],
            ]
            why = ""
            try:
                proc = subprocess.run(
                    cmd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                    timeout=conv.timeout_s * len(files),
                )
                why = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or [f"mã thoát {proc.returncode}"]
                why = why[0]
            except subprocess.TimeoutExpired:
                why = f"quá thời gian {conv.timeout_s:.0f} giây"
            except OSError as exc:
                why = str(exc)
            for f in files:
                pdf = f.with_suffix(".pdf")
                if not pdf.is_file() or pdf.stat().st_size == 0:
                    missing.append((f, why or "không có tệp PDF") if detail else f)
    return missing
