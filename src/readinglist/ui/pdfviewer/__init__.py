"""The built-in PDF viewer: tabs of papers rendered by PyMuPDF, with annotations in the library."""

from __future__ import annotations

from typing import Any

_windows: dict[int, tuple[Any, Any]] = {}  # id(library) -> (library, window)


def open_paper(library: Any, paths: Any, key: str, parent: Any = None) -> Any:
    """Open the viewer on a paper, downloading its PDF first if needed. Returns the window.

    Papers of one library share a window (one tab each); the download runs in the background
    with progress shown in the tab.
    """
    from readinglist.ui.pdfviewer.viewer_window import ViewerWindow

    entry = _windows.get(id(library))
    window = entry[1] if entry is not None and entry[0] is library else None
    try:
        if window is not None:
            window.isVisible()
    except RuntimeError:  # the C++ window was deleted
        window = None
    if window is None:
        window = ViewerWindow(library, paths, parent)
        _windows[id(library)] = (library, window)
    window.open_key(key)
    window.show()
    window.raise_()
    window.activateWindow()
    return window
