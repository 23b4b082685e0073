"""PDF commands: pdf (download), open (viewer), annotations, export (Markdown or annotated PDF)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from readinglist.cli.context import Context, chosen_papers
from readinglist.core.errors import InputError
from readinglist.services.pdfs import PdfService


def register(sub: argparse._SubParsersAction) -> None:
    """Add this area's subcommands."""
    p = sub.add_parser("pdf", help="download a paper's PDF into the cache and print its path")
    p.add_argument("id")
    p.add_argument("--attach", type=Path, metavar="FILE",
                   help="use this local PDF for the paper instead of downloading")
    p.set_defaults(handler=cmd_pdf)

    p = sub.add_parser("open", help="open a paper in the built-in PDF viewer")
    p.add_argument("id")
    p.add_argument("--page", type=int, metavar="N", help="start on page N (1-based)")
    p.set_defaults(handler=cmd_open)

    p = sub.add_parser("annotations", help="list a paper's highlights, underlines and notes")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_annotations)

    p = sub.add_parser("export", help="export a paper's annotations as Markdown or into a PDF")
    p.add_argument("id")
    p.add_argument("--format", choices=["markdown", "pdf"], default="markdown")
    p.add_argument("--output", "-o", type=Path, metavar="PATH",
                   help="file to write (required for pdf; Markdown goes to stdout without it)")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser(
        "vault", help="notes and highlights as Markdown pages in a folder (an Obsidian vault)",
        description="Write one Markdown page per paper (front matter, your note, highlights and "
                    "comments) into FOLDER. Without a choice: every paper you starred, tagged, "
                    "noted or annotated. Unchanged pages are not rewritten; nothing is deleted.")
    p.add_argument("folder", type=Path, metavar="FOLDER")
    p.add_argument("ids", nargs="*", metavar="ID", help="just these papers")
    p.add_argument("--view", choices=("inbox", "unread", "starred", "archived", "all"))
    p.add_argument("--tag")
    p.add_argument("--search", metavar="QUERY")
    p.set_defaults(handler=cmd_vault)

    p = sub.add_parser(
        "fulltext", help="make the text of the PDFs on this machine searchable (pdf:word)",
        description="Read the text of every PDF in the cache that is not indexed yet, so that "
                    "searches such as --search 'pdf:word' or 'pdf:\"a phrase\"' find the "
                    "papers (PDFs opened or downloaded from now on are indexed as they come). "
                    "Prints what was indexed and what the index holds; exits with 1 when a PDF "
                    "could not be read (it is named, and not tried again until --rebuild).")
    p.add_argument("--rebuild", action="store_true",
                   help="forget the index and read every PDF again (after OCR, or to retry "
                        "PDFs that could not be read)")
    p.add_argument("--json", action="store_true", help="print the index's figures as JSON")
    p.set_defaults(handler=cmd_fulltext)


def _fulltext(ctx: Context):  # type: ignore[no-untyped-def]
    from readinglist.pdf.cache import PdfCache
    from readinglist.services.fulltext import FullTextIndex

    return FullTextIndex(ctx.library, PdfCache(ctx.paths.pdf_cache))


def cmd_fulltext(ctx: Context, args: argparse.Namespace) -> int:
    import json
    from dataclasses import asdict

    index = _fulltext(ctx)
    progress = None
    if ctx.err.isatty():
        def progress(done: int, total: int, key: str) -> None:
            ctx.err.write(f"\rreading PDFs… {done}/{total} ")
            ctx.err.flush()
    report = index.rebuild(progress) if args.rebuild else index.index_pending(progress)
    if progress is not None:
        ctx.err.write("\n")
    stats = index.stats()
    if args.json:
        ctx.print(json.dumps({**asdict(stats), "indexed_now": report.indexed,
                              "without_text_now": report.without_text,
                              "missing_now": report.missing,
                              "cut_short_now": list(report.cut_short),
                              "failed_now": list(report.failed)}, indent=2))
    else:
        for line in report.lines():
            ctx.print(line)
        ctx.print(f"searchable: {stats.pdfs - stats.without_text} PDFs, {stats.pages} pages "
                  f"(search with --search 'pdf:word')")
    return 1 if report.failed else 0


def cmd_vault(ctx: Context, args: argparse.Namespace) -> int:
    from readinglist.services.vault import export_vault

    library = ctx.library
    papers = chosen_papers(library, args.ids, args.view, args.tag, args.search)
    report = export_vault(library, args.folder, library.worked_on() if papers is None else papers)
    ctx.print(report.summary())
    return 0


def _service(ctx: Context) -> PdfService:
    return PdfService(ctx.library, ctx.paths, ctx.settings)


def _progress(ctx: Context):  # type: ignore[no-untyped-def]
    if not ctx.err.isatty():
        return None

    def show(done: int, total: int | None) -> None:
        if total:
            ctx.err.write(f"\rdownloading… {done * 100 // total:3d}% of {total / 1e6:.1f} MB")
        else:
            ctx.err.write(f"\rdownloading… {done / 1e6:.1f} MB")
        ctx.err.flush()

    return show


def cmd_pdf(ctx: Context, args: argparse.Namespace) -> int:
    service = _service(ctx)
    key = ctx.library.resolve(args.id)
    if args.attach:
        path = service.attach_pdf(key, args.attach)
    else:
        progress = _progress(ctx)
        try:
            path = service.ensure_pdf(key, progress)
        finally:
            if progress is not None:
                ctx.err.write("\n")
    service.import_annotations_once(key, path)
    _fulltext(ctx).index_paper(key, path)
    ctx.print(str(path))
    return 0


def cmd_open(ctx: Context, args: argparse.Namespace) -> int:
    key = ctx.library.resolve(args.id)
    try:
        from PySide6.QtWidgets import QApplication

        from readinglist.ui.pdfviewer import open_paper
    except ImportError as error:
        raise InputError(f"cannot start the viewer: {error}") from None
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = open_paper(ctx.library, ctx.paths, key)
    if args.page:
        window.go_to_page_of(key, args.page - 1)
    try:
        return int(app.exec())
    finally:
        from readinglist.ui.pdfviewer.tasks import wait_for_tasks

        window.close()
        wait_for_tasks()  # the library closes next: let downloads and indexing stop first


def cmd_annotations(ctx: Context, args: argparse.Namespace) -> int:
    key = ctx.library.resolve(args.id)
    found = ctx.library.annotations(key)
    if args.json:
        ctx.print_json([a.to_json() for a in found])
        return 0
    if not found:
        ctx.print(f"no annotations on {key}")
        return 0
    for ann in found:
        text = " ".join(ann.text.split())
        line = f"p.{ann.page + 1:<4} {ann.kind:<9} {ann.color}  {text[:70]}"
        if ann.comment:
            line += f"  — {' '.join(ann.comment.split())[:60]}"
        ctx.print(line.rstrip())
    return 0


def cmd_export(ctx: Context, args: argparse.Namespace) -> int:
    service = _service(ctx)
    key = ctx.library.resolve(args.id)
    if args.format == "pdf":
        if not args.output:
            raise InputError("export --format pdf needs --output PATH")
        path = service.export_pdf(key, args.output)
        ctx.print(str(path))
        return 0
    text = service.export_markdown(key)
    if args.output:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise InputError(f"cannot write {args.output}: {error.strerror or error}") from None
        ctx.print(str(args.output))
    else:
        ctx.out.write(text)
    return 0
