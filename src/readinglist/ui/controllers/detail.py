"""The detail pane: shows the current paper, saves tag and note edits through the writer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from readinglist.core.changes import Changes
from readinglist.core.models import Paper, PaperRow
from readinglist.core.notemerge import join_versions, merge3
from readinglist.ui.events import LibraryEvents
from readinglist.ui.qt import QObject, QTimer, Signal
from readinglist.ui.tasks import Tasks
from readinglist.ui.texmap import tex_to_unicode
from readinglist.ui.views.detail_view import DetailView


def facts_line(paper: Paper) -> str:
    """Dates, version, categories and upvotes in one line."""
    parts = []
    if paper.published:
        parts.append(f"Published {paper.published.isoformat()}")
    if paper.updated and paper.updated != paper.published:
        parts.append(f"updated {paper.updated.isoformat()}")
    if paper.listed_on:
        parts.append(f"on HF Daily {paper.listed_on.isoformat()}")
    if paper.arxiv_id:
        parts.append(f"arXiv {paper.arxiv_id}" + (f" v{paper.version}" if paper.version else ""))
    if paper.categories:
        parts.append(", ".join(paper.categories))
    if paper.hf_upvotes is not None:
        parts.append(f"▲ {paper.hf_upvotes} upvotes")
    return "  ·  ".join(parts)


# where a paper came from, as the state line says it ("from Hugging Face Daily")
SOURCE_WORDS = {"hf-daily": "Hugging Face Daily", "arxiv-rss": "arXiv listings",
                "arxiv-query": "arXiv search", "rss": "a feed", "import": "an import",
                "manual": "your own additions"}


def state_line(paper: Paper) -> str:
    parts = ["Read" if paper.read else "Unread"]
    if paper.starred:
        parts.append("★ Starred")
    if paper.archived:
        parts.append("Archived")
    if paper.deleted:
        parts.append("In the Trash (Del restores it)")
    if paper.withdrawn:
        parts.append("Withdrawn by its authors")
    sources = ", ".join(sorted(SOURCE_WORDS.get(s, s) for s in paper.sources))
    if sources:
        parts.append(f"from {sources}")
    return "  ·  ".join(parts)


def _snippet_html(match: Any) -> str:
    """A page match's snippet as HTML: the PDF's text escaped, the matched words in bold."""
    from html import escape

    from readinglist.storage.pdf_text import MARK_END, MARK_START

    return escape(match.snippet).replace(MARK_START, "<b>").replace(MARK_END, "</b>")


def reading_line(positions: list[Any], device_id: str,
                 names: dict[str, str] | None = None) -> str:
    """``reading p. 6`` (this machine), ``… p. 9 on laptop`` when another machine is further
    (``on another machine`` when its name is not known); nothing for a paper only glanced at
    (first page)."""
    own = next((p for p in positions if p.device_id == device_id), None)
    furthest = max(positions, key=lambda p: (p.page, p.offset))
    parts = []
    if own is not None and own.page > 0:
        parts.append(f"reading p. {own.page + 1}")
    if furthest is not own and furthest.page > (own.page if own is not None else 0):
        machine = (names or {}).get(furthest.device_id) or "another machine"
        parts.append(f"p. {furthest.page + 1} on {machine}")
    return ", ".join(parts) if parts else ""


def read_paper(library: Any, paper_id: int) -> Paper | None:
    """The paper to show; a note in conflict shows every version, so that editing it (which
    resolves the conflict) keeps them all."""
    paper = library.paper_by_id(paper_id)
    if paper is not None and paper.note_conflict:
        paper = replace(paper, note=join_versions(library.note_versions(paper.key)))
    return paper


def rebased_note(library: Any, key: str, base: str, text: str) -> str:
    """``text``, edited from ``base``, with what another writer (the CLI, a sync) saved
    meanwhile merged in line-wise, or kept after it when the edits overlap."""
    versions = library.note_versions(key)
    stored = join_versions(versions) if len(versions) > 1 else "".join(versions)
    if stored == base:
        return text
    merged = merge3(base, text, stored)
    return merged if merged is not None else join_versions([text, stored])


class DetailController(QObject):
    """Loads the full paper off the GUI thread; the note is saved after a short pause."""

    open_pdf = Signal()
    open_pdf_page = Signal(int)  # 0-based page of the current paper's PDF
    open_browser = Signal()
    tags_edited = Signal(list, list, list)  # ids, add, remove
    SETTLE_MS = 60

    def __init__(self, library: Any, tasks: Tasks, events: LibraryEvents, view: DetailView,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.tasks = tasks
        self.events = events
        self.view = view
        self.paper: Paper | None = None
        self._wanted: int | None = None
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(800)
        self._note_timer.timeout.connect(self.save_note)
        self._saved_note = ""
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.setInterval(self.SETTLE_MS)
        self._show_timer.timeout.connect(self._load_wanted)
        view.note_edit.textChanged.connect(self._note_typed)
        view.note_tabs.currentChanged.connect(self._tab_changed)
        view.tags.editingFinished.connect(self._tags_finished)
        view.abstract_button.clicked.connect(self.open_browser)
        view.pdf_button.clicked.connect(self.open_pdf)
        view.doi_button.clicked.connect(self._open_doi)
        view.pdf_matches.linkActivated.connect(self._page_link)
        view.note_preview.anchorClicked.connect(self._note_link)
        view.revision.linkActivated.connect(lambda _link: self.show_changes())
        self.earlier: Any = None  # the shown paper's previous version (EarlierVersion), if kept
        self.pdf_pages: list[int] = []  # the shown paper's PDF pages matching a pdf: search
        self.open_url: Any = None
        self.query_text: Callable[[], str] = lambda: ""  # the list's search (pdf: matches)
        view.stack.setCurrentIndex(0)

    def set_tag_names(self, names: list[str]) -> None:
        self.view.tags.set_names(names)

    # -- showing -------------------------------------------------------------------------------

    def show_row(self, row: PaperRow | None) -> None:
        """The list's current paper changed."""
        if row is None:
            self.save_note()
            self.paper = None
            self._wanted = None
            self.view.stack.setCurrentIndex(0)
            return
        if self.paper is not None and self.paper.id == row.id:
            self._show_timer.stop()
            self._wanted = row.id
            return
        self.save_note()
        self._wanted = row.id
        if self.paper is None:
            self._load_wanted()
        else:  # while j is held down, only the paper the user stops on is laid out
            self._show_timer.start()

    def _load_wanted(self) -> None:
        paper_id = self._wanted
        if paper_id is not None:
            self.tasks.read(lambda: read_paper(self.library, paper_id), self._loaded)

    def _loaded(self, paper: Paper | None) -> None:
        if paper is None or paper.id != self._wanted:
            return
        switching = self.paper is None or self.paper.id != paper.id
        if switching:
            self.save_note()  # keys typed while this paper loaded belong to the one shown
        self.paper = paper
        v = self.view
        v.title.setText(tex_to_unicode(paper.title))
        v.authors.setText(", ".join(paper.authors))
        v.facts.setText(facts_line(paper))
        v.state.setText(state_line(paper))
        v.abstract.setText(tex_to_unicode(paper.abstract) or "No abstract.")
        comment = " · ".join(x for x in (paper.comment, paper.journal_ref) if x)
        v.comment.setText(tex_to_unicode(comment))
        v.comment.setVisible(bool(comment))
        v.abstract_button.setEnabled(bool(paper.url))
        v.pdf_button.setEnabled(bool(paper.pdf_url))
        v.doi_button.setVisible(bool(paper.doi))
        if switching or not v.tags.hasFocus():
            v.tags.setText(", ".join(paper.tags))
        typed = v.note_edit.toPlainText()
        # never drop edits, and keep the editor's undo history when the note is unchanged
        if switching or (typed == self._saved_note and paper.note != typed):
            v.note_edit.blockSignals(True)
            v.note_edit.setPlainText(paper.note)
            v.note_edit.blockSignals(False)
            self._saved_note = paper.note
            if v.note_tabs.currentIndex() == 1:
                v.show_markdown(paper.note)
        self._show_pdf_matches(paper)
        self._show_revision(paper)
        self._show_progress(paper)
        v.note_conflict.setVisible(paper.note_conflict)
        v.note_conflict.setText("This note was edited on two devices; both versions are kept "
                                "below — edit to resolve." if paper.note_conflict else "")
        v.stack.setCurrentIndex(1)

    def _show_pdf_matches(self, paper: Paper) -> None:
        """For a ``pdf:`` search, the pages of this paper's PDF that match (read off the GUI
        thread); otherwise the section stays hidden."""
        query = self.query_text()
        self.pdf_pages = []
        if "pdf:" not in query.lower():
            if not self.view.pdf_matches.isHidden():  # (no relayout while typing a search)
                self.view.show_pdf_matches([])
            return
        from readinglist.services.fulltext import pdf_matches

        library, key = self.library, paper.key

        def shown(matches: list[Any]) -> None:
            self.pdf_pages = [m.page for m in matches]
            self.view.show_pdf_matches([(m.page, _snippet_html(m)) for m in matches])

        self._read_for(paper, lambda: pdf_matches(library, key, query, limit=8), shown)

    def _show_revision(self, paper: Paper) -> None:
        """For a paper past v1, what its latest version changed (if this library kept the
        earlier text), read off the GUI thread."""
        self.earlier = None
        if not paper.version or paper.version < 2:
            self.view.show_revision("")
            return
        library, key = self.library, paper.key

        def shown(found: list[Any]) -> None:
            if not found:
                self.view.show_revision("")
                return
            from readinglist.core.versions import paper_changes

            self.earlier = found[0]
            changed = paper_changes(found[0], self.paper or paper)
            self.view.show_revision(
                f"New in v{found[0].replaced_by} (was v{found[0].version}, "
                f"{found[0].replaced_at[:10]}): "
                + (", ".join(changed) or "same title, authors and abstract"))

        self._read_for(paper, lambda: library.earlier_versions(key), shown)

    def _show_progress(self, paper: Paper) -> None:
        """Where you left the paper (this machine's page, and another machine's when it is
        further), added to the state line; read off the GUI thread."""
        library, key = self.library, paper.key

        def shown(found: tuple[list[Any], dict[str, str]]) -> None:
            positions, names = found
            text = reading_line(positions, getattr(library, "device_id", ""), names) \
                if positions else ""
            if text:
                self.view.state.setText(f"{state_line(self.paper or paper)}  ·  {text}")

        def read() -> tuple[list[Any], dict[str, str]]:
            from readinglist.sync.state import device_names

            positions = library.positions(key)
            return positions, (device_names(library) if len(positions) > 1 else {})

        self._read_for(paper, read, shown)

    def _read_for(self, paper: Paper, work: Callable[[], Any],
                  show: Callable[[Any], None]) -> None:
        """Run ``work`` off the GUI thread; ``show`` its result if ``paper`` is still the one
        shown by then (the user may have moved on)."""
        def deliver(result: Any) -> None:
            if self.paper is not None and self.paper.id == paper.id:
                show(result)

        self.tasks.read(work, deliver)

    def show_changes(self) -> None:
        """The comparison of the shown paper with its previous version, in a dialog."""
        if self.paper is None or self.earlier is None:
            return
        from readinglist.ui.views.version_diff import VersionDiffDialog

        palette = self.view.palette()
        dark = palette.window().color().lightness() < 128
        VersionDiffDialog(self.earlier, self.paper, dark, self.view.window()).open()

    def refresh_pdf_matches(self) -> None:
        """The search changed (the list reloaded): match the shown paper's PDF again."""
        if self.paper is not None:
            self._show_pdf_matches(self.paper)

    def pdf_needle(self) -> str | None:
        """The words of the list's ``pdf:`` search (its first term), for the viewer's find."""
        from readinglist.core.errors import InputError
        from readinglist.core.query import parse_query

        try:
            terms = parse_query(self.query_text()).pdf_terms
        except InputError:
            return None
        return terms[0] if terms else None

    def _page_link(self, link: str) -> None:
        if link.startswith("page:"):
            self.open_pdf_page.emit(int(link[5:]))

    def _note_link(self, url: Any) -> None:
        """A link clicked in the note's preview opens in the browser (web and mail links)."""
        if url.scheme().lower() in ("http", "https", "mailto") and self.open_url is not None:
            self.open_url(url)

    def on_changes(self, changes: Changes, local: bool) -> None:
        """Re-read the shown paper if someone else changed it."""
        if self.paper is None or not (changes.papers or changes.tags or changes.notes):
            return
        if changes.paper_keys and self.paper.key not in changes.paper_keys:
            return
        paper_id = self.paper.id
        if self._wanted != paper_id:  # the user moved on: the paper wanted is read anyway
            return
        self._wanted = paper_id
        self.tasks.read(lambda: read_paper(self.library, paper_id), self._loaded)

    # -- editing -------------------------------------------------------------------------------

    def _note_typed(self) -> None:
        self._note_timer.start()

    def _tab_changed(self, index: int) -> None:
        if index == 1:
            self.view.show_markdown(self.view.note_edit.toPlainText())

    def save_note(self) -> None:
        self._note_timer.stop()
        if self.paper is None:
            return
        text = self.view.note_edit.toPlainText()
        if text == self._saved_note:
            return
        base, self._saved_note = self._saved_note, text
        key, library = self.paper.key, self.library

        def job() -> None:
            with self.events.local():
                library.set_note(key, rebased_note(library, key, base, text))

        self.tasks.write(job)

    def _tags_finished(self) -> None:
        if self.paper is None:
            return
        from readinglist.ui.views.tag_popup import parse_tag_input

        wanted, _ = parse_tag_input(self.view.tags.text())
        from readinglist.core.text import normalise_tag  # as the tags are stored

        wanted_names = {normalise_tag(w) for w in wanted}
        current = set(self.paper.tags)
        add = sorted(wanted_names - current)
        remove = sorted(current - wanted_names)
        if add or remove:
            self.tags_edited.emit([self.paper.id], add, remove)

    def _open_doi(self) -> None:
        if self.paper is not None and self.paper.doi and self.open_url is not None:
            from readinglist.ui.qt import QUrl

            self.open_url(QUrl(f"https://doi.org/{self.paper.doi}"))
