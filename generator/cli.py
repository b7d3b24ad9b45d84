"""The thin ``hoso`` command line: parse options, call the library, map the result to an exit code."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__, click_vi
from .errors import HosoError, UsageError
from .findings import Finding, format_json, format_text, has_blocking, summary_text
from .paths import unit_folder
from .period import Period

FORMATS = click.Choice(["text", "json"])


click_vi.install()
INTERNAL_EXIT = 70
"""Exit code of a defect of hoso itself (not of the data): EX_SOFTWARE of sysexits."""


class HosoCommand(click.Command):
    """A command whose usage line is Vietnamese too."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[TÙY_CHỌN]")
        super().__init__(*args, **kwargs)


class HosoGroup(click.Group):
    """Click group that turns every HosoError into a Vietnamese message and its exit code.

    Any other exception is a defect of hoso: the clerk gets a Vietnamese message and the
    details go to a private log file, never a traceback on the screen (HOSO_DEBUG=1 lets it through,
    which the test suite sets so that a defect fails its test).
    """

    command_class = HosoCommand
    group_class = type  # subgroups are HosoGroups too

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[TÙY_CHỌN]")
        kwargs.setdefault("subcommand_metavar", "LỆNH [THAM_SỐ]...")
        super().__init__(*args, **kwargs)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except HosoError as exc:
            click.echo(f"Lỗi: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort, SystemExit, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            # The reader went away (`hoso … | head`): stop quietly, as other command-line tools do.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(141)
        except Exception as exc:  # noqa: BLE001 - the last line of defence against a traceback
            if os.environ.get("HOSO_DEBUG"):
                raise
            click.echo(f"Lỗi nội bộ của hoso (không phải lỗi của dữ liệu): {type(exc).__name__}. "
                       f"Chi tiết đã ghi vào {_crash_log(exc)}; hãy gửi tệp này cho người quản trị hoso.", err=True)
            ctx.exit(INTERNAL_EXIT)


def _crash_log(exc: Exception) -> str:
    """Write the traceback to an owner-only file in hoso's data folder; returns its path."""
    import datetime as dt
    import traceback

    from .numbering import data_home
    from .output import private_dir

    folder = private_dir(data_home() / "loi")
    path = folder / f"loi-{dt.datetime.now():%Y%m%d-%H%M%S-%f}.txt"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write("".join(traceback.format_exception(exc)))
    return str(path)


CONTEXT = {"help_option_names": ["-h", "--help"]}


@click.group(cls=HosoGroup, context_settings=CONTEXT)
@click.version_option(__version__, prog_name="hoso", message="%(prog)s %(version)s")
def main() -> None:
    """hoso: lập, kiểm tra và in hồ sơ kiểm điểm, đánh giá, xếp loại chất lượng hằng năm."""
    import signal

    # A stop request (SIGTERM) unwinds like Ctrl-C, so LibreOffice, staging folders and reserved numbers are cleaned up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def json_errors(command):
    """With ``--format json``, a HosoError is printed as JSON too (one finding naming file and path), never as plain text."""
    import functools

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except HosoError as exc:
            if kwargs.get("fmt") != "json":
                raise
            finding = Finding(getattr(exc, "rule_id", "SCHEMA"), "error", exc.file or "", exc.json_path or "$", exc.message,
                              "hoso")
            click.echo(format_json([finding], 0))
            sys.exit(exc.exit_code)

    return run


def _emit(findings, files_checked: int, fmt: str) -> int:
    if fmt == "json":
        click.echo(format_json(findings, files_checked))
    else:
        if findings:
            click.echo(format_text(findings))
        click.echo(summary_text(findings, files_checked))
    return 1 if has_blocking(findings) else 0


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="TỆP...")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Dạng kết quả: chữ cho người đọc, json cho chương trình.")
@json_errors
def validate(files: tuple[Path, ...], fmt: str) -> None:
    """Kiểm tra các tệp biểu mẫu (YAML hoặc JSON) theo lược đồ của biểu mẫu.

    Thoát với mã 0 nếu không có lỗi, 1 nếu có lỗi, 2 nếu dùng sai lệnh.
    """
    from .pipeline import validate_files

    findings = validate_files(files)
    sys.exit(_emit(findings, len(files), fmt))


def _locality_option(f):
    return click.option(
        "--locality", "locality", type=click.Path(path_type=Path, dir_okay=False),
        help="Tệp thiết lập địa phương (YAML); mặc định theo hướng dẫn của Ban Thường vụ Huyện ủy.",
    )(f)


def _shared_option(f):
    return click.option(
        "--thu-muc-chung", "shared", multiple=True, type=click.Path(path_type=Path, file_okay=False, exists=True),
        help="Thư mục ngoài thư mục đơn vị mà đơn vị được đọc biểu mẫu, tệp đính kèm (ví dụ thư mục dùng chung); "
             "mặc định mọi tệp phải nằm trong thư mục đơn vị. Dùng được nhiều lần.",
    )(f)


def _workers_option(f):
    return click.option(
        "--tien-trinh", "workers", type=click.IntRange(1, 64), default=1, show_default=True,
        help="Số tiến trình điền mẫu in song song (mỗi nhân máy một tiến trình là vừa).",
    )(f)


