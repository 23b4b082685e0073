"""Library commands: list, show, mark, tag, note, import."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from readinglist.cli.context import Context, chosen_papers
from readinglist.core.errors import InputError
from readinglist.core.models import Paper
from readinglist.storage.queries import VIEWS

CLI_VIEWS = tuple(v for v in VIEWS if v != "daily")  # a day cannot be named here

_MARKS = {
    "read": ("read", True), "unread": ("read", False), "star": ("starred", True),
    "unstar": ("starred", False), "archive": ("archived", True), "unarchive": ("archived", False),
    "delete": ("deleted", True), "restore": ("deleted", False),  # to the Trash and back
}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("list", help="list papers (inbox by default, newest first)")
    p.add_argument("--view", choices=CLI_VIEWS, default="inbox")
    p.add_argument("--tag")
    p.add_argument("--search", metavar="QUERY",
                   help='words, "phrases", tag:x author:y is:unread source:hf-daily since:DATE')
    p.add_argument("--limit", type=int, metavar="N")
    p.add_argument("--sort", choices=["date", "title", "authors", "upvotes", "added"],
                   default="date")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("show", help="show one paper")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser("mark", help="mark papers read/unread/starred/archived, or move them "
                                    "to the Trash (--delete) and back (--restore)")
    p.add_argument("ids", nargs="+", metavar="ID")
    group = p.add_mutually_exclusive_group(required=True)
    for name in _MARKS:
        group.add_argument(f"--{name}", dest="mark", action="store_const", const=name)
    p.set_defaults(handler=cmd_mark)

    p = sub.add_parser("tag", help="add or remove tags")
    p.add_argument("ids", nargs="+", metavar="ID")
    p.add_argument("--add", action="append", default=[], metavar="TAG",
                   help="a tag to add (repeat, or separate tags with commas)")
    p.add_argument("--remove", action="append", default=[], metavar="TAG",
                   help="a tag to remove (repeat, or separate tags with commas)")
    p.set_defaults(handler=cmd_tag)

    p = sub.add_parser("note", help="set a paper's Markdown note")
    p.add_argument("id")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--set", dest="text", metavar="TEXT")
    group.add_argument("--file", type=Path, metavar="PATH")
    p.set_defaults(handler=cmd_note)

    p = sub.add_parser("import", help="import papers from JSON Lines (the list --json shape), "
                                      "or a BibTeX (.bib), RIS (.ris) or CSL-JSON (.json) file")
    p.add_argument("file", type=Path)
    p.add_argument("--attach-pdfs", action="store_true",
                   help="BibTeX/RIS from Zotero, JabRef or Mendeley: also copy the PDF files "
                        "their entries name into the library (searchable, annotatable)")
    p.set_defaults(handler=cmd_import)

    for name, helptext in (
            ("bibtex", "BibTeX entries of papers (the given IDs, or every paper a tag or "
                       "search selects)"),
            ("cite", "papers as BibTeX, RIS, CSL-JSON or JSON Lines (the given IDs, or every "
                     "paper a tag or search selects)")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("ids", nargs="*", metavar="ID")
        p.add_argument("--view", choices=CLI_VIEWS, help="default: all")
        p.add_argument("--tag")
        p.add_argument("--search", metavar="QUERY")
        if name == "cite":
            p.add_argument("--format", choices=("bibtex", "ris", "csl-json", "jsonl"),
                           help="default: from the --output name (.ris, .json, .jsonl), "
                                "else bibtex")
        p.add_argument("--output", type=Path, metavar="PATH", help="write to a file")
        p.add_argument("--keep-updated", action="store_true",
                       help="with --output: rewrite the file whenever these papers change (the "
                            "app does it as you work; 'readinglist exports run' from cron)")
        p.set_defaults(handler=cmd_cite)

    p = sub.add_parser(
        "exports", help="files kept up to date (cite/bibtex --output FILE --keep-updated)",
        description="List the files kept up to date, rewrite them now (run: only those whose "
                    "papers changed are written), or stop keeping one (remove FILE; the file "
                    "stays).")
    p.add_argument("action", nargs="?", choices=("list", "run", "remove"), default="list")
    p.add_argument("file", nargs="?", type=Path, metavar="FILE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_exports)

    p = sub.add_parser(
        "searches", help="list, save or delete saved searches (the sidebar's; they sync)",
        description="List saved searches with how many papers each finds (list), save one "
                    "(save NAME QUERY; an existing name, in any case, is replaced) or delete one "
                    "(delete NAME). `readinglist list --search QUERY` runs one. Put -- before "
                    "a query that starts with - (save NAME -- -tag:read).")
    p.add_argument("action", nargs="?", choices=("list", "save", "delete"), default="list")
    p.add_argument("names", nargs="*", metavar="NAME_OR_QUERY")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_searches)

    p = sub.add_parser("rules", help="list the feed rules (run on papers as they arrive)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_rules)

    p = sub.add_parser("rule", help="add, remove or run a feed rule")
    actions = p.add_subparsers(dest="rule_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="when a new paper matches QUERY: star, mark read, "
                                         "archive and/or tag it")
    add.add_argument("name", metavar="NAME")
    add.add_argument("query", metavar="QUERY", help="the search language, as in list --search")
    add.add_argument("--star", action="store_true")
    add.add_argument("--read", action="store_true", help="mark read")
    add.add_argument("--archive", action="store_true")
    add.add_argument("--tag", action="append", default=[], metavar="TAG")
    add.set_defaults(handler=cmd_rule_add)
    remove = actions.add_parser("remove", help="delete a rule")
    remove.add_argument("name", metavar="NAME")
    remove.set_defaults(handler=cmd_rule_remove)
    run_rule = actions.add_parser("run", help="run a rule now on the papers already in a view")
    run_rule.add_argument("name", metavar="NAME")
    run_rule.add_argument("--view", choices=CLI_VIEWS, default="inbox")
    run_rule.set_defaults(handler=cmd_rule_run)

    p = sub.add_parser(
        "tags", help="list tags with counts; rename, merge or delete a tag",
        description="List tags with counts (list), rename a tag on every paper (rename OLD NEW; "
                    "onto an existing tag it merges the two; saved searches and rules that name "
                    "it follow), or take a tag off every paper (delete NAME).")
    p.add_argument("action", nargs="?", choices=("list", "rename", "delete"), default="list")
    p.add_argument("names", nargs="*", metavar="NAME")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_tags)


def _flags(paper: Paper) -> str:
    return ("R" if paper.read else "·") + ("*" if paper.starred else "·") + (
        "A" if paper.archived else "·")


def _line(paper: Paper) -> str:
    ident = paper.arxiv_id or paper.doi or paper.key
    day = paper.published.isoformat() if paper.published else "          "
    title = paper.title if len(paper.title) <= 90 else paper.title[:89] + "…"
    tags = f"  [{', '.join(paper.tags)}]" if paper.tags else ""
    return f"{ident:<18} {_flags(paper)} {day}  {title}{tags}"


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 0:
        raise InputError("--limit must be zero or more")
    papers = ctx.library.list(view=args.view, tag=args.tag, query=args.search, limit=args.limit,
                              sort=args.sort, descending=args.sort in ("date", "upvotes", "added"))
    matches = _pdf_matches(ctx, papers, args.search)
    if args.json:
        objects = [p.to_json() for p in papers]
        if matches is not None:  # a pdf: search: the pages that match, with the words in [ ]
            for paper, obj in zip(papers, objects):
                obj["pdf_matches"] = [{"page": m.page + 1, "text": m.plain()}
                                      for m in matches.get(paper.key, [])]
        ctx.print_json(objects)
    else:
        for paper in papers:
            ctx.print(_line(paper))
            for match in (matches or {}).get(paper.key, [])[:3]:
                ctx.print(f"    p. {match.page + 1}: {match.plain()}")
    return 0


def _pdf_matches(ctx: Context, papers: Sequence[Paper], search: str | None
                 ) -> dict[str, list[Any]] | None:
    """For a search with ``pdf:`` terms, each paper's matching PDF pages; else None."""
    if not search or "pdf:" not in search.lower():
        return None
    from readinglist.services.fulltext import papers_pdf_matches

    return papers_pdf_matches(ctx.library, [paper.key for paper in papers], search)


