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


if __name__ == "__main__":  # pragma: no cover
    main()
