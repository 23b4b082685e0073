"""File → Export papers…: the selected papers, or the whole list shown, as BibTeX, RIS,
CSL-JSON or JSON Lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from readinglist.core.errors import ReadinglistError
from readinglist.core.text import counted
from readinglist.ui.qt import QFileDialog, QObject, Signal
from readinglist.ui.tasks import Tasks, describe_error

FILTERS = {"BibTeX (*.bib)": "bibtex", "RIS — Zotero, EndNote, Mendeley (*.ris)": "ris",
           "CSL-JSON — Pandoc, citeproc (*.json)": "csl-json",
           "JSON Lines — readinglist import (*.jsonl)": "jsonl"}


class ExportController(QObject):
    """Asks where, then reads and writes on a background thread (the file appears whole)."""

    message = Signal(str)

    def __init__(self, library: Any, tasks: Tasks, view: Any, papers: Any,
                 paths_config: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.paths_config = paths_config  # the settings file (kept-up-to-date files)
        self.tasks = tasks
        self.view = view
        self.papers = papers
        self.ask_path = self._ask_path
        self.ask_folder = self._ask_folder

    def _ask_path(self, title: str, stem: str) -> tuple[str, str] | None:
        path, chosen = QFileDialog.getSaveFileName(
            self.view, title, str(Path.home() / f"{stem}.bib"), ";;".join(FILTERS))
        return (path, FILTERS.get(chosen, "")) if path else None

    def _ask_folder(self) -> str | None:
        folder = QFileDialog.getExistingDirectory(self.view, "Markdown folder (e.g. an Obsidian "
                                                  "vault)", str(Path.home()))
        return folder or None

    def export_vault(self) -> None:
        """File → Export notes to a Markdown folder…: a page per paper you worked on; notes
        edited in the folder since the last export come back in first (a write)."""
        folder = self.ask_folder()
        if not folder:
            return
        library = self.library

        def job() -> Any:
            from readinglist.services.vault import export_vault

            return export_vault(library, Path(folder), library.worked_on())

        def done(report: Any) -> None:
            self.message.emit(f"Notes: {report.summary()}")

        self.tasks.write(job, done, self._failed)

    def _failed(self, error: BaseException) -> None:
        self.view.banner.show_message(f"Export failed — {describe_error(error)}", "error")

    def export(self) -> None:
        """Export the selection when several papers are selected, else everything listed."""
        selected = self.papers.selected_ids()
        state = self.papers.state
        if len(selected) > 1:
            title, stem, flt = f"Export {len(selected)} selected papers", "papers", None
        else:
            label = state.entry.label if state.entry.kind != "daily" or state.day is None \
                else f"Daily {state.day.isoformat()}"
            title = f"Export the papers in {label}" + (
                f" matching “{state.search}”" if state.search else "")
            try:
                flt = self.papers.make_filter()
            except ReadinglistError as error:
                self.message.emit(str(error))
                return
            stem = _file_stem(label)
        answer = self.ask_path(title, stem)
        if answer is None:
            return
        path, fmt = _target(answer)
        library = self.library
        sort, descending = self.papers.model.sort_key, self.papers.model.descending

        def job() -> int:
            from readinglist.services.export import export_papers

            ids = selected if flt is None else library.ids(flt, sort, descending)
            return export_papers(library.papers_by_ids(ids), path, fmt)

        def done(count: int) -> None:
            self.message.emit(f"Exported {counted(count, 'paper')} to {path.name}")

        self.tasks.read(job, done, self._failed)

    def keep_updated(self) -> None:
        """File → Keep the list in a file up to date…: the list shown (view, tag, search) is
        written now and again whenever its papers change (``services.auto_export``)."""
        state = self.papers.state
        entry = state.entry
        if entry.kind == "daily":
            self.message.emit("A Daily list changes every day: keep a tag or a search "
                              "up to date instead")
            return
        search = " ".join(p for p in (self.papers.query_text(),
                                      f"source:{entry.source}" if entry.source else "",
                                      "is:unread" if state.unread_only else "") if p) or None
        answer = self.ask_path(f"Keep the papers in {entry.label} up to date in a file",
                               _file_stem(entry.label))
        if answer is None:
            return
        from readinglist.services import auto_export

        path, fmt = _target(answer)
        export = auto_export.make(path, fmt, entry.view, entry.tag, search, [])
        library, config = self.library, self.paths_config

        def job() -> Any:
            auto_export.keep(config, export)
            return auto_export.refresh(library, [export])[0]

        def done(outcome: Any) -> None:
            if outcome.error:
                self.view.banner.show_message(f"Could not write {path.name} — {outcome.error}",
                                              "error")
                return
            self.message.emit(f"{path.name}: {counted(outcome.papers, 'paper')}, kept up to "
                              "date as they change")

        self.tasks.write(job, done)


def _target(answer: tuple[str, str]) -> tuple[Path, str | None]:
    """The file and format a save dialog chose: an extension typed in the name wins over the
    filter; a name without one gets the filter's."""
    from readinglist.services.export import FORMATS, format_for

    path, fmt = Path(answer[0]), answer[1] or None
    if path.suffix.lower() in {*FORMATS.values(), ".ndjson"}:
        return path, format_for(path)
    if fmt:
        path = path.with_name(path.name + FORMATS[fmt])
    return path, fmt


def _file_stem(label: str) -> str:
    """A file name from a view or tag name: ``Long context`` → ``long-context``."""
    stem = "-".join("".join(c if c.isalnum() else " " for c in label.lower()).split())
    return stem or "papers"
