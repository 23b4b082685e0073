"""Audit: the note editor and its preview, and note conflicts in the detail pane, in a real
main window over a real library."""

from __future__ import annotations

from pathlib import Path

from readinglist.ui.qt import QPoint, Qt, QTextDocument, QUrl
from tests.gui.conftest import idle
from tests.gui.helpers import add_papers


def _shown(qtbot, window, key: str) -> None:
    """Wait until the detail pane shows ``key`` and every read has delivered."""
    detail = window.detail
    qtbot.waitUntil(lambda: detail.paper is not None and detail.paper.key == key, timeout=5000)
    idle(qtbot, window)


def _settle(qtbot, window) -> None:
    """Let the note's autosave timer fire and its write (and the re-read) finish."""
    qtbot.waitUntil(lambda: not window.detail._note_timer.isActive(), timeout=5000)
    idle(qtbot, window)


def _showing_first(qtbot, make_window, library, count: int):
    """A window on ``count`` papers with the first one in the detail pane."""
    add_papers(library, count)
    window = make_window()
    first = window.papers.current_row().key
    _shown(qtbot, window, first)
    return window, first, window.view.detail


def test_moving_on_after_typing_a_note_shows_the_next_paper(qtbot, make_window, library):
    window, first, view = _showing_first(qtbot, make_window, library, 3)
    view.note_edit.setFocus()
    qtbot.keyClicks(view.note_edit, "hello")
    window.papers.select_position(1)  # saves the note; its echo must not pull the pane back
    second = window.papers.current_row().key
    qtbot.wait(300)
    _settle(qtbot, window)
    assert window.detail.paper.key == second
    assert view.title.text() == library.get(second).title
    assert library.get(first).note == "hello"
    assert library.get(second).note == ""
    qtbot.keyClicks(view.note_edit, "next")  # typing now goes to the paper on screen
    _settle(qtbot, window)
    assert (library.get(first).note, library.get(second).note) == ("hello", "next")


def test_keys_typed_while_the_next_paper_loads_are_kept_with_the_shown_one(qtbot, make_window,
                                                                          library):
    window, first, view = _showing_first(qtbot, make_window, library, 3)
    window.papers.select_position(1)
    second = window.papers.current_row().key
    qtbot.keyClicks(view.note_edit, "late")  # the editor still shows the first paper
    _shown(qtbot, window, second)
    _settle(qtbot, window)
    assert library.get(first).note == "late"
    assert library.get(second).note == ""
    assert view.note_edit.toPlainText() == ""