def cmd_cite(ctx: Context, args: argparse.Namespace) -> int:
    """``bibtex`` and ``cite``: the chosen papers in a citation format."""
    from readinglist.services.export import format_for, papers_text, write_atomically

    papers = chosen_papers(ctx.library, args.ids, args.view, args.tag, args.search)
    if papers is None:
        raise InputError("name papers by ID, or choose them with --tag, --search or --view")
    fmt = getattr(args, "format", None) or (
        format_for(args.output) if args.command == "cite" and args.output else "bibtex")
    text = papers_text(papers, fmt)
    if args.output is None:
        if args.keep_updated:
            raise InputError("--keep-updated needs --output FILE")
        ctx.out.write(text)
        return 0
    write_atomically(args.output, text)
    noun = "entr" + ("y" if len(papers) == 1 else "ies") if fmt == "bibtex" else \
        "paper" + ("" if len(papers) == 1 else "s")
    ctx.print(f"wrote {len(papers)} {noun} to {args.output}")
    if args.keep_updated:
        from readinglist.services import auto_export

        keys = ctx.library.resolve_all(args.ids) if args.ids else []
        export = auto_export.make(args.output, fmt, args.view, args.tag, args.search, keys)
        auto_export.keep(ctx.paths.config, export)
        ctx.print(f"kept up to date from now on ({export.describe()}); "
                  "'readinglist exports' lists such files")
    return 0


