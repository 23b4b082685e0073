"""Safe XML parsing (defusedxml): entity declarations and external references are refused.

A billion-laughs body fails at its first entity declaration, before any expansion, so it costs
neither memory nor time.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from readinglist.core.errors import SourceError

ATOM = "http://www.w3.org/2005/Atom"
ARXIV = "http://arxiv.org/schemas/atom"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
DC = "http://purl.org/dc/elements/1.1/"


def parse_xml(body: bytes, what: str) -> Element:
    """Parse ``body`` into an element tree; every failure becomes a ``SourceError`` naming ``what``.

    Raises:
        SourceError: malformed XML, or a document declaring entities or external references.
    """
    if not body.strip():
        raise SourceError(f"{what} sent an empty response where a feed was expected")
    try:
        return fromstring(body, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise SourceError(f"{what} sent unsafe XML ({type(error).__name__}: entity declarations "
                          "and external references are refused)") from None
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        raise SourceError(f"{what} sent malformed XML (line {line}, column {column}); the feed "
                          "may be truncated or not XML at all") from None
    except (ValueError, RecursionError) as error:
        raise SourceError(f"{what} sent unreadable XML: {error}") from None


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
