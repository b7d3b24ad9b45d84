"""Document numbers (generator/numbering.py): per issuer, type and term; no repeat, no silent skip, even racing or interrupted."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
from pathlib import Path

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


def _unnumbered_forms(tmp_path, names):
    """Form files of one issuer, each a different document, none with a number yet; and a locality with the term."""
    locality = tmp_path / "tinh.yaml"
    locality.write_text(yaml.safe_dump({"nhiem_ky": [{"tu": "2022-06-01", "den": "2025-05-31"}]}, allow_unicode=True), encoding="utf-8")
    form = yaml.safe_load((TESTS.parent / "examples" / "demo" / "tap_the" / "chi_bo_co_quan.yaml").read_text(encoding="utf-8"))
    del form["so_van_ban"]["so"]
    paths = []
    for name in names:
        path = tmp_path / "bieu_mau" / f"{name}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(yaml.safe_dump(form, allow_unicode=True), encoding="utf-8")
        paths.append(path)
    return paths, locality


def _printed_number(path) -> str:
    return docx.Document(str(path)).tables[0].rows[0].cells[0].paragraphs[3].text


def _rows(db):
    import sqlite3

    with sqlite3.connect(db) as con:
        return {Path(doc).stem: (so, state, reason) for so, doc, state, reason in con.execute("SELECT so, van_ban, trang_thai, ly_do FROM so_van_ban")}


# Run the CLI with a publish step that kills the process outright (no cleanup) when the second document is published.
DIE_IN_PUBLISH = textwrap.dedent("""
    import os, sys
    import generator.pipeline as pipeline
    real, calls = pipeline.publish, []
    def publish(*args, **kwargs):
        if calls:
            os._exit(9)
        calls.append(1)
        return real(*args, **kwargs)
    pipeline.publish = publish
    from generator.cli import main
    main(sys.argv[1:])
