"""The façade: run the stages in order (load → validate → rules → render → convert → assemble)."""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from pathlib import Path

from . import convert, registry
from .errors import ConfigError
from .facts import document_issuer
from .findings import Finding, has_blocking
from .locality import load_locality
from .output import publish, staging, time_stamp
from .resources import data_dir
from .render import document_meta, render_docx
from .validate import ValidForm, check_file

log = logging.getLogger("hoso")


def validate_files(files: list[Path] | tuple[Path, ...]) -> list[Finding]:
    """Stages 1–2 for each file: every schema finding of every file."""
    return valid_forms(files)[0]


def valid_forms(files: list[Path] | tuple[Path, ...]) -> tuple[list[Finding], list[ValidForm]]:
    """Stages 1–2, keeping the forms that passed."""
    findings: list[Finding] = []
    forms: list[ValidForm] = []
    for path in files:
        found, form = check_file(path)
        findings.extend(found)
        if form is not None:
            forms.append(form)
    return findings, forms


@dataclass
class RenderResult:
    """What a render run produced: findings that stopped it, or the published files."""

    findings: list[Finding] = field(default_factory=list)
    docx: list[Path] = field(default_factory=list)
    pdf: list[Path] = field(default_factory=list)
    pdf_problem: convert.ConversionError | None = None

    @property
    def ok(self) -> bool:
        return not has_blocking(self.findings) and self.pdf_problem is None


def output_names(forms: list[ValidForm]) -> list[str]:
    """One output stem per form: the input file's stem, prefixed by its folder when stems collide."""
    stems = [Path(f.path).stem for f in forms]
    names = []
    for form, stem in zip(forms, stems):
        if stems.count(stem) > 1:
            stem = f"{Path(form.path).parent.name}_{stem}"
        names.append(stem)
    if len(set(names)) != len(names):
        names = [f"{i + 1:03d}_{n}" for i, n in enumerate(names)]
    return names


def render_files(
    files: list[Path] | tuple[Path, ...],
    out_dir: Path,
    *,
    pdf: bool = False,
    locality_file: Path | None = None,
    templates: Path | None = None,
    pdfa: str = "2b",
    numbering: Path | bool | None = None,
) -> RenderResult:
    """Validate every file, then render all of them (DOCX, and PDF on request) into ``out_dir``.

    Nothing is written unless every file is valid and every template renders. With
    ``pdf`` and no LibreOffice, the DOCX are still published and ``pdf_problem`` says why.
    Raises HosoError (TemplateError, ConfigError, ConversionError) on failures that are not findings.
    """
    locality = load_locality(locality_file)
    log.info("Bước 1–2: đọc và kiểm tra %d tệp", len(files))
    findings, forms = valid_forms(files)
    if has_blocking(findings):
        return RenderResult(findings=findings)
    jobs = [(name, form, None) for name, form in zip(output_names(forms), forms)]
    return _render_and_publish(jobs, out_dir, locality, findings, pdf=pdf, templates=templates, pdfa=pdfa, numbering=numbering)


def render_unit(
    target: Path,
    out_dir: Path,
    *,
    pdf: bool = False,
    locality_file: Path | None = None,
    templates: Path | None = None,
    pdfa: str = "2b",
    numbering: Path | bool | None = None,
    shared: tuple[Path, ...] = (),
) -> RenderResult:
    """Check a unit with every rule, then render all its documents with the unit's facts.

    Outputs mirror the unit's folders (``ca_nhan/nguyen_van_hung.docx``). Nothing is
    written while an error finding remains that no competent body overrode.
    """
    from .rules import Context, run_rules
    from .unit import load_unit

    log.info("Bước 1–2: đọc đơn vị %s", target)
    findings, unit = load_unit(target, locality_file, shared)
    if unit is None or has_blocking(findings):
        return RenderResult(findings=findings)
    log.info("Bước 3: chạy các quy tắc của bộ %s", unit.ruleset)
    findings += run_rules(Context(unit.ruleset, unit.locality, unit), unit.members, unit.orgs)
    if has_blocking(findings):
        return RenderResult(findings=findings)
    facts = unit.facts
    jobs = []
    for form in unit.forms():
        jobs.append((unit.output_name(form), form, facts))
    return _render_and_publish(jobs, out_dir, unit.locality, findings, pdf=pdf, templates=templates, pdfa=pdfa,
                               numbering=numbering, identity=unit.folder.resolve())


