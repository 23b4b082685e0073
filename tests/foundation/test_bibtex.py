"""BibTeX export: entry shape, names, keys, escaping."""

from __future__ import annotations

from datetime import date

from readinglist.core.bibtex import bibtex_entries, bibtex_name, citation_key, latex_text
from readinglist.services.library import Library
from tests.foundation.factories import record


def test_an_arxiv_paper_becomes_a_misc_entry_like_arxivs_own(library: Library) -> None:
    library.merge_records([record(
        "1706.03762", title="Attention Is All You Need",
        authors=("Ashish Vaswani", "Noam Shazeer"), published=date(2017, 6, 12),
        primary_category="cs.CL", doi="10.48550/arXiv.1706.03762",
        journal_ref="NeurIPS 2017 & more")])
    text = bibtex_entries([library.get("1706.03762")])
    assert text.startswith("@misc{vaswani2017attention,\n")
    assert "  title = {Attention Is All You Need},\n" in text
    assert "  author = {Vaswani, Ashish and Shazeer, Noam},\n" in text
    assert "  year = {2017},\n  eprint = {1706.03762},\n  archivePrefix = {arXiv},\n" in text
    assert "  primaryClass = {cs.CL},\n" in text
    assert "  doi = {10.48550/arXiv.1706.03762},\n" in text
    assert "  note = {NeurIPS 2017 \\& more},\n" in text
    assert "  url = {https://arxiv.org/abs/1706.03762},\n}\n" in text


def test_keys_are_unique_within_one_export(library: Library) -> None:
    library.merge_records([record(f"2401.0000{i}", title="The Diffusion paper",
                                  authors=("Wei Zhang",), published=date(2024, 1, i))
                           for i in range(1, 4)])
    text = bibtex_entries(library.list(view="all", sort="title"))
    keys = [line[len("@misc{"):-1] for line in text.splitlines() if line.startswith("@misc")]
    assert sorted(keys) == ["zhang2024diffusion", "zhang2024diffusiona",
                            "zhang2024diffusionb"]


def test_names_particles_accents_and_ready_made_surnames() -> None:
    assert bibtex_name("Ludwig van Beethoven") == "van Beethoven, Ludwig"
    assert bibtex_name("Grace  Murray Hopper") == "Hopper, Grace Murray"
    assert bibtex_name("Hopper, Grace") == "Hopper, Grace"
    assert bibtex_name("Plato") == "Plato"


def test_citation_keys_fold_accents_and_skip_stopwords(library: Library) -> None:
    library.merge_records([record("2401.00009", title="A Study of Ünïcode: things",
                                  authors=("José Müller-Núñez",), published=date(2025, 5, 1))])
    assert citation_key(library.get("2401.00009")) == "mullernunez2025study"


def test_latex_specials_are_escaped_outside_math_only() -> None:
    assert latex_text("R&D at 100% #1 of snake_case") == r"R\&D at 100\% \#1 of snake\_case"
    assert latex_text("Bounds on $x_1 + y_2$ and \\& done") == (
        "Bounds on $x_1 + y_2$ and \\& done")
    assert latex_text("unbalanced } brace {") == "unbalanced  brace "
    assert latex_text("kept {GPU} braces") == "kept {GPU} braces"
