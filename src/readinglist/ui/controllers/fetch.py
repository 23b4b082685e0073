"""Fetching in the background: progress in the status bar, errors in the banner, tray notice."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from readinglist.core.text import counted
from readinglist.ui.qt import QObject, QSystemTrayIcon, QTimer, Signal
from readinglist.ui.tasks import Tasks, describe_error
from readinglist.ui.views.main_view import MainView

log = logging.getLogger(__name__)
_OFFLINE_WORDS = ("offline", "connect", "resolve", "network", "unreachable", "name or service",
                  "no route", "temporary failure", "could not reach", "cannot reach", "timed out")


def looks_offline(error: str) -> bool:
    lowered = error.lower()
    return any(word in lowered for word in _OFFLINE_WORDS)


CLOCK_CHECK_MS = 60_000  # how often the wall clock is compared with the last fetch
OFFLINE_RETRY_S = 5 * 60  # offline: try again this often, not just at the next interval

_SOURCE_NAMES = {"hf-daily": "Hugging Face Daily", "arxiv-rss": "arXiv listings",
                 "arxiv-query": "arXiv search", "rss": "feed"}


def summarise_errors(errors: list[Any]) -> str:
    """One short sentence: failures grouped by source and message (a week of HF days is one)."""
    groups: dict[tuple[str, str], list[Any]] = {}
    for result in errors:
        groups.setdefault((str(getattr(result, "source", "")), str(result.error)),
                          []).append(result)
    parts = []
    for (source, error), results in groups.items():
        if len(results) == 1 or source not in _SOURCE_NAMES:
            name = readable_label(str(getattr(results[0], "label", "") or source))
        else:
            name = f"{_SOURCE_NAMES[source]} ({len(results)} fetches)"
        parts.append(f"{name}: {error}")
    return "; ".join(parts)


def readable_progress(text: str) -> str:
    """A fetch service's progress line for the status bar: "hf-daily 2026-11-22: fetching"
    reads "Hugging Face Daily, Sun 22 Nov: fetching…"; "…: 8 new, 0 updated", "…: 8 new"."""
    label, colon, rest = text.partition(": ")
    if not colon or label.partition(" ")[0] not in _SOURCE_NAMES:
        return text
    rest = rest.removesuffix(", 0 updated")
    rest = "fetching…" if rest == "fetching" else rest
    return f"{readable_label(label)}: {rest}"


def readable_label(label: str) -> str:
    """A fetch's label for people: "hf-daily 2026-11-22" reads "Hugging Face Daily, Sun 22
    Nov"; "arxiv-rss cs.CL" "arXiv listings, cs.CL"; "rss URL" "Feed example.org"."""
    kind, _space, target = label.partition(" ")
    if kind not in _SOURCE_NAMES:
        return label
    name = _SOURCE_NAMES[kind]
    if kind == "hf-daily":
        try:
            day = date.fromisoformat(target)
            target = f"{day:%a} {day.day} {day:%b}"
        except ValueError:
            pass
    elif kind == "rss":
        from urllib.parse import urlsplit

        return f"Feed {urlsplit(target).netloc or target}".strip()
    return f"{name}, {target}" if target else name


def _names(ids: Sequence[str]) -> str:
    """``2406.05821``, ``2406.05821 and 2501.00001``, or ``5 papers``."""
    if len(ids) <= 2:
        return " and ".join(ids)
    return f"{len(ids)} papers"


