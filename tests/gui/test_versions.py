"""A new arXiv version in the detail pane: what changed, and the word diff in a dialog."""

from __future__ import annotations

from readinglist.core.models import PaperRecord
from readinglist.ui.qt import QApplication
from readinglist.ui.views.version_diff import VersionDiffDialog
from tests.gui.conftest import idle
from tests.gui.helpers import record


def _revise(library) -> None:
    first = record(1)
    library.merge_records([first])
    fields = {name: getattr(first, name) for name in first.__dataclass_fields__}
    fields.update(version=2, abstract=first.abstract + ' Now with <img src="http://127.0.0.1:9/'
                  'x.png"> scaling results.', comment="Accepted at ICLR 2026")
    library.merge_records([PaperRecord(**fields)])


def test_the_detail_pane_says_what_the_new_version_changed(qtbot, make_window, library):
    _revise(library)
    library.merge_records([record(2)])  # a v1 paper: no revision line
    window = make_window()
    window.sidebar.select_label("All")
    idle(qtbot, window)
    keys = [window.papers.model.row_at(p).key for p in range(window.papers.model.rowCount())]
    window.papers.select_position(keys.index("2611.00001"))
    revision = window.view.detail.revision
    qtbot.waitUntil(lambda: revision.isVisibleTo(window.view), timeout=5000)
    text = revision.text()
    assert "New in v2 (was v1, " in text
    assert "abstract +6 −0 words, comment: “Accepted at ICLR 2026”" in text
    assert 'href="changes"' in text
    opened = []
    window.detail.show_changes = lambda: opened.append(True)  # the link asks for the dialog
    window.view.detail.revision.linkActivated.emit("changes")
    assert opened == [True]
    window.papers.select_position(keys.index("2611.00002"))
    qtbot.waitUntil(lambda: not revision.isVisibleTo(window.view), timeout=5000)


def test_the_changes_dialog_shows_an_escaped_word_diff(qtbot, make_window, library):
    _revise(library)
    (earlier,) = library.earlier_versions("2611.00001")
    paper = library.get("2611.00001")
    dialog = VersionDiffDialog(earlier, paper, dark=False)
    qtbot.addWidget(dialog)
    html = dialog.browser.toHtml()
    text = dialog.browser.toPlainText()
    assert "v1 → v2" in text and "Title: unchanged" in text
    assert '<img src="http://127.0.0.1:9/x.png">' in text  # shown as text, never loaded
    assert "<img" not in html.replace("&lt;img", "")
    assert "#c9efd2" in html  # added words marked
    assert "Accepted at ICLR 2026" in text
    dark = VersionDiffDialog(earlier, paper, dark=True)
    qtbot.addWidget(dark)
    assert "#1f5130" in dark.browser.toHtml()
    assert QApplication.instance() is not None
