"""Speed and memory of the main jobs on the bundled demo unit, as ratios to a baseline measured in the same run.

Run: ``.venv/bin/python benchmarks/run.py [--lap N]``. Each job runs as a child process; the report gives wall
time, the ratio to the baseline job and the peak resident memory of the job and its LibreOffice children.
Machines are shared and noisy, so targets are ratios, never seconds: the baseline is ``render --pdf``
(every document of the demo unit rendered and converted once), and every other job is compared with it
in the same run. With ``--lap N`` each job runs N times and the fastest run counts.

Targets (ratio to another job of the same run):
    check    ≤ 0.15 × render    the rules alone, no document
    dossier  ≤ 3.00 × render    every document rendered and converted once, plus attachments, indexes, merged PDFs, ZIPs
    demo     ≤ 1.15 × dossier   render --pdf and dossier in one run: no document rendered or converted twice
                                (before issue 10 demo ran both jobs: 1.46 × dossier)
    check    < 300 MB peak memory
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOSO = [sys.executable, "-m", "generator.cli"]
DEMO = ROOT / "examples" / "demo"
BASELINE = "render"
TARGETS = {"check": ("render", 0.15, 300), "dossier": ("render", 3.00, None), "demo": ("dossier", 1.15, None)}


def measure(args: list[str]) -> tuple[float, float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    code = subprocess.run(HOSO + args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    seconds = time.perf_counter() - start
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return seconds, peak, code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lap", type=int, default=1, help="runs per job; the fastest counts")
    laps = parser.parse_args().lap
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        jobs = {
            "render": lambda n: ["render", str(DEMO), "-o", f"{tmp}/van_ban{n}", "--pdf"],
            "check": lambda n: ["check", str(DEMO)],
            "dossier": lambda n: ["dossier", str(DEMO), "-o", f"{tmp}/ho_so{n}"],
            "demo": lambda n: ["demo", "-o", f"{tmp}/demo{n}"],
        }
        results = {}
        for name, args in jobs.items():
            runs = [measure(args(n)) for n in range(laps)]
            results[name] = (min(r[0] for r in runs), max(r[1] for r in runs), max(r[2] for r in runs))
        base = results[BASELINE][0]
        print(f"{BASELINE:<8} {base:7.1f} s  (mốc so sánh)  đỉnh bộ nhớ {results[BASELINE][1]:7.0f} MB  mã thoát {results[BASELINE][2]}")
        failed += results[BASELINE][2] != 0
        for name, (against, limit, limit_mb) in TARGETS.items():
            seconds, peak, code = results[name]
            ratio = seconds / results[against][0]
            ok = code == 0 and ratio <= limit and (limit_mb is None or peak <= limit_mb)
            failed += not ok
            memory = f" (mục tiêu < {limit_mb} MB)" if limit_mb else ""
            print(f"{name:<8} {seconds:7.1f} s  = {ratio:4.2f} × {against} (mục tiêu ≤ {limit:.2f})  đỉnh bộ nhớ {peak:7.0f} MB{memory}"
                  f"  mã thoát {code}  {'đạt' if ok else 'KHÔNG ĐẠT'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
