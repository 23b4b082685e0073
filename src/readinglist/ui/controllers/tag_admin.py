"""Renaming, merging and deleting a tag from the sidebar; each is one undo step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from readinglist.core.errors import InputError
from readinglist.core.text import counted
from readinglist.ui.models.entry import SidebarEntry
from readinglist.ui.qt import QInputDialog, QLineEdit, QMessageBox, QObject, QWidget
from readinglist.ui.tasks import Tasks
from readinglist.ui.undo import TagEdit, TriageAction

RENAME_PROMPT = ("New name for the tag “{old}” on every paper that has it.\n"
                 "The name of another tag merges the two; saved searches and rules follow.")


class TagAdminController(QObject):
    """Sidebar commands on a tag. Writes go through the writer thread; ``triage`` keeps undo."""

    def __init__(self, library: Any, tasks: Tasks, triage: Any, sidebar: Any,
                 window: QWidget) -> None:
        super().__init__(window)
        self.library = library
        self.tasks = tasks
        self.triage = triage
        self.sidebar = sidebar
        self.window = window
        self.ask_name: Callable[[str], str | None] = self._ask_name
        self.confirm_delete: Callable[[str, int, str], bool] = self._confirm_delete

    def _ask_name(self, old: str) -> str | None:
        text, ok = QInputDialog.getText(self.window, "Rename tag", RENAME_PROMPT.format(old=old),
                                        QLineEdit.EchoMode.Normal, old)
        return text if ok else None

    def _confirm_delete(self, name: str, count: int, named_by: str) -> bool:
        text = f"Take the tag “{name}” off {counted(count, 'paper')}? Edit → Undo brings it back."
        if named_by:
            text += f"\n\nStill named by {named_by}."
        answer = QMessageBox.question(self.window, "Delete tag", text)
        return answer == QMessageBox.StandardButton.Yes

    def rename(self, old: str) -> None:
        """Ask for a new name, then rename (or merge) the tag ``old`` everywhere."""
        from readinglist.services import tag_admin

        answer = self.ask_name(old)
        if answer is None:
            return
        try:
            new = tag_admin.new_tag_name(answer)
        except InputError as error:
            self.triage.message.emit(str(error))
            return
        if new == old:
            return
        library = self.library

        def job() -> tuple[TriageAction, bool, int]:
            having_new = set(tag_admin.tagged_keys(library, new, in_trash=True))
            merged = bool(tag_admin.tagged_keys(library, new))
            edits = tuple(TagEdit(key, () if key in having_new else (new,), (old,))
                          for key in tag_admin.tagged_keys(library, old, in_trash=True))
            in_trash = len(edits) - len(tag_admin.tagged_keys(library, old))
            action = TriageAction(f"Rename tag “{old}”", tags=edits, settings=tuple(
                tag_admin.reference_changes(library, old, new)))
            with self.triage.events.local():
                action.apply(library)
            return action, merged, in_trash

        def done(result: tuple[TriageAction, bool, int]) -> None:
            action, merged, in_trash = result
            self._done(action)
            how = f"Merged tag “{old}” into" if merged else f"Renamed tag “{old}” to"
            self.triage.message.emit(
                f"{how} “{new}” on {tag_admin.papers_phrase(len(action.tags), in_trash)}")
            entry = self.sidebar.current_entry()
            if entry.kind == "tag" and entry.tag == old:
                self.sidebar.select_after_refresh(SidebarEntry("tag", new, "all", tag=new).ident)

        self.tasks.write(job, done, self.triage.report_failure)

    def delete(self, name: str) -> None:
        """Confirm (how many papers, what still names it: read in the background), then take
        the tag ``name`` off every paper."""
        from readinglist.services import tag_admin

        library = self.library

        def look() -> tuple[int, str]:
            return (len(tag_admin.tagged_keys(library, name)),
                    tag_admin.references(library, name).describe())

        def job() -> tuple[TriageAction, int]:
            edits = tuple(TagEdit(key, (), (name,))
                          for key in tag_admin.tagged_keys(library, name, in_trash=True))
            in_trash = len(edits) - len(tag_admin.tagged_keys(library, name))
            action = TriageAction(f"Delete tag “{name}”", tags=edits)
            with self.triage.events.local():
                action.apply(library)
            return action, in_trash

        def done(result: tuple[TriageAction, int]) -> None:
            action, in_trash = result
            self._done(action)
            papers = tag_admin.papers_phrase(len(action.tags), in_trash)
            self.triage.message.emit(f"Took the tag “{name}” off {papers} (Ctrl+Z undoes it)")

        def ask(found: tuple[int, str]) -> None:
            count, named_by = found
            if count and self.confirm_delete(name, count, named_by):
                self.tasks.write(job, done, self.triage.report_failure)

        self.tasks.read(look, ask)

    def _done(self, action: TriageAction) -> None:
        self.triage.undo_stack.push(action)
        self.triage.undo_changed.emit()
