"""``readinglist digest``: the top new papers as Markdown or HTML (for e-mail, notes, cron)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from readinglist.cli.context import Context, iso_date
from readinglist.core.errors import InputError
from readinglist.core.text import counted

if TYPE_CHECKING:
    from readinglist.services.digest import Digest


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``digest``."""
    p = sub.add_parser(
        "digest", help="the top new papers as Markdown or HTML",
        description="Papers first seen since a moment (the last day by default), best first "
                    "(Hugging Face upvotes, then newest), as Markdown or a self-contained HTML "
                    "page. Feed text is escaped: nothing in it can turn into links or images.")
    when = p.add_mutually_exclusive_group()
    when.add_argument("--since", type=iso_date, metavar="D",
                      help="since this day (YYYY-MM-DD, UTC)")
    when.add_argument("--days", type=int, default=1, metavar="N",
                      help="since N days ago (default 1)")
    p.add_argument("--top", type=int, default=20, metavar="N", help="at most N papers (20)")
    p.add_argument("--view", default="inbox",
                   choices=("inbox", "unread", "starred", "archived", "all"))
    p.add_argument("--tag", metavar="TAG")
    p.add_argument("--search", metavar="QUERY")
    p.add_argument("--format", choices=("markdown", "html"),
                   help="default: html for an --output ending in .html, else markdown")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--output", type=Path, metavar="FILE", help="write here instead of stdout")
    where.add_argument("--mail", action="store_true",
                       help="send it (HTML with a text part) as set up with 'readinglist mail "
                            "setup'; nothing is sent when there is nothing new")
    p.set_defaults(handler=cmd_digest)


def cmd_digest(ctx: Context, args: argparse.Namespace) -> int:
    from readinglist.services.digest import build_digest, render

    if args.since is not None:
        since = datetime.combine(args.since, time(), tzinfo=UTC)
    elif args.days < 1:
        raise InputError("--days must be at least 1")
    else:
        since = datetime.now(UTC) - timedelta(days=min(args.days, 365_000))  # 1000 years: all
    fmt = args.format or ("html" if args.output and args.output.suffix.lower() in
                          (".html", ".htm") else "markdown")
    digest = build_digest(ctx.library, since, args.top, args.view, args.tag, args.search)
    if args.mail:
        return _mail(ctx, digest)
    text = render(digest, fmt)
    if args.output is None:
        ctx.out.write(text)
        return 0
    from readinglist.services.export import write_atomically

    write_atomically(args.output, text)
    ctx.print(f"wrote {len(digest.papers)} of {digest.total} new papers to {args.output}")
    return 0


def _mail(ctx: Context, digest: Digest) -> int:
    from readinglist.services.digest import render, subject
    from readinglist.services.mail import build_message, configured, send

    settings = configured(ctx.settings.mail)
    if not digest.papers:  # a morning cron job should not send empty mail
        ctx.print("no new papers: nothing mailed")
        return 0
    send(settings, build_message(settings, subject(digest), render(digest, "markdown"),
                                 render(digest, "html")))
    count = len(digest.papers)
    ctx.print(f"mailed {counted(count, 'paper')} to {settings.to}")
    return 0
