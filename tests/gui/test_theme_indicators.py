"""Check boxes and radio buttons stay visible in the dark theme (Fusion alone hides their edges)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QCheckBox

from readinglist.ui.style.theme import DARK, LIGHT, apply_theme


def _indicator_colours(qtbot, checked: bool) -> set[str]:  # type: ignore[no-untyped-def]
    box = QCheckBox("Fetch when the app starts")
    box.setChecked(checked)
    qtbot.addWidget(box)
    box.resize(240, 24)
    image = box.grab().toImage()
    return {image.pixelColor(x, y).name() for x in range(0, 18) for y in range(0, 24)}


def test_dark_check_boxes_have_a_visible_edge_and_a_marked_state(qtbot) -> None:
    app = QApplication.instance()
    before = app.styleSheet(), app.palette()
    try:
        apply_theme(app, "dark")
        sheet = app.styleSheet()
        mark = sheet.split('url("', 1)[1].split('")', 1)[0]
        assert Path(mark).is_file()  # the check mark ships with the package
        unchecked = _indicator_colours(qtbot, False)
        edge = QColor(DARK["dim"])
        assert any(abs(QColor(c).lightness() - edge.lightness()) < 12 for c in unchecked)
        assert DARK["highlight"] in _indicator_colours(qtbot, True)
        apply_theme(app, "light")
        assert "check-mark.svg" not in app.styleSheet()  # Fusion's own in the light theme
        assert LIGHT["highlight"] not in _indicator_colours(qtbot, True)
    finally:
        app.setStyleSheet(before[0])
        app.setPalette(before[1])