def _templates_option(f):
    return click.option(
        "--templates", "templates", type=click.Path(path_type=Path, file_okay=False, exists=True),
        help="Thư mục mẫu in của địa phương; tệp nào có ở đây thay cho mẫu cài sẵn cùng tên.",
    )(f)


def _report_render(result, out_dir: Path, fmt: str, files_checked: int) -> int:
    if result.findings or fmt == "json":
        code = _emit(result.findings, files_checked, fmt)
        if code:
            click.echo("Chưa tạo văn bản nào vì còn lỗi ở trên.", err=True)
            return code
    click.echo(f"Đã tạo {len(result.docx)} tệp DOCX và {len(result.pdf)} tệp PDF trong {out_dir}")
    for path in result.docx + result.pdf:
        click.echo(f"  {path}")
    if result.pdf_problem is not None:
        click.echo(f"Lỗi: {result.pdf_problem}", err=True)
        return result.pdf_problem.exit_code
    return 0


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="TỆP...")
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(path_type=Path, file_okay=False), help="Thư mục ghi kết quả.")
@click.option("--pdf", is_flag=True, help="Tạo thêm PDF (PDF/A-2b) bằng LibreOffice.")
@click.option("--pdfa", type=click.Choice(["2b", "1b", "none"]), default="2b", show_default=True, help="Chuẩn PDF/A của tệp PDF.")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Dạng báo lỗi.")
@_locality_option
@_templates_option
@click.option("--cap-so", "numbering", is_flag=True, help="Cấp số cho văn bản chưa có số, theo sổ đăng ký của từng cơ quan, loại văn bản và nhiệm kỳ.")
@click.option("--so-dang-ky", "register_file", type=click.Path(path_type=Path, dir_okay=False), help="Tệp sổ đăng ký số văn bản (mặc định trong thư mục dữ liệu của hoso).")
@_shared_option
@_workers_option
@click.option("-v", "--verbose", is_flag=True, help="In từng bước xử lý.")
@json_errors
def render(files, out_dir, pdf, pdfa, fmt, locality, templates, numbering, register_file, shared, workers, verbose) -> None:
    """Điền biểu mẫu vào mẫu in, ghi DOCX (và PDF với --pdf) vào thư mục OUTPUT.

    FILES là các tệp biểu mẫu, hoặc một thư mục đơn vị (có don_vi.yaml): khi đó mọi văn bản của đơn
    vị được kiểm tra theo các quy tắc rồi tạo, với số liệu tính từ đơn vị. Mọi tệp phải hợp lệ thì mới
    ghi; tệp cũ trùng tên được giữ lại trong _phien_ban_truoc/.
    """
    from .pipeline import is_unit, render_files, render_unit

    _logging(verbose)
    numbers = (register_file or True) if numbering else None
    if len(files) == 1 and is_unit(files[0]):
        result = render_unit(files[0], out_dir, pdf=pdf, locality_file=locality, templates=templates, pdfa=pdfa, numbering=numbers,
                             shared=shared, workers=workers)
    else:
        result = render_files(files, out_dir, pdf=pdf, locality_file=locality, templates=templates, pdfa=pdfa, numbering=numbers,
                              workers=workers)
    sys.exit(_report_render(result, out_dir, fmt, len(files)))


@main.command()
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(path_type=Path, file_okay=False), help="Thư mục ghi kết quả.")
@click.option("--no-pdf", is_flag=True, help="Chỉ tạo DOCX.")
@click.option("--nam", "year", type=int, help="Năm của đơn vị mẫu (mặc định: năm mới nhất có đơn vị mẫu).")
@_locality_option
@_workers_option
@click.option("-v", "--verbose", is_flag=True, help="In từng bước xử lý.")
def demo(out_dir, no_pdf, year, locality, workers, verbose) -> None:
    """Chạy toàn bộ quy trình trên đơn vị mẫu đi kèm của năm hiện hành (hoặc năm --nam): kiểm tra theo mọi quy tắc,
    tạo mọi văn bản của năm (DOCX và PDF) rồi đóng gói hồ sơ — mỗi văn bản tạo một lần."""
    from .pipeline import demo as run_demo, demo_unit

    _logging(verbose)
    click.echo(f"Đơn vị mẫu: {demo_unit(year)}")
    result = run_demo(out_dir, pdf=not no_pdf, locality_file=locality, workers=workers, year=year)
    code = _report_render(result, out_dir, "text", len(result.docx) or 1)
    if code or no_pdf:
        sys.exit(code)
    click.echo(f"Đã đóng gói {result.subjects} bộ hồ sơ (cá nhân, tập thể) trong {result.package}")
    sys.exit(0)


@main.command()
@_templates_option
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Dạng kết quả.")
@json_errors
def lint(templates, fmt) -> None:
    """Kiểm tra mọi mẫu in: mỗi tên biến trong mẫu phải có trong lược đồ của biểu mẫu."""
    from .lint import lint_all

    findings, checked = lint_all(templates)
    sys.exit(_emit(findings, checked, fmt))


