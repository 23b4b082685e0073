"""The app keeps export files up to date as papers change (a real file, a real library)."""

from __future__ import annotations

from pathlib import Path

from readinglist.services import auto_export
from readinglist.services.config import Settings
from readinglist.services.paths import library_paths
from readinglist.ui.controllers.auto_export import AutoExportController
from tests.gui.helpers import record


def test_a_kept_file_follows_the_tags(qtbot, make_window, library, monkeypatch,
                                      tmp_path: Path):
    monkeypatch.setattr(AutoExportController, "SETTLE_MS", 50)
    library.merge_records([record(1), record(2)])
    bib = tmp_path / "thesis.bib"
    paths = library_paths()
    settings = Settings.load(paths.config)
    auto_export.add(settings, auto_export.make(bib, None, None, "thesis", None, []))
    settings.save(paths.config)
    window = make_window()
    library.tag(["2611.00002"], add=["thesis"])
    qtbot.waitUntil(lambda: bib.exists() and "2611.00002" in bib.read_text(), timeout=10_000)
    assert "2611.00001" not in bib.read_text()
    runs = window.auto_export.runs
    library.mark(["2611.00001"], "read", True)  # papers changed, the file's did not
    qtbot.waitUntil(lambda: window.auto_export.runs > runs, timeout=10_000)
    assert "2611.00001" not in bib.read_text()
    bib.unlink()
    bib.mkdir()  # a folder where the file was: it cannot be written
    messages = []
    window.auto_export.report = messages.append
    library.tag(["2611.00001"], add=["thesis"])
    qtbot.waitUntil(lambda: bool(messages), timeout=10_000)
    assert messages[0].startswith("Could not update thesis.bib: cannot write")


def test_keep_this_list_up_to_date_from_the_file_menu(qtbot, make_window, library,
                                                      tmp_path: Path):
    from tests.gui.conftest import idle

    library.merge_records([record(1), record(2), record(3)])
    library.tag(["2611.00001", "2611.00003"], add=["thesis"])
    window = make_window()
    from readinglist.ui.models.entry import SidebarEntry

    thesis = SidebarEntry("tag", "thesis", "all", tag="thesis").ident
    qtbot.waitUntil(lambda: window.sidebar.select_entry(thesis), timeout=10_000)
    idle(qtbot, window)
    exporter = window.exporter()
    exporter.ask_path = lambda title, stem: (str(tmp_path / stem), "ris")
    messages = []
    exporter.message.connect(messages.append)
    window.actions["keep_updated"].trigger()
    qtbot.waitUntil(lambda: bool(messages), timeout=10_000)
    assert messages == ["thesis.ris: 2 papers, kept up to date as they change"]
    kept = auto_export.configured(Settings.load(library_paths().config))
    assert [(e.path.name, e.format, e.tag) for e in kept] == [("thesis.ris", "ris", "thesis")]
    assert (tmp_path / "thesis.ris").read_text().count("TY  - ") == 2


def test_preferences_stop_keeping_a_file(qtbot, make_window, library, tmp_path: Path):
    paths = library_paths()
    settings = Settings.load(paths.config)
    for name in ("a.bib", "b.ris"):
        auto_export.add(settings, auto_export.make(tmp_path / name, None, "starred", None,
                                                   None, []))
    settings.save(paths.config)
    window = make_window()
    dialog = window.open_preferences()
    qtbot.addWidget(dialog)
    assert [dialog.kept.item(r).text() for r in range(dialog.kept.count())] == [
        "a.bib — bibtex, every paper in starred", "b.ris — ris, every paper in starred"]
    dialog.kept.item(0).setSelected(True)
    dialog._remove_selected(dialog.kept)
    later = Settings.load(paths.config)  # the command line adds one while the dialog is open
    auto_export.add(later, auto_export.make(tmp_path / "c.json", None, None, "x", None, []))
    later.save(paths.config)
    dialog.accept()
    kept = [e.path.name for e in auto_export.configured(Settings.load(paths.config))]
    assert kept == ["b.ris", "c.json"]
