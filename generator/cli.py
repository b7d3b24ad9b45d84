"""The thin ``hoso`` command line: parse options, call the library, map the result to an exit code."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import HosoError
from .findings import format_json, format_text, has_blocking, summary_text

FORMATS = click.Choice(["text", "json"])


class HosoGroup(click.Group):
    """Click group that turns every HosoError into a Vietnamese message and its exit code."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except HosoError as exc:
            click.echo(f"Lỗi: {exc}", err=True)
            ctx.exit(exc.exit_code)


CONTEXT = {"help_option_names": ["-h", "--help"]}


@click.group(cls=HosoGroup, context_settings=CONTEXT)
@click.version_option(__version__, prog_name="hoso", message="%(prog)s %(version)s")
def main() -> None:
    """hoso: lập, kiểm tra và in hồ sơ kiểm điểm, đánh giá, xếp loại chất lượng hằng năm."""


def _emit(findings, files_checked: int, fmt: str) -> int:
    if fmt == "json":
        click.echo(format_json(findings, files_checked))
    else:
        if findings:
            click.echo(format_text(findings))
        click.echo(summary_text(findings, files_checked))
    return 1 if has_blocking(findings) else 0


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Dạng kết quả: chữ cho người đọc, json cho chương trình.")
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
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(path_type=Path, file_okay=False), help="Thư mục ghi kết quả.")
@click.option("--pdf", is_flag=True, help="Tạo thêm PDF (PDF/A-2b) bằng LibreOffice.")
@click.option("--pdfa", type=click.Choice(["2b", "1b", "none"]), default="2b", show_default=True, help="Chuẩn PDF/A của tệp PDF.")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Dạng báo lỗi.")
@_locality_option
@_templates_option
@click.option("--cap-so", "numbering", is_flag=True, help="Cấp số cho văn bản chưa có số, theo sổ đăng ký của từng cơ quan, loại văn bản và nhiệm kỳ.")
@click.option("--so-dang-ky", "register_file", type=click.Path(path_type=Path, dir_okay=False), help="Tệp sổ đăng ký số văn bản (mặc định trong thư mục dữ liệu của hoso).")
@click.option("-v", "--verbose", is_flag=True, help="In từng bước xử lý.")
def render(files, out_dir, pdf, pdfa, fmt, locality, templates, numbering, register_file, verbose) -> None:
    """Điền biểu mẫu vào mẫu in, ghi DOCX (và PDF với --pdf) vào thư mục OUTPUT.

    FILES là các tệp biểu mẫu, hoặc một thư mục đơn vị (có don_vi.yaml): khi đó mọi văn bản của đơn
    vị được kiểm tra theo các quy tắc rồi tạo, với số liệu tính từ đơn vị. Mọi tệp phải hợp lệ thì mới
    ghi; tệp cũ trùng tên được giữ lại trong _phien_ban_truoc/.
    """
    from .pipeline import is_unit, render_files, render_unit

    _logging(verbose)
    numbers = (register_file or True) if numbering else None
    if len(files) == 1 and is_unit(files[0]):
        result = render_unit(files[0], out_dir, pdf=pdf, locality_file=locality, templates=templates, pdfa=pdfa, numbering=numbers)
    else:
        result = render_files(files, out_dir, pdf=pdf, locality_file=locality, templates=templates, pdfa=pdfa, numbering=numbers)
    sys.exit(_report_render(result, out_dir, fmt, len(files)))


