"""Paper identifiers: arXiv ids (new and old style), DOIs and URLs, and the canonical key.

A paper's canonical *key* is its arXiv id without version (``2406.05821``,
``hep-th/9901001``); failing that ``doi:<lowercased DOI>``; failing that
``url:<normalised URL>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit, urlunsplit

from readinglist.core.errors import InvalidIdError

_NEW_ID = r"\d{4}\.\d{4,5}"
_OLD_ID = r"[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7}"
_ARXIV_CORE = rf"(?P<id>{_NEW_ID}|{_OLD_ID})(?:v(?P<version>\d+))?"
_ARXIV_BARE = re.compile(rf"^(?:arxiv:)?{_ARXIV_CORE}$", re.IGNORECASE)
_ARXIV_IN_URL = re.compile(
    rf"arxiv\.org/(?:abs|pdf|html|format)/{_ARXIV_CORE}(?:\.pdf)?(?:[/?#]|$)", re.IGNORECASE
)
# sites whose paper pages are named by the arXiv id: a link to one names the arXiv paper
_ARXIV_MIRROR = re.compile(
    rf"^https?://(?:www\.)?(?:huggingface\.co/papers|alphaxiv\.org/(?:abs|overview|pdf)"
    rf"|semanticscholar\.org/arxiv|ar5iv\.org/(?:abs|html))/{_ARXIV_CORE}(?:[/?#]|$)",
    re.IGNORECASE)
_ARXIV_OAI = re.compile(rf"^oai:arxiv\.org:{_ARXIV_CORE}$", re.IGNORECASE)
_ARXIV_DOI = re.compile(rf"^10\.48550/arxiv\.{_ARXIV_CORE}$", re.IGNORECASE)
_DOI = re.compile(r"(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)
# an id in running text (a reference list, a selection): "arXiv:2406.05821v2", "arXiv preprint
# arXiv:hep-th/9901001", or a new-style id standing alone; old-style ids need the "arXiv:"
_ARXIV_IN_TEXT = re.compile(
    rf"(?:arxiv:\s*(?P<tagged>{_NEW_ID}|{_OLD_ID})|(?<![\w.])(?P<bare>{_NEW_ID}))"
    r"(?:v(?P<version>\d+))?(?![\w])", re.IGNORECASE)
_DOI_PREFIXES = ("doi:", "https://doi.org/", "http://doi.org/", "https://dx.doi.org/",
                 "http://dx.doi.org/")


@dataclass(frozen=True, slots=True)
class PaperRef:
    """What a user or a feed named: a canonical key and, for arXiv, the version if given."""

    key: str
    arxiv_id: str | None = None
    version: int | None = None
    doi: str | None = None
    url: str | None = None


def _fix_old_style_case(arxiv_id: str) -> str:
    """Old-style ids in arXiv's preferred form: the lower-case archive and the number, without
    the subject class some carry (``math.CA/0611800`` is ``math/0611800``, as the API says)."""
    if "/" not in arxiv_id:
        return arxiv_id
    archive, number = arxiv_id.split("/", 1)
    return f"{archive.split('.', 1)[0].lower()}/{number}"


def _arxiv_ref(match: re.Match[str]) -> PaperRef:
    arxiv_id = _fix_old_style_case(match.group("id"))
    version = match.group("version")
    return PaperRef(key=arxiv_id, arxiv_id=arxiv_id, version=int(version) if version else None)


def match_arxiv(text: str) -> PaperRef | None:
    """Return the arXiv reference in ``text`` (bare id, ``arXiv:`` id, abs/pdf URL, OAI id, a
    Hugging Face / alphaXiv / Semantic Scholar / ar5iv page of the paper)."""
    text = text.strip()
    for pattern in (_ARXIV_BARE, _ARXIV_OAI, _ARXIV_DOI):
        found = pattern.match(text)
        if found:
            return _arxiv_ref(found)
    found = _ARXIV_IN_URL.search(text) or _ARXIV_MIRROR.match(text)
    if found:
        return _arxiv_ref(found)
    return None


def arxiv_ids_in(text: str) -> list[PaperRef]:
    """The arXiv ids mentioned in running text or links, in order of appearance, each once."""
    mentions = [(m.start(), _arxiv_ref(m)) for m in _ARXIV_IN_URL.finditer(text)]
    for match in _ARXIV_IN_TEXT.finditer(text):
        arxiv_id = _fix_old_style_case(match.group("tagged") or match.group("bare"))
        version = match.group("version")
        mentions.append((match.start(), PaperRef(arxiv_id, arxiv_id,
                                                 int(version) if version else None)))
    found: dict[str, PaperRef] = {}
    for _, ref in sorted(mentions, key=lambda item: item[0]):
        found.setdefault(ref.key, ref)
    return list(found.values())


def normalise_doi(text: str) -> str | None:
    """Return the DOI in ``text`` in lower case without a resolver prefix, or None."""
    text = unquote(text.strip())
    lowered = text.lower()
    for prefix in _DOI_PREFIXES:
        if lowered.startswith(prefix):
            text = text[len(prefix):]
            break
    found = _DOI.match(text)
    if not found:
        return None
    return found.group(1).rstrip(".,;").lower()


def normalise_url(url: str) -> str:
    """Lower-case scheme and host, drop fragments, default ports and trailing slashes."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.port and not (
        (parts.scheme == "http" and parts.port == 80) or (parts.scheme == "https" and parts.port == 443)
    ):
        host = f"{host}:{parts.port}"
    path = parts.path.rstrip("/") or ""
    return urlunsplit((parts.scheme.lower(), host, path, parts.query, ""))


