"""Cache file names derived from paper keys never escape the cache folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from readinglist.pdf.cache import PdfCache
from readinglist.pdf.errors import PdfError

HOSTILE = ["hep-th/9901001", "../../etc/passwd", "/etc/passwd", "doi:10.1000/../../x",
           "url:http://a.b/..%2f..%2f", "..", ".", "", "a\\..\\..\\b", "~/x", "cs/0101001v2",
           "x" * 500, "con:nul", "a/./../../b"]


@pytest.mark.parametrize("key", HOSTILE)
def test_names_stay_inside_the_cache(tmp_path: Path, key: str) -> None:
    cache = PdfCache(tmp_path / "cache")
    for name in (cache.download_name(key, 3), cache.download_name(key),
                 cache.attached_name(key, "ab" * 32)):
        path = cache.path(name)
        assert path.parent == (tmp_path / "cache").resolve()
        assert "/" not in name and name.endswith(".pdf")
        part = cache.part_path(name)
        assert part.parent == path.parent and part.name.endswith(".part")


def test_old_style_id_names_are_distinct_and_readable(tmp_path: Path) -> None:
    cache = PdfCache(tmp_path)
    a, b = cache.download_name("hep-th/9901001", 1), cache.download_name("hep-th_9901001", 1)
    assert a != b
    assert a.startswith("hep-th_9901001")
    assert cache.download_name("2406.05821", 2) == "2406.05821.v2.pdf"


@pytest.mark.parametrize("name", ["../x.pdf", "/tmp/x.pdf", "a/../../x.pdf", "", "..",
                                  "..\\x.pdf", "~/x.pdf"])
def test_resolving_an_unsafe_registered_path_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(PdfError, match="unsafe"):
        PdfCache(tmp_path / "cache").path(name)


def test_leftover_partials_are_removed(tmp_path: Path) -> None:
    cache = PdfCache(tmp_path / "c")
    cache.ensure()
    keep = tmp_path / "c" / "2406.05821.pdf"
    keep.write_bytes(b"%PDF-")
    cache.part_path("2406.05821.pdf").write_bytes(b"half")
    assert cache.remove_partials(older_than=3600) == 0  # may be another process's download
    assert cache.remove_partials() == 1
    assert [p.name for p in (tmp_path / "c").iterdir()] == ["2406.05821.pdf"]
