"""The keyboard map: one table used for the actions, Help → Keyboard shortcuts and the docs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Binding:
    """A command, its keys (Qt key-sequence strings) and what it does."""

    command: str
    keys: tuple[str, ...]
    description: str


BINDINGS: tuple[Binding, ...] = (
    Binding("next", ("J",), "Next paper (↓ works too)"),
    Binding("previous", ("K",), "Previous paper (↑ works too)"),
    Binding("next_unread", ("N",), "Next unread paper (wraps to the top of the list)"),
    Binding("read_on", ("Space",), "Read on: a page down the details, at their end the next "
                                   "unread paper (as in NetNewsWire)"),
    Binding("read_back", ("Shift+Space",), "A page back up the details"),
    Binding("toggle_read", ("M",), "Toggle read"),
    Binding("toggle_star", ("S",), "Toggle star"),
    Binding("archive", ("E",), "Archive and advance (unarchive in the Archive)"),
    Binding("trash", ("Del",), "Move to the Trash and advance (restore in the Trash; "
                              "in the sidebar: delete the tag)"),
    Binding("tag", ("T",), "Tag the selected papers (completion; new tags are created; "
                          "-name removes)"),
    Binding("open_pdf", ("O",), "Open the PDF"),
    Binding("open_browser", ("B",), "Open the abstract page in the browser"),
    Binding("copy_bibtex", ("Y",), "Copy BibTeX of the selected papers"),
    Binding("copy_links", ("Shift+Y",), "Copy the links of the selected papers"),
    Binding("find_similar", ("L",), "Papers like this one (sharing its most distinctive words)"),
    Binding("search", ("/",), "Search"),
    Binding("clear_search", ("Esc",), "Clear the search (from the tags or the note: back to "
                                     "the list, the search kept)"),
    Binding("mark_all_read", ("Shift+M",), "Mark everything in the current view read"),
    Binding("fetch", ("R",), "Fetch now"),
    Binding("undo", ("Ctrl+Z",), "Undo the last triage action (also bulk ones)"),
    Binding("redo", ("Ctrl+Shift+Z",), "Redo"),
    Binding("back", ("Alt+Left",), "Back to the list you came from (after l, a pasted id or "
                                  "another sidebar entry)"),
    Binding("forward", ("Alt+Right",), "Forward again"),
    Binding("previous_day", ("[",), "Daily: previous day"),
    Binding("next_day", ("]",), "Daily: next day"),
    Binding("next_pane", ("F6",), "Next pane: sidebar, list, details, sync status"),
    Binding("previous_pane", ("Shift+F6",), "Previous pane"),
)
BY_COMMAND = {b.command: b for b in BINDINGS}


def shortcut_rows() -> list[tuple[str, str]]:
    """(keys, description) pairs as people read them: ``j`` rather than ``J``."""
    rows = []
    for binding in BINDINGS:
        keys = " / ".join(_readable(k) for k in binding.keys)
        if binding.command == "next":
            keys += " / ↓"
        elif binding.command == "previous":
            keys += " / ↑"
        rows.append((keys, binding.description))
    return rows


def _readable(key: str) -> str:
    return key.lower() if len(key) == 1 else key
