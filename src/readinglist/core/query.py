"""The search language: free words, "phrases", tag:x, author:y, is:unread|read|starred|archived,
source:hf-daily, since:2026-11-01, before:2026-12-01, cat:cs.CL, and paper ids. Parsed into a
neutral spec.

``like:ID`` selects the papers most similar to that one (its distinctive words, see
``core.similar``); ``like:starred`` those most like everything you starred. A word that is an
arXiv id in any form users paste (``2406.05821v2``, ``arXiv:2406.05821``, an abs/pdf link), a
DOI (bare, ``doi:`` or a doi.org link) or ``id:ANY-ID`` names a paper: the search then shows
the papers named (several ids: any of them). ``pdf:word`` and ``pdf:"a phrase"`` match the
text of the papers' PDFs on this machine (see ``storage.pdf_text``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from readinglist.core.errors import InputError, InvalidIdError
from readinglist.core.ids import match_arxiv, normalise_doi, parse_ref
from readinglist.core.similar import STARRED

_OPERATORS = frozenset({"tag", "author", "is", "source", "since", "before", "cat", "id", "like",
                        "pdf"})
_IS_VALUES = {"unread", "read", "starred", "unstarred", "archived", "inbox", "withdrawn", "noted",
              "reading"}


@dataclass(frozen=True, slots=True)
class QuerySpec:
    """A parsed query; empty fields mean "no constraint"."""

    words: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    since: date | None = None
    before: date | None = None
    excluded_words: tuple[str, ...] = field(default_factory=tuple)
    ids: tuple[str, ...] = ()  # canonical keys of the papers named
    like: str | None = None  # like:ID — papers similar to this one (its key)
    pdf_terms: tuple[str, ...] = ()  # pdf:word / pdf:"a phrase" — in the PDFs' text
    # -tag:x, -author:x, -cat:x, -source:x: (field, value) pairs that leave papers out
    excluded_fields: tuple[tuple[str, str], ...] = ()

    @property
    def arxiv_ids(self) -> tuple[str, ...]:
        """The named papers that arXiv can be asked for (DOIs and URLs it cannot)."""
        return tuple(key for key in self.ids if ":" not in key)

    @property
    def has_text(self) -> bool:
        return bool(self.words or self.phrases or self.authors or self.excluded_words)

    @property
    def empty(self) -> bool:
        return self == QuerySpec()


def _tokens(text: str) -> list[tuple[str, bool]]:
    """Split into (token, was_quoted). Unbalanced quotes are tolerated (type-to-filter)."""
    out: list[tuple[str, bool]] = []
    for match in re.finditer(r'(-?\w+:)?"([^"]*)"?|(\S+)', text):
        prefix, quoted, bare = match.group(1), match.group(2), match.group(3)
        if quoted is not None:
            out.append(((prefix or "") + quoted, not prefix))
        else:
            out.append((bare, False))
    return out


_TAG_TOKEN = re.compile(r'(?<!\S)(-?tag:)(?:"([^"]*)"?|(\S+))', re.IGNORECASE)
_NEGATABLE = ("tag", "author", "cat", "source")


def rename_tag_in_query(text: str, old: str, new: str) -> str:
    """``text`` with every ``tag:old`` (or ``-tag:old``; quoted or not, any case or Unicode
    form) naming ``new`` instead."""
    from readinglist.core.text import normalise_tag  # as the search matches tags

    def swap(match: re.Match[str]) -> str:
        value = match.group(2) if match.group(2) is not None else match.group(3)
        if normalise_tag(value) != old:
            return match.group(0)
        return match.group(1) + (f'"{new}"' if " " in new else new)

    return _TAG_TOKEN.sub(swap, text)


def parse_query(text: str) -> QuerySpec:
    """Parse the search language.

    Raises:
        InputError: for a bad ``since:``/``before:`` date or an unknown ``is:`` value.
    """
    words: list[str] = []
    phrases: list[str] = []
    tags: list[str] = []
    authors: list[str] = []
    flags: list[str] = []
    sources: list[str] = []
    cats: list[str] = []
    excluded: list[str] = []
    excluded_fields: list[tuple[str, str]] = []
    ids: list[str] = []
    pdf_terms: list[str] = []
    like: str | None = None
    since = before = None
    for token, quoted in _tokens(text):
        if quoted:
            if token.strip():
                phrases.append(token.strip())
            continue
        name, sep, value = token.partition(":")
        name = name.lower()
        if name[1:] in _NEGATABLE and name.startswith("-") and value.strip():
            field_name = name[1:]
            excluded_fields.append((field_name, value.lower() if field_name in ("tag", "source")
                                    else value))
            continue
        operator = bool(sep and value and name in _OPERATORS)
        ref = None if operator else _paper_named(token)
        if ref is not None:
            ids.append(ref)
        elif operator:
            if name == "like" and value.lower() == "starred":
                like = STARRED
            elif name in ("id", "like"):
                try:
                    key = parse_ref(value).key
                except InvalidIdError as error:
                    raise InputError(str(error)) from None
                if name == "id":
                    ids.append(key)
                else:
                    like = key
            elif name == "tag":
                tags.append(value.lower())
            elif name == "author":
                authors.append(value)
            elif name == "pdf":
                pdf_terms.append(value.strip())
            elif name == "is":
                if value.lower() not in _IS_VALUES:
                    raise InputError(f"unknown is:{value} (use one of {', '.join(sorted(_IS_VALUES))})")
                flags.append(value.lower())
            elif name == "source":
                sources.append(value.lower())
            elif name == "cat":
                cats.append(value)
            else:
                try:
                    day = date.fromisoformat(value)
                except ValueError:
                    raise InputError(f"{name}: needs a date like 2026-11-01, not {value!r}") from None
                if name == "since":
                    since = day
                else:
                    before = day
        elif token.startswith("-") and len(token) > 1:
            excluded.append(token[1:])
        else:
            words.append(token)
    return QuerySpec(tuple(words), tuple(phrases), tuple(tags), tuple(authors), tuple(flags),
                     tuple(sources), tuple(cats), since, before, tuple(excluded),
                     tuple(dict.fromkeys(ids)), like, tuple(t for t in pdf_terms if t),
                     tuple(dict.fromkeys(excluded_fields)))


def _paper_named(token: str) -> str | None:
    """The key of the paper a search word names (an arXiv id or link, a DOI), else None."""
    if not any(c.isdigit() for c in token):
        return None
    ref = match_arxiv(token)
    if ref is not None:
        return ref.key
    if token.startswith("10.") or token.lower().startswith(("doi:", "https://doi.org/",
                                                            "http://doi.org/",
                                                            "https://dx.doi.org/")):
        doi = normalise_doi(token)
        if doi:
            return parse_ref(doi).key  # an arXiv DOI names the arXiv paper
    return None


def fts_match_expression(spec: QuerySpec) -> str | None:
    """An FTS5 MATCH expression for the text parts of a spec, or None if there are none.

    Every user word becomes a quoted prefix term, so no user text is parsed as FTS syntax.
    """
    parts: list[str] = []
    for index, word in enumerate(spec.words):
        cleaned = _clean_term(word)
        if cleaned:
            # only the last word is a prefix (type-to-filter); whole words are cheaper to match
            star = "*" if index == len(spec.words) - 1 else ""
            parts.append(f'"{cleaned}"{star}')
    for phrase in spec.phrases:
        cleaned = _clean_term(phrase)
        if cleaned:
            parts.append(f'"{cleaned}"')
    for author in spec.authors:
        cleaned = _clean_term(author)
        if cleaned:
            parts.append(f'authors_text : "{cleaned}"*')
    if not parts:
        return None
    expression = " AND ".join(parts)
    for word in spec.excluded_words:
        cleaned = _clean_term(word)
        if cleaned:
            expression = f"({expression}) NOT \"{cleaned}\""
    return expression


def pdf_match_expression(spec: QuerySpec) -> str | None:
    """The FTS5 MATCH expression for a spec's ``pdf:`` terms (all of them), or None.

    A term of several words is a phrase; the last term, when one word, is also a prefix
    (type-to-filter), as for plain words. Han and kana are one token per character in the
    index, so a word of them is a phrase of its characters.
    """
    from readinglist.core.text import spaced_cjk

    parts: list[str] = []
    for index, term in enumerate(spec.pdf_terms):
        cleaned = _clean_term(term)
        if cleaned:
            last_word = index == len(spec.pdf_terms) - 1 and " " not in cleaned
            parts.append(f'"{spaced_cjk(cleaned)}"' + ("*" if last_word else ""))
    return " AND ".join(parts) or None


def arxiv_search_query(spec: QuerySpec) -> str | None:
    """The same search in the arXiv API's language (``all:word AND au:name ANDNOT all:x``),
    or None when it has no words, phrases or authors to send. Local-only parts (tags,
    read state, dates, sources) are left out: the results are filtered here again."""
    parts = [_arxiv_term("all", term)
             for term in map(_clean_term, (*spec.words, *spec.phrases)) if term]
    parts += [_arxiv_term("au", term) for term in map(_clean_term, spec.authors) if term]
    if not parts:
        return None
    parts += [f"cat:{category}" for category in spec.categories
              if re.fullmatch(r"[\w.-]+", category)]
    query = " AND ".join(parts)
    for term in map(_clean_term, spec.excluded_words):
        if term:
            query += f" ANDNOT {_arxiv_term('all', term)}"
    for name, value in spec.excluded_fields:
        if name == "author" and _clean_term(value):
            query += f" ANDNOT {_arxiv_term('au', _clean_term(value))}"
        elif name == "cat" and re.fullmatch(r"[\w.-]+", value):
            query += f" ANDNOT cat:{value}"
    return query


def remote_query(text: str) -> str | None:
    """The arXiv query for a search box's text (see ``arxiv_search_query``); None when the
    text is invalid or has nothing arXiv can search for."""
    try:
        return arxiv_search_query(parse_query(text)) if text.strip() else None
    except InputError:
        return None


def pdf_query(text: str) -> str | None:
    """The same words and phrases as a search of the PDFs' text (``pdf:w pdf:"a b"``), for a
    search of nothing but words and phrases; else None."""
    try:
        spec = parse_query(text) if text.strip() else None
    except InputError:
        return None
    if spec is None or not (spec.words or spec.phrases):
        return None
    if spec != QuerySpec(words=spec.words, phrases=spec.phrases):
        return None
    terms = [f"pdf:{word}" for word in spec.words if _clean_term(word) == word]
    terms += [f'pdf:"{phrase}"' for phrase in spec.phrases if '"' not in phrase]
    if len(terms) != len(spec.words) + len(spec.phrases):
        return None  # a word with punctuation would search for something else
    return " ".join(terms)


def papers_named(text: str) -> QuerySpec | None:
    """The parsed search when it names papers by id and has no words, else None."""
    try:
        spec = parse_query(text) if text.strip() else None
    except InputError:
        return None
    return spec if spec is not None and spec.ids and not (spec.words or spec.phrases) else None


def _arxiv_term(field: str, term: str) -> str:
    """``all:word``, or ``all:"two words"`` (quoted as a phrase)."""
    return f'{field}:"{term}"' if " " in term else f"{field}:{term}"


def author_expression(name: str) -> str | None:
    """The FTS5 expression matching papers by an author (``author:`` and ``-author:``)."""
    cleaned = _clean_term(name)
    return f'authors_text : "{cleaned}"*' if cleaned else None


def fts_exclusion_expression(spec: QuerySpec) -> str | None:
    """For a query whose only text is ``-words``: an FTS5 expression matching the papers to
    leave out (``fts_match_expression`` covers exclusions when there is text to match)."""
    if fts_match_expression(spec) is not None:
        return None
    terms = [f'"{cleaned}"' for cleaned in map(_clean_term, spec.excluded_words) if cleaned]
    return " OR ".join(terms) or None


def _clean_term(text: str) -> str:
    """Keep letters, digits and inner spaces; FTS5 treats the rest as separators anyway."""
    return " ".join(re.findall(r"\w+", text, flags=re.UNICODE))

