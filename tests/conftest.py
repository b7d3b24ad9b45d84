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
                seen = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    lines.extend(p.text for p in cell.paragraphs)
    return "\n".join(line.rstrip() for line in lines).strip() + "\n"


def words(text: str) -> list[str]:
    return re.findall(r"\w+|[^\w\s]", text)