def cmd_exports(ctx: Context, args: argparse.Namespace) -> int:
    from readinglist.services import auto_export

    exports = auto_export.configured(ctx.settings)
    if args.action == "remove":
        if args.file is None:
            raise InputError("name the file to stop keeping up to date")
        if not auto_export.remove(ctx.settings, args.file):
            raise InputError(f"{args.file} is not kept up to date")
        ctx.settings.save(ctx.paths.config)
        ctx.print(f"{args.file} is no longer kept up to date (the file stays)")
        return 0
    if args.action == "run":
        if not exports:
            ctx.print("no files are kept up to date")
            return 0
        outcomes = auto_export.refresh(ctx.library, exports)
        for outcome in outcomes:
            ctx.print(outcome.line())
        return 1 if any(o.error for o in outcomes) else 0
    if args.json:
        ctx.print_json([e.to_setting() | {"holds": e.describe()} for e in exports])
    elif not exports:
        ctx.print("no files are kept up to date (add one with 'readinglist cite --tag T "
                  "--output refs.bib --keep-updated')")
    for export in exports if not args.json else ():
        ctx.print(f"{export.path}  {export.format}, {export.describe()}")
    return 0


def cmd_rules(ctx: Context, args: argparse.Namespace) -> int:
    from readinglist.services.rules import RuleBook

    rules = RuleBook(ctx.library).all()
    if args.json:
        ctx.print_json([{"name": r.name} | r.to_setting() for r in rules])
        return 0
    if not rules:
        ctx.print("no rules (add one with `readinglist rule add NAME QUERY --tag TAG`)")
    for rule in rules:
        ctx.print(f"{rule.name}: {rule.describe()}")
    return 0


def cmd_rule_add(ctx: Context, args: argparse.Namespace) -> int:
    from readinglist.services.rules import RuleBook

    flags = [name for name in ("star", "read", "archive") if getattr(args, name)]
    rule = RuleBook(ctx.library).save(args.name, args.query, flags, args.tag)
    ctx.print(f"rule {rule.name!r}: {rule.describe()} (runs on papers as they arrive; "
              f"`readinglist rule run {rule.name!r}` runs it on the inbox now)")
    return 0


def cmd_rule_remove(ctx: Context, args: argparse.Namespace) -> int:
    from readinglist.services.rules import RuleBook

    RuleBook(ctx.library).delete(args.name)
    ctx.print(f"rule {args.name!r} removed")
    return 0


def cmd_rule_run(ctx: Context, args: argparse.Namespace) -> int:
    from readinglist.services.rules import RuleBook, describe_applied

    book = RuleBook(ctx.library)
    rule = book.get(args.name)
    applied = book.apply(None, [rule], view=args.view)
    ctx.print(describe_applied(applied) or f"rule {rule.name!r}: no papers matched")
    return 0