def lint_overlay(jobs, templates: Path | None) -> list[Finding]:
    """A locality's replacement templates are linted against their schemas like the built-in ones."""
    if templates is None:
        return []
    from .lint import lint_entry

    entries = {form.entry for _, form, _ in jobs if (templates / form.entry.template).is_file()}
    return [f for entry in sorted(entries, key=lambda e: e.key) for f in lint_entry(entry, templates)]


def _render_and_publish(jobs, out_dir: Path, locality: dict, findings: list[Finding], *, pdf: bool, templates: Path | None,
                        pdfa: str, numbering: Path | bool | None = None, identity: Path | None = None) -> RenderResult:
    """Render (name, form, facts) jobs in memory, convert in a staging folder, publish atomically.

    With ``numbering``, documents whose ``so_van_ban`` has no number get the next one of the
    register (a path, or True for the default register). The numbers are reserved durably
    before anything is published and confirmed document by document once published, so an
    interrupted run leaves at most a recorded gap, never one number on two documents
    (see generator/numbering.py).
    """
    overlay = lint_overlay(jobs, templates)
    if has_blocking(overlay):
        return RenderResult(findings=findings + overlay)
    if not numbering:
        return _render_jobs(jobs, out_dir, locality, findings, pdf=pdf, templates=templates, pdfa=pdfa)
    from .numbering import register

    with register(numbering if isinstance(numbering, Path) else None) as reg:
        numbered, documents = [], {}
        for name, form, facts in jobs:
            # A document's identity: its unit folder and path inside it, or its own resolved path.
            documents[name] = f"{identity}::{name}" if identity else str(Path(form.path).resolve())
            numbered.append((name, _with_number(form, reg, locality, documents[name], facts), facts))
        reg.reserve()
        return _render_jobs(numbered, out_dir, locality, findings, pdf=pdf, templates=templates, pdfa=pdfa,
                            register=reg, documents=documents)


def _with_number(form: ValidForm, reg, locality: dict, document: str, facts: dict | None = None) -> ValidForm:
    import datetime as dt

    from .numbering import term_of

    number = form.data.get("so_van_ban")
    if not number or number.get("so") is not None:
        return form
    doc_type, issuer_code = number["ky_hieu"].split("/", 1)
    day = dt.date.fromisoformat(form.data["ngay_lap"]) if form.data.get("ngay_lap") else dt.date.today()
    # The register is per issuing body: the document's own header, else (co_quan_ban_hanh) its issuer in the unit.
    name = (form.data.get("don_vi") or {}).get("ten") or ((document_issuer(form, facts) or {}).get("ten") or "").upper()
    issuer = f"{name}|{issuer_code}"
    assigned = reg.number(issuer, doc_type, term_of(locality, issuer_code, day), document, day)
    log.info("Cấp số %02d-%s cho %s", assigned, number["ky_hieu"], form.path)
    return dataclasses.replace(form, data={**form.data, "so_van_ban": {**number, "so": assigned}})


