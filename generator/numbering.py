"""Document numbers ("Số 12-QĐ/ĐU"): one register per issuer, document type and committee term.

HD 36-HD/VPTW 1.3.1: each body numbers from 01 for each document type within one committee
term; a number is never given to two documents and never skipped without a record.

Evaluation periods do not enter the register: a series runs on across the quarters and years of
a term (a body's report for Quý III and its report for the year take the next numbers of the same
series) and restarts only with a new term. The term is the one that holds the document's own date
(``ngay_lap``, the day passed to ``Register.number``), not the start or end of its period: a
quarter that a term boundary cuts in two numbers its documents in the term of each one's date.

A run numbers its documents in three steps, so that no interruption can print one number on
two different documents:

1. assign (``Register.number``) inside a short SQLite write transaction: a new number is the
   highest of its series + 1; a concurrent run waits for the transaction, never gets the
   same number, and a failure here rolls back (no number consumed);
2. reserve (``Register.reserve``): commit the numbers with status ``du_tru`` (reserved) and
   the run's process identity (``lan_chay``) *before* any file is rendered or published;
3. confirm (``Register.confirm``), document by document right after its files are
   published: ``da_dung`` (used).

A run that fails after step 2 (an error, Ctrl-C, SystemExit) settles its unconfirmed numbers
before it stops (``Register.release``):

- a document it had not started to publish printed nothing: its new number is deleted if
  it is still the highest of its series (no number consumed), otherwise it stays as a gap
  ``bo_trong`` (left blank) with the reason in ``ly_do``;
- the document it was publishing may be out: its number stays ``du_tru`` with the reason.

A run killed outright cannot write anything: its numbers stay ``du_tru``, and the next run
that opens the register sees that their run (pid and start time) is gone and writes the
reason. Gaps are queryable: ``SELECT * FROM so_van_ban WHERE trang_thai != 'da_dung'``.

A gap is never given to another document (new numbers always go above the highest). The
same document (same identity: unit folder and path, or the form's path) rendered again takes
its own number back, whatever its status, which is no duplicate; once published, the gap
is closed (``da_dung``).

Registers made before these columns existed are migrated in place (ALTER TABLE); their rows
were only ever committed after publishing, so they are ``da_dung``.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .errors import ConfigError, HosoError
from .output import private_dir, process_alive, process_token

RESERVED, USED, BLANK = "du_tru", "da_dung", "bo_trong"

SCHEMA = """
CREATE TABLE IF NOT EXISTS so_van_ban (
    co_quan    TEXT NOT NULL,   -- issuing body: its name and code, e.g. "ĐẢNG ỦY XÃ HÒA BÌNH|ĐU"
    loai       TEXT NOT NULL,   -- document type code, e.g. "QĐ"
    nhiem_ky   TEXT NOT NULL,   -- committee term, e.g. "2020-08-15..2025-08-31"
    so         INTEGER NOT NULL,
    van_ban    TEXT NOT NULL,   -- identity of the document (unit folder and relative path)
    ngay_cap   TEXT NOT NULL,
    trang_thai TEXT NOT NULL DEFAULT 'da_dung',  -- du_tru (reserved) | da_dung (used) | bo_trong (left blank)
    ly_do      TEXT,            -- why a number is not (yet) used: the run that stopped, and how
    lan_chay   TEXT,            -- the run that reserved it: "<pid> <process start time>"
    PRIMARY KEY (co_quan, loai, nhiem_ky, so),
    UNIQUE (co_quan, loai, nhiem_ky, van_ban)
)
"""
ADDED_COLUMNS = {
    "trang_thai": "TEXT NOT NULL DEFAULT 'da_dung'",
    "ly_do": "TEXT",
    "lan_chay": "TEXT",
}


def data_home() -> Path:
    """hoso's private data folder: $HOSO_DATA, else ~/.local/share/hoso (created owner-only)."""
    return private_dir(Path(os.environ.get("HOSO_DATA") or Path.home() / ".local" / "share" / "hoso"))


def term_of(settings: dict, issuer_code: str, day: dt.date) -> str:
    """The committee term (nhiệm kỳ) of an issuer on a date, from the settings' ``nhiem_ky`` list."""
    for term in settings["nhiem_ky"]:
        if term.get("ky_hieu_co_quan") in (None, issuer_code) and dt.date.fromisoformat(term["tu"]) <= day <= dt.date.fromisoformat(term["den"]):
            return f"{term['tu']}..{term['den']}"
    raise ConfigError(
        f"Chưa có nhiệm kỳ nào của cơ quan '{issuer_code}' bao gồm ngày {day:%d/%m/%Y} trong thiết lập địa phương "
        "(khóa nhiem_ky: [{ky_hieu_co_quan, tu, den}]); cần nhiệm kỳ để đánh số văn bản (Hướng dẫn 36-HD/VPTW, mục 1.3.1)."
    )


