"""Bring a library file to the current schema: create it, or back it up and upgrade it."""

from __future__ import annotations


import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from readinglist.core.errors import StorageError
from readinglist.storage.engine import Database, describe_db_error

HEAD_REVISION = "0003"
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def _alembic_config(connection):  # type: ignore[no-untyped-def]
    from alembic.config import Config  # imported only when a migration runs

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def current_revision(db: Database) -> str | None:
    """The revision stamped in the file, or None for an empty file."""
    with db.engine.connect() as connection:
        has_table = connection.execute(
            text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'")
        ).first()
        if not has_table:
            tables = connection.execute(
                text("SELECT count(*) FROM sqlite_master WHERE type='table'")).scalar()
            if tables:
                raise StorageError(f"{db.path} is not a readinglist library (it has other tables); "
                                   "it was left untouched")
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(db: Database, revision: str = "head") -> None:
    """Run Alembic migrations up to ``revision`` on the open database."""
    from alembic import command

    with db.engine.begin() as connection:
        command.upgrade(_alembic_config(connection), revision)


def backup(path: Path, revision: str) -> Path:
    """Copy the database (consistently, through SQLite's backup API) beside itself."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.{revision}.{stamp}.bak")
    source = sqlite3.connect(path)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return target


def ensure_schema(db: Database) -> str | None:
    """Create or upgrade the schema. Returns the backup path's name when an upgrade ran."""
    db.check_readable()
    revision = current_revision(db)
    if revision == HEAD_REVISION:
        return None
    if revision is None:
        upgrade(db)
        return None
    try:
        saved = backup(db.path, revision)
    except (OSError, sqlite3.Error) as error:
        raise StorageError(f"could not back up {db.path} before upgrading it: {error}") from error
    try:
        upgrade(db)
    except Exception as error:  # noqa: BLE001 - any failure must name the backup
        raise StorageError(
            f"upgrading {db.path} failed ({describe_db_error(error, db.path)}); "
            f"the file before the upgrade is saved as {saved}") from error
    return str(saved)


