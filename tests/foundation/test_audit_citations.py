"""Citation import and export as Zotero, JabRef, Mendeley, Pandoc and LaTeX users meet them:
keys that stay with their papers, titles that keep their capitals, names with suffixes and
organisations, TeX in imported values, crossrefs, PDF links, encodings and round trips."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from readinglist.cli.main import run
from readinglist.core.bibtex import bibtex_entries, bibtex_name, latex_text, protect_case
from readinglist.core.citations import csl_json, ris_entry
from readinglist.services.citation_import import read_citation_file
from readinglist.services.export import FORMATS, export_papers, papers_text
from readinglist.services.library import Library
from tests.foundation.factories import record


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def _keys_by_title(bib: Path) -> dict[str, str]:
    text = bib.read_text(encoding="utf-8")
    return dict(zip(re.findall(r"title = \{(.*)\},", text), re.findall(r"@misc\{(.*),", text)))


def test_a_paper_added_to_a_kept_file_does_not_take_a_key_already_cited(library: Library,
                                                                       tmp_path: Path
                                                                       ) -> None:
    library.merge_records([record("2401.00001", title="Diffusion models are great",
                                  authors=("Wei Zhang",), published=date(2024, 1, 1)),
                           record("2401.00002", title="Diffusion models are better",
                                  authors=("Wei Zhang",), published=date(2024, 2, 1))])
    library.close()
    bib = tmp_path / "refs.bib"
    assert run(["cite", "--view", "all", "--output", str(bib), "--keep-updated"]) == 0
    before = _keys_by_title(bib)
    assert sorted(before.values()) == ["zhang2024diffusion", "zhang2024diffusiona"]
    reopened = Library(library.path)
    try:  # newer, so listed first: it used to take zhang2024diffusion from another paper
        reopened.merge_records([record("2401.00003", title="Diffusion for all",
                                       authors=("Wei Zhang",), published=date(2024, 3, 1))])
    finally:
        reopened.close()
    assert run(["exports", "run"]) == 0
    after = _keys_by_title(bib)
    assert {title: after[title] for title in before} == before
    assert after["Diffusion for all"] == "zhang2024diffusionb"


def test_csl_ids_follow_the_same_stable_keys(library: Library) -> None:
    library.merge_records([record("2401.00001", title="Diffusion models are great",
                                  authors=("Wei Zhang",), published=date(2024, 1, 1))])
    library.merge_records([record("2401.00003", title="Diffusion for all",
                                  authors=("Wei Zhang",), published=date(2024, 3, 1))])
    papers = library.list(view="all")  # newest first
    assert [p.arxiv_id for p in papers] == ["2401.00003", "2401.00001"]
    items = json.loads(csl_json(papers))
    assert [(i["title"], i["id"]) for i in items] == [
        ("Diffusion for all", "zhang2024diffusiona"),
        ("Diffusion models are great", "zhang2024diffusion")]


def test_titles_keep_their_capitals_and_plain_text_specials_compile() -> None:
    assert protect_case(latex_text("BERT: Pre-training of Deep Transformers")) == (
        "{BERT:} Pre-training of Deep Transformers")
    assert protect_case("The Large N Limit: Part I of GANs in iPhone apps") == (
        "The Large {N} Limit: Part {I} of {GANs} in {iPhone} apps")
    assert protect_case("A {Study} of $\\mathcal{O}(N)$ and Schr\\\"odinger") == (
        "A {Study} of $\\mathcal{O}(N)$ and Schr\\\"odinger")  # braces, math, TeX untouched
    assert latex_text("Ca^2+ signalling costs $5") == "Ca\\^{}2+ signalling costs \\$5"
    assert latex_text("Bounds on $x^2$ and \\^{o}") == "Bounds on $x^2$ and \\^{o}"


def test_name_suffixes_and_organisations_in_bibtex_ris_and_csl(library: Library) -> None:
    assert bibtex_name("Martin Luther King Jr.") == "King, Jr., Martin Luther"
    assert bibtex_name("Martin Luther King, Jr.") == "King, Jr., Martin Luther"
    assert bibtex_name("The ATLAS Collaboration") == "{The ATLAS Collaboration}"
    assert bibtex_name("Procter and Gamble") == "{Procter and Gamble}"
    assert bibtex_name("Barnes and Noble, Inc.") == "{Barnes and Noble, Inc.}"
    assert bibtex_name("Ludwig van Beethoven") == "van Beethoven, Ludwig"
    library.merge_records([record("2401.00005", title="Measurements",
                                  authors=("Martin Luther King Jr.", "The CMS Collaboration"))])
    paper = library.get("2401.00005")
    lines = ris_entry(paper).splitlines()
    assert "AU  - King, Martin Luther, Jr." in lines and "AU  - The CMS Collaboration" in lines
    assert json.loads(csl_json([paper]))[0]["author"] == [
        {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
        {"literal": "The CMS Collaboration"}]
    assert "author = {King, Jr., Martin Luther and {The CMS Collaboration}}" in \
        bibtex_entries([paper])


ZOTERO_BIB = r"""
@article{devlin_bert_2019,
	title = {{BERT}: {Pre}-training with \emph{Noisy} Labels for $\mathcal{O}(n^{2})$ Costs},
	author = {King, Jr., Martin and {Barnes and Noble, Inc.} and M{\"u}ller, Hans},
	abstract = {We use 50\% of the data, snake\_case names and R\&D \#1 with $x_{i}$.},
	url = {http://arxiv.org/abs/1810.04805},
	note = {arXiv:1810.04805v2 [cs.CL]},
	year = {2019},
}
@inproceedings{doe2020, crossref = {conf2020}, title = {Paper in a conference},
  author = {Doe, Jane}, doi = {10.1111/conf.1}}
@proceedings{conf2020, title = {Proceedings of Conf}, year = {2020}, month = jun}
"""


def test_bibtex_import_keeps_math_unescapes_specials_and_inherits_crossrefs(
        tmp_path: Path) -> None:
    found = read_citation_file(_write(tmp_path / "zotero.bib", ZOTERO_BIB), "bibtex")
    bert, paper = found.objects
    assert bert["title"] == "BERT: Pre-training with Noisy Labels for $\\mathcal{O}(n^{2})$ Costs"
    assert bert["abstract"] == ("We use 50% of the data, snake_case names and R&D #1 with "
                                "$x_{i}$.")
    assert bert["authors"] == ["Martin King Jr.", "Barnes and Noble, Inc.", "Hans Müller"]
    assert (bert["arxiv_id"], bert["version"], bert["categories"]) == ("1810.04805", 2,
                                                                     ["cs.CL"])
    assert paper["published"] == "2020-06-01"
    assert paper["journal_ref"] == "Proceedings of Conf, 2020"
    assert found.skipped == 1  # the proceedings volume itself has no identifier


def test_web_links_are_no_pdf_files_and_mendeley_paths_are_found(tmp_path: Path) -> None:
    mendeley = tmp_path / "Mendeley Desktop" / "Müller_2015 - Title.pdf"
    mendeley.parent.mkdir()
    mendeley.write_bytes(b"%PDF-1.4\n")
    ris = _write(tmp_path / "endnote.ris", """TY  - ELEC
TI  - A preprint with its PDF link
UR  - https://arxiv.org/abs/2005.14165
L1  - https://arxiv.org/pdf/2005.14165.pdf
L1  - internal-pdf://1234567/goodfellow.pdf
ER  - 
""")
    assert read_citation_file(ris, "ris").objects[0]["pdf_files"] == []
    # Mendeley Desktop: TeX in the path and no leading slash
    tex_path = str(mendeley).lstrip("/").replace("ü", '{\\"{u}}').replace("_", "{\\_}")
    bib = _write(tmp_path / "mendeley.bib", f"""@article{{m, title = {{T}}, doi = {{10.5555/12345}},
file = {{:{tex_path}:pdf}}}}
""")
    assert read_citation_file(bib, "bibtex").objects[0]["pdf_files"] == [str(mendeley)]


def test_csl_json_particles_and_suffixes_are_kept(tmp_path: Path) -> None:
    items = [{"id": "x", "type": "article", "title": "T", "DOI": "10.1234/abc",
              "author": [{"family": "Beethoven", "given": "Ludwig",
                          "non-dropping-particle": "van"},
                         {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
                         {"family": "Poussin", "given": "Charles", "dropping-particle": "de la",
                          "non-dropping-particle": "Vallée"}]}]
    path = _write(tmp_path / "zotero.json", json.dumps(items))
    assert read_citation_file(path, "csl-json").objects[0]["authors"] == [
        "Ludwig van Beethoven", "Martin Luther King Jr.", "Charles de la Vallée Poussin"]


def test_a_jabref_file_in_its_declared_latin1_encoding(library: Library,
                                                      tmp_path: Path) -> None:
    bib = _write(tmp_path / "jabref.bib", "% Encoding: ISO8859_1\n\n@article{m,\n"
                 "  title = {Über Wärme}, author = {Müller, Jörg}, doi = {10.5555/1},\n}\n",
                 encoding="latin-1")
    report = library.import_file(bib)
    assert report.counts.new == 1
    assert library.get("10.5555/1").authors == ("Jörg Müller",)


def test_export_import_export_gives_the_same_files(library: Library, tmp_path: Path) -> None:
    library.merge_records([
        record("1810.04805", version=2, title="BERT: Pre-training of Deep Transformers",
               authors=("Jacob Devlin", "Martin Luther King Jr.", "The ATLAS Collaboration",
                        "Ludwig van Beethoven"),
               published=date(2018, 10, 11), primary_category="cs.CL", categories=("cs.CL",)),
        record("hep-th/9711200", version=3, title="The Large N Limit",
               authors=("Juan Maldacena",), published=date(1997, 11, 27),
               primary_category="hep-th", categories=("hep-th",),
               journal_ref="Adv. Theor. Math. Phys. 2 (1998) 231")])
    library.tag(["1810.04805"], add=["nlp", "to read"])
    papers = library.list(view="all")
    for number, fmt in enumerate(("bibtex", "ris", "csl-json")):
        first = tmp_path / f"first{FORMATS[fmt]}"
        export_papers(papers, first, fmt)
        other = Library(tmp_path / f"other{number}.sqlite3")
        try:
            report = other.import_file(first)
            assert (report.counts.new, report.skipped, report.pdfs) == (2, 0, [])
            again = other.list(view="all")
            written = first.read_text(encoding="utf-8")
            if fmt == "bibtex":  # a note is not read back as the journal reference
                written = written.replace("  note = {Adv. Theor. Math. Phys. 2 (1998) 231},\n", "")
            assert papers_text(again, fmt) == written, fmt
            if fmt != "bibtex":
                assert other.get("hep-th/9711200").journal_ref == \
                    "Adv. Theor. Math. Phys. 2 (1998) 231"
            assert other.get("1810.04805").tags == ("nlp", "to read")
            if fmt != "csl-json":  # CSL has no field for it
                assert other.get("1810.04805").primary_category == "cs.CL"
            if fmt != "bibtex":  # BibTeX's eprint has no version, like arXiv's own
                assert other.get("1810.04805").version == 2
        finally:
            other.close()
