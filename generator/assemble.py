"""Stage 6, assemble: a record package (hồ sơ) per subject and one per unit (spec §5).

Per subject: the checklist document (mục lục, DOCX and PDF), the DOCX originals and PDFs of
every document, attached scans, one merged PDF/A with an outline entry per document, page
labels and metadata, a ``manifest.json`` with the SHA-256 of every file, and a ZIP. The
whole unit is built in a private staging folder and published in one atomic step.

A unit is one period, a year or a quarter (generator.period): the merged PDF's title, subject
and keywords name it ("— quý 3 năm 2026"), the manifests carry ``ky_danh_gia`` as the unit gives
it, and the unit's ZIP is ``<unit>_2024.zip`` for a year, ``<unit>_2026_q3.zip`` for a quarter.
"""

from __future__ import annotations

import json
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

from . import __version__, convert, registry
from .checklist import MISSING, STATUS_VI, Item, evaluate, packages
from .docx_format import image_page
from .errors import InputError
from .facts import ORG_KINDS
from .findings import Finding, format_json
from .output import private_dir, sha256_file as _sha256, write_stable_zip
from .pdf import Part, merge, page_count, pdfa_status
from .period import Period
from .render import DocumentMeta, document_meta, render_docx
from .templating import short_date
from .unit import Member, Subject, Unit
from .validate import ValidForm, check_data

log = logging.getLogger("hoso")
PACKAGE = "ho_so"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")


def _slug(text: str) -> str:
    import re
    import unicodedata

    plain = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")[:60] or "van_ban"


def unit_zip_name(unit_name: str, period: Period) -> str:
    """The file name of a unit's ZIP: "chi_bo_thu_2024.zip" for a year, "chi_bo_thu_2026_q3.zip" for a quarter."""
    return f"{_slug(unit_name)}_{period.slug}.zip"


def bundle_description(kind_name: str, name: str, period: Period, ruleset_key: str) -> dict[str, str]:
    """Title, subject and keywords of a subject's merged PDF, naming its period ("… — quý 3 năm 2026")."""
    label = period.label_vi
    return {
        "title": f"Hồ sơ {kind_name}: {name} — {label}",
        "subject": f"{name} — {label} — {ruleset_key}",
        "keywords": f"hồ sơ kiểm điểm, đánh giá, xếp loại; {ruleset_key}; {label}",
    }


class _Attachments:
    """Every attached file of the unit as PDF: scans become one-page documents converted like the others."""

    def __init__(self, unit: Unit, work: Path, conv: convert.Converter):
        self.by_source: dict[Path, Path] = {}
        images = []
        attached = [a for s in [*unit.orgs, *unit.members] for a in s.raw.get("dinh_kem") or []]
        attached += [a for entry in unit.data.get("khen_thuong") or [] for a in entry.get("dinh_kem") or []]
        for n, att in enumerate(attached):
            src = unit.attachment(att["tep"])
            if src is None or src.resolve() in self.by_source:
                continue  # refused at load (a finding says why), or already converted
            # The copy's name comes from hoso, never from data: nothing is written outside the work folder.
            copy = work / "dinh_kem" / f"{n:03d}{src.suffix.lower()}"
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, copy)
            if src.suffix.lower() in IMAGE_SUFFIXES:
                # A scan becomes a one-page document, converted like every other (PDF/A, same back-end).
                page = copy.with_name(copy.name + ".docx")
                page.write_bytes(image_page(src.read_bytes(), src.suffix))
                images.append((page, src.name))
                self.by_source[src.resolve()] = page.with_suffix(".pdf")
            else:
                self.by_source[src.resolve()] = copy
        if images:
            log.info("Chuyển %d ảnh chụp sang PDF", len(images))
            convert.to_stable_pdf([(page, DocumentMeta(unit.period_end, name, "", "")) for page, name in images], conv)


def _header(unit: Unit, facts: dict) -> dict:
    """The issuing-body header of the unit's own documents: its top organisation as the facts name it
    (upper line: the body above, when the unit names one), else the organisation's own report."""
    issuer = facts.get("ban_hanh")
    if issuer and issuer.get("ten"):
        return {"ten": issuer["ten"], **({"cap_tren": issuer["cap_tren"]} if issuer.get("cap_tren") else {})}
    base = unit.org(unit.data["don_vi"]["to_chuc_co_so"])
    if base is not None and base.form is not None:
        return dict(base.form.data["don_vi"])
    return {"ten": unit.data["don_vi"]["ten"]}


