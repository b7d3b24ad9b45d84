"""Stage 7, archive: a local store of record packages, indexed in a database, verifiable years later.

Files are stored by content (SHA-256) under the archive folder, read-only; the database (SQLite
by default, any SQLAlchemy URL such as a shared PostgreSQL server otherwise) indexes units,
subjects, periods, versions and hashes. Adding a package whose files differ from the latest
version of a subject creates a new version (a re-grading after a complaint); nothing is ever
overwritten or deleted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import (
    Column, ForeignKey, Integer, MetaData, String, Table, Text, UniqueConstraint, create_engine, event, func, select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from .errors import HosoError, InputError, UsageError
from .output import private_dir, sha256_file as _sha256

meta = MetaData()
units = Table(
    "don_vi", meta,
    Column("id", Integer, primary_key=True),
    Column("ten", String(300), nullable=False),
    Column("ky_danh_gia", String(20), nullable=False),
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
    """The archive database cannot be opened or written. Exit 1."""


@dataclass
class Problem:
    """A stored file that is missing or whose content no longer matches its hash."""

    unit: str
    subject: str
    version: int
    file: str
    kind: str  # "thieu" (missing) or "sai" (altered)


class Archive:
    """The archive folder plus its database."""

    def __init__(self, folder: Path | None = None, url: str | None = None):
        from .numbering import data_home

        self.folder = private_dir(folder or data_home() / "luu_tru")
        private_dir(self.folder / "tep")
        self.url = url or f"sqlite:///{self.folder / 'luu_tru.sqlite'}"
        self.engine: Engine = create_engine(self.url)
        if self.engine.dialect.name == "sqlite":
            # Writers take the lock when their transaction starts, so two runs queue instead of colliding.
            @event.listens_for(self.engine, "connect")
            def _pragma(dbapi, _):  # noqa: ANN001 - SQLAlchemy hook
                dbapi.isolation_level = None
                dbapi.execute("PRAGMA busy_timeout = 600000")

            @event.listens_for(self.engine, "begin")
            def _begin(conn):  # noqa: ANN001 - SQLAlchemy hook
                conn.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            with self.engine.begin() as db:
                meta.create_all(db)
        except SQLAlchemyError as exc:
            raise ArchiveError(f"Không mở được cơ sở dữ liệu của kho ({self.url}): {exc.__class__.__name__}: {exc.orig if hasattr(exc, 'orig') else exc}") from None
        db = self.folder / "luu_tru.sqlite"
        if db.exists():
            os.chmod(db, 0o600)

    # -- storage ------------------------------------------------------------------------------
    def _blob(self, sha: str) -> Path:
        return self.folder / "tep" / sha[:2] / sha

    def _store(self, path: Path, sha: str) -> None:
        target = self._blob(sha)
        if target.exists():
            return
        private_dir(target.parent)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".dang-ghi-")
        with os.fdopen(fd, "wb") as out, path.open("rb") as src:
            shutil.copyfileobj(src, out)
        os.chmod(tmp, 0o400)
        os.replace(tmp, target)

    # -- add --------------------------------------------------------------------------------------
    def add(self, package: Path) -> list[tuple[str, str, int, bool]]:
        """Archive every subject package under ``package`` (a ``hoso dossier`` output).

        Returns (unit, subject, version, new?) per subject. Raises InputError for a folder
        that is not a dossier package.
        """
        package = package.resolve()
        manifests = sorted(package.glob("*/*/manifest.json"))
        if not (package / "manifest.json").is_file() or not manifests:
            raise InputError("Đây không phải thư mục hồ sơ do `hoso dossier` tạo (thiếu manifest.json).", file=str(package))
        results = []
        for manifest_path in manifests:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            folder = manifest_path.parent
            for entry in manifest["tep"]:
                if _sha256(folder / entry["ten"]) != entry["sha256"]:
                    raise InputError(f"Tệp {entry['ten']} không khớp SHA-256 ghi trong manifest.json: gói hồ sơ đã bị sửa.", file=str(folder))
            results.append(self._with_retry(lambda: self._add_subject(folder, manifest)))
        return results

    def _with_retry(self, action, attempts: int = 5):
        """Run a write; a uniqueness race lost to a concurrent run (any database) is retried."""
        for attempt in range(attempts):
            try:
                return action()
            except IntegrityError:
                if attempt == attempts - 1:
                    raise ArchiveError("Kho đang được một tiến trình khác ghi; thử lại sau.") from None
            except SQLAlchemyError as exc:
                raise ArchiveError(f"Lỗi cơ sở dữ liệu của kho: {exc.__class__.__name__}: {getattr(exc, 'orig', exc)}") from None

    def _add_subject(self, folder: Path, manifest: dict) -> tuple[str, str, int, bool]:
        entries = sorted(manifest["tep"], key=lambda e: e["ten"])
        fingerprint = hashlib.sha256("".join(e["ten"] + e["sha256"] for e in entries).encode()).hexdigest()
        for entry in entries:
            self._store(folder / entry["ten"], entry["sha256"])
        period = json.dumps(manifest["ky_danh_gia"], sort_keys=True)
        who = manifest["doi_tuong"]
        with self.engine.begin() as db:
            unit_id = db.execute(select(units.c.id).where(units.c.ten == manifest["don_vi"], units.c.ky_danh_gia == period)).scalar()
            if unit_id is None:
                unit_id = db.execute(units.insert().values(ten=manifest["don_vi"], ky_danh_gia=period, bo_quy_tac=manifest["bo_quy_tac"])).inserted_primary_key[0]
            subject_id = db.execute(select(subjects.c.id).where(subjects.c.don_vi_id == unit_id, subjects.c.ma == who["ma"], subjects.c.loai == who["loai"])).scalar()
            if subject_id is None:
                subject_id = db.execute(subjects.insert().values(don_vi_id=unit_id, ma=who["ma"], ten=who["ten"], loai=who["loai"])).inserted_primary_key[0]
            last = db.execute(
                select(versions.c.so, versions.c.dau_van_tay).where(versions.c.doi_tuong_id == subject_id).order_by(versions.c.so.desc()).limit(1)
            ).first()
            if last is not None and last.dau_van_tay == fingerprint:
                return manifest["don_vi"], who["ma"], last.so, False
            number = (last.so if last else 0) + 1
            version_id = db.execute(versions.insert().values(
                doi_tuong_id=subject_id, so=number, them_luc=dt.datetime.now().isoformat(timespec="seconds"),
                dau_van_tay=fingerprint, manifest=json.dumps(manifest, ensure_ascii=False, sort_keys=True),
            )).inserted_primary_key[0]
            db.execute(files.insert(), [{"phien_ban_id": version_id, "ten": e["ten"], "sha256": e["sha256"], "kich_thuoc": e["kich_thuoc"]} for e in entries])
        return manifest["don_vi"], who["ma"], number, True

    # -- read -------------------------------------------------------------------------------------
    def listing(self) -> list[dict]:
        with self.engine.connect() as db:
            rows = db.execute(
                select(units.c.ten, units.c.ky_danh_gia, units.c.bo_quy_tac, subjects.c.ma, subjects.c.ten.label("ten_doi_tuong"),
                       subjects.c.loai, func.max(versions.c.so).label("phien_ban"))
                .join(subjects, subjects.c.don_vi_id == units.c.id).join(versions, versions.c.doi_tuong_id == subjects.c.id)
                .group_by(units.c.id, subjects.c.id).order_by(units.c.ten, subjects.c.loai, subjects.c.ma)
            ).mappings().all()
        return [dict(r, ky_danh_gia=json.loads(r["ky_danh_gia"])) for r in rows]

    def _subject(self, db, ma: str, unit: str | None, kind: str | None = None):
        query = (select(subjects.c.id, subjects.c.ten, subjects.c.loai, units.c.ten.label("don_vi"))
                 .join(units, units.c.id == subjects.c.don_vi_id).where(subjects.c.ma == ma))
        if unit:
            query = query.where(units.c.ten == unit)
        found = db.execute(query).all()
        if kind:
            found = [r for r in found if r.loai == kind]
        elif len({r.loai for r in found}) > 1:
            # A person's own package comes before a commendation package of the same person.
            found = [r for r in found if r.loai != "khen_thuong"]
        if not found:
            raise UsageError(f"Không có đối tượng mã '{ma}' trong kho lưu trữ.")
        if len(found) > 1:
            raise UsageError(f"Mã '{ma}' có ở nhiều đơn vị: {', '.join(r.don_vi for r in found)}; ghi rõ --don-vi.")
        return found[0]

    def show(self, ma: str, unit: str | None = None, kind: str | None = None) -> dict:
        with self.engine.connect() as db:
            subject = self._subject(db, ma, unit, kind)
            rows = db.execute(select(versions).where(versions.c.doi_tuong_id == subject.id).order_by(versions.c.so)).mappings().all()
            out = []
            for v in rows:
                listed = db.execute(select(files.c.ten, files.c.sha256, files.c.kich_thuoc).where(files.c.phien_ban_id == v["id"]).order_by(files.c.ten)).mappings().all()
                out.append({"so": v["so"], "them_luc": v["them_luc"], "tep": [dict(f) for f in listed]})
        return {"ma": ma, "ten": subject.ten, "loai": subject.loai, "don_vi": subject.don_vi, "phien_ban": out}

    def verify(self) -> tuple[int, list[Problem]]:
        """Recompute the hash of every stored file of every version; returns (files checked, problems)."""
        problems, checked, cache = [], 0, {}
        with self.engine.connect() as db:
            rows = db.execute(
                select(units.c.ten, subjects.c.ma, versions.c.so, files.c.ten.label("tep"), files.c.sha256)
                .join(subjects, subjects.c.don_vi_id == units.c.id).join(versions, versions.c.doi_tuong_id == subjects.c.id)
                .join(files, files.c.phien_ban_id == versions.c.id).order_by(units.c.ten, subjects.c.ma, versions.c.so, files.c.ten)
            ).all()
        for r in rows:
            checked += 1
            blob = self._blob(r.sha256)
            if r.sha256 not in cache:
                cache[r.sha256] = "thieu" if not blob.is_file() else ("" if _sha256(blob) == r.sha256 else "sai")
            if cache[r.sha256]:
                problems.append(Problem(r.ten, r.ma, r.so, r.tep, cache[r.sha256]))
        return checked, problems

    def export(self, ma: str, target: Path, version: int | None = None, unit: str | None = None, kind: str | None = None) -> Path:
        """Copy one version (latest by default) of a subject's package into ``target/<ma>_v<N>/``."""
        with self.engine.connect() as db:
            subject = self._subject(db, ma, unit, kind)
            query = select(versions.c.id, versions.c.so).where(versions.c.doi_tuong_id == subject.id)
            query = query.where(versions.c.so == version) if version else query.order_by(versions.c.so.desc()).limit(1)
            chosen = db.execute(query).first()
            if chosen is None:
                raise UsageError(f"Đối tượng '{ma}' không có phiên bản {version}.")
            listed = db.execute(select(files.c.ten, files.c.sha256).where(files.c.phien_ban_id == chosen.id)).all()
        suffix = "_khen_thuong" if subject.loai == "khen_thuong" else ""
        out = private_dir(target / f"{ma}{suffix}_v{chosen.so}")
        for name, sha in listed:
            blob = self._blob(sha)
            if not blob.is_file() or _sha256(blob) != sha:
                raise InputError(f"Tệp {name} trong kho bị thiếu hoặc đã bị sửa; chạy `hoso archive verify`.", file=str(self.folder))
            shutil.copyfile(blob, out / name)
            os.chmod(out / name, 0o600)
        return out
