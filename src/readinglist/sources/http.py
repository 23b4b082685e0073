"""The one HTTP client every source uses.

It sets connect/read timeouts and a ``User-Agent`` naming the app; retries 429, 5xx, timeouts and
dropped connections with exponential backoff, honouring ``Retry-After`` and Hugging Face's
``RateLimit: "api";r=..;t=..`` header; sends conditional GETs from stored validators; caps the
response size; and checks that what came back is what was asked for (an HTML maintenance page
served with 200 is an error, not an empty feed). arXiv requests pass the process-wide ``Pacer``.

Environment (for tests, mirrors and slow links): ``READINGLIST_HTTP_TIMEOUT`` (read timeout, s),
``READINGLIST_HTTP_RETRIES``, ``READINGLIST_HTTP_BACKOFF`` (first backoff, s),
``READINGLIST_HTTP_MAX_WAIT`` (longest server-requested wait we accept, s),
``READINGLIST_HTTP_MAX_BYTES``, ``READINGLIST_CONTACT`` (appended to the User-Agent).
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from xml.etree.ElementTree import Element

import httpx

from readinglist import __version__
from readinglist.core.errors import SourceError
from readinglist.core.text import collapse
from readinglist.sources.ratelimit import Pacer, sleep
from readinglist.sources.xml import parse_xml

log = logging.getLogger(__name__)

# Where operators of the services can learn what is calling them. Override per install with
# READINGLIST_CONTACT (e.g. "mailto:you@example.org"), as Crossref and arXiv recommend.
PROJECT_URL = "https://github.com/readinglist/readinglist"

JSON_TYPES = ("application/json", "text/json")
XML_TYPES = ("application/xml", "text/xml", "application/rss+xml", "application/atom+xml",
             "application/rdf+xml")
HTML_TYPES = ("text/html", "application/xhtml+xml")
# a UTF-8 byte order mark, then the XML declaration, processing instructions (xml-stylesheet),
# comments and a DOCTYPE in any order before the root element
_FEED_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*"
                         rb"(?:<\?[^>]*>\s*|<!--.*?-->\s*|<!DOCTYPE[^>\[]*>\s*)*"
                         rb"<(?:rss|feed|rdf:RDF|RDF)\b", re.DOTALL)
_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<!doctype\s+html|<html|<head|<body)",
                         re.IGNORECASE)
_HTML_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def _env_float(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value >= 0 else default


@dataclass(frozen=True, slots=True)
class HttpConfig:
    """Timeouts, retry policy and limits of the shared client."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 300.0  # for one response, however slowly it trickles in
    retries: int = 3  # after the first attempt
    backoff: float = 1.0  # first wait; doubles per retry (arXiv: at least the pacer's delay)
    max_backoff: float = 60.0
    max_wait: float = 300.0  # a server asking for a longer pause makes the fetch fail instead
    max_bytes: int = 64 * 1024 * 1024
    contact: str = PROJECT_URL

    @property
    def user_agent(self) -> str:
        return f"readinglist/{__version__} (+{self.contact})"

    @classmethod
    def from_env(cls) -> "HttpConfig":
        """Defaults, overridden by ``READINGLIST_HTTP_*`` environment variables."""
        base = cls()
        read = _env_float("READINGLIST_HTTP_TIMEOUT", base.read_timeout)
        return cls(
            connect_timeout=min(base.connect_timeout, read) if read else base.connect_timeout,
            read_timeout=read or base.read_timeout,
            retries=int(_env_float("READINGLIST_HTTP_RETRIES", base.retries)),
            backoff=_env_float("READINGLIST_HTTP_BACKOFF", base.backoff),
            max_wait=_env_float("READINGLIST_HTTP_MAX_WAIT", base.max_wait),
            max_bytes=int(_env_float("READINGLIST_HTTP_MAX_BYTES", base.max_bytes))
            or base.max_bytes,
            contact=os.environ.get("READINGLIST_CONTACT", "").strip() or base.contact,
        )


@dataclass(frozen=True, slots=True)
class Validators:
    """What a conditional GET sends back: the response's ``ETag`` and ``Last-Modified``."""

    etag: str | None = None
    last_modified: str | None = None

    def __bool__(self) -> bool:
        return bool(self.etag or self.last_modified)


@dataclass(slots=True)
class HttpResponse:
    """A complete response (body read in full, within the size cap)."""

    url: str
    status: int
    reason: str
    headers: httpx.Headers
    body: bytes
    host: str = ""
    elapsed: float = 0.0
    attempts: int = 1
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def content_type(self) -> str:
        """The media type in lower case without parameters ('' if absent)."""
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    @property
    def charset(self) -> str | None:
        """The ``charset`` parameter of the content type, if any."""
        for param in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "charset":
                return value.strip().strip("\"'") or None
        return None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def validators(self) -> Validators:
        return Validators(self.headers.get("etag"), self.headers.get("last-modified"))


