"""Document numbers ("Số 12-QĐ/ĐU"): one register per issuer, document type and committee term.

HD 36-HD/VPTW 1.3.1: each body numbers from 01 for each document type within one committee
term; numbers are never reused or skipped. A run holds one SQLite write transaction from its
first assignment until its outputs are published: a failed run rolls back (no number
consumed) and a concurrent run waits for it (no number given twice).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import ConfigError
from .output import private_dir

SCHEMA = """
CREATE TABLE IF NOT EXISTS so_van_ban (
    co_quan   TEXT NOT NULL,      -- issuing body: its name and code, e.g. "ĐẢNG ỦY XÃ HÒA BÌNH|ĐU"
    loai      TEXT NOT NULL,      -- document type code, e.g. "QĐ"
    nhiem_ky  TEXT NOT NULL,      -- committee term, e.g. "2020-08-15..2025-08-31"
    so        INTEGER NOT NULL,
    van_ban   TEXT NOT NULL,      -- identity of the document (unit folder and relative path)
    ngay_cap  TEXT NOT NULL,
    PRIMARY KEY (co_quan, loai, nhiem_ky, so),
    UNIQUE (co_quan, loai, nhiem_ky, van_ban)
);
"""


def data_home() -> Path:
    """hoso's private data folder: $HOSO_DATA, else ~/.local/share/hoso (owner-only)."""
    return private_dir(Path(os.environ.get("HOSO_DATA") or Path.home() / ".local" / "share" / "hoso"))


def term_of(locality: dict, issuer_code: str, day: dt.date) -> str:
    """The committee term (nhiệm kỳ) of an issuer on a date, from the locality's ``nhiem_ky`` list."""
    for term in locality.get("nhiem_ky") or []:
        if term.get("ky_hieu_co_quan") in (None, issuer_code) and dt.date.fromisoformat(term["tu"]) <= day <= dt.date.fromisoformat(term["den"]):
            return f"{term['tu']}..{term['den']}"
    raise ConfigError(
        f"Chưa có nhiệm kỳ nào của cơ quan '{issuer_code}' bao gồm ngày {day:%d/%m/%Y} trong thiết lập địa phương "
        "(khóa nhiem_ky: [{ky_hieu_co_quan, tu, den}]); cần nhiệm kỳ để đánh số văn bản (Hướng dẫn 36-HD/VPTW, mục 1.3.1)."
    )


class Register:
    """An open numbering session; ``number`` assigns or returns the number of a document."""

    def __init__(self, connection: sqlite3.Connection):
        self.db = connection

    def number(self, issuer: str, doc_type: str, term: str, document: str, day: dt.date) -> int:
        row = self.db.execute(
            "SELECT so FROM so_van_ban WHERE co_quan=? AND loai=? AND nhiem_ky=? AND van_ban=?",
            (issuer, doc_type, term, document),
        ).fetchone()
        if row:
            return row[0]
        (last,) = self.db.execute(
            "SELECT COALESCE(MAX(so), 0) FROM so_van_ban WHERE co_quan=? AND loai=? AND nhiem_ky=?", (issuer, doc_type, term)
        ).fetchone()
        self.db.execute("INSERT INTO so_van_ban VALUES (?, ?, ?, ?, ?, ?)", (issuer, doc_type, term, last + 1, document, day.isoformat()))
        return last + 1


@contextmanager
def register(path: Path | None = None, wait_s: float = 600) -> Iterator[Register]:
    """Open the register and hold its write lock until the block ends; commit only on success."""
    path = path or data_home() / "so_van_ban.sqlite"
    private_dir(path.parent)
    db = sqlite3.connect(path, timeout=wait_s, isolation_level=None)
    try:
        os.chmod(path, 0o600)
        db.executescript(SCHEMA)
        db.execute("BEGIN IMMEDIATE")
        try:
            yield Register(db)
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
    finally:
        db.close()
