"""The search language parses into a neutral spec and a safe FTS5 expression."""

from datetime import date

import pytest

from readinglist.core.errors import InputError
from readinglist.core.query import fts_match_expression, parse_query


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


def test_unbalanced_quote_while_typing_is_a_phrase() -> None:
    assert parse_query('"large lang').phrases == ("large lang",)


def test_filters_only_have_no_text_expression() -> None:
    assert fts_match_expression(parse_query("is:unread tag:x")) is None


@pytest.mark.parametrize("text,message", [("since:yesterday", "needs a date"),
                                          ("is:maybe", "unknown is:maybe")])
def test_bad_operators_raise_clear_errors(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_query(text)
