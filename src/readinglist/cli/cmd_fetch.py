"""Commands for sources: fetch, subscribe, unsubscribe, subscriptions."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from readinglist.cli.context import Context, iso_date
from readinglist.core.errors import InputError
from readinglist.core.models import Subscription
from readinglist.sources import ARXIV_QUERY, ARXIV_RSS, HF_DAILY, RSS

if TYPE_CHECKING:  # httpx and the sources load only when a command needs them
    from readinglist.services.fetch import FetchService, SourceResult


def register(sub: argparse._SubParsersAction) -> None:
    """Add this area's subcommands."""
    p = sub.add_parser("fetch", help="fetch new papers (every subscription without a source)",
                       description="Fetch new papers. Without a source, fetches every "
                                   "subscription; Hugging Face backfills missed days.")
    sources = p.add_subparsers(dest="source", metavar="SOURCE")
    s = sources.add_parser(HF_DAILY, help="Hugging Face Daily Papers (today by default)")
    s.add_argument("--date", type=iso_date, metavar="D", help="one day, YYYY-MM-DD")
    s.add_argument("--from", dest="start", type=iso_date, metavar="D", help="first day of a range")
    s.add_argument("--to", dest="end", type=iso_date, metavar="D",
                   help="last day of a range (default today)")
    s = sources.add_parser(ARXIV_RSS, help="today's arXiv listing of categories")
    s.add_argument("categories", nargs="+", metavar="CATEGORY", help="e.g. cs.CL q-bio.NC math")
    s = sources.add_parser(ARXIV_QUERY, help="search the arXiv API (or name arXiv ids)")
    s.add_argument("query", metavar="QUERY",
                   help='an arXiv API query such as \'ti:"diffusion" AND cat:cs.LG\', or ids')
    s.add_argument("--max", type=int, default=100, metavar="N",
                   help="at most N papers (default 100)")
    s = sources.add_parser(RSS, help="an RSS or Atom feed")
    s.add_argument("url", metavar="URL")
    p.set_defaults(handler=cmd_fetch)

    for name, verb in (("subscribe", "follow"), ("unsubscribe", "stop following")):
        p = sub.add_parser(name, help=f"{verb} a feed: hf-daily | arxiv-rss CATEGORY... | rss URL")
        p.add_argument("kind", choices=(HF_DAILY, ARXIV_RSS, RSS), metavar="KIND",
                       help="hf-daily, arxiv-rss or rss")
        p.add_argument("targets", nargs="*", metavar="TARGET",
                       help="categories for arxiv-rss, the address for rss")
        p.set_defaults(handler=cmd_subscribe if name == "subscribe" else cmd_unsubscribe)

    p = sub.add_parser("subscriptions", help="list the feeds you follow")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_subscriptions)



def _today() -> date:
    return datetime.now(UTC).date()


def _progress(ctx: Context):  # type: ignore[no-untyped-def]
    """Progress lines on a terminal only; scripts get the summary alone."""
    if not getattr(ctx.err, "isatty", lambda: False)():
        return None
    return lambda message: print(f"  {message}", file=ctx.err, flush=True)


def cmd_fetch(ctx: Context, args: argparse.Namespace) -> int:
    from readinglist.services.fetch import FetchService

    service = FetchService(ctx.library, ctx.settings, ctx.paths)
    try:
        results = _fetch(service, ctx, args)
    finally:
        service.close()
    return _report(ctx, results)


def _fetch(service: FetchService, ctx: Context, args: argparse.Namespace) -> list[SourceResult]:
    progress = _progress(ctx)
    if args.source is None:
        if not ctx.library.subscriptions():
            ctx.warn("no subscriptions yet: add one with `readinglist subscribe hf-daily`, "
                     "`subscribe arxiv-rss CATEGORY...` or `subscribe rss URL`")
            return []
        return service.fetch_subscriptions(progress)
    if args.source == HF_DAILY:
        if args.date and (args.start or args.end):
            raise InputError("give either --date D or --from D [--to D], not both")
        if args.end and not args.start:
            raise InputError("--to needs --from")
        if args.start:
            return service.fetch_hf_daily(args.start, args.end or _today(), progress)
        return service.fetch_hf_daily(args.date or _today(), progress=progress)
    if args.source == ARXIV_RSS:
        return service.fetch_arxiv_rss(args.categories, progress)
    if args.source == ARXIV_QUERY:
        return service.fetch_arxiv_query(args.query, args.max, progress)
    return service.fetch_rss(args.url, progress)


def _report(ctx: Context, results: list[SourceResult]) -> int:
    failed = 0
    for result in results:
        if result.ok:
            ctx.print(result.summary())
        else:
            failed += 1
            ctx.warn(f"{result.label} failed: {result.error}")
    if failed and len(results) > 1:
        ctx.warn(f"{failed} of {len(results)} sources failed")
    ctx.out.flush()
    return 1 if failed else 0


def _subscriptions(kind: str, targets: list[str]) -> list[Subscription]:
    from readinglist.sources.arxiv_rss import validate_categories
    from readinglist.sources.rss import validate_url

    if kind == HF_DAILY:
        if targets:
            raise InputError("hf-daily takes no further arguments")
        return [Subscription(HF_DAILY)]
    if kind == ARXIV_RSS:
        return [Subscription(ARXIV_RSS, c) for c in validate_categories(targets)]
    if len(targets) != 1:
        raise InputError("rss takes exactly one feed address")
    return [Subscription(RSS, validate_url(targets[0]))]


def cmd_subscribe(ctx: Context, args: argparse.Namespace) -> int:
    wanted = _subscriptions(args.kind, args.targets)
    current = {s.key: s for s in ctx.library.subscriptions()}
    for subscription in wanted:
        existing = current.get(subscription.key)
        if existing is not None and existing.enabled:
            ctx.print(f"already subscribed to {_describe(subscription)}")
            continue
        ctx.library.subscribe_feed(subscription)
        ctx.print(f"subscribed to {_describe(subscription)}")
    return 0


def cmd_unsubscribe(ctx: Context, args: argparse.Namespace) -> int:
    wanted = _subscriptions(args.kind, args.targets)
    current = {s.key for s in ctx.library.subscriptions()}
    missing = [s for s in wanted if s.key not in current]
    if missing:
        raise InputError(f"not subscribed to {_describe(missing[0])}; nothing was changed "
                         "(see `readinglist subscriptions`)")
    for subscription in wanted:
        ctx.library.unsubscribe_feed(subscription)
        ctx.print(f"unsubscribed from {_describe(subscription)}")
    return 0


def cmd_subscriptions(ctx: Context, args: argparse.Namespace) -> int:
    found = sorted(ctx.library.subscriptions(), key=lambda s: (s.kind, s.target))
    if args.json:
        ctx.print_json([{"kind": s.kind, "target": s.target, "enabled": s.enabled}
                        for s in found])
        return 0
    if not found and getattr(ctx.out, "isatty", lambda: False)():
        ctx.warn("no subscriptions yet")
    for subscription in found:
        suffix = "" if subscription.enabled else "  (disabled)"
        ctx.print(f"{_describe(subscription)}{suffix}")
    return 0


def _describe(subscription: Subscription) -> str:
    return f"{subscription.kind} {subscription.target}".strip()
