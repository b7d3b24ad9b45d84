"""Stage 7, archive: a local store of record packages, indexed in a database, verifiable years later.

Layout of the store folder (``--kho``), everything owner-only and every stored file read-only:

- ``tep/<aa>/<sha256>``: each archived file, named by the SHA-256 of its content;
- ``ban_ghi/<sha256>.json``: one record per version, canonical JSON named by its own SHA-256: unit,
  period, ruleset, subject, version number, time added, files (name, SHA-256, size), the subject's
  manifest and ``truoc``, the SHA-256 of the record of the subject's previous version (a hash chain);
- ``luu_tru.sqlite``: the index (or any SQLAlchemy database given by ``--db``): units, subjects,
  versions (each with the SHA-256 of its record) and files.

An entry is one unit *and one period*: a year (``ky_danh_gia: {nam}``) or a quarter of it
(``{nam, quy}``, Quy định 366-QĐ/TW). The index holds the period as its canonical text, "2024" or
"2026-Q3" (``str(Period)``); packages of one subject for the year and for its quarters are
different entries, never versions of one another. Indexes written before quarters held the JSON of
``ky_danh_gia`` (``{"nam": 2024}``): opening the store rewrites those index values once (see
``_migrate_periods``); the records keep whatever they recorded and are never rewritten.

The records are the source of truth and the index a fast copy of them: ``verify`` compares the two
(and the stored files) both ways, ``rebuild_index`` rebuilds the index from the records. Adding a
package whose files differ from the latest version of a subject creates a new version (a re-grading
after a complaint); nothing is ever overwritten or deleted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import unicodedata
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from sqlalchemy import (
    Column, ForeignKey, Integer, MetaData, String, Table, Text, UniqueConstraint, create_engine, event, func, select,
)
from sqlalchemy import inspect as sql_inspect
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from .errors import HosoError, InputError, UsageError
from .numbering import data_home
from .output import private_dir, sha256_file as _sha256
from .period import Period

BLOBS = "tep"
RECORDS = "ban_ghi"
DB_FILE = "luu_tru.sqlite"
RECORD_FORMAT = 1
KINDS = ("ca_nhan", "tap_the", "khen_thuong")
TEMP_PREFIX = ".dang-ghi-"
"""Files being written into the store start with this; an interrupted run may leave one, which is ignored."""
DB_ERRORS = (SQLAlchemyError, sqlite3.Error)
REBUILD_HINT = "chạy `hoso archive rebuild-index` để dựng lại chỉ mục từ các bản ghi"

_SHA = re.compile(r"[0-9a-f]{64}")
_RECORD_NAME = re.compile(r"([0-9a-f]{64})\.json")
_DRIVE = re.compile(r"[A-Za-z]:")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)

meta = MetaData()
units = Table(
    "don_vi", meta,
    Column("id", Integer, primary_key=True),
    Column("ten", String(300), nullable=False),
    Column("ky_danh_gia", String(20), nullable=False),  # canonical period text: "2024", "2026-Q3"
    Column("bo_quy_tac", String(20), nullable=False),
    UniqueConstraint("ten", "ky_danh_gia"),
)
subjects = Table(
    "doi_tuong", meta,
    Column("id", Integer, primary_key=True),
    Column("don_vi_id", ForeignKey("don_vi.id"), nullable=False),
    Column("ma", String(80), nullable=False),
    Column("ten", String(300), nullable=False),
    Column("loai", String(20), nullable=False),
    UniqueConstraint("don_vi_id", "ma", "loai"),
)
versions = Table(
    "phien_ban", meta,
    Column("id", Integer, primary_key=True),
    Column("doi_tuong_id", ForeignKey("doi_tuong.id"), nullable=False),
    Column("so", Integer, nullable=False),
    Column("them_luc", String(40), nullable=False),
    Column("dau_van_tay", String(64), nullable=False),
    Column("manifest", Text, nullable=False),
    Column("ban_ghi", String(64)),  # SHA-256 of the version's record; NULL for versions added before records existed
    UniqueConstraint("doi_tuong_id", "so"),
)
files = Table(
    "tep", meta,
    Column("id", Integer, primary_key=True),
    Column("phien_ban_id", ForeignKey("phien_ban.id"), nullable=False),
    Column("ten", String(300), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("kich_thuoc", Integer, nullable=False),
)


class ArchiveError(HosoError):
    """The archive cannot be used: its database cannot be opened or written, its index is missing or
    damaged while files are stored, or a stored file needed for an export is missing or altered. Exit 1."""


@dataclass
class Problem:
    """One thing ``verify`` or ``rebuild_index`` found wrong in the store (or, as a warning, could not check).

    ``kind``: ``thieu`` / ``sai`` (a stored file is missing / altered), ``tep_la`` (a stored file that no
    version refers to), ``ban_ghi_thieu`` (a version's record is missing), ``ban_ghi_sai`` (a record is
    altered or unreadable), ``ban_ghi_la`` (a record the index does not know), ``lech`` (an index row
    differs from its record), ``chuoi`` (a broken record chain), ``so_phien_ban`` (a gap in a subject's
    version numbers), ``chi_muc`` (the database itself is damaged), ``chua_co_ban_ghi`` (warning: a
    version added by an older hoso has no record, so its index rows cannot be checked).
    """

    kind: str
    message: str
    where: str = ""
    severity: str = "error"

    def text(self) -> str:
        message = f"cảnh báo: {self.message}" if self.severity == "warning" else self.message
        return f"{self.where}: {message}" if self.where else message


@dataclass
class VerifyReport:
    """What ``verify`` checked and found."""

    files: int = 0
    """File rows of the index checked against the stored files."""
    blobs: int = 0
    """Stored files whose SHA-256 was recomputed."""
    records: int = 0
    """Record files read."""
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


@dataclass
class RebuildReport:
    """What ``rebuild_index`` restored, what it could not, and where the previous database went."""

    restored: list[tuple[str, str, int]]
    problems: list[Problem]
    kept: Path | None


@dataclass
class _Incoming:
    """One subject package of ``add``, checked: its manifest, files (sorted) and where each file is."""

    manifest: dict
    entries: list[dict]
    sources: dict[str, Path]
    shown: Path


@dataclass
class _Snapshot:
    """Every row of the index, read in one transaction."""

    units: dict
    subjects: dict
    versions: list
    files: list

    @classmethod
    def read(cls, db: Connection) -> _Snapshot:
        return cls(
            {r.id: r for r in db.execute(select(units)).all()},
            {r.id: r for r in db.execute(select(subjects)).all()},
            db.execute(select(versions).order_by(versions.c.id)).all(),
            db.execute(select(files).order_by(files.c.id)).all(),
        )


# -- names, manifests, records ---------------------------------------------------------------------
def name_problem(name: object) -> str | None:
    """Why ``name`` is not a plain relative POSIX path (a file inside a package); None when it is one."""
    if not isinstance(name, str) or not name:
        return "tên tệp trống hoặc không phải chuỗi ký tự"
    if any(unicodedata.category(c) == "Cc" for c in name):
        return "tên tệp có ký tự điều khiển"
    if "\\" in name:
        return "tên tệp có dấu \\ (chỉ dùng dấu / để ngăn thư mục)"
    if name.startswith("/"):
        return "tên tệp là đường dẫn tuyệt đối"
    if _DRIVE.match(name):
        return "tên tệp bắt đầu bằng tên ổ đĩa"
    parts = name.split("/")
    if "" in parts:
        return "tên tệp có thành phần rỗng (// hoặc / ở cuối)"
    if ".." in parts:
        return "tên tệp có '..' (đi ra ngoài thư mục hồ sơ)"
    if "." in parts:
        return "tên tệp có thành phần '.'"
    return None


def _code_problem(code: object) -> str | None:
    """Why a subject code cannot name an export folder; None when it can."""
    why = name_problem(code)
    if why:
        return why.replace("tên tệp", "mã")
    return "mã có dấu /" if "/" in code else None


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _period_problem(period: object) -> tuple[str, str] | None:
    """(JSON path, message) when a ``ky_danh_gia`` is not a year or a quarter of one; None when it is."""
    if not isinstance(period, dict) or not _is_int(period.get("nam")) or not 1000 <= period["nam"] <= 9999:
        return "$.ky_danh_gia", "thiếu, hoặc không phải đối tượng có năm (nam) là số nguyên bốn chữ số"
    quarter = period.get("quy")
    if quarter is not None and (not _is_int(quarter) or not 1 <= quarter <= 4):
        return "$.ky_danh_gia.quy", "quý (quy) phải là số nguyên từ 1 đến 4, hoặc bỏ trống khi đánh giá cả năm"
    return None


def _shape_problems(data: object) -> Iterator[tuple[str, str]]:
    """(JSON path, Vietnamese message) for each field the archive needs that a subject manifest (or record) lacks."""
    if not isinstance(data, dict):
        yield "$", "phải là một đối tượng JSON"
        return
    for key in ("don_vi", "bo_quy_tac"):
        if not isinstance(data.get(key), str) or not data[key]:
            yield f"$.{key}", "thiếu, hoặc không phải chuỗi ký tự"
    why = _period_problem(data.get("ky_danh_gia"))
    if why:
        yield why
    who = data.get("doi_tuong")
    if not isinstance(who, dict):
        yield "$.doi_tuong", "thiếu, hoặc không phải đối tượng {ma, ten, loai}"
    else:
        why = _code_problem(who.get("ma"))
        if why:
            yield "$.doi_tuong.ma", f"{why}: {who.get('ma')!r}"
        if not isinstance(who.get("ten"), str):
            yield "$.doi_tuong.ten", "thiếu, hoặc không phải chuỗi ký tự"
        if who.get("loai") not in KINDS:
            yield "$.doi_tuong.loai", f"phải là một trong {', '.join(KINDS)}"
    entries = data.get("tep")
    if not isinstance(entries, list) or not entries:
        yield "$.tep", "thiếu, hoặc không phải danh sách tệp"
        return
    seen = set()
    for i, entry in enumerate(entries):
        at = f"$.tep[{i}]"
        if not isinstance(entry, dict):
            yield at, "phải là đối tượng {ten, sha256, kich_thuoc}"
            continue
        why = name_problem(entry.get("ten"))
        if why:
            yield f"{at}.ten", f"{why}: {entry.get('ten')!r}; tên tệp phải là đường dẫn tương đối trong thư mục hồ sơ"
        elif entry["ten"] in seen:
            yield f"{at}.ten", f"tệp {entry['ten']} được liệt kê hai lần"
        else:
            seen.add(entry["ten"])
        if not isinstance(entry.get("sha256"), str) or not _SHA.fullmatch(entry["sha256"]):
            yield f"{at}.sha256", "phải là SHA-256: 64 chữ số thập lục phân viết thường"
        if not _is_int(entry.get("kich_thuoc")) or entry["kich_thuoc"] < 0:
            yield f"{at}.kich_thuoc", "phải là số nguyên không âm (số byte)"


def _record_problems(record: object) -> Iterator[tuple[str, str]]:
    yield from _shape_problems(record)
    if not isinstance(record, dict):
        return
    if record.get("dinh_dang") != RECORD_FORMAT:
        yield "$.dinh_dang", f"phải là {RECORD_FORMAT}"
    if not _is_int(record.get("so")) or record["so"] < 1:
        yield "$.so", "phải là số nguyên dương"
    if not isinstance(record.get("them_luc"), str) or not record["them_luc"]:
        yield "$.them_luc", "thiếu thời điểm thêm"
    if not isinstance(record.get("manifest"), dict):
        yield "$.manifest", "thiếu manifest của gói hồ sơ"
    before = record.get("truoc")
    if before is not None and not (isinstance(before, str) and _SHA.fullmatch(before)):
        yield "$.truoc", "phải là SHA-256 của bản ghi trước hoặc null"


def _entries(manifest: dict) -> list[dict]:
    return sorted(({"ten": e["ten"], "sha256": e["sha256"], "kich_thuoc": e["kich_thuoc"]} for e in manifest["tep"]), key=lambda e: e["ten"])


def _fingerprint(entries: list[dict]) -> str:
    return hashlib.sha256("".join(e["ten"] + e["sha256"] for e in entries).encode()).hexdigest()


def _period_text(period: dict) -> str:
    """The index's text of a manifest's or record's ``ky_danh_gia``: "2024", "2026-Q3"."""
    return str(Period.of(period))


