"""Audit of Preferences → Sync, ``SyncService.turn_off`` and ``readinglist sync off``: mistakes
people make, a remote switched back and forth, a dialog closed mid-check, rounds running during
a setup, and secrets kept out of config, database and logs (real wsgidav on 127.0.0.1, real
keyring backend, real folders)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from readinglist.cli.main import run
from readinglist.services.paths import library_paths
from readinglist.services.sync import SyncService
from readinglist.sync import credentials
from readinglist.sync.folder import FolderStorage
from tests.gui.helpers import add_papers
from tests.sync.conftest import start_dav
from tests.sync.helpers import open_library, sync
from tests.helpers.readonly import read_only


@pytest.fixture
def dav_site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A real WebDAV server (alice / secret): its base URL and its root folder."""
    root = tmp_path / "davroot"
    root.mkdir()
    server, thread, url = start_dav(root)
    yield url, root
    server.stop()
    thread.join(timeout=5)


def sync_tab(qtbot, window):
    dialog = window.open_preferences("Sync")
    qtbot.addWidget(dialog)
    return dialog, dialog.sync_tab


def set_up(qtbot, tab, url: str, password: str = "", passphrase: str = "") -> str:
    """Fill the WebDAV form, press "Set up and sync", and wait for the answer."""
    tab.use_webdav.setChecked(True)
    tab.url.setText(url)
    tab.user.setText("alice")
    tab.password.setText(password)
    tab.encrypt.setChecked(bool(passphrase))
    tab.passphrase.setText(passphrase)
    tab.set_up.click()
    qtbot.waitUntil(lambda: not tab.busy, timeout=20_000)
    return tab.result.text()


def test_no_password_asks_for_one_not_for_a_command_line_flag(
        qtbot, make_window, dav_site) -> None:
    url, _root = dav_site
    window = make_window()
    dialog, tab = sync_tab(qtbot, window)
    text = set_up(qtbot, tab, f"{url}/sync/")
    assert text.startswith("Not set up: type the password"), text
    assert "--password-stdin" not in text and "READINGLIST_" not in text
    dialog.close()


def test_an_address_naming_a_file_says_so(qtbot, make_window, dav_site) -> None:
    url, root = dav_site
    (root / "notes.txt").write_text("not a folder", encoding="utf-8")
    window = make_window()
    dialog, tab = sync_tab(qtbot, window)
    text = set_up(qtbot, tab, f"{url}/notes.txt", password="secret")
    assert text == f"Not set up: {url}/notes.txt/ is a file on the WebDAV server, not a " \
                   "folder: check the address", text
    assert (root / "notes.txt").read_text(encoding="utf-8") == "not a folder"
    dialog.close()


def test_a_password_typed_into_a_mistyped_address_is_not_shown(qtbot, make_window) -> None:
    window = make_window()
    dialog, tab = sync_tab(qtbot, window)
    text = set_up(qtbot, tab, "htps://alice:hunter2@cloud.example.org/dav/", password="x")
    assert text.startswith("Not set up: put the user name"), text
    assert "hunter2" not in text
    dialog.close()


def test_a_failed_change_says_that_sync_goes_on(qtbot, make_window, dav_site) -> None:
    url, _root = dav_site
    window = make_window()
    dialog, tab = sync_tab(qtbot, window)
    assert set_up(qtbot, tab, f"{url}/sync/", "secret", "correct horse").startswith(
        "Sync is set up")
    text = set_up(qtbot, tab, f"{url}/sync/", "secret", "wrong horse")
    assert text.startswith("Nothing changed, sync goes on as before: wrong passphrase"), text
    assert tab.status.text().startswith(f"Syncing through the WebDAV server {url}/sync/")
    dialog.close()


def test_a_turn_off_that_cannot_be_saved_says_sync_is_still_on(
        qtbot, make_window, tmp_path: Path) -> None:
    window = make_window()
    dialog, tab = sync_tab(qtbot, window)
    tab.use_folder.setChecked(True)
    tab.folder.setText(str(tmp_path / "shared"))
    tab.set_up.click()
    qtbot.waitUntil(lambda: not tab.busy, timeout=10_000)
    with read_only(window.paths.home):
        tab.turn_off.click()
        qtbot.waitUntil(lambda: not tab.busy, timeout=10_000)
    assert tab.result.text().startswith("Sync is still on: "), tab.result.text()
    assert tab.status.text().startswith("Syncing through the folder")
    dialog.close()


