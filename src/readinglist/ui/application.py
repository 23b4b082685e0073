"""Start the desktop app: open the library, apply the theme, show the main window."""

from __future__ import annotations

import gc
import logging
import sys
from typing import Any

from readinglist.core.errors import ReadinglistError

log = logging.getLogger(__name__)


def ensure_first_run(library: object, paths: object, settings: object) -> bool:
    """On the first start the Hugging Face daily subscription is on. Returns True if first."""
    config = paths.config  # type: ignore[attr-defined]
    if config.exists():
        return False
    if not library.subscriptions():  # type: ignore[attr-defined]
        from readinglist.core.models import Subscription

        library.subscribe_feed(Subscription("hf-daily"))  # type: ignore[attr-defined]
    settings.save(config)  # type: ignore[attr-defined]
    return True


def create_window(app: object, first_run: bool = True, fetch: bool | None = None) -> object:
    """Apply the theme, show the main window over the library (used by ``run_app``).

    When the library file is already set up, the first rows come from a read-only
    ``LibraryReader``; the ``Library`` (with its write side), the window icon and the tray
    icon follow right after the first paint.

    Raises:
        ReadinglistError: the library cannot be opened.
    """
    from readinglist.services.config import Settings
    from readinglist.services.paths import library_paths
    from readinglist.ui.controllers.main_window import MainWindow
    from readinglist.ui.location import chosen_home
    from readinglist.ui.style.theme import apply_theme

    paths = library_paths(chosen_home())
    settings = Settings.load(paths.config)
    apply_theme(app, settings.theme)  # type: ignore[arg-type]

    def open_library() -> object:
        from readinglist.services.library import Library

        return Library(paths.database)

    def theme_changed() -> None:
        apply_theme(app, settings.theme)  # type: ignore[arg-type]

    reader = None
    if not (first_run and not paths.config.exists()):
        from readinglist.services.reader import LibraryReader

        reader = LibraryReader.open(paths.database)
    if reader is not None:
        window = MainWindow(reader, paths, settings, on_settings_changed=theme_changed,
                            open_library=open_library)
    else:  # a new or older file, or the first start: create or upgrade it now
        library = open_library()
        if first_run:
            ensure_first_run(library, paths, settings)
        window = MainWindow(library, paths, settings, on_settings_changed=theme_changed)
    app.styleHints().colorSchemeChanged.connect(  # type: ignore[attr-defined]
        lambda _scheme: theme_changed())
    window.when_ready(lambda: _add_icons(app, window))
    window.start(fetch=fetch)
    return window


def _add_icons(app: object, window: Any) -> None:
    """The window icon, and the tray icon where the desktop has a tray."""
    from readinglist.ui.qt import QSystemTrayIcon
    from readinglist.ui.resources import icon

    app.setWindowIcon(icon("readinglist"))  # type: ignore[attr-defined]
    if QSystemTrayIcon.isSystemTrayAvailable():
        tray = QSystemTrayIcon(icon("readinglist"), window.view)
        tray.setToolTip("readinglist")
        tray.activated.connect(lambda _reason: (window.view.showNormal(),
                                                window.view.activateWindow()))
        tray.show()
        window.fetch.set_tray(tray)


def run_app(debug: bool = False) -> int:
    """The ``readinglist`` command without arguments. Returns the exit status."""
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING)
    from readinglist.ui.qt import QApplication, QMessageBox

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("readinglist")
    app.setOrganizationName("readinglist")
    app.setDesktopFileName("readinglist")
    try:
        window = create_window(app)
    except (ReadinglistError, OSError) as error:
        QMessageBox.critical(None, "readinglist", f"Cannot open the library: {error}")
        return 1
    freeze_startup_objects_later()
    try:
        return app.exec()
    finally:
        window.shutdown()  # type: ignore[attr-defined]
        window.library.close()  # type: ignore[attr-defined]


STARTUP_SETTLED_MS = 3000


def freeze_startup_objects_later(delay_ms: int = STARTUP_SETTLED_MS) -> None:
    """Once start-up has settled, move everything it created (modules, classes, widgets,
    caches: they live as long as the app) out of the garbage collector's way.

    Otherwise every full collection walks them all again and pauses the GUI thread for
    ~20 ms, whichever keystroke it lands on.
    """
    from readinglist.ui.qt import QTimer

    def freeze() -> None:
        gc.collect()
        gc.freeze()

    QTimer.singleShot(delay_ms, freeze)

