"""Qt-free pieces of the ui package: TeX to Unicode, the undo stack, tag input, the keymap."""

from __future__ import annotations

import pytest

from readinglist.ui.keymap import BINDINGS, shortcut_rows
from readinglist.ui.texmap import tex_to_unicode
from readinglist.ui.undo import FlagChange, TagEdit, TriageAction, UndoStack
from readinglist.ui.views.tag_popup import parse_tag_input


@pytest.mark.parametrize(("tex", "shown"), [
    (r"$\infty$-width networks", "∞-width networks"),
    (r"$O(n^2)$ time with $x_i \leq 10$", "O(n²) time with xᵢ ≤ 10"),
    (r"over $\mathbb{R}^d$ and $\alpha=0.5$", "over ℝ^d and α=0.5"),
    (r"costs \$0.0007 per task, 50\% fewer", "costs $0.0007 per task, 50% fewer"),
    (r"\textbf{Bold} and \emph{it}", "Bold and it"),
    (r"$n^{1/2}$ and $\unknowncommand$", r"n^(1/2) and \unknowncommand"),
    ("plain text, no TeX", "plain text, no TeX"),
])
def test_tex_is_shown_readably(tex, shown):
    assert tex_to_unicode(tex) == shown


def test_undo_stack_inverts_and_redoes(library):
    from tests.gui.helpers import add_papers

    keys = add_papers(library, 3)
    stack = UndoStack()
    action = TriageAction("Star", (FlagChange("starred", True, tuple(keys[:2])),),
                          (TagEdit(keys[2], ("new",), ()),))
    action.apply(library)
    stack.push(action)
    assert [library.get(k).starred for k in keys] == [True, True, False]
    assert library.get(keys[2]).tags == ("new",)
    stack.undo().apply(library)
    assert [library.get(k).starred for k in keys] == [False, False, False]
    assert library.get(keys[2]).tags == ()
    assert stack.undo() is None and stack.redo_label == "Star"
    stack.redo().apply(library)
    assert [library.get(k).starred for k in keys] == [True, True, False]
    stack.push(TriageAction("Read", (FlagChange("read", True, (keys[0],)),)))
    assert stack.redo() is None  # a new action clears the redo side
    stack.push(TriageAction("nothing", (FlagChange("read", True, ()),)))
    assert stack.undo_label == "Read"


def test_tag_input_adds_and_removes():
    assert parse_tag_input("llm, Brand New , -old, ,-") == (["llm", "Brand New"], ["old"])


def test_keymap_covers_the_contract():
    keys = {b.command: b.keys for b in BINDINGS}
    assert keys["next"] == ("J",) and keys["mark_all_read"] == ("Shift+M",)
    assert keys["undo"] == ("Ctrl+Z",) and keys["redo"] == ("Ctrl+Shift+Z",)
    rows = dict(shortcut_rows())
    assert "j / ↓" in rows and "Shift+M" in rows and "/" in rows and "Esc" in rows


def test_when_idle_waits_for_a_pause_in_typing(qtbot):
    import time

    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QWidget

    from readinglist.ui.idle import WhenIdle

    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAction, QKeySequence

    field = QWidget()  # like the paper list: letters are shortcuts there
    field.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    qtbot.addWidget(field)
    field.show()
    field.setFocus()
    shortcut = QAction(field)  # like j or m: the key never arrives as a KeyPress
    shortcut.setShortcut(QKeySequence("a"))
    shortcut.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    pressed: list[bool] = []
    shortcut.triggered.connect(lambda: pressed.append(True))
    field.addAction(shortcut)
    ran: list[float] = []
    started = time.perf_counter()
    idle = WhenIdle(300, lambda: ran.append(time.perf_counter()))
    last_key = started
    for _ in range(12):  # keep typing for ~0.6 s: twice the quiet period
        QTest.keyClick(field, "a")
        last_key = time.perf_counter()
        qtbot.wait(50)
    assert not ran and idle.pending and pressed
    qtbot.waitUntil(lambda: bool(ran), timeout=2000)
    # Qt's coarse timers may fire up to 5 % early
    assert ran[0] - last_key >= 0.28 and ran[0] - started >= 0.8
    assert not idle.pending
    QTest.keyClick(field, "b")
    qtbot.wait(400)
    assert len(ran) == 1  # once only


def test_shutdown_waits_for_running_reads_and_drops_their_callbacks(qtbot):
    import threading
    import time

    from readinglist.ui.tasks import Tasks

    tasks = Tasks()
    started, finished, delivered = threading.Event(), threading.Event(), []

    def slow_read() -> str:
        started.set()
        time.sleep(0.3)
        finished.set()
        return "rows"

    tasks.read(slow_read, delivered.append)
    tasks.read(lambda: "queued behind nothing", delivered.append)
    assert started.wait(5)
    tasks.shutdown()
    assert finished.is_set()  # the library may be closed now: nothing still reads it
    qtbot.wait(50)
    assert delivered == []  # callbacks after shutdown are dropped
