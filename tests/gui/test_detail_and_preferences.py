"""The detail pane (plain-text feed text, tags, Markdown note), Preferences and layout."""

from __future__ import annotations

from readinglist.core.models import PaperRecord, Subscription
from readinglist.ui.qt import QUrl, Qt
from tests.gui.conftest import idle
from tests.gui.helpers import add_papers


def test_feed_text_is_never_rendered_as_html(qtbot, make_window, library):
    library.merge_records([PaperRecord(
        key="2611.00500", arxiv_id="2611.00500", title="<b>Bold</b> claims about $O(n^2)$",
        abstract="<img src='http://127.0.0.1:9/x.png'> An abstract with <i>tags</i>.",
        authors=("Eve <script>",), source="rss")])
    window = make_window()
    detail = window.view.detail
    qtbot.waitUntil(lambda: detail.stack.currentIndex() == 1, timeout=5000)
    assert detail.title.textFormat() == Qt.TextFormat.PlainText
    assert detail.title.text() == "<b>Bold</b> claims about O(n²)"
    assert detail.abstract.textFormat() == Qt.TextFormat.PlainText
    assert detail.abstract.text().startswith("<img src=")
    assert detail.authors.text() == "Eve <script>"


def test_tags_and_note_edits_are_saved(qtbot, make_window, library):
    keys = add_papers(library, 2)
    window = make_window()
    detail = window.view.detail
    qtbot.waitUntil(lambda: detail.stack.currentIndex() == 1, timeout=5000)
    key = window.papers.current_row().key
    detail.tags.setFocus()
    detail.tags.setText("reading group, Ideas")
    detail.tags.editingFinished.emit()
    qtbot.waitUntil(lambda: set(library.get(key).tags) == {"reading group", "ideas"},
                    timeout=5000)
    detail.note_edit.setPlainText("# Summary\n\n![remote](http://127.0.0.1:9/tracker.png) *good*")
    qtbot.waitUntil(lambda: library.get(key).note.startswith("# Summary"), timeout=5000)
    detail.note_tabs.setCurrentIndex(1)
    html = detail.note_preview.toHtml()
    assert "Summary" in html and "<i>" in html or "italic" in html
    assert detail.note_preview.loadResource(2, QUrl("http://127.0.0.1:9/tracker.png")) is None
    assert set(keys) >= {key}


def test_preferences_show_what_the_config_command_changed(qtbot, make_window, settings,
                                                         isolated_home):
    from readinglist.cli.main import run

    window = make_window()
    assert run(["config", "pdf_max_mb", "75"]) == 0
    assert run(["config", "rss_include_replacements", "on"]) == 0
    dialog = window.open_preferences()
    qtbot.addWidget(dialog)
    assert dialog.pdf_limit.value() == 75 and dialog.replacements.isChecked()
    assert settings.pdf_max_mb == 75  # the running app's settings follow the file


def test_preferences_store_subscriptions_and_settings(qtbot, make_window, library, settings,
                                                      isolated_home):
    from readinglist.services.config import Settings

    library.subscribe_feed(Subscription("hf-daily"))
    window = make_window()
    dialog = window.open_preferences()
    qtbot.addWidget(dialog)
    assert dialog.hf.isChecked()
    qtbot.keyClicks(dialog.category_filter, "computation and lang")
    visible = [dialog.category_list.item(r) for r in range(dialog.category_list.count())
               if not dialog.category_list.item(r).isHidden()]
    assert [i.data(Qt.ItemDataRole.UserRole) for i in visible] == ["cs.CL"]
    dialog._add_category()
    dialog.feed_url.setText("not a url")
    dialog._add_feed()
    assert "http" in dialog.feed_error.text()
    dialog.feed_url.setText("https://example.org/feed.xml")
    dialog._add_feed()
    dialog.hf.setChecked(False)
    dialog.mark_group.button(0).setChecked(True)
    dialog.theme.setCurrentIndex(2)
    dialog.interval.setValue(30)
    dialog.backfill.setValue(3)
    dialog.replacements.setChecked(True)
    dialog.pdf_limit.setValue(50)
    dialog.accept()
    idle(qtbot, window)
    assert {s.key for s in library.subscriptions()} == {"arxiv-rss:cs.CL",
                                                        "rss:https://example.org/feed.xml"}
    saved = Settings.load(isolated_home / "config.json")
    assert (saved.mark_read, saved.theme, saved.fetch_interval_minutes) == ("select", "dark", 30)
    assert (saved.hf_backfill_days, saved.rss_include_replacements, saved.pdf_max_mb) == \
        (3, True, 50)
    assert window.fetch.timer.isActive() and window.fetch.timer.interval() == 30 * 60_000
    group = window.sidebar.model.group("Subscriptions")
    qtbot.waitUntil(lambda: {group.child(r, 0).text() for r in range(group.rowCount())}
                    == {"arXiv cs.CL", "example.org"}, timeout=5000)


