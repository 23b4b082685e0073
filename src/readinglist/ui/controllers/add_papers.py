"""Adding papers by hand: by arXiv id or link (fetched from arXiv), from PDF files (identified,
fetched, attached), and from a file (JSON Lines, BibTeX, RIS, CSL-JSON) with the PDFs it names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from readinglist.core.errors import ReadinglistError
from readinglist.core.query import parse_query
from readinglist.core.text import counted
from readinglist.ui.qt import QFileDialog, QInputDialog, QLineEdit, QObject, Signal
from readinglist.ui.tasks import Tasks, describe_error

IMPORTABLE = {".jsonl", ".ndjson", ".json", ".bib", ".bibtex", ".ris"}  # dropped files
ASK_IDS = ("arXiv ids or links, DOIs — one or several, e.g.\n"
           "2406.05821   arXiv:2406.05821v2   https://arxiv.org/abs/2406.05821")


class AddPapersController(QObject):
    """File → Add papers by arXiv ID or link… and File → Import papers…"""

    message = Signal(str)

    def __init__(self, library: Any, tasks: Tasks, view: Any, search: Any, fetch: Any,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.tasks = tasks
        self.view = view
        self.search = search
        self.fetch = fetch
        self.ask_text = self._ask_text
        self.ask_file = self._ask_file
        self.ask_attach = self._ask_attach
        self.ask_pdfs = self._ask_pdfs

    # -- by id ---------------------------------------------------------------------------------

    def _ask_text(self) -> str | None:
        text, ok = QInputDialog.getText(self.view, "Add papers", ASK_IDS,
                                        QLineEdit.EchoMode.Normal, "")
        return text if ok else None

    def ask_ids(self) -> None:
        text = self.ask_text()
        if text is not None and text.strip():
            self.add_ids(text)

    def add_ids(self, text: str) -> bool:
        """Show the papers ``text`` names (in All) and fetch those arXiv has that the library
        lacks. Returns False (with a message) when ``text`` names no paper."""
        try:
            spec = parse_query(text)
        except ReadinglistError as error:
            self.message.emit(str(error))
            return False
        if not spec.ids or spec.words or spec.phrases:
            self.message.emit("Not a paper id or link: paste an arXiv id (2406.05821), an "
                              "arXiv link or a DOI")
            return False
        query = " ".join(key if ":" not in key else f"id:{key}" for key in spec.ids)
        self.search.search_everywhere(query)
        flt = self.library.make_filter("all", query=query)

        def fetch_missing(found: Any) -> None:
            known = set(found or ())
            missing = [key for key in spec.arxiv_ids if key not in known]
            if missing:
                self.fetch.fetch_ids(missing)

        def restored(keys: list[str]) -> None:  # papers in the Trash named again come back
            if keys:
                self.message.emit(f"Restored {counted(len(keys), 'paper')} from the Trash")
            self.tasks.read(lambda: self.library.keys_matching(flt), fetch_missing)

        self.tasks.write(lambda: self.library.restore_named(spec.ids), restored)
        return True

    # -- dropped on the window ------------------------------------------------------------------

    def take_drop(self, urls: list[str], text: str) -> None:
        """Import files are imported, PDF files (and folders: the PDFs in them) added, links
        and text naming papers added."""
        files = [u for u in urls if Path(u).suffix.lower() in IMPORTABLE and Path(u).is_file()]
        pdfs = [u for u in urls if Path(u).suffix.lower() == ".pdf" and Path(u).is_file()
                or u and Path(u).is_dir()]
        for path in files:
            self.import_file(path)
        if pdfs:
            self.add_pdfs(pdfs)
        named = " ".join(u for u in urls if u not in files and u not in pdfs) or text
        if named.strip():
            self.add_ids(named)
        elif not files and not pdfs:
            self.message.emit("Drop PDF files or arXiv links to add papers, or a JSON Lines, "
                              "BibTeX or RIS file to import")

    # -- from PDF files ------------------------------------------------------------------------

    def _ask_pdfs(self) -> list[str]:
        paths, _ = QFileDialog.getOpenFileNames(self.view, "Add PDF files", str(Path.home()),
                                                "PDF files (*.pdf);;All files (*)")
        return paths

    def add_pdfs(self, paths: list[str] | None = None) -> None:
        """Add the papers of these PDF files or folders (asked for if None) and attach the
        files: in the background, since papers not in the library are fetched from arXiv."""
        paths = paths if paths is not None else self.ask_pdfs()
        if not paths:
            return
        library, fetch, tasks = self.library, self.fetch, self.tasks
        self.view.progress.show()
        self.view.status_text.setText(_adding(paths))

        def report(text: str) -> None:
            tasks.call_soon(lambda: self.view.status_text.setText(text))

        def job() -> list[Any]:
            from readinglist.services.pdf_add import add_pdfs
            from readinglist.services.pdfs import PdfService

            return add_pdfs(library, PdfService(library, fetch.paths, fetch.settings),
                            [Path(p) for p in paths], fetch.service().fetch_arxiv_ids, report)

        def done(added: list[Any]) -> None:
            from readinglist.services.pdf_add import summary

            self.view.progress.hide()
            self.view.status_text.setText(summary(added))
            problems = [a.line() for a in added if a.error] + [a.line() for a in added if a.note]
            if problems:
                more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
                self.view.banner.show_message(problems[0] + more, "error")
            keys = [a.key for a in added if a.error is None and a.key]
            if keys:
                self.search.search_everywhere(" ".join(
                    key if ":" not in key else f"id:{key}" for key in dict.fromkeys(keys)))

        def failed(error: BaseException) -> None:
            self.view.progress.hide()
            self.view.status_text.setText("No PDF added")
            self.view.banner.show_message(f"Adding PDFs failed — {describe_error(error)}",
                                          "error")

        self.tasks.network(job, done, failed)

    # -- from a file ---------------------------------------------------------------------------

    def _ask_file(self) -> str | None:
        path, _ = QFileDialog.getOpenFileName(
            self.view, "Import papers", str(Path.home()),
            "Papers (*.jsonl *.ndjson *.json *.bib *.bibtex *.ris);;JSON Lines (*.jsonl *.ndjson "
            "*.json);;BibTeX — Zotero, JabRef (*.bib *.bibtex);;RIS — Zotero, Mendeley, EndNote "
            "(*.ris);;CSL-JSON (*.json);;All files (*)")
        return path or None

    def import_file(self, path: str | None = None) -> None:
        """Import a JSON Lines file (the ``list --json`` shape), or a BibTeX or RIS export of
        another reference manager, on the writer thread."""
        path = path or self.ask_file()
        if not path:
            return
        name = Path(path).name
        self.view.progress.show()
        self.view.status_text.setText(f"Importing {name}…")

        def done(report: Any) -> None:
            counts, skipped = report.counts, report.skipped
            self.view.progress.hide()
            self.view.status_text.setText(
                f"Imported {name}: {counts.new} new, {counts.updated} updated" + (
                    f"; {skipped} without an arXiv id, DOI or URL skipped" if skipped else "")
                + (f"; {report.in_trash} in the Trash, left there" if report.in_trash else ""))
            if report.pdfs and self.ask_attach(name, len(report.pdfs)):
                self.attach_pdfs(name, report.pdfs)

        def failed(error: BaseException) -> None:
            self.view.progress.hide()
            self.view.status_text.setText(f"Nothing imported from {name}")
            self.view.banner.show_message(f"Import failed — {describe_error(error)}", "error")

        self.tasks.write(lambda: self.library.import_file(Path(path)), done, failed)

    def _ask_attach(self, name: str, count: int) -> bool:
        from readinglist.ui.qt import QMessageBox

        answer = QMessageBox.question(
            self.view, "Import PDFs too?",
            f"{name} names {count} PDF file{'s' if count != 1 else ''}. Copy them into the "
            "library, where they can be read, searched and annotated?")
        return answer == QMessageBox.StandardButton.Yes

    def attach_pdfs(self, name: str, pdfs: list[tuple[str, Path]]) -> None:
        """Copy the PDFs an imported file names into the library (on the writer thread)."""
        library, fetch = self.library, self.fetch
        self.view.progress.show()
        self.view.status_text.setText(f"Copying the PDFs {name} names…")

        def job() -> tuple[int, list[str]]:
            from readinglist.services.pdfs import PdfService

            return PdfService(library, fetch.paths, fetch.settings).attach_many(pdfs)

        def done(result: tuple[int, list[str]]) -> None:
            attached, problems = result
            self.view.progress.hide()
            self.view.status_text.setText(f"Attached {attached} of {len(pdfs)} PDFs from {name}")
            if problems:
                more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
                self.view.banner.show_message(f"Some PDFs were not attached: {problems[0]}"
                                              f"{more}", "error")

        def failed(error: BaseException) -> None:
            self.view.progress.hide()
            self.view.banner.show_message(f"Attaching PDFs failed — {describe_error(error)}",
                                          "error")

        self.tasks.write(job, done, failed)


def _adding(paths: list[str]) -> str:
    """``Adding 3 PDF files…`` or, with folders, ``Adding the PDF files in 2 folders…``."""
    folders = sum(1 for p in paths if Path(p).is_dir())
    files = len(paths) - folders
    parts = ([f"{files} PDF file{'s' if files != 1 else ''}"] if files else []) + (
        [f"the PDF files in {folders} folder{'s' if folders != 1 else ''}"] if folders else [])
    return f"Adding {' and '.join(parts)}…"
