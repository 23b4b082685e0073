"""Undoable annotation edits: each command calls the library service, never the database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from readinglist.services.library import Library


class AddAnnotation(QUndoCommand):
    """Create an annotation; undo deletes it, redo restores the same one."""

    def __init__(self, library: Library, key: str, fields: dict[str, Any],
                 refresh: Callable[[], None], label: str) -> None:
        super().__init__(label)
        self.library, self.key, self.fields, self.refresh = library, key, fields, refresh
        self.annotation_id: str | None = None

    def redo(self) -> None:
        if self.annotation_id is None:
            self.annotation_id = self.library.add_annotation(self.key, **self.fields)
        else:
            self.library.restore_annotation(self.annotation_id)
        self.refresh()

    def undo(self) -> None:
        if self.annotation_id is not None:
            self.library.delete_annotation(self.annotation_id)
        self.refresh()


class DeleteAnnotation(QUndoCommand):
    """Delete an annotation; undo restores it with everything it had."""

    def __init__(self, library: Library, annotation_id: str, refresh: Callable[[], None]) -> None:
        super().__init__("Delete annotation")
        self.library, self.annotation_id, self.refresh = library, annotation_id, refresh

    def redo(self) -> None:
        self.library.delete_annotation(self.annotation_id)
        self.refresh()

    def undo(self) -> None:
        self.library.restore_annotation(self.annotation_id)
        self.refresh()


class EditAnnotation(QUndoCommand):
    """Change fields (colour, comment, kind); undo puts the old values back."""

    def __init__(self, library: Library, annotation_id: str, old: dict[str, Any],
                 new: dict[str, Any], refresh: Callable[[], None], label: str) -> None:
        super().__init__(label)
        self.library, self.annotation_id, self.refresh = library, annotation_id, refresh
        self.old, self.new = old, new

    def redo(self) -> None:
        self.library.update_annotation(self.annotation_id, **self.new)
        self.refresh()

    def undo(self) -> None:
        self.library.update_annotation(self.annotation_id, **self.old)
        self.refresh()
