"""Pacing requests to arXiv: one connection at a time, at least 3 seconds between requests.

arXiv's terms ask for at most one request every three seconds over a single connection, for the
API, the RSS listings and PDFs alike, so one process-wide ``Pacer`` serves all of them
(``arxiv_pacer()``; the PDF downloader uses it too). The gap is measured from the end of one
request to the start of the next. ``READINGLIST_ARXIV_DELAY`` (seconds) changes the gap for tests
and benchmarks; ``0`` turns pacing off.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from readinglist.core.errors import SourceError

log = logging.getLogger(__name__)

DEFAULT_ARXIV_DELAY = 3.0
ARXIV_DELAY_ENV = "READINGLIST_ARXIV_DELAY"


class Cancelled(SourceError):
    """The user stopped the fetch (a cancel event was set while waiting)."""


def sleep(seconds: float, cancel: threading.Event | None = None) -> None:
    """Sleep, waking early and raising ``Cancelled`` if ``cancel`` is set."""
    if seconds <= 0:
        if cancel is not None and cancel.is_set():
            raise Cancelled("cancelled")
        return
    if cancel is None:
        time.sleep(seconds)
    elif cancel.wait(seconds):
        raise Cancelled("cancelled")


def _env_seconds(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        log.warning("ignoring %s=%r: not a number of seconds", name, raw)
        return default
    return value if value >= 0 else default


class Pacer:
    """One request at a time, with at least ``delay`` seconds between consecutive requests."""

    def __init__(self, name: str, default_delay: float, env: str | None = None) -> None:
        self.name = name
        self.default_delay = default_delay
        self.env = env
        self._override: float | None = None
        self._lock = threading.Lock()
        self._last_end: float | None = None

    @property
    def delay(self) -> float:
        """The configured gap: an explicit ``set_delay``, else the environment, else the default."""
        if self._override is not None:
            return self._override
        if self.env:
            return _env_seconds(self.env, self.default_delay)
        return self.default_delay

    def set_delay(self, seconds: float | None) -> None:
        """Override the gap for this process (``None`` goes back to environment/default)."""
        if seconds is not None and seconds < 0:
            raise ValueError("a delay cannot be negative")
        self._override = seconds

    def reset(self) -> None:
        """Forget the previous request (tests)."""
        with self._lock:
            self._last_end = None

    @contextmanager
    def slot(self, cancel: threading.Event | None = None) -> Iterator[None]:
        """Hold the only connection; waits until ``delay`` has passed since the previous request."""
        while not self._lock.acquire(timeout=0.1):
            if cancel is not None and cancel.is_set():
                raise Cancelled("cancelled")
        try:
            if self._last_end is not None:
                sleep(self._last_end + self.delay - time.monotonic(), cancel)
            try:
                yield
            finally:
                self._last_end = time.monotonic()
        finally:
            self._lock.release()


_ARXIV = Pacer("arXiv", DEFAULT_ARXIV_DELAY, ARXIV_DELAY_ENV)


def arxiv_pacer() -> Pacer:
    """The process-wide pacer shared by every request to arXiv (API, RSS, PDF)."""
    return _ARXIV
