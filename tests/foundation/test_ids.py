"""Paper identifiers: every accepted spelling resolves to the same canonical key."""

import pytest

from readinglist.core.errors import InvalidIdError
from readinglist.core.ids import key_for, normalise_url, parse_ref, safe_file_stem


@pytest.mark.parametrize("text", [
    "2406.05821", "2406.05821v2", "arXiv:2406.05821", "arxiv:2406.05821v3",
    "https://arxiv.org/abs/2406.05821v2", "http://arxiv.org/pdf/2406.05821v1",
    "https://arxiv.org/pdf/2406.05821.pdf", "oai:arXiv.org:2406.05821v2",
    "10.48550/arXiv.2406.05821", " 2406.05821 ",
])
def test_new_style_spellings_share_a_key(text: str) -> None:
    assert parse_ref(text).key == "2406.05821"


def test_version_is_kept_separately() -> None:
    ref = parse_ref("https://arxiv.org/abs/2406.05821v2")
    assert (ref.arxiv_id, ref.version) == ("2406.05821", 2)
    assert parse_ref("2406.05821").version is None


@pytest.mark.parametrize("text,key", [
    ("hep-th/9901001", "hep-th/9901001"),
    ("hep-th/9901001v3", "hep-th/9901001"),
    ("arXiv:math.CA/0611800v2", "math/0611800"),  # arXiv's preferred form
    ("https://arxiv.org/abs/astro-ph/0601001v1", "astro-ph/0601001"),
    ("0704.0001", "0704.0001"),
])
def test_old_style_and_four_digit_ids(text: str, key: str) -> None:
    assert parse_ref(text).key == key


@pytest.mark.parametrize("text", [
    "10.1016/j.mechmachtheory.2012.07.003", "doi:10.1016/J.MechMachTheory.2012.07.003",
    "https://doi.org/10.1016/j.mechmachtheory.2012.07.003",
])
def test_dois_are_lower_cased_keys(text: str) -> None:
    ref = parse_ref(text)
    assert ref.key == "doi:10.1016/j.mechmachtheory.2012.07.003"
    assert ref.doi == "10.1016/j.mechmachtheory.2012.07.003"


def test_other_urls_are_normalised() -> None:
    assert parse_ref("HTTPS://Example.org:443/blog/post/#top").key == "url:https://example.org/blog/post"
    assert normalise_url("http://a.org:8080/x/") == "http://a.org:8080/x"


@pytest.mark.parametrize("text", ["", "foo", "1234", "2406.5821x", "not an id at all"])
def test_garbage_is_rejected_with_a_message(text: str) -> None:
    with pytest.raises(InvalidIdError, match="not a paper id"):
        parse_ref(text)


def test_key_for_prefers_arxiv_then_doi_then_url() -> None:
    assert key_for("2406.05821", "10.1/x", "https://a.org") == "2406.05821"
    assert key_for(None, "10.1/X", "https://a.org") == "doi:10.1/x"
    assert key_for(None, None, "https://a.org/") == "url:https://a.org"
    with pytest.raises(InvalidIdError):
        key_for(None, None, None)


@pytest.mark.parametrize("key", ["hep-th/9901001", "../../etc/passwd", "doi:10.1/../../x", ".hidden",
                                 "url:https://a.org/" + "x" * 400])
def test_file_stems_cannot_escape_a_folder(key: str) -> None:
    stem = safe_file_stem(key)
    assert "/" not in stem and "\\" not in stem and not stem.startswith(".")
    assert len(stem) <= 140


def test_file_stems_do_not_collide() -> None:
    assert safe_file_stem("doi:10.1/a_b") != safe_file_stem("doi:10.1/a/b")
    assert safe_file_stem("2406.05821") == "2406.05821"


@pytest.mark.parametrize("text", ["url:https://example.org/blog/post", "doi:10.1000/abc",
                                  "hep-th/9901001", "2406.05821"])
def test_canonical_keys_parse_to_themselves(text: str) -> None:
    assert parse_ref(text).key == text


def test_arxiv_ids_in_running_text() -> None:
    from readinglist.core.ids import arxiv_ids_in

    text = ("[3] A. Author. Title. arXiv preprint arXiv:2406.05821v2, 2024. [4] B. Author, "
            "arXiv:hep-th/9901001. [5] https://arxiv.org/abs/2310.11111v3 and 2401.00012; "
            "again arXiv:2406.05821. Not ids: 12024.12345, 3.1415, v1.2024.123456, 1234.567")
    assert [(r.key, r.version) for r in arxiv_ids_in(text)] == [
        ("2406.05821", 2), ("hep-th/9901001", None), ("2310.11111", 3), ("2401.00012", None)]
    assert arxiv_ids_in("no identifiers here") == []


@pytest.mark.parametrize(("text", "key", "version"), [
    ("https://huggingface.co/papers/2406.05821", "2406.05821", None),
    ("https://huggingface.co/papers/2406.05821#community", "2406.05821", None),
    ("https://www.alphaxiv.org/abs/2406.05821v3", "2406.05821", 3),
    ("https://www.alphaxiv.org/overview/2406.05821", "2406.05821", None),
    ("https://www.semanticscholar.org/arxiv/2406.05821", "2406.05821", None),
    ("https://ar5iv.org/abs/hep-th/9901001", "hep-th/9901001", None),
])
def test_pages_of_the_paper_on_other_sites_name_the_arxiv_paper(text: str, key: str,
                                                                version: int | None) -> None:
    ref = parse_ref(text)
    assert (ref.key, ref.arxiv_id, ref.version) == (key, key, version)


def test_other_pages_of_those_sites_stay_urls() -> None:
    assert parse_ref("https://huggingface.co/papers/trending").key.startswith("url:")
    assert parse_ref("https://www.alphaxiv.org/explore").key.startswith("url:")
