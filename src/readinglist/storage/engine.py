"""Opening the library database: engine, SQLite pragmas, read and write transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, exc, text
from sqlalchemy.orm import Session, sessionmaker

from readinglist.core.errors import StorageError
from readinglist.storage.connection import (
    BUSY_TIMEOUT_MS, apply_pragmas, describe_db_error)

__all__ = ["BUSY_TIMEOUT_MS", "Database", "describe_db_error"]


def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    apply_pragmas(dbapi_connection)


def _on_begin(connection) -> None:  # type: ignore[no-untyped-def]
    if connection.get_execution_options().get("immediate"):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.exec_driver_sql("BEGIN")


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

    def check_readable(self) -> None:
        """Raise ``StorageError`` if the file is not a SQLite database we can read."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT count(*) FROM sqlite_master")).scalar()
        except (exc.DBAPIError, sqlite3.Error) as error:
            raise StorageError(describe_db_error(error, self.path)) from error

    def close(self) -> None:
        self.engine.dispose()


