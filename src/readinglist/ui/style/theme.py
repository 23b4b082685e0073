"""Light and dark palettes on the Fusion style; "system" follows the desktop's colour scheme."""

from __future__ import annotations

from readinglist.ui.qt import QApplication, QColor, QPalette, QStyleFactory, Qt

LIGHT = {
    "window": "#f6f6f4", "base": "#ffffff", "alt": "#f4f5f7", "text": "#1d1f23",
    "dim": "#6b6f76", "button": "#eeeeec", "highlight": "#2f6fde", "hitext": "#ffffff",
    "link": "#2457b5", "border": "#d9dbde", "banner": "#fff4d6", "banner_text": "#4d3b00",
    "accent": "#2f6fde",
}
DARK = {
    "window": "#202226", "base": "#1a1c1f", "alt": "#222529", "text": "#e4e6ea",
    "dim": "#9aa0a8", "button": "#2c2f34", "highlight": "#3d7be6", "hitext": "#ffffff",
    "link": "#8ab4ff", "border": "#464a52", "banner": "#3b3322", "banner_text": "#f3dfb0",
    "accent": "#6f9ff0",
}


def system_is_dark(app: QApplication) -> bool:
    return app.styleHints().colorScheme() == Qt.ColorScheme.Dark


def colours_for(theme: str, app: QApplication) -> dict[str, str]:
    dark = theme == "dark" or (theme == "system" and system_is_dark(app))
    return DARK if dark else LIGHT


def _palette(c: dict[str, str]) -> QPalette:
    palette = QPalette()
    role = QPalette.ColorRole
    for name, key in ((role.Window, "window"), (role.Base, "base"), (role.AlternateBase, "alt"),
                      (role.WindowText, "text"), (role.Text, "text"), (role.Button, "button"),
                      (role.ButtonText, "text"), (role.Highlight, "highlight"),
                      (role.HighlightedText, "hitext"), (role.Link, "link"),
                      (role.PlaceholderText, "dim"), (role.ToolTipBase, "base"),
                      (role.ToolTipText, "text"), (role.BrightText, "hitext")):
        palette.setColor(name, QColor(c[key]))
    palette.setColor(role.Mid, QColor(c["border"]))
    palette.setColor(role.Midlight, QColor(c["border"]))
    palette.setColor(role.Dark, QColor(c["border"]))
    for r in (role.Text, role.WindowText, role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, r, QColor(c["dim"]))
    return palette


STYLESHEET = """
QTreeView#sidebar {{ background: {window}; border: none; padding-top: 4px; }}
QTreeView#sidebar::item {{ padding: 3px 4px; }}
QTableView#paperList {{ border: none; background: {base}; gridline-color: transparent; }}
QHeaderView::section {{ background: {window}; color: {dim}; border: none;
    border-bottom: 1px solid {border}; padding: 4px 6px; }}
QFrame#banner {{ background: {banner}; border-bottom: 1px solid {border}; }}
QFrame#banner QLabel {{ color: {banner_text}; }}
QLabel#detailTitle {{ font-size: 15pt; font-weight: 600; }}
QLabel#detailMeta, QLabel#dim {{ color: {dim}; }}
QLabel#sectionLabel {{ color: {dim}; font-weight: 600; }}
QTextBrowser#abstract, QTextBrowser#notePreview, QPlainTextEdit#noteEdit {{
    border: 1px solid {border}; border-radius: 4px; background: {base}; padding: 4px; }}
QLineEdit#search {{ border: 1px solid {border}; border-radius: 4px; padding: 4px 8px;
    background: {base}; }}
QLineEdit#search:focus {{ border-color: {accent}; }}
QLineEdit#tagEdit {{ border: 1px solid {border}; border-radius: 4px; padding: 3px 6px;
    background: {base}; }}
QLineEdit#tagEdit:focus, QPlainTextEdit#noteEdit:focus {{ border-color: {accent}; }}
QWidget#welcome {{ background: {base}; }}
QLabel#welcomeTitle {{ font-size: 18pt; font-weight: 600; }}
QLabel#welcomeText {{ color: {dim}; font-size: 11pt; }}
QSplitter::handle {{ background: {border}; }}
QWidget#detailPane {{ background: {base}; }}
"""


# Fusion draws the edges of check boxes and radio buttons from the window colour, which makes
# them vanish on a dark window: the dark theme draws them itself (in C++, via the style sheet)
DARK_INDICATORS = """
QCheckBox::indicator, QRadioButton::indicator {{ width: 12px; height: 12px;
    border: 1px solid {dim}; background: {base}; }}
QCheckBox::indicator {{ border-radius: 2px; }}
QRadioButton::indicator {{ border-radius: 7px; }}
QCheckBox::indicator:checked {{ background: {highlight}; border-color: {highlight};
    image: url("{check}"); }}
QRadioButton::indicator:checked {{ border-color: {highlight}; background: qradialgradient(
    cx: 0.5, cy: 0.5, radius: 0.5, fx: 0.5, fy: 0.5, stop: 0 {highlight}, stop: 0.45 {highlight},
    stop: 0.55 {base}, stop: 1 {base}); }}
QCheckBox::indicator:disabled, QRadioButton::indicator:disabled {{ border-color: {border}; }}
QCheckBox::indicator:hover, QRadioButton::indicator:hover {{ border-color: {accent}; }}
"""


def _check_mark() -> str:
    """The check mark's file, for the style sheet (forward slashes on every system)."""
    from importlib import resources

    return str(resources.files("readinglist.data").joinpath("icons/check-mark.svg")).replace(
        "\\", "/")


def apply_theme(app: QApplication, theme: str) -> dict[str, str]:
    """Apply a theme ("system", "light" or "dark") to the whole application."""
    if app.style().name().lower() != "fusion":
        fusion = QStyleFactory.create("Fusion")
        if fusion is not None:
            app.setStyle(fusion)
    colours = colours_for(theme, app)
    app.setPalette(_palette(colours))
    sheet = STYLESHEET.format(**colours)
    if colours is DARK:
        sheet += DARK_INDICATORS.format(**colours, check=_check_mark())
    app.setStyleSheet(sheet)
    return colours
