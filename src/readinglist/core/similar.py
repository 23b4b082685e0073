"""“More like this”: a paper's most distinctive words (tf-idf against the library), which both
find similar papers through the full-text index and explain why they were found.

Words are folded the way the FTS5 ``unicode61 remove_diacritics 2`` tokenizer folds them, so
the counts looked up in the index are counts of the same terms.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter

TITLE_WEIGHT = 3
MAX_TERMS = 8
PROFILE_TERMS = 15  # words describing everything you starred
STARRED = ":starred"  # ``like:starred`` — not a paper key (keys never start with ":")
MAX_SHARE = 0.1  # a word in more than a tenth of the library says little about a paper
_WORD = re.compile(r"[^\W\d_]{3,}")
STOPWORDS = frozenset("""
about above across after again against along also although among and another any are around
based because been before being below between both but can cannot could does done during each
either even every few for from further given had has have having here how however into its
itself just large less many may more most much must new not now novel off often once one only
other our ours out over own paper per propose proposed rather same several should show shows
since some such than that the their them then there these they this those through thus too
two under until upon use used uses using very via was way well were what when where whether
which while who whose why will with within without would yet you your approach method methods
results work study present introduce existing well-known first second three different various
problem problems involve involves involving process processes simple simply task tasks achieve
achieves achieved demonstrate demonstrates demonstrated significant significantly effective
effectively efficient efficiently framework experiments experimental extensive show showing
shown outperform outperforms outperforming state art recent recently performance improve
improves improved improvement provide provides important key finally further including include
""".split())


def fold(word: str) -> str:
    """Lower case without diacritics (``Müller`` → ``muller``), as the index stores it."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def term_counts(title: str, abstract: str) -> Counter[str]:
    """Candidate words with their weight: title words count ``TITLE_WEIGHT`` times."""
    counts: Counter[str] = Counter()
    for text, weight in ((title, TITLE_WEIGHT), (abstract, 1)):
        for match in _WORD.finditer(text):
            word = fold(match.group())
            if word not in STOPWORDS:
                counts[word] += weight
    return counts


def profile_counts(papers: list[tuple[str, str]]) -> Counter[str]:
    """Word weights over several papers (title, abstract): a word weighs what it weighs in
    each paper, at most ``TITLE_WEIGHT`` per paper — so title words and words several papers
    share lead, and one long abstract repeating a word does not."""
    counts: Counter[str] = Counter()
    for title, abstract in papers:
        for word, count in term_counts(title, abstract).items():
            counts[word] += min(count, TITLE_WEIGHT)
    return counts


def pick_terms(counts: Counter[str], documents: dict[str, int], total: int,
               limit: int = MAX_TERMS) -> list[str]:
    """The ``limit`` words with the highest tf-idf that at least one other paper shares and
    at most ``MAX_SHARE`` of the library uses. ``documents``: papers containing each word."""
    scored = []
    for word, count in counts.items():
        df = documents.get(word, 0)
        if df < 2 or df > max(2, MAX_SHARE * total):
            continue
        scored.append((count * math.log(total / df), word))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [word for _, word in scored[:limit]]


def match_expression(terms: list[str]) -> str:
    """An FTS5 expression matching any of ``terms`` (plain words: safe to quote)."""
    return " OR ".join(f'"{term}"' for term in terms)