def _results(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


class FetchController(QObject):
    """Runs ``FetchService`` jobs one at a time on the network pool."""

    started = Signal()
    finished = Signal(list)
    day_done = Signal(object, object)  # date, error text or None
    ids_done = Signal(list)  # results of ``fetch_ids`` and ``search_arxiv``

    def __init__(self, library: Any, settings: Any, paths: Any, tasks: Tasks, view: MainView,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.settings = settings
        self.paths = paths
        self.tasks = tasks
        self.view = view
        self.running = False
        self.offline = False
        self.ran_once = False
        self.cancel_event = threading.Event()
        self.last_results: list[Any] = []
        self.notifications: list[str] = []
        self._service: Any = None
        self._service_lock = threading.Lock()
        self.service_factory: Callable[[], Any] = self._make_service
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.fetch_now)
        # Qt's timers stand still while the machine sleeps: after a night with the lid
        # closed the hourly fetch would come up to an hour late. The wall clock does not.
        self.last_started = time.time()
        self.clock = QTimer(self)
        self.clock.setInterval(CLOCK_CHECK_MS)
        self.clock.timeout.connect(self.fetch_if_due)
        self.tray: QSystemTrayIcon | None = None
        view.banner.action_clicked.connect(self.fetch_now)

    def _make_service(self) -> Any:
        from readinglist.services.fetch import FetchService

        return FetchService(self.library, self.settings, self.paths)

    def service(self) -> Any:
        """The fetch service, built on first use (its import of httpx runs off the GUI thread
        when the first call comes from a job)."""
        with self._service_lock:
            if self._service is None:
                self._service = self.service_factory()
            return self._service

    def schedule(self) -> None:
        """Apply the fetch interval from the settings (0 turns the timer off)."""
        minutes = int(self.settings.fetch_interval_minutes)
        if minutes > 0:
            self.timer.start(minutes * 60_000)
            self.clock.start()
        else:
            self.timer.stop()
            self.clock.stop()

    def fetch_if_due(self) -> None:
        """Fetch when the interval has passed by the wall clock (the machine slept through
        the timer), or a few minutes after a fetch that found the network down."""
        if not self.timer.isActive() or self.running:  # fetching off, or shut down
            return
        wait = self.timer.interval() / 1000
        if self.offline:
            wait = min(wait, OFFLINE_RETRY_S)
        if time.time() - self.last_started >= wait:
            self.fetch_now()

    def set_tray(self, tray: QSystemTrayIcon | None) -> None:
        self.tray = tray

    # -- fetching subscriptions ----------------------------------------------------------------

    def fetch_now(self) -> None:
        if self.running:
            self.view.status_text.setText("A fetch is already running…")
            return
        self.running = True
        self.last_started = time.time()
        if self.timer.isActive():
            self.timer.start()  # the next one an interval from now
        self.settings.reload(self.paths.config)  # 'readinglist config' may have changed it
        self.cancel_event = threading.Event()
        cancel = self.cancel_event
        self.view.progress.show()
        self.view.status_text.setText("Fetching…")
        self.started.emit()

        def progress(text: str) -> None:
            self.tasks.call_soon(
                lambda: self.view.status_text.setText(readable_progress(str(text))))

        self.tasks.network(
            lambda: self.service().fetch_subscriptions(progress=progress, cancel=cancel),
            self._done, self._failed)

    def cancel(self) -> None:
        self.cancel_event.set()

    def _failed(self, error: BaseException) -> None:
        self.running = False
        self.ran_once = True
        self.view.progress.hide()
        text = describe_error(error)
        self.view.status_text.setText("Fetch failed")
        if looks_offline(text):
            self._show_offline(text)
        else:
            self.view.banner.show_message(f"Fetch failed: {text}", "error", "Retry")
        self.finished.emit([])

    def _done(self, value: Any) -> None:
        results = _results(value)
        self.running = False
        self.ran_once = True
        self.last_results = results
        self.view.progress.hide()
        errors = [r for r in results if getattr(r, "error", None)]
        new = sum(int(getattr(r, "new", 0) or 0) for r in results)
        updated = sum(int(getattr(r, "updated", 0) or 0) for r in results)
        if results and len(errors) == len(results) and all(
                getattr(r, "offline", False) or looks_offline(str(r.error)) for r in errors):
            self._show_offline(str(errors[0].error))
        elif errors:
            self.offline = False
            self.view.banner.show_message(
                f"Some sources could not be fetched — {summarise_errors(errors)}", "error",
                "Retry")
            self.view.banner.label.setToolTip("\n".join(
                f"{getattr(r, 'label', '')}: {r.error}" for r in errors))
        else:
            self.offline = False
            if self.view.banner.kind in ("offline", "error"):
                self.view.banner.dismiss()
        summary = counted(new, "new paper") if new else "no new papers"
        if updated:
            summary += f", {updated} updated"
        starred = [r for result in results for r in getattr(result, "revised", ())
                   if r.starred]
        if starred:
            summary += f"; a new version of {counted(len(starred), 'starred paper')}"
        if not self.offline:
            self.view.status_text.setText(f"Fetched: {summary}")
        if new:
            self.notify("New papers", f"{summary} in your inbox")
        for revision in starred[:3]:  # the papers you marked as mattering
            self.notify("New version of a starred paper",
                        f"{' '.join(revision.title.split())} — v{revision.version} "
                        f"(was v{revision.previous})")
        self.finished.emit(results)

    def _show_offline(self, detail: str) -> None:
        self.offline = True
        self.view.status_text.setText("Offline")
        self.view.banner.show_message(
            "Offline — showing your library. Fetching resumes when the network is back.",
            "offline", "Retry")
        self.view.banner.label.setToolTip(detail)

    def notify(self, title: str, text: str) -> None:
        """A tray notification when the desktop has a tray; always noted in the status bar."""
        self.notifications.append(f"{title}: {text}")
        if self.tray is not None and self.tray.isVisible():
            self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 6000)

    # -- papers asked for by hand ------------------------------------------------------------

    def fetch_ids(self, arxiv_ids: Sequence[str]) -> None:
        """Fetch the papers with these arXiv ids (one API request), e.g. a pasted link."""
        ids = list(dict.fromkeys(arxiv_ids))
        if ids:
            names = _names(ids)
            self._by_hand(f"Fetching {names} from arXiv…", f"Could not fetch {names}",
                          lambda new, updated: f"Fetched {names} from arXiv" if new + updated
                          else f"arXiv has no paper {names}",
                          lambda: self.service().fetch_arxiv_query(" ".join(ids),
                                                                   max_results=len(ids)))

    def search_arxiv(self, query: str, max_results: int = 50) -> None:
        """Add the newest ``max_results`` papers arXiv finds for ``query`` (its API syntax)."""
        def said(new: int, updated: int) -> str:
            if not new + updated:
                return "arXiv found nothing for this search"
            return f"arXiv search: {counted(new, 'new paper')}" + (
                f", {updated} already in the library" if updated else "")

        self._by_hand("Searching arXiv…", "arXiv search failed", said,
                      lambda: self.service().fetch_arxiv_query(query, max_results=max_results))

    def _by_hand(self, busy: str, failed: str, said: Callable[[int, int], str],
                 job: Callable[[], Any]) -> None:
        """Run a fetch the user asked for; the outcome goes to the status bar, a failure to
        the banner too; ``ids_done`` follows either way."""
        self.view.progress.show()
        self.view.status_text.setText(busy)

        def finish(results: list[Any], error: str | None) -> None:
            self.view.progress.setVisible(self.running)
            if error is None:
                self.view.status_text.setText(said(
                    sum(int(getattr(r, "new", 0) or 0) for r in results),
                    sum(int(getattr(r, "updated", 0) or 0) for r in results)))
            else:
                self.view.status_text.setText(failed)
                self.view.banner.show_message(
                    f"{failed}: {error}"
                    + (" — you seem to be offline." if looks_offline(error) else ""), "error")
            self.ids_done.emit(results)

        def done(value: Any) -> None:
            results = _results(value)
            errors = [str(r.error) for r in results if getattr(r, "error", None)]
            finish(results, errors[0] if errors else None)

        self.tasks.network(job, done, lambda error: finish([], describe_error(error)))

    # -- one Daily day on demand ---------------------------------------------------------------

    def fetch_day(self, day: date) -> None:
        """Fetch the Hugging Face list of one day into the library (the Daily view's pager)."""
        def done(value: Any) -> None:
            errors = [str(r.error) for r in _results(value) if getattr(r, "error", None)]
            self.day_done.emit(day, errors[0] if errors else None)

        self.tasks.network(lambda: self.service().fetch_hf_daily(day, day), done,
                           lambda error: self.day_done.emit(day, describe_error(error)))