@main.command()
@click.argument("targets", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="ĐƠN_VỊ|TỆP...")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Dạng kết quả: chữ cho người đọc, json cho chương trình.")
@_locality_option
@_shared_option
@click.option("-v", "--verbose", is_flag=True, help="In từng bước xử lý.")
@json_errors
def check(targets, fmt, locality, shared, verbose) -> None:
    """Kiểm tra một đơn vị (thư mục có don_vi.yaml, hoặc tệp don_vi.yaml) theo mọi quy tắc xếp loại.

    Cũng nhận các tệp biểu mẫu rời: khi đó chỉ chạy các quy tắc đọc được từ biểu mẫu.
    Thoát với mã 1 nếu còn lỗi chưa được cấp có thẩm quyền cho phép.
    """
    from .pipeline import check as run_check

    _logging(verbose)
    findings, count = run_check(targets, locality, shared)
    sys.exit(_emit(findings, count, fmt))


@main.command()
@click.argument("unit", type=click.Path(path_type=Path, exists=True), metavar="ĐƠN_VỊ")
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(path_type=Path, file_okay=False), help="Thư mục ghi hồ sơ.")
@click.option("--pdfa", type=click.Choice(["2b", "1b"]), default="2b", show_default=True, help="Chuẩn PDF/A của các tệp PDF.")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Dạng báo lỗi.")
@_locality_option
@_templates_option
@_shared_option
@_workers_option
@click.option("-v", "--verbose", is_flag=True, help="In từng bước xử lý.")
@json_errors
def dossier(unit, out_dir, pdfa, fmt, locality, templates, shared, workers, verbose) -> None:
    """Đóng gói hồ sơ của đơn vị: mỗi cá nhân, mỗi tập thể một bộ hồ sơ (mục lục, văn bản gốc DOCX,
    PDF/A, một PDF gộp có mục lục, manifest.json với SHA-256, tệp ZIP) và một ZIP cho cả đơn vị.

    Bộ hồ sơ hiện hành nằm ở OUTPUT/ho_so; các lần tạo trước được giữ trong OUTPUT/.phien_ban/.
    """
    from .pipeline import build_dossiers

    _logging(verbose)
    result = build_dossiers(unit, out_dir, locality_file=locality, templates=templates, pdfa=pdfa, shared=shared, workers=workers)
    if result.package is None:
        code = _emit(result.findings, 1, fmt)
        click.echo("Chưa đóng gói hồ sơ vì còn lỗi ở trên.", err=True)
        sys.exit(code or 1)
    if fmt == "json":
        _emit(result.findings, 1, fmt)
    elif result.findings:
        click.echo(format_text(result.findings))
    click.echo(f"Đã đóng gói {result.subjects} bộ hồ sơ trong {result.package} (→ {result.package.resolve()})")
    sys.exit(0)


@main.group()
def complaint() -> None:
    """Khiếu nại về kết quả đánh giá, xếp loại."""


@complaint.command("reply")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False), metavar="TỆP")
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False), help="Thư mục ghi văn bản (mặc định: thư mục tra_loi_khieu_nai cạnh tệp).")
@click.option("--no-pdf", is_flag=True, help="Chỉ tạo DOCX.")
@_locality_option
def complaint_reply(file, out_dir, no_pdf, locality) -> None:
    """Lập văn bản trả lời khiếu nại từ hồ sơ khiếu nại FILE (bieu_mau: khieu_nai), DOCX và PDF, trong một bước.

    Khi chưa có kết luận của cấp có thẩm quyền, văn bản in là dự thảo và hoso nhắc (COMPLAINT-REPLY).
    """
    from .findings import Finding
    from .pipeline import render_files
    from .validate import check_file

    found, form = check_file(file)
    if form is not None and form.binding.ruleset.slot_of(form.data["bieu_mau"]) != "khieu_nai":
        found.append(Finding("SCHEMA", "error", str(file), "$.bieu_mau", f"Tệp này là '{form.data['bieu_mau']}', không phải hồ sơ khiếu nại (khieu_nai).", "Sổ đăng ký biểu mẫu"))
    if form is None or any(f.blocking for f in found):
        sys.exit(_emit(found, 1, "text"))
    if not form.data.get("ket_luan"):
        click.echo(f"{file}: $.ket_luan: [COMPLAINT-REPLY] cảnh báo: chưa có kết luận của cấp có thẩm quyền; văn bản được in là dự thảo.", err=True)
    result = render_files([file], out_dir or Path(file).parent / "tra_loi_khieu_nai", pdf=not no_pdf, locality_file=locality)
    sys.exit(_report_render(result, out_dir or Path(file).parent / "tra_loi_khieu_nai", "text", 1))


