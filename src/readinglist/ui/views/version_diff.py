"""A dialog showing what a new arXiv version changed: title, authors, comment and a word diff
of the abstract (text from feeds is escaped; nothing is loaded from the network)."""

from __future__ import annotations

from html import escape
from typing import Any

from readinglist.core.versions import ADDED, REMOVED, EarlierVersion, word_diff
from readinglist.ui.qt import QDialog, QDialogButtonBox, QVBoxLayout, QWidget
from readinglist.ui.views.detail_view import SafeMarkdownBrowser


def _colours(dark: bool) -> tuple[str, str]:
    """Backgrounds for added and removed words that read on the theme's text colour."""
    return ("#1f5130", "#6a2a2d") if dark else ("#c9efd2", "#f7cfd2")


def diff_html(runs: list[tuple[str, str]], dark: bool, glue: str = " ") -> str:
    """Word-diff runs as HTML: added words on green, removed ones struck through on red."""
    added, removed = _colours(dark)
    parts = []
    for kind, text in runs:
        if kind == ADDED:
            parts.append(f'<span style="background-color:{added}">{escape(text)}</span>')
        elif kind == REMOVED:
            parts.append(f'<span style="background-color:{removed}; '
                         f'text-decoration:line-through">{escape(text)}</span>')
        else:
            parts.append(escape(text))
    return escape(glue).join(parts)


def changes_html(earlier: EarlierVersion, paper: Any, dark: bool) -> str:
    """The whole comparison of ``paper`` (its current metadata) with ``earlier``."""
    rows = [f"<h3>v{earlier.version} → v{paper.version or earlier.replaced_by}</h3>",
            f"<p>The library learned of v{earlier.replaced_by} on "
            f"{escape(earlier.replaced_at[:10])}.</p>"]
    sections = [
        ("Title", earlier.title, paper.title),
        ("Authors", earlier.authors, ", ".join(paper.authors)),
        ("Comment", earlier.comment, paper.comment or ""),
        ("Journal reference", earlier.journal_ref, paper.journal_ref or ""),
        ("Abstract", earlier.abstract, paper.abstract),
    ]
    for name, before, after in sections:
        if before.split() == after.split():
            if name in ("Title", "Abstract"):
                rows.append(f"<p><b>{name}</b>: unchanged</p>")
            continue
        glue = ", " if name == "Authors" else " "
        runs = word_diff(before, after, glue if name == "Authors" else None)
        rows.append(f"<p><b>{name}</b><br>{diff_html(runs, dark, glue)}</p>")
    return "\n".join(rows)


class VersionDiffDialog(QDialog):
    """Read-only comparison of a paper with its previous version."""

    def __init__(self, earlier: EarlierVersion, paper: Any, dark: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"What changed in v{paper.version or earlier.replaced_by}")
        self.resize(640, 520)
        layout = QVBoxLayout(self)
        self.browser = SafeMarkdownBrowser(self)
        self.browser.setHtml(changes_html(earlier, paper, dark))
        layout.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
