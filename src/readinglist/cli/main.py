"""Argument parsing, error handling and exit codes for the ``readinglist`` command."""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from collections.abc import Sequence

import importlib
from types import ModuleType

from readinglist import __version__
from readinglist.cli.context import Context
from readinglist.core.errors import InputError, ReadinglistError

COMMAND_MODULES = ("cmd_library", "cmd_fetch", "cmd_pdf", "cmd_add", "cmd_sync", "cmd_config",
                   "cmd_digest", "cmd_mail")
# Which module registers each command, so that a command imports only what it needs
# (``list`` must not pay for httpx or PyMuPDF). Unknown names fall back to all modules.
COMMAND_OWNERS = {
    "list": "cmd_library", "show": "cmd_library", "mark": "cmd_library", "tag": "cmd_library",
    "note": "cmd_library", "import": "cmd_library", "tags": "cmd_library",
    "bibtex": "cmd_library", "cite": "cmd_library", "exports": "cmd_library",
    "rules": "cmd_library", "rule": "cmd_library", "searches": "cmd_library",
    "fetch": "cmd_fetch", "subscribe": "cmd_fetch", "unsubscribe": "cmd_fetch",
    "subscriptions": "cmd_fetch",
    "add": "cmd_add",
    "pdf": "cmd_pdf", "open": "cmd_pdf", "annotations": "cmd_pdf", "export": "cmd_pdf",
    "vault": "cmd_pdf", "fulltext": "cmd_pdf",
    "sync": "cmd_sync", "config": "cmd_config", "digest": "cmd_digest",
    "mail": "cmd_mail",
}


def _modules_for(argv: Sequence[str]) -> list[ModuleType]:
    command = next((a for a in argv if not a.startswith("-")), None)
    names = [COMMAND_OWNERS[command]] if command in COMMAND_OWNERS else list(COMMAND_MODULES)
    return [importlib.import_module(f"readinglist.cli.{name}") for name in names]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"readinglist: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    parser = _Parser(prog="readinglist",
                     description="A reading-list manager for research papers. "
                                 "Without a command, starts the desktop app.")
    parser.add_argument("--version", action="version", version=f"readinglist {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in _modules_for(argv):
        module.register(sub)
    return parser


# options whose value may start with "-" (an excluded word, a Markdown list item)
_TEXT_OPTIONS = frozenset({"--search", "--set"})


def _attach_text_values(argv: Sequence[str]) -> list[str]:
    """``--search -word`` as ``--search=-word``: argparse would take ``-word`` for an option."""
    out: list[str] = []
    tokens = iter(argv)
    for token in tokens:
        if token in _TEXT_OPTIONS:
            value = next(tokens, None)
            if value is None:
                out.append(token)
            elif value.startswith("-") and value != "--":
                out.append(f"{token}={value}")
            else:
                out += [token, value]
        else:
            out.append(token)
    return out


def _debug_first(argv: Sequence[str]) -> list[str]:
    """``--debug`` is accepted after the command too (``show ID --debug``): moved to the front,
    where argparse knows it. Tokens after ``--`` are left alone."""
    end = argv.index("--") if "--" in argv else len(argv)
    if "--debug" not in argv[:end]:
        return list(argv)
    rest = [token for token in argv[:end] if token != "--debug"]
    return ["--debug", *rest, *argv[end:]]


def run(argv: Sequence[str]) -> int:
    argv = _debug_first(_attach_text_values(argv))
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    ctx: Context | None = None
    try:
        _check_text(args)
        ctx = Context()
        return int(args.handler(ctx, args) or 0)
    except ReadinglistError as error:
        if args.debug:
            traceback.print_exc()
        print(f"readinglist: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("readinglist: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:  # noqa: BLE001 - never show a traceback unless asked
        if args.debug:
            traceback.print_exc()
        print(f"readinglist: unexpected error: {type(error).__name__}: {error} "
              "(run with --debug for details)", file=sys.stderr)
        return 1
    finally:
        if ctx is not None:
            ctx.close()


def _check_text(args: argparse.Namespace) -> None:
    """Refuse command-line text that is not UTF-8 (the library stores only UTF-8; file names,
    parsed as ``Path``, may hold any bytes).

    Raises:
        InputError: showing the text (undecodable bytes as ``?``).
    """
    for value in vars(args).values():
        for text in value if isinstance(value, list) else (value,):
            if isinstance(text, str) and not text.isascii():
                try:
                    text.encode("utf-8")
                except UnicodeEncodeError:
                    shown = text.encode("utf-8", "replace").decode("utf-8")
                    raise InputError(f"{shown!r} is not UTF-8 text") from None


def run_gui(argv: Sequence[str]) -> int:
    """Start the desktop app; errors before the window exists are printed, not raised."""
    debug = "--debug" in argv
    try:
        from readinglist.ui.application import run_app
    except ImportError as error:
        print(f"readinglist: cannot start the desktop app: {error}", file=sys.stderr)
        return 1
    try:
        return run_app(debug=debug)
    except ReadinglistError as error:
        print(f"readinglist: error: {error}", file=sys.stderr)
        return 1