def parse_ref(text: str) -> PaperRef:
    """Parse anything a user may type to name a paper.

    Accepts ``2406.05821``, ``2406.05821v2``, ``arXiv:2406.05821``, abs/pdf URLs,
    ``hep-th/9901001``, DOIs (bare, ``doi:`` or resolver URLs) and other http(s) URLs.

    Raises:
        InvalidIdError: when the text is none of these.
    """
    text = text.strip()
    ref = match_arxiv(text)
    if ref:
        return ref
    doi = normalise_doi(text)
    if doi:
        arxiv = _ARXIV_DOI.match(doi)
        if arxiv:
            return _arxiv_ref(arxiv)
        return PaperRef(key=f"doi:{doi}", doi=doi)
    if text.startswith("url:"):  # a canonical key handed back to us
        text = text[4:]
    if text.lower().startswith(("http://", "https://")):
        url = normalise_url(text)
        return PaperRef(key=f"url:{url}", url=url)
    raise InvalidIdError(
        f"not a paper id: {text!r} (expected an arXiv id such as 2406.05821, a DOI or a URL)"
    )


def key_for(arxiv_id: str | None, doi: str | None, url: str | None) -> str:
    """The canonical key for a record carrying any of these identifiers."""
    if arxiv_id:
        return arxiv_id
    if doi:
        return f"doi:{doi.lower()}"
    if url:
        return f"url:{normalise_url(url)}"
    raise InvalidIdError("a paper needs an arXiv id, a DOI or a URL")


def abs_url(arxiv_id: str, version: int | None = None) -> str:
    """The arXiv abstract page."""
    suffix = f"v{version}" if version else ""
    return f"https://arxiv.org/abs/{arxiv_id}{suffix}"


def pdf_url(arxiv_id: str, version: int | None = None, base: str = "https://arxiv.org/pdf") -> str:
    """The arXiv PDF link (no ``.pdf`` suffix, as arXiv serves it today)."""
    suffix = f"v{version}" if version else ""
    return f"{base.rstrip('/')}/{arxiv_id}{suffix}"


def safe_file_stem(key: str) -> str:
    """A file-name stem for a paper key that cannot escape a folder (``/`` and ``:`` replaced)."""
    stem = re.sub(r"[^A-Za-z0-9._-]", "_", key).lstrip(".") or "_"
    if stem != key or len(stem) > 120:
        import hashlib  # rarely needed; keeps the import light

        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]
        stem = f"{stem[:120]}-{digest}"
    return stem