def _retry_after(headers: httpx.Headers) -> float | None:
    """Seconds asked for by ``Retry-After`` (delta seconds or an HTTP date), else None."""
    raw = headers.get("retry-after")
    if not raw:
        return None
    raw = raw.strip()
    if raw.isdigit():
        return float(raw)
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


_RATELIMIT_PARAM = re.compile(r";\s*([rt])\s*=\s*(\d+)")


def rate_limit(headers: httpx.Headers) -> tuple[int | None, float | None]:
    """(remaining, seconds to reset) from an IETF ``RateLimit`` header (Hugging Face)."""
    raw = headers.get("ratelimit")
    if not raw:
        return None, None
    found = dict(_RATELIMIT_PARAM.findall(raw))
    remaining = int(found["r"]) if "r" in found else None
    reset = float(found["t"]) if "t" in found else None
    return remaining, reset


def _is_retryable(status: int) -> bool:
    return status == 429 or 500 <= status <= 599


def _html_title(body: bytes) -> str:
    found = _HTML_TITLE.search(body[:65536])
    if not found:
        return ""
    title = collapse(found.group(1).decode("utf-8", "replace"))
    return title if len(title) <= 80 else title[:79] + "…"


def looks_like_html(response: HttpResponse) -> bool:
    """True for an HTML page (by type, or by its first bytes when the type says nothing)."""
    head = response.body[:1024]
    if response.content_type in HTML_TYPES:
        return not _FEED_START.match(head)
    return bool(_HTML_START.match(head))


def html_error(response: HttpResponse, expected: str) -> SourceError:
    title = _html_title(response.body)
    hint = f' titled "{title}"' if title else ""
    return SourceError(f"{response.host} sent an HTML page{hint} (HTTP {response.status}, "
                       f"{response.content_type or 'no content type'}) instead of {expected}; "
                       "the service may be down or the address wrong")


def status_error(response: HttpResponse, service: str = "") -> SourceError:
    """A message for an unexpected status, with the server's own words when it gave some."""
    detail = ""
    if response.content_type in JSON_TYPES or response.content_type.endswith("+json"):
        try:
            data = json.loads(response.body)
        except ValueError:
            data = None
        if isinstance(data, dict):
            raw = data.get("error") or data.get("message") or data.get("detail")
            if isinstance(raw, str):
                detail = collapse(raw)
    elif response.content_type == "text/plain":
        detail = collapse(response.body[:300].decode("utf-8", "replace"))
    elif looks_like_html(response):
        detail = _html_title(response.body)
    name = service or response.host
    message = f"{name} answered HTTP {response.status} {response.reason}".rstrip()
    return SourceError(f"{message}: {detail}" if detail else message)


def expect_json(response: HttpResponse, service: str = "") -> Any:
    """The decoded JSON body of a successful response.

    Raises:
        SourceError: an HTML page, another content type, or malformed (e.g. truncated) JSON.
    """
    if looks_like_html(response):
        raise html_error(response, "JSON")
    ctype = response.content_type
    if ctype and ctype not in JSON_TYPES and not ctype.endswith("+json"):
        raise SourceError(f"{service or response.host} sent {ctype} instead of JSON")
    try:
        return json.loads(response.body)
    except UnicodeDecodeError:
        raise SourceError(f"{service or response.host} sent JSON that is not UTF-8") from None
    except json.JSONDecodeError as error:
        raise SourceError(
            f"{service or response.host} sent malformed JSON ({error.msg} at byte {error.pos} "
            f"of {len(response.body)}); the response may have been cut off") from None


def expect_xml(response: HttpResponse, service: str = "", strict: bool = True) -> Element:
    """The parsed XML body of a successful response.

    ``strict`` requires an XML content type; otherwise anything that is not an HTML page is
    parsed (many blogs and journals label their feeds ``text/plain`` or worse).

    Raises:
        SourceError: an HTML page, another content type (strict), malformed or unsafe XML.
    """
    if looks_like_html(response):
        raise html_error(response, "a feed")
    ctype = response.content_type
    if strict and ctype and ctype not in XML_TYPES and not ctype.endswith("+xml"):
        raise SourceError(f"{service or response.host} sent {ctype} instead of an XML feed")
    return parse_xml(response.body, service or response.host, response.charset)