def _describe(s: Subject) -> tuple[str, str]:
    if isinstance(s, Member):
        person = (s.form.data.get("ca_nhan") if s.form else None) or {}
        what = "; ".join(x for x in (person.get("chuc_vu_dang"), person.get("chuc_vu_chinh_quyen"), person.get("chi_bo")) if x)
        return s.name, what
    return s.name, ORG_KINDS.get(s.raw.get("loai"), "")


@dataclass
class _Package:
    """A subject's package between the two passes: documents copied, index written, not yet merged."""

    subject: Subject
    kind: str
    folder: Path
    index: ValidForm
    parts: list[Part]
    rows: list[dict]


def _prepare_subject(unit: Unit, facts: dict, s: Subject, kind: str, items: list[Item], rendered: dict[str, tuple[Path, Path]],
                     attachments: _Attachments, folder: Path, templates: Path | None) -> _Package:
    """First pass: copy the subject's documents into ``folder`` and write its index as DOCX."""
    private_dir(folder)
    parts: list[Part] = []
    rows = []
    counter = 1
    for number, item in enumerate(items, start=1):
        titles, pages, numbers, days, notes = [], 0, [], [], []
        for source in item.sources:
            counter += 1
            stem = f"{counter:02d}_{item.code}_{_slug(source.title)}"
            if source.form is not None:
                docx, pdf = rendered[source.form.path]
                shutil.copyfile(docx, folder / f"{stem}.docx")
            else:
                original = source.attachment
                shutil.copyfile(original, folder / f"{stem}{original.suffix.lower()}")
                pdf = attachments.by_source[original.resolve()]
                if not pdfa_status(pdf):
                    notes.append(f"Bản đính kèm \"{source.title}\" không theo PDF/A")
            target = folder / f"{stem}.pdf"
            if not target.exists():
                shutil.copyfile(pdf, target)
            count = page_count(target)
            pages += count
            titles.append(source.title)
            parts.append(Part(target, f"{number}. {source.title}"))
            numbers += [source.number] if source.number else []
            days += [source.day] if source.day else []
        rows.append({
            "stt": number, "ten": item.name, "tai_lieu": titles, "so_ky_hieu": "; ".join(numbers),
            "ngay": "; ".join(_date_vi(d) for d in days), "so_trang": pages if item.sources else None,
            "tinh_trang": item.status, "ghi_chu": "Phải bổ sung" if item.status == MISSING else "; ".join(notes),
        })
    name, what = _describe(s)
    period = unit.data["ky_danh_gia"]
    index_data = {
        "bieu_mau": unit.ruleset.kind("muc_luc"), "ky_danh_gia": period, "bo_quy_tac": unit.ruleset.key, "don_vi": _header(unit, facts),
        **({"dia_danh": facts["dia_danh"]} if facts.get("dia_danh") else {}), "loai_ho_so": kind,
        "doi_tuong": {"ten": name, **({"mo_ta": what} if what else {})},
        "muc": [{k: v for k, v in r.items() if v is not None} for r in rows],
        "tong_so_trang": sum(r["so_trang"] or 0 for r in rows),
        # The dossier's date is the unit's submission date, not the clock: same input, same bytes.
        "ngay_lap": unit.data.get("ngay_nop_ho_so") or unit.period_end.isoformat(),
        **({"nguoi_lap": unit.data["nguoi_lap_ho_so"]} if unit.data.get("nguoi_lap_ho_so") else {}),
    }
    found, index_form = check_data(str(folder / "01_muc_luc.yaml"), index_data)
    if index_form is None:
        raise InputError(f"Không lập được mục lục hồ sơ: {found[0].message_vi}", file=unit.path)
    docx = folder / "01_muc_luc.docx"
    docx.write_bytes(render_docx(index_form, unit.settings, registry.template_path(index_form.entry, templates)))
    return _Package(s, kind, folder, index_form, parts, rows)