@main.group()
@click.option("--kho", "folder", type=click.Path(path_type=Path, file_okay=False), envvar="HOSO_KHO", help="Thư mục kho lưu trữ (mặc định trong thư mục dữ liệu của hoso).")
@click.option("--db", "url", envvar="HOSO_DB", help="Địa chỉ cơ sở dữ liệu SQLAlchemy (mặc định SQLite trong thư mục kho), ví dụ postgresql://…")
@click.pass_context
def archive(ctx, folder, url) -> None:
    """Kho lưu trữ hồ sơ: thêm, liệt kê, xem, kiểm tra toàn vẹn, xuất, dựng lại chỉ mục. Không bao giờ ghi đè hay xóa."""
    from .archive import Archive

    ctx.obj = Archive(folder, url, rebuilding=ctx.invoked_subcommand == "rebuild-index")
    ctx.call_on_close(ctx.obj.close)


@archive.command("add")
@click.argument("package", type=click.Path(path_type=Path, exists=True, file_okay=False), metavar="GÓI_HỒ_SƠ")
@click.pass_obj
def archive_add(store, package) -> None:
    """Thêm gói hồ sơ do `hoso dossier` tạo (thư mục OUTPUT/ho_so) vào kho."""
    for unit, ma, version, new in store.add(package):
        click.echo(f"{'Thêm' if new else 'Đã có'}: {unit} / {ma} — phiên bản {version}")


@archive.command("list")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.pass_obj
def archive_list(store, fmt) -> None:
    """Liệt kê các đơn vị, đối tượng và phiên bản mới nhất trong kho."""
    import json

    rows = store.listing()
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        click.echo(f"{r['ten']} ({Period.of(r['ky_danh_gia']).label_vi}, {r['bo_quy_tac']})  {r['loai']:<8} {r['ma']:<24} {r['ten_doi_tuong']}  phiên bản {r['phien_ban']}")
    click.echo(f"Tổng cộng {len(rows)} bộ hồ sơ.")


KINDS = click.Choice(["ca_nhan", "tap_the", "khen_thuong"])


class PeriodParam(click.ParamType):
    """A period on the command line: 2026 (the year) or 2026-Q3 (a quarter)."""

    name = "KỲ"

    def convert(self, value, param, ctx):
        if isinstance(value, Period):
            return value
        try:
            return Period.parse(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


def _period_option(f):
    return click.option("--ky", "period", type=PeriodParam(), help="Kỳ đánh giá: 2026 (cả năm) hoặc 2026-Q3 (một quý), khi mã có ở nhiều kỳ.")(f)


@archive.command("show")
@click.argument("ma", metavar="MÃ")
@click.option("--don-vi", "unit", help="Tên đơn vị, khi mã có ở nhiều đơn vị.")
@click.option("--loai", "kind", type=KINDS, help="Loại hồ sơ (mặc định: hồ sơ cá nhân hoặc tập thể).")
@_period_option
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.pass_obj
def archive_show(store, ma, unit, kind, period, fmt) -> None:
    """Xem mọi phiên bản của hồ sơ một đối tượng và các tệp của từng phiên bản."""
    import json

    info = store.show(ma, unit, kind, period)
    if fmt == "json":
        click.echo(json.dumps(info, ensure_ascii=False, indent=2))
        return
    click.echo(f"{info['ten']} ({info['ma']}) — {info['don_vi']}, {Period.of(info['ky_danh_gia']).label_vi}")
    for v in info["phien_ban"]:
        click.echo(f"  Phiên bản {v['so']} (thêm lúc {v['them_luc']}):")
        for f in v["tep"]:
            click.echo(f"    {f['ten']}  {f['kich_thuoc']} byte  sha256 {f['sha256'][:16]}…")


@archive.command("verify")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.pass_obj
def archive_verify(store, fmt) -> None:
    """Kiểm tra toàn vẹn kho: tính lại SHA-256 của mọi tệp, đối chiếu chỉ mục với các bản ghi và chuỗi bản ghi,
    kiểm tra tệp cơ sở dữ liệu; báo mọi vấn đề (mã thoát 1)."""
    import json
    from dataclasses import asdict

    report = store.verify()
    if fmt == "json":
        click.echo(json.dumps({"tep": report.files, "tep_luu_tru": report.blobs, "ban_ghi": report.records,
                               "van_de": [asdict(p) for p in report.problems]}, ensure_ascii=False, indent=2))
    else:
        for p in report.problems:
            click.echo(p.text())
        warned = f", {len(report.warnings)} cảnh báo" if report.warnings else ""
        click.echo(f"Đã kiểm tra chỉ mục ({report.files} dòng tệp), {report.blobs} tệp lưu trữ và {report.records} bản ghi: "
                   f"{len(report.errors)} vấn đề{warned}.")
    sys.exit(1 if report.errors else 0)


@archive.command("rebuild-index")
@click.pass_obj
def archive_rebuild_index(store) -> None:
    """Dựng lại chỉ mục (SQLite) từ các bản ghi trong kho, kiểm tra SHA-256 của từng bản ghi, chuỗi bản ghi và từng tệp.

    Chỉ mục cũ được chuyển sang tên có thời điểm (luu_tru.sqlite.hong-…), không bị xóa. Chạy khi không có lệnh
    hoso nào khác đang dùng kho. Mã thoát 1 nếu có vấn đề.
    """
    report = store.rebuild_index()
    for unit, ma, version in report.restored:
        click.echo(f"Khôi phục: {unit} / {ma} — phiên bản {version}")
    for p in report.problems:
        click.echo(p.text())
    if report.kept:
        click.echo(f"Chỉ mục cũ được giữ ở {report.kept}")
    click.echo(f"Đã dựng lại chỉ mục: {len(report.restored)} phiên bản, {len(report.problems)} vấn đề.")
    sys.exit(1 if report.problems else 0)


@archive.command("export")
@click.argument("ma", metavar="MÃ")
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(path_type=Path, file_okay=False))
@click.option("--phien-ban", "version", type=int, help="Số phiên bản (mặc định: mới nhất).")
@click.option("--don-vi", "unit", help="Tên đơn vị, khi mã có ở nhiều đơn vị.")
@click.option("--loai", "kind", type=KINDS, help="Loại hồ sơ (mặc định: hồ sơ cá nhân hoặc tập thể).")
@_period_option
@click.pass_obj
def archive_export(store, ma, out_dir, version, unit, kind, period) -> None:
    """Xuất một phiên bản hồ sơ của một đối tượng ra thư mục (đã kiểm tra SHA-256)."""
    click.echo(f"Đã xuất vào {store.export(ma, out_dir, version, unit, kind, period)}")


