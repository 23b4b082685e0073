"""``add``: papers by arXiv id or link (fetched from arXiv) and from PDF files."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from readinglist.cli.context import Context
from readinglist.core.errors import InputError, InvalidIdError
from readinglist.core.ids import match_arxiv, parse_ref


def register(sub: argparse._SubParsersAction) -> None:
    """Add this area's subcommands."""
    p = sub.add_parser(
        "add", help="add papers: arXiv ids or links (fetched from arXiv) and PDF files",
        description="Add papers to the library. arXiv ids and links are fetched from arXiv. A "
                    "PDF file is identified by arXiv's stamp on its first page, an arXiv file "
                    "name or a DOI on page 1; its paper is fetched from arXiv (or, offline or "
                    "for a DOI, made from what the PDF says), and the PDF is attached. A folder "
                    "adds the PDF files in it and its subfolders. Each item succeeds or fails "
                    "on its own; the exit status is 1 if any failed.")
    p.add_argument("items", nargs="+", metavar="ID_OR_PDF", type=_item,
                   help="an arXiv id or link, a PDF file or a folder of PDF files")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_add)


def cmd_add(ctx: Context, args: argparse.Namespace) -> int:
    from readinglist.services.fetch import FetchService
    from readinglist.services.pdf_add import add_pdfs
    from readinglist.services.pdfs import PdfService

    files = [item for item in args.items if isinstance(item, Path)]
    ids = [_arxiv_id(item) for item in args.items if not isinstance(item, Path)]
    service = FetchService(ctx.library, ctx.settings, ctx.paths)
    failed = False
    out: dict[str, list[dict[str, object]]] = {"ids": [], "pdfs": []}

    try:
        if ids:
            restored = set(ctx.library.restore_named(ids))  # asked for again
            error = service.fetch_arxiv_ids(ids)
            found: set[str] = set(ctx.library.keys_matching(ctx.library.make_filter(
                "all", query=" ".join(ids))))
            for arxiv_id in ids:
                problem = error or (None if arxiv_id in found else "arXiv has no such paper")
                failed = failed or problem is not None
                out["ids"].append({"id": arxiv_id, "added": problem is None, "error": problem,
                                   "restored": arxiv_id in restored})
                if not args.json:
                    back = " (back from the Trash)" if arxiv_id in restored else ""
                    ctx.print(f"{arxiv_id}: " + (f"in the library{back}" if problem is None
                                                 else f"not added: {problem}"))
        if files:
            added = add_pdfs(ctx.library, PdfService(ctx.library, ctx.paths, ctx.settings),
                             files, service.fetch_arxiv_ids)
            for item in added:
                failed = failed or item.error is not None
                out["pdfs"].append({"file": item.shown_path, "key": item.key, "how": item.how,
                                    "note": item.note, "error": item.error})
                if not args.json:
                    ctx.print(item.line())
    finally:
        service.close()
    if args.json:
        ctx.print_json(out)
    return 1 if failed else 0


def _item(text: str) -> str | Path:
    """A file or folder (a ``Path``: its name may hold any bytes) or a paper id or link; a
    name ending in ``.pdf`` that is not there is a file (reported missing), unless it is an
    arXiv link (``https://arxiv.org/pdf/2406.05821v2.pdf``)."""
    if os.path.exists(text):
        return Path(text)
    if text.lower().endswith(".pdf") and "://" not in text and match_arxiv(text) is None:
        return Path(text)
    return text


def _arxiv_id(item: str) -> str:
    try:
        ref = parse_ref(item)
    except InvalidIdError as error:
        raise InputError(f"{item!r} is neither a PDF file nor a paper id ({error})") from None
    if ref.arxiv_id is None:
        raise InputError(f"{item!r}: only arXiv ids and links can be fetched (a DOI names a "
                         "paper whose PDF you can add: readinglist add paper.pdf)")
    return ref.arxiv_id
