"""Shared helpers for the sync tests: replicas, canonical state dumps, a fault-injecting remote."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from readinglist.core.models import PaperRecord
from readinglist.services.library import Library
from readinglist.sync.engine import SyncEngine, SyncReport
from readinglist.sync.storage_api import Entry, OfflineError, RemoteStorage

_PAPER_COLUMNS = ("key", "arxiv_id", "version", "doi", "title", "authors", "abstract",
                  "categories", "primary_category", "published", "hf_upvotes", "withdrawn",
                  "listed_on", "added_at", "read", "starred", "archived", "archived_at",
                  "deleted", "tags_text", "sources_text", "note", "note_conflict")


def canonical(library: Library) -> dict[str, Any]:
    """Everything a user can see (and the merge state behind it), in a comparable form."""
    with library.store.transaction() as conn:

        def rows(sql: str) -> list[tuple[Any, ...]]:
            return sorted(tuple(r) for r in conn.exec_driver_sql(sql).all())

        return {
            "papers": rows(f"SELECT {', '.join(_PAPER_COLUMNS)} FROM papers"),
            "sources": rows("SELECT p.key, s.source, s.first_seen FROM paper_sources s "
                            "JOIN papers p ON p.id = s.paper_id"),
            "tags": rows("SELECT p.key, t.name FROM paper_tags pt JOIN papers p ON "
                         "p.id = pt.paper_id JOIN tags t ON t.id = pt.tag_id"),
            "tag_adds": rows("SELECT add_id, paper_key, tag, removed FROM tag_adds"),
            "notes": rows("SELECT op_id, paper_key, text, deps, superseded FROM note_versions"),
            "annotations": rows("SELECT id, paper_key, pdf_hash, kind, page, quads, text, "
                                "comment, color, created, modified, deleted FROM annotations"),
            "positions": rows("SELECT paper_key, device_id, page, offset, hlc FROM positions"),
            "settings": rows("SELECT key, value FROM synced_settings"),
            "clocks": rows("SELECT entity, entity_id, field, hlc, device_id, value "
                           "FROM field_clocks"),
        }


def record(key_number: int, title: str = "", version: int = 1,
           source: str = "manual") -> PaperRecord:
    """A small paper record with an arXiv-style key."""
    arxiv = f"2401.{key_number:05d}"
    return PaperRecord(key=arxiv, title=title or f"Paper {key_number}",
                       arxiv_id=arxiv, version=version, authors=("Ada Lovelace",),
                       abstract="An abstract.", categories=("cs.LG",), primary_category="cs.LG",
                       published=date(2024, 1, 2), source=source)


def open_library(folder: Path) -> Library:
    folder.mkdir(parents=True, exist_ok=True)
    return Library(folder / "library.sqlite3")


def sync(library: Library, remote: RemoteStorage, **options: Any) -> SyncReport:
    return SyncEngine(library, remote, **options).run()


class FaultyRemote:
    """Wraps a real remote; tests arm faults that fire on the next matching call."""

    def __init__(self, inner: RemoteStorage) -> None:
        self.inner = inner
        self.description = inner.description
        self.calls: list[tuple[str, str]] = []
        self.faults: list[tuple[str, Callable[[str], bool], str]] = []
        self._lock = threading.Lock()

    @property
    def tmp_prefix(self) -> str:
        return getattr(self.inner, "tmp_prefix", "")

    @tmp_prefix.setter
    def tmp_prefix(self, value: str) -> None:
        self.inner.tmp_prefix = value

    def arm(self, method: str, action: str, match: Callable[[str], bool] = lambda p: True
            ) -> None:
        """Next ``method`` call whose path matches: ``offline``, ``half`` (torn upload)."""
        self.faults.append((method, match, action))

    def _fault(self, method: str, path: str) -> str | None:
        with self._lock:
            self.calls.append((method, path))
            for index, (name, match, action) in enumerate(self.faults):
                if name == method and match(path):
                    del self.faults[index]
                    return action
        return None

    def root_exists(self) -> bool:
        self._fault("root_exists", "")
        return self.inner.root_exists()

    def list(self, path: str) -> list[Entry]:
        if self._fault("list", path) == "offline":
            raise OfflineError("injected: connection dropped")
        return self.inner.list(path)

    def get(self, path: str) -> bytes | None:
        action = self._fault("get", path)
        if action == "offline":
            raise OfflineError("injected: timeout")
        data = self.inner.get(path)
        if action == "truncate" and data:
            return data[: len(data) // 2]
        return data

    def put_new(self, path: str, data: bytes) -> bool:
        action = self._fault("put_new", path)
        if action == "offline":
            raise OfflineError("injected: connection dropped before upload")
        if action == "half":  # half the bytes reach tmp/, then the connection drops
            self.inner.put(f"tmp/{self.tmp_prefix}torn.part", data[: len(data) // 2])
            raise OfflineError("injected: connection dropped mid-upload")
        if action == "lost-answer":  # the file is published but the reply never arrives
            self.inner.put_new(path, data)
            raise OfflineError("injected: reply lost")
        return self.inner.put_new(path, data)

    def put(self, path: str, data: bytes) -> None:
        if self._fault("put", path) == "offline":
            raise OfflineError("injected: connection dropped")
        self.inner.put(path, data)

    def delete(self, path: str) -> None:
        self._fault("delete", path)
        self.inner.delete(path)

    def mkdirs(self, path: str) -> None:
        self._fault("mkdirs", path)
        self.inner.mkdirs(path)

    def close(self) -> None:
        self.inner.close()