@main.command()
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Dạng kết quả.")
@json_errors
def rules(fmt) -> None:
    """Liệt kê mọi quy tắc (mã, các bộ quy tắc có quy tắc đó, mức độ, căn cứ theo từng bộ) và các phép đo
    mà điều kiện mức trong dữ liệu bộ quy tắc dùng được."""
    import json

    from . import ruleset as rulesets
    from .rules import catalogue
    from .rules.measures import MEASURES

    with_data = [rulesets.load(k) for k in rulesets.known_keys() if rulesets.load(k).has_data]
    rows = []
    for r in catalogue():
        having = [rs for rs in with_data if rs.rule(r.id)]
        rows.append({"rule_id": r.id, "rulesets": [rs.key for rs in having], "severity": {rs.key: rs.rule(r.id)["muc_do"] for rs in having},
                     "scope": r.scope, "summary_vi": r.summary, "legal_basis": {rs.key: rs.rule(r.id)["can_cu"] for rs in having}})
    measures = [{"do": name, "mo_ta": " ".join((func.__doc__ or "").split())} for name, func in sorted(MEASURES.items())]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        sev = ", ".join(f"{k}: {v}" for k, v in row["severity"].items())
        click.echo(f"{row['rule_id']:<24} [{', '.join(row['rulesets'])}] ({sev})\n    {row['summary_vi']}")
        for key, basis in row["legal_basis"].items():
            click.echo(f"    Căn cứ ({key}): {basis}")
    click.echo(f"Tổng cộng {len(rows)} quy tắc (cùng với SCHEMA cho lỗi lược đồ).")
    click.echo("\nPhép đo dùng trong điều kiện mức (dieu_kien_muc, truong_hop_khong_dat) của dữ liệu bộ quy tắc:")
    for m in measures:
        click.echo(f"  {m['do']}: {m['mo_ta']}")


@main.group(invoke_without_command=True)
@click.option("--bo-quy-tac", "ruleset", default=None, help="Bộ quy tắc (mặc định: bộ quy tắc mới nhất có biểu mẫu; xem rulesets/rulesets.yaml).")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Dạng kết quả.")
@click.pass_context
@json_errors
def forms(ctx, ruleset, fmt) -> None:
    """Liệt kê các biểu mẫu của một bộ quy tắc (giá trị bieu_mau, vai_tro, nhãn in) và mã các mục hồ sơ
    dùng trong dinh_kem (muc: …) của don_vi.yaml.

    Với lệnh con: xuất biểu mẫu của từng đảng viên, tập thể ra Word để điền (export) và đọc lại (import).
    """
    import json

    if ctx.invoked_subcommand is not None:
        return

    from . import registry
    from . import ruleset as rulesets

    # Default: the newest bundled ruleset that has forms (a data folder's test ruleset is never the default).
    with_forms = [k for k in rulesets.table()["bo_quy_tac"] if any(e.ruleset == k for e in registry.entries())]
    ruleset = ruleset or (with_forms[-1] if with_forms else "")
    entries = [e for e in registry.entries() if e.ruleset == ruleset]
    if not entries:
        raise UsageError(f"Bộ quy tắc '{ruleset}' chưa có biểu mẫu nào trong phiên bản này.")
    rows = [{"bieu_mau": e.kind, "vai_tro": e.role, "nhan": e.label, "ten": e.name, "khoa": e.key, "luoc_do": e.schema,
             "mau_in": e.template} for e in sorted(entries, key=lambda e: (e.kind, e.role or ""))]
    checklists = rulesets.load(ruleset).checklists
    items = [{"loai_ho_so": kind, "ma": spec["ma"], "ten": spec["ten"], "dinh_kem": spec.get("nguon", {}).get("dinh_kem"),
              "bieu_mau": spec.get("nguon", {}).get("bieu_mau", []), "khi": spec["khi"]}
             for kind, specs in checklists.items() for spec in specs]
    if fmt == "json":
        click.echo(json.dumps({"bo_quy_tac": ruleset, "bieu_mau": rows, "muc_ho_so": items}, ensure_ascii=False, indent=2))
        return
    click.echo(f"Biểu mẫu của bộ quy tắc {ruleset} (ghi `bieu_mau:` và, nếu có, `vai_tro:` trong tệp dữ liệu):")
    for r in rows:
        role = f" + vai_tro: {r['vai_tro']}" if r["vai_tro"] else ""
        label = f" [{r['nhan']}]" if r["nhan"] else ""
        click.echo(f"  bieu_mau: {r['bieu_mau']}{role}{label}\n      {r['ten']}")
    if items:
        click.echo("\nMục hồ sơ (thành phần hồ sơ); tệp đính kèm ghi `muc:` bằng mã trong ngoặc vuông:")
        for kind in checklists:
            click.echo(f"  Hồ sơ {kind}:")
            for i in (i for i in items if i["loai_ho_so"] == kind):
                code = f" [muc: {i['dinh_kem']}]" if i["dinh_kem"] else " (không nhận tệp đính kèm)"
                click.echo(f"    {i['ma']}: {i['ten']}{code}")
    click.echo(f"Tổng cộng {len(rows)} biểu mẫu, {len(items)} mục hồ sơ.")


