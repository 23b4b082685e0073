"""The sync service: set up a remote, run rounds (from any thread), report status."""

from __future__ import annotations

import os
import threading
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from readinglist.services.config import Settings
from readinglist.services.library import Library
from readinglist.services.paths import LibraryPaths
from readinglist.sync import credentials, state
from readinglist.sync.engine import SETUP_HINT, DeviceInfo, SyncEngine, SyncReport
from readinglist.sync.folder import FolderStorage
from readinglist.sync.storage_api import OfflineError, RemoteStorage, SyncError
from readinglist.sync.webdav import WebDavStorage, check_url


class NotConfiguredError(SyncError):
    """Sync has not been set up for this library."""


class MissingPasswordError(SyncError):
    """A WebDAV setup without a password, and none kept in the keychain for that account."""


_LOCKS: weakref.WeakKeyDictionary[Library, threading.RLock] = weakref.WeakKeyDictionary()
_LOCKS_GUARD = threading.Lock()


def _library_lock(library: Library) -> threading.RLock:
    """One lock per open library, shared by all its ``SyncService``s (the app's rounds, the
    Preferences tab's setup): a setup or turn-off waits for a round in progress, which would
    otherwise record the old remote's progress after the reset for the new one."""
    with _LOCKS_GUARD:
        lock = _LOCKS.get(library)
        if lock is None:
            lock = _LOCKS[library] = threading.RLock()
        return lock


@dataclass(frozen=True)
class SyncStatus:
    """Where this library syncs and how far it got."""

    configured: bool
    transport: str = ""
    location: str = ""
    user: str = ""
    encrypted: bool = False
    device_id: str = ""
    last_sync: str | None = None
    last_error: str | None = None
    pending: int = 0
    devices: dict[str, int] = field(default_factory=dict)

    @property
    def last_sync_shown(self) -> str:
        """When the last round went through, as people read it ("" if never)."""
        return str(self.last_sync or "")[:16].replace("T", " ")

    def lines(self) -> list[str]:
        if not self.configured:
            return ["sync is not set up (readinglist sync setup folder PATH | webdav URL)"]
        who = f" as {self.user}" if self.user else ""
        out = [f"remote: {self.transport} {self.location}{who}"
               + (" (end-to-end encrypted)" if self.encrypted else ""),
               f"this device: {self.device_id}",
               f"last sync: {self.last_sync or 'never'}",
               f"changes waiting to be sent: {self.pending}"]
        if self.last_error:
            out.append(f"last error: {self.last_error}")
        out += [f"received from {d}: up to #{s}" for d, s in sorted(self.devices.items())]
        return out


