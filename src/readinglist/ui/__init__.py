"""The Qt desktop app. The only package that imports PySide6 (through ``readinglist.ui.qt``)."""
