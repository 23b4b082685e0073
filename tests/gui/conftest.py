"""GUI fixtures: a real main window over a real library, offscreen, with no real network."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every source points at a closed local port unless a test routes it to its server."""
    for name in ("READINGLIST_HF_URL", "READINGLIST_ARXIV_RSS_URL", "READINGLIST_ARXIV_API_URL"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    monkeypatch.setenv("READINGLIST_HTTP_RETRIES", "0")
    monkeypatch.setenv("READINGLIST_HTTP_TIMEOUT", "5")


@pytest.fixture
def settings() -> Any:
    from readinglist.services.config import Settings

    return Settings(fetch_on_start=False, mark_read="never", fetch_interval_minutes=0)


@pytest.fixture
def make_window(qtbot: Any, library: Any, settings: Any, isolated_home: Path
                ) -> Iterator[Callable[..., Any]]:
    """Build and start a ``MainWindow``; waits until the first list load is on screen."""
    from readinglist.services.paths import library_paths
    from readinglist.ui.controllers.main_window import MainWindow

    windows: list[Any] = []

    def make(fetch: bool = False, wait: bool = True) -> Any:
        window = MainWindow(library, library_paths(), settings)
        qtbot.addWidget(window.view)
        windows.append(window)
        window.triage.open_url = lambda url: window.opened.append(url.toString())
        window.opened = []
        window.start(fetch=fetch)
        if wait:
            qtbot.waitUntil(lambda: window.papers.loads >= 1 and window.tasks.pending == 0,
                            timeout=10_000)
        return window

    yield make
    for window in windows:
        window.shutdown()


def idle(qtbot: Any, window: Any, timeout: int = 10_000) -> None:
    """Wait until every background task has delivered its result."""
    qtbot.waitUntil(lambda: window.tasks.pending == 0 and not window.papers.loading,
                    timeout=timeout)