@forms.command("export")
@click.argument("unit", type=click.Path(path_type=Path, exists=True), metavar="ĐƠN_VỊ")
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="Thư mục ghi các tệp Word (mỗi đảng viên, mỗi tập thể một tệp).")
@_locality_option
@_shared_option
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Dạng kết quả: chữ cho người đọc, json cho chương trình.")
@json_errors
def forms_export(unit, out_dir, locality, shared, fmt) -> None:
    """Xuất biểu mẫu của từng đảng viên, tập thể ra tệp Word đã điền sẵn thông tin để người viết điền tiếp.

    Mỗi mục cần viết là một vùng soạn thảo, mức tự đánh giá là các ô đánh dấu; điền xong, đọc lại bằng
    "hoso forms import". Tệp cũ khác nội dung được giữ trong _phien_ban_truoc/. Thoát với mã 1 nếu có lỗi.
    """
    from .wordforms import export_forms

    findings, written = export_forms(unit_folder(unit), out_dir, locality_file=locality, shared=tuple(shared))
    _emit_written(findings, written, fmt, f"Đã xuất {len(written)} tệp Word vào {out_dir}.",
                  "Tiếp theo: gửi từng tệp cho người viết; nhận lại thì chạy hoso forms import.")


@forms.command("import")
@click.argument("unit", type=click.Path(path_type=Path, exists=True), metavar="ĐƠN_VỊ")
@click.argument("docs", type=click.Path(path_type=Path, exists=True), metavar="THƯ_MỤC|TỆP_DOCX")
@click.option("--thu", "dry_run", is_flag=True, help="Chỉ cho biết sẽ cập nhật gì, không ghi tệp nào.")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Dạng kết quả: chữ cho người đọc, json cho chương trình.")
@json_errors
def forms_import(unit, docs, dry_run, fmt) -> None:
    """Đọc các tệp Word đã điền (xuất bằng "hoso forms export") vào biểu mẫu của đơn vị.

    Mỗi tệp được kiểm tra theo lược đồ của biểu mẫu; tệp có lỗi (mất vùng soạn thảo, đánh dấu hai ô của cùng một
    mục…) không được ghi và được báo kèm tên tệp, mục. Tệp biểu mẫu cũ được giữ trong _phien_ban_truoc/.
    Thoát với mã 1 nếu có lỗi.
    """
    from .wordforms import import_forms

    findings, changes, written = import_forms(unit_folder(unit), docs, dry_run=dry_run)
    _emit_changes(findings, changes, written, dry_run, fmt)


@main.group()
def roster() -> None:
    """Danh sách tổ chức, đảng viên của đơn vị bằng Excel: tệp mẫu để điền, rồi "hoso init --roster"."""


@roster.command("template")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False), metavar="TỆP.xlsx")
@click.option("--nam", "--year", "year", type=click.IntRange(2000, 2100), help="Năm đánh giá (mặc định: năm nay); chọn bộ quy tắc theo kỳ.")
@click.option("--ky", "period", type=PeriodParam(), help="Kỳ đánh giá thay cho --nam: 2026 (cả năm) hoặc 2026-Q3 (một quý).")
@click.option("--bo-quy-tac", "ruleset", default=None, help="Bộ quy tắc, khi khác bộ quy tắc của kỳ.")
@_locality_option
@click.option("--ghi-de", "overwrite", is_flag=True, help="Ghi đè tệp đã có (tệp cũ vẫn được giữ bản sao).")
@json_errors
def roster_template(file, year, period, ruleset, locality, overwrite) -> None:
    """Tạo tệp Excel mẫu để điền danh sách tổ chức, đảng viên, hoàn cảnh trong kỳ và hội nghị của đơn vị.

    Các cột có mã đều có danh sách chọn; trang "Hướng dẫn" giải thích từng cột.
    """
    from .roster import write_template

    year, quarter = _year_quarter(year, period)
    path = write_template(file, year=year, ruleset_key=ruleset, locality_file=locality, overwrite=overwrite, quarter=quarter)
    click.echo(f"Đã tạo tệp mẫu {path}. Điền xong, chạy: hoso init THƯ_MỤC_ĐƠN_VỊ --roster {path}")


