"""Word forms at scale: export 1,000 members' self-reviews to DOCX, fill them, and time reading them back.

Run: ``.venv/bin/python benchmarks/bench_wordforms.py [--members 1000] [--keep DIR]``.

Builds a unit from the 2026 demo (qd366): its four collectives and ``--members`` members, each a copy of one of the
demo's fourteen self-reviews with its own name, turned into the skeleton ``hoso init`` writes (identity only, every
narrative section empty, no task ledger). Then (not timed) exports every form, and fills every document the way a member
would: each section's paragraphs, each score and date, one box of each choice, each row of the task tables (rows
inserted when the empty ones run out), with the demo text. Then (timed) imports the
folder: every DOCX read, merged into its form, validated, written, and ``.hoso/nguon.json`` recorded.

Target (issue 13): reading back 1,000 filled DOCX in under 60 s on a 2-core machine. A report, not a test: the
machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import yaml
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator import registry, wordforms  # noqa: E402
from generator.load import load_form  # noqa: E402

DEMO = ROOT / "examples" / "demo_2026"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def build_unit(root: Path, members: int) -> dict[str, dict]:
    """A unit folder with ``members`` skeleton self-reviews; returns {form name: the filled demo data it stands for}."""
    shutil.copytree(DEMO, root)
    manifest = yaml.safe_load((root / "don_vi.yaml").read_text(encoding="utf-8"))
    sources = [m for m in manifest["thanh_vien"] if m.get("ban_kiem_diem")]
    for m in sources:
        (root / m["ban_kiem_diem"]).unlink()
    rows, filled = [], {}
    for i in range(members):
        src = sources[i % len(sources)]
        data = load_form(DEMO / src["ban_kiem_diem"]).data
        code = f"dv{i + 1:04d}"
        name = f"ca_nhan/{code}.yaml"
        data["ca_nhan"]["ho_ten"] = f"{src['ho_ten']} {i + 1}"
        filled[name] = data
        entry = registry.bind(data).entry
        content = {item.path[0] for item in wordforms.candidates(entry)}
        skeleton = {k: v for k, v in data.items() if k not in content}
        for item in wordforms.candidates(entry):
            if isinstance(item, wordforms.Field) and item.kind == wordforms.PARAGRAPHS and item.path[0] == "kiem_diem" \
                    and wordforms.get_path(data, item.path) is not None:
                wordforms._put(skeleton, item.path, [])
        (root / name).write_text(yaml.safe_dump(json.loads(json.dumps(skeleton)), allow_unicode=True, sort_keys=False), encoding="utf-8")
        rows.append({**{k: v for k, v in src.items() if k not in ("thong_bao_ket_qua", "dinh_kem", "ky_luat", "tham_dinh_lai",
                                                                   "giam_nhe", "cac_noi_danh_gia")},
                     "ma": code, "ho_ten": data["ca_nhan"]["ho_ten"], "ban_kiem_diem": name})
    manifest["thanh_vien"] = rows
    manifest.pop("bo_phieu", None)
    manifest.pop("ghi_de", None)
    manifest.pop("khen_thuong", None)
    for org in manifest["to_chuc"]:
        org.pop("thanh_vien_lanh_dao", None)
        org.pop("nguoi_dung_dau", None)
    plain = json.loads(json.dumps(manifest, ensure_ascii=False, default=str))  # shared rows would become YAML aliases, which hoso refuses
    (root / "don_vi.yaml").write_text(yaml.safe_dump(plain, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return filled


def fill(path: Path, data: dict) -> None:
    """Write ``data``'s values into an exported document, as a member typing in Word would (section paragraphs inside
    the content control, values in the one-line controls, the glyph of one box)."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    props = wordforms._custom_props(parts["docProps/custom.xml"])
    entry = registry.bind(data).entry
    fields = {k: f for k, f in wordforms.fields_by_key(entry).items() if k in json.loads(props[wordforms.PROP_FIELDS])}
    root = etree.fromstring(parts["word/document.xml"])
    marks = {b.get(q("name")): b for b in root.iter(q("bookmarkStart"))}
    for key, item in fields.items():
        shown = wordforms.display(item, wordforms.get_path(data, item.path))
        if item.kind == wordforms.CHOICE:
            for i, (option, _) in enumerate(item.options):
                box = next(s for s in marks[item.option_key(i)].itersiblings() if s.tag == q("sdt"))
                next(box.iter(q("t"))).text = wordforms.TICKED if option == shown else wordforms.UNTICKED
            continue
        head = marks[key].getparent()
        if item.kind in (wordforms.PARAGRAPHS, wordforms.TEXT):
            texts = shown if item.kind == wordforms.PARAGRAPHS else [x for x in shown.split("\n") if x]
            if not texts:
                continue
            content = head.getnext().find(q("sdtContent"))
            model = content[0]
            for child in list(content):
                content.remove(child)
            for text in texts:
                p = copy.deepcopy(model)
                runs = p.findall(q("r"))
                for r in runs[1:]:
                    p.remove(r)
                for el in list(runs[0]):
                    if el.tag != q("t"):
                        runs[0].remove(el)
                runs[0].find(q("t")).text = text
                content.append(p)
        elif item.kind == wordforms.TABLE:
            fill_table(head.getnext(), shown)
        elif shown:
            sdt = head.find(q("sdt"))
            texts = list(sdt.iter(q("t")))
            texts[0].text = shown
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in parts.items():
            z.writestr(name, content)
    path.write_bytes(buffer.getvalue())


