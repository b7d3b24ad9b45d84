"""Stage 5 (generator/convert.py): PDF/A from LibreOffice with the DOCX's content, fonts and metadata."""

from __future__ import annotations

import collections
import datetime as dt
import os
import stat
import time
from pathlib import Path

import pypdf
import pytest

from conftest import DEMO, demo_forms, docx_text, needs_libreoffice, words
from generator import convert
from generator.render import DocumentMeta

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory):
    """The demo run once: every example form to DOCX and PDF."""
    if not convert.find_soffice():
        pytest.skip("LibreOffice (soffice) chưa được cài")
    from click.testing import CliRunner

    from generator.cli import main

    out = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(main, ["demo", "--nam", "2024", "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


def repeated_header_text(path: Path) -> str:
    import docx

    doc = docx.Document(str(path))
    return "".join(
        c.text for t in doc.tables if "w:tblHeader" in t.rows[0]._tr.xml for c in t.rows[0].cells
    )


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(str(path)).pages)


def out(demo_out: Path, stem: str, suffix: str) -> Path:
    """The output of a demo form, wherever the unit keeps it (tap_the/, ca_nhan/, van_ban/ …)."""
    return next(demo_out.glob(f"*/{stem}{suffix}"))


@needs_libreoffice
def test_demo_produces_a_docx_and_a_pdf_per_document_of_the_unit(demo_out):
    from generator.source import load_unit

    _, unit = load_unit(DEMO)
    expected = {Path(f.path).resolve().relative_to(DEMO.resolve()).with_suffix("").as_posix() for f in unit.forms()}
    produced = lambda suffix: {  # noqa: E731 - the documents, not the dossiers (ho_so/, .phien_ban/)
        p.relative_to(demo_out).with_suffix("").as_posix() for p in demo_out.glob(f"*/*{suffix}") if p.parts[-2] not in ("ho_so", ".phien_ban")
    }
    assert produced(".docx") == expected
    assert produced(".pdf") == expected


@needs_libreoffice
@pytest.mark.parametrize("form", demo_forms(), ids=lambda p: p.stem)
def test_pdf_has_the_same_text_as_the_docx(form, demo_out):
    """Same characters, ignoring layout: PDF text extraction splits and reorders words."""
    docx_path, pdf_path = out(demo_out, form.stem, ".docx"), out(demo_out, form.stem, ".pdf")
    docx_chars = "".join(docx_text(docx_path).split())
    pdf_chars = "".join(pdf_text(pdf_path).split())
    extra = collections.Counter()
    # Page numbers are a header field, present only in the PDF.
    for n in range(2, len(pypdf.PdfReader(str(pdf_path)).pages) + 1):
        extra.update(str(n))
    # A table's header row repeats on every page the table spans.
    header = "".join(repeated_header_text(docx_path).split())
    if header:
        extra.update(header * (pdf_chars.count("Kếtquảthựchiện(sảnphẩmcụthể)") - 1))
    assert collections.Counter(pdf_chars) - extra == collections.Counter(docx_chars)
    assert words(docx_text(docx_path))[:40] == words(pdf_text(pdf_path))[:40]


@needs_libreoffice
@pytest.mark.parametrize("form", demo_forms(), ids=lambda p: p.stem)
def test_pdf_page_count_matches_golden(form, demo_out, golden):
    pages = len(pypdf.PdfReader(str(out(demo_out, form.stem, ".pdf"))).pages)
    golden(f"{form.stem}.pdf.pages", f"{pages}\n")


@needs_libreoffice
def test_fonts_are_embedded_and_serif_for_vietnamese(demo_out):
    reader = pypdf.PdfReader(str(demo_out / "tap_the" / "dang_uy_xa.pdf"))
    fonts = {}
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            desc = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            desc = desc.get_object()
            fonts[font["/BaseFont"]] = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts
    assert any("TimesNewRoman" in name or "LiberationSerif" in name for name in fonts)


@needs_libreoffice
def test_pdf_is_marked_pdfa_2b_with_metadata(demo_out):
    reader = pypdf.PdfReader(str(demo_out / "ca_nhan" / "hoang_van_thang.pdf"))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfaid:part>2</pdfaid:part>" in xmp and "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    assert reader.metadata.title == "Bản kiểm điểm cá nhân năm 2024 — Hoàng Văn Thắng"
    assert "qd124" in reader.metadata.subject


@needs_libreoffice
def test_first_page_has_no_page_number_and_second_has_2(demo_out):
    reader = pypdf.PdfReader(str(demo_out / "tap_the" / "dang_uy_xa.pdf"))
    assert reader.pages[0].extract_text().startswith("Mẫu 01")
    assert reader.pages[1].extract_text().lstrip().startswith("2")


@needs_libreoffice
def test_pdf_files_are_owner_only(demo_out):
    assert stat.S_IMODE(os.stat(demo_out / "tap_the" / "dang_uy_xa.pdf").st_mode) == 0o600
    assert stat.S_IMODE(os.stat(demo_out / "tap_the").st_mode) == 0o700


def _fake_soffice(tmp_path: Path, body: str) -> str:
    script = tmp_path / "soffice"
    script.write_text("#!/usr/bin/env bash\n" + body, encoding="utf-8")
    script.chmod(0o755)
    return str(script)


def _docx(tmp_path: Path, name: str = "a.docx") -> Path:
    path = tmp_path / name
    path.write_bytes(b"PK")
    return path


@pytest.fixture
def real_pdf(tmp_path) -> Path:
    """A small complete PDF for fake soffice scripts to copy as their output."""
    import pikepdf

    path = tmp_path / "that.pdf"
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(path)
    return path


@pytest.fixture
def private_tmp(tmp_path, monkeypatch) -> Path:
    """A temporary folder of this test only, so leftover LibreOffice profiles (hoso-lo-*) can be counted."""
    import tempfile

    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


# Parses the output folder and the DOCX arguments; $last is the last DOCX, $calls the call number (0 first).
PARSE = """
counter={tmp}/calls; calls=$(cat $counter 2>/dev/null || echo 0); echo $((calls+1)) > $counter
outdir=""; docs=(); while [ $# -gt 0 ]; do case "$1" in --outdir) outdir=$2; shift;; *.docx) docs+=("$1"); last=$1;; esac; shift; done
pdf_of() {{ echo "$outdir/$(basename "${{1%.docx}}").pdf"; }}
"""


def _calls(tmp_path: Path) -> int:
    return int((tmp_path / "calls").read_text())


def test_retries_once_a_file_the_batch_did_not_produce(tmp_path, real_pdf):
    # First call writes nothing; the retry writes the PDF.
    soffice = _fake_soffice(tmp_path, PARSE.format(tmp=tmp_path) + f"""
[ "$calls" -ge 1 ] && cp {real_pdf} "$(pdf_of "$last")"
exit 0
""")
    doc = _docx(tmp_path)
    pdfs = convert.to_pdf([doc], convert.Converter(soffice, timeout_s=10, workers=1))
    assert pdfs == [doc.with_suffix(".pdf")] and pdfs[0].read_bytes().startswith(b"%PDF")
    assert _calls(tmp_path) == 2


def test_gives_up_after_the_retry_and_names_the_file(tmp_path):
    soffice = _fake_soffice(tmp_path, "echo 'Error: source file could not be loaded' >&2\nexit 1\n")
    with pytest.raises(convert.ConversionError, match="a.docx: Error: source file could not be loaded"):
        convert.to_pdf([_docx(tmp_path)], convert.Converter(soffice, timeout_s=10, workers=1))


def test_a_hanging_libreoffice_is_stopped_by_the_timeout(tmp_path):
    soffice = _fake_soffice(tmp_path, "sleep 30\n")
    with pytest.raises(convert.ConversionError, match="quá thời gian"):
        convert.to_pdf([_docx(tmp_path)], convert.Converter(soffice, timeout_s=0.5, workers=1))


def test_an_empty_pdf_counts_as_a_failure(tmp_path):
    soffice = _fake_soffice(tmp_path, PARSE.format(tmp=tmp_path) + ': > "$(pdf_of "$last")"\n')
    with pytest.raises(convert.ConversionError, match="a.docx: tệp PDF rỗng"):
        convert.to_pdf([_docx(tmp_path)], convert.Converter(soffice, timeout_s=10, workers=1))


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("echo 'this is not a PDF' > \"$(pdf_of \"$last\")\"", "a.docx: tệp kết quả không phải PDF"),
        ("head -c 300 {pdf} > \"$(pdf_of \"$last\")\"", "a.docx: tệp PDF bị cắt cụt"),
        ("sed 's/xref/xxxx/' {pdf} > \"$(pdf_of \"$last\")\"", "a.docx: tệp PDF hỏng"),
    ],
    ids=["garbage", "truncated", "broken-xref"],
)
def test_a_bad_output_is_retried_then_reported_without_a_traceback(tmp_path, real_pdf, private_tmp, output, message):
    soffice = _fake_soffice(tmp_path, PARSE.format(tmp=tmp_path) + output.format(pdf=real_pdf) + "\n")
    doc = _docx(tmp_path)
    meta = DocumentMeta(dt.date(2024, 12, 1), "Báo cáo", "", "")
    with pytest.raises(convert.ConversionError, match=message) as raised:
        convert.to_stable_pdf([(doc, meta)], convert.Converter(soffice, timeout_s=10, workers=1))
    assert raised.value.message.startswith("LibreOffice không chuyển được sang PDF sau khi thử lại")
    assert _calls(tmp_path) == 2
    assert not doc.with_suffix(".pdf").exists()
    assert not list(private_tmp.glob("hoso-lo-*"))


