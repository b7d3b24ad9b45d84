"""Print quality of every template, read back from the PDFs LibreOffice makes (pypdf text with positions).

Every template is rendered once: the demo unit (all its documents), the valid examples, a draft complaint reply
(dotted lines to fill in) and a dossier index with long notes. On every page: no signature block and no group of
level boxes opens a page cut off from the text above it; a box never parts from its label ("☐ Kém" on one line);
the "TT" column header is never split into "T/T"; a dotted line to write on never spills a stub onto the next line;
the checklist's notes break between words, never inside one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

from conftest import DEMO, TESTS, needs_libreoffice
from generator import registry
from generator.cli import main
from generator.validate import check_file

pytestmark = [pytest.mark.libreoffice, needs_libreoffice]

SIGNATURE_HEAD = re.compile(
    r"^(T/M|K/T|T/L) |^(NGƯỜI TỰ KIỂM ĐIỂM|NGƯỜI TỰ CHẤM ĐIỂM|NGƯỜI LẬP|THƯ KÝ|CHỦ TRÌ HỘI NGHỊ|TỔ KIỂM PHIẾU|ĐẢNG VIÊN BỔ SUNG|THỦ TRƯỞNG)"
)
BOXES = ("☐", "☒")
BOX_LABELS = ("Xuất sắc", "Tốt", "Trung bình", "Kém", "Hoàn thành", "Không hoàn thành")
DOTS_ONLY = re.compile(r"^[.…]+$")
NOTES = [
    "Bản đính kèm \"Quyết định công nhận xếp loại chất lượng\" không theo PDF/A",
    "Bản đính kèm \"Biên bản hội nghị Ban Thường vụ Đảng ủy mở rộng (bản chụp)\" không theo PDF/A",
    "Bản đính kèm \"Phiếu nhận xét của chi ủy nơi cư trú (bản chụp)\" không theo PDF/A",
    "Phải bổ sung",
]


# -- rendering ------------------------------------------------------------------------------------
def _dossier_index(path: Path, year: int = 2024) -> Path:
    rows = [
        {"stt": 1, "ten": "Bản kiểm điểm cá nhân", "tai_lieu": ["Bản kiểm điểm cá nhân năm 2024 — Nguyễn Văn Hùng"],
         "so_ky_hieu": "215-QĐ/HU", "ngay": "10/12/2024; 11/12/2024", "so_trang": 11, "tinh_trang": "co", "ghi_chu": NOTES[0]},
        {"stt": 2, "ten": "Phiếu nhận xét của cấp ủy nơi cư trú", "so_trang": 1, "tinh_trang": "co", "ghi_chu": NOTES[2]},
        {"stt": 3, "ten": "Biên bản hội nghị", "so_trang": 3, "tinh_trang": "co", "ghi_chu": NOTES[1]},
        {"stt": 4, "ten": "Bản kê khai tài sản, thu nhập", "tinh_trang": "thieu", "ghi_chu": NOTES[3]},
    ]
    data = {
        "bieu_mau": "muc_luc_ho_so", "ky_danh_gia": {"nam": year},
        "don_vi": {"cap_tren": "ĐẢNG BỘ HUYỆN TÂN PHÚ", "ten": "ĐẢNG ỦY XÃ HÒA BÌNH"}, "dia_danh": "Hòa Bình",
        "ngay_lap": "2024-12-13", "loai_ho_so": "ca_nhan", "doi_tuong": {"ten": "Nguyễn Văn Hùng", "mo_ta": "Bí thư Đảng ủy xã"},
        "muc": rows, "tong_so_trang": 12, "nguoi_lap": {"chuc_vu": "Cán bộ Văn phòng Đảng ủy", "ho_ten": "Phạm Thị Hồng Nhung"},
    }
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _draft_complaint_reply(path: Path) -> Path:
    """The demo's complaint reply without its conclusion (a draft: dotted lines) and without its unit."""
    data = yaml.safe_load((DEMO / "van_ban" / "hs_khieu_nai_vu_thi_lan.yaml").read_text(encoding="utf-8"))
    for key in ("ket_luan", "ngay_thong_bao"):
        data.pop(key, None)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    """Source file → PDF, for every document of the demo unit and the stand-alone forms."""
    out = tmp_path_factory.mktemp("layout")
    runner = CliRunner()
    result = runner.invoke(main, ["render", str(DEMO), "-o", str(out / "demo"), "--pdf"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    alone = [*sorted((TESTS / "examples" / "valid").rglob("*.yaml")),
             _dossier_index(out / "muc_luc_ho_so.yaml"), _dossier_index(out / "muc_luc_ho_so_2026.yaml", 2026),
             _draft_complaint_reply(out / "tra_loi_khieu_nai_du_thao.yaml")]
    result = runner.invoke(main, ["render", *map(str, alone), "-o", str(out / "rieng"), "--pdf"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    sources = {p: out / "demo" / p.relative_to(DEMO).with_suffix(".pdf")
               for p in DEMO.rglob("*.yaml") if (out / "demo" / p.relative_to(DEMO).with_suffix(".pdf")).exists()}
    sources.update({p: out / "rieng" / f"{p.stem}.pdf" for p in alone})
    return sources


@pytest.fixture(scope="module")
def pages(rendered) -> dict[str, list[list[tuple[float, float, str]]]]:
    """PDF name → its pages, each a list of text pieces (x, y, text) in the order LibreOffice wrote them."""
    return {f"{pdf.parent.name}/{pdf.name}": [_pieces(page) for page in PdfReader(pdf).pages] for pdf in rendered.values()}


def _pieces(page) -> list[tuple[float, float, str]]:
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5], text))

    page.extract_text(visitor_text=visit)
    return found


def _lines(pieces: list[tuple[float, float, str]]) -> list[str]:
    """The printed lines of a page, top to bottom: pieces on the same baseline (±2 pt), left to right."""
    rows: list[tuple[float, list]] = []
    for x, y, text in pieces:
        row = next((r for r in rows if abs(r[0] - y) <= 2), None)
        if row is None:
            rows.append((y, [(x, text)]))
        else:
            row[1].append((x, text))
    rows.sort(key=lambda r: -r[0])
    return [" ".join(t.strip() for _, t in sorted(parts)).strip() for _, parts in rows]


def _content(pieces) -> list[str]:
    """A page's lines without its page number."""
    return [line for line in _lines(pieces) if not re.fullmatch(r"\d+", line)]


# -- tests ----------------------------------------------------------------------------------------
def test_every_template_is_rendered(rendered):
    used = set()
    for source in rendered:
        _, form = check_file(source)
        assert form is not None, source
        used.add(form.entry.template)
    assert used == {e.template for e in registry.entries()}


def test_no_page_opens_with_a_signature_block(pages):
    """A signature (authority, post, name) always shares its page with the text it signs."""
    found = [f"{name} trang {n}: {lines[:3]}" for name, doc in pages.items() for n, piece in enumerate(doc[1:], start=2)
             if (lines := _content(piece)) and SIGNATURE_HEAD.match(lines[0])]
    assert found == []


def test_no_page_opens_with_level_boxes(pages):
    """The four level boxes stay with their label ("- Chi bộ đề xuất xếp loại mức chất lượng:") and their signature."""
    found = [f"{name} trang {n}: {lines[0]}" for name, doc in pages.items() for n, piece in enumerate(doc[1:], start=2)
             if (lines := _content(piece)) and lines[0].startswith(BOXES)]
    assert found == []


def test_a_box_stays_on_the_line_of_its_label(pages):
    found = []
    for name, doc in pages.items():
        for n, piece in enumerate(doc, start=1):
            lines = _lines(piece)
            for above, line in zip(["", *lines], lines):
                if line.endswith(BOXES) or line.startswith("Kém") or (above.endswith(BOXES) and line.startswith(BOX_LABELS)):
                    found.append(f"{name} trang {n}: {above!r} / {line!r}")
    assert found == []


def test_criterion_line_holds_its_four_boxes(pages):
    """Mẫu 02A/02B: "Tự đánh giá về cấp độ thực hiện: ☐ Xuất sắc ☒ Tốt ☐ Trung bình ☐ Kém" is one printed line."""
    criteria = [line for name, doc in pages.items() if name.startswith("ca_nhan/") or "ca_nhan" in name
                for piece in doc for line in _lines(piece) if line.startswith("Tự đánh giá về cấp độ thực hiện")]
    assert criteria
    assert [line for line in criteria if not (line.endswith("Kém") and sum(line.count(b) for b in BOXES) == 4)] == []


def test_tt_column_header_is_not_split(pages):
    found = [f"{name} trang {n}" for name, doc in pages.items() for n, piece in enumerate(doc, start=1)
             if any(text.strip() == "T" for _, _, text in piece)]
    assert found == []


def test_dotted_lines_end_on_their_own_line(pages):
    dotted = [(name, line.replace(" ", "")) for name, doc in pages.items() for piece in doc for line in _lines(piece)
              if DOTS_ONLY.match(line.replace(" ", ""))]
    assert dotted, "the draft complaint reply and the self-review without the chi ủy's comment print dotted lines"
    assert [f"{name}: {line}" for name, line in dotted if len(line) < 20] == []


def test_checklist_columns_break_between_words(pages):
    """The notes, the document number and the dates of the dossier index wrap at spaces, never inside a word."""
    printed = {w for piece in pages["rieng/muc_luc_ho_so.pdf"] for _, _, text in piece for w in text.split()}
    expected = [w for text in [*NOTES, "215-QĐ/HU", "10/12/2024; 11/12/2024"] for w in text.split()]
    assert [w for w in expected if w not in printed] == []