@dataclass
class _Held:
    """A number this run reserved: its key, whether it is new, what it was before, whether publishing began."""

    key: tuple[str, str, str, str]
    so: int
    previous: tuple[str, str | None, str | None] | None = None
    publishing: bool = False


_KEY = "co_quan=? AND loai=? AND nhiem_ky=? AND van_ban=?"


class Register:
    """An open numbering session: ``number`` → ``reserve`` → publish (``publishing``, ``confirm``)."""

    def __init__(self, connection: sqlite3.Connection):
        self.db = connection
        self.run = process_token()
        self.held: dict[str, _Held] = {}
        self.reserved = False

    def number(self, issuer: str, doc_type: str, term: str, document: str, day: dt.date) -> int:
        """The number of a document: its own if the register has one for it, else the next of the series.

        ``day`` is the document's date (its ``ngay_lap``), recorded as the day the number was given.
        """
        if self.reserved:
            raise RuntimeError("numbers are assigned before Register.reserve()")
        key = (issuer, doc_type, term, document)
        row = self.db.execute(f"SELECT so, trang_thai, ly_do, lan_chay FROM so_van_ban WHERE {_KEY}", key).fetchone()
        if row:
            so, state, reason, run = row
            if state == RESERVED and run != self.run and run and process_alive(run):
                return so  # a live run is publishing this same document with this number: share it, do not take it over
            if state != USED and document not in self.held:
                # The same document takes back its own reserved or blank number: not a duplicate.
                self.db.execute(f"UPDATE so_van_ban SET trang_thai=?, ly_do=NULL, lan_chay=? WHERE {_KEY}", (RESERVED, self.run, *key))
                self.held[document] = _Held(key, so, previous=(state, reason, run))
            return so
        (last,) = self.db.execute(
            "SELECT COALESCE(MAX(so), 0) FROM so_van_ban WHERE co_quan=? AND loai=? AND nhiem_ky=?", key[:3]
        ).fetchone()
        self.db.execute(
            "INSERT INTO so_van_ban (co_quan, loai, nhiem_ky, so, van_ban, ngay_cap, trang_thai, ly_do, lan_chay) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)",
            (issuer, doc_type, term, last + 1, document, day.isoformat(), RESERVED, self.run),
        )
        self.held[document] = _Held(key, last + 1)
        return last + 1

    def reserve(self) -> None:
        """Commit the assigned numbers as reserved; call before anything is published."""
        if not self.reserved:
            try:
                self.db.execute("COMMIT")
            except sqlite3.Error as exc:
                raise ConfigError(f"Không ghi được số văn bản vào sổ đăng ký: {exc}; chưa phát hành văn bản nào.") from exc
            self.reserved = True

    def publishing(self, document: str) -> None:
        """Note that a document's files are being published: from now on its number may be out."""
        if document in self.held:
            self.held[document].publishing = True

    def confirm(self, document: str) -> None:
        """Mark a document's number used, once its files are published."""
        held = self.held.get(document)
        if held is None:
            return
        try:
            self.db.execute(f"UPDATE so_van_ban SET trang_thai=?, ly_do=NULL WHERE {_KEY} AND lan_chay=?", (USED, *held.key, self.run))
        except sqlite3.Error as exc:
            raise ConfigError(
                f"Đã phát hành văn bản số {held.so:02d} nhưng chưa ghi được xác nhận vào sổ đăng ký: {exc}. "
                "Số vẫn được giữ cho chính văn bản này; chạy lại lệnh để xác nhận."
            ) from exc
        del self.held[document]

    def confirm_all(self) -> None:
        for document in list(self.held):
            self.confirm(document)

    def release(self, why: str) -> None:
        """Settle the numbers of a run that stops before confirming them (see the module docstring)."""
        if not self.held:
            return
        stamp = dt.datetime.now().strftime("%d/%m/%Y %H:%M")
        pid = self.run.split(" ")[0]
        self.db.execute("BEGIN IMMEDIATE")
        try:
            fresh = []
            for held in self.held.values():
                mine = (*held.key, self.run)
                if held.publishing:
                    reason = (f"{stamp}: lần chạy (tiến trình {pid}) dừng khi đang phát hành văn bản này ({why}); "
                              "văn bản có thể đã ra với số này. Số không cấp cho văn bản khác; tạo lại chính văn bản này thì dùng lại số.")
                    self.db.execute(f"UPDATE so_van_ban SET ly_do=? WHERE {_KEY} AND lan_chay=?", (reason, *mine))
                elif held.previous is not None:
                    self.db.execute(f"UPDATE so_van_ban SET trang_thai=?, ly_do=?, lan_chay=? WHERE {_KEY} AND lan_chay=?",
                                    (*held.previous, *mine))
                else:
                    fresh.append(held)
            for held in sorted(fresh, key=lambda h: -h.so):
                (top,) = self.db.execute("SELECT MAX(so) FROM so_van_ban WHERE co_quan=? AND loai=? AND nhiem_ky=?", held.key[:3]).fetchone()
                if top == held.so:
                    self.db.execute(f"DELETE FROM so_van_ban WHERE {_KEY} AND lan_chay=?", (*held.key, self.run))
                else:
                    reason = (f"{stamp}: bỏ trống vì lần chạy (tiến trình {pid}) dừng trước khi phát hành văn bản này ({why}) "
                              "mà số sau đã cấp cho văn bản khác. Không văn bản nào mang số này; tạo lại chính văn bản này thì dùng lại số.")
                    self.db.execute(f"UPDATE so_van_ban SET trang_thai=?, ly_do=? WHERE {_KEY} AND lan_chay=?", (BLANK, reason, *held.key, self.run))
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise
        self.held.clear()


