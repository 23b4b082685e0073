"""Building small realistic libraries and HF daily responses for the GUI tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from readinglist.core.models import PaperRecord
from tests.helpers.httpserver import Request, Response

TOPICS = ("diffusion", "transformer", "retrieval", "robotics", "alignment", "graph", "speech",
          "quantum", "protein", "agents")


def record(index: int, day: date | None = None, listed: date | None = None,
           source: str = "arxiv-rss", title: str | None = None) -> PaperRecord:
    """A paper with a deterministic arXiv id, title, authors and abstract."""
    day = day or date(2026, 11, 1) + timedelta(days=index % 20)
    topic = TOPICS[index % len(TOPICS)]
    return PaperRecord(
        key=f"2611.{index:05d}", arxiv_id=f"2611.{index:05d}", version=1,
        title=title or f"Paper {index} on {topic} models",
        authors=(f"Author {index}", "Ada Lovelace" if index % 3 == 0 else "Alan Turing"),
        abstract=f"We study {topic} with $\\infty$ care. Paper number {index}.",
        categories=("cs.LG",) if index % 2 else ("cs.CL", "cs.LG"), primary_category="cs.LG",
        published=day, source=source, seen_at=datetime(2026, 11, 27, 8, 0),
        listed_on=listed, hf_upvotes=index if source == "hf-daily" else None)


def add_papers(library: Any, count: int, start: int = 0, **kwargs: Any) -> list[str]:
    records = [record(start + i, **kwargs) for i in range(count)]
    library.merge_records(records)
    return [r.key for r in records]


def hf_item(arxiv_id: str, title: str, day: date, upvotes: int = 3) -> dict:
    stamp = f"{day.isoformat()}T00:00:00.000Z"
    paper = {"id": arxiv_id, "authors": [{"_id": "a1", "name": "Grace Hopper", "hidden": False}],
             "publishedAt": stamp, "submittedOnDailyAt": stamp, "title": title,
             "summary": f"Abstract of {title}.", "upvotes": upvotes, "discussionId": "d1"}
    return {"paper": paper, "publishedAt": stamp, "title": title, "summary": paper["summary"],
            "numComments": 0, "isAuthorParticipating": False}


def hf_daily_route(days: dict[date, list[dict]]) -> Callable[[Request], Response]:
    """Serve ``/api/daily_papers?date=...&p=...`` from a dict of day -> items."""

    def handle(request: Request) -> Response:
        day = request.query.get("date", [""])[0]
        page = int(request.query.get("p", ["0"])[0])
        items = days.get(date.fromisoformat(day), []) if day else []
        body = json.dumps(items if page == 0 else []).encode()
        return Response(200, body, {"Content-Type": "application/json"})

    return handle
