"""Line-based three-way merge of note text (Joplin's rules: overlapping or adjacent edits conflict)."""

from __future__ import annotations

from difflib import SequenceMatcher

MAX_LINES = 5000


def _changes(base: list[str], other: list[str]) -> list[tuple[int, int, list[str]]]:
    """Hunks (base_start, base_end, replacement) turning ``base`` into ``other``.

    Lines repeated all over a long note (blank lines) do not start a match ("autojunk"): a
    diff stays valid, at worst coarser (a conflict, never lost text), and does not take
    quadratic time on such a note.
    """
    matcher = SequenceMatcher(a=base, b=other, autojunk=True)
    return [(i1, i2, other[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def merge3(base: str, ours: str, theirs: str) -> str | None:
    """Merge two edits of ``base``; None when they touch the same or adjacent lines."""
    if ours == theirs or theirs == base:
        return ours
    if ours == base:
        return theirs
    base_lines = base.splitlines(keepends=True)
    a_lines = ours.splitlines(keepends=True)
    b_lines = theirs.splitlines(keepends=True)
    if max(len(base_lines), len(a_lines), len(b_lines)) > MAX_LINES:
        return None
    ours_hunks = _changes(base_lines, a_lines)
    hunks = [(s, e, r, 0) for s, e, r in ours_hunks]
    # the same change made on both sides is one change (taken in twice, it stays once)
    hunks += [(s, e, r, 1) for s, e, r in _changes(base_lines, b_lines)
              if (s, e, r) not in ours_hunks]
    hunks.sort(key=lambda h: (h[0], h[1], h[3]))
    for first, second in zip(hunks, hunks[1:]):
        if first[3] != second[3] and second[0] <= first[1]:
            return None  # overlapping or adjacent (touching) edits
    out: list[str] = []
    cursor = 0
    for start, end, replacement, _ in hunks:
        out.extend(base_lines[cursor:start])
        out.extend(replacement)
        cursor = end
    out.extend(base_lines[cursor:])
    return "".join(out)


def join_versions(versions: list[str]) -> str:
    """Concurrent versions of a note one after the other (a starting point for resolving)."""
    return "\n".join(v.rstrip("\n") + "\n" for v in versions)
