"""Text normalising: whitespace collapsing (with its fast path) and abstracts."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from readinglist.core.text import clean_abstract, collapse

spaced = st.text(alphabet=st.sampled_from(list("ab é\t\n\r\u00a0\u2009\u3000\u2028\x1c&;")))


@given(st.one_of(st.text(), spaced))
def test_collapse_equals_split_and_join(text: str) -> None:
    assert collapse(text.replace("&", "")) == " ".join(text.replace("&", "").split())


@given(st.one_of(st.text(), spaced))
def test_single_line_abstract_is_collapsed(text: str) -> None:
    text = text.replace("&", "").replace("\n", "")
    assert clean_abstract(text) == " ".join(text.split())


def test_collapse_decodes_entities_and_whitespace() -> None:
    assert collapse("  Attention&amp;is \n all\u00a0you   need ") == "Attention&is all you need"
    assert collapse("already clean") == "already clean"
    assert collapse(None) == ""


def test_abstract_keeps_paragraphs_and_joins_wrapped_lines() -> None:
    text = "First line\nwrapped here.\n\n  Second   paragraph.\n"
    assert clean_abstract(text) == "First line wrapped here.\n\nSecond paragraph."


def test_first_authors_then_et_al() -> None:
    from readinglist.core.text import first_authors

    assert first_authors(["A", "B", "C"]) == "A, B, C"
    assert first_authors(["A", "B", "C", "D"]) == "A, B, C et al."
    assert first_authors(["A", "B"], 1) == "A et al."
    assert first_authors([], 1) == ""
