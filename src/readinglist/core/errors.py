"""Errors shown to users: each carries a message fit to print without a traceback."""


class ReadinglistError(Exception):
    """Base class for errors that have a user-facing message."""

    exit_code = 1


class UnknownPaperError(ReadinglistError):
    """An id that names no paper in the library."""


class TrashedPaperError(UnknownPaperError):
    """A paper a user named that is in the Trash. The message names the CLI command that
    restores it; ``name`` (what was typed) and ``key`` let the app word it its own way."""

    def __init__(self, name: str, key: str) -> None:
        super().__init__(f"{name!r} is in the Trash (`readinglist mark {key} --restore` "
                         "brings it back)")
        self.name = name
        self.key = key


class InvalidIdError(ReadinglistError):
    """Text that is not an arXiv id, DOI or URL."""


class InputError(ReadinglistError):
    """Malformed user input (a bad JSON line, a bad option value)."""


class StorageError(ReadinglistError):
    """The database cannot be opened or written (corrupt, locked, disk full)."""


class SourceError(ReadinglistError):
    """A feed source failed (HTTP error, malformed feed, timeout)."""