class SyncService:
    """Sync for one library; ``sync_once`` may run on a worker thread."""

    def __init__(self, library: Library, paths: LibraryPaths,
                 settings: Settings | None = None) -> None:
        self.library = library
        self.paths = paths
        self.settings = settings or Settings.load(paths.config)
        self._lock = _library_lock(library)
        self.engine_options: dict[str, Any] = {}
        self.transport: Any = None  # an httpx transport for WebDAV (tests inject faults here)

    # -- configuration -------------------------------------------------------------------------

    @property
    def config(self) -> dict[str, Any]:
        """The sync settings, re-read so that a setup made meanwhile (say, in the CLI) counts."""
        if self.paths.config.exists():  # turned off elsewhere (empty) counts too
            return dict(Settings.load(self.paths.config).sync)
        return dict(self.settings.sync)

    def _location(self, config: dict[str, Any]) -> str:
        return str(config.get("url") or config.get("path") or "")

    def _save_config(self, config: dict[str, Any], passphrase: str | None,
                     root_id: str) -> None:
        self.settings.reload(self.paths.config)  # keep what was changed meanwhile elsewhere
        previous = self._location(self.settings.sync)
        location = self._location(config)
        if passphrase:
            try:
                credentials.save(credentials.passphrase_account(location), passphrase,
                                 what="encryption passphrase", env=credentials.PASSPHRASE_ENV)
            except credentials.NoKeychainError:
                if passphrase != os.environ.get(credentials.PASSPHRASE_ENV):
                    raise  # headless use reads it from the environment each time
        meta = state.all_meta(self.library)
        if ((previous and previous != location) or meta.get("location") not in (None, location)
                or meta.get("root_id") not in (None, root_id)):
            # a new place, or the user confirms a replaced one: start from scratch there
            # (never carry sync state across locations, Zotero #3535)
            state.reset(self.library)
        before, self.settings.sync = self.settings.sync, config
        self.settings.save(self.paths.config)
        for account in self._secrets(before) - self._secrets(config):
            credentials.forget(account)  # the previous remote's: nothing uses them any more

    def turn_off(self) -> bool:
        """Stop syncing: forget the remote and its secrets. The library and its sync state
        stay, so turning the same remote on again continues where it left off. Returns
        whether sync was on."""
        with self._lock:
            return self._turn_off()

    def _turn_off(self) -> bool:
        before = self.config
        if not before.get("transport"):
            return False
        self.settings.reload(self.paths.config)  # keep what was changed meanwhile elsewhere
        self.settings.sync = {}
        self.settings.save(self.paths.config)
        for account in self._secrets(before):
            credentials.forget(account)
        return True

    def _secrets(self, config: dict[str, Any]) -> set[str]:
        """The keychain accounts a sync configuration uses."""
        accounts = set()
        if config.get("transport") == "webdav" and config.get("user"):
            accounts.add(credentials.password_account(str(config["url"]), str(config["user"])))
        if config.get("encrypt"):
            accounts.add(credentials.passphrase_account(self._location(config)))
        return accounts

    def setup_folder(self, path: Path | str, passphrase: str | None = None,
                     pdfs: bool = False) -> None:
        """Sync through a folder (Syncthing, Dropbox, a mounted share); checks it first."""
        folder = Path(path).expanduser().resolve()
        if folder.exists() and not folder.is_dir():
            raise SyncError(f"{folder} is a file, not a folder: choose a folder; nothing was "
                            "set up")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise SyncError(f"cannot create the sync folder {folder}: {error.strerror}"
                            ) from None
        config = {"transport": "folder", "path": str(folder), "encrypt": bool(passphrase),
                  "pdfs": pdfs}
        with self._lock:
            root_id = self._probe(config, None, passphrase)
            self._save_config(config, passphrase, root_id)

    def setup_webdav(self, url: str, user: str, password: str | None,
                     passphrase: str | None = None, pdfs: bool = False) -> None:
        """Sync through a WebDAV server; the password goes to the keychain, never to config."""
        url = check_url(url)
        if not user:
            raise SyncError("a WebDAV user name is needed (--user NAME)")
        account = credentials.password_account(url, user)
        given = password is not None
        if password is None:
            password = credentials.load(account)
            if password is None:
                raise MissingPasswordError(f"no password given: pipe it to --password-stdin "
                                           f"or set {credentials.PASSWORD_ENV}")
        config = {"transport": "webdav", "url": url, "user": user, "encrypt": bool(passphrase),
                  "pdfs": pdfs}
        with self._lock:
            root_id = self._probe(config, password, passphrase)
            if given:  # from the environment: headless use, nothing to store
                credentials.save(account, password)
            self._save_config(config, passphrase, root_id)

    def _probe(self, config: dict[str, Any], password: str | None,
               passphrase: str | None) -> str:
        """Open the remote (checking credentials and passphrase) before saving anything.

        Returns the remote root's id (``format.json`` is created on a fresh remote).
        """
        remote = self._remote(config, password)
        try:
            return SyncEngine(self.library, remote, passphrase=passphrase,
                              encrypt=bool(passphrase)).open_root()
        except OfflineError as error:  # a setup is not retried: say that nothing was set up
            reason = str(error).split("; nothing was lost")[0]
            raise SyncError(f"{reason}; nothing was set up") from None
        finally:
            remote.close()

    def _remote(self, config: dict[str, Any], password: str | None = None) -> RemoteStorage:
        if config.get("transport") == "folder":
            return FolderStorage(Path(str(config["path"])))
        if config.get("transport") == "webdav":
            url, user = str(config["url"]), str(config.get("user") or "")
            if password is None and user:
                password = credentials.load(credentials.password_account(url, user))
                if password is None:
                    raise SyncError(f"no password for {user} at {url} in the keychain; set "
                                    f"sync up again ({SETUP_HINT} webdav) or set "
                                    f"{credentials.PASSWORD_ENV}")
            return WebDavStorage(url, user or None, password, transport=self.transport)
        raise NotConfiguredError("sync is not set up; run `readinglist sync setup folder PATH` "
                                 "or `readinglist sync setup webdav URL --user NAME`")

    # -- rounds --------------------------------------------------------------------------------

    def _engine(self, config: dict[str, Any], remote: RemoteStorage) -> SyncEngine:
        passphrase = None
        if config.get("encrypt"):
            passphrase = credentials.load(
                credentials.passphrase_account(self._location(config)),
                env=credentials.PASSPHRASE_ENV, what="encryption passphrase")
            if not passphrase:
                raise SyncError("the encryption passphrase is not in the keychain; set sync "
                                f"up again with it ({SETUP_HINT} ... --encrypt)")
        options = dict(self.engine_options)
        if config.get("pdfs"):
            options.setdefault("pdf_root", self.paths.pdf_cache)
        return SyncEngine(self.library, remote, passphrase=passphrase,
                          encrypt=bool(config.get("encrypt")), **options)

    def sync_once(self) -> SyncReport:
        """One round: push, pull, merge. Raises ``SyncError`` with a user-facing message."""
        with self._lock:
            config = self.config
            remote = self._remote(config)
            try:
                return self._engine(config, remote).run()
            except SyncError as error:
                state.set_meta(self.library, {"last_error": str(error)})
                raise
            finally:
                remote.close()

    def devices(self) -> list[DeviceInfo]:
        """The devices syncing through the remote (this one included)."""
        with self._lock:
            config = self.config
            remote = self._remote(config)
            try:
                return self._engine(config, remote).devices()
            finally:
                remote.close()

    def forget_device(self, device: str) -> bool:
        """Stop waiting for a retired device (see ``SyncEngine.forget_device``)."""
        with self._lock:
            config = self.config
            remote = self._remote(config)
            try:
                return self._engine(config, remote).forget_device(device.strip().lower())
            finally:
                remote.close()

    def fetch_pdf(self, sha256: str, dest: Path) -> Path | None:
        """Download a PDF another device synced, by content hash; None if the remote lacks it.

        Safe from a worker thread; the file is verified against the hash before it is written.
        """
        config = self.config
        remote = self._remote(config)
        try:
            return self._engine(config, remote).fetch_pdf(sha256, Path(dest))
        finally:
            remote.close()

    def status(self) -> SyncStatus:
        config = self.config
        if not config.get("transport"):
            return SyncStatus(configured=False, device_id=self.library.device_id)
        meta = state.all_meta(self.library)
        pushed = int(meta.get("pushed_seq", 0))
        return SyncStatus(
            configured=True, transport=str(config["transport"]), location=self._location(config),
            user=str(config.get("user") or ""), encrypted=bool(config.get("encrypt")),
            device_id=self.library.device_id, last_sync=meta.get("last_sync"),
            last_error=meta.get("last_error"),
            pending=state.count_after(self.library, self.library.device_id, pushed),
            devices=state.load_vv(self.library))
