"""Stage 5 (generator/convert.py): PDF/A from LibreOffice with the DOCX's content, fonts and metadata."""

from __future__ import annotations

import collections
import os
import stat
from pathlib import Path

import pypdf
import pytest

from conftest import DEMO, demo_forms, docx_text, needs_libreoffice, words
from generator import convert

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory):
    """The demo run once: every example form to DOCX and PDF."""
    if not convert.find_soffice():
        pytest.skip("LibreOffice (soffice) chưa được cài")
    from click.testing import CliRunner

    from generator.cli import main

    out = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(main, ["demo", "-o", str(out)], catch_exceptions=False)
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
    from generator.unit import load_unit

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


def test_retries_once_a_file_the_batch_did_not_produce(tmp_path):
    # First call writes nothing; the retry writes the PDF.
    soffice = _fake_soffice(tmp_path, f"""
counter={tmp_path}/calls; n=$(cat $counter 2>/dev/null || echo 0); echo $((n+1)) > $counter
outdir=""; while [ $# -gt 0 ]; do case "$1" in --outdir) outdir=$2; shift;; *.docx) last=$1;; esac; shift; done
[ "$n" -ge 1 ] && echo "%PDF-1.7" > "$outdir/$(basename "${{last%.docx}}").pdf"
exit 0
""")
    doc = _docx(tmp_path)
    pdfs = convert.to_pdf([doc], convert.Converter(soffice, timeout_s=10, workers=1))
    assert pdfs == [doc.with_suffix(".pdf")] and pdfs[0].read_bytes().startswith(b"%PDF")
    assert (tmp_path / "calls").read_text().strip() == "2"


def test_gives_up_after_the_retry_and_names_the_file(tmp_path):
    soffice = _fake_soffice(tmp_path, "echo 'Error: source file could not be loaded' >&2\nexit 1\n")
    with pytest.raises(convert.ConversionError, match="a.docx: Error: source file could not be loaded"):
        convert.to_pdf([_docx(tmp_path)], convert.Converter(soffice, timeout_s=10, workers=1))


def test_a_hanging_libreoffice_is_stopped_by_the_timeout(tmp_path):
    soffice = _fake_soffice(tmp_path, "sleep 30\n")
    with pytest.raises(convert.ConversionError, match="quá thời gian"):
        convert.to_pdf([_docx(tmp_path)], convert.Converter(soffice, timeout_s=0.5, workers=1))


def test_an_empty_pdf_counts_as_a_failure(tmp_path):
    soffice = _fake_soffice(tmp_path, """
outdir=""; while [ $# -gt 0 ]; do case "$1" in --outdir) outdir=$2; shift;; *.docx) last=$1;; esac; shift; done
: > "$outdir/$(basename "${last%.docx}").pdf"
""")
    with pytest.raises(convert.ConversionError):
        convert.to_pdf([_docx(tmp_path)], convert.Converter(soffice, timeout_s=10, workers=1))


def test_each_worker_gets_its_own_profile(tmp_path):
    soffice = _fake_soffice(tmp_path, f"""
for a in "$@"; do case "$a" in -env:UserInstallation=*) echo "$a" >> {tmp_path}/profiles;; esac; done
outdir=""; while [ $# -gt 0 ]; do case "$1" in --outdir) outdir=$2; shift;; *.docx) echo "%PDF" > "$outdir/$(basename "${{1%.docx}}").pdf";; esac; shift; done
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
