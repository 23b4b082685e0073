"""TeX accent commands in names and references, turned into the characters they stand for.

``Barth\\'elemy`` -> ``Barthélemy``, ``Erd\\H{o}s`` -> ``Erdős``, ``\\ss`` -> ``ß``.
Only accents and special letters are decoded; maths and other commands are left as they are.
"""

from __future__ import annotations

import re
import unicodedata

# accent command -> combining character
_ACCENTS = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328",
    "r": "\u030a", "b": "\u0331", "d": "\u0323",
}
_LETTERS = {
    "ss": "ß", "o": "ø", "O": "Ø", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ", "oe": "œ",
    "OE": "Œ", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ",
}
_DOTLESS = {"\\i": "i", "\\j": "j", "ı": "i", "ȷ": "j"}

# \'e  \' e  \'{e}  \'{\i}  \"\i  -- symbol accents may touch their letter
_SYMBOL_ACCENT = re.compile(
    r"\\(['`^\"~=.])\s*(?:\{\s*(\\[ij](?![A-Za-z])|[A-Za-z])\s*\}|(\\[ij](?![A-Za-z])|[A-Za-z]))")
# \v{s}  \v s  \c{c}  -- letter accents need a brace or a space before their letter
_LETTER_ACCENT = re.compile(
    r"\\([uvHckrbd])(?:\s*\{\s*(\\[ij](?![A-Za-z])|[A-Za-z])\s*\}|\s+(\\[ij](?![A-Za-z])|[A-Za-z]))")
_SPECIAL = re.compile(r"\\(ss|aa|AA|ae|AE|oe|OE|[oOlLij])(?![A-Za-z])(?:\{\}| )?")
_BRACED_CHAR = re.compile(r"\{([^{}\\$])\}")
_BRACED_DECODED = re.compile(r"\{([^\x00-\x7f])\}")
_ESCAPED = re.compile(r"\\([&%$#_])")


def _accent(match: re.Match[str]) -> str:
    base = match.group(2) or match.group(3)
    base = _DOTLESS.get(base, base)
    return unicodedata.normalize("NFC", base + _ACCENTS[match.group(1)])


def decode_accents(text: str) -> str:
    """Replace TeX accent commands and special letters by Unicode characters (NFC)."""
    if "\\" not in text:
        return text
    text = _SYMBOL_ACCENT.sub(_accent, text)
    text = _LETTER_ACCENT.sub(_accent, text)
    text = _SPECIAL.sub(lambda m: _LETTERS[m.group(1)], text)
    return _BRACED_DECODED.sub(r"\1", text)


def decode_name(text: str) -> str:
    """An author name or journal reference: accents decoded, ``\\&`` and friends unescaped."""
    if "\\" not in text and "{" not in text:
        return text
    text = _ESCAPED.sub(r"\1", decode_accents(text))
    return _BRACED_CHAR.sub(r"\1", text)