def cmd_show(ctx: Context, args: argparse.Namespace) -> int:
    paper = ctx.library.get(args.id, in_trash=True)
    earlier = ctx.library.earlier_versions(paper.key)
    if args.json:
        ctx.print_json(paper.to_json() | {"earlier_versions": [e.to_json() for e in earlier]})
        return 0
    version = f"v{paper.version}" if paper.version else ""
    ctx.print(paper.title)
    ctx.print(", ".join(paper.authors))
    ctx.print()
    facts = [
        ("id", f"{paper.arxiv_id or paper.key}{version}"),
        ("published", paper.published.isoformat() if paper.published else ""),
        ("updated", paper.updated.isoformat() if paper.updated else ""),
        ("categories", " ".join(paper.categories)),
        ("doi", paper.doi or ""), ("journal", paper.journal_ref or ""),
        ("comment", paper.comment or ""),
        ("sources", ", ".join(sorted(paper.sources))),
        ("upvotes", "" if paper.hf_upvotes is None else str(paper.hf_upvotes)),
        ("state", ", ".join(n for n, on in (("read", paper.read), ("starred", paper.starred),
                                             ("archived", paper.archived),
                                             ("in the Trash", paper.deleted),
                                             ("withdrawn", paper.withdrawn)) if on) or "unread"),
        ("tags", ", ".join(paper.tags)), ("url", paper.url or ""), ("pdf", paper.pdf_url or ""),
    ]
    if earlier:
        from readinglist.core.versions import paper_changes

        changed = paper_changes(earlier[0], paper)
        facts.append(("revised", f"v{earlier[0].version} → v{earlier[0].replaced_by} on "
                      f"{earlier[0].replaced_at[:10]}: "
                      + ("; ".join(changed) or "same title, authors and abstract")))
    for name, value in facts:
        if value:
            ctx.print(f"{name + ':':<12}{value}")
    if paper.abstract:
        ctx.print()
        ctx.print(paper.abstract)
    if paper.note:
        ctx.print()
        ctx.print("Note:" + (" (conflicting versions: see the app)" if paper.note_conflict else ""))
        ctx.print(paper.note)
    return 0


def cmd_mark(ctx: Context, args: argparse.Namespace) -> int:
    flag, value = _MARKS[args.mark]
    keys = ctx.library.resolve_all(args.ids, in_trash=flag == "deleted")
    ctx.library.mark(keys, flag, value)
    return 0


def cmd_tag(ctx: Context, args: argparse.Namespace) -> int:
    if not args.add and not args.remove:
        raise InputError("give --add TAG and/or --remove TAG")
    keys = ctx.library.resolve_all(args.ids)
    ctx.library.tag(keys, add=_split_tags(args.add), remove=_split_tags(args.remove))
    return 0


def _split_tags(values: list[str]) -> list[str]:
    """``--add "llm, to-read"`` is two tags, as in the app's tag fields (a tag name never
    holds a comma there)."""
    return [tag for value in values for tag in value.split(",") if tag.strip()]


def cmd_note(ctx: Context, args: argparse.Namespace) -> int:
    key = ctx.library.resolve(args.id)
    if args.file is not None:
        try:
            text = args.file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(f"cannot read {args.file}: {error}") from None
    else:
        text = args.text
    ctx.library.set_note(key, text)
    return 0


def cmd_import(ctx: Context, args: argparse.Namespace) -> int:
    report = ctx.library.import_file(args.file)
    ctx.print(report.line(str(args.file)))
    if not report.pdfs:
        return 0
    if not args.attach_pdfs:
        from readinglist.core.text import counted

        ctx.print(f"the file names {counted(len(report.pdfs), 'PDF file')}; import again with "
                  "--attach-pdfs to copy them into the library")
        return 0
    from readinglist.services.pdfs import PdfService

    attached, problems = PdfService(ctx.library, ctx.paths, ctx.settings).attach_many(
        report.pdfs)
    ctx.print(f"attached {attached} of {len(report.pdfs)} PDFs")
    for problem in problems:
        ctx.print(f"  not attached: {problem}")
    return 1 if problems else 0


def cmd_tags(ctx: Context, args: argparse.Namespace) -> int:
    if args.action != "list":
        return _tags_edit(ctx, args)
    if args.names:
        raise InputError("tags list takes no names")
    counts = ctx.library.tag_counts()
    if args.json:
        ctx.print_json([{"tag": t.name, "count": t.count} for t in counts])
    else:
        for t in counts:
            ctx.print(f"{t.count:>6}  {t.name}")
    return 0


