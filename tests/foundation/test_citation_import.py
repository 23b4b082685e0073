"""Importing BibTeX and RIS exports (Zotero, JabRef, Mendeley): fields, identifiers, merging
with papers already here, skipped entries and syntax errors that import nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from readinglist.cli.main import run
from readinglist.core.errors import InputError
from readinglist.services.citation_import import read_citation_file
from readinglist.services.library import Library
from tests.foundation.factories import record

BIB = r"""
@string{neurips = "Advances in Neural Information Processing Systems"}
% Zotero adds comments like this one
@preamble{"\newcommand{\noop}[1]{}"}
@article{vaswani2017,
  title = {Attention Is {All} You Need},
  author = {Vaswani, Ashish and Shazeer, Noam and Barth{\'e}lemy, L{\'e}a and others},
  journal = neurips # " 30",
  year = 2017, month = dec,
  eprint = {1706.03762v5}, archivePrefix = {arXiv},
  keywords = {transformers; to-read},
}
@inproceedings{noid, title = "A talk without identifiers", author = "Someone, A."}
@misc{he2016,
  title = "Deep {Residual} Learning for Image Recognition",
  author = {He, Kaiming and {Microsoft Research Asia}},
  doi = {https://doi.org/10.1109/CVPR.2016.90},
  date = {2016-06-27},
  abstract = {Deeper neural networks are more difficult to train.},
}
@article{preprint, title = {Scaling laws}, author = {Kaplan, Jared},
  journal = {arXiv preprint arXiv:2001.08361}, year = {2020}}
@comment{old entries: @article{x, title={not read}} }
"""

RIS = """TY  - JOUR
AU  - Lovelace, Ada
AU  - Turing, Alan
TI  - On computable numbers
JO  - Proc. London Math. Soc.
VL  - 42
SP  - 230
EP  - 265
PY  - 1937/01/02/
DO  - 10.1112/plms/s2-42.1.230
L1  - file:///home/ada/Papers/On%20computable%20numbers.pdf
KW  - computability
AB  - We consider numbers
  that are computable.
ER  -

TY  - GEN
TI  - A preprint found by its link
UR  - https://arxiv.org/abs/2406.05821v2
ER  -
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bibtex_fields_ids_and_skipped_entries(tmp_path: Path) -> None:
    found = read_citation_file(_write(tmp_path, "refs.bib", BIB), "bibtex")
    assert found.skipped == 1
    attention, resnet, scaling = found.objects
    assert (attention["arxiv_id"], attention["version"]) == ("1706.03762", 5)
    assert attention["title"] == "Attention Is All You Need"
    assert attention["authors"] == ["Ashish Vaswani", "Noam Shazeer", "Léa Barthélemy"]
    assert attention["published"] == "2017-12-01"
    assert attention["journal_ref"] == ("Advances in Neural Information Processing Systems 30, "
                                        "2017")
    assert attention["tags"] == ["transformers", "to-read"]
    assert resnet["doi"] == "10.1109/cvpr.2016.90" and resnet["arxiv_id"] is None
    assert resnet["authors"] == ["Kaiming He", "Microsoft Research Asia"]
    assert resnet["published"] == "2016-06-27"
    assert resnet["abstract"] == "Deeper neural networks are more difficult to train."
    assert scaling["arxiv_id"] == "2001.08361" and scaling["journal_ref"] is None


def test_ris_entries_and_continuation_lines(tmp_path: Path) -> None:
    found = read_citation_file(_write(tmp_path, "refs.ris", RIS), "ris")
    turing, preprint = found.objects
    assert turing["authors"] == ["Ada Lovelace", "Alan Turing"]
    assert turing["abstract"] == "We consider numbers that are computable."
    assert turing["published"] == "1937-01-02"
    assert turing["journal_ref"] == "Proc. London Math. Soc., 42, 230-265, 1937"
    assert turing["url"] is None  # the file link is not the paper's web page
    assert turing["pdf_files"] == ["/home/ada/Papers/On computable numbers.pdf"]
    assert (preprint["arxiv_id"], preprint["version"]) == ("2406.05821", 2)


@pytest.mark.parametrize("name,text,message", [
    ("a.bib", "@article{x,\n title = {Open brace,\n year = 2020}\n",
     "line 1: the @article entry is not closed"),
    ("b.bib", "@article{x,\n  title = ?\n}", "line 2: unexpected '?'"),
    ("c.ris", "TY  - JOUR\nTI  - No end\n", "no ER line"),
    ("d.ris", "TI  - before TY\nER  - \n", "line 1: TI before the first TY"),
])
def test_syntax_errors_name_the_line_and_import_nothing(library: Library, tmp_path: Path,
                                                        name: str, text: str,
                                                        message: str) -> None:
    with pytest.raises(InputError, match=message):
        library.import_file(_write(tmp_path, name, text))
    assert library.list(view="all") == []


def test_cli_import_merges_with_the_library_and_reports_skips(library: Library,
                                                              tmp_path: Path, capsys) -> None:
    library.merge_records([record("1706.03762", title="Attention Is All You Need", version=5)])
    library.mark(["1706.03762"], "starred", True)
    library.close()
    assert run(["import", str(_write(tmp_path, "zotero.bib", BIB))]) == 0
    out = capsys.readouterr().out
    assert out.strip().endswith("1 entry without an arXiv id, DOI or URL skipped")
    assert "2 new" in out
    assert run(["import", str(_write(tmp_path, "refs.ris", RIS))]) == 0
    assert "2 new" in capsys.readouterr().out
    reopened = Library(library.path)
    try:
        attention = reopened.get("1706.03762")
        assert attention.starred and attention.tags == ()  # triage already here is kept
        resnet = reopened.get("10.1109/CVPR.2016.90")
        assert resnet.title == "Deep Residual Learning for Image Recognition"
        assert [p.key for p in reopened.list(view="all", tag="computability")] == [
            "doi:10.1112/plms/s2-42.1.230"]
    finally:
        reopened.close()


def test_csl_json_round_trip_of_our_own_export(library: Library, tmp_path: Path,
                                               capsys) -> None:
    from datetime import date

    library.merge_records([
        record("2406.05821", version=3, title="Synthetic Attention", journal_ref="Proc. ICML",
               doi="10.1234/x.y", published=date(2024, 6, 30)),
        record("2311.00001", version=2, title="A preprint", published=date(2023, 11, 1))])
    library.tag(["2406.05821"], add=["thesis"])
    library.close()
    exported = tmp_path / "mine.json"
    assert run(["cite", "--view", "inbox", "--format", "csl-json", "--output",
                str(exported)]) == 0
    other, original = Library(tmp_path / "other.sqlite3"), Library(library.path)
    try:
        report = other.import_file(exported)
        assert (report.counts.new, report.skipped, report.pdfs) == (2, 0, [])
        for key in ("2406.05821", "2311.00001"):
            mine, theirs = original.get(key), other.get(key)
            assert (theirs.title, theirs.authors, theirs.version, theirs.published,
                    theirs.journal_ref, theirs.doi) == (mine.title, mine.authors, mine.version,
                                                        mine.published, mine.journal_ref,
                                                        mine.doi)
        assert other.get("2406.05821").tags == ("thesis",)
    finally:
        other.close()
        original.close()
    broken = _write(tmp_path, "broken.json", '[{"title": "x"},\n  oops]')
    with pytest.raises(InputError, match="line 2: not valid JSON"):
        Library(tmp_path / "third.sqlite3").import_file(broken)


def test_zotero_and_jabref_pdfs_are_attached_on_request(library: Library, tmp_path: Path,
                                                        capsys) -> None:
    from tests.pdf.pdfgen import make_paper

    storage = tmp_path / "storage"
    storage.mkdir()
    make_paper(storage / "attention.pdf", pages=2)
    make_paper(tmp_path / "relative.pdf", pages=2)
    (storage / "broken.pdf").write_bytes(b"not a pdf at all")
    bib = _write(tmp_path, "zotero.bib", f"""
@article{{a, title = {{Attention}}, eprint = {{1706.03762}}, archivePrefix = {{arXiv}},
  file = {{{storage / "attention.pdf"};{storage / "snapshot.html"}}}}}
@article{{b, title = {{Relative}}, doi = {{10.1234/rel}}, file = {{Full Text:relative.pdf:PDF}}}}
@article{{c, title = {{Broken}}, doi = {{10.1234/bro}}, file = {{:{storage / "broken.pdf"}:PDF}}}}
@article{{d, title = {{Gone}}, doi = {{10.1234/gon}}, file = {{{storage / "gone.pdf"}}}}}
""")
    library.close()
    assert run(["import", str(bib)]) == 0
    assert "the file names 4 PDF files; import again with --attach-pdfs" in \
        capsys.readouterr().out
    assert run(["import", str(bib), "--attach-pdfs"]) == 1
    out = capsys.readouterr().out
    assert "attached 2 of 4 PDFs" in out
    assert f"not attached: {storage / 'gone.pdf'}: missing" in out
    assert "broken.pdf is not a PDF file" in out
    assert run(["list", "--view", "all", "--search", "pdf:needle"]) == 0  # indexed as attached
    listed = capsys.readouterr().out
    assert "1706.03762" in listed and "Relative" in listed


def test_a_paper_listed_twice_in_one_export_gets_all_its_tags(library, tmp_path) -> None:
    bib = tmp_path / "two-collections.bib"
    bib.write_text(
        "@article{a, title={Okapi}, eprint={2611.09501}, archivePrefix={arXiv},"
        " keywords={vision}}\n"
        "@article{b, title={Okapi}, eprint={2611.09501}, archivePrefix={arXiv},"
        " keywords={zoology, vision}}\n", encoding="utf-8")
    report = library.import_file(bib)
    assert report.counts.new == 1
    assert sorted(library.get("2611.09501").tags) == ["vision", "zoology"]