def _legacy_period(text: object) -> Period | None:
    """The period an index written before quarters holds (the JSON of ``ky_danh_gia``); None if it is not one."""
    try:
        data = json.loads(text) if isinstance(text, str) and text.startswith("{") else None
    except (ValueError, RecursionError):
        return None
    return Period.of(data) if _period_problem(data) is None else None


def _index_period(text: object) -> Period | None:
    """The period of an index row (canonical text, or the JSON of an index not yet migrated); None when damaged."""
    if isinstance(text, str) and not text.startswith("{"):
        try:
            return Period.parse(text) if text == text.strip() else None
        except ValueError:
            return None
    return _legacy_period(text)


def _place(unit: str, period: Period | None) -> str:
    """How a report names a unit's entry: the unit for a year (as before quarters), "unit (quý 3 năm 2026)" for a quarter."""
    return f"{unit} ({period.label_vi})" if period is not None and period.quarter else unit


def _manifest_text(manifest: dict) -> str:
    return json.dumps(manifest, ensure_ascii=False, sort_keys=True)


def _canonical(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _subject_key(record: dict) -> tuple:
    return record["don_vi"], _period_text(record["ky_danh_gia"]), record["doi_tuong"]["ma"], record["doi_tuong"]["loai"]


def _where(record: dict) -> str:
    return f"{_place(record['don_vi'], Period.of(record['ky_danh_gia']))} / {record['doi_tuong']['ma']} / phiên bản {record['so']}"


def _reason(exc: BaseException) -> str:
    inner = getattr(exc, "orig", None) or exc
    return f"{inner.__class__.__name__}: {str(inner).splitlines()[0] if str(inner) else ''}"


def _short(value: object, width: int = 60) -> str:
    """A value from a possibly damaged index, printable and not too long."""
    text = value if isinstance(value, str) and value.isprintable() else repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _damaged(detail: str) -> ArchiveError:
    return ArchiveError(f"Chỉ mục của kho bị hỏng ({detail}). Chạy `hoso archive verify` để xem chi tiết; {REBUILD_HINT}.")


def _migrate_periods(db: Connection) -> None:
    """Rewrite the periods of an index written before quarters (the JSON of ``ky_danh_gia``) as canonical text.

    Runs inside the transaction that opens the index, so it happens once, entirely or not at all;
    canonical values never start with "{", so they are never touched. The records are not read
    nor rewritten: each one keeps the ``ky_danh_gia`` it recorded, and ``verify`` compares the index
    with the records through the same canonical text. A value that is not the JSON of a period
    (a damaged index) is left as it is, and so is one whose canonical text another row of the
    same unit already holds (two spellings of one period, possible only from hand-made manifests;
    the older row, by id, is rewritten): ``verify`` reports them and ``rebuild-index`` rebuilds the
    index from the records.
    """
    rows = db.execute(select(units.c.id, units.c.ten, units.c.ky_danh_gia).where(units.c.ky_danh_gia.like("{%")).order_by(units.c.id)).all()
    for row in rows:
        period = _legacy_period(row.ky_danh_gia)
        if period is None:
            continue
        taken = db.execute(select(units.c.id).where(units.c.ten == row.ten, units.c.ky_danh_gia == str(period))).first()
        if taken is None:
            db.execute(units.update().where(units.c.id == row.id).values(ky_danh_gia=str(period)))


class Archive:
    """The archive folder (stored files and records) plus its index database."""

    def __init__(self, folder: Path | None = None, url: str | None = None, *, rebuilding: bool = False):
        """Open the store, creating it when new.

        Raises ArchiveError when the index cannot be opened, or is missing, empty or emptied while the
        store holds files or records: an empty index is never created over stored data. With
        ``rebuilding`` the index is not opened at all (``rebuild_index`` replaces it).
        """

        try:
            self.folder = private_dir(folder or data_home() / "luu_tru")
            self.blob_dir = private_dir(self.folder / BLOBS)
            self.record_dir = private_dir(self.folder / RECORDS)
        except OSError as exc:
            raise ArchiveError(f"Không tạo được thư mục kho {exc.filename or folder}: {exc.strerror}.") from None
        self.url = url or f"sqlite:///{self.folder / DB_FILE}"
        self.engine = self._engine(self.url)
        database = self.engine.url.database
        sqlite_file = self.engine.dialect.name == "sqlite" and database and database != ":memory:" and not database.startswith("file:")
        self.db_path = Path(database) if sqlite_file else None
        if not rebuilding:
            self._open_index()

    def close(self) -> None:
        self.engine.dispose()

    @staticmethod
    def _engine(url: str) -> Engine:
        try:
            engine = create_engine(url)
        except (SQLAlchemyError, ImportError) as exc:
            raise ArchiveError(f"Địa chỉ cơ sở dữ liệu của kho không dùng được ({url}): {_reason(exc)}") from None
        if engine.dialect.name == "sqlite":
            # Writers take the lock when their transaction starts, so two runs queue instead of colliding.
            @event.listens_for(engine, "connect")
            def _pragma(dbapi, _):  # noqa: ANN001 - SQLAlchemy hook
                dbapi.isolation_level = None
                dbapi.execute("PRAGMA busy_timeout = 600000")

            @event.listens_for(engine, "begin")
            def _begin(conn):  # noqa: ANN001 - SQLAlchemy hook
                conn.exec_driver_sql("BEGIN IMMEDIATE")
        return engine

    def _missing_index(self, what: str) -> ArchiveError:
        fix = REBUILD_HINT if self.db_path else f"khôi phục cơ sở dữ liệu {self.url} từ bản sao lưu"
        return ArchiveError(
            f"Chỉ mục của kho {self.folder} ({self.url}) {what}, trong khi kho đã có tệp lưu trữ hoặc bản ghi. "
            f"hoso không tạo chỉ mục rỗng đè lên kho đang có dữ liệu: {fix}."
        )

    def _open_index(self) -> None:
        if self.db_path is not None and not self.db_path.exists():
            if self._holds_data():
                raise self._missing_index("bị thiếu (không có tệp cơ sở dữ liệu)")
            try:  # created owner-only before SQLite opens it (SQLite would follow the umask)
                os.close(os.open(self.db_path, os.O_WRONLY | os.O_CREAT, 0o600))
            except OSError as exc:
                raise ArchiveError(f"Không tạo được tệp chỉ mục {self.db_path}: {exc.strerror}.") from None
        try:
            # One transaction (BEGIN IMMEDIATE on SQLite): a concurrent first run cannot store data between check and creation.
            with self.engine.begin() as db:
                present = set(sql_inspect(db).get_table_names())
                if not set(meta.tables) <= present:
                    if self._holds_data():
                        raise self._missing_index("bị thiếu, rỗng hoặc hỏng (không có đủ các bảng)")
                    meta.create_all(db)
                    return
                if "ban_ghi" not in {c["name"] for c in sql_inspect(db).get_columns("phien_ban")}:
                    db.exec_driver_sql("ALTER TABLE phien_ban ADD COLUMN ban_ghi VARCHAR(64)")  # a store made before records
                _migrate_periods(db)
                if not db.execute(select(func.count()).select_from(versions)).scalar() and self._record_names():
                    raise self._missing_index("không còn phiên bản nào (các dòng đã bị xóa)")
        except DB_ERRORS as exc:
            raise ArchiveError(f"Không mở được chỉ mục của kho ({self.url}): {_reason(exc)}. Nếu chỉ mục bị hỏng, {REBUILD_HINT}.") from None
        finally:
            if self.db_path is not None and self.db_path.exists():
                os.chmod(self.db_path, 0o600)

    @contextmanager
    def _index(self) -> Iterator[Connection]:
        """A connection for reading the index; database errors become ArchiveError."""
        try:
            with self.engine.connect() as db:
                yield db
        except DB_ERRORS as exc:
            raise _damaged(_reason(exc)) from None

    # -- storage ------------------------------------------------------------------------------
    def _blob(self, sha: str) -> Path:
        return self.blob_dir / sha[:2] / sha

    def _blob_paths(self) -> list[tuple[str, Path]]:
        """Every file under ``tep/`` except half-written ones, as (name relative to tep/, path)."""
        found = []
        for top, folders, names in os.walk(self.blob_dir):
            folders.sort()
            for name in sorted(names):
                if not name.startswith(TEMP_PREFIX):
                    path = Path(top) / name
                    found.append((path.relative_to(self.blob_dir).as_posix(), path))
        return found

    def _record_names(self) -> list[str]:
        try:
            return sorted(e.name for e in os.scandir(self.record_dir) if not e.name.startswith(TEMP_PREFIX) and not e.is_dir())
        except FileNotFoundError:
            return []

    def _holds_data(self) -> bool:
        return bool(self._record_names()) or bool(self._blob_paths())

    def _store(self, source: Path, sha: str, shown: Path, name: str) -> None:
        """Copy a package file into the store under its hash, hashing while copying (the file may change after ``add`` checked it)."""
        target = self._blob(sha)
        if target.exists():
            return
        private_dir(target.parent)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=TEMP_PREFIX)
        try:
            digest = hashlib.sha256()
            with os.fdopen(fd, "wb") as out, os.fdopen(os.open(source, os.O_RDONLY | _NOFOLLOW), "rb") as src:
                for block in iter(lambda: src.read(1 << 16), b""):
                    digest.update(block)
                    out.write(block)
                out.flush()
                os.fsync(out.fileno())
            if digest.hexdigest() != sha:
                raise InputError(f"Tệp {name} thay đổi trong khi đang lưu vào kho; không lưu. Chạy lại lệnh.", file=str(shown))
            os.chmod(tmp, 0o400)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _write_record(self, record: dict) -> tuple[str, Path | None]:
        """Write a record as ``ban_ghi/<sha>.json``, read-only; returns its SHA-256 and its path if this call created it."""
        data = _canonical(record)
        sha = hashlib.sha256(data).hexdigest()
        target = self.record_dir / f"{sha}.json"
        if target.exists():
            return sha, None
        fd, tmp = tempfile.mkstemp(dir=self.record_dir, prefix=TEMP_PREFIX)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, 0o400)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return sha, target

    # -- add --------------------------------------------------------------------------------------
    def add(self, package: Path) -> list[tuple[str, str, int, bool]]:
        """Archive every subject package under ``package`` (a ``hoso dossier`` output, ``DIR/ho_so``).

        Every subject is checked before anything is stored: its ``manifest.json`` must have the fields
        the archive needs, each file name must be a plain relative path, and each file must be a
        regular file inside the subject folder (no link leading out of it) with the listed size and
        SHA-256. Returns (unit, subject, version, new?) per subject, the unit named with its quarter
        when the package is a quarter's ("Chi bộ X (quý 3 năm 2026)"). Raises InputError naming the
        manifest file and the JSON path of the entry at fault.
        """
        root = package.resolve()
        found = sorted(root.glob("*/*/manifest.json"))
        if not (root / "manifest.json").is_file() or not found:
            raise InputError("Đây không phải thư mục hồ sơ do `hoso dossier` tạo (thiếu manifest.json).", file=str(package))
        incoming = [self._read_subject(package, root, path) for path in found]
        return [self._with_retry(lambda s=s: self._add_subject(s)) for s in incoming]

    @staticmethod
    def _read_subject(package: Path, root: Path, manifest_path: Path) -> _Incoming:
        shown = package / manifest_path.relative_to(root)
        folder = manifest_path.parent.resolve()
        if not folder.is_relative_to(root) or not manifest_path.resolve().is_relative_to(folder):
            raise InputError("Thư mục hồ sơ hoặc manifest.json là liên kết trỏ ra ngoài gói hồ sơ; không lưu.", file=str(shown))
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise InputError(f"Không đọc được manifest.json: {_reason(exc)}", file=str(shown)) from None
        for json_path, message in _shape_problems(manifest):
            raise InputError(f"manifest.json không hợp lệ: {message}.", file=str(shown), json_path=json_path)
        sources = {}
        for i, entry in enumerate(manifest["tep"]):
            name = entry["ten"]
            source = (folder / name).resolve()
            if not source.is_relative_to(folder):
                raise InputError(f"Tệp {name} là liên kết trỏ ra ngoài thư mục hồ sơ; không lưu.", file=str(shown), json_path=f"$.tep[{i}].ten")
            if not source.is_file():
                raise InputError(f"Không có tệp {name} mà manifest.json liệt kê (hoặc đó không phải tệp thường).", file=str(shown), json_path=f"$.tep[{i}].ten")
            if _sha256(source) != entry["sha256"]:
                raise InputError(f"Tệp {name} không khớp SHA-256 ghi trong manifest.json: gói hồ sơ đã bị sửa.", file=str(shown), json_path=f"$.tep[{i}].sha256")
            if source.stat().st_size != entry["kich_thuoc"]:
                raise InputError(f"Tệp {name} không khớp kích thước ghi trong manifest.json.", file=str(shown), json_path=f"$.tep[{i}].kich_thuoc")
            sources[name] = source
        return _Incoming(manifest, _entries(manifest), sources, shown)

    def _with_retry(self, action, attempts: int = 5):
        """Run a write; a uniqueness race lost to a concurrent run (any database) is retried."""
        for attempt in range(attempts):
            try:
                return action()
            except IntegrityError:
                if attempt == attempts - 1:
                    raise ArchiveError("Kho đang được một tiến trình khác ghi; thử lại sau.") from None
            except DB_ERRORS as exc:
                raise ArchiveError(f"Lỗi cơ sở dữ liệu của kho: {_reason(exc)}. Nếu chỉ mục bị hỏng, chạy `hoso archive verify`.") from None

    def _add_subject(self, s: _Incoming) -> tuple[str, str, int, bool]:
        """Store one subject's files and, when they differ from its latest version, a new version.

        Order, for a store that stays consistent whatever happens: inside one database transaction
        (on SQLite ``BEGIN IMMEDIATE``, which also queues concurrent adds, so the chain link to the
        previous version is read and written under the lock) the files are stored, then the record
        is written (content-addressed, read-only), then the rows are inserted, then the transaction
        commits. When the transaction fails or is rolled back, the record this call wrote is removed,
        so no record exists that the index does not know. Only a process killed between writing the
        record and the commit can leave such an orphan: it describes a complete version (its files
        were stored first), ``verify`` reports it as unknown to the index, and ``rebuild_index``
        restores it. Stored files are never removed (another version may share them); one a failed
        add left behind is reported by ``verify`` and becomes known when the package is added again.
        """
        manifest, entries = s.manifest, s.entries
        fingerprint = _fingerprint(entries)
        period = _period_text(manifest["ky_danh_gia"])
        shown = _place(manifest["don_vi"], Period.of(manifest["ky_danh_gia"]))
        who = manifest["doi_tuong"]
        created: Path | None = None
        try:
            with self.engine.begin() as db:
                unit = db.execute(select(units.c.id, units.c.bo_quy_tac).where(units.c.ten == manifest["don_vi"], units.c.ky_danh_gia == period)).first()
                if unit is None:
                    unit_id = db.execute(units.insert().values(ten=manifest["don_vi"], ky_danh_gia=period, bo_quy_tac=manifest["bo_quy_tac"])).inserted_primary_key[0]
                    ruleset = manifest["bo_quy_tac"]
                else:
                    unit_id, ruleset = unit
                subject = db.execute(select(subjects.c.id, subjects.c.ten).where(
                    subjects.c.don_vi_id == unit_id, subjects.c.ma == who["ma"], subjects.c.loai == who["loai"])).first()
                if subject is None:
                    subject_id = db.execute(subjects.insert().values(don_vi_id=unit_id, ma=who["ma"], ten=who["ten"], loai=who["loai"])).inserted_primary_key[0]
                    name = who["ten"]
                else:
                    subject_id, name = subject
                last = db.execute(
                    select(versions.c.so, versions.c.dau_van_tay, versions.c.ban_ghi)
                    .where(versions.c.doi_tuong_id == subject_id).order_by(versions.c.so.desc()).limit(1)
                ).first()
                if last is not None and last.dau_van_tay == fingerprint:
                    return shown, who["ma"], last.so, False
                number = (last.so if last else 0) + 1
                for entry in entries:
                    self._store(s.sources[entry["ten"]], entry["sha256"], s.shown, entry["ten"])
                added = dt.datetime.now().isoformat(timespec="seconds")
                # The record names the unit and subject as the index holds them (the first package's
                # ruleset and name); the package's own manifest, as given, is kept whole beside them.
                record = {
                    "dinh_dang": RECORD_FORMAT, "don_vi": manifest["don_vi"], "ky_danh_gia": manifest["ky_danh_gia"], "bo_quy_tac": ruleset,
                    "doi_tuong": {"ma": who["ma"], "ten": name, "loai": who["loai"]}, "so": number, "them_luc": added,
                    "tep": entries, "manifest": manifest, "truoc": last.ban_ghi if last else None,
                }
                sha, created = self._write_record(record)
                version_id = db.execute(versions.insert().values(
                    doi_tuong_id=subject_id, so=number, them_luc=added, dau_van_tay=fingerprint,
                    manifest=_manifest_text(manifest), ban_ghi=sha,
                )).inserted_primary_key[0]
                db.execute(files.insert(), [{"phien_ban_id": version_id, **e} for e in entries])
        except BaseException:
            if created is not None:
                created.unlink(missing_ok=True)
            raise
        return shown, who["ma"], number, True

    # -- read -------------------------------------------------------------------------------------
    def listing(self) -> list[dict]:
        """Units and periods, subjects and their latest version; ``ky_danh_gia`` is the period's dict
        ({"nam": 2024} or {"nam": 2026, "quy": 3}). Within a unit, periods come in the order of
        ``Period`` (the quarters of a year, then the year). Raises ArchiveError when the index is damaged."""
        with self._index() as db:
            rows = db.execute(
                select(units.c.ten, units.c.ky_danh_gia, units.c.bo_quy_tac, subjects.c.ma, subjects.c.ten.label("ten_doi_tuong"),
                       subjects.c.loai, func.max(versions.c.so).label("phien_ban"))
                .join(subjects, subjects.c.don_vi_id == units.c.id).join(versions, versions.c.doi_tuong_id == subjects.c.id)
                .group_by(units.c.id, subjects.c.id).order_by(units.c.ten, subjects.c.loai, subjects.c.ma)
            ).mappings().all()
        out, periods, first = [], [], {}
        for r in rows:
            period = _index_period(r["ky_danh_gia"])
            texts = (r["ten"], r["bo_quy_tac"], r["ma"], r["ten_doi_tuong"], r["loai"])
            if not (period is not None and all(isinstance(t, str) for t in texts) and _is_int(r["phien_ban"])):
                raise _damaged(f"dòng không đọc được của đối tượng {_short(r['ma'])}")
            first.setdefault(r["ten"], len(first))
            periods.append(period)
            out.append(dict(r, ky_danh_gia=period.to_data()))
        # Stable: within one unit and period, the database's order (kind, code) stays.
        order = sorted(range(len(out)), key=lambda i: (first[out[i]["ten"]], periods[i]))
        return [out[i] for i in order]

    def _subject(self, db, ma: str, unit: str | None, kind: str | None = None, period: Period | None = None):
        query = (select(subjects.c.id, subjects.c.ten, subjects.c.loai, units.c.ten.label("don_vi"), units.c.ky_danh_gia)
                 .join(units, units.c.id == subjects.c.don_vi_id).where(subjects.c.ma == ma))
        if unit:
            query = query.where(units.c.ten == unit)
        found = db.execute(query).all()
        if period is not None:
            found = [r for r in found if _index_period(r.ky_danh_gia) == period]
        if kind:
            found = [r for r in found if r.loai == kind]
        elif len({r.loai for r in found}) > 1:
            # A person's own package comes before a commendation package of the same person.
            found = [r for r in found if r.loai != "khen_thuong"]
        if not found:
            raise UsageError(f"Không có đối tượng mã '{ma}'{f' của {period.label_vi}' if period else ''} trong kho lưu trữ.")
        if len(found) > 1:
            if len({r.don_vi for r in found}) > 1:
                raise UsageError(f"Mã '{ma}' có ở nhiều đơn vị: {', '.join(str(r.don_vi) for r in found)}; ghi rõ --don-vi.")
            periods = [_index_period(r.ky_danh_gia) for r in found]
            labels = ", ".join(sorted(p.label_vi if p else _short(r.ky_danh_gia) for r, p in zip(found, periods)))
            raise UsageError(f"Mã '{ma}' của {found[0].don_vi} có ở nhiều kỳ đánh giá: {labels}; ghi rõ kỳ (--ky, ví dụ 2024 hoặc 2026-Q3).")
        if _index_period(found[0].ky_danh_gia) is None:
            raise _damaged(f"kỳ đánh giá không đọc được của đối tượng {ma}")
        return found[0]

    def show(self, ma: str, unit: str | None = None, kind: str | None = None, period: Period | None = None) -> dict:
        """Every version of a subject with its files, and the period of the entry (``ky_danh_gia`` as a dict).

        ``period`` chooses among entries of the same code in several periods of a unit. Raises
        UsageError for an unknown or ambiguous code, ArchiveError for a damaged index.
        """
        with self._index() as db:
            subject = self._subject(db, ma, unit, kind, period)
            rows = db.execute(select(versions).where(versions.c.doi_tuong_id == subject.id).order_by(versions.c.so)).mappings().all()
            out = []
            for v in rows:
                listed = db.execute(select(files.c.ten, files.c.sha256, files.c.kich_thuoc).where(files.c.phien_ban_id == v["id"]).order_by(files.c.ten)).mappings().all()
                out.append({"so": v["so"], "them_luc": v["them_luc"], "tep": [dict(f) for f in listed]})
        for v in out:
            sound = _is_int(v["so"]) and isinstance(v["them_luc"], str) and all(
                isinstance(f["ten"], str) and isinstance(f["sha256"], str) and _is_int(f["kich_thuoc"]) for f in v["tep"])
            if not sound or not all(isinstance(x, str) for x in (subject.ten, subject.loai, subject.don_vi)):
                raise _damaged(f"dòng không đọc được của đối tượng {ma}")
        return {"ma": ma, "ten": subject.ten, "loai": subject.loai, "don_vi": subject.don_vi,
                "ky_danh_gia": _index_period(subject.ky_danh_gia).to_data(), "phien_ban": out}

    # -- verify -----------------------------------------------------------------------------------
    def verify(self) -> VerifyReport:
        """Check the whole store; damage is reported as problems, never raised.

        SQLite's ``PRAGMA integrity_check``; every stored file re-hashed; every version row and its
        file rows compared with the version's record; every record's own hash, format and chain
        link; records the index lacks (deleted rows), rows whose record or files are missing,
        stored files no version refers to, gaps in version numbers.
        """
        report = VerifyReport()
        found = report.problems
        index = None
        try:
            # One transaction (the write lock on SQLite): no add can store files or records while the three are listed.
            with self.engine.begin() as db:
                if self.engine.dialect.name == "sqlite":
                    lines = [str(r[0]) for r in db.exec_driver_sql("PRAGMA integrity_check(20)")]
                    if lines != ["ok"]:
                        found.append(Problem("chi_muc", f"Tệp cơ sở dữ liệu của chỉ mục bị hỏng (PRAGMA integrity_check: {'; '.join(lines)}); {REBUILD_HINT}."))
                index = _Snapshot.read(db)
                record_names, blob_paths = self._record_names(), self._blob_paths()
        except DB_ERRORS as exc:
            found.append(Problem("chi_muc", f"Không đọc được chỉ mục của kho: {_reason(exc)}; {REBUILD_HINT}."))
            index = None
            record_names, blob_paths = self._record_names(), self._blob_paths()
        records = self._load_records(record_names, found)
        report.records = len(record_names)
        state = self._hash_blobs(blob_paths, found)
        report.blobs = len(state)
        known: set = set()
        numbers: dict[tuple, set] = defaultdict(set)
        legacy: set = set()
        covered = self._check_index(index, records, state, report, known, numbers, legacy) if index is not None else set()
        for sha, record in records.items():
            known.update(e["sha256"] for e in record["tep"])
            numbers[_subject_key(record)].add(record["so"])
            if sha in covered:
                continue
            if index is not None:
                found.append(Problem("ban_ghi_la", f"bản ghi {sha[:12]}… không có trong chỉ mục: dòng của phiên bản này đã bị xóa khỏi chỉ mục, "
                                                   f"hoặc một lần thêm bị ngắt trước khi ghi xong; {REBUILD_HINT}.", _where(record)))
            found.extend(self._file_problems(record, state))
        found.extend(_chain_problems(records, legacy))
        found.extend(_number_problems(numbers))
        for sha in sorted(set(state) - known):
            found.append(Problem("tep_la", f"Tệp lưu trữ {BLOBS}/{sha[:2]}/{sha} không thuộc phiên bản nào trong chỉ mục hay trong bản ghi "
                                           "(có thể do một lần thêm bị ngắt: thêm lại gói hồ sơ đó)."))
        return report

    def _load_records(self, names: list[str], found: list[Problem]) -> dict[str, dict]:
        """The sound records by SHA-256; each unreadable, altered or malformed one is a problem."""
        records = {}
        for name in names:
            match = _RECORD_NAME.fullmatch(name)
            if not match:
                found.append(Problem("ban_ghi_sai", f"Tệp lạ trong thư mục {RECORDS}/: {name!r} (bản ghi phải tên là <sha256>.json)."))
                continue
            try:
                if not (self.record_dir / name).is_file():
                    raise IsADirectoryError(0, "không phải tệp thường")
                data = (self.record_dir / name).read_bytes()
            except OSError as exc:
                found.append(Problem("ban_ghi_sai", f"Không đọc được bản ghi {RECORDS}/{name}: {exc.strerror}."))
                continue
            if hashlib.sha256(data).hexdigest() != match[1]:
                found.append(Problem("ban_ghi_sai", f"Bản ghi {RECORDS}/{name} đã bị sửa (SHA-256 không khớp tên tệp)."))
                continue
            try:
                record = json.loads(data.decode("utf-8"))
            except (UnicodeDecodeError, ValueError, RecursionError):
                record = None
            bad = next(_record_problems(record), None)
            if bad:
                found.append(Problem("ban_ghi_sai", f"Bản ghi {RECORDS}/{name} không đúng định dạng ({bad[0]}: {bad[1]})."))
                continue
            records[match[1]] = record
        return records

    def _hash_blobs(self, blob_paths: list[tuple[str, Path]], found: list[Problem]) -> dict[str, str]:
        """SHA-256 name → "" (intact) or "sai" (altered or unreadable), for every stored file; misnamed ones are problems."""
        state = {}
        for relative, path in blob_paths:
            sha = path.name
            if not _SHA.fullmatch(sha) or relative != f"{sha[:2]}/{sha}" or not path.is_file():
                found.append(Problem("tep_la", f"Tệp lạ trong thư mục {BLOBS}/: {relative!r} (tệp lưu trữ phải tên là <aa>/<sha256>)."))
                continue
            try:
                state[sha] = "" if _sha256(path) == sha else "sai"
            except OSError:
                state[sha] = "sai"
        return state

    @staticmethod
    def _file_problems(record: dict, state: dict[str, str]) -> list[Problem]:
        out = []
        for e in record["tep"]:
            kind = state.get(e["sha256"], "thieu")
            if kind:
                out.append(Problem(kind, f"{e['ten']} {'bị thiếu' if kind == 'thieu' else 'đã bị sửa (SHA-256 không khớp)'}", _where(record)))
        return out

    def _check_index(self, index: _Snapshot, records: dict, state: dict, report: VerifyReport, known: set, numbers: dict, legacy: set) -> set[str]:
        """Compare every index row with the stored files and its record; returns the records the index refers to."""
        found = report.problems
        rows_of = defaultdict(list)
        version_ids = {v.id for v in index.versions}
        for f in index.files:
            if f.phien_ban_id in version_ids:
                rows_of[f.phien_ban_id].append(f)
            else:
                found.append(Problem("chi_muc", f"Dòng tệp {_short(f.ten)} (mã dòng {f.id}) thuộc một phiên bản không có trong chỉ mục."))
        references = Counter(v.ban_ghi for v in index.versions if v.ban_ghi is not None)
        for v in index.versions:
            subject = index.subjects.get(v.doi_tuong_id)
            unit = index.units.get(subject.don_vi_id) if subject is not None else None
            if unit is None:
                found.append(Problem("chi_muc", f"Dòng phiên bản {_short(v.so)} (mã dòng {v.id}) thuộc một đối tượng hoặc đơn vị không có trong chỉ mục."))
                continue
            where = f"{_place(unit.ten, _index_period(unit.ky_danh_gia))} / {subject.ma} / phiên bản {v.so}"
            numbers[(unit.ten, unit.ky_danh_gia, subject.ma, subject.loai)].add(v.so)
            for f in rows_of[v.id]:
                report.files += 1
                known.add(f.sha256)
                kind = state.get(f.sha256, "thieu")
                if kind:
                    found.append(Problem(kind, f"{f.ten} {'bị thiếu' if kind == 'thieu' else 'đã bị sửa (SHA-256 không khớp)'}", where))
            if v.ban_ghi is None:
                legacy.add(((unit.ten, unit.ky_danh_gia, subject.ma, subject.loai), v.so))
                found.append(Problem("chua_co_ban_ghi", "chưa có bản ghi (phiên bản do hoso bản cũ thêm vào): chỉ kiểm được SHA-256 của tệp, "
                                                        "không đối chiếu được dòng chỉ mục.", where, "warning"))
                continue
            record = records.get(v.ban_ghi)
            if record is None:
                found.append(Problem("ban_ghi_thieu", f"bản ghi {_short(v.ban_ghi, 20)} của phiên bản này bị thiếu hoặc hỏng.", where))
                continue
            if references[v.ban_ghi] > 1:
                found.append(Problem("lech", f"{references[v.ban_ghi]} dòng phiên bản cùng trỏ tới bản ghi {v.ban_ghi[:12]}….", where))
            for difference in _differences(record, unit, subject, v, rows_of[v.id]):
                found.append(Problem("lech", f"chỉ mục khác bản ghi {v.ban_ghi[:12]}…: {difference}.", where))
        return set(references)

    # -- rebuild ----------------------------------------------------------------------------------
    def rebuild_index(self) -> RebuildReport:
        """Rebuild the SQLite index from the records; returns what was restored and every problem met.

        Each record's own hash, format and chain link and each stored file's hash are checked on the
        way; a record that fails its own hash or format is not restored. When two records claim the
        same version of a subject (an add killed before its commit, then a later add), the one added
        later is restored. The previous database file, damaged or not, is moved aside to
        ``luu_tru.sqlite.hong-<time>`` (with its journal), never deleted. Versions added by an older
        hoso have no record and cannot be restored (their files are reported). Run it while no other
        hoso command uses the store. Raises ArchiveError for an index that is not a SQLite file.
        """
        if self.db_path is None:
            raise ArchiveError(f"Chỉ dựng lại được chỉ mục SQLite trong thư mục kho; với {self.url} hãy khôi phục cơ sở dữ liệu từ bản sao lưu.")
        found: list[Problem] = []
        records = self._load_records(self._record_names(), found)
        state = self._hash_blobs(self._blob_paths(), found)
        slots = defaultdict(list)
        for sha, record in records.items():
            slots[(_subject_key(record), record["so"])].append(sha)
        chosen = {}
        for shas in slots.values():
            shas.sort(key=lambda s: (records[s]["them_luc"], s))
            chosen[shas[-1]] = records[shas[-1]]
            for other in shas[:-1]:
                found.append(Problem("chuoi", f"bản ghi {other[:12]}… (thêm lúc {records[other]['them_luc']}) cũng nhận là phiên bản này; "
                                              f"khôi phục bản ghi {shas[-1][:12]}… thêm sau, không khôi phục bản ghi kia.", _where(records[other])))
        found.extend(_chain_problems(chosen, set()))
        numbers: dict[tuple, set] = defaultdict(set)
        for record in chosen.values():
            numbers[_subject_key(record)].add(record["so"])
            found.extend(self._file_problems(record, state))
        found.extend(_number_problems(numbers))
        known = {e["sha256"] for r in records.values() for e in r["tep"]}
        for sha in sorted(set(state) - known):
            found.append(Problem("tep_la", f"Tệp lưu trữ {BLOBS}/{sha[:2]}/{sha} không thuộc bản ghi nào (có thể của phiên bản do hoso bản cũ "
                                           "thêm vào, không có bản ghi, hoặc của một lần thêm bị ngắt): không khôi phục được vào chỉ mục."))
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        fresh = self.db_path.with_name(f"{self.db_path.name}.dang-dung-{stamp}")
        restored = self._write_index(fresh, chosen)
        kept = None
        if self.db_path.exists():
            kept = self.db_path.with_name(f"{self.db_path.name}.hong-{stamp}")
            os.replace(self.db_path, kept)
            for suffix in ("-journal", "-wal", "-shm"):
                companion = Path(f"{self.db_path}{suffix}")
                if companion.exists():
                    os.replace(companion, Path(f"{kept}{suffix}"))
        os.replace(fresh, self.db_path)
        self.engine.dispose()
        self.engine = self._engine(self.url)
        return RebuildReport(restored, found, kept)

    def _write_index(self, path: Path, chosen: dict[str, dict]) -> list[tuple[str, str, int]]:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        engine = self._engine(f"sqlite:///{path}")
        restored = []
        try:
            with engine.begin() as db:
                meta.create_all(db)
                unit_ids, subject_ids = {}, {}
                order = sorted(chosen.items(), key=lambda kv: (kv[1]["them_luc"], kv[1]["don_vi"], kv[1]["doi_tuong"]["ma"], kv[1]["so"]))
                for sha, r in order:
                    who, period = r["doi_tuong"], _period_text(r["ky_danh_gia"])
                    if (r["don_vi"], period) not in unit_ids:
                        unit_ids[(r["don_vi"], period)] = db.execute(units.insert().values(ten=r["don_vi"], ky_danh_gia=period, bo_quy_tac=r["bo_quy_tac"])).inserted_primary_key[0]
                    unit_id = unit_ids[(r["don_vi"], period)]
                    if (unit_id, who["ma"], who["loai"]) not in subject_ids:
                        subject_ids[(unit_id, who["ma"], who["loai"])] = db.execute(subjects.insert().values(
                            don_vi_id=unit_id, ma=who["ma"], ten=who["ten"], loai=who["loai"])).inserted_primary_key[0]
                    version_id = db.execute(versions.insert().values(
                        doi_tuong_id=subject_ids[(unit_id, who["ma"], who["loai"])], so=r["so"], them_luc=r["them_luc"],
                        dau_van_tay=_fingerprint(r["tep"]), manifest=_manifest_text(r["manifest"]), ban_ghi=sha,
                    )).inserted_primary_key[0]
                    db.execute(files.insert(), [{"phien_ban_id": version_id, "ten": e["ten"], "sha256": e["sha256"], "kich_thuoc": e["kich_thuoc"]} for e in r["tep"]])
                    restored.append((_place(r["don_vi"], Period.of(r["ky_danh_gia"])), who["ma"], r["so"]))
        except BaseException:
            engine.dispose()
            path.unlink(missing_ok=True)
            raise
        engine.dispose()
        return restored

    # -- export -----------------------------------------------------------------------------------
    def export(self, ma: str, target: Path, version: int | None = None, unit: str | None = None, kind: str | None = None,
               period: Period | None = None) -> Path:
        """Copy one version (latest by default) of a subject's package into a new folder ``target/<ma>_v<N>/``
        (``<ma>_2026_q3_v<N>`` for a quarter's entry; ``period`` chooses among a code's periods).

        Every file name from the index is checked again (a plain relative path, written only inside
        the new folder), the version is compared with its record, and every file with its hash; the
        folder is built under a temporary name and renamed into place at the end. Raises UsageError
        when the folder already exists (nothing is overwritten), ArchiveError when the index, the
        record or a stored file is damaged.
        """
        with self._index() as db:
            subject = self._subject(db, ma, unit, kind, period)
            query = select(versions.c.id, versions.c.so, versions.c.ban_ghi).where(versions.c.doi_tuong_id == subject.id)
            query = query.where(versions.c.so == version) if version else query.order_by(versions.c.so.desc()).limit(1)
            chosen = db.execute(query).first()
            if chosen is None:
                raise UsageError(f"Đối tượng '{ma}' không có phiên bản {version}.")
            listed = db.execute(select(files.c.ten, files.c.sha256, files.c.kich_thuoc).where(files.c.phien_ban_id == chosen.id)).all()
        reasons = [_code_problem(ma), None if _is_int(chosen.so) else "số phiên bản không phải số nguyên"]
        for name, sha, _size in listed:
            reasons.append(name_problem(name) and f"{name_problem(name)}: {_short(name)}")
            reasons.append(None if isinstance(sha, str) and _SHA.fullmatch(sha) else f"SHA-256 của {_short(name)} không hợp lệ")
        reasons = [r for r in reasons if r]
        if reasons:
            raise _damaged(f"{ma}, phiên bản {_short(chosen.so)}: {reasons[0]}; không xuất")
        if chosen.ban_ghi is not None:
            record = self._load_records([f"{chosen.ban_ghi}.json"], []).get(chosen.ban_ghi)
            if record is None:
                raise _damaged(f"bản ghi của {ma}, phiên bản {chosen.so} bị thiếu hoặc hỏng; không xuất")
            if Counter((e["ten"], e["sha256"], e["kich_thuoc"]) for e in record["tep"]) != Counter(tuple(row) for row in listed) or record["so"] != chosen.so:
                raise _damaged(f"{ma}, phiên bản {chosen.so}: danh sách tệp trong chỉ mục khác bản ghi; không xuất")
        suffix = "_khen_thuong" if subject.loai == "khen_thuong" else ""
        entry_period = _index_period(subject.ky_danh_gia)
        suffix += f"_{entry_period.slug}" if entry_period.quarter else ""
        try:
            private_dir(target)
        except OSError as exc:
            raise UsageError(f"Không tạo được thư mục {target}: {exc.strerror}.") from None
        final = target / f"{ma}{suffix}_v{chosen.so}"
        if os.path.lexists(final):
            raise UsageError(f"Thư mục {final} đã có; hoso không ghi đè. Chọn thư mục -o khác, hoặc chuyển thư mục cũ đi.")
        stage = Path(tempfile.mkdtemp(prefix=".hoso-dang-xuat-", dir=target))
        try:
            self._fill(stage, listed)
            try:
                os.rename(stage, final)
            except OSError:
                raise UsageError(f"Thư mục {final} đã có; hoso không ghi đè.") from None
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
        return final

    def _fill(self, stage: Path, listed) -> None:
        """Write each (name, sha, size) from its stored file into ``stage``, never outside it and never over a file."""
        root = stage.resolve()
        for name, sha, _size in listed:
            folder = stage
            for part in name.split("/")[:-1]:
                folder = folder / part
                if not folder.is_dir():
                    os.mkdir(folder, 0o700)
            dest = stage / name
            if not dest.parent.resolve().is_relative_to(root) or dest.parent.is_symlink():
                raise _damaged(f"tệp {_short(name)} sẽ được ghi ra ngoài thư mục xuất; không xuất")
            blob = self._blob(sha)
            digest = hashlib.sha256()
            try:
                with open(blob, "rb") as src, os.fdopen(os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600), "wb") as out:
                    for block in iter(lambda: src.read(1 << 16), b""):
                        digest.update(block)
                        out.write(block)
            except FileNotFoundError:
                raise ArchiveError(f"Tệp {name} trong kho bị thiếu; chạy `hoso archive verify`.", file=str(self.folder)) from None
            except OSError as exc:
                raise ArchiveError(f"Không ghi được tệp {name} khi xuất: {exc.strerror}.", file=str(stage)) from None
            os.chmod(dest, 0o600)
            if digest.hexdigest() != sha:
                raise ArchiveError(f"Tệp {name} trong kho đã bị sửa (SHA-256 không khớp); chạy `hoso archive verify`.", file=str(self.folder))