def _finish_subject(unit: Unit, package: _Package) -> dict:
    """Second pass (index PDF converted): merge the bundle and write the manifest; returns it."""
    s, folder, index_form, parts, rows = package.subject, package.folder, package.index, package.parts, package.rows
    name, _ = _describe(s)
    period = unit.data["ky_danh_gia"]
    docx = folder / "01_muc_luc.docx"
    meta = document_meta(index_form)
    bundle = folder / f"ho_so_{s.ma}.pdf"
    ranges = merge(
        [Part(docx.with_suffix(".pdf"), "Mục lục hồ sơ"), *parts], bundle, meta.day,
        **bundle_description(unit.ruleset.vocabulary("loai_ho_so")[package.kind], name, unit.period, unit.ruleset.key),
    )
    files = sorted(p for p in folder.iterdir() if p.is_file())
    manifest = {
        "doi_tuong": {"ma": s.ma, "ten": name, "loai": package.kind},
        "don_vi": unit.data["don_vi"]["ten"],
        "ky_danh_gia": period,
        "bo_quy_tac": unit.ruleset.key,
        "thiet_lap_dia_phuong": {"ten": unit.settings["ten"], "phien_ban": unit.settings.get("phien_ban", "")},
        "phien_ban_hoso": __version__,
        "muc": [{"stt": r["stt"], "ten": r["ten"], "tinh_trang": r["tinh_trang"], "tinh_trang_vi": STATUS_VI[r["tinh_trang"]], "so_trang": r["so_trang"]} for r in rows],
        "muc_luc_pdf": [{"tieu_de": t, "trang_dau": first, "so_trang": n} for t, first, n in ranges],
        "tep": [
            {"ten": p.name, "sha256": _sha256(p), "kich_thuoc": p.stat().st_size, **({"pdfa": pdfa_status(p)} if p.suffix == ".pdf" else {})}
            for p in files
        ],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


def _owner_only(root: Path) -> None:
    """Party-member data is confidential: folders 0700, files 0600."""
    import os

    for path in [root, *root.rglob("*")]:
        os.chmod(path, 0o700 if path.is_dir() else 0o600)


def _date_vi(value: str) -> str:
    try:
        return short_date(value)
    except ValueError:
        return value


def build_packages(unit: Unit, facts: dict, rendered: dict[str, tuple[Path, Path]], stage: Path, conv: convert.Converter,
                   templates: Path | None, findings: list[Finding]) -> tuple[Path, int]:
    """Stage 6: every record package of a checked unit, from its documents already rendered and converted.

    ``rendered`` maps each form's path to its (DOCX, PDF) in the staging folder ``stage``. Returns the
    package folder (``stage/goi``, to publish as OUTPUT/ho_so) and the number of packages.
    """
    planned = packages(unit)
    root = private_dir(stage / "goi")
    work = private_dir(stage / "lam_viec")
    attachments = _Attachments(unit, work, conv)
    log.info("Bước 6: đóng gói %d bộ hồ sơ", len(planned))
    built = [
        _prepare_subject(unit, facts, p.subject, p.kind, evaluate(unit, p.subject, p.kind, facts), rendered, attachments,
                         root / p.kind / p.subject.ma, templates)
        for p in planned
    ]
    convert.to_stable_pdf([(p.folder / "01_muc_luc.docx", document_meta(p.index)) for p in built], conv)
    manifests = []
    for package in built:
        manifests.append(_finish_subject(unit, package))
        write_stable_zip(package.folder, package.folder.with_suffix(".zip"), package.subject.ma)
    # Unit-wide documents (decisions, reports, lists) and the findings go beside the packages.
    unit_docs = private_dir(root / "don_vi")
    for form in unit.documents:
        if not form.data.get("thanh_vien") and not form.data.get("to_chuc"):
            docx, pdf = rendered[form.path]
            shutil.copyfile(docx, unit_docs / docx.name)
            shutil.copyfile(pdf, unit_docs / pdf.name)
    (unit_docs / "phat_hien.json").write_text(format_json(findings, len(unit.forms())) + "\n", encoding="utf-8")
    (root / "manifest.json").write_text(json.dumps({
        "don_vi": unit.data["don_vi"]["ten"], "ky_danh_gia": unit.data["ky_danh_gia"], "bo_quy_tac": unit.ruleset.key,
        "phien_ban_hoso": __version__,
        "ho_so": [{"ma": m["doi_tuong"]["ma"], "ten": m["doi_tuong"]["ten"], "loai": m["doi_tuong"]["loai"]} for m in manifests],
        "tep": [{"ten": p.relative_to(root).as_posix(), "sha256": _sha256(p)} for p in sorted(root.rglob("*")) if p.is_file() and p.suffix != ".zip"],
    }, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    unit_zip = stage / unit_zip_name(unit.data["don_vi"]["ten"], unit.period)
    write_stable_zip(root, unit_zip, _slug(unit.data["don_vi"]["ten"]))
    shutil.move(str(unit_zip), root / unit_zip.name)
    shutil.rmtree(work)
    _owner_only(root)
    return root, len(planned)
