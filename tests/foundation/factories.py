"""Small builders for test records."""

from __future__ import annotations

from datetime import date
from typing import Any

from readinglist.core.models import PaperRecord


def record(arxiv_id: str = "2406.05821", **fields: Any) -> PaperRecord:
    """A PaperRecord with sensible defaults; any field can be overridden."""
    values: dict[str, Any] = {
        "key": arxiv_id, "arxiv_id": arxiv_id, "version": 1,
        "title": f"Paper {arxiv_id}", "authors": ("Ada Lovelace", "Alan Turing"),
        "abstract": "We study things.", "categories": ("cs.CL",), "primary_category": "cs.CL",
        "published": date(2026, 11, 20), "source": "arxiv-query",
    }
    values.update(fields)
    return PaperRecord(**values)