@main.command("init")
@click.argument("unit", type=click.Path(path_type=Path, file_okay=False), metavar="ĐƠN_VỊ")
@click.option("--roster", "--danh-sach", "roster_file", required=True, type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="Tệp danh sách (Excel .xlsx theo mẫu của \"hoso roster template\", hoặc CSV của trang Thành viên).")
@click.option("--nam", "--year", "year", type=click.IntRange(2000, 2100), help="Năm đánh giá, khi khác năm ghi trong tệp danh sách.")
@click.option("--ky", "period", type=PeriodParam(), help="Kỳ đánh giá thay cho --nam: 2026 (cả năm) hoặc 2026-Q3 (một quý), khi khác kỳ ghi trong tệp danh sách.")
@_locality_option
@click.option("--thu", "dry_run", is_flag=True, help="Chỉ cho biết sẽ tạo, thay đổi gì, không ghi tệp nào.")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Dạng kết quả: chữ cho người đọc, json cho chương trình.")
@json_errors
def init_command(unit, roster_file, year, period, locality, dry_run, fmt) -> None:
    """Lập (hoặc cập nhật) thư mục đơn vị từ danh sách Excel: don_vi.yaml và bản kiểm điểm, báo cáo để trống của
    từng đảng viên, tập thể, theo vai trò và bộ quy tắc của kỳ.

    Mọi ô được kiểm tra lại; danh sách có lỗi thì không tạo gì. Nhập lại danh sách đã sửa vào đơn vị đã có: cập nhật
    thông tin nhân thân, giữ nguyên mọi nội dung đã viết, không xóa ai. Thoát với mã 1 nếu có lỗi.
    """
    from .intake import init_unit

    year, quarter = _year_quarter(year, period)
    result = init_unit(unit, roster_file, year=year, locality_file=locality, dry_run=dry_run, quarter=quarter)
    _emit_changes(result.findings, result.changes, result.written, dry_run, fmt)


@main.command("report")
@click.argument("unit", type=click.Path(path_type=Path, exists=True), metavar="ĐƠN_VỊ")
@click.option("--xlsx", "xlsx", required=True, type=click.Path(path_type=Path, dir_okay=False), help="Tệp Excel ghi kết quả.")
@_locality_option
@_shared_option
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Dạng kết quả: chữ cho người đọc, json cho chương trình.")
@json_errors
def report_command(unit, xlsx, locality, shared, fmt) -> None:
    """Ghi kết quả của đơn vị ra Excel: mỗi đảng viên, tập thể một dòng (mức tự nhận, đề xuất, thẩm định, quyết định,
    điểm, số phát hiện, tình trạng hồ sơ), Biểu thống kê và danh sách phát hiện; sẵn để in.

    Thoát với mã 1 nếu không đọc được đơn vị.
    """
    from .report_xlsx import write_report

    findings = write_report(unit_folder(unit), xlsx, locality_file=locality, shared=tuple(shared))
    done = [] if has_blocking(findings) else [xlsx]
    _emit_written(findings, done, fmt, f"Đã ghi kết quả vào {xlsx}.", "")


def _year_quarter(year: int | None, period: Period | None) -> tuple[int | None, int | None]:
    """--nam or --ky (not both): the year and the quarter (None for a year)."""
    if period is None:
        return year, None
    if year is not None and year != period.year:
        raise UsageError(f"--nam {year} và --ky {period.label_vi} khác nhau: chỉ ghi một trong hai.")
    return period.year, period.quarter


def _emit_written(findings, written, fmt: str, done: str, next_step: str) -> None:
    ok = bool(written) and not has_blocking(findings)
    if fmt == "json":
        import json

        report = json.loads(format_json(findings, len(written)))
        click.echo(json.dumps({"ok": ok, "tep": [str(p) for p in written], "findings": report["findings"]}, ensure_ascii=False, indent=2))
    else:
        if findings:
            click.echo(format_text(findings))
        if ok:
            click.echo(done)
            if next_step:
                click.echo(next_step)
        else:
            click.echo(_not_written(findings, written), err=True)
    sys.exit(0 if ok else 1)


def _emit_changes(findings, changes, written, dry_run: bool, fmt: str) -> None:
    blocked = has_blocking(findings)
    if fmt == "json":
        import json

        report = json.loads(format_json(findings, len(written)))
        click.echo(json.dumps({"ok": not blocked, "thu": dry_run, "thay_doi": list(changes), "tep": [str(p) for p in written],
                               "findings": report["findings"]}, ensure_ascii=False, indent=2))
    else:
        if findings:
            click.echo(format_text(findings))
        for line in changes:
            click.echo(line)
        if dry_run:
            click.echo("Chạy thử: chưa ghi tệp nào.")
        elif written:
            click.echo(f"Đã ghi {len(written)} tệp.")
        elif not blocked:
            click.echo("Không có gì thay đổi.")
        if blocked:
            click.echo(_not_written(findings, written), err=True)
    sys.exit(1 if blocked else 0)


