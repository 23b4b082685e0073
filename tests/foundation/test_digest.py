"""``readinglist digest``: what arrived, best first, as Markdown or HTML that cannot be
turned into links, images or scripts by feed text."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from readinglist.cli.main import run
from readinglist.core.models import PaperRecord
from readinglist.services.digest import (
    Digest, build_digest, lead, md_escape, safe_url, to_html, to_markdown)
from readinglist.services.library import Library
from tests.foundation.factories import record

NOW = datetime.now(UTC)


def seen(arxiv_id: str, days_ago: float, **fields) -> PaperRecord:
    return dataclasses.replace(record(arxiv_id, **fields), seen_at=NOW - timedelta(days=days_ago))


@pytest.fixture
def stocked(library: Library) -> Library:
    library.merge_records([seen("2611.00001", 0.1, hf_upvotes=5),
                           seen("2611.00002", 0.2, hf_upvotes=90),
                           seen("2611.00003", 0.3),
                           seen("2611.00004", 3, hf_upvotes=500),  # too old
                           seen("2611.00005", 0.1, hf_upvotes=700)])
    library.mark(["2611.00005"], "archived", True)  # not in the inbox
    return library


def test_new_inbox_papers_ranked_by_upvotes(stocked: Library) -> None:
    digest = build_digest(stocked, NOW - timedelta(days=1), top=2)
    assert digest.total == 3
    assert [p.key for p in digest.papers] == ["2611.00002", "2611.00001"]
    everything = build_digest(stocked, NOW - timedelta(days=5), top=10, view="all")
    assert [p.key for p in everything.papers][:2] == ["2611.00005", "2611.00004"]
    assert everything.papers[-1].key == "2611.00003"  # no upvotes: last


def test_feed_text_stays_text_in_markdown_and_html(library: Library) -> None:
    library.merge_records([seen(
        "2611.00009", 0, title="Attacks <script>alert(1)</script> *bold*",
        abstract="See ![pixel](http://tracker.example/p.png) and <img src=http://t.example/x>. "
                 "Second sentence. Third.",
        authors=("[Eve](javascript:alert(1))",))])
    digest = build_digest(library, NOW - timedelta(days=1))
    markdown = to_markdown(digest)
    for unescaped in (r"(?<!\\)\[pixel", r"(?<!\\)<img", r"(?<!\\)<script", r"(?<!\\)\[Eve"):
        assert not re.search(unescaped, markdown), unescaped
    assert r"!\[pixel\](http://tracker.example/p.png)" in markdown
    assert r"\[Eve\](javascript:alert(1))" in markdown
    page = to_html(digest)
    assert "<script" not in page and "<img" not in page
    assert re.findall(r'href="([^"]*)"', page) == ["https://arxiv.org/abs/2611.00009",
                                                    "https://arxiv.org/pdf/2611.00009v1"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_markdown_escaping_keeps_plain_text_readable() -> None:
    assert md_escape("cs.CL 2026-11-27 (v2)") == "cs.CL 2026-11-27 (v2)"
    assert md_escape("12. Twelve") == r"12\. Twelve"
    assert md_escape("# not a heading") == r"\# not a heading"
    assert md_escape("a_b*c`d") == r"a\_b\*c\`d"


def test_only_web_links_are_kept() -> None:
    assert safe_url("https://arxiv.org/abs/2611.00001") == "https://arxiv.org/abs/2611.00001"
    assert safe_url("javascript:alert(1)") is None
    assert safe_url('https://x.example/a b"><script>') == \
        "https://x.example/a%20b%22%3E%3Cscript%3E"


def test_lead_is_the_first_sentences() -> None:
    assert lead("One. Two. Three.") == "One. Two. …"
    assert lead("Just one.") == "Just one."
    assert lead("word " * 200).endswith("…") and len(lead("word " * 200)) <= 401


def test_an_empty_digest_says_so() -> None:
    text = to_markdown(Digest(NOW, (), 0))
    assert "No new papers since" in text


def test_cli_markdown_to_stdout_and_html_to_a_file(capsys, stocked: Library,
                                                  tmp_path: Path) -> None:
    stocked.close()
    assert run(["digest", "--top", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# readinglist digest")
    assert "3 new papers since" in out and "the top 1 by Hugging Face upvotes" in out
    assert "## 1. " in out and "2611.00002" in out and "2611.00001" not in out
    target = tmp_path / "digest.html"
    assert run(["digest", "--days", "7", "--view", "all", "--output", str(target)]) == 0
    assert capsys.readouterr().out == f"wrote 5 of 5 new papers to {target}\n"
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert run(["digest", "--days", "0"]) == 1
    assert "--days must be at least 1" in capsys.readouterr().err


def test_a_digest_of_papers_like_the_starred_ones(library: Library) -> None:
    library.merge_records([seen("2611.00001", 3, title="Okapi stripes in the forest"),
                           seen("2611.00002", 0.1, title="Okapi stripes revisited"),
                           seen("2611.00003", 0.1, title="Protein folding at scale")])
    library.mark(["2611.00001"], "starred", True)
    digest = build_digest(library, NOW - timedelta(days=1), query="like:starred")
    assert [p.key for p in digest.papers] == ["2611.00002"]
