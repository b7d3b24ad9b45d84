"""Shared fixtures: hermetic environment, CLI runner, document readers, golden files."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
GOLDEN = TESTS / "golden"
DEMO = ROOT / "examples" / "demo"
HAS_LIBREOFFICE = bool(shutil.which("soffice") or shutil.which("libreoffice"))

needs_libreoffice = pytest.mark.skipif(
    not HAS_LIBREOFFICE,
    reason="LibreOffice (soffice) chưa được cài: bash scripts/test cài nó khi chạy bằng root",
)


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="Ghi lại các tệp trong tests/golden/ từ kết quả hiện tại.")


@pytest.fixture(autouse=True)
def hermetic(tmp_path_factory, monkeypatch):
    """A temporary HOME and no inherited hoso settings for every test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for name in list(os.environ):
        if name.startswith("HOSO_"):
            monkeypatch.delenv(name)
    # A defect of hoso must fail its test, not hide behind the CLI's "internal error" message.
    monkeypatch.setenv("HOSO_DEBUG", "1")


@pytest.fixture
def cli():
    """Run the hoso CLI in-process; returns click's Result (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return run


@pytest.fixture
def golden(request):
    """Compare text with tests/golden/NAME, or rewrite it under --update-golden."""
    update = request.config.getoption("--update-golden")

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        assert path.exists(), f"thiếu tệp golden {path}; chạy: bash scripts/test --update-golden"
        assert text == path.read_text(encoding="utf-8"), f"khác tệp golden {name}"

    return check


def demo_forms() -> list[Path]:
    return sorted(DEMO.glob("tap_the/*.yaml")) + sorted(DEMO.glob("ca_nhan/*.yaml"))


def _unique_cells(row) -> list:
    """A table row's cells, each merged cell once."""
    seen, cells = set(), []
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(cell)
    return cells


def docx_tables(path: Path) -> list[list[list[str]]]:
    """Every table of a DOCX as rows of cell texts (merged cells once)."""
    import docx

    return [[[c.text for c in _unique_cells(row)] for row in t.rows] for t in docx.Document(str(path)).tables]


def docx_text(path: Path) -> str:
    """The visible text of a DOCX body in reading order: paragraphs, then table cells row by row."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = docx.Document(str(path))
    lines: list[str] = []
    for block in doc.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, doc).text)
        elif tag == "tbl":
            for row in Table(block, doc).rows:
                for cell in _unique_cells(row):
                    lines.extend(p.text for p in cell.paragraphs)
    return "\n".join(line.rstrip() for line in lines).strip() + "\n"


def words(text: str) -> list[str]:
    return re.findall(r"\w+|[^\w\s]", text)


def tiny_pdf(path: Path, text: str = "") -> Path:
    """A one-page PDF standing in for a signed scan."""
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    pdf.docinfo["/Title"] = text or path.stem
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.save(path, deterministic_id=True)
    return path


def tiny_png(path: Path) -> Path:
    """A small grey PNG standing in for a photographed page."""
    import struct
    import zlib

    width, height = 40, 56
    raw = b"".join(b"\x00" + b"\xc8" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png)
    return path


def small_unit(root: Path, *, complete: bool = True, levels: tuple[str, ...] = ("HTTNV", "HTTNV")) -> Path:
    """A chi bộ cơ sở with a report and a few members; with ``complete`` every required dossier item is attached."""
    import yaml

    root.mkdir(parents=True, exist_ok=True)
    report = yaml.safe_load((DEMO / "tap_the" / "chi_bo_co_quan.yaml").read_text(encoding="utf-8"))
    report["tap_the"]["ten"] = "Chi ủy Chi bộ Thử"
    report["don_vi"] = {"cap_tren": "ĐẢNG BỘ XÃ THỬ NGHIỆM", "ten": "CHI BỘ THỬ"}
    report["tu_danh_gia"]["tu_nhan_muc"] = "HTTNV"
    (root / "tap_the").mkdir(exist_ok=True)
    (root / "tap_the" / "chi_bo.yaml").write_text(yaml.safe_dump(report, allow_unicode=True), encoding="utf-8")
    form = yaml.safe_load((TESTS / "examples" / "valid" / "ca_nhan_toi_thieu.yaml").read_text(encoding="utf-8"))
    form["ngay_lap"] = "2024-12-02"
    (root / "ca_nhan").mkdir(exist_ok=True)
    members = []
    for i, level in enumerate(levels):
        name = f"Đảng Viên Thứ {i + 1}"
        data = dict(form, ca_nhan={"ho_ten": name, "ngay_sinh": "1980-01-01"}, tu_nhan_muc={"dang_vien": level},
                    don_vi={"cap_tren": "Đảng bộ xã Thử Nghiệm", "ten": "Chi bộ Thử"})
        (root / "ca_nhan" / f"dv{i}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        member = {"ma": f"dv{i}", "ho_ten": name, "chi_bo": "cb", "ban_kiem_diem": f"ca_nhan/dv{i}.yaml", "nhan_xet_cu_tru": True}
        if complete:
            tiny_pdf(root / "scan" / f"bo_sung_{i}.pdf")
            tiny_png(root / "scan" / f"cu_tru_{i}.png")
            member["dinh_kem"] = [{"muc": "phieu_bo_sung", "tep": f"scan/bo_sung_{i}.pdf"}, {"muc": "nhan_xet_cu_tru", "tep": f"scan/cu_tru_{i}.png", "ten": f"Nhận xét nơi cư trú: {name}"}]
        members.append(member)
    org = {"ma": "cb", "ten": "Chi bộ Thử", "loai": "chi_bo_co_so", "bao_cao": "tap_the/chi_bo.yaml",
           "hop": {"buoi": [{"bat_dau": "2024-12-06T07:30", "ket_thuc": "2024-12-06T11:30"}]},
           "quyet_dinh": {"muc": "HTTNV", "ngay": "2024-12-20", "co_quan": "Ban Thường vụ Huyện ủy"}}
    if complete:
        for slot in ("bien_ban", "tham_dinh", "quyet_dinh"):
            tiny_pdf(root / "scan" / f"{slot}.pdf")
        org["dinh_kem"] = [{"muc": slot, "tep": f"scan/{slot}.pdf", "ten": slot.replace("_", " ").capitalize()} for slot in ("bien_ban", "tham_dinh", "quyet_dinh")]
    manifest = {"don_vi": {"ten": "Chi bộ Thử", "to_chuc_co_so": "cb"}, "ky_danh_gia": {"nam": 2024}, "ngay_nop_ho_so": "2024-12-13",
                "to_chuc": [org], "thanh_vien": members}
    (root / "don_vi.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def demo_docx(tmp_path_factory) -> Path:
    """The demo unit's documents rendered once for the whole run (DOCX only); returns the output folder."""
    out = tmp_path_factory.mktemp("demo_docx")
    result = CliRunner().invoke(main, ["render", str(DEMO), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def demo_facts() -> dict:
    """The demo unit's computed facts (``so_lieu``)."""
    from generator.facts import unit_facts
    from generator.source import load_unit

    findings, unit = load_unit(DEMO)
    assert unit is not None, findings
    return unit_facts(unit)
