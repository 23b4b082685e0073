"""Keyboard triage: moving through the list, read/star/archive/tag, bulk mark-read, undo/redo."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from readinglist.core.rows import PaperRow
from readinglist.core.text import counted, normalise_tag
from readinglist.ui.controllers.paper_list import PaperListController
from readinglist.ui.events import LibraryEvents
from readinglist.ui.qt import (
    QDesktopServices, QGuiApplication, QObject, QTimer, QUrl, QWidget, Signal)
from readinglist.ui.tasks import Tasks, describe_error
from readinglist.ui.undo import FlagChange, TagEdit, TriageAction, UndoStack

log = logging.getLogger(__name__)
HIDES_ARCHIVED = {"inbox", "unread"}
ROW_FLAGS = {"read", "starred", "archived"}  # the flags a list row shows


class TriageController(QObject):
    """Every triage command the keyboard map names; writes go through the single writer."""

    message = Signal(str)
    undo_changed = Signal()

    def __init__(self, library: Any, paths: Any, tasks: Tasks, events: LibraryEvents,
                 papers: PaperListController, settings: Any, window: QWidget) -> None:
        super().__init__(window)
        self.library = library
        self.paths = paths
        self.tasks = tasks
        self.events = events
        self.papers = papers
        self.settings = settings
        self.window = window
        self.undo_stack = UndoStack()
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl
        self.tag_popup: Any = None
        self.tag_names: Callable[[], list[str]] = lambda: []
        self.viewers: list[Any] = []
        self._dwell = QTimer(self)
        self._dwell.setSingleShot(True)
        self._dwell.timeout.connect(self._dwell_elapsed)
        self._dwell_id: int | None = None
        papers.current_changed.connect(self._on_current)

    # -- moving ----------------------------------------------------------------------------------

    def next(self) -> None:
        position = self.papers.current_position()
        self.papers.select_position(0 if position is None else position + 1)

    def previous(self) -> None:
        position = self.papers.current_position()
        if position is not None and position > 0:
            self.papers.select_position(position - 1)

    def next_unread(self) -> None:
        """The next unread paper below, wrapping to the top; says so when there is none."""
        model = self.papers.model
        total = model.rowCount()
        start = self.papers.current_position()
        start = -1 if start is None else start
        for step in range(1, total + 1):
            position = (start + step) % total
            row = model.row_at(position)
            if row is not None and not row.read:
                self.papers.select_position(position)
                return
        self.message.emit("No unread papers in this view")

    # -- mark as read when a paper is shown ------------------------------------------------------

    def _on_current(self, row: PaperRow | None) -> None:
        self._dwell.stop()
        if row is None or row.read or self.papers.filling:  # filling: not chosen, not read
            return
        mode = self.settings.mark_read
        if mode == "select":
            self._auto_mark(row.id)
        elif mode == "dwell":
            self._dwell_id = row.id
            self._dwell.start(max(0, int(self.settings.mark_read_dwell_ms)))

    def _dwell_elapsed(self) -> None:
        row = self.papers.current_row()
        if row is not None and row.id == self._dwell_id and not row.read:
            self._auto_mark(row.id)

    def _auto_mark(self, paper_id: int) -> None:
        """Reading marks read without an undo entry (as in feed readers); ``m`` undoes it."""
        row = self.papers.model._cache.get(paper_id)
        if row is None:
            return
        self.papers.model.patch_rows([paper_id], read=True)
        self._write(TriageAction("read", (FlagChange("read", True, (row.key,)),)), undoable=False)

    # -- flag commands ---------------------------------------------------------------------------

    def _selected_rows(self) -> list[PaperRow] | None:
        """Rows of the selection from the cache, or None if some are not loaded."""
        model = self.papers.model
        rows = [model._cache.get(i) for i in self.papers.selected_ids()]
        return None if any(r is None for r in rows) else rows  # type: ignore[return-value]

    def toggle_read(self) -> None:
        self._toggle("read", "Mark read", "Mark unread")

    def toggle_star(self) -> None:
        self._toggle("starred", "Star", "Unstar")

    def _toggle(self, flag: str, on_label: str, off_label: str) -> None:
        rows = self._selected_rows()
        if rows is None:
            self._bulk_toggle(flag, on_label, off_label)
            return
        if not rows:
            return
        value = not all(getattr(r, flag) for r in rows)
        keys = tuple(r.key for r in rows if getattr(r, flag) != value)
        self._apply(TriageAction(on_label if value else off_label,
                                 (FlagChange(flag, value, keys),)))

    def _bulk_toggle(self, flag: str, on_label: str, off_label: str) -> None:
        ids = self.papers.selected_ids()

        def job() -> TriageAction:
            rows = list(self.library.rows(ids).values())
            value = not all(getattr(r, flag) for r in rows)
            action = TriageAction(on_label if value else off_label, (FlagChange(
                flag, value, tuple(r.key for r in rows if getattr(r, flag) != value)),))
            with self.events.local():
                action.apply(self.library)
            return action

        self.tasks.write(job, self._bulk_done, self.report_failure)

    def _bulk_done(self, action: TriageAction) -> None:
        self.undo_stack.push(action)
        self.undo_changed.emit()
        self._patch(action)
        self.message.emit(f"{action.label}: {len(action.keys)} papers")

    def archive(self) -> None:
        """Archive the selection and advance (in the Archive itself: unarchive)."""
        view = self.papers.state.entry.view

        def action_for(rows: list[PaperRow]) -> tuple[TriageAction, bool]:
            value = not all(r.archived for r in rows)
            keys = tuple(r.key for r in rows if r.archived != value)
            leaves = (value and view in HIDES_ARCHIVED) or (not value and view == "archived")
            return TriageAction("Archive" if value else "Unarchive",
                                (FlagChange("archived", value, keys),)), leaves

        self._move_selection(action_for)

    def trash(self) -> None:
        """Move the selection to the Trash and advance (in the Trash itself: restore)."""
        restore = self.papers.state.entry.view == "trash"

        def action_for(rows: list[PaperRow]) -> tuple[TriageAction, bool]:
            return TriageAction("Restore" if restore else "Move to the Trash", (FlagChange(
                "deleted", not restore, tuple(r.key for r in rows)),)), True

        def said(action: TriageAction) -> str | None:
            return None if restore else (f"Moved {counted(len(action.keys), 'paper')} to the "
                                         "Trash (Ctrl+Z undoes it)")

        self._move_selection(action_for, said)

    def _move_selection(self, action_for: Callable[[list[PaperRow]], tuple[TriageAction, bool]],
                        said: Callable[[TriageAction], str | None] = lambda _action: None
                        ) -> None:
        """``e`` or ``Del`` on the selection. ``action_for(rows)`` is the action and whether
        the rows leave the list. A selection reaching past the loaded rows (Ctrl+A on a long
        list) is read and written in the background, then leaves the list."""
        rows = self._selected_rows()
        if rows is not None:
            if rows:
                action, leaves = action_for(rows)
                self._move(rows, action, leaves)
                if (text := said(action)) is not None:
                    self.message.emit(text)
            return
        ids = self.papers.selected_ids()
        first = self.papers.selected_positions()[0]

        def job() -> tuple[TriageAction, bool, list[int]]:
            loaded = list(self.library.rows(ids).values())
            action, leaves = action_for(loaded)
            with self.events.local():
                action.apply(self.library)
            return action, leaves, [r.id for r in loaded]

        def done(result: tuple[TriageAction, bool, list[int]]) -> None:
            action, leaves, moved = result
            self.undo_stack.push(action)
            self.undo_changed.emit()
            self._patch(action)
            if leaves:
                self.papers.model.remove_ids(moved)
                self.papers.select_position(min(first, self.papers.model.rowCount() - 1))
            text = said(action)
            self.message.emit(text if text is not None
                              else f"{action.label}: {counted(len(action.keys), 'paper')}")

        self.tasks.write(job, done, self.report_failure)

    def _move(self, rows: list[PaperRow], action: TriageAction, leaves: bool) -> None:
        """Apply ``action``; when the rows leave the view, drop them and select the next."""
        positions = self.papers.selected_positions()
        self._apply(action)
        if leaves:
            self.papers.model.remove_ids([r.id for r in rows])
            self.papers.select_position(min(positions[0], self.papers.model.rowCount() - 1))
        else:
            self.papers.select_position(min(positions[-1] + 1, self.papers.model.rowCount() - 1))

    def mark_all_read(self) -> None:
        """Shift+M: every paper in the current view (not just the loaded rows), one undo step."""
        self._mark_read(list(self.papers.model.ids()), "Mark all read",
                        "Marking everything in this view read…")

    def mark_above_read(self) -> None:
        """Every paper above the current one (NetNewsWire's "Mark Above as Read")."""
        position = self.papers.current_position()
        if position is not None:
            self._mark_read(list(self.papers.model.ids()[:position]), "Mark above read",
                            "Marking the papers above read…")

    def mark_below_read(self) -> None:
        """Every paper below the current one ("Mark Below as Read")."""
        position = self.papers.current_position()
        if position is not None:
            self._mark_read(list(self.papers.model.ids()[position + 1:]), "Mark below read",
                            "Marking the papers below read…")

    def _mark_read(self, ids: list[int], label: str, busy: str) -> None:
        """Mark ``ids`` read on the writer thread, as one undo step."""
        if not ids:
            return

        def job() -> TriageAction:
            rows = self.library.rows(ids)
            keys = tuple(r.key for r in rows.values() if not r.read)
            action = TriageAction(label, (FlagChange("read", True, keys),))
            with self.events.local():
                action.apply(self.library)
            return action

        self.message.emit(busy)
        self.tasks.write(job, self._bulk_done, self.report_failure)

    # -- tags ------------------------------------------------------------------------------------

    def tag(self) -> None:
        """Open the tag pop-up for the selection."""
        ids = self.papers.selected_ids()
        if not ids:
            return
        from readinglist.ui.views.tag_popup import TagPopup

        popup = TagPopup(self.window, len(ids), self.tag_names())
        self.tag_popup = popup
        popup.accepted.connect(lambda: self._tag_accepted(popup, ids))
        popup.finished.connect(self._popup_closed)
        popup.open()

    def _popup_closed(self, _result: int) -> None:
        self.tag_popup = None
        self.window.activateWindow()
        self.papers.table.setFocus()

    def _tag_accepted(self, popup: Any, ids: list[int]) -> None:
        add, remove = popup.result_tags()
        self.apply_tags(ids, add, remove)

    def apply_tags(self, ids: list[int], add: list[str], remove: list[str]) -> None:
        """Add and remove tags on papers, recording exactly what changed for undo."""
        add_names = [n for n in dict.fromkeys(normalise_tag(a) for a in add) if n]
        remove_names = [n for n in dict.fromkeys(normalise_tag(r) for r in remove) if n]
        if not (add_names or remove_names) or not ids:
            return

        def job() -> TriageAction:
            rows = self.library.rows(ids)
            edits = []
            for row in rows.values():
                current = set(self.library.get(row.key, in_trash=True).tags)
                edits.append(TagEdit(row.key, tuple(n for n in add_names if n not in current),
                                     tuple(n for n in remove_names if n in current)))
            label = "Tag" if add_names else "Untag"
            action = TriageAction(label, tags=tuple(edits))
            with self.events.local():
                action.apply(self.library)
            return action

        self.tasks.write(job, self._tags_done, self.report_failure)

    def _tags_done(self, action: TriageAction) -> None:
        self.undo_stack.push(action)
        self.undo_changed.emit()

    # -- undo ------------------------------------------------------------------------------------

    def undo(self) -> None:
        label = self.undo_stack.undo_label
        action = self.undo_stack.undo()
        if action is not None:
            self._write(action, undoable=False, after=True)
            self.message.emit(f"Undid {_lower_first(label)}")
            self.undo_changed.emit()

    def redo(self) -> None:
        action = self.undo_stack.redo()
        if action is not None:
            self._write(action, undoable=False, after=True)
            self.message.emit(f"Redid {_lower_first(action.label)}")
            self.undo_changed.emit()

    # -- plumbing --------------------------------------------------------------------------------

    def _apply(self, action: TriageAction) -> None:
        """Optimistic: show the result now, push the undo entry, write in the background."""
        if action.empty:
            return
        self._patch(action)
        self._write(action, undoable=True)

    def _patch(self, action: TriageAction) -> None:
        by_key = {r.key: r.id for r in self.papers.model.cached_rows()}
        for change in action.flags:
            if change.flag not in ROW_FLAGS:  # ``deleted``: the row leaves the list instead
                continue
            ids = [by_key[k] for k in change.keys if k in by_key]
            self.papers.model.patch_rows(ids, **{change.flag: change.value})

    def _write(self, action: TriageAction, undoable: bool, after: bool = False) -> None:
        if undoable:
            self.undo_stack.push(action)
            self.undo_changed.emit()

        def job() -> None:
            with self.events.local():
                action.apply(self.library)

        def done(_result: object) -> None:
            if after:
                self._after_undo(action)

        def failed(error: BaseException) -> None:
            if undoable:
                self.undo_stack.discard(action)
                self.undo_changed.emit()
            self.report_failure(error)

        self.tasks.write(job, done, failed)

    def _after_undo(self, action: TriageAction) -> None:
        """Rows may have come back (unarchived, restored) or left: re-query, keeping them
        selected."""
        self._patch(action)
        moved = any(c.flag in ("archived", "deleted") for c in action.flags)
        if moved:
            self.papers.reload(select_keys=[k for c in action.flags for k in c.keys])

    def report_failure(self, error: BaseException) -> None:
        self.message.emit(f"Could not save: {describe_error(error)}")
        self.papers.reload()

    # -- opening ---------------------------------------------------------------------------------

    def open_pdf(self, page: int | None = None, find: str | None = None) -> None:
        """The current paper in the built-in viewer (at a 0-based ``page``, if given; with
        ``find`` marked, the words of a ``pdf:`` search)."""
        row = self.papers.current_row()
        if row is None:
            return
        try:
            from readinglist.ui import pdfviewer

            viewer = pdfviewer.open_paper(self.library, self.paths, row.key, self.window)
            if viewer is not None:
                self.viewers.append(viewer)
                if find:
                    viewer.find_in(row.key, find, page)
                elif page is not None:
                    viewer.go_to_page_of(row.key, page)
            return
        except NotImplementedError:
            pass
        except Exception as error:  # noqa: BLE001 - fall back to the system viewer
            log.warning("built-in viewer failed: %s", error)
        self._open_link(row.key, "pdf_url", "This paper has no PDF link")

    def open_in_browser(self) -> None:
        row = self.papers.current_row()
        if row is not None:
            self._open_link(row.key, "url", "This paper has no web page")

    def copy_links(self) -> None:
        """Put the abstract-page links of the selected papers (or the current one) on the
        clipboard, one per line."""
        ids = self._selected_or_current_ids()
        if not ids:
            return
        library = self.library

        def links() -> list[str]:
            return [link for p in library.papers_by_ids(ids) if (link := p.url or p.pdf_url)]

        def copied(urls: list[str]) -> None:
            QGuiApplication.clipboard().setText("\n".join(urls))
            self.message.emit(f"Copied {counted(len(urls), 'link')}"
                              if urls else "No link to copy")

        self.tasks.read(links, copied)

    def _selected_or_current_ids(self) -> list[int]:
        ids = self.papers.selected_ids()
        if not ids:
            row = self.papers.current_row()
            ids = [row.id] if row is not None else []
        return ids

    def copy_bibtex(self) -> None:
        """Put BibTeX entries of the selected papers (or the current one) on the clipboard."""
        ids = self._selected_or_current_ids()
        if not ids:
            return
        library = self.library

        def entries() -> tuple[str, int]:
            from readinglist.core.bibtex import bibtex_entries

            papers = library.papers_by_ids(ids)
            return bibtex_entries(papers), len(papers)

        def copied(result: tuple[str, int]) -> None:
            text, count = result
            QGuiApplication.clipboard().setText(text)
            self.message.emit(f"Copied BibTeX of {counted(count, 'paper')}")

        self.tasks.read(entries, copied)

    def _open_link(self, key: str, field: str, missing: str) -> None:
        def found(url: str | None) -> None:
            if url and url.startswith(("http://", "https://")):
                self.open_url(QUrl(url))
            else:
                self.message.emit(missing)

        self.tasks.read(lambda: getattr(self.library.get(key, in_trash=True), field), found)


def _lower_first(label: str) -> str:
    """An action's label inside a sentence: "Move to the Trash" → "move to the Trash"."""
    return label[:1].lower() + label[1:]
