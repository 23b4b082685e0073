"""The search language parses into a neutral spec and a safe FTS5 expression."""

from datetime import date

import pytest

from readinglist.core.errors import InputError
from readinglist.core.query import fts_match_expression, parse_query, pdf_match_expression


def test_every_operator() -> None:
    spec = parse_query('diffusion "large language" tag:ML author:smith is:unread is:starred '
                       'source:hf-daily since:2026-11-01 before:2026-12-01 cat:cs.CL -survey')
    assert spec.words == ("diffusion",)
    assert spec.phrases == ("large language",)
    assert spec.tags == ("ml",)
    assert spec.authors == ("smith",)
    assert spec.flags == ("unread", "starred")
    assert spec.sources == ("hf-daily",)
    assert spec.categories == ("cs.CL",)
    assert spec.since == date(2026, 11, 1) and spec.before == date(2026, 12, 1)
    assert spec.excluded_words == ("survey",)


def test_fts_expression_quotes_user_text() -> None:
    spec = parse_query('graph "neural net" NEAR OR author:li')
    expression = fts_match_expression(spec)
    assert expression == '"graph" AND "NEAR" AND "OR"* AND "neural net" AND authors_text : "li"*'


def test_pdf_terms_search_the_pdf_text_only() -> None:
    spec = parse_query('pdf:"scaling law" diffusion PDF:grad pdf: pdf:"NEAR("')
    assert spec.pdf_terms == ("scaling law", "grad", "NEAR(")
    assert spec.words == ("diffusion", "pdf:")  # while typing, as for every operator
    assert fts_match_expression(spec) == '"diffusion" AND "pdf"*'
    # quoted user text only; the last single-word term is a prefix (type-to-filter)
    assert pdf_match_expression(spec) == '"scaling law" AND "grad" AND "NEAR"*'
    assert pdf_match_expression(parse_query('pdf:"a b"')) == '"a b"'
    assert pdf_match_expression(parse_query("diffusion")) is None


def test_unbalanced_quote_while_typing_is_a_phrase() -> None:
    assert parse_query('"large lang').phrases == ("large lang",)


def test_filters_only_have_no_text_expression() -> None:
    assert fts_match_expression(parse_query("is:unread tag:x")) is None


@pytest.mark.parametrize("text,message", [("since:yesterday", "needs a date"),
                                          ("is:maybe", "unknown is:maybe")])
def test_bad_operators_raise_clear_errors(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_query(text)


@pytest.mark.parametrize("text,keys", [
    ("2406.05821", ("2406.05821",)),
    ("2406.05821v2", ("2406.05821",)),
    ("arXiv:2406.05821", ("2406.05821",)),
    ("https://arxiv.org/abs/2406.05821v2", ("2406.05821",)),
    ("https://arxiv.org/pdf/2406.05821v2.pdf", ("2406.05821",)),
    ("hep-th/9901001", ("hep-th/9901001",)),
    ("10.1000/XYZ.1", ("doi:10.1000/xyz.1",)),
    ("https://doi.org/10.1000/xyz.1", ("doi:10.1000/xyz.1",)),
    ("10.48550/arXiv.2406.05821", ("2406.05821",)),
    ("id:https://blog.example.net/post/", ("url:https://blog.example.net/post",)),
    ("2406.05821 2406.05821v3 2501.00001", ("2406.05821", "2501.00001")),
])
def test_paper_ids_in_any_pasted_form(text: str, keys: tuple[str, ...]) -> None:
    spec = parse_query(text)
    assert spec.ids == keys
    assert spec.words == () and fts_match_expression(spec) is None


def test_ids_that_arxiv_can_be_asked_for() -> None:
    spec = parse_query("2406.05821 10.1000/xyz hep-th/9901001")
    assert spec.arxiv_ids == ("2406.05821", "hep-th/9901001")


def test_numbers_and_words_are_not_ids() -> None:
    spec = parse_query("gpt-4 2024 3.5 llama-3.1 covid-19 tag:2406")
    assert spec.ids == () and spec.tags == ("2406",)
    assert spec.words == ("gpt-4", "2024", "3.5", "llama-3.1", "covid-19")


def test_a_bad_id_prefix_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="not a paper id: 'nonsense'"):
        parse_query("id:nonsense")


def test_exclusions_alone_become_an_exclusion_expression() -> None:
    from readinglist.core.query import fts_exclusion_expression

    assert fts_exclusion_expression(parse_query("is:unread -survey -review")) == \
        '"survey" OR "review"'
    assert fts_exclusion_expression(parse_query("graph -survey")) is None  # in the match


def test_the_same_search_in_arxivs_language() -> None:
    from readinglist.core.query import arxiv_search_query

    assert arxiv_search_query(parse_query('"large language" author:hinton cat:cs.CL -survey')) \
        == 'all:"large language" AND au:hinton AND cat:cs.CL ANDNOT all:survey'
    assert arxiv_search_query(parse_query("diffusion tag:x is:unread since:2026-01-01")) == \
        "all:diffusion"
    assert arxiv_search_query(parse_query("gpt-4")) == 'all:"gpt 4"'
    assert arxiv_search_query(parse_query("tag:x cat:cs.CL")) is None  # nothing to search for


def test_search_box_helpers_never_raise() -> None:
    from readinglist.core.query import papers_named, remote_query

    assert remote_query("okapi -survey") == "all:okapi ANDNOT all:survey"
    assert remote_query("since:yesterday") is None and remote_query("  ") is None
    assert papers_named("2406.05821 hep-th/9901001").ids == ("2406.05821", "hep-th/9901001")
    assert papers_named("2406.05821 okapi") is None  # words too: an ordinary search
    assert papers_named("is:maybe") is None


def test_negated_fields_are_filters_not_words() -> None:
    spec = parse_query('okapi -tag:"Long Context" -author:Chen -cat:cs.CV -source:RSS -survey')
    assert spec.excluded_fields == (("tag", "long context"), ("author", "Chen"),
                                    ("cat", "cs.CV"), ("source", "rss"))
    assert spec.excluded_words == ("survey",)
    assert fts_match_expression(spec) == '("okapi"*) NOT "survey"'
    assert parse_query("-tag:").excluded_words == ("tag:",)  # while typing


def test_negated_fields_in_arxivs_language_and_tag_renames() -> None:
    from readinglist.core.query import arxiv_search_query, rename_tag_in_query

    spec = parse_query("diffusion -author:chen -cat:cs.CV -tag:mine")
    assert arxiv_search_query(spec) == "all:diffusion ANDNOT au:chen ANDNOT cat:cs.CV"
    assert rename_tag_in_query("x -tag:old tag:OLD", "old", "new one") == \
        'x -tag:"new one" tag:"new one"'
