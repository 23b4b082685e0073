"""``readinglist config``: read and change this machine's settings."""

from __future__ import annotations

import argparse
import textwrap

from readinglist.cli.context import Context
from readinglist.services.config import DEFAULTS, RULES, format_value, setting_name


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``config [NAME [VALUE]] [--reset NAME] [--json]``."""
    listing = "\n".join(
        f"  {name:<26} {rule.allowed(getattr(DEFAULTS, name))} "
        f"(default {format_value(getattr(DEFAULTS, name))})\n"
        + textwrap.fill(rule.help, 78, initial_indent=" " * 29, subsequent_indent=" " * 29)
        for name, rule in RULES.items())
    p = sub.add_parser(
        "config", help="show or change this machine's settings",
        description="Without arguments, print every setting; with NAME, print one; with NAME "
                    "VALUE, change it. Settings are stored in config.json in the library folder "
                    "and apply to the desktop app too (at its next fetch, or when its "
                    "Preferences open).",
        epilog=f"settings:\n{listing}", formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("name", nargs="?", metavar="NAME")
    p.add_argument("value", nargs="?", metavar="VALUE")
    p.add_argument("--reset", action="store_true", help="put NAME back to its default")
    p.add_argument("--json", action="store_true", help="print the settings as a JSON object")
    p.set_defaults(handler=cmd_config)


def cmd_config(ctx: Context, args: argparse.Namespace) -> int:
    settings = ctx.settings
    if args.name is None:
        if args.reset:
            ctx.warn("error: --reset needs the NAME of a setting")
            return 2
        values = settings.values()
        if args.json:
            ctx.print_json(values)
        else:
            width = max(map(len, values))
            for name, value in values.items():
                ctx.print(f"{name:<{width}}  {format_value(value)}")
        return 0
    name = setting_name(args.name)
    if args.reset or args.value is not None:
        if args.reset and args.value is not None:
            ctx.warn("error: give either a VALUE or --reset, not both")
            return 2
        value = settings.reset(name) if args.reset else settings.set_text(name, args.value)
        settings.save(ctx.paths.config)
    else:
        value = getattr(settings, name)
    if args.json:
        ctx.print_json({name: value})
    else:
        ctx.print(f"{name} = {format_value(value)}" if args.reset or args.value is not None
                  else format_value(value))
    return 0
