"""Plain sqlite3 access to the library file: pragmas, per-thread connections, transactions.

The service layer's hot paths use this directly (no SQLAlchemy import on the CLI's start-up
path); SQLAlchemy (``storage.engine``) serves migrations and code that prefers sessions.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from readinglist.core.errors import StorageError

BUSY_TIMEOUT_MS = 30_000


def apply_pragmas(connection: sqlite3.Connection) -> None:
    """WAL, foreign keys, a busy timeout so the GUI and the CLI can share the file."""
    connection.isolation_level = None  # we issue BEGIN ourselves
    cursor = connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA cache_size=-32000")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


def describe_db_error(error: BaseException, path: Path) -> str:
    """A user-facing sentence for a SQLite failure."""
    message = str(getattr(error, "orig", None) or error).lower()
    if "disk is full" in message or "database or disk is full" in message or (
            "disk i/o error" in message and _nearly_full(path.parent)):
        return f"the disk holding {path} is full; nothing was written (free some space and retry)"
    if any(m in message for m in ("unable to open", "readonly", "read-only")) and (
            path.parent.is_dir() and not os.access(path.parent, os.W_OK)):
        return (f"the library folder {path.parent} is read-only; readinglist needs to write "
                "there even to read the library (make it writable, or copy the library to a "
                "folder chosen with READINGLIST_HOME)")
    if "not a database" in message or "malformed" in message or "corrupt" in message:
        return (f"the library database {path} is damaged or is not a readinglist database; "
                "it was left untouched (restore a backup or move it aside)")
    if "locked" in message or "busy" in message:
        return f"the library database {path} stayed locked by another program; try again"
    if "readonly" in message or "read-only" in message:
        return f"the library database {path} is read-only"
    if "unable to open" in message:
        return f"cannot open the library database {path}"
    return f"database error in {path}: {message}"


def _nearly_full(folder: Path) -> bool:
    """True when the disk holding ``folder`` has less than 1 MB free (SQLite then reports
    growing its shared-memory file as a disk I/O error)."""
    try:
        return shutil.disk_usage(folder).free < 1_000_000
    except OSError:
        return False


class RawResult:
    """The few SQLAlchemy ``Result`` methods our queries use, over a sqlite3 cursor."""

    __slots__ = ("_cursor",)

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    def scalar(self) -> Any:
        row = self._cursor.fetchone()
        return row[0] if row else None

    def first(self) -> Any:
        return self._cursor.fetchone()

    def one(self) -> Any:
        row = self._cursor.fetchone()
        if row is None:
            raise LookupError("query returned no row")
        return row

    def all(self) -> list[Any]:
        return self._cursor.fetchall()

    def __iter__(self) -> Iterator[Any]:
        return iter(self._cursor)


class RawConnection:
    """A sqlite3 connection with the ``exec_driver_sql`` call shape used across storage."""

    __slots__ = ("_db",)

    def __init__(self, dbapi_connection: sqlite3.Connection) -> None:
        self._db = dbapi_connection

    def exec_driver_sql(self, sql: str, params: Any = ()) -> RawResult:
        if isinstance(params, list):
            return RawResult(self._db.executemany(sql, params))
        return RawResult(self._db.execute(sql, params))

    @property
    def sqlite(self) -> sqlite3.Connection:
        return self._db


class SqliteStore:
    """One connection per thread to the library file; ``transaction()`` yields a RawConnection."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []

    def connection(self) -> sqlite3.Connection:
        """This thread's connection (opened on first use)."""
        connection = getattr(self._local, "connection", None)
        if connection is None:
            try:
                connection = sqlite3.connect(self.path, check_same_thread=False,
                                             timeout=BUSY_TIMEOUT_MS / 1000)
                apply_pragmas(connection)
            except sqlite3.Error as error:
                raise StorageError(describe_db_error(error, self.path)) from error
            self._local.connection = connection
            with self._lock:
                self._connections.append(connection)
        return connection

    @contextmanager
    def transaction(self, write: bool = False) -> Iterator[RawConnection]:
        """A write (``BEGIN IMMEDIATE``) or read transaction; nested calls join the outer one."""
        connection = self.connection()
        if connection.in_transaction:
            yield RawConnection(connection)
            return
        try:
            connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            yield RawConnection(connection)
            connection.execute("COMMIT")
        except BaseException as error:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            if isinstance(error, sqlite3.Error):
                raise StorageError(describe_db_error(error, self.path)) from error
            raise

    def check_readable(self) -> None:
        """Raise ``StorageError`` if the file is not a SQLite database we can read."""
        try:
            self.connection().execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as error:
            raise StorageError(describe_db_error(error, self.path)) from error

    def close(self) -> None:
        with self._lock:
            for connection in self._connections:
                try:
                    connection.close()
                except sqlite3.Error:
                    pass
            self._connections.clear()
        self._local = threading.local()
