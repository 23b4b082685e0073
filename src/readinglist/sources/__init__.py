"""Paper sources: Hugging Face Daily Papers, arXiv listings and search, any RSS/Atom feed.

Every source turns one upstream response format into ``PaperRecord``s; nothing here touches the
library. HTTP goes through the one shared client in ``http`` and, for arXiv, the process-wide
pacer in ``ratelimit``. Names used in ``list --json`` ``sources``: ``SOURCE_NAMES`` below.
"""

HF_DAILY = "hf-daily"
ARXIV_RSS = "arxiv-rss"
ARXIV_QUERY = "arxiv-query"
RSS = "rss"
SOURCE_NAMES = (HF_DAILY, ARXIV_RSS, ARXIV_QUERY, RSS)
