"""Reading BibTeX: a small recursive-descent reader of entries (braces, quotes, ``#``
concatenation, ``@string`` macros, ``@comment``/``@preamble``), values as plain text."""

from __future__ import annotations

import re
from collections.abc import Iterator

from readinglist.core.errors import InputError
from readinglist.sources.tex import decode_accents

_BRACES = re.compile(r"[{}]")
_SPACE = re.compile(r"\s*")
_WORD = re.compile(r"[\w\-:.+/']*")  # entry types, keys, field names, macros, numbers
_PARENS = re.compile(r"[()]")
_MATH = re.compile(r"((?<!\\)\$[^$]*(?<!\\)\$)")
_ESCAPED = re.compile(r"\\([&%#_])")
# formatting whose argument is the text: \emph{word} -> word
_FORMATTING = re.compile(r"\\(?:emph|text(?:it|bf|sc|tt|rm|sf|sl|up|normal)|mbox|url|underline)"
                         r"\s*(?=\{)")
MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}


class _BibReader:
    """A small recursive-descent reader of BibTeX entries (braces, quotes, ``#``, @string)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.macros: dict[str, str] = {m: m.capitalize() for m in MONTHS}

    def error(self, message: str, at: int | None = None) -> InputError:
        line = self.text.count("\n", 0, self.pos if at is None else at) + 1
        return InputError(f"line {line}: {message}; nothing was imported")

    def skip_space(self) -> None:
        self.pos = _SPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]

    def entries(self) -> Iterator[dict[str, str]]:
        while True:
            at = self.text.find("@", self.pos)
            if at < 0:
                return
            self.pos = at + 1
            kind = self.word().lower()
            self.skip_space()
            if self.pos >= len(self.text) or self.text[self.pos] not in "{(":
                if kind in ("comment", ""):
                    continue
                raise self.error(f"@{kind} is not followed by {{", at)
            close = "}" if self.text[self.pos] == "{" else ")"
            if kind in ("comment", "preamble"):
                self.balanced(at)
                continue
            self.pos += 1
            if kind == "string":
                name, value = self.field(at)
                self.macros[name] = value
                self.expect(close, at)
                continue
            yield self.entry(kind, close, at)

    def entry(self, kind: str, close: str, at: int) -> dict[str, str]:
        self.skip_space()
        key_end = self.text.find(",", self.pos)
        if key_end < 0:
            raise self.error(f"the @{kind} entry has no fields", at)
        fields = {"__type": kind, "__key": self.text[self.pos:key_end].strip()}
        self.pos = key_end + 1
        while True:
            self.skip_space()
            if self.pos >= len(self.text):
                raise self.error(f"the @{kind} entry is not closed", at)
            if self.text[self.pos] == close:
                self.pos += 1
                return fields
            if self.text[self.pos] == ",":
                self.pos += 1
                continue
            name, value = self.field(at)
            fields[name] = value

    def field(self, at: int) -> tuple[str, str]:
        self.skip_space()
        name = self.word().lower()
        self.skip_space()
        if not name or self.pos >= len(self.text) or self.text[self.pos] != "=":
            raise self.error("expected a field such as title = {…}")
        self.pos += 1
        parts = [self.value(at)]
        while True:
            self.skip_space()
            if self.pos < len(self.text) and self.text[self.pos] == "#":
                self.pos += 1
                parts.append(self.value(at))
            else:
                return name, "".join(parts)

    def value(self, at: int) -> str:
        self.skip_space()
        if self.pos >= len(self.text):
            raise self.error("a field has no value", at)
        char = self.text[self.pos]
        if char == "{":
            start = self.pos
            self.balanced(at)
            return self.text[start + 1:self.pos - 1]
        if char == '"':
            start, depth = self.pos + 1, 0
            self.pos += 1
            while self.pos < len(self.text):
                c = self.text[self.pos]
                if c == "{":
                    depth += 1
                elif c == "}":
                    depth -= 1
                elif c == '"' and depth == 0 and self.text[self.pos - 1] != "\\":
                    self.pos += 1
                    return self.text[start:self.pos - 1]
                self.pos += 1
            raise self.error("a quoted value is not closed", at)
        word = self.word()
        if not word:
            raise self.error(f"unexpected {char!r} in a field value")
        return self.macros.get(word.lower(), word)

    def word(self) -> str:
        end = _WORD.match(self.text, self.pos).end()  # type: ignore[union-attr]
        word, self.pos = self.text[self.pos:end], end
        return word

    def balanced(self, at: int) -> None:
        """Move past a braced or parenthesised group starting at ``pos`` (jumping from
        bracket to bracket: an abstract is not walked character by character)."""
        opening = self.text[self.pos]
        depth = 0
        for match in (_BRACES if opening == "{" else _PARENS).finditer(self.text, self.pos):
            if match.group() == opening:
                depth += 1
            else:
                depth -= 1
                if depth == 0:
                    self.pos = match.end()
                    return
        raise self.error("a brace is not closed", at)

    def expect(self, char: str, at: int) -> None:
        self.skip_space()
        if self.pos >= len(self.text) or self.text[self.pos] != char:
            raise self.error(f"expected {char!r}", at)
        self.pos += 1


def bibtex_entries(text: str) -> list[dict[str, str]]:
    """Every entry's fields (raw values; ``__type`` and ``__key`` too), with the fields of the
    entry a ``crossref`` names filled in where missing (its ``title`` as the ``booktitle``).

    Raises:
        InputError: a syntax error, with its line number.
    """
    entries = list(_BibReader(text).entries())
    by_key = {entry["__key"].lower(): entry for entry in entries}
    for entry in entries:
        parent = by_key.get(entry.get("crossref", "").strip().lower())
        if parent is not None and parent is not entry:
            inherited = {name: value for name, value in parent.items()
                         if not name.startswith("__") and name != "crossref"}
            if "title" in inherited:
                inherited.setdefault("booktitle", inherited.pop("title"))
            entry.update({k: v for k, v in inherited.items() if k not in entry})
    return entries


def plain(value: str) -> str:
    """A BibTeX value as plain text: accents decoded, ``\\& \\% \\# \\_`` unescaped, grouping
    braces and formatting (``\\emph{…}``) dropped; math (``$…$``) is kept as written."""
    parts = _MATH.split(decode_accents(value))
    text = "".join(part if _MATH.fullmatch(part) else _plain_text(part) for part in parts)
    return " ".join(text.split())


def _plain_text(text: str) -> str:
    text = _ESCAPED.sub(r"\1", _FORMATTING.sub("", text)).replace("~", " ")
    return text.replace("{", "").replace("}", "")


def _top_level_commas(value: str) -> list[str]:
    """``value`` split at the commas outside braces."""
    parts, depth, start = [], 0, 0
    for match in re.finditer(r"[{},]", value):
        char = match.group()
        if char in "{}":
            depth += 1 if char == "{" else -1
        elif depth == 0:
            parts.append(value[start:match.start()])
            start = match.end()
    return [*parts, value[start:]]


def authors(value: str) -> list[str]:
    """``Last, First and {Org Name} and Last, Jr., First`` -> ``["First Last", "Org Name",
    "First Last Jr."]``."""
    names = []
    depth, start, parts = 0, 0, []
    for match in re.finditer(r"[{}]|\s+and\s+", value, flags=re.IGNORECASE):
        token = match.group(0)
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0:
            parts.append(value[start:match.start()])
            start = match.end()
    parts.append(value[start:])
    for part in parts:
        pieces = [plain(piece) for piece in _top_level_commas(part)]
        if len(pieces) > 2:  # von Last, Jr, First
            pieces = [", ".join(pieces[2:]), pieces[0], pieces[1]]
        elif len(pieces) == 2:  # von Last, First
            pieces.reverse()
        name = " ".join(p for p in pieces if p)
        if name and name.lower() != "others":
            names.append(name)
    return names