def test_preferences_edit_feed_rules(qtbot, make_window, library):
    from readinglist.services.rules import RuleBook

    RuleBook(library).save("old", "quantum", ["read"])
    RuleBook(library).save("keep", "graph", tags=["gnn"])
    window = make_window()
    dialog = window.open_preferences()
    qtbot.addWidget(dialog)
    tab = dialog.rules_tab
    assert [r.name for r in tab.rules()] == ["keep", "old"]
    tab.name.setText("Vision")
    tab.query.setText("diffusion -survey")
    assert not tab.add_from_form() and "needs an action" in tab.error.text()
    tab.star.setChecked(True)
    tab.query.setText("since:soon")
    assert not tab.add_from_form() and "since:" in tab.error.text()
    tab.query.setText("diffusion -survey")
    tab.tags.setText("video gen, vision")
    assert tab.add_from_form() and not tab.error.text() and not tab.name.text()
    tab.list.item(1).setSelected(True)  # "old"
    tab._remove_selected()
    dialog.accept()
    idle(qtbot, window)
    rules = {r.name: r for r in RuleBook(library).all()}
    assert set(rules) == {"keep", "Vision"}
    assert (rules["Vision"].query, rules["Vision"].flags, rules["Vision"].tags) == (
        "diffusion -survey", ("star",), ("video gen", "vision"))


def test_window_layout_and_columns_persist(qtbot, make_window, library):
    add_papers(library, 3)
    window = make_window()
    window.view.resize(760, 560)  # inside the offscreen screen, so nothing gets clamped
    qtbot.waitUntil(lambda: window.view.width() == 760, timeout=5000)
    window.view.splitter.setSizes([200, 300, 250])
    window.view.table.horizontalHeader().resizeSection(1, 133)  # the title stretches
    window.view.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    idle(qtbot, window)
    sizes = window.view.splitter.sizes()
    window.view.close()
    again = make_window()
    assert again.view.splitter.sizes() == sizes
    assert again.view.table.horizontalHeader().sectionSize(1) == 133
    assert (again.papers.model.sort_key, again.papers.model.descending) == ("title", False)
    titles = [again.papers.model.row_at(p).title for p in range(3)]
    assert titles == sorted(titles, key=str.lower)


def test_help_lists_every_shortcut(qtbot, make_window, library):
    from readinglist.ui.keymap import BINDINGS

    window = make_window()
    dialog = window.show_shortcuts()
    qtbot.addWidget(dialog)
    text = dialog.findChildren(type(window.view.count_label))[0].text()
    for binding in BINDINGS:
        assert binding.description.split(" (")[0].replace("&", "&amp;") in text
    for command in ("next", "toggle_read", "mark_all_read", "undo", "redo", "fetch"):
        assert window.actions[command].shortcut().toString()
    for keys in ("Ctrl+N", "Ctrl+Shift+E", "Ctrl+Shift+H", "Ctrl+,", "F1"):  # menu commands
        assert f"<b>{keys}</b>" in text
    assert "<b>Ctrl+3</b>" in text and "Go to Reading" in text


def test_ctrl_number_goes_to_the_sidebar_lists(qtbot, make_window, library):
    from tests.gui.conftest import idle

    window = make_window()
    expected = ["Inbox", "For you", "Reading", "Daily", "Starred", "Archive", "All"]
    for number, label in enumerate(expected, start=1):
        action = next(a for a in window.actions.values()
                      if a.shortcut().toString() == f"Ctrl+{number}")
        action.trigger()
        idle(qtbot, window)
        assert window.papers.state.entry.label == label


def test_the_sync_indicator_joins_the_status_bar(qtbot, make_window, library):
    add_papers(library, 1)
    window = make_window()
    qtbot.waitUntil(lambda: window.sync_widget is not None, timeout=5000)
    assert window.sync_widget.parent() is not None
    assert window.sync_widget.isVisibleTo(window.view)


def test_preferences_keep_what_the_command_line_set_meanwhile(qtbot, make_window, settings,
                                                             isolated_home):
    from readinglist.cli.main import run
    from readinglist.services.config import Settings

    window = make_window()
    dialog = window.open_preferences()
    qtbot.addWidget(dialog)
    assert run(["mail", "setup", "smtp.example.org", "--to", "me@example.org"]) == 0
    dialog.interval.setValue(15)
    dialog.accept()
    saved = Settings.load(isolated_home / "config.json")
    assert saved.fetch_interval_minutes == 15
    assert saved.mail["host"] == "smtp.example.org"  # not overwritten by the dialog


def test_the_state_line_says_where_you_left_the_paper(qtbot, make_window, library):
    from readinglist.core.models import ReadingPosition
    from readinglist.ui.controllers.detail import reading_line
    from tests.gui.helpers import record

    here, there = library.device_id, "othermachine"
    mine = ReadingPosition("2611.00001", here, 5, 0.2, "2")
    theirs = ReadingPosition("2611.00001", there, 8, 0.0, "1")
    assert reading_line([mine, theirs], here) == "reading p. 6, p. 9 on another machine"
    assert reading_line([mine], here) == "reading p. 6"
    assert reading_line([theirs], here) == "p. 9 on another machine"
    assert reading_line([mine, theirs], here, {theirs.device_id: "thinkpad"}) \
        == "reading p. 6, p. 9 on thinkpad"
    assert reading_line([ReadingPosition("2611.00001", here, 0, 0.4, "3")], here) == ""
    library.merge_records([record(1)])
    library.set_position("2611.00001", 5, 0.2)
    window = make_window()
    window.papers.select_position(0)
    qtbot.waitUntil(lambda: "reading p. 6" in window.view.detail.state.text(), timeout=5000)


def test_preferences_open_once_and_come_to_the_front_again(qtbot, make_window):
    window = make_window()
    first = window.open_preferences()
    assert first.isVisible()
    assert window.open_preferences() is first
    first.close()
    second = window.open_preferences()
    assert second is not first and second.isVisible()
    second.close()
