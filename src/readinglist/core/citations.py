"""RIS and CSL-JSON for reference managers (Zotero, EndNote, Mendeley; Pandoc and citeproc).

arXiv papers without a journal reference are preprints (RIS ``UNPB``, CSL ``article`` with
arXiv as publisher and the id as number); with one they are journal articles. Citation ids are
the same ``vaswani2017attention`` keys as the BibTeX export.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from readinglist.core.bibtex import citation_key, citation_keys, name_parts, split_name
from readinglist.core.models import Paper


def _clean(text: str) -> str:
    """One line: RIS values cannot span lines."""
    return " ".join(text.split())


def ris_entry(paper: Paper) -> str:
    """One RIS record, ending with ``ER  -``."""
    lines = [("TY", "JOUR" if paper.journal_ref else "UNPB"), ("TI", paper.title)]
    for author in paper.authors:
        surname, given = split_name(author)
        lines.append(("AU", f"{surname}, {given}" if given else surname))
    if paper.published:
        lines += [("PY", str(paper.published.year)),
                  ("DA", paper.published.strftime("%Y/%m/%d"))]
    if paper.journal_ref:
        lines.append(("JO", paper.journal_ref))
    elif paper.arxiv_id:
        lines.append(("PB", "arXiv"))
    if paper.abstract:
        lines.append(("AB", paper.abstract))
    if paper.doi:
        lines.append(("DO", paper.doi))
    if paper.url:
        lines.append(("UR", paper.url))
    if paper.pdf_url:
        lines.append(("L1", paper.pdf_url))
    if paper.arxiv_id:
        version = f"v{paper.version}" if paper.version else ""
        category = f" [{paper.primary_category}]" if paper.primary_category else ""
        lines.append(("N1", f"arXiv:{paper.arxiv_id}{version}{category}"))
    lines += [("KW", tag) for tag in paper.tags]
    body = "".join(f"{tag}  - {_clean(value)}\n" for tag, value in lines if _clean(value))
    return f"{body}ER  - \n"


def ris_entries(papers: Iterable[Paper]) -> str:
    """RIS records separated by blank lines."""
    return "\n".join(ris_entry(paper) for paper in papers)


def csl_item(paper: Paper, used: set[str] | None = None, key: str | None = None
             ) -> dict[str, Any]:
    """One CSL-JSON item (``key``: its id, else a new key not in ``used``)."""
    authors = []
    for name in paper.authors:
        surname, given, suffix = name_parts(name)
        person = {"family": surname, "given": given} if given else {
            "literal": " ".join(p for p in (surname, suffix) if p)}
        authors.append({**person, "suffix": suffix} if given and suffix else person)
    item: dict[str, Any] = {
        "id": key or citation_key(paper, used),
        "type": "article-journal" if paper.journal_ref else "article",
        "title": _clean(paper.title),
        "author": authors,
    }
    if paper.published:
        day = paper.published
        item["issued"] = {"date-parts": [[day.year, day.month, day.day]]}
    if paper.journal_ref:
        item["container-title"] = _clean(paper.journal_ref)
    elif paper.arxiv_id:
        item["publisher"] = "arXiv"
        item["number"] = f"arXiv:{paper.arxiv_id}"
    if paper.arxiv_id and paper.version:
        item["version"] = str(paper.version)
    if paper.abstract:
        item["abstract"] = _clean(paper.abstract)
    if paper.doi:
        item["DOI"] = paper.doi
    if paper.url:
        item["URL"] = paper.url
    if paper.tags:
        item["keyword"] = ", ".join(paper.tags)
    return item


def csl_json(papers: Iterable[Paper]) -> str:
    """A CSL-JSON array (unique ids within the export)."""
    papers = list(papers)
    items = [csl_item(p, key=key) for p, key in zip(papers, citation_keys(papers))]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