def _not_written(findings, written) -> str:
    errors = sum(1 for f in findings if f.blocking)
    if written:
        return f"Còn {errors} lỗi ở trên: các tệp có lỗi chưa được ghi."
    return f"Chưa ghi tệp nào vì {errors} lỗi ở trên."


@main.command("carry-over")
@click.argument("unit", type=click.Path(path_type=Path, exists=True), metavar="ĐƠN_VỊ")
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="Thư mục của đơn vị kỳ mới: chưa có, hoặc trống (hoso không ghi đè).")
@click.option("--ky", "period", type=PeriodParam(),
              help="Kỳ mới: 2026-Q4 (một quý) hoặc 2027 (cả năm); mặc định quý tiếp theo, sau đơn vị năm là quý I năm sau.")
@click.option("--gan-bieu-mau", "link_forms", is_flag=True,
              help="Ghi luôn các bản nháp biểu mẫu vào don_vi.yaml; hoso check khi đó báo những mục mỗi bản còn phải ghi.")
@_locality_option
@_shared_option
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Dạng kết quả: chữ cho người đọc, json cho chương trình.")
@json_errors
def carry_over_command(unit, out_dir, period, link_forms, locality, shared, fmt) -> None:
    """Lập đơn vị của kỳ đánh giá tiếp theo từ đơn vị kỳ trước.

    Giữ tổ chức, đảng viên, vai trò, nhóm so sánh, hoàn cảnh còn kéo dài sang kỳ mới và nội dung các nhiệm vụ; bỏ mức,
    điểm, quyết định, nhận xét, văn bản, tệp đính kèm và ngày tháng của kỳ trước. Bản nháp biểu mẫu của từng đảng viên,
    tập thể được ghi cạnh don_vi.yaml. Thoát với mã 1 nếu không lập được đơn vị mới.
    """
    import json

    from .carry import carry_over

    findings, written = carry_over(unit, out_dir, period, link_forms=link_forms, locality_file=locality, shared=tuple(shared))
    if fmt == "json":
        report = json.loads(format_json(findings, 1))
        click.echo(json.dumps({"ok": bool(written), "tep": [str(p) for p in written], "findings": report["findings"]},
                              ensure_ascii=False, indent=2))
    else:
        if findings:
            click.echo(format_text(findings))
        if written:
            click.echo(f"Đã lập đơn vị kỳ mới trong {out_dir}: {len(written)} tệp.")
            for path in written:
                click.echo(f"  {path}")
        else:
            click.echo("Chưa lập đơn vị mới vì các lỗi ở trên.", err=True)
    # Errors of the source unit may ride along with a successful carry-over: the exit code says whether it was made.
    sys.exit(0 if written else 1)


@main.command("periods")
@click.argument("units", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True), metavar="ĐƠN_VỊ...")
@click.option("--ma", "subject", metavar="MÃ", help="Chỉ một đảng viên hoặc tập thể (mã trong don_vi.yaml).")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Dạng kết quả: chữ cho người đọc, json cho chương trình.")
@_locality_option
@_shared_option
@json_errors
def periods_command(units, subject, fmt, locality, shared) -> None:
    """Đặt cạnh nhau kết quả các quý và năm của từng đảng viên, tập thể: mức tự đánh giá, đề xuất, quyết định, tổng điểm.

    Nhận các thư mục (hoặc tệp don_vi.yaml) của cùng một đơn vị, các quý và năm theo thứ tự bất kỳ; quý không có đơn vị
    lấy kết quả ghi ở ket_qua_quy của năm. Thoát với mã 1 nếu có đơn vị không đọc được, hai đơn vị cùng kỳ, đơn vị khác
    nhau hoặc không có mã đã cho.
    """
    from .periods import period_table, render_json, render_text

    table = period_table(list(units), subject, locality_file=locality, shared=tuple(shared))
    if fmt == "json":
        click.echo(render_json(table), nl=False)
    else:
        if table.findings:
            click.echo(format_text(list(table.findings)), err=not table.ok)
        if table.rows:
            click.echo(render_text(table), nl=False)
    sys.exit(0 if table.ok else 1)


@main.command("template-source")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True), metavar="TỆP_DOCX")
@json_errors
def template_source(file) -> None:
    """In mã Jinja của một mẫu in DOCX (thân, đầu trang, chân trang) như hoso đọc nó: để xem khác biệt giữa
    hai phiên bản mẫu in trong git (git config diff.docxtpl.textconv "hoso template-source")."""
    from .templating import template_source as source

    click.echo(source(file))


def _logging(verbose: bool) -> None:
    """hoso's own steps on standard error with -v; libraries' loggers (pikepdf's "logger bridge") stay quiet."""
    import logging

    log = logging.getLogger("hoso")
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.propagate = False
    log.setLevel(logging.INFO if verbose else logging.WARNING)


if __name__ == "__main__":  # pragma: no cover
    main()
