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


def run_app(debug: bool = False) -> int:
    """The ``readinglist`` command without arguments. Returns the exit status."""
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING)
    from readinglist.ui.qt import QApplication, QMessageBox, QSystemTrayIcon

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("readinglist")
    app.setOrganizationName("readinglist")
    app.setDesktopFileName("readinglist")
    from readinglist.services.config import Settings
    from readinglist.services.library import Library
    from readinglist.services.paths import library_paths
    from readinglist.ui.controllers.main_window import MainWindow
    from readinglist.ui.location import chosen_home
    from readinglist.ui.resources import icon
    from readinglist.ui.style.theme import apply_theme

    app.setWindowIcon(icon("readinglist"))
    try:
        paths = library_paths(chosen_home())
        settings = Settings.load(paths.config)
        apply_theme(app, settings.theme)
        library = Library(paths.database)
        ensure_first_run(library, paths, settings)
    except (ReadinglistError, OSError) as error:
        QMessageBox.critical(None, "readinglist", f"Cannot open the library: {error}")
        return 1

    def theme_changed() -> None:
        apply_theme(app, settings.theme)

    app.styleHints().colorSchemeChanged.connect(lambda _scheme: theme_changed())
    window = MainWindow(library, paths, settings, on_settings_changed=theme_changed)
    tray = None
    if QSystemTrayIcon.isSystemTrayAvailable():
        tray = QSystemTrayIcon(icon("readinglist"), window.view)
        tray.setToolTip("readinglist")
        tray.activated.connect(lambda _reason: (window.view.showNormal(),
                                                window.view.activateWindow()))
        tray.show()
    window.fetch.set_tray(tray)
    window.start()
    try:
        return app.exec()
    finally:
        window.shutdown()
        library.close()