def _differences(record: dict, unit, subject, version, rows) -> list[str]:
    """How an index version row (with its unit, subject and file rows) differs from its record."""
    who = record["doi_tuong"]
    pairs = [
        ("tên đơn vị", unit.ten, record["don_vi"]),
        ("kỳ đánh giá", unit.ky_danh_gia, _period_text(record["ky_danh_gia"])),
        ("bộ quy tắc", unit.bo_quy_tac, record["bo_quy_tac"]),
        ("mã đối tượng", subject.ma, who["ma"]),
        ("tên đối tượng", subject.ten, who["ten"]),
        ("loại hồ sơ", subject.loai, who["loai"]),
        ("số phiên bản", version.so, record["so"]),
        ("thời điểm thêm", version.them_luc, record["them_luc"]),
        ("dấu vân tay", version.dau_van_tay, _fingerprint(record["tep"])),
    ]
    out = [f"{label}: chỉ mục ghi {_short(a)}, bản ghi ghi {_short(b)}" for label, a, b in pairs if a != b or type(a) is not type(b)]
    if version.manifest != _manifest_text(record["manifest"]):
        out.append("nội dung manifest khác")
    indexed = Counter((f.ten, f.sha256, f.kich_thuoc) for f in rows)
    recorded = Counter((e["ten"], e["sha256"], e["kich_thuoc"]) for e in record["tep"])
    if indexed != recorded:
        by_index = {t[0]: t for t in indexed}
        by_record = {t[0]: t for t in recorded}
        for name in sorted(set(by_index) | set(by_record), key=repr):
            a, b = by_index.get(name), by_record.get(name)
            if a is None:
                out.append(f"thiếu dòng tệp {name}")
            elif b is None:
                out.append(f"có dòng tệp {_short(name)} mà bản ghi không có")
            elif a != b:
                out.append(f"tệp {name}: chỉ mục ghi SHA-256 {_short(a[1], 17)}, {_short(a[2])} byte; bản ghi ghi SHA-256 {b[1][:16]}…, {b[2]} byte")
        if sum(indexed.values()) != len(by_index):
            out.append("có dòng tệp bị lặp")
    return out


