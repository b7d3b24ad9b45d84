"""Document numbers (generator/numbering.py): per issuer, type and term; no repeat, no skip, even racing."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap

import docx
import pytest
import yaml

from conftest import TESTS, docx_text
from generator.errors import ConfigError
from generator.numbering import register, term_of

DAY = dt.date(2024, 12, 12)
LOCALITY = {"nhiem_ky": [{"ky_hieu_co_quan": "ĐU", "tu": "2020-08-15", "den": "2025-08-31"}, {"tu": "2025-09-01", "den": "2030-08-31"}]}


def test_numbers_count_per_issuer_type_and_term(tmp_path):
    db = tmp_path / "so.sqlite"
    with register(db) as reg:
        a = reg.number("ĐẢNG ỦY XÃ A|ĐU", "QĐ", "t1", "a", DAY)
        b = reg.number("ĐẢNG ỦY XÃ A|ĐU", "QĐ", "t1", "b", DAY)
        c = reg.number("ĐẢNG ỦY XÃ A|ĐU", "BC", "t1", "c", DAY)
        d = reg.number("ĐẢNG ỦY XÃ B|ĐU", "QĐ", "t1", "d", DAY)
        e = reg.number("ĐẢNG ỦY XÃ A|ĐU", "QĐ", "t2", "e", DAY)
    assert (a, b, c, d, e) == (1, 2, 1, 1, 1)


def test_same_document_keeps_its_number(tmp_path):
    db = tmp_path / "so.sqlite"
    with register(db) as reg:
        first = reg.number("X|ĐU", "QĐ", "t", "doc", DAY)
    with register(db) as reg:
        assert reg.number("X|ĐU", "QĐ", "t", "doc", DAY) == first
        assert reg.number("X|ĐU", "QĐ", "t", "other", DAY) == first + 1


def test_a_failed_run_consumes_no_number(tmp_path):
    db = tmp_path / "so.sqlite"
    with pytest.raises(RuntimeError), register(db) as reg:
        reg.number("X|ĐU", "QĐ", "t", "doc1", DAY)
        raise RuntimeError("rendering failed")
    with register(db) as reg:
        assert reg.number("X|ĐU", "QĐ", "t", "doc2", DAY) == 1


def test_racing_processes_never_repeat_or_skip(tmp_path):
    db = tmp_path / "so.sqlite"
    script = textwrap.dedent(f"""
        import datetime as dt, sys, time
        from pathlib import Path
        from generator.numbering import register
        for i in range(15):
            with register(Path({str(db)!r})) as reg:
                reg.number("X|ĐU", "QĐ", "t", sys.argv[1] + str(i), dt.date(2024, 12, 1))
                time.sleep(0.005)
    """)
    procs = [subprocess.Popen([sys.executable, "-c", script, name]) for name in ("a", "b", "c")]
    assert all(p.wait(timeout=120) == 0 for p in procs)
    import sqlite3

    numbers = sorted(n for (n,) in sqlite3.connect(db).execute("SELECT so FROM so_van_ban"))
    assert numbers == list(range(1, 46))


def test_term_comes_from_the_locality():
    assert term_of(LOCALITY, "ĐU", DAY) == "2020-08-15..2025-08-31"
    assert term_of(LOCALITY, "HU", dt.date(2026, 1, 1)) == "2025-09-01..2030-08-31"
    with pytest.raises(ConfigError, match="nhiem_ky"):
        term_of(LOCALITY, "HU", DAY)


def test_render_assigns_numbers_to_unnumbered_documents(tmp_path, cli, monkeypatch):
    monkeypatch.setenv("HOSO_DATA", str(tmp_path / "data"))
    locality = tmp_path / "tinh.yaml"
    locality.write_text(yaml.safe_dump({"nhiem_ky": [{"tu": "2022-06-01", "den": "2025-05-31"}]}, allow_unicode=True), encoding="utf-8")
    form = yaml.safe_load((TESTS.parent / "examples" / "demo" / "tap_the" / "chi_bo_co_quan.yaml").read_text(encoding="utf-8"))
    del form["so_van_ban"]["so"]
    for name in ("a", "b"):
        (tmp_path / f"{name}.yaml").write_text(yaml.safe_dump(form, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    args = ["render", tmp_path / "a.yaml", tmp_path / "b.yaml", "-o", out, "--locality", locality]
    assert cli(*args).exit_code == 0
    assert "Số …-BC/CB" in docx_text(out / "a.docx")
    assert cli(*args, "--cap-so").exit_code == 0
    numbers = {docx.Document(str(out / f"{n}.docx")).tables[0].rows[0].cells[0].paragraphs[3].text for n in ("a", "b")}
    assert numbers == {"Số 01-BC/CB", "Số 02-BC/CB"}
    assert cli(*args, "--cap-so").exit_code == 0  # re-issuing keeps the same numbers
    assert docx.Document(str(out / "a.docx")).tables[0].rows[0].cells[0].paragraphs[3].text in numbers
