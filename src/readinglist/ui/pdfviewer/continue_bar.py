"""The strip that offers to continue where another machine left the paper more recently."""

from __future__ import annotations

from collections.abc import Callable

from readinglist.core.hlc import wall_clock_ms
from readinglist.core.models import ReadingPosition
from readinglist.core.positions import time_ago
from readinglist.ui.views.banner import Banner


class ContinueBar(Banner):
    """"You were on page 12 on laptop (2 h ago).  [Go to page 12]  ✕" — like an e-reader's
    sync offer. Going there or reaching that page by reading on dismisses it."""

    def __init__(self, go: Callable[[int, float], None], parent: object = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.offered: ReadingPosition | None = None
        self._go = go
        self.action_clicked.connect(self.accept)

    def offer(self, position: ReadingPosition, machine: str, now_ms: int | None = None) -> None:
        """Show the offer for ``position`` (``machine`` is its device's name, if known)."""
        self.offered = position
        where = f"on {machine}" if machine else "on another machine"
        when = time_ago(position.hlc, wall_clock_ms() if now_ms is None else now_ms)
        self.show_message(f"You were on page {position.page + 1} {where}"
                          + (f" ({when})." if when else "."),
                          kind="continue", action=f"Go to page {position.page + 1}")
        self.close_button.setToolTip("Stay on this page")

    def accept(self) -> None:
        """Go to the offered position."""
        if self.offered is not None:
            self._go(self.offered.page, self.offered.offset)
        self.dismiss()

    def page_reached(self, page: int) -> None:
        """The reader got to the offered page by themselves: nothing left to offer."""
        if self.offered is not None and page == self.offered.page:
            self.dismiss()

    def dismiss(self) -> None:
        self.offered = None
        super().dismiss()
