"""Each source's parser on fixtures in the real wire formats (no network)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from readinglist.core.errors import SourceError
from readinglist.sources import ARXIV_QUERY, ARXIV_RSS, HF_DAILY, RSS
from readinglist.sources.arxiv_api import id_list, parse_root
from readinglist.sources.arxiv_rss import parse_listing
from readinglist.sources.hf_daily import parse_items
from readinglist.sources.rss import parse_feed
from readinglist.sources.xml import parse_xml
from tests.sources.wire import fixture

SEEN = datetime(2026, 8, 12, 6, 0, tzinfo=UTC)


def _by_key(records):  # type: ignore[no-untyped-def]
    return {r.key: r for r in records}


def test_hf_daily_items() -> None:
    records, skipped = parse_items(json.loads(fixture("hf_daily_2026-08-11.json")),
                                   date(2026, 8, 11), SEEN)
    assert skipped == 0
    papers = _by_key(records)
    smre = papers["2608.04417"]
    assert smre.title == "Sparse Mixtures of Recurrent Experts for Long-Context Reasoning"
    assert smre.authors == ("Léa Barthélemy", "Tomasz Kowalski", "Mei Tanaka")
    assert smre.listed_on == date(2026, 8, 11)  # paper.submittedOnDailyAt
    assert smre.published == date(2026, 8, 10)  # paper.publishedAt, not the shifted outer one
    assert smre.hf_upvotes == 212
    assert smre.withdrawn is None
    assert smre.version is None
    assert smre.source == HF_DAILY and smre.seen_at == SEEN
    assert "\\$0.002" in smre.abstract and "4.1\\%" in smre.abstract  # raw TeX kept
    assert smre.url == "https://arxiv.org/abs/2608.04417"
    grounding = papers["2608.03302"]
    assert grounding.title == "Grounding & Hallucination in Frozen Vision-Language Models"
    assert papers["2608.01999"].withdrawn is True


def test_hf_daily_error_object_and_wrong_shapes() -> None:
    with pytest.raises(SourceError, match="Too big"):
        parse_items({"error": "✖ Too big: expected number to be <=100\n  → at limit"}, None, SEEN)
    with pytest.raises(SourceError, match="list of papers"):
        parse_items({"papers": []}, None, SEEN)
    with pytest.raises(SourceError, match="none of them"):
        parse_items([{"unexpected": 1}, {"paper": {"id": "not an id", "title": "x"}}], None, SEEN)
    records, skipped = parse_items([{"paper": {"id": "2608.00001", "title": "ok"}}, "junk"],
                                   None, SEEN)
    assert len(records) == 1 and skipped == 1


def test_arxiv_api_feed() -> None:
    page = parse_root(parse_xml(fixture("arxiv_api_search.xml"), "test"), SEEN)
    assert page.total == 3 and page.start == 0 and page.entries == 3 and page.error is None
    papers = _by_key(page.records)
    smre = papers["2608.04417"]
    assert smre.version == 2
    assert smre.title == "Sparse Mixtures of Recurrent Experts for Long-Context Reasoning"
    assert smre.authors == ("Léa Barthélemy", "Tomasz Kowalski", "Mei Tanaka")
    assert smre.categories == ("cs.CL", "cs.LG") and smre.primary_category == "cs.CL"
    assert smre.published == date(2026, 8, 10) and smre.updated == date(2026, 8, 12)
    assert smre.comment == "v2: corrected Table 3; 14 pages, 6 figures"
    assert smre.pdf_url == "https://arxiv.org/pdf/2608.04417v2"
    assert smre.source == ARXIV_QUERY
    old = papers["hep-th/9901001"]  # old-style id, DOI link last, leading-space summary
    assert old.arxiv_id == "hep-th/9901001" and old.version == 2
    assert old.title == "Boundary Terms in Dilaton Gravity"
    assert old.authors == ("Jürgen Müller", "Paul Erdős")
    assert old.abstract.startswith("We derive the boundary terms")
    assert old.doi == "10.1016/s0550-3213(99)00123-4"
    assert old.journal_ref == "Nucl. Phys. B 550 (1999) 1--20"
    assert old.pdf_url == "https://arxiv.org/pdf/hep-th/9901001v2"
    inert = papers["2607.11111"]
    assert '<img src="http://127.0.0.1:9/pixel.png">' in inert.abstract  # text, kept as text
    assert inert.title == "Rendering <img> Tags Considered Harmful"


def test_arxiv_api_error_feed() -> None:
    page = parse_root(parse_xml(fixture("arxiv_api_error.xml"), "test"), SEEN)
    assert page.error == "incorrect id format for abc"
    assert page.records == []


def test_arxiv_api_id_lists() -> None:
    assert id_list("2608.04417 hep-th/9901001v2, arXiv:1112.2954") == [
        "2608.04417", "hep-th/9901001v2", "1112.2954"]
    assert id_list("ti:attention AND cat:cs.CL") is None
    assert id_list("abc") is None


def test_arxiv_rss_listing() -> None:
    root = parse_xml(fixture("arxiv_rss_cs.CL.xml"), "test")
    records, skipped = parse_listing(root, SEEN, ["cs.CL"])
    assert skipped == 0
    papers = _by_key(records)
    assert set(papers) == {"2608.05001", "2608.05077", "2608.04417", "2203.01250",
                           "cmp-lg/9701002"}
    new = papers["2608.05001"]
    assert new.announce_type == "new" and new.version == 1
    assert new.title == "Tokenizer-Free Language Models Revisited"
    assert new.authors == ("Marie-Claire Barthélemy", "José Núñez", "Hannah Fischer")
    assert new.abstract.startswith("We revisit byte-level") and "$\\varepsilon$" in new.abstract
    assert new.published == date(2026, 8, 12) and new.updated is None
    assert new.primary_category == "cs.CL" and new.source == ARXIV_RSS
    cross = papers["2608.05077"]
    assert cross.announce_type == "cross" and cross.categories == ("eess.AS", "cs.CL", "cs.LG")
    assert cross.primary_category is None  # two categories outside cs.CL: ambiguous
    replaced = papers["2608.04417"]
    assert replaced.announce_type == "replace" and replaced.version == 3
    assert replaced.published is None and replaced.updated == date(2026, 8, 12)
    assert replaced.doi == "10.5555/smre.2026.17"
    assert replaced.journal_ref == "Trans. Assoc. Comput. Ling. 14 (2026) 1--22"
    cross_replaced = papers["2203.01250"]
    assert cross_replaced.announce_type == "replace-cross"  # trailing space in the feed
    assert cross_replaced.primary_category == "math.AP"
    assert cross_replaced.journal_ref == ("Journal de l'École polytechnique - Mathématiques, "
                                          "Tome 11 (2024), pp. 431-472")
    old = papers["cmp-lg/9701002"]
    assert old.version == 4 and old.arxiv_id == "cmp-lg/9701002"


def test_arxiv_rss_listing_with_the_same_paper_twice() -> None:
    body = fixture("arxiv_rss_cs.CL.xml").replace(
        b"  </channel>", fixture("arxiv_rss_cs.LG.xml").split(b"</skipDays>")[1].split(
            b"</channel>")[0] + b"  </channel>")
    records, _ = parse_listing(parse_xml(body, "test"), SEEN, ["cs.CL", "cs.LG"])
    keys = [r.key for r in records]
    assert len(keys) == len(set(keys)) == 6


def test_empty_listing_is_valid() -> None:
    records, skipped = parse_listing(parse_xml(fixture("arxiv_rss_empty.xml"), "t"), SEEN, [])
    assert records == [] and skipped == 0


def test_not_a_listing() -> None:
    with pytest.raises(SourceError, match="not a listing"):
        parse_listing(parse_xml(b"<html><body>hi</body></html>", "t"), SEEN, [])


def test_journal_rdf_feed() -> None:
    records, skipped = parse_feed(parse_xml(fixture("journal_rdf.xml"), "t"), SEEN, "t")
    assert skipped == 0
    papers = _by_key(records)
    article = papers["doi:10.5555/jer.2026.0412"]
    assert article.title == "Protein folding with sparse attention"
    assert article.authors == ("Priya Patel", "Wei Zhang")
    assert article.doi == "10.5555/jer.2026.0412"
    assert article.published == date(2026, 8, 11)
    assert article.journal_ref == "Journal of Example Research"
    assert "Sparse attention folds proteins." in article.abstract
    assert "<img" not in article.abstract and "tracker" not in article.abstract
    assert article.source == RSS
    same = papers["2608.04417"]  # arXiv's own DOI 10.48550/arXiv.<id> names the arXiv paper
    assert same.arxiv_id == "2608.04417" and same.doi is None


def test_blog_atom_feed() -> None:
    records, _ = parse_feed(parse_xml(fixture("blog_atom.xml"), "t"), SEEN, "t")
    papers = _by_key(records)
    note = papers["2608.05001"]
    assert note.version is None and note.title == "Notes on Tokenizer-Free Models"
    assert note.authors == ("Zoe Martin",) and note.categories == ("cs.CL",)
    assert note.abstract == "A good read.\n\nRecommended."
    assert note.published == date(2026, 8, 12)
    assert papers["url:https://blog.example.net/2026/08/round-up"].abstract == (
        "Nothing but links this week.")


def test_rss2_feed() -> None:
    records, skipped = parse_feed(parse_xml(fixture("blog_rss2.xml"), "t"), SEEN, "t")
    assert skipped == 1
    papers = _by_key(records)
    out = papers["doi:10.5555/grnd.77"]
    assert out.authors == ("Omar Haddad",) and out.abstract == "Read it now & tell us."
    assert out.published == date(2026, 8, 10)
    assert "url:https://lab.example.com/news/open-day" in papers


def test_not_a_feed() -> None:
    with pytest.raises(SourceError, match="not an RSS or Atom feed"):
        parse_feed(parse_xml(b"<html><body/></html>", "t"), SEEN, "t")
