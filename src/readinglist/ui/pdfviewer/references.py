"""Papers a PDF points to — an arXiv link clicked, arXiv ids in a selection: add them to the
library (one arXiv API request, off the GUI thread) or open them in the viewer."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMenu, QWidget

from readinglist.core.errors import ReadinglistError, UnknownPaperError
from readinglist.core.ids import PaperRef, abs_url
from readinglist.ui.pdfviewer.tasks import run_task


class ReferenceActions(QObject):
    """Builds the menu for arXiv papers named in a PDF and runs what is chosen.

    ``open_paper(key)`` opens a library paper in the viewer; ``open_external(url)`` the browser;
    ``message`` reports outcomes for the status bar.
    """

    message = Signal(str)

    def __init__(self, service: Any, open_paper: Callable[[str], None],
                 open_external: Callable[[str], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service  # PdfService: library, settings, paths
        self.open_paper = open_paper
        self.open_external = open_external

    def _title_in_library(self, ref: PaperRef) -> str | None:
        try:
            return self.service.library.get(ref.key).title or ref.key
        except ReadinglistError:  # not in the library (or not an id it knows)
            return None

    def fill(self, menu: QMenu, refs: Sequence[PaperRef]) -> None:
        """Add an entry (a submenu when there are several papers) per arXiv paper."""
        for ref in refs[:8]:
            target = menu if len(refs) == 1 else menu.addMenu(f"arXiv:{ref.key}")
            title = self._title_in_library(ref)
            if title is not None:
                short = title if len(title) <= 48 else title[:47] + "…"
                target.addAction(f"Open “{short}” here", lambda k=ref.key: self.open_paper(k))
            else:
                target.addAction(f"Add arXiv:{ref.key} to the library",
                                 lambda r=ref: self.add(r, open_after=False))
                target.addAction(f"Add arXiv:{ref.key} and open it here",
                                 lambda r=ref: self.add(r, open_after=True))
            target.addAction("Open its abstract page in the browser",
                             lambda r=ref: self.open_external(abs_url(r.key, r.version)))

    def menu(self, refs: Sequence[PaperRef], parent: QWidget) -> QMenu:
        menu = QMenu(parent)
        self.fill(menu, refs)
        return menu

    def add(self, ref: PaperRef, open_after: bool) -> None:
        """Fetch the paper's record from arXiv into the library, in the background."""
        self.message.emit(f"Fetching arXiv:{ref.key}…")
        service = self.service

        def work(_report: Any) -> bool:
            from readinglist.services.fetch import FetchService

            fetcher = FetchService(service.library, service.settings, service.paths)
            try:
                results = fetcher.fetch_arxiv_query(ref.key, max_results=1)
            finally:
                fetcher.close()
            failed = [r for r in results if not r.ok]
            if failed:
                raise ReadinglistError(failed[0].error or "the arXiv request failed")
            try:
                service.library.get(ref.key)
            except UnknownPaperError:
                return False
            return True

        def done(found: bool) -> None:
            if not found:
                self.message.emit(f"arXiv has no paper {ref.key}")
                return
            self.message.emit(f"Added arXiv:{ref.key} to the library")
            if open_after:
                self.open_paper(ref.key)

        run_task(work, on_done=done,
                 on_error=lambda error: self.message.emit(f"Could not add arXiv:{ref.key}: "
                                                          f"{error}"))
