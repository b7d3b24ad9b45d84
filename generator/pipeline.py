"""The façade: one pipeline (load → validate → rules → render → convert → assemble) whose presets are
``check``, ``render``, ``dossier`` and ``demo``.

A run loads its source (a unit folder, or form files), runs the rules, then plans the documents as
``Job`` values (plain, picklable data: the form, its template, a settings snapshot and the unit's
facts) and hands them to an executor: in this process, or a pool of processes. Every document is
rendered and converted once, whatever the steps ask for; the outputs are staged in a private
folder and published atomically.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from . import convert, registry
from .assemble import PACKAGE, build_packages
from .errors import UsageError
from .facts import document_issuer, unit_facts
from .findings import Finding, has_blocking
from .lint import lint_entry
from .load import load_yaml_file
from .numbering import register, term_of
from .output import publish, publish_tree, staging, time_stamp
from .paths import unit_folder
from .period import Period
from .provenance import annotate
from .render import document_meta, render_docx
from .resources import data_dir
from .rules import Context, check_unit, run_rules
from .rules import unit_findings as _unit_rules
from .settings import load_settings
from .source import MANIFEST, load_unit
from .unit import Unit, standalone_subjects
from .validate import ValidForm, check_file

log = logging.getLogger("hoso")


# -- steps ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Steps:
    """What a run does after the rules: render documents (published one by one), convert them to PDF,
    and build the record packages."""

    render: bool = False
    pdf: bool = False
    dossier: bool = False

    @property
    def check_only(self) -> bool:
        return not (self.render or self.dossier)


CHECK = Steps()
RENDER = Steps(render=True)
RENDER_PDF = Steps(render=True, pdf=True)
DOSSIER = Steps(pdf=True, dossier=True)
DEMO = Steps(render=True, pdf=True, dossier=True)


# -- jobs and executors --------------------------------------------------------------------------
@dataclass(frozen=True)
class Job:
    """One document to render: plain data, so it can cross to another process.

    ``name`` is the output stem (``ca_nhan/nguyen_van_hung``); ``settings`` the snapshot of the
    layered settings; ``facts`` the unit's computed facts (None for a form rendered alone).
    """

    name: str
    form: ValidForm
    template: Path
    settings: dict
    facts: dict | None = None


def render_job(job: Job) -> bytes:
    """Render one job to DOCX bytes (raises TemplateError)."""
    return render_docx(job.form, job.settings, job.template, job.facts)


class InlineExecutor:
    """Runs jobs one after another in this process."""

    def map(self, func: Callable, jobs: Sequence) -> list:
        return [func(job) for job in jobs]


class ProcessExecutor:
    """Runs jobs in a pool of ``workers`` processes (CPU-bound rendering on every core); results keep the jobs' order."""

    def __init__(self, workers: int):
        self.workers = workers

    def map(self, func: Callable, jobs: Sequence) -> list:
        if len(jobs) < 2 or self.workers < 2:
            return [func(job) for job in jobs]
        # "spawn": a fresh interpreter per worker, no inherited locks or open registers.
        with ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            return list(pool.map(func, jobs, chunksize=max(1, len(jobs) // (4 * self.workers))))


def executor(workers: int = 1) -> InlineExecutor | ProcessExecutor:
    """The executor for ``workers`` processes (1: this process)."""
    return ProcessExecutor(workers) if workers > 1 else InlineExecutor()


# -- results -------------------------------------------------------------------------------------
@dataclass
class RenderResult:
    """What a run produced: findings that stopped it, or the published files and packages."""

    findings: list[Finding] = field(default_factory=list)
    docx: list[Path] = field(default_factory=list)
    pdf: list[Path] = field(default_factory=list)
    pdf_problem: convert.ConversionError | None = None
    package: Path | None = None
    subjects: int = 0
    checked: int = 0

    @property
    def ok(self) -> bool:
        return not has_blocking(self.findings) and self.pdf_problem is None


DossierResult = RenderResult


# -- stages 1–3 ----------------------------------------------------------------------------------
def validate_files(files: Iterable[Path]) -> list[Finding]:
    """Stages 1–2 for each file: every schema finding of every file."""
    return valid_forms(files)[0]


def valid_forms(files: Iterable[Path]) -> tuple[list[Finding], list[ValidForm]]:
    """Stages 1–2, keeping the forms that passed."""
    findings: list[Finding] = []
    forms: list[ValidForm] = []
    for path in files:
        found, form = check_file(path)
        findings.extend(found)
        if form is not None:
            forms.append(form)
    return findings, forms


def _settings_for(forms: Iterable[ValidForm], locality_file: Path | None) -> dict[str, dict]:
    """The layered settings of each ruleset the forms are bound to."""
    found: dict[str, dict] = {}
    for form in forms:
        rs = form.binding.ruleset
        if rs.key not in found:
            found[rs.key] = load_settings(rs, locality_file)
    return found


def check(targets: Sequence[Path], locality_file: Path | None = None, shared: tuple[Path, ...] = ()) -> tuple[list[Finding], int]:
    """Stages 1–3: schema findings plus every rule finding, for one unit or for plain form files.

    Returns the findings and how many files were read.
    """
    targets = list(targets)
    if len(targets) == 1 and is_unit(targets[0]):
        log.info("Bước 1–2: đọc đơn vị %s", targets[0])
        findings, unit = load_unit(targets[0], locality_file, shared)
        folder = unit_folder(targets[0])
        if unit is None:
            return annotate(findings, folder), 1
        log.info("Bước 3: chạy các quy tắc của bộ %s, kể cả thành phần hồ sơ", unit.ruleset.key)
        findings += check_unit(unit)
        return annotate(findings, folder), 1 + len(unit.forms())
    findings, forms = valid_forms(targets)
    settings = _settings_for(forms, locality_file)
    by_ruleset: dict[str, list[ValidForm]] = {}
    for form in forms:
        by_ruleset.setdefault(form.binding.ruleset.key, []).append(form)
    for key, group in by_ruleset.items():
        members, orgs = standalone_subjects(group)
        findings += run_rules(Context(group[0].binding.ruleset, settings[key], None), members, orgs)
    return findings, len(targets)


# -- planning ------------------------------------------------------------------------------------
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


def plan_unit(unit: Unit, facts: dict, templates: Path | None) -> list[Job]:
    """A job per document of the unit, named after its path in the unit folder."""
    return [Job(unit.output_name(form), form, registry.template_path(form.entry, templates), unit.settings, facts) for form in unit.forms()]


def plan_files(forms: list[ValidForm], settings: dict[str, dict], templates: Path | None) -> list[Job]:
    """A job per form file rendered alone (no unit facts)."""
    return [Job(name, form, registry.template_path(form.entry, templates), settings[form.binding.ruleset.key])
            for name, form in zip(output_names(forms), forms)]


def lint_overlay(jobs: list[Job], templates: Path | None) -> list[Finding]:
    """A locality's replacement templates are linted against their schemas like the built-in ones."""
    if templates is None:
        return []
    entries = {job.form.entry for job in jobs if (templates / job.form.entry.template).is_file()}
    return [f for entry in sorted(entries, key=lambda e: e.key) for f in lint_entry(entry, templates)]


def _numbered(job: Job, reg, document: str) -> Job:
    """The job with the next number of the register when its ``so_van_ban`` has none."""
    form = job.form
    number = form.data.get("so_van_ban")
    if not number or number.get("so") is not None:
        return job
    doc_type, issuer_code = number["ky_hieu"].split("/", 1)
    day = dt.date.fromisoformat(form.data["ngay_lap"]) if form.data.get("ngay_lap") else dt.date.today()
    # The register is per issuing body: the document's own header, else (co_quan_ban_hanh) its issuer in the unit.
    name = (form.data.get("don_vi") or {}).get("ten") or ((document_issuer(form, job.facts) or {}).get("ten") or "").upper()
    issuer = f"{name}|{issuer_code}"
    assigned = reg.number(issuer, doc_type, term_of(job.settings, issuer_code, day), document, day)
    log.info("Cấp số %02d-%s cho %s", assigned, number["ky_hieu"], form.path)
    data = {**form.data, "so_van_ban": {**number, "so": assigned}}
    return dataclasses.replace(job, form=dataclasses.replace(form, data=data))


# -- the one run ---------------------------------------------------------------------------------
def run(targets: Sequence[Path], out_dir: Path, steps: Steps, **options) -> RenderResult:
    """Run the pipeline over one unit folder or over form files, doing ``steps`` (options: see ``_run``).

    Findings of a unit point back to the roster cell or Word form section where the value was typed, when the unit
    records it (``hoso init --roster``, ``hoso forms import``).
    """
    targets = list(targets)
    if options.get("as_unit") is None:
        options["as_unit"] = len(targets) == 1 and is_unit(targets[0])
    result = _run(targets, out_dir, steps, **options)
    if options["as_unit"]:
        result.findings = annotate(result.findings, unit_folder(targets[0]))
    return result


def _run(
    targets: Sequence[Path],
    out_dir: Path,
    steps: Steps,
    *,
    locality_file: Path | None = None,
    templates: Path | None = None,
    pdfa: str = "2b",
    numbering: Path | bool | None = None,
    shared: tuple[Path, ...] = (),
    workers: int = 1,
    as_unit: bool = False,
) -> RenderResult:
    """Run the pipeline over one unit folder or over form files, doing ``steps``.

    Nothing is written while an error finding remains that no competent body overrode. With
    ``numbering``, documents without a number get the next one of the register (a path, or True
    for the default register): numbers are reserved durably before anything is published and
    confirmed document by document once published, so an interrupted run leaves at most a
    recorded gap, never one number on two documents. With ``steps.pdf`` and no LibreOffice,
    the DOCX are still published and ``pdf_problem`` says why (a dossier needs LibreOffice).
    ``as_unit``: the one target is a unit (``run`` decides when not told: one folder or manifest is a unit).
    Raises HosoError (TemplateError, ConfigError, ConversionError, LibreOfficeMissing) on failures that are not findings.
    """
    targets = list(targets)
    unit: Unit | None = None
    if as_unit:
        log.info("Bước 1–2: đọc đơn vị %s", targets[0])
        findings, unit = load_unit(targets[0], locality_file, shared)
        if unit is None or has_blocking(findings):
            return RenderResult(findings=findings)
        stages = ("check", "dossier") if steps.dossier else ("check",)
        log.info("Bước 3: chạy các quy tắc của bộ %s", unit.ruleset.key)
        findings += _unit_rules(unit, stages)
        if has_blocking(findings):
            return RenderResult(findings=findings)
        facts = unit_facts(unit)
        jobs = plan_unit(unit, facts, templates)
        identity = unit.folder.resolve()
    else:
        log.info("Bước 1–2: đọc và kiểm tra %d tệp", len(targets))
        findings, forms = valid_forms(targets)
        if has_blocking(findings):
            return RenderResult(findings=findings)
        jobs = plan_files(forms, _settings_for(forms, locality_file), templates)
        facts, identity = None, None
    overlay = lint_overlay(jobs, templates)
    if has_blocking(overlay):
        return RenderResult(findings=findings + overlay)
    pool = executor(workers)
    if not numbering or not steps.render:
        return _execute(jobs, unit, facts, out_dir, steps, findings, pdfa=pdfa, pool=pool, templates=templates)
    with register(numbering if isinstance(numbering, Path) else None) as reg:
        # A document's identity: its unit folder and path inside it, or its own resolved path.
        documents = {job.name: f"{identity}::{job.name}" if identity else str(Path(job.form.path).resolve()) for job in jobs}
        jobs = [_numbered(job, reg, documents[job.name]) for job in jobs]
        reg.reserve()
        return _execute(jobs, unit, facts, out_dir, steps, findings, pdfa=pdfa, pool=pool, templates=templates,
                        register=reg, documents=documents)


def _execute(jobs: list[Job], unit: Unit | None, facts: dict | None, out_dir: Path, steps: Steps, findings: list[Finding], *, pdfa: str, pool,
             templates: Path | None, register=None, documents: dict[str, str] | None = None) -> RenderResult:
    """Render every job once, convert in a staging folder, then publish documents and packages."""
    result = RenderResult(findings=findings)
    log.info("Bước 4: điền %d mẫu in", len(jobs))
    rendered = pool.map(render_job, jobs)
    conv = None
    if steps.pdf:
        try:
            conv = convert.converter(pdfa)
        except convert.LibreOfficeMissing as exc:
            if steps.dossier:
                raise
            result.pdf_problem = exc
    with staging(out_dir) as stage:
        folder = stage / "van_ban"
        files: dict[str, tuple[Path, Path | None]] = {}
        for job, data in zip(jobs, rendered):
            path = folder / f"{job.name}.docx"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            files[job.form.path] = (path, path.with_suffix(".pdf") if conv is not None else None)
        if conv is not None:
            log.info("Bước 5: chuyển %d tệp sang PDF bằng LibreOffice", len(jobs))
            convert.to_stable_pdf([(files[job.form.path][0], document_meta(job.form, job.facts)) for job in jobs], conv)
        package_root = None
        if steps.dossier and unit is not None:
            package_root, result.subjects = build_packages(unit, facts, files, stage, conv, templates, findings)
        if steps.render:
            stamp = time_stamp()
            for job in jobs:
                document = (documents or {}).get(job.name)
                if register is not None and document:
                    register.publishing(document)
                names = [f"{job.name}.docx"] + ([f"{job.name}.pdf"] if conv is not None else [])
                published = publish(folder, out_dir, names, stamp)
                result.docx.append(published[0])
                result.pdf.extend(published[1:])
                if register is not None and document:
                    register.confirm(document)
        if package_root is not None:
            result.package = publish_tree(package_root, out_dir, PACKAGE)
    return result


# -- presets -------------------------------------------------------------------------------------
def render_files(files: Sequence[Path], out_dir: Path, *, pdf: bool = False, locality_file: Path | None = None,
                 templates: Path | None = None, pdfa: str = "2b", numbering: Path | bool | None = None, workers: int = 1) -> RenderResult:
    """Validate every form file, then render all of them (DOCX, and PDF on request) into ``out_dir``."""
    return run(files, out_dir, RENDER_PDF if pdf else RENDER, locality_file=locality_file, templates=templates,
               pdfa=pdfa, numbering=numbering, workers=workers, as_unit=False)


def render_unit(target: Path, out_dir: Path, *, pdf: bool = False, locality_file: Path | None = None, templates: Path | None = None,
                pdfa: str = "2b", numbering: Path | bool | None = None, shared: tuple[Path, ...] = (), workers: int = 1) -> RenderResult:
    """Check a unit with every rule, then render all its documents with the unit's facts.

    Outputs mirror the unit's folders (``ca_nhan/nguyen_van_hung.docx``).
    """
    return run([target], out_dir, RENDER_PDF if pdf else RENDER, locality_file=locality_file, templates=templates, pdfa=pdfa,
               numbering=numbering, shared=shared, workers=workers, as_unit=True)


def build_dossiers(target: Path, out_dir: Path, *, locality_file: Path | None = None, templates: Path | None = None, pdfa: str = "2b",
                   shared: tuple[Path, ...] = (), workers: int = 1) -> RenderResult:
    """Check a unit (every rule, DOSSIER-COMPLETE included) and publish its record packages under ``out_dir/ho_so``."""
    return run([target], out_dir, DOSSIER, locality_file=locality_file, templates=templates, pdfa=pdfa, shared=shared,
               workers=workers, as_unit=True)


def demo(out_dir: Path, *, pdf: bool = True, locality_file: Path | None = None, workers: int = 1, year: int | None = None) -> RenderResult:
    """A bundled example unit end to end (the current year's unless ``year`` names another): every document
    (DOCX, PDF) and, with PDF, every record package — each document rendered and converted once."""
    steps = DEMO if pdf else RENDER
    return run([demo_unit(year)], out_dir, steps, locality_file=locality_file, workers=workers, as_unit=True)


def demo_units() -> dict[Period, Path]:
    """The bundled example units (``examples/*/don_vi.yaml``) by evaluation period (a year, or a quarter of one)."""
    found = {}
    for manifest in sorted(data_dir("examples").glob(f"*/{MANIFEST}")):
        period = load_yaml_file(manifest).get("ky_danh_gia") or {}
        if isinstance(period.get("nam"), int):
            found[Period.of(period)] = manifest.parent
    return found


def demo_unit(year: int | None = None) -> Path:
    """The bundled example unit of the year ``year`` (a whole year, not a quarter), by default the latest one.
    Raises UsageError for a year without one."""
    years = {p.year: path for p, path in demo_units().items() if p.quarter is None}
    if year is None:
        return years[max(years)]
    if year not in years:
        raise UsageError(f"Không có đơn vị mẫu của năm {year}; các năm có đơn vị mẫu: {', '.join(map(str, sorted(years)))}.")
    return years[year]


def is_unit(target: Path) -> bool:
    """A folder, or a YAML file with a ``don_vi`` section, is a unit; anything else is a form."""
    if target.is_dir():
        return True
    if target.suffix.lower() not in (".yaml", ".yml"):
        return False
    try:
        data = load_yaml_file(target)
    except Exception:  # noqa: BLE001 - unreadable files are reported as forms by validate
        return False
    return isinstance(data, dict) and "bieu_mau" not in data and "don_vi" in data and "thanh_vien" in data
