"""RIS and CSL-JSON export, and ``readinglist cite``."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from readinglist.cli.main import run
from readinglist.core.citations import csl_json, ris_entries, ris_entry
from readinglist.services.library import Library
from tests.foundation.factories import record


def _papers(library: Library) -> list:
    library.merge_records([
        record("2406.05821", version=2, title="Attention  is\nall you need",
               authors=("Ashish Vaswani", "Ludwig van Beethoven", "Plato"),
               abstract="Line one.\nLine two.", published=date(2024, 6, 9),
               primary_category="cs.CL"),
        record("2406.00002", title="Attention again", authors=("Ashish Vaswani",),
               published=date(2024, 6, 1), journal_ref="Nature 1 (2024) 1-2",
               doi="10.1000/abc")])
    library.tag(["2406.05821"], add=["transformers"])
    return [library.get("2406.05821"), library.get("2406.00002")]


def test_ris_records(library: Library) -> None:
    preprint, article = _papers(library)
    text = ris_entry(preprint)
    lines = text.splitlines()
    assert lines[0] == "TY  - UNPB" and lines[-1] == "ER  - "
    assert "TI  - Attention is all you need" in lines  # one line, whitespace collapsed
    assert lines[2:5] == ["AU  - Vaswani, Ashish", "AU  - van Beethoven, Ludwig", "AU  - Plato"]
    assert {"PY  - 2024", "DA  - 2024/06/09", "PB  - arXiv", "AB  - Line one. Line two.",
            "N1  - arXiv:2406.05821v2 [cs.CL]", "KW  - transformers",
            "UR  - https://arxiv.org/abs/2406.05821"} <= set(lines)
    other = ris_entry(article).splitlines()
    assert other[0] == "TY  - JOUR" and "JO  - Nature 1 (2024) 1-2" in other
    assert "DO  - 10.1000/abc" in other and "PB  - arXiv" not in other
    assert ris_entries([preprint, article]).count("ER  - ") == 2


def test_csl_json_items(library: Library) -> None:
    preprint, article = _papers(library)
    items = json.loads(csl_json([preprint, article, preprint]))
    assert [i["id"] for i in items] == ["vaswani2024attention", "vaswani2024attentiona",
                                        "vaswani2024attentionb"]
    first = items[0]
    assert first["type"] == "article" and first["publisher"] == "arXiv"
    assert first["number"] == "arXiv:2406.05821" and first["version"] == "2"
    assert first["author"] == [{"family": "Vaswani", "given": "Ashish"},
                               {"family": "van Beethoven", "given": "Ludwig"},
                               {"literal": "Plato"}]
    assert first["issued"] == {"date-parts": [[2024, 6, 9]]}
    assert first["keyword"] == "transformers" and first["title"] == "Attention is all you need"
    assert items[1]["type"] == "article-journal"
    assert items[1]["container-title"] == "Nature 1 (2024) 1-2" and items[1]["DOI"] == "10.1000/abc"


def test_cite_command_picks_the_format_from_the_file_name(capsys, library: Library,
                                                          tmp_path: Path) -> None:
    _papers(library)
    library.close()
    assert run(["cite", "2406.05821", "--format", "ris"]) == 0
    assert capsys.readouterr().out.startswith("TY  - UNPB\n")
    target = tmp_path / "refs.json"
    assert run(["cite", "--search", "attention", "--output", str(target)]) == 0
    assert capsys.readouterr().out == f"wrote 2 papers to {target}\n"
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 2
    assert run(["cite", "2406.05821"]) == 0
    assert capsys.readouterr().out.startswith("@misc{vaswani2024attention,")
    assert run(["bibtex", "2406.05821", "--output", str(tmp_path / "x.json")]) == 0
    assert (tmp_path / "x.json").read_text(encoding="utf-8").startswith("@misc{")  # bibtex stays
