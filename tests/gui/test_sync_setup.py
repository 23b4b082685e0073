"""Preferences → Sync: set sync up through a folder or a real WebDAV server (wsgidav on
127.0.0.1), see its status, turn it off; the status-bar indicator follows."""

from __future__ import annotations

from pathlib import Path

from readinglist.sync import credentials
from tests.gui.helpers import add_papers
from tests.sync.conftest import start_dav


def sync_tab(qtbot, window):
    dialog = window.open_preferences("Sync")
    qtbot.addWidget(dialog)
    assert dialog.tabs.currentWidget() is dialog.sync_tab
    return dialog, dialog.sync_tab


def test_a_folder_is_set_up_from_preferences_and_the_indicator_syncs(
        qtbot, make_window, library, tmp_path: Path):
    add_papers(library, 3)
    window = make_window()
    window._add_sync_widget()
    indicator = window.sync_widget
    assert indicator.state == "off"
    dialog, tab = sync_tab(qtbot, window)
    assert tab.status.text().startswith("Sync is off")
    assert not tab.turn_off.isEnabled()
    tab.use_folder.setChecked(True)
    tab.folder.setText(str(tmp_path / "shared"))
    tab.set_up.click()
    qtbot.waitUntil(lambda: not tab.busy, timeout=10_000)
    assert tab.result.text().startswith("Sync is set up"), tab.result.text()
    assert tab.status.text().startswith(f"Syncing through the folder {tmp_path / 'shared'}")
    qtbot.waitUntil(lambda: indicator.state == "idle", timeout=10_000)
    assert any((tmp_path / "shared" / "log").iterdir())  # the first round pushed

    tab.turn_off.click()
    qtbot.waitUntil(lambda: not tab.busy, timeout=10_000)
    assert tab.status.text().startswith("Sync is off")
    qtbot.waitUntil(lambda: indicator.state == "off", timeout=10_000)
    dialog.close()


def test_webdav_with_a_wrong_password_is_refused_then_set_up(qtbot, make_window, library,
                                                            tmp_path: Path):
    root = tmp_path / "dav"
    root.mkdir()
    server, thread, url = start_dav(root)
    try:
        window = make_window()
        dialog, tab = sync_tab(qtbot, window)
        tab.use_webdav.setChecked(True)
        tab.url.setText(f"{url}/sync/")
        tab.user.setText("alice")
        tab.password.setText("wrong")
        tab.set_up.click()
        qtbot.waitUntil(lambda: not tab.busy, timeout=15_000)
        assert tab.result.text().startswith("Not set up:"), tab.result.text()
        assert tab.status.text().startswith("Sync is off")

        tab.password.setText("secret")
        tab.encrypt.setChecked(True)
        tab.passphrase.setText("correct horse")
        tab.set_up.click()
        qtbot.waitUntil(lambda: not tab.busy, timeout=15_000)
        assert tab.result.text().startswith("Sync is set up"), tab.result.text()
        assert "as alice, end-to-end encrypted" in tab.status.text()
        assert tab.password.text() == "" and tab.passphrase.text() == ""
        account = credentials.password_account(f"{url}/sync/", "alice")
        assert credentials.load(account) == "secret"
        config = (window.paths.home / "config.json").read_text(encoding="utf-8")
        assert "secret" not in config and "correct horse" not in config
        dialog.close()
    finally:
        server.stop()
        thread.join(timeout=5)


def test_the_form_says_what_is_missing(qtbot, make_window):
    window = make_window()
    dialog, tab = sync_tab(qtbot, window)
    tab.use_folder.setChecked(True)
    tab.folder.setText("")
    tab.set_up.click()
    assert tab.result.text() == "Choose the folder your machines share."
    tab.use_webdav.setChecked(True)
    tab.set_up.click()
    assert tab.result.text() == "Give the WebDAV address and your user name."
    tab.encrypt.setChecked(True)
    tab.set_up.click()
    assert tab.result.text() == "Type the passphrase (the same on every machine)."
    dialog.close()
