"""`pip install .` ships everything: schemas, templates, registry, rulesets, localities, examples."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_carries_the_data_and_works_without_the_source_tree(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        check=True, timeout=300, cwd=tmp_path,
    )
    wheel = next(wheels.glob("hoso-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "generator/data/schemas/common.schema.json",
        "generator/data/schemas/qd124/individual_leader.schema.json",
        "generator/data/forms/qd124/individual_leader.yaml",
        "generator/data/rulesets/rulesets.yaml",
        "generator/data/localities/mac_dinh.yaml",
        "generator/data/templates_docx/qd124/collective_report.docx",
        "generator/data/examples/demo/tap_the/dang_uy_xa.yaml",
    ):
        assert expected in names

    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        check=True, timeout=300,
    )
    env = dict(os.environ, PYTHONPATH=str(target))
    where = subprocess.run(
        [sys.executable, "-c", "from generator.resources import data_dir; print(data_dir('templates_docx'))"],
        env=env, cwd=tmp_path, capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert where.startswith(str(target))
    out = tmp_path / "out"
    demo = subprocess.run(
        [sys.executable, "-m", "generator.cli", "demo", "-o", str(out), "--no-pdf"],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert demo.returncode == 0, demo.stderr
    assert (out / "tap_the" / "dang_uy_xa.docx").exists()
    assert (out / "van_ban" / "qd_xep_loai_dang_vien.docx").exists()
    lint = subprocess.run([sys.executable, "-m", "generator.cli", "lint"], env=env, cwd=tmp_path, capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout
