"""Adding papers from PDF files (a dropped download, ``readinglist add paper.pdf``).

Each PDF is identified (``pdf.identify``: arXiv's margin stamp, an arXiv file name, a DOI on
page 1). A paper already in the library gets the PDF attached (and comes back from the Trash);
the others are fetched from arXiv in one request. When arXiv cannot be reached, or the PDF only
has a DOI, the paper is added from what the PDF itself says (title, authors, the stamp's
category and date) and a later fetch fills in the rest. A PDF of a newer arXiv version than
the library knows also fetches the paper again. The PDF is then copied into the library and its
text indexed. Each file succeeds or fails on its own.

A folder stands for the PDF files in it and its subfolders (hidden ones left out), in name
order; the same file named twice is added once.
"""

from __future__ import annotations

import os
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
Progress = Callable[[str], None]
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


    @property
    def shown_path(self) -> str:
        """The path as text for people and JSON (undecodable bytes of a name as U+FFFD)."""
        return shown(str(self.path))

    def line(self) -> str:
        """``paper.pdf: 2406.05821 “Title” — fetched from arXiv`` or the failure."""
        name = self.path.name or str(self.path)
        if self.error is not None:  # with a key, the paper is in but the PDF not attached
            return shown(f"{name}: {'' if self.key else 'not added: '}{self.error}")
        title = f" “{self.title}”" if self.title else ""
        note = f" ({self.note})" if self.note else ""
        return shown(f"{name}: {self.key}{title} — {self.how}{note}")


def shown(text: str) -> str:
    """``text`` fit for UTF-8 output: a file name's undecodable bytes become U+FFFD."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a lone surrogate no file system produced
        return text.encode("utf-8", "replace").decode("utf-8")


def pdf_files(paths: Sequence[Path]) -> list[Path]:
    """``paths`` with each folder replaced by the PDF files in it and its subfolders (hidden
    ones left out, in name order); each file once. A folder without PDFs is kept, to be
    reported."""
    out: dict[str, Path] = {}
    for path in map(Path, paths):
        for item in (_pdfs_in(path) if os.path.isdir(path) else []) or [path]:
            out.setdefault(os.path.realpath(item), item)
    return list(out.values())


def _pdfs_in(folder: Path) -> list[Path]:
    found = []
    for root, dirs, names in os.walk(folder):  # symbolic links to folders are not followed
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [Path(root, name) for name in sorted(names)
                  if name.lower().endswith(".pdf") and not name.startswith(".")]
    return found


def add_pdfs(library: Library, pdf_service: PdfService, files: Sequence[Path],
             fetch_arxiv: FetchArxiv, progress: Progress | None = None) -> list[AddedPdf]:
    """Identify, add and attach each PDF in ``files`` (folders: the PDFs in them); see the
    module docstring.

    ``fetch_arxiv`` fetches arXiv ids into the library and returns an error message or None;
    ``progress`` hears what is being done (``Reading 3 of 40 PDFs…``).
    """
    report = progress or (lambda _: None)
    paths = pdf_files(files)
    found = []
    for number, path in enumerate(paths, start=1):
        report(f"Reading {number} of {counted(len(paths), 'PDF')}…")
        found.append(_identify(path))
    identities = [identity for _, identity, _ in found if identity is not None]
    present = _present(library, identities)
    missing = list(dict.fromkeys(i.arxiv_id for i in identities
                                 if i.arxiv_id and _key(i) not in present))
    wanted = missing + [i for i in _outdated(library, identities, present) if i not in missing]
    if wanted:
        report(f"Fetching {counted(len(wanted), 'paper')} from arXiv…")
    fetch_error = fetch_arxiv(wanted) if wanted else None
    fetched = {k: v for k, v in _present(library, identities).items() if k not in present}
    from_pdf = _add_from_pdfs(library, [(path, identity) for path, identity, _ in found
                                        if identity is not None
                                        and _key(identity) not in present | fetched.keys()])
    where = [(present, "attached"), (fetched, "fetched from arXiv"),
             (from_pdf, "added from the PDF")]
    results = []
    for number, (path, identity, error) in enumerate(found, start=1):
        if identity is None:
            results.append(AddedPdf(path, error=error))
            continue
        report(f"Copying {number} of {counted(len(found), 'PDF')} into the library…")
        key, how = next((keys[_key(identity)], how) for keys, how in where
                        if _key(identity) in keys)
        note = _why_not_fetched(identity, fetch_error) if how == where[2][1] else ""
        results.append(_attach(library, pdf_service, path, key, how, note))
    return results


def _identify(path: Path) -> tuple[Path, PdfIdentity | None, str | None]:
    """The PDF's identity, or why it has none."""
    if os.path.isdir(path):
        return path, None, "a folder with no PDF files in it"
    try:
        identity = identify_pdf(path)
    except ReadinglistError as error:
        return path, None, shown(str(error))
    if not identity.known:
        return path, None, ("no arXiv id or DOI found on its first page or in its name (add the "
                            "paper by its id, then attach the PDF to it)")
    return path, identity, None


def _outdated(library: Library, identities: Sequence[PdfIdentity],
              present: dict[str, str]) -> list[str]:
    """arXiv ids of papers here whose PDF is a newer version than the library knows."""
    outdated = []
    for identity in identities:
        key = present.get(_key(identity))
        if key is None or not identity.arxiv_id or not identity.version:
            continue
        if identity.version > (library.get(key).version or 0):
            outdated.append(identity.arxiv_id)
    return list(dict.fromkeys(outdated))


def _why_not_fetched(identity: PdfIdentity, fetch_error: str | None) -> str:
    """The note on a paper made from its PDF although it has an arXiv id."""
    if not identity.arxiv_id:
        return ""
    if fetch_error:
        return f"arXiv: {fetch_error}"
    return f"arXiv has no paper {identity.arxiv_id}"


def summary(added: Sequence[AddedPdf]) -> str:
    """``Added 3 PDFs: 1 fetched from arXiv, 2 attached; 1 not added``."""
    done = [a for a in added if a.error is None]
    if not added:
        return "No PDF files found"
    if not done:
        return f"No PDF added ({len(added)} failed)"
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
    except (ReadinglistError, OSError) as problem:
        reason = str(problem) if isinstance(problem, ReadinglistError) else \
            f"{problem.strerror or problem}"
        return AddedPdf(path, key, error=shown(f"{key} is in the library, but the PDF was not "
                                               f"attached: {reason}"))
    return AddedPdf(path, key, library.get(key).title, how, note=note)