def test_closing_the_dialog_while_checking_still_sets_sync_up(
        qtbot, make_window, library, tmp_path: Path) -> None:
    add_papers(library, 2)
    window = make_window()
    window._add_sync_widget()
    dialog, tab = sync_tab(qtbot, window)
    tab.use_folder.setChecked(True)
    tab.folder.setText(str(tmp_path / "shared"))
    tab.set_up.click()
    dialog.reject()  # Cancel at once: the setup goes on, as the tab's text says
    qtbot.waitUntil(lambda: window.sync_widget.state == "idle", timeout=15_000)
    assert SyncService(library, window.paths).status().location == str(tmp_path / "shared")
    assert any((tmp_path / "shared" / "log").iterdir())


def test_folder_webdav_off_and_on_again_continues_where_it_left_off(
        capsys, library, dav_site, tmp_path: Path, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    url, _root = dav_site
    add_papers(library, 3)
    paths = library_paths()
    service = SyncService(library, paths)
    service.setup_folder(tmp_path / "shared")
    service.sync_once()
    service.setup_webdav(f"{url}/sync/", "alice", "secret", "correct horse")
    assert service.sync_once().pushed == 3
    account = credentials.password_account(f"{url}/sync/", "alice")
    assert credentials.load(account) == "secret"

    assert run(["sync", "off"]) == 0
    assert "sync is off" in capsys.readouterr().out
    assert credentials.load(account) is None
    assert credentials.load(credentials.passphrase_account(f"{url}/sync/")) is None
    assert run(["sync", "off"]) == 0
    assert capsys.readouterr().out == "sync was not set up\n"

    service.setup_webdav(f"{url}/sync/", "alice", "secret", "correct horse")
    add_papers(library, 1, start=10)
    report = service.sync_once()
    assert report.pushed == 1  # only what is new: it continued where it left off
    other = open_library(tmp_path / "other")
    try:
        other_service = SyncService(other, library_paths(tmp_path / "other"))
        other_service.setup_webdav(f"{url}/sync/", "alice", "secret", "correct horse")
        other_service.sync_once()
        assert len(other.list("all")) == 4
    finally:
        other.close()

    stored = [paths.config.read_bytes(), *(p.read_bytes() for p in paths.home.iterdir()
                                          if p.name.startswith("library.sqlite3"))]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in (b"secret", b"correct horse"):
        assert not any(secret in blob for blob in stored)
        assert secret.decode() not in logged


class GatedTransport(httpx.HTTPTransport):
    """A real HTTP transport that holds the first PUT until the test lets it go."""

    def __init__(self) -> None:
        super().__init__()
        self.entered = threading.Event()
        self.release = threading.Event()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PUT" and not self.release.is_set():
            self.entered.set()
            self.release.wait(timeout=20)
        return super().handle_request(request)


def test_a_setup_waits_for_the_round_in_progress(library, dav_site, tmp_path: Path) -> None:
    url, _root = dav_site
    add_papers(library, 3)
    paths = library_paths()
    app_service = SyncService(library, paths)  # the app's, running rounds
    app_service.setup_webdav(f"{url}/sync/", "alice", "secret")
    gate = app_service.transport = GatedTransport()
    round_thread = threading.Thread(target=app_service.sync_once)
    round_thread.start()
    assert gate.entered.wait(timeout=20)  # the round is pushing to the WebDAV server
    tab_service = SyncService(library, paths)  # Preferences → Sync's
    setup = threading.Thread(target=tab_service.setup_folder, args=(tmp_path / "shared",))
    setup.start()
    setup.join(timeout=1.0)
    waited = setup.is_alive()
    gate.release.set()
    round_thread.join(timeout=20)
    setup.join(timeout=20)
    assert waited  # the new location's state is not reset under the running round
    report = SyncService(library, paths).sync_once()
    assert report.pushed == 3  # all of it reaches the new folder
    other = open_library(tmp_path / "other")
    try:
        sync(other, FolderStorage(tmp_path / "shared"))
        assert len(other.list("all")) == 3
    finally:
        other.close()
