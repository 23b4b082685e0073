"""The one interface every sync remote implements, and the errors transports raise."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from readinglist.core.errors import ReadinglistError


class SyncError(ReadinglistError):
    """Sync could not complete; the message says why and what to do."""


class OfflineError(SyncError):
    """The remote cannot be reached (no network, server down, timeouts)."""


class RemoteError(SyncError):
    """The remote answered with an error that retrying will not fix."""


class AuthError(RemoteError):
    """The remote refused the credentials."""


class RemoteMissingError(SyncError):
    """The remote looks empty, moved or foreign while we have synced there (safety valve)."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One child of a remote directory."""

    name: str
    is_dir: bool = False
    size: int = -1


# Files other tools leave behind that readers must ignore (SYNC.md §3.2).
_IGNORED = re.compile(r"(\.sync-conflict-|\(conflicted copy|^\.syncthing\..*\.tmp$|^~\$|^\.)",
                      re.IGNORECASE)


def ignored_name(name: str) -> bool:
    """True for conflict copies, temporary files of sync tools and hidden files."""
    return bool(_IGNORED.search(name))


class RemoteStorage(Protocol):
    """Dumb storage: each file is written once under a new name, or overwritten by its one owner.

    Paths are relative, ``/``-separated, without a leading slash.
    """

    description: str
    tmp_prefix: str  # names this device's uploads in tmp/ (set by the engine)

    def list(self, path: str) -> list[Entry]:
        """Children of a directory; an empty list if it does not exist."""

    def get(self, path: str) -> bytes | None:
        """The file's bytes, or None if it does not exist."""

    def put_new(self, path: str, data: bytes) -> bool:
        """Publish a file that must not exist yet (temporary name, then move without overwrite).

        Returns False, writing nothing, if the path already exists.
        """

    def put(self, path: str, data: bytes) -> None:
        """Write or replace a file this device alone owns (``devices/<me>.json``)."""

    def delete(self, path: str) -> None:
        """Remove a file; missing files are fine."""

    def mkdirs(self, path: str) -> None:
        """Create a directory and its parents; existing ones are fine."""

    def root_exists(self) -> bool:
        """Whether the sync root itself exists (a renamed or unmounted root does not)."""

    def close(self) -> None:
        """Release connections."""