@main.command()
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(path_type=Path, file_okay=False), help="Thư mục ghi kết quả.")
@click.option("--no-pdf", is_flag=True, help="Chỉ tạo DOCX.")
@_locality_option
@click.option("-v", "--verbose", is_flag=True, help="In từng bước xử lý.")
def demo(out_dir, no_pdf, locality, verbose) -> None:
    """Chạy toàn bộ quy trình trên đơn vị mẫu đi kèm (Đảng bộ xã Hòa Bình, năm 2024):
    kiểm tra theo mọi quy tắc rồi tạo mọi văn bản của năm (DOCX và PDF)."""
    from .pipeline import demo_unit, render_unit

    _logging(verbose)
    unit = demo_unit()
    click.echo(f"Đơn vị mẫu: {unit}")
    result = render_unit(unit, out_dir, pdf=not no_pdf, locality_file=locality)
    code = _report_render(result, out_dir, "text", len(result.docx) or 1)
    if code or no_pdf:
        sys.exit(code)
    from .assemble import build_dossiers

    packaged = build_dossiers(unit, out_dir, locality_file=locality)
    if packaged.package is None:
        click.echo(format_text(packaged.findings), err=True)
        sys.exit(1)
    click.echo(f"Đã đóng gói {packaged.subjects} bộ hồ sơ (cá nhân, tập thể) trong {packaged.package}")
    sys.exit(0)


@main.command()
@_templates_option
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Dạng kết quả.")
def lint(templates, fmt) -> None:
    """Kiểm tra mọi mẫu in: mỗi tên biến trong mẫu phải có trong lược đồ của biểu mẫu."""
    from .lint import lint_all

    findings, checked = lint_all(templates)
    sys.exit(_emit(findings, checked, fmt))


@main.command()
@click.argument("targets", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Dạng kết quả: chữ cho người đọc, json cho chương trình.")
@_locality_option
@click.option("-v", "--verbose", is_flag=True, help="In từng bước xử lý.")
def check(targets, fmt, locality, verbose) -> None:
    """Kiểm tra một đơn vị (thư mục có don_vi.yaml, hoặc tệp don_vi.yaml) theo mọi quy tắc xếp loại.

    Cũng nhận các tệp biểu mẫu rời: khi đó chỉ chạy các quy tắc đọc được từ biểu mẫu.
    Thoát với mã 1 nếu còn lỗi chưa được cấp có thẩm quyền cho phép.
    """
    from .pipeline import check as run_check

    _logging(verbose)
    findings, count = run_check(targets, locality)
    sys.exit(_emit(findings, count, fmt))


@main.command()
@click.argument("unit", type=click.Path(path_type=Path, exists=True))
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(path_type=Path, file_okay=False), help="Thư mục ghi hồ sơ.")
@click.option("--pdfa", type=click.Choice(["2b", "1b"]), default="2b", show_default=True, help="Chuẩn PDF/A của các tệp PDF.")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Dạng báo lỗi.")
@_locality_option
@_templates_option
@click.option("-v", "--verbose", is_flag=True, help="In từng bước xử lý.")
def dossier(unit, out_dir, pdfa, fmt, locality, templates, verbose) -> None:
    """Đóng gói hồ sơ của đơn vị: mỗi cá nhân, mỗi tập thể một bộ hồ sơ (mục lục, văn bản gốc DOCX,
    PDF/A, một PDF gộp có mục lục, manifest.json với SHA-256, tệp ZIP) và một ZIP cho cả đơn vị.

    Bộ hồ sơ hiện hành nằm ở OUTPUT/ho_so; các lần tạo trước được giữ trong OUTPUT/.phien_ban/.
    """
    from .assemble import build_dossiers

    _logging(verbose)
    result = build_dossiers(unit, out_dir, locality_file=locality, templates=templates, pdfa=pdfa)
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
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
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
    if form is not None and form.data["bieu_mau"] != "khieu_nai":
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
    """Kho lưu trữ hồ sơ: thêm, liệt kê, xem, kiểm tra toàn vẹn, xuất. Không bao giờ ghi đè hay xóa."""
    from .archive import Archive

    ctx.obj = Archive(folder, url)


@archive.command("add")
@click.argument("package", type=click.Path(path_type=Path, exists=True, file_okay=False))
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
        click.echo(f"{r['ten']} (năm {r['ky_danh_gia']['nam']}, {r['bo_quy_tac']})  {r['loai']:<8} {r['ma']:<24} {r['ten_doi_tuong']}  phiên bản {r['phien_ban']}")
    click.echo(f"Tổng cộng {len(rows)} bộ hồ sơ.")


