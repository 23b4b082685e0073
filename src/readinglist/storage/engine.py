"""Opening the library database: engine, SQLite pragmas, read and write transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, exc, text
from sqlalchemy.orm import Session, sessionmaker

from readinglist.core.errors import StorageError

BUSY_TIMEOUT_MS = 30_000


def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA cache_size=-32000")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


def _on_begin(connection) -> None:  # type: ignore[no-untyped-def]
    if connection.get_execution_options().get("immediate"):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.exec_driver_sql("BEGIN")


def describe_db_error(error: BaseException, path: Path) -> str:
    """A user-facing sentence for a SQLite failure."""
    message = str(getattr(error, "orig", error) or error).lower()
    if "disk is full" in message or "database or disk is full" in message:
        return f"the disk holding {path} is full; nothing was written (free some space and retry)"
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


class Database:
    """The library file: a write transaction (``BEGIN IMMEDIATE``) or a read snapshot at a time."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.engine: Engine = create_engine(
            f"sqlite:///{self.path}",
            connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        )
        event.listen(self.engine, "connect", _on_connect)
        event.listen(self.engine, "begin", _on_begin)
        self._writer = self.engine.execution_options(immediate=True)
        self._read_sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(self._writer, expire_on_commit=False)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: committed on success, rolled back on any error."""
        try:
            with self._write_sessions.begin() as session:
                yield session
        except (exc.DBAPIError, sqlite3.Error) as error:
            raise StorageError(describe_db_error(error, self.path)) from error

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A consistent read snapshot."""
        try:
            with self._read_sessions.begin() as session:
                yield session
        except (exc.DBAPIError, sqlite3.Error) as error:
            raise StorageError(describe_db_error(error, self.path)) from error

    def raw(self) -> sqlite3.Connection:
        """A plain sqlite3 connection with the same pragmas (for benchmarks and hot reads)."""
        connection = sqlite3.connect(self.path, check_same_thread=False,
                                     timeout=BUSY_TIMEOUT_MS / 1000)
        _on_connect(connection, None)
        return connection

    def check_readable(self) -> None:
        """Raise ``StorageError`` if the file is not a SQLite database we can read."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT count(*) FROM sqlite_master")).scalar()
        except (exc.DBAPIError, sqlite3.Error) as error:
            raise StorageError(describe_db_error(error, self.path)) from error

    def close(self) -> None:
        self.engine.dispose()


class RawResult:
    """The few ``Result`` methods our queries use, over a plain sqlite3 cursor."""

    __slots__ = ("_cursor",)

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    def scalar(self):  # type: ignore[no-untyped-def]
        row = self._cursor.fetchone()
        return row[0] if row else None

    def first(self):  # type: ignore[no-untyped-def]
        return self._cursor.fetchone()

    def one(self):  # type: ignore[no-untyped-def]
        row = self._cursor.fetchone()
        if row is None:
            raise LookupError("query returned no row")
        return row

    def all(self) -> list:  # type: ignore[type-arg]
        return self._cursor.fetchall()

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._cursor)


class RawConnection:
    """The DB-API connection under a SQLAlchemy ``Connection``, inside the same transaction.

    Hot paths (op application, list queries) run thousands of small statements; going
    straight to sqlite3 avoids SQLAlchemy's per-statement overhead.
    """

    __slots__ = ("_db",)

    def __init__(self, dbapi_connection: sqlite3.Connection) -> None:
        self._db = dbapi_connection

    def exec_driver_sql(self, sql: str, params=()) -> RawResult:  # type: ignore[no-untyped-def]
        if isinstance(params, list):
            return RawResult(self._db.executemany(sql, params))
        return RawResult(self._db.execute(sql, params))


def raw(session_or_connection) -> RawConnection:  # type: ignore[no-untyped-def]
    """The raw connection for a Session or Connection (already inside its transaction)."""
    connection = getattr(session_or_connection, "connection", None)
    if callable(connection):  # a Session
        session_or_connection = connection()
    return RawConnection(session_or_connection.connection.driver_connection)