def fill_table(table, rows: list[list[str]]) -> None:
    """Type each row into the table's empty rows, inserting rows (a copy of the last) when they run out."""
    trs = table.findall(q("tr"))
    empty = trs[1:]
    while len(empty) < len(rows):
        extra = copy.deepcopy(empty[-1])
        table.append(extra)
        empty.append(extra)
    for tr, row in zip(empty, rows):
        for tc, text in zip(tr.findall(q("tc"))[1:], row):
            p = tc.find(q("p"))
            for r in p.findall(q("r")):
                p.remove(r)
            if text:
                r = etree.SubElement(p, q("r"))
                t = etree.SubElement(r, q("t"))
                t.text = text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="Build in this folder (must not exist) and keep it.")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="hoso-bench-wordforms-"))
    unit = work / "unit" if args.keep is None else work
    try:
        t0 = time.perf_counter()
        filled = build_unit(unit, args.members)
        t1 = time.perf_counter()
        findings, written = wordforms.export_forms(unit, work / "phieu")
        t2 = time.perf_counter()
        assert not [f for f in findings if f.severity == "error"], findings[:5]
        docs = {wordforms.read_document(p).props[wordforms.PROP_FILE]: p for p in written}
        for name, data in filled.items():
            fill(docs[name], data)
        t3 = time.perf_counter()
        findings, changes, wrote = wordforms.import_forms(unit, work / "phieu")
        t4 = time.perf_counter()
        errors = [f for f in findings if f.severity == "error"]
        updated = sum(1 for line in changes if "được cập nhật" in line)
        mismatched = sum(1 for name, data in filled.items()
                         if any(load_form(unit / name).data.get(k) != data.get(k) for k in ("kiem_diem", "ket_qua_nhiem_vu")))
        reading = time.perf_counter()
        for p in written:
            wordforms.read_document(p)
        t5 = time.perf_counter()
        print(f"đơn vị: {args.members} đảng viên, {len(written)} phiếu Word ({sum(p.stat().st_size for p in written) / 1e6:.1f} MB)")
        print(f"dựng đơn vị (không tính): {t1 - t0:.1f} s; điền phiếu (không tính): {t3 - t2:.1f} s")
        print(f"xuất {len(written)} phiếu: {t2 - t1:.1f} s ({(t2 - t1) / len(written) * 1000:.0f} ms/phiếu)")
        print(f"nhập {len(written)} phiếu đã điền: {t4 - t3:.1f} s ({(t4 - t3) / len(written) * 1000:.0f} ms/phiếu); "
              f"{updated} biểu mẫu cập nhật, {len(wrote)} tệp ghi, {len(errors)} lỗi, {mismatched} biểu mẫu khác dữ liệu gốc")
        print(f"  trong đó chỉ đọc DOCX (mở, phân tích document.xml): {t5 - reading:.1f} s")
        print(f"mục tiêu: nhập 1.000 phiếu < 60 s → {'ĐẠT' if (t4 - t3) * 1000 / args.members < 60 else 'CHƯA ĐẠT'}")
        for f in errors[:5]:
            print("  lỗi:", f.file, f.json_path, f.message_vi)
        return 0 if not errors and not mismatched else 1
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