def _chain_problems(records: dict[str, dict], legacy: set) -> list[Problem]:
    """Broken links of the per-subject record chains, and versions claimed by two records.

    ``legacy`` holds (subject key, version) of index rows without a record: a chain may start after one.
    """
    out = []
    slots = defaultdict(list)
    for sha, record in records.items():
        key, number, before = _subject_key(record), record["so"], record["truoc"]
        slots[(key, number)].append(sha)
        if before is None:
            if number != 1 and (key, number - 1) not in legacy:
                out.append(Problem("chuoi", f"bản ghi không nối tới bản ghi của phiên bản {number - 1}: chuỗi bản ghi bị đứt.", _where(record)))
        elif before not in records:
            out.append(Problem("chuoi", f"bản ghi của phiên bản trước ({before[:12]}…) bị thiếu hoặc hỏng: chuỗi bản ghi bị đứt.", _where(record)))
        elif _subject_key(records[before]) != key or records[before]["so"] != number - 1:
            out.append(Problem("chuoi", f"bản ghi trước ({before[:12]}…) không phải phiên bản {number - 1} của cùng đối tượng: chuỗi bản ghi bị đứt.", _where(record)))
    for (key, number), shas in slots.items():
        if len(shas) > 1:
            out.append(Problem("chuoi", f"{len(shas)} bản ghi cùng nhận là phiên bản này: {', '.join(s[:12] + '…' for s in sorted(shas))}.",
                               _where(records[shas[0]])))
    return out


def _number_problems(numbers: dict[tuple, set]) -> list[Problem]:
    """Subjects whose version numbers (from the index and the records) skip one."""
    out = []
    for key, seen in numbers.items():
        whole = {n for n in seen if _is_int(n) and n >= 1}
        if not whole:
            continue
        if max(whole) > len(whole) + 1000:  # a damaged number, not a thousand lost versions
            out.append(Problem("so_phien_ban", f"số phiên bản bất thường: {max(whole)}.", f"{_place(key[0], _index_period(key[1]))} / {key[2]}"))
            continue
        missing = sorted(set(range(1, max(whole) + 1)) - whole)
        if missing:
            out.append(Problem("so_phien_ban", f"thiếu phiên bản {', '.join(map(str, missing))} (không có trong chỉ mục lẫn bản ghi).",
                               f"{_place(key[0], _index_period(key[1]))} / {key[2]}"))
    return out
