"""Audit regressions: the sync indicator at window close, fetching after sleep and offline,
a rule typed in Preferences but not added, offscreen with pytest-qt and real local servers."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from readinglist.core.models import Subscription
from readinglist.services.config import Settings
from readinglist.services.library import Library
from readinglist.services.paths import library_paths
from readinglist.services.sync import SyncService
from readinglist.sync import credentials
from readinglist.ui.controllers.fetch import OFFLINE_RETRY_S
from readinglist.ui.sync_status import SyncIndicator
from tests.gui.conftest import idle


class SilentServer:
    """Accepts TCP connections on 127.0.0.1 and never answers (a server that hangs)."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def stop(self) -> None:
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes accept(): new connections refused
        except OSError:
            pass
        self.listener.close()
        self.thread.join(5)
        for conn in self.accepted:
            conn.close()


@pytest.fixture
def silent_server() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.stop()


def test_closing_the_window_during_a_stuck_sync_round_does_not_hang(
        qtbot: Any, library: Library, silent_server: SilentServer) -> None:
    paths = library_paths()
    url = f"http://127.0.0.1:{silent_server.port}/sync/"
    settings = Settings.load(paths.config)
    settings.sync = {"transport": "webdav", "url": url, "user": "alice", "encrypt": False,
                     "pdfs": False}
    settings.save(paths.config)
    credentials.save(credentials.password_account(url, "alice"), "secret")
    widget = SyncIndicator(SyncService(library, paths), debounce_ms=10, period_ms=600_000)
    qtbot.addWidget(widget)
    widget.SHUTDOWN_WAIT_S = 1.0
    qtbot.waitUntil(lambda: widget.state == "syncing" and bool(silent_server.accepted),
                    timeout=10_000)
    began = time.monotonic()
    widget.shutdown()  # the round waits for an answer for minutes (timeouts and retries)
    assert time.monotonic() - began < 5
    round_thread = widget._worker_thread
    assert round_thread is not None and round_thread.daemon  # it cannot keep the app running
    silent_server.stop()  # the round now fails fast; let it end before the library closes
    round_thread.join(30)
    assert not round_thread.is_alive()


@pytest.fixture
def hourly(settings: Settings) -> Settings:
    settings.fetch_interval_minutes = 60
    return settings


def test_a_machine_that_slept_through_the_hourly_fetch_fetches_on_waking(
        qtbot: Any, make_window: Any, library: Library, hourly: Settings) -> None:
    window = make_window()
    fetch = window.fetch
    assert fetch.timer.isActive() and fetch.clock.isActive()
    fetch.fetch_if_due()  # just started: not due
    assert not fetch.running
    # the Qt timer stood still during the sleep; the wall clock says an hour went by
    fetch.last_started -= 3601
    fetch.clock.setInterval(20)
    with qtbot.waitSignal(fetch.started, timeout=5000):
        pass
    qtbot.waitUntil(lambda: not fetch.running, timeout=20_000)
    assert fetch.timer.remainingTime() > 59 * 60_000  # the next one an hour from now
    fetch.clock.stop()
    idle(qtbot, window)


def test_an_offline_fetch_is_retried_within_minutes_not_an_hour(
        qtbot: Any, make_window: Any, library: Library, hourly: Settings) -> None:
    library.subscribe_feed(Subscription("hf-daily"))  # its server is a closed local port
    window = make_window()
    fetch = window.fetch
    fetch.fetch_now()
    qtbot.waitUntil(lambda: not fetch.running, timeout=20_000)
    assert fetch.offline and window.view.banner.kind == "offline"
    fetch.last_started -= OFFLINE_RETRY_S - 30  # not yet
    fetch.fetch_if_due()
    assert not fetch.running
    fetch.last_started -= 31  # five minutes later, still offline: try again
    with qtbot.waitSignal(fetch.started, timeout=5000):
        fetch.fetch_if_due()
    qtbot.waitUntil(lambda: not fetch.running, timeout=20_000)
    assert fetch.offline
    idle(qtbot, window)


def test_a_rule_typed_in_preferences_is_kept_when_ok_is_pressed(
        qtbot: Any, make_window: Any, library: Library) -> None:
    from readinglist.services.rules import RuleBook

    window = make_window()
    dialog = window.open_preferences()
    qtbot.addWidget(dialog)
    tab = dialog.rules_tab
    tab.name.setText("Vision")
    tab.query.setText("diffusion")  # no action ticked yet
    dialog.accept()  # OK without "Add rule": the dialog stays and says what is missing
    assert dialog.isVisible() and dialog.tabs.currentWidget() is tab
    assert "needs an action" in tab.error.text()
    tab.tags.setText("vision")
    dialog.accept()
    assert not dialog.isVisible()
    idle(qtbot, window)
    [rule] = RuleBook(library).all()
    assert (rule.name, rule.query, rule.tags) == ("Vision", "diffusion", ("vision",))
