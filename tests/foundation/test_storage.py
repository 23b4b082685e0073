"""Storage: migrations with backups, corrupt files, full disks and a locked database."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from readinglist.core.errors import StorageError
from readinglist.services.library import Library
from readinglist.storage import migrate
from readinglist.storage.engine import Database
from readinglist.storage.models import Base
from tests.foundation.factories import record


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_models_match_the_migrated_schema(tmp_path: Path) -> None:
    db = Database(tmp_path / "lib.sqlite3")
    migrate.ensure_schema(db)
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [d for d in diff if "_fts" not in repr(d)] == []  # FTS5 tables are not models
    assert migrate.current_revision(db) == migrate.HEAD_REVISION


def test_upgrade_from_first_revision_keeps_data_and_backs_up(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite3"
    db = Database(path)
    migrate.upgrade(db, "0001")
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO papers (id, key, arxiv_id, version, title, authors, authors_text, "
            "abstract, categories, withdrawn, added_at, meta_rank, read, starred, archived, "
            "deleted, tags_text, sources_text, note, note_conflict, published) VALUES (1, "
            "'2406.05821', '2406.05821', 1, 'Old title', '[\"A\"]', 'A', 'abs', '[]', 0, "
            "'2026-01-01', '', 1, 0, 0, 0, '', '', 'kept note', 0, '2026-01-01')")
    db.close()
    library = Library(path)
    assert library.backup_path and Path(library.backup_path).exists()
    assert migrate.current_revision(library.db) == migrate.HEAD_REVISION
    paper = library.get("2406.05821")
    assert (paper.title, paper.read, paper.note) == ("Old title", True, "kept note")
    assert library.list(query="kept")  # FTS survived the upgrade
    library.add_annotation("2406.05821", "note", 0, comment="new table works")
    library.close()
    with sqlite3.connect(library.backup_path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    with sqlite3.connect(path) as conn:  # 0004: the larger FTS buffer for bulk writes
        assert conn.execute("SELECT v FROM papers_fts_config WHERE k = 'hashsize'"
                            ).fetchone() == (32 * 1024 * 1024,)


def test_corrupt_file_is_reported_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite3"
    path.write_bytes(b"this is not a database" * 300)
    before = _digest(path)
    with pytest.raises(StorageError, match="damaged or is not a readinglist database"):
        Library(path)
    assert _digest(path) == before


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE stuff (x)")
    with pytest.raises(StorageError, match="not a readinglist library"):
        Library(path)


def test_full_disk_rolls_back_the_whole_transaction(library: Library) -> None:
    library.merge_records([record("2406.00001")])
    connection = library.store.connection()  # this thread's connection, used by the service
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    connection.execute(f"PRAGMA max_page_count = {pages + 2}")
    big = [record(f"2406.{i:05d}", abstract="x" * 5000) for i in range(2, 400)]
    with pytest.raises(StorageError, match="full"):
        library.merge_records(big)
    assert [p.key for p in library.list(view="all")] == ["2406.00001"]
    connection.execute("PRAGMA max_page_count = 1073741823")
    assert library.merge_records([record("2406.00002")]).new == 1


def test_locked_database_waits_then_works(library: Library) -> None:
    library.merge_records([record()])
    blocker = sqlite3.connect(library.db.path, isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")
    released = threading.Event()

    def release() -> None:
        time.sleep(0.8)
        blocker.execute("COMMIT")
        released.set()

    threading.Thread(target=release).start()
    started = time.monotonic()
    library.mark(["2406.05821"], "read", True)
    assert released.is_set() and time.monotonic() - started >= 0.7
    assert library.get("2406.05821").read
    blocker.close()


def test_reader_is_not_blocked_by_a_writer(library: Library) -> None:
    library.merge_records([record()])
    blocker = sqlite3.connect(library.db.path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    blocker.execute("UPDATE papers SET title = 'uncommitted'")
    started = time.monotonic()
    assert library.get("2406.05821").title == "Paper 2406.05821"
    assert time.monotonic() - started < 0.5
    blocker.execute("ROLLBACK")
    blocker.close()
