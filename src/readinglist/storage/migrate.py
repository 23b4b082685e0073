"""Bring a library file to the current schema: create it, or back it up and upgrade it.

The revision check uses plain sqlite3, so a library already at the head revision opens
without importing Alembic or SQLAlchemy.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from readinglist.core.errors import StorageError
from readinglist.storage.connection import apply_pragmas, describe_db_error

HEAD_REVISION = "0006"
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


class _HasPath(Protocol):
    path: Path

    def check_readable(self) -> None: ...


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config  # imported only when a migration runs

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def current_revision(target: _HasPath) -> str | None:
    """The revision stamped in the file, or None for an empty file."""
    try:
        connection = sqlite3.connect(target.path)
    except sqlite3.Error as error:
        raise StorageError(describe_db_error(error, target.path)) from error
    try:
        has_table = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'").fetchone()
        if not has_table:
            tables = connection.execute(
                "SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
            if tables:
                raise StorageError(f"{target.path} is not a readinglist library (it has other "
                                   "tables); it was left untouched")
            return None
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    except sqlite3.Error as error:
        raise StorageError(describe_db_error(error, target.path)) from error
    finally:
        connection.close()


def upgrade(target: _HasPath, revision: str = "head") -> None:
    """Run Alembic migrations up to ``revision`` on the file."""
    from alembic import command

    from readinglist.storage.engine import Database

    db = target if hasattr(target, "engine") else Database(target.path)
    try:
        with db.engine.begin() as connection:  # type: ignore[attr-defined]
            command.upgrade(_alembic_config(connection), revision)
    finally:
        if db is not target:
            db.close()  # type: ignore[attr-defined]


def backup(path: Path, revision: str) -> Path:
    """Copy the database (consistently, through SQLite's backup API) beside itself."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.{revision}.{stamp}.bak")
    source = sqlite3.connect(path)
    try:
        apply_pragmas(source)
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return target


def ensure_schema(target: _HasPath) -> str | None:
    """Create or upgrade the schema. Returns the backup's path when an upgrade ran.

    The revision is read first, through a plain connection: another program's database is
    refused before our pragmas (WAL) would change it.
    """
    revision = current_revision(target)
    target.check_readable()
    if revision == HEAD_REVISION:
        return None
    if revision is not None and revision.isdigit() and revision > HEAD_REVISION:
        raise StorageError(f"{target.path} was written by a newer readinglist (schema "
                           f"{revision}; this one knows up to {HEAD_REVISION}); it was left "
                           "untouched: update readinglist to open it")
    if revision is None:
        upgrade(target)
        return None
    try:
        saved = backup(target.path, revision)
    except (OSError, sqlite3.Error) as error:
        raise StorageError(f"could not back up {target.path} before upgrading it: {error}"
                           ) from error
    try:
        upgrade(target)
    except Exception as error:  # noqa: BLE001 - any failure must name the backup
        raise StorageError(
            f"upgrading {target.path} failed ({describe_db_error(error, target.path)}); "
            f"the file before the upgrade is saved as {saved}") from error
    return str(saved)
