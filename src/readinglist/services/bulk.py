"""Helpers for bulk work (imports, feed merges) that builds many objects at once."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many short-lived objects.

    Parsing and merging 100k papers allocates millions of containers, and each allocation
    burst triggers collections that find nothing (the objects form no cycles): about a quarter
    of the Python time. Reference counting still frees everything as usual; collections
    resume afterwards.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