def test_a_bad_output_that_the_retry_fixes_is_accepted(tmp_path, real_pdf):
    soffice = _fake_soffice(tmp_path, PARSE.format(tmp=tmp_path) + f"""
if [ "$calls" -eq 0 ]; then echo garbage > "$(pdf_of "$last")"; else cp {real_pdf} "$(pdf_of "$last")"; fi
""")
    doc = _docx(tmp_path)
    assert convert.to_pdf([doc], convert.Converter(soffice, timeout_s=10, workers=1)) == [doc.with_suffix(".pdf")]
    assert _calls(tmp_path) == 2


def _stat(pid: int) -> list[str]:
    """Fields 3… of /proc/<pid>/stat (state, parent, process group …); [] when the process is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return []


def _alive(pid: int) -> bool:
    fields = _stat(pid)
    return bool(fields) and fields[0] not in ("Z", "X")


def _group_alive(pgid: int) -> bool:
    """Whether any live (not zombie) process is still in a process group."""
    return any(_alive(int(p.name)) and _stat(int(p.name))[2:3] == [str(pgid)] for p in Path("/proc").iterdir() if p.name.isdigit())


def test_a_timeout_kills_the_whole_process_group_and_leaves_no_profile(tmp_path, private_tmp):
    # Like soffice, the script starts a child (soffice.bin) that outlives a kill of the script alone.
    soffice = _fake_soffice(tmp_path, PARSE.format(tmp=tmp_path) + f"""