KINDS = click.Choice(["ca_nhan", "tap_the", "khen_thuong"])


@archive.command("show")
@click.argument("ma")
@click.option("--don-vi", "unit", help="Tên đơn vị, khi mã có ở nhiều đơn vị.")
@click.option("--loai", "kind", type=KINDS, help="Loại hồ sơ (mặc định: hồ sơ cá nhân hoặc tập thể).")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.pass_obj
def archive_show(store, ma, unit, kind, fmt) -> None:
    """Xem mọi phiên bản của hồ sơ một đối tượng và các tệp của từng phiên bản."""
    import json

    info = store.show(ma, unit, kind)
    if fmt == "json":
        click.echo(json.dumps(info, ensure_ascii=False, indent=2))
        return
    click.echo(f"{info['ten']} ({info['ma']}) — {info['don_vi']}")
    for v in info["phien_ban"]:
        click.echo(f"  Phiên bản {v['so']} (thêm lúc {v['them_luc']}):")
        for f in v["tep"]:
            click.echo(f"    {f['ten']}  {f['kich_thuoc']} byte  sha256 {f['sha256'][:16]}…")


@archive.command("verify")
@click.pass_obj
def archive_verify(store) -> None:
    """Tính lại SHA-256 của mọi tệp trong kho; báo tệp bị thiếu hoặc bị sửa (mã thoát 1)."""
    checked, problems = store.verify()
    for p in problems:
        what = "bị thiếu" if p.kind == "thieu" else "đã bị sửa (SHA-256 không khớp)"
        click.echo(f"{p.unit} / {p.subject} / phiên bản {p.version}: {p.file} {what}")
    click.echo(f"Đã kiểm tra {checked} tệp: {len(problems)} tệp có vấn đề.")
    sys.exit(1 if problems else 0)


@archive.command("export")
@click.argument("ma")
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(path_type=Path, file_okay=False))
@click.option("--phien-ban", "version", type=int, help="Số phiên bản (mặc định: mới nhất).")
@click.option("--don-vi", "unit", help="Tên đơn vị, khi mã có ở nhiều đơn vị.")
@click.option("--loai", "kind", type=KINDS, help="Loại hồ sơ (mặc định: hồ sơ cá nhân hoặc tập thể).")
@click.pass_obj
def archive_export(store, ma, out_dir, version, unit, kind) -> None:
    """Xuất một phiên bản hồ sơ của một đối tượng ra thư mục (đã kiểm tra SHA-256)."""
    click.echo(f"Đã xuất vào {store.export(ma, out_dir, version, unit, kind)}")


@main.command()
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Dạng kết quả.")
def rules(fmt) -> None:
    """Liệt kê mọi quy tắc: mã, bộ quy tắc, mức độ, căn cứ."""
    import json

    from .rules import catalogue, ruleset_data

    rows = []
    for r in catalogue():
        severities = {rs: ruleset_data(rs)["quy_tac"][r.id]["muc_do"] for rs in r.rulesets if _has_data(rs)}
        bases = {rs: ruleset_data(rs)["quy_tac"][r.id]["can_cu"] for rs in r.rulesets if _has_data(rs)}
        rows.append({"rule_id": r.id, "rulesets": list(r.rulesets), "severity": severities, "scope": r.scope,
                     "summary_vi": r.summary, "source": r.source, "legal_basis": bases})
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        sev = ", ".join(f"{k}: {v}" for k, v in row["severity"].items())
        click.echo(f"{row['rule_id']:<24} [{', '.join(row['rulesets'])}] ({sev})\n    {row['summary_vi']}\n    Nguồn: {row['source']}")
    click.echo(f"Tổng cộng {len(rows)} quy tắc (cùng với SCHEMA cho lỗi lược đồ).")


def _has_data(ruleset: str) -> bool:
    from .resources import data_dir

    return (data_dir("rulesets") / f"{ruleset}.yaml").is_file()


def _logging(verbose: bool) -> None:
    import logging

    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(message)s", stream=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    main()
