"""Safe XML parsing (defusedxml): entity declarations and external references are refused.

A billion-laughs body fails at its first entity declaration, before any expansion, so it costs
neither memory nor time.

A feed that is not well-formed gets one more try after undoing what commonly breaks real feeds:
bytes in another encoding than declared (Latin-1 in a "UTF-8" feed, a charset given only in the
HTTP header), whitespace before the XML declaration, and HTML entities such as ``&nbsp;``.
"""

from __future__ import annotations

import codecs
import re
from html.entities import name2codepoint
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from readinglist.core.errors import SourceError

ATOM = "http://www.w3.org/2005/Atom"
ARXIV = "http://arxiv.org/schemas/atom"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
DC = "http://purl.org/dc/elements/1.1/"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"

_DECLARED = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
_NAMED_REF = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_XML_NAMED = frozenset({"amp", "lt", "gt", "quot", "apos"})


def _cp1252(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: a byte that is not UTF-8 read as Windows-1252 (Latin-1 and more)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start:error.end]
    return bytes(bad).decode("cp1252", "replace"), error.end


codecs.register_error("readinglist.cp1252", _cp1252)


def _decode(body: bytes, charset: str | None) -> str:
    """The text of ``body``: in the declared encoding, else UTF-8, else the HTTP ``charset``,
    whichever reads it without error; failing all, UTF-8 with stray bytes read as Windows-1252."""
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return body.decode("utf-16", "replace")
    if body.startswith(codecs.BOM_UTF8):
        body = body[len(codecs.BOM_UTF8):]
    declared = _DECLARED.match(body)
    candidates = [declared.group(1).decode("ascii")] if declared else []
    candidates += ["utf-8"] + ([charset] if charset else [])
    for encoding in candidates:
        try:
            return body.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("utf-8", "readinglist.cp1252")


def _numeric_ref(match: re.Match[str]) -> str:
    name = match.group(1)
    if name in _XML_NAMED or name not in name2codepoint:
        return match.group(0)
    return f"&#{name2codepoint[name]};"


def repair(body: bytes, charset: str | None = None) -> str:
    """The text of a feed that failed to parse, with the usual breakage undone: decoded (see
    ``_decode``), leading whitespace dropped and HTML entities turned into character references."""
    return _NAMED_REF.sub(_numeric_ref, _decode(body, charset).lstrip())


def _fromstring(data: bytes | str, what: str) -> Element:
    """Parse; a ``ParseError`` passes through, any other failure becomes a ``SourceError``."""
    try:
        return fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise SourceError(f"{what} sent unsafe XML ({type(error).__name__}: entity declarations "
                          "and external references are refused)") from None
    except (ValueError, RecursionError) as error:
        raise SourceError(f"{what} sent unreadable XML: {error}") from None


def parse_xml(body: bytes, what: str, charset: str | None = None) -> Element:
    """Parse ``body`` into an element tree; every failure becomes a ``SourceError`` naming ``what``.

    ``charset`` is the one the HTTP ``Content-Type`` names, used if the body is not well-formed
    as it declares itself (see ``repair``).

    Raises:
        SourceError: malformed XML, or a document declaring entities or external references.
    """
    if not body.strip():
        raise SourceError(f"{what} sent an empty response where a feed was expected")
    try:
        return _fromstring(body, what)
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
    try:
        return _fromstring(repair(body, charset), what)
    except ParseError:
        raise SourceError(f"{what} sent malformed XML (line {line}, column {column}); the feed "
                          "may be truncated or not XML at all") from None


def local(tag: object) -> str:
    """The local name of an element tag (``{ns}entry`` -> ``entry``); '' for comments."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1] if tag.startswith("{") else tag


def text_of(element: Element | None) -> str:
    """All text inside ``element`` (children included), or ''."""
    if element is None:
        return ""
    return "".join(element.itertext())