echo $$ >> {tmp_path}/groups
sleep 300 &
echo $! >> {tmp_path}/children
touch "$outdir/.soffice-was-here"
sleep 300
""")
    doc = _docx(tmp_path)
    started = time.monotonic()
    with pytest.raises(convert.ConversionError, match="a.docx: quá thời gian 1 giây"):
        convert.to_pdf([doc], convert.Converter(soffice, timeout_s=1, workers=1))
    assert time.monotonic() - started < 8  # one call and one retry, each stopped after 1 s
    groups = [int(n) for n in (tmp_path / "groups").read_text().split()]
    children = [int(n) for n in (tmp_path / "children").read_text().split()]
    assert len(groups) == len(children) == 2
    assert not any(_group_alive(g) for g in groups)
    assert not any(_alive(c) for c in children)
    assert not list(private_tmp.glob("hoso-lo-*"))


def test_one_timeout_per_call_whatever_the_number_of_files(tmp_path, real_pdf):
    # A batch hangs; files one by one convert at once. The batch must be stopped after 1 s, not 1 s per file.
    soffice = _fake_soffice(tmp_path, PARSE.format(tmp=tmp_path) + f"""
[ ${{#docs[@]}} -gt 1 ] && sleep 300
cp {real_pdf} "$(pdf_of "$last")"
""")
    docs = [_docx(tmp_path, f"{i}.docx") for i in range(6)]
    started = time.monotonic()
    convert.to_pdf(docs, convert.Converter(soffice, timeout_s=1, workers=1))
    assert time.monotonic() - started < 5
    assert all(d.with_suffix(".pdf").is_file() for d in docs)


def test_profiles_of_killed_runs_are_removed_with_their_leftover_soffice(tmp_path, private_tmp, real_pdf):
    import subprocess

    from generator.output import OWNER_FILE, process_token

    leftover = subprocess.Popen(["sleep", "300"], start_new_session=True)  # a soffice whose run was killed
    dead, live = private_tmp / "hoso-lo-chet", private_tmp / "hoso-lo-song"
    for folder, owner in ((dead, f"{_dead_pid()} 1"), (live, process_token())):
        folder.mkdir()
        (folder / OWNER_FILE).write_text(owner)
    (dead / convert.SOFFICE_FILE).write_text(process_token(leftover.pid))
    soffice = _fake_soffice(tmp_path, PARSE.format(tmp=tmp_path) + f'cp {real_pdf} "$(pdf_of "$last")"\n')
    try:
        convert.to_pdf([_docx(tmp_path)], convert.Converter(soffice, timeout_s=10, workers=1))
        assert not dead.exists() and live.exists()
        assert leftover.wait(timeout=5) == -9
    finally:
        leftover.kill()
        leftover.wait()


def _dead_pid() -> int:
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_timeout_setting_is_read_and_checked(monkeypatch):
    from generator.errors import ConfigError

    assert convert.timeout_setting() == convert.DEFAULT_TIMEOUT_S
    monkeypatch.setenv("HOSO_SOFFICE_TIMEOUT", "2.5")
    assert convert.timeout_setting() == 2.5
    monkeypatch.setenv("HOSO_SOFFICE_TIMEOUT", "mãi mãi")
    with pytest.raises(ConfigError, match="HOSO_SOFFICE_TIMEOUT phải là số giây"):
        convert.timeout_setting()


def test_normalise_reports_a_broken_pdf_as_a_conversion_error(tmp_path):
    import datetime as dt

    from generator.pdf import normalise

    broken = tmp_path / "x.pdf"
    broken.write_bytes(b"%PDF-1.7\nnot really\n")
    with pytest.raises(convert.ConversionError, match="x.pdf do LibreOffice tạo ra bị hỏng"):
        normalise(broken, dt.date(2024, 12, 1))


def test_render_with_a_hanging_libreoffice_fails_cleanly(tmp_path, cli, monkeypatch, private_tmp):
    soffice = _fake_soffice(tmp_path, PARSE.format(tmp=tmp_path) + f"""
echo $$ >> {tmp_path}/groups
sleep 300 &
echo $! >> {tmp_path}/children
sleep 300
""")
    monkeypatch.setenv("HOSO_SOFFICE", soffice)
    monkeypatch.setenv("HOSO_SOFFICE_TIMEOUT", "1")
    out = tmp_path / "out"
    result = cli("render", demo_forms()[0], "-o", out, "--pdf")
    assert result.exit_code == 1
    assert "LibreOffice không chuyển được sang PDF sau khi thử lại" in result.stderr and "quá thời gian" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert not list(out.glob(".hoso-dang-tao-*"))
    assert not list(private_tmp.glob("hoso-lo-*"))
    assert not any(_alive(int(c)) for c in (tmp_path / "children").read_text().split())


def test_each_worker_gets_its_own_profile(tmp_path, real_pdf):
    soffice = _fake_soffice(tmp_path, f"""
for a in "$@"; do case "$a" in -env:UserInstallation=*) echo "$a" >> {tmp_path}/profiles;; esac; done
outdir=""; while [ $# -gt 0 ]; do case "$1" in --outdir) outdir=$2; shift;; *.docx) cp {real_pdf} "$outdir/$(basename "${{1%.docx}}").pdf";; esac; shift; done
""")
    docs = [_docx(tmp_path, f"{i}.docx") for i in range(4)]
    convert.to_pdf(docs, convert.Converter(soffice, timeout_s=10, workers=2))
    profiles = (tmp_path / "profiles").read_text().split()
    assert len(profiles) == 2 and len(set(profiles)) == 2


@needs_libreoffice
def test_same_input_gives_byte_identical_pdfs(tmp_path, cli):
    form = DEMO / "tap_the" / "chi_bo_thon_dong.yaml"
    for name in ("a", "b"):
        assert cli("render", form, "-o", tmp_path / name, "--pdf").exit_code == 0
    first, second = (tmp_path / n / "chi_bo_thon_dong.pdf" for n in ("a", "b"))
    assert first.read_bytes() == second.read_bytes()
    info = pypdf.PdfReader(str(first)).metadata
    assert info["/CreationDate"] == "D:20241203000000Z" and info["/Producer"] == "hoso"


@needs_libreoffice
def test_demo_also_builds_the_dossiers(demo_out):
    package = demo_out / "ho_so"
    assert package.is_symlink()
    assert len(list(package.glob("ca_nhan/*/manifest.json"))) == 12
    assert len(list(package.glob("tap_the/*/manifest.json"))) == 3
    commendation = package / "khen_thuong" / "tran_thi_mai"
    assert {o.title for o in pypdf.PdfReader(str(commendation / "ho_so_tran_thi_mai.pdf")).outline} >= {
        "Mục lục hồ sơ", "1. Tờ trình đề nghị tặng Giấy khen", "4. Quyết định công nhận xếp loại chất lượng đảng viên năm 2024"}
    assert (package / "dang_bo_xa_hoa_binh_2024.zip").is_file()
