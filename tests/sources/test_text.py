"""TeX accents, author strings and HTML descriptions turned into plain text."""

from __future__ import annotations

import pytest

from readinglist.sources.arxiv_rss import split_authors
from readinglist.sources.rss import html_to_text
from readinglist.sources.tex import decode_accents, decode_name


@pytest.mark.parametrize(("tex", "text"), [
    ("Barth\\'elemy", "Barthélemy"),
    ("M\\\"uller", "Müller"),
    ("Erd\\H{o}s", "Erdős"),
    ("Dvo\\v{r}\\'ak", "Dvořák"),
    ("{\\\"O}zt{\\\"u}rk", "Öztürk"),
    ("\\c{C}elik", "Çelik"),
    ("\\c Celik", "Çelik"),
    ("Jos\\'e N\\'u\\~nez", "José Núñez"),
    ("Stra\\ss e", "Straße"),
    ("S{\\o}rensen", "Sørensen"),
    ("\\AA{}ngstr\\\"om", "Ångström"),
    ("\\L{}ukasz", "Łukasz"),
    ("Nicol\\`o", "Nicolò"),
    ("Sk\\l odowska", "Skłodowska"),
    ("D\\'{\\i}az", "Díaz"),
    ("plain name", "plain name"),
])
def test_tex_accents_become_characters(tex: str, text: str) -> None:
    assert decode_name(tex) == text


def test_maths_and_other_commands_are_left_alone() -> None:
    text = "$\\varepsilon$-greedy and \\cite{x}"
    assert decode_accents(text) == text
    assert decode_name("Smith \\& Sons") == "Smith & Sons"


def test_dc_creator_is_split_into_names() -> None:
    assert split_authors("Marie-Claire Barth\\'elemy, Jos\\'e N\\'u\\~nez, Hannah   Fischer") == (
        "Marie-Claire Barthélemy", "José Núñez", "Hannah Fischer")
    assert split_authors("Alice Smith and Bob Jones") == ("Alice Smith", "Bob Jones")
    assert split_authors("Alice Smith, Bob Jones, and Carol White") == (
        "Alice Smith", "Bob Jones", "Carol White")
    assert split_authors("") == ()


def test_html_descriptions_become_text_and_markup_is_dropped() -> None:
    text = html_to_text('<p>Hi <b>there</b> &amp; you.</p><img src="http://x/p.gif">'
                        "<script>fetch('http://x')</script><p>Bye</p>")
    assert "<" not in text and "fetch" not in text
    assert "Hi there & you." in text and "Bye" in text
    assert html_to_text("a < b and c > d") == "a < b and c > d"
