"""Speed and memory of the main jobs on the bundled demo unit (targets below; not part of the tests).

Run: ``.venv/bin/python benchmarks/run.py``. Each job runs as a child process; the report gives wall
time and the peak resident memory of the job and its LibreOffice children.

Targets (2 cores, 24 GiB, LibreOffice installed), for the 13-member demo unit:
    check    < 5 s,   < 300 MB
    render   < 90 s   (43 documents, DOCX + PDF/A)
    dossier  < 120 s  (15 packages, every document rendered once, merged PDFs, ZIPs)
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOSO = [sys.executable, "-m", "generator.cli"]
DEMO = ROOT / "examples" / "demo"
TARGETS = {"check": (5, 300), "render": (90, None), "dossier": (120, None)}


def measure(name: str, args: list[str]) -> tuple[float, float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    code = subprocess.run(HOSO + args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    seconds = time.perf_counter() - start
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return seconds, peak, code


def main() -> int:
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        jobs = {
            "check": ["check", str(DEMO)],
            "render": ["render", str(DEMO), "-o", f"{tmp}/van_ban", "--pdf"],
            "dossier": ["dossier", str(DEMO), "-o", f"{tmp}/ho_so"],
        }
        for name, args in jobs.items():
            seconds, peak, code = measure(name, args)
            limit_s, limit_mb = TARGETS[name]
            ok = code == 0 and seconds <= limit_s and (limit_mb is None or peak <= limit_mb)
            failed += not ok
            print(f"{name:<8} {seconds:7.1f} s  đỉnh bộ nhớ {peak:7.0f} MB  mã thoát {code}  {'đạt' if ok else 'KHÔNG ĐẠT'} (mục tiêu {limit_s} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
