"""Composition root: ``readinglist`` with no command starts the desktop app, else the CLI."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    gui_flags = {"--debug"}
    if all(a in gui_flags for a in args) or (args and args[0] == "gui"):
        from readinglist.cli.main import run_gui

        return run_gui(args)
    from readinglist.cli.main import run

    return run(args)