def _tags_edit(ctx: Context, args: argparse.Namespace) -> int:
    from readinglist.services import tag_admin

    wanted = 2 if args.action == "rename" else 1
    if len(args.names) != wanted:
        raise InputError("usage: readinglist tags rename OLD NEW" if wanted == 2
                         else "usage: readinglist tags delete NAME")
    if args.action == "rename":
        done = tag_admin.rename_tag(ctx.library, *args.names)
        result = {"old": done.old, "new": done.new, "papers": len(done.keys),
                  "in_trash": done.in_trash, "merged": done.merged,
                  "saved_searches": list(done.references.searches),
                  "rules": list(done.references.rules)}
        verb = "merged into" if done.merged else "renamed to"
        line = (f"tag {done.old!r} {verb} {done.new!r} on "
                f"{tag_admin.papers_phrase(len(done.keys), done.in_trash)}")
        if done.old == done.new:
            line = f"tag {done.old!r} already has that name (tags are kept in lower case)"
        if done.references.describe():
            line += f"; also in {done.references.describe()}"
    else:
        tag = tag_admin.existing_tag(ctx.library, args.names[0])
        refs = tag_admin.references(ctx.library, tag)
        live = len(tag_admin.tagged_keys(ctx.library, tag))
        keys = tag_admin.delete_tag(ctx.library, tag)
        result = {"deleted": tag, "papers": len(keys), "in_trash": len(keys) - live,
                  "saved_searches": list(refs.searches), "rules": list(refs.rules),
                  "adding_rules": list(refs.adding_rules)}
        line = (f"tag {tag!r} removed from "
                f"{tag_admin.papers_phrase(len(keys), len(keys) - live)}")
        if refs.describe():
            line += f"; still named by {refs.describe()}"
        if refs.adding_rules:
            line += (f" — {', '.join(refs.adding_rules)} will add it again to new papers "
                     "(`readinglist rule remove NAME` stops that)")
    if args.json:
        ctx.print_json(result)
    else:
        ctx.print(line)
    return 0


def cmd_searches(ctx: Context, args: argparse.Namespace) -> int:
    if args.action == "save":
        return _searches_save(ctx, args)
    if args.action == "delete":
        return _searches_delete(ctx, args)
    if args.names:
        raise InputError("searches list takes no names")
    found = [(s, *_search_count(ctx.library, s.query)) for s in ctx.library.saved_searches()]
    if args.json:
        ctx.print_json([{"name": s.name, "query": s.query, "count": n}
                        | ({"error": error} if error else {}) for s, n, error in found])
        return 0
    if not found:
        ctx.print("no saved searches (save one with `readinglist searches save NAME QUERY`)")
    for search, count, error in found:
        figure = "?" if count is None else str(count)
        ctx.print(f"{figure:>6}  {search.name}: {search.query}"
                  + (f"  (cannot run: {error})" if error else ""))
    return 0


def _search_count(library: Any, query: str) -> tuple[int | None, str]:
    """How many papers a saved query finds, or None and why it cannot run (a search saved
    on another machine, say, by a newer readinglist)."""
    try:
        return library.count(library.make_filter("all", query=query)), ""
    except InputError as error:
        return None, str(error)


def _searches_save(ctx: Context, args: argparse.Namespace) -> int:
    if len(args.names) != 2:
        raise InputError("usage: readinglist searches save NAME QUERY (quote a QUERY of "
                         "several words; put -- before one that starts with -)")
    name, query = " ".join(args.names[0].split()), args.names[1].strip()
    replaced = ctx.library.saved_search_name(name)
    ctx.library.save_search(name, query)
    if args.json:
        ctx.print_json({"saved": name, "query": query, "replaced": replaced})
    else:
        ctx.print(f"saved search {name!r}: {query}"
                  + (f" (replaces {replaced!r})" if replaced is not None else ""))
    return 0


def _searches_delete(ctx: Context, args: argparse.Namespace) -> int:
    if len(args.names) != 1:
        raise InputError("usage: readinglist searches delete NAME")
    name = ctx.library.saved_search_name(args.names[0])
    if name is None:
        raise InputError(f"no saved search named {args.names[0]!r} (see `readinglist "
                         "searches`)")
    ctx.library.delete_search(name)
    if args.json:
        ctx.print_json({"deleted": name})
    else:
        ctx.print(f"deleted saved search {name!r}")
    return 0
