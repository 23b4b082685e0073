"""Errors about PDF files and their download, each with a message fit to show to users."""

from __future__ import annotations

from readinglist.core.errors import ReadinglistError


class PdfError(ReadinglistError):
    """A PDF that cannot be shown: missing, corrupt, truncated, encrypted or empty."""


class DownloadError(ReadinglistError):
    """A PDF download failed (offline, HTTP error, not a PDF, too large, interrupted)."""


class DownloadCancelled(DownloadError):
    """The user stopped a download."""