""")


def test_a_run_killed_while_publishing_never_gets_its_numbers_printed_twice(tmp_path, cli):
    db = tmp_path / "so.sqlite"
    (a, b, c, d), locality = _unnumbered_forms(tmp_path, "abcd")
    first, second = tmp_path / "out1", tmp_path / "out2"
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOSO_")}
    killed = subprocess.run(
        [sys.executable, "-c", DIE_IN_PUBLISH, "render", a, b, c, "-o", first, "--locality", locality, "--cap-so", "--so-dang-ky", db],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert killed.returncode == 9, killed.stderr
    assert cli("render", d, "-o", second, "--locality", locality, "--cap-so", "--so-dang-ky", db).exit_code == 0
    printed = {}
    for path in [*first.glob("*.docx"), *second.glob("*.docx")]:
        printed.setdefault(_printed_number(path), set()).add(path.stem)
    assert printed and all(len(docs) == 1 for docs in printed.values()), printed
    rows = _rows(db)
    assert rows["a"][:2] == (1, "da_dung") and rows["d"][:2] == (4, "da_dung")
    # The killed run's other numbers stay reserved for their own documents, with the reason written by the next run.
    for name in ("b", "c"):
        assert rows[name][1] == "du_tru" and "dừng đột ngột" in rows[name][2]
    # Rendering those documents again gives them back their own numbers and closes the gaps.
    assert cli("render", a, b, c, "-o", first, "--locality", locality, "--cap-so", "--so-dang-ky", db).exit_code == 0
    assert {_printed_number(first / f"{n}.docx") for n in "abc"} == {"Số 01-BC/CB", "Số 02-BC/CB", "Số 03-BC/CB"}
    assert {so: state for so, state, _ in _rows(db).values()} == {1: "da_dung", 2: "da_dung", 3: "da_dung", 4: "da_dung"}


def test_ctrl_c_while_publishing_records_the_gap_and_gives_back_unprinted_numbers(tmp_path, cli, monkeypatch):
    import generator.pipeline as pipeline

    db = tmp_path / "so.sqlite"
    (a, b, c, d), locality = _unnumbered_forms(tmp_path, "abcd")
    real, calls = pipeline.publish, []

    def interrupted(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "publish", interrupted)
    # click turns Ctrl-C into "Aborted!" and exit code 1.
    assert cli("render", a, b, c, "-o", tmp_path / "out1", "--locality", locality, "--cap-so", "--so-dang-ky", db).exit_code == 1
    monkeypatch.setattr(pipeline, "publish", real)
    rows = _rows(db)
    assert rows["a"][:2] == (1, "da_dung")
    assert rows["b"][:2] == (2, "du_tru") and "Ctrl-C" in rows["b"][2]  # it was being published: may be out
    assert "c" not in rows  # never published and still the last number: not consumed
    assert cli("render", d, "-o", tmp_path / "out2", "--locality", locality, "--cap-so", "--so-dang-ky", db).exit_code == 0
    assert _printed_number(tmp_path / "out2" / "d.docx") == "Số 03-BC/CB"


def test_a_run_failing_before_publishing_leaves_a_recorded_gap_only_when_a_later_number_was_taken(tmp_path):
    db = tmp_path / "so.sqlite"
    with pytest.raises(ConfigError), register(db) as first:
        assert first.number("X|ĐU", "QĐ", "t", "doc1", DAY) == 1
        first.reserve()
        with register(db) as other:  # a concurrent run numbers its own document meanwhile
            assert other.number("X|ĐU", "QĐ", "t", "doc2", DAY) == 2
        raise ConfigError("không điền được mẫu in")
    rows = _rows(db)
    assert rows["doc1"][:2] == (1, "bo_trong") and "không điền được mẫu in" in rows["doc1"][2]
    with register(db) as reg:
        assert reg.number("X|ĐU", "QĐ", "t", "doc3", DAY) == 3  # a gap never goes to another document
        assert reg.number("X|ĐU", "QĐ", "t", "doc1", DAY) == 1  # its own document takes it back
    assert {so: state for so, state, _ in _rows(db).values()} == {1: "da_dung", 2: "da_dung", 3: "da_dung"}


def test_a_register_without_status_columns_is_migrated(tmp_path):
    import sqlite3

    db = tmp_path / "so.sqlite"
    with sqlite3.connect(db) as con:
        con.execute(
            "CREATE TABLE so_van_ban (co_quan TEXT NOT NULL, loai TEXT NOT NULL, nhiem_ky TEXT NOT NULL, so INTEGER NOT NULL, "
            "van_ban TEXT NOT NULL, ngay_cap TEXT NOT NULL, PRIMARY KEY (co_quan, loai, nhiem_ky, so), UNIQUE (co_quan, loai, nhiem_ky, van_ban))"
        )
        con.execute("INSERT INTO so_van_ban VALUES ('X|ĐU', 'QĐ', 't', 1, 'old', '2024-01-02')")
    with register(db) as reg:
        assert reg.number("X|ĐU", "QĐ", "t", "old", DAY) == 1
        assert reg.number("X|ĐU", "QĐ", "t", "new", DAY) == 2
    assert {so: state for so, state, _ in _rows(db).values()} == {1: "da_dung", 2: "da_dung"}


def test_an_unusable_register_is_reported_in_vietnamese(tmp_path):
    db = tmp_path / "so.sqlite"
    db.write_bytes(b"this is not a database, just text " * 100)
    with pytest.raises(ConfigError, match="Không dùng được sổ đăng ký số văn bản"), register(db):
        pass


# -- quarters (issue 12): periods do not enter the register; each document's own date picks the term ----
def _issued(db):
    import sqlite3

    with sqlite3.connect(db) as con:
        return {doc: (so, nhiem_ky, day) for doc, so, nhiem_ky, day in con.execute("SELECT van_ban, so, nhiem_ky, ngay_cap FROM so_van_ban")}


def test_the_quarters_and_the_year_of_one_body_share_one_series(tmp_path):
    db = tmp_path / "so.sqlite"
    reports = [("quy_1", dt.date(2026, 3, 25)), ("quy_2", dt.date(2026, 6, 24)), ("quy_3", dt.date(2026, 9, 25)),
               ("quy_4", dt.date(2026, 12, 10)), ("nam", dt.date(2026, 12, 20))]
    with register(db) as reg:
        numbers = [reg.number("CHI BỘ A|CB", "BC", term_of(LOCALITY, "CB", day), doc, day) for doc, day in reports]
    assert numbers == [1, 2, 3, 4, 5]
    assert {doc: day for doc, (_, _, day) in _issued(db).items()} == {doc: day.isoformat() for doc, day in reports}


def test_a_series_runs_on_from_one_year_into_the_next_quarter_of_the_same_term(tmp_path):
    db = tmp_path / "so.sqlite"
    with register(db) as reg:
        year = reg.number("ĐẢNG ỦY XÃ A|ĐU", "QĐ", term_of(LOCALITY, "ĐU", dt.date(2024, 12, 20)), "nam_2024", dt.date(2024, 12, 20))
        quarter = reg.number("ĐẢNG ỦY XÃ A|ĐU", "QĐ", term_of(LOCALITY, "ĐU", dt.date(2025, 3, 28)), "quy_1_2025", dt.date(2025, 3, 28))
    assert (year, quarter) == (1, 2)


def test_a_term_ending_inside_a_quarter_numbers_each_document_in_the_term_of_its_date(tmp_path):
    # Quý III/2025: the term of LOCALITY ends 31/8/2025, the next begins 1/9/2025.
    db = tmp_path / "so.sqlite"
    documents = [("thang_7", dt.date(2025, 7, 15)), ("thang_8", dt.date(2025, 8, 29)), ("thang_9", dt.date(2025, 9, 26)),
                 ("quy_4", dt.date(2025, 12, 18))]
    with register(db) as reg:
        numbers = [reg.number("ĐẢNG ỦY XÃ A|ĐU", "QĐ", term_of(LOCALITY, "ĐU", day), doc, day) for doc, day in documents]
    assert numbers == [1, 2, 1, 2]
    issued = _issued(db)
    assert issued["thang_8"][1] == "2020-08-15..2025-08-31" and issued["thang_9"][1] == "2025-09-01..2030-08-31"


def test_render_numbers_quarter_reports_by_their_own_dates(tmp_path, cli):
    """Two quarters' reports of one chi bộ (Quy định 366): one series, the register records each report's ngay_lap."""
    db = tmp_path / "so.sqlite"
    locality = tmp_path / "tinh.yaml"
    locality.write_text(yaml.safe_dump({"nhiem_ky": [{"tu": "2025-09-01", "den": "2030-08-31"}]}, allow_unicode=True), encoding="utf-8")
    form = yaml.safe_load((TESTS / "examples" / "valid" / "qd366" / "collective_report.yaml").read_text(encoding="utf-8"))
    del form["so_van_ban"]["so"]
    paths = []
    for quarter, day in ((2, "2026-06-26"), (3, "2026-09-25")):
        path = tmp_path / f"quy_{quarter}.yaml"
        path.write_text(yaml.safe_dump(dict(form, ky_danh_gia={"nam": 2026, "quy": quarter}, ngay_lap=day), allow_unicode=True), encoding="utf-8")
        paths.append(path)
    result = cli("render", *paths, "-o", tmp_path / "out", "--locality", locality, "--cap-so", "--so-dang-ky", db)
    assert result.exit_code == 0, result.output
    assert {_printed_number(tmp_path / "out" / f"quy_{q}.docx") for q in (2, 3)} == {"Số 01-BC/CB", "Số 02-BC/CB"}
    assert sorted((Path(doc).stem, day) for doc, (_, _, day) in _issued(db).items()) == [("quy_2", "2026-06-26"), ("quy_3", "2026-09-25")]
