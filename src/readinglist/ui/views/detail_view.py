"""The detail pane layout: title, authors, facts, links, abstract, tags and the note."""

from __future__ import annotations

from readinglist.ui.qt import (
    QByteArray, QFrame, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QScrollArea,
    QSizePolicy, QStackedWidget, QTabWidget, QTextBrowser, QTextDocument, Qt, QUrl, QVBoxLayout,
    QWidget)
from readinglist.ui.views.tag_popup import MultiTagEdit


class _NoResourceDocument(QTextDocument):
    def loadResource(self, kind: int, url: QUrl) -> object:  # noqa: N802 - Qt override
        return QByteArray()  # QTextDocument's own would read a local path (even /dev/zero)


class SafeMarkdownBrowser(QTextBrowser):
    """Renders the user's own Markdown note; never loads images or other resources, remote or
    local, and shows raw HTML as text. Links only emit ``anchorClicked``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDocument(_NoResourceDocument(self))
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)

    def loadResource(self, kind: int, url: QUrl) -> object:  # noqa: N802 - Qt override
        return None


def _label(object_name: str = "", selectable: bool = True) -> QLabel:
    label = QLabel()
    if object_name:
        label.setObjectName(object_name)
    label.setTextFormat(Qt.TextFormat.PlainText)  # feed text is never HTML
    label.setWordWrap(True)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _keyboard_links(label: QLabel) -> None:
    """Links a click or Tab and Enter follow; a click leaves the focus where it was."""
    flag = Qt.TextInteractionFlag
    label.setTextInteractionFlags(flag.LinksAccessibleByMouse | flag.LinksAccessibleByKeyboard)
    label.setFocusPolicy(Qt.FocusPolicy.TabFocus)


class DetailView(QWidget):
    """Widgets only; ``controllers.detail`` fills and wires them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPane")
        self.setAccessibleName("Paper details")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack)

        self.empty = _label("dim", selectable=False)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setText("No paper selected")
        self.stack.addWidget(self.empty)

        scroll = self.scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setAccessibleName("Paper details")  # F6 focuses it: arrows scroll the details
        self.stack.addWidget(scroll)
        body = QWidget()
        body.setObjectName("detailPane")
        body.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(8)

        self.title = _label("detailTitle")
        self.authors = _label()
        self.facts = _label("detailMeta")
        self.state = _label("detailMeta")
        self.revision = QLabel()  # "New in v2: …" with a link to the changes (escaped text)
        self.revision.setObjectName("detailMeta")
        self.revision.setTextFormat(Qt.TextFormat.RichText)
        self.revision.setWordWrap(True)
        _keyboard_links(self.revision)
        self.revision.hide()
        links = QHBoxLayout()
        links.setSpacing(6)
        self.abstract_button = QPushButton("Abstract page")
        self.pdf_button = QPushButton("Open PDF")
        self.doi_button = QPushButton("DOI")
        for button in (self.abstract_button, self.pdf_button, self.doi_button):
            # reachable with Tab, but a click leaves the focus in the list (j, k, Space)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            links.addWidget(button)
        links.addStretch(1)
        self.pdf_section = self._section("In the PDF")
        self.pdf_matches = QLabel()  # pages matching a pdf: search, as links (escaped text)
        self.pdf_matches.setObjectName("pdfMatches")
        self.pdf_matches.setTextFormat(Qt.TextFormat.RichText)
        self.pdf_matches.setWordWrap(True)
        _keyboard_links(self.pdf_matches)
        for widget in (self.pdf_section, self.pdf_matches):
            widget.hide()
        self.abstract = _label("abstractText")
        self.abstract.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.comment = _label("detailMeta")

        self.tags = MultiTagEdit()  # completes the tag after the last comma
        self.tags.setObjectName("tagEdit")
        self.tags.setPlaceholderText("Add tags, separated by commas")
        self.tags.setClearButtonEnabled(True)
        self.tags.setAccessibleName("Tags of this paper")

        self.note_tabs = QTabWidget()
        self.note_tabs.setDocumentMode(True)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setObjectName("noteEdit")
        self.note_edit.setPlaceholderText("Your note (Markdown) — saved as you type")
        self.note_edit.setAccessibleName("Your note")
        self.note_preview = SafeMarkdownBrowser()
        self.note_preview.setObjectName("notePreview")
        self.note_tabs.addTab(self.note_edit, "Note")
        self.note_tabs.addTab(self.note_preview, "Preview")
        self.note_tabs.setMinimumHeight(160)
        self.note_conflict = _label("detailMeta")
        self.note_conflict.hide()

        layout.addWidget(self.title)
        layout.addWidget(self.authors)
        layout.addWidget(self.facts)
        layout.addWidget(self.state)
        layout.addWidget(self.revision)
        layout.addLayout(links)
        layout.addSpacing(6)
        layout.addWidget(self.pdf_section)
        layout.addWidget(self.pdf_matches)
        layout.addWidget(self._section("Abstract"))
        layout.addWidget(self.abstract)
        layout.addWidget(self.comment)
        layout.addSpacing(6)
        layout.addWidget(self._section("Tags"))
        layout.addWidget(self.tags)
        layout.addSpacing(6)
        layout.addWidget(self.note_conflict)
        layout.addWidget(self.note_tabs, 1)

    @staticmethod
    def _section(text: str) -> QLabel:
        label = _label("sectionLabel", selectable=False)
        label.setText(text)
        return label

    def show_revision(self, summary: str) -> None:
        """One line on what the latest arXiv version changed (plain text), with a link to the
        comparison; an empty summary hides the line."""
        from html import escape

        self.revision.setText(f'{escape(summary)} — <a href="changes">Show changes</a>'
                              if summary else "")
        self.revision.setVisible(bool(summary))

    def show_pdf_matches(self, lines: list[tuple[int, str]]) -> None:
        """Pages matching a ``pdf:`` search: (0-based page, snippet as safe HTML); none hides
        the section."""
        html = "<br>".join(f'<a href="page:{page}">p.&nbsp;{page + 1}</a>&nbsp; {snippet}'
                           for page, snippet in lines)
        self.pdf_matches.setText(html)
        for widget in (self.pdf_section, self.pdf_matches):
            widget.setVisible(bool(lines))

    def show_markdown(self, text: str) -> None:
        document = self.note_preview.document()
        feature = QTextDocument.MarkdownFeature
        # raw HTML as text: Qt's import of an inline <img> or <link> blanks the rest of the note
        document.setMarkdown(text, feature.MarkdownDialectGitHub | feature.MarkdownNoHTML)
