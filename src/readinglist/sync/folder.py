"""Folder transport: a directory kept in step by Syncthing, Dropbox, Nextcloud or a share."""

from __future__ import annotations

import errno
import os
import uuid
from pathlib import Path

from readinglist.sync.storage_api import Entry, OfflineError, RemoteError


def _describe(error: OSError, path: Path) -> str:
    if error.errno == errno.ENOSPC:
        return f"the disk holding the sync folder {path} is full"
    if error.errno in (errno.EACCES, errno.EPERM):
        return f"no permission to write in the sync folder {path}"
    return f"cannot use the sync folder {path}: {error.strerror or error}"


class FolderStorage:
    """A local folder as the remote: files go to ``tmp/``, are fsynced, then linked in place."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).expanduser()
        self.description = str(self.root)
        self.tmp_prefix = ""

    def _path(self, path: str) -> Path:
        parts = [p for p in path.split("/") if p]
        if any(p in ("..", ".") for p in parts):
            raise RemoteError(f"refusing an unsafe remote path {path!r}")
        return self.root.joinpath(*parts)

    def _check_root(self) -> None:
        if not self.root.is_dir():
            raise OfflineError(f"the sync folder {self.root} does not exist "
                               "(renamed, removed or not mounted?)")

    def root_exists(self) -> bool:
        return self.root.is_dir()

    def list(self, path: str) -> list[Entry]:
        target = self._path(path)
        entries: list[Entry] = []
        try:
            with os.scandir(target) as it:
                for item in it:
                    try:  # a sync tool may remove or replace a file while we look
                        is_dir = item.is_dir()
                        entries.append(Entry(item.name, is_dir,
                                             -1 if is_dir else item.stat().st_size))
                    except FileNotFoundError:
                        continue
        except (FileNotFoundError, NotADirectoryError):
            return []
        except OSError as error:
            raise RemoteError(_describe(error, target)) from error
        return entries

    def get(self, path: str) -> bytes | None:
        target = self._path(path)
        try:
            return target.read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            return None
        except OSError as error:
            raise RemoteError(_describe(error, target)) from error

    def _write_tmp(self, data: bytes) -> Path:
        self._check_root()
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(exist_ok=True)
        tmp = tmp_dir / f"{self.tmp_prefix}{uuid.uuid4().hex}.part"
        try:
            with open(tmp, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as error:
            tmp.unlink(missing_ok=True)
            raise RemoteError(_describe(error, tmp)) from error
        return tmp

    def put_new(self, path: str, data: bytes) -> bool:
        target = self._path(path)
        tmp = self._write_tmp(data)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(tmp, target)  # fails if the target exists: no overwrite, ever
            except FileExistsError:
                return False
            except OSError as error:
                if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
                    raise
                if target.exists():  # file systems without hard links
                    return False
                os.rename(tmp, target)
            _fsync_dir(target.parent)
            return True
        except OSError as error:
            raise RemoteError(_describe(error, target)) from error
        finally:
            tmp.unlink(missing_ok=True)

    def put(self, path: str, data: bytes) -> None:
        target = self._path(path)
        tmp = self._write_tmp(data)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, target)
            _fsync_dir(target.parent)
        except OSError as error:
            tmp.unlink(missing_ok=True)
            raise RemoteError(_describe(error, target)) from error

    def delete(self, path: str) -> None:
        target = self._path(path)
        try:
            target.unlink(missing_ok=True)
        except OSError as error:
            raise RemoteError(_describe(error, target)) from error

    def mkdirs(self, path: str) -> None:
        target = self._path(path)
        if target != self.root:
            self._check_root()
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise RemoteError(_describe(error, target)) from error

    def close(self) -> None:
        """Nothing to release."""


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