class HttpClient:
    """Thread-safe; one per ``FetchService``. Close it when done."""

    def __init__(self, config: HttpConfig | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.config = config or HttpConfig.from_env()
        self._client = httpx.Client(
            timeout=httpx.Timeout(self.config.read_timeout, connect=self.config.connect_timeout),
            headers={"User-Agent": self.config.user_agent},
            follow_redirects=True, max_redirects=5, transport=transport)
        self._lock = threading.Lock()
        self._not_before: dict[str, float] = {}  # host -> monotonic time (RateLimit r=0)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> "HttpClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- one GET with retries --------------------------------------------------------------

    def get(self, url: str, *, params: dict[str, Any] | None = None,
            accept: str | None = None, pacer: Pacer | None = None,
            validators: Validators | None = None,
            cancel: threading.Event | None = None) -> HttpResponse:
        """GET ``url``, retrying what is worth retrying; returns any final response.

        Statuses other than 429/5xx come back to the caller (arXiv's error feed is a 400 with a
        body worth reading); 304 only when ``validators`` were sent.

        Raises:
            SourceError: timeouts, refused connections, too large a body, or retries exhausted.
            Cancelled: ``cancel`` was set while waiting.
        """
        host = httpx.URL(url).netloc.decode("ascii", "replace")
        headers: dict[str, str] = {}
        if accept:
            headers["Accept"] = accept
        if validators:
            if validators.etag:
                headers["If-None-Match"] = validators.etag
            if validators.last_modified:
                headers["If-Modified-Since"] = validators.last_modified
        attempts = max(1, self.config.retries + 1)
        base = max(self.config.backoff, pacer.delay if pacer else 0.0)
        problem = ""
        for attempt in range(attempts):
            self._wait_for_host(host, cancel)
            started = time.monotonic()
            server_wait: float | None = None
            try:
                if pacer is not None:
                    with pacer.slot(cancel):
                        response = self._fetch(url, params, headers, host)
                else:
                    response = self._fetch(url, params, headers, host)
            except httpx.TimeoutException as error:
                problem = f"{host} did not answer in time ({_timeout_kind(error)})"
            except (httpx.RemoteProtocolError, httpx.ReadError) as error:
                problem = f"the connection to {host} broke off ({_reason(error)})"
            except httpx.ConnectError as error:
                raise SourceError(f"cannot connect to {host} ({_reason(error)})") from None
            except httpx.TooManyRedirects:
                raise SourceError(f"{host} redirected too many times") from None
            except httpx.HTTPError as error:
                raise SourceError(f"request to {host} failed: {_reason(error)}") from None
            else:
                response.elapsed = time.monotonic() - started
                response.attempts = attempt + 1
                self._note_rate_limit(host, response)
                log.debug("GET %s -> %s (%d bytes, %.2f s)", response.url, response.status,
                          len(response.body), response.elapsed)
                if not _is_retryable(response.status):
                    return response
                problem = f"{host} answered HTTP {response.status} {response.reason}".rstrip()
                server_wait = _retry_after(response.headers)
                if server_wait is None and response.status == 429:
                    server_wait = rate_limit(response.headers)[1]
            if attempt + 1 >= attempts:
                break
            wait = server_wait if server_wait is not None else min(
                self.config.max_backoff, base * (2 ** attempt))
            if wait > self.config.max_wait:
                raise SourceError(f"{problem}; it asks to wait {wait:.0f} s before trying again")
            log.info("%s; retrying in %.1f s (attempt %d of %d)", problem, wait, attempt + 2,
                     attempts)
            sleep(wait, cancel)
        raise SourceError(f"{problem} (gave up after {attempts} attempts)")

    def _fetch(self, url: str, params: dict[str, Any] | None, headers: dict[str, str],
               host: str) -> HttpResponse:
        deadline = time.monotonic() + self.config.total_timeout
        limit = self.config.max_bytes
        with self._client.stream("GET", url, params=params, headers=headers) as reply:
            declared = reply.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise SourceError(f"{host} sent {_size(int(declared))}, more than the "
                                  f"{_size(limit)} allowed for one response")
            chunks: list[bytes] = []
            size = 0
            for chunk in reply.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise SourceError(f"{host} sent more than the {_size(limit)} allowed for "
                                      "one response")
                if time.monotonic() > deadline:
                    raise SourceError(f"{host} took longer than {self.config.total_timeout:.0f} s "
                                      "to send one response")
                chunks.append(chunk)
            return HttpResponse(str(reply.url), reply.status_code, reply.reason_phrase,
                                reply.headers, b"".join(chunks), host)

    def _wait_for_host(self, host: str, cancel: threading.Event | None) -> None:
        with self._lock:
            until = self._not_before.pop(host, 0.0)
        remaining = until - time.monotonic()
        if remaining > self.config.max_wait:
            raise SourceError(f"{host} rate limit reached; it resets in {remaining:.0f} s")
        if remaining > 0:
            log.info("%s rate limit reached; waiting %.1f s", host, remaining)
            sleep(remaining, cancel)

    def _note_rate_limit(self, host: str, response: HttpResponse) -> None:
        remaining, reset = rate_limit(response.headers)
        if remaining == 0 and reset and response.status != 429:
            with self._lock:
                self._not_before[host] = time.monotonic() + reset


def _timeout_kind(error: httpx.TimeoutException) -> str:
    if isinstance(error, httpx.ConnectTimeout):
        return "connecting timed out"
    if isinstance(error, httpx.ReadTimeout):
        return "reading timed out"
    return "timed out"


def _reason(error: BaseException) -> str:
    text = str(error).strip()
    return text or type(error).__name__


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.0f} MB"
    if count >= 1024:
        return f"{count / 1024:.0f} kB"
    return f"{count} bytes"
