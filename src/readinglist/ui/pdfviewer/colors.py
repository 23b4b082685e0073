"""Annotation colours offered by the viewer and how overlays are tinted."""

from __future__ import annotations

HIGHLIGHT_COLORS: tuple[tuple[str, str], ...] = (
    ("Yellow", "#ffd400"),
    ("Green", "#5fb236"),
    ("Blue", "#2ea8e5"),
    ("Pink", "#ff6666"),
    ("Purple", "#a28ae5"),
    ("Orange", "#f19837"),
)
DEFAULT_COLOR = HIGHLIGHT_COLORS[0][1]
UNDERLINE_COLOR = "#e53935"
SEARCH_HIT = "#f9a825"
SEARCH_CURRENT = "#ff5722"
SELECTION = "#3d8ee6"
