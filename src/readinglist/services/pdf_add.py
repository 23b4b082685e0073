"""Adding papers from PDF files (a dropped download, ``readinglist add paper.pdf``).

Each PDF is identified (``pdf.identify``: arXiv's margin stamp, an arXiv file name, a DOI on
page 1). A paper already in the library gets the PDF attached (and comes back from the Trash);
the others are fetched from arXiv in one request. When arXiv cannot be reached, or the PDF only
has a DOI, the paper is added from what the PDF itself says (title, authors, the stamp's
category and date) and a later fetch fills in the rest. The PDF is then copied into the library
and its text indexed. Each file succeeds or fails on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from readinglist.core.errors import ReadinglistError, UnknownPaperError
from readinglist.core.models import PaperRecord
from readinglist.core.text import counted
from readinglist.pdf.identify import PdfIdentity, identify_pdf
from readinglist.services.library import Library

if TYPE_CHECKING:
    from readinglist.services.pdfs import PdfService

FetchArxiv = Callable[[list[str]], str | None]  # fetch these ids; the error, if any
IMPORT_SOURCE = "import"


@dataclass(frozen=True, slots=True)
class AddedPdf:
    """What became of one PDF file."""

    path: Path
    key: str | None = None
    title: str = ""
    how: str = ""  # "attached", "fetched from arXiv", "added from the PDF"
    error: str | None = None
    note: str = ""  # why arXiv's metadata was not used


    def line(self) -> str:
        """``paper.pdf: 2406.05821 “Title” — fetched from arXiv`` or the failure."""
        if self.error is not None:
            return f"{self.path.name}: not added: {self.error}"
        title = f" “{self.title}”" if self.title else ""
        note = f" ({self.note})" if self.note else ""
        return f"{self.path.name}: {self.key}{title} — {self.how}{note}"


def add_pdfs(library: Library, pdf_service: PdfService, files: Sequence[Path],
             fetch_arxiv: FetchArxiv) -> list[AddedPdf]:
    """Identify, add and attach each PDF in ``files``; see the module docstring.

    ``fetch_arxiv`` fetches arXiv ids into the library and returns an error message or None.
    """
    found: list[tuple[Path, PdfIdentity | None, str | None]] = []
    for path in map(Path, files):
        try:
            identity = identify_pdf(path)
        except ReadinglistError as error:
            found.append((path, None, str(error)))
            continue
        if identity.known:
            found.append((path, identity, None))
        else:
            found.append((path, None, "no arXiv id or DOI found on its first page or in its "
                          "name (add the paper by its id, then attach the PDF to it)"))
    identities = [identity for _, identity, _ in found if identity is not None]
    present = _present(library, identities)
    missing = list(dict.fromkeys(i.arxiv_id for i in identities
                                 if i.arxiv_id and _key(i) not in present))
    fetch_error = fetch_arxiv(missing) if missing else None
    fetched = {k: v for k, v in _present(library, identities).items() if k not in present}
    from_pdf = _add_from_pdfs(library, [(path, identity) for path, identity, _ in found
                                        if identity is not None
                                        and _key(identity) not in present | fetched.keys()])
    where = [(present, "attached"), (fetched, "fetched from arXiv"),
             (from_pdf, "added from the PDF")]
    results = []
    for path, identity, error in found:
        if identity is None:
            results.append(AddedPdf(path, error=error))
            continue
        key, how = next((keys[_key(identity)], how) for keys, how in where
                        if _key(identity) in keys)
        note = f"arXiv: {fetch_error}" if how == where[2][1] and identity.arxiv_id \
            and fetch_error else ""
        results.append(_attach(library, pdf_service, path, key, how, note))
    return results


def summary(added: Sequence[AddedPdf]) -> str:
    """``Added 3 PDFs: 1 fetched from arXiv, 2 attached; 1 not added``."""
    done = [a for a in added if a.error is None]
    parts = [f"{sum(1 for a in done if a.how == how)} {how}" for how in
             ("fetched from arXiv", "added from the PDF", "attached")
             if any(a.how == how for a in done)]
    line = f"Added {counted(len(done), 'PDF')}" + (f": {', '.join(parts)}" if parts else "")
    failed = len(added) - len(done)
    return line + (f"; {failed} not added" if failed else "")


def _key(identity: PdfIdentity) -> str:
    return identity.arxiv_id or f"doi:{identity.doi}"


def _present(library: Library, identities: Sequence[PdfIdentity]) -> dict[str, str]:
    """For the papers the library has: identity key → library key (a DOI may name a paper
    kept under its arXiv id). A trashed one is restored: it was asked for again."""
    present = {}
    for identity in identities:
        try:
            key = library.resolve(_key(identity), in_trash=True)
        except UnknownPaperError:
            continue
        if library.get(key, in_trash=True).deleted:
            library.mark([key], "deleted", False)
        present[_key(identity)] = key
    return present


def _add_from_pdfs(library: Library, pdfs: Sequence[tuple[Path, PdfIdentity]]
                   ) -> dict[str, str]:
    """Papers made from what their PDFs say (arXiv unreachable, or a DOI only)."""
    records: dict[str, PaperRecord] = {}
    for path, identity in pdfs:
        records.setdefault(_key(identity), PaperRecord(
            key=_key(identity), title=identity.title or path.stem,
            arxiv_id=identity.arxiv_id, version=identity.version, doi=identity.doi,
            authors=identity.authors,
            categories=(identity.category,) if identity.category else (),
            primary_category=identity.category, published=identity.stamped_on,
            source=IMPORT_SOURCE))
    if records:
        library.merge_records(list(records.values()))
    return {key: key for key in records}


def _attach(library: Library, pdf_service: PdfService, path: Path, key: str, how: str,
            note: str) -> AddedPdf:
    from readinglist.services.fulltext import FullTextIndex

    try:
        stored = pdf_service.attach_pdf(key, path)
        FullTextIndex(library, pdf_service.cache).index_paper(key, stored)
    except ReadinglistError as problem:
        return AddedPdf(path, key, error=str(problem))
    return AddedPdf(path, key, library.get(key).title, how, note=note)
