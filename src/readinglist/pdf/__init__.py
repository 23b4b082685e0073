"""PDF files without Qt: cache, download, validation, rendering, text and annotations (PyMuPDF)."""
