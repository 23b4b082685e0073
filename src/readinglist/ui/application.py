"""Start the desktop app: open the library, apply the theme, show the main window."""

from __future__ import annotations

import logging
import sys

from readinglist.core.errors import ReadinglistError
from readinglist.core.models import Subscription

log = logging.getLogger(__name__)


def ensure_first_run(library: object, paths: object, settings: object) -> bool:
    """On the first start the Hugging Face daily subscription is on. Returns True if first."""
    config = paths.config  # type: ignore[attr-defined]
    if config.exists():
        return False
    if not library.subscriptions():  # type: ignore[attr-defined]
        library.subscribe_feed(Subscription("hf-daily"))  # type: ignore[attr-defined]
    settings.save(config)  # type: ignore[attr-defined]
    return True


def create_window(app: object, first_run: bool = True, fetch: bool | None = None) -> object:
    """Open the library, apply the theme and show the main window (used by ``run_app``).

    Raises:
        ReadinglistError: the library cannot be opened.
    """
    from readinglist.services.config import Settings
    from readinglist.services.library import Library
    from readinglist.services.paths import library_paths
    from readinglist.ui.controllers.main_window import MainWindow
    from readinglist.ui.location import chosen_home
    from readinglist.ui.qt import QSystemTrayIcon
    from readinglist.ui.resources import icon
    from readinglist.ui.style.theme import apply_theme

    app.setWindowIcon(icon("readinglist"))  # type: ignore[attr-defined]
    paths = library_paths(chosen_home())
    settings = Settings.load(paths.config)
    apply_theme(app, settings.theme)  # type: ignore[arg-type]
    library = Library(paths.database)
    if first_run:
        ensure_first_run(library, paths, settings)

    def theme_changed() -> None:
        apply_theme(app, settings.theme)  # type: ignore[arg-type]

    app.styleHints().colorSchemeChanged.connect(  # type: ignore[attr-defined]
        lambda _scheme: theme_changed())
    window = MainWindow(library, paths, settings, on_settings_changed=theme_changed)
    if QSystemTrayIcon.isSystemTrayAvailable():
        tray = QSystemTrayIcon(icon("readinglist"), window.view)
        tray.setToolTip("readinglist")
        tray.activated.connect(lambda _reason: (window.view.showNormal(),
                                                window.view.activateWindow()))
        tray.show()
        window.fetch.set_tray(tray)
    window.start(fetch=fetch)
    return window


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
    try:
        return app.exec()
    finally:
        window.shutdown()  # type: ignore[attr-defined]
        window.library.close()  # type: ignore[attr-defined]