def _render_jobs(jobs, out_dir: Path, locality: dict, findings: list[Finding], *, pdf: bool, templates: Path | None, pdfa: str,
                 register=None, documents: dict[str, str] | None = None) -> RenderResult:
    """Render, convert in a staging folder, then publish document by document.

    With a numbering ``register``, each document's number is confirmed right after its files
    are published (``documents`` maps output names to document identities).
    """
    result = RenderResult(findings=findings)
    log.info("Bước 4: điền %d mẫu in", len(jobs))
    rendered = [(name, render_docx(form, locality, registry.template_path(form.entry, templates), facts)) for name, form, facts in jobs]
    conv = None
    if pdf:
        try:
            conv = convert.converter(pdfa)
        except convert.LibreOfficeMissing as exc:
            result.pdf_problem = exc
    with staging(out_dir) as stage:
        docx_names = []
        for name, data in rendered:
            path = stage / f"{name}.docx"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            docx_names.append(f"{name}.docx")
        if conv is not None:
            log.info("Bước 5: chuyển %d tệp sang PDF bằng LibreOffice", len(docx_names))
            convert.to_stable_pdf([(stage / n, document_meta(form, facts)) for n, (_, form, facts) in zip(docx_names, jobs)], conv)
        stamp = time_stamp()
        for name, docx_name in zip((name for name, _, _ in jobs), docx_names):
            document = (documents or {}).get(name)
            if register is not None and document:
                register.publishing(document)
            names = [docx_name] + ([docx_name[:-5] + ".pdf"] if conv is not None else [])
            published = publish(stage, out_dir, names, stamp)
            result.docx.append(published[0])
            result.pdf.extend(published[1:])
            if register is not None and document:
                register.confirm(document)
    return result


DEMO_UNIT = "demo"


def demo_unit() -> Path:
    """The bundled example unit (examples/demo)."""
    return data_dir("examples") / DEMO_UNIT


def is_unit(target: Path) -> bool:
    """A folder, or a YAML file with a ``don_vi`` section, is a unit; anything else is a form."""
    if target.is_dir():
        return True
    if target.suffix.lower() not in (".yaml", ".yml"):
        return False
    try:
        from .load import load_yaml_file

        data = load_yaml_file(target)
    except Exception:  # noqa: BLE001 - unreadable files are reported as forms by validate
        return False
    return isinstance(data, dict) and "bieu_mau" not in data and "don_vi" in data and "thanh_vien" in data


def as_warnings(findings: list[Finding], stage: str) -> list[Finding]:
    """Errors of the rules of a later stage, shown as warnings: ``check`` shows what ``dossier`` will refuse
    without blocking the documents that can already be made."""
    from .rules import RULES

    later = {r.id for r in RULES.values() if r.stage == stage}
    return [dataclasses.replace(f, severity="warning") if f.rule_id in later and f.severity == "error" else f for f in findings]


def check(targets: list[Path] | tuple[Path, ...], locality_file: Path | None = None, shared: tuple[Path, ...] = ()) -> tuple[list[Finding], int]:
    """Stages 1–3: schema findings plus every rule finding, for one unit or for plain form files.

    Returns the findings and how many files were read.
    """
    from .rules import Context, run_rules
    from .unit import load_unit, standalone_subjects

    targets = list(targets)
    if len(targets) == 1 and is_unit(targets[0]):
        log.info("Bước 1–2: đọc đơn vị %s", targets[0])
        findings, unit = load_unit(targets[0], locality_file, shared)
        if unit is None:
            return findings, 1
        log.info("Bước 3: chạy các quy tắc của bộ %s, kể cả thành phần hồ sơ", unit.ruleset)
        try:
            ctx = Context(unit.ruleset, unit.locality, unit)
        except ConfigError as exc:
            where = "$.bo_quy_tac" if unit.data.get("bo_quy_tac") else "$.ky_danh_gia"
            return findings + [Finding("SCHEMA", "error", unit.path, where, exc.message, "Bảng bộ quy tắc theo kỳ (rulesets/rulesets.yaml)")], 1
        count = 1 + len(unit.forms())
        return findings + as_warnings(run_rules(ctx, unit.members, unit.orgs, stages=("check", "dossier")), "dossier"), count
    locality = load_locality(locality_file)
    findings, forms = valid_forms(targets)
    by_ruleset: dict[str, list[ValidForm]] = {}
    for form in forms:
        by_ruleset.setdefault(form.binding.ruleset.key, []).append(form)
    for ruleset, group in by_ruleset.items():
        members, orgs = standalone_subjects(group)
        findings += run_rules(Context(ruleset, locality, None), members, orgs)
    return findings, len(targets)
