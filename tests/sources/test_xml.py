"""XML is parsed safely: entity expansion and external entities fail cleanly and fast."""

from __future__ import annotations

import time
import tracemalloc

import pytest

from readinglist.core.errors import SourceError
from readinglist.sources.xml import parse_xml
from tests.sources.wire import BILLION_LAUGHS


def test_billion_laughs_fails_fast_without_using_memory() -> None:
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(SourceError, match="unsafe XML"):
        parse_xml(BILLION_LAUGHS, "example.org")
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 0.5
    assert peak < 5 * 1024 * 1024


def test_external_entities_are_refused() -> None:
    body = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<rss><channel><title>&x;</title></channel></rss>")
    with pytest.raises(SourceError, match="unsafe XML"):
        parse_xml(body, "example.org")


@pytest.mark.parametrize("body", [b"<rss><channel><item>", b"not xml at all", b"  "])
def test_malformed_or_empty_xml_is_a_source_error(body: bytes) -> None:
    with pytest.raises(SourceError, match="example.org"):
        parse_xml(body, "example.org")