def _describe(exc: BaseException) -> str:
    if isinstance(exc, KeyboardInterrupt):
        return "bị ngắt bằng Ctrl-C"
    if isinstance(exc, SystemExit):
        return "bị dừng"
    if isinstance(exc, HosoError):
        return f"lỗi: {exc.message}"
    return f"lỗi {type(exc).__name__}: {exc}"


def _migrate(db: sqlite3.Connection) -> None:
    """Create the table, or add the columns an older register lacks (inside the caller's write transaction)."""
    db.execute(SCHEMA)
    have = {row[1] for row in db.execute("PRAGMA table_info(so_van_ban)")}
    for column, decl in ADDED_COLUMNS.items():
        if column not in have:
            db.execute(f"ALTER TABLE so_van_ban ADD COLUMN {column} {decl}")


def _note_stopped_runs(db: sqlite3.Connection) -> None:
    """Write why the reserved numbers of runs that died without a word (killed) are not confirmed."""
    runs = [r for (r,) in db.execute(f"SELECT DISTINCT lan_chay FROM so_van_ban WHERE trang_thai='{RESERVED}' AND ly_do IS NULL AND lan_chay IS NOT NULL")]
    stamp = dt.datetime.now().strftime("%d/%m/%Y %H:%M")
    for run in runs:
        if process_alive(run):
            continue
        reason = (f"{stamp}: lần chạy (tiến trình {run.split(' ')[0]}) đã giữ số này rồi dừng đột ngột trước khi xác nhận; "
                  "văn bản có thể đã ra với số này. Số không cấp cho văn bản khác; tạo lại chính văn bản này thì dùng lại số.")
        db.execute(f"UPDATE so_van_ban SET ly_do=? WHERE trang_thai='{RESERVED}' AND ly_do IS NULL AND lan_chay=?", (reason, run))


def _create_private(path: Path) -> None:
    """Create the register file owner-only (0600); an existing file keeps its mode."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(fd)
    os.chmod(path, 0o600)


@contextmanager
def register(path: Path | None = None, wait_s: float = 600) -> Iterator[Register]:
    """Open the register in a write transaction for assigning numbers.

    Ending the block normally confirms every number still held; an error before
    ``reserve()`` rolls back, an error after it releases the numbers (module docstring).
    Raises ConfigError when the register cannot be opened or stays locked for ``wait_s``.
    """
    path = path or data_home() / "so_van_ban.sqlite"
    try:
        private_dir(path.parent)
        _create_private(path)
        db = sqlite3.connect(path, timeout=wait_s, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise ConfigError(f"Không mở được sổ đăng ký số văn bản {path}: {exc}") from exc
    try:
        try:
            db.execute("BEGIN IMMEDIATE")
            _migrate(db)
            _note_stopped_runs(db)
        except sqlite3.Error as exc:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise ConfigError(f"Không dùng được sổ đăng ký số văn bản {path} (tệp hỏng, không phải SQLite, hoặc bị khóa quá {wait_s:g} giây): {exc}") from exc
        reg = Register(db)
        try:
            yield reg
        except BaseException as exc:
            if not reg.reserved:
                if db.in_transaction:
                    db.execute("ROLLBACK")
            else:
                try:
                    reg.release(_describe(exc))
                except sqlite3.Error:
                    pass  # the numbers stay reserved; the next run notes that this one stopped
            raise
        reg.confirm_all()
        if not reg.reserved:
            db.execute("COMMIT")
    finally:
        db.close()