def test_undo_in_the_note_editor_survives_the_autosave(qtbot, make_window, library):
    window, key, view = _showing_first(qtbot, make_window, library, 2)
    view.note_edit.setFocus()
    qtbot.keyClicks(view.note_edit, "hello world")
    qtbot.waitUntil(lambda: library.get(key).note == "hello world", timeout=5000)
    _settle(qtbot, window)
    assert view.note_edit.document().isUndoAvailable()
    qtbot.keyClick(view.note_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert view.note_edit.toPlainText() != "hello world"
    _settle(qtbot, window)
    assert library.get(key).note == view.note_edit.toPlainText()


def test_preview_shows_raw_html_as_text_and_loads_nothing(qtbot, make_window, library,
                                                          http_server):
    add_papers(library, 1)
    window = make_window()
    key = window.papers.current_row().key
    _shown(qtbot, window, key)
    view = window.view.detail
    view.note_edit.setPlainText(
        f'see <img src="{http_server.url}/pixel.png"> here\n'
        f'<link rel=stylesheet href="{http_server.url}/style.css">\n'
        "<script>alert(1)</script>\n\n"
        f"![remote]({http_server.url}/md.png)\n\n"
        "| model | score |\n|---|---|\n| ours | 0.9 |\n\n"
        "```python\nx = 1\n```\n\n- one\n- two\n  1. nested\n")
    view.note_tabs.setCurrentIndex(1)
    window.view.show()
    qtbot.waitExposed(window.view)
    view.note_preview.grab()  # lays the whole document out (images included)
    text = view.note_preview.toPlainText()
    # the rest of the note is not swallowed by Qt's import of an inline <img> or <link>
    for words in ("see <img", "<script>alert(1)</script>", "ours", "0.9", "x = 1", "nested"):
        assert words in text
    qtbot.wait(200)
    assert http_server.requests == []


def test_preview_never_reads_a_local_file(qtbot, make_window, library, tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET")
    add_papers(library, 1)
    window = make_window()
    _shown(qtbot, window, window.papers.current_row().key)
    view = window.view.detail
    view.note_edit.setPlainText(f"![x]({secret}) and ![y]({secret.as_uri()})")
    view.note_tabs.setCurrentIndex(1)
    view.note_preview.grab()
    document = view.note_preview.document()
    kind = QTextDocument.ResourceType.ImageResource.value
    # (a path such as /dev/zero or a FIFO used to hang the app right here)
    assert not document.resource(kind, QUrl(str(secret)))
    assert not document.resource(kind, QUrl(secret.as_uri()))


def _click_words(qtbot, browser, words: str) -> None:
    cursor = browser.document().find(words)
    assert not cursor.isNull()
    cursor.setPosition(cursor.selectionStart() + 1)
    point = browser.cursorRect(cursor).center() + QPoint(1, 0)
    assert browser.anchorAt(point)
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_links_in_the_preview_open_in_the_browser_on_click_web_links_only(qtbot, make_window,
                                                                          library):
    add_papers(library, 1)
    window = make_window()
    _shown(qtbot, window, window.papers.current_row().key)
    view = window.view.detail
    view.note_edit.setPlainText("[project page](https://example.org/p)\n\n"
                                "[evil](javascript:alert(1))\n\n[local](file:///etc/passwd)\n")
    view.note_tabs.setCurrentIndex(1)
    window.view.show()
    qtbot.waitExposed(window.view)
    assert window.opened == []  # showing the preview opens nothing
    _click_words(qtbot, view.note_preview, "evil")
    _click_words(qtbot, view.note_preview, "local")
    assert window.opened == []
    _click_words(qtbot, view.note_preview, "project page")
    assert window.opened == ["https://example.org/p"]
    assert "project page" in view.note_preview.toPlainText()  # the preview did not navigate


def test_a_note_set_from_the_cli_during_unsaved_edits_is_kept(qtbot, make_window, library):
    from readinglist.cli.main import run

    add_papers(library, 2)
    window = make_window()
    key = window.papers.current_row().key
    library.set_note(key, "first line\n")
    qtbot.waitUntil(lambda: window.view.detail.note_edit.toPlainText() == "first line\n",
                    timeout=5000)
    view = window.view.detail
    view.note_edit.setFocus()
    view.note_edit.moveCursor(view.note_edit.textCursor().MoveOperation.End)
    qtbot.keyClicks(view.note_edit, "typed in the app")
    assert run(["note", key, "--set", "from the terminal"]) == 0  # another process
    _settle(qtbot, window)
    qtbot.waitUntil(lambda: "from the terminal" in view.note_edit.toPlainText(), timeout=5000)
    note = library.get(key).note
    assert "typed in the app" in note and "from the terminal" in note
    assert view.note_edit.toPlainText() == note


def test_a_cli_edit_of_another_line_merges_with_the_apps_edit(qtbot, make_window, library):
    from readinglist.cli.main import run

    add_papers(library, 1)
    window = make_window()
    key = window.papers.current_row().key
    library.set_note(key, "title\n\nbody\n\nend\n")
    qtbot.waitUntil(lambda: window.view.detail.note_edit.toPlainText().startswith("title"),
                    timeout=5000)
    view = window.view.detail
    view.note_edit.setFocus()
    view.note_edit.moveCursor(view.note_edit.textCursor().MoveOperation.Start)
    qtbot.keyClicks(view.note_edit, "# ")
    assert run(["note", key, "--set", "title\n\nbody\n\nend, from the terminal\n"]) == 0
    _settle(qtbot, window)
    qtbot.waitUntil(lambda: library.get(key).note
                    == "# title\n\nbody\n\nend, from the terminal\n", timeout=5000)


def test_a_note_in_conflict_shows_every_version_and_editing_keeps_them(qtbot, make_window,
                                                                       library, tmp_path):
    from readinglist.sync.folder import FolderStorage
    from tests.sync.helpers import open_library, sync

    key = add_papers(library, 1)[0]
    remote = FolderStorage(tmp_path / "shared")
    laptop = open_library(tmp_path / "laptop")
    try:
        library.set_note(key, "shared\n")
        sync(library, remote)
        sync(laptop, remote)
        library.set_note(key, "desktop wording\n")
        laptop.set_note(key, "laptop wording\n")
        sync(laptop, remote)
        sync(library, remote)
        assert sorted(library.note_versions(key)) == ["desktop wording\n", "laptop wording\n"]
        window = make_window()
        _shown(qtbot, window, key)
        view = window.view.detail
        assert not view.note_conflict.isHidden()
        shown = view.note_edit.toPlainText()
        assert "desktop wording" in shown and "laptop wording" in shown  # "both … below"
        view.note_edit.setFocus()
        view.note_edit.moveCursor(view.note_edit.textCursor().MoveOperation.End)
        qtbot.keyClicks(view.note_edit, "both are right")
        _settle(qtbot, window)
        (resolved,) = library.note_versions(key)
        assert "desktop wording" in resolved and "laptop wording" in resolved
        assert resolved.endswith("both are right")
        qtbot.waitUntil(lambda: view.note_conflict.isHidden(), timeout=5000)
        sync(library, remote)
        sync(laptop, remote)
        assert laptop.note_versions(key) == [resolved]
        assert not laptop.get(key).note_conflict
    finally:
        laptop.close()

