"""Make the demo unit's attachments: documents that reach the dossier on paper (signed, scanned).

Run once by developers: ``python tools/make_demo_attachments.py``. Writes PDFs and PNG
"scans" under examples/demo/dinh_kem/. Needs LibreOffice and pdftoppm (poppler-utils).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "examples" / "demo" / "dinh_kem"

LEADERS = {
    "nguyen_van_hung": ("Nguyễn Văn Hùng", "Bí thư Đảng ủy xã"),
    "tran_thi_mai": ("Trần Thị Mai", "Phó Bí thư Thường trực Đảng ủy, Chủ tịch HĐND xã"),
    "le_van_dung": ("Lê Văn Dũng", "Phó Bí thư Đảng ủy, Chủ tịch UBND xã"),
    "pham_thi_hong_nhung": ("Phạm Thị Hồng Nhung", "Bí thư Chi bộ Cơ quan xã"),
    "bui_quang_huy": ("Bùi Quang Huy", "Chỉ huy trưởng Ban Chỉ huy Quân sự xã"),
    "hoang_van_thang": ("Hoàng Văn Thắng", "Bí thư Chi bộ Thôn Đông"),
}
MEMBERS = {
    "nguyen_van_hung": "Nguyễn Văn Hùng", "tran_thi_mai": "Trần Thị Mai", "le_van_dung": "Lê Văn Dũng",
    "pham_thi_hong_nhung": "Phạm Thị Hồng Nhung", "vu_thi_lan": "Vũ Thị Lan", "bui_quang_huy": "Bùi Quang Huy",
    "hoang_van_thang": "Hoàng Văn Thắng", "dinh_thi_hoa": "Đinh Thị Hoa", "ly_van_son": "Lý Văn Sơn",
    "mai_van_phuc": "Mai Văn Phúc", "trinh_thi_ngoc": "Trịnh Thị Ngọc", "do_minh_tuan": "Đỗ Minh Tuấn",
}


def page(lines: list[tuple[str, bool]]) -> Document:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(13)
    for text, bold in lines:
        p = doc.add_paragraph()
        run = p.add_run(text)
        run.bold = bold
        if bold:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return doc


def to_pdf(doc: Document, target: Path, work: Path) -> Path:
    src = work / f"{target.stem}.docx"
    doc.save(src)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{work}/p", "--headless", "--convert-to",
                    'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}', "--outdir", str(work), str(src)],
                   check=True, capture_output=True)
    return work / f"{target.stem}.pdf"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        jobs = []
        for ma, (name, post) in LEADERS.items():
            jobs.append((OUT / "ke_khai_tai_san" / f"{ma}.pdf", [
                ("BẢN KÊ KHAI TÀI SẢN, THU NHẬP HẰNG NĂM", True), ("(Năm 2024 — bản chụp lưu hồ sơ kiểm điểm)", False),
                (f"Người kê khai: {name}", False), (f"Chức vụ: {post}", False),
                ("Bản kê khai đầy đủ lưu tại Ủy ban Kiểm tra Huyện ủy Tân Phú theo quy định về kiểm soát tài sản, thu nhập.", False),
                ("Ngày kê khai: 10/12/2024.  Người kê khai (đã ký)", False)]))
        for ma, name in MEMBERS.items():
            if ma not in ("nguyen_van_hung", "pham_thi_hong_nhung"):
                jobs.append((OUT / "nhan_xet_cu_tru" / f"{ma}.png", [
                    ("ĐẢNG BỘ XÃ HÒA BÌNH — CHI BỘ THÔN (NƠI CƯ TRÚ)", True), ("PHIẾU NHẬN XÉT ĐẢNG VIÊN Ở NƠI CƯ TRÚ NĂM 2024", True),
                    (f"Đảng viên: {name}", False),
                    ("Giữ mối liên hệ với chi ủy, chi bộ nơi cư trú; gương mẫu thực hiện nghĩa vụ công dân; tham gia sinh hoạt khu dân cư đầy đủ.", False),
                    ("T/M CHI ỦY — BÍ THƯ (đã ký, đóng dấu xác nhận của Đảng ủy xã)", False)]))
            if ma != "do_minh_tuan":
                jobs.append((OUT / "phieu_bo_sung" / f"{ma}.pdf", [
                    ("PHIẾU BỔ SUNG HỒ SƠ ĐẢNG VIÊN NĂM 2024", True), (f"Họ và tên: {name}", False),
                    ("Trình độ, đơn vị công tác, chức vụ, khen thưởng, kỷ luật, hoàn cảnh gia đình: không thay đổi trong năm 2024.", False),
                    ("Chi ủy xác nhận; Đảng ủy xã xác nhận (đã ký, đóng dấu).", False)]))
        jobs.append((OUT / "huyen_uy" / "quyet_dinh_215_qd_hu.pdf", [
            ("HUYỆN ỦY TÂN PHÚ — BAN THƯỜNG VỤ", True), ("QUYẾT ĐỊNH số 215-QĐ/HU ngày 20/12/2024", True),
            ("Công nhận Đảng bộ xã Hòa Bình xếp loại \"Hoàn thành tốt nhiệm vụ\" năm 2024.", False),
            ("T/M BAN THƯỜNG VỤ — PHÓ BÍ THƯ (bản sao)", False)]))
        jobs.append((OUT / "huyen_uy" / "tham_dinh_ban_to_chuc.pdf", [
            ("HUYỆN ỦY TÂN PHÚ — BAN TỔ CHỨC", True), ("TỔNG HỢP KẾT QUẢ THẨM ĐỊNH (trích) — ngày 17/12/2024", True),
            ("Đảng bộ xã Hòa Bình: tự nhận Hoàn thành tốt nhiệm vụ; kết quả thẩm định: Hoàn thành tốt nhiệm vụ.", False),
            ("TRƯỞNG BAN (bản sao)", False)]))
        for slot, title in (("to_trinh", "TỜ TRÌNH đề nghị tặng Giấy khen đảng viên hoàn thành xuất sắc nhiệm vụ năm 2024"),
                            ("danh_sach", "DANH SÁCH đề nghị khen thưởng đảng viên hoàn thành xuất sắc nhiệm vụ năm 2024"),
                            ("bao_cao_thanh_tich", "BÁO CÁO THÀNH TÍCH của đồng chí Trần Thị Mai năm 2024")):
            jobs.append((OUT / "khen_thuong" / f"{slot}_tran_thi_mai.pdf", [
                ("ĐẢNG ỦY XÃ HÒA BÌNH", True), (title, True),
                ("Đồng chí Trần Thị Mai, Phó Bí thư Thường trực Đảng ủy, Chủ tịch HĐND xã, được xếp loại \"Hoàn thành xuất sắc nhiệm vụ\" năm 2024 (Quyết định số 57-QĐ/ĐU ngày 12/12/2024).", False),
                ("(Bản ký, đóng dấu lưu tại Văn phòng Đảng ủy)", False)]))
        for target, lines in jobs:
            target.parent.mkdir(parents=True, exist_ok=True)
            pdf = to_pdf(page(lines), target, work)
            if target.suffix == ".png":
                subprocess.run(["pdftoppm", "-r", "50", "-png", "-singlefile", "-gray", str(pdf), str(target.with_suffix(""))], check=True)
            else:
                target.write_bytes(pdf.read_bytes())
            print(target.relative_to(ROOT))


if __name__ == "__main__":
    sys.exit(main())
