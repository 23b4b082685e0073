"""WebDAV transport in raw httpx: PROPFIND, GET, PUT, MOVE (``Overwrite: F``), DELETE, MKCOL.

Correctness never depends on ``If-Match``/``If-None-Match`` (several servers ignore them, SYNC.md
§2): new files are uploaded to ``tmp/`` and moved into place without overwrite. Transient
failures (timeouts, dropped connections, 5xx) are retried a few times.
"""

from __future__ import annotations

import time
import uuid
import xml.etree.ElementTree as ET
from urllib.parse import quote, unquote, urlsplit

import httpx

from readinglist.sync.storage_api import AuthError, Entry, OfflineError, RemoteError, SyncError

DAV = "{DAV:}"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
_PROPFIND_BODY = (b'<?xml version="1.0" encoding="utf-8"?>'
                  b'<d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/>'
                  b"<d:getcontentlength/></d:prop></d:propfind>")


def check_url(url: str) -> str:
    """The URL with a trailing slash; https is required except on this machine."""
    parts = urlsplit(url.strip())
    if parts.username or parts.password or "@" in parts.netloc:  # checked first: never echoed
        raise SyncError("put the user name in --user and the password in the keychain, "
                        "not in the address")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SyncError(f"{url!r} is not a WebDAV address (expected https://host/path/)")
    if parts.scheme == "http" and parts.hostname not in LOCAL_HOSTS:
        raise SyncError("WebDAV sync needs https:// (plain http is allowed only for localhost)")
    return url.strip().rstrip("/") + "/"


class WebDavStorage:
    """A WebDAV collection as the sync remote."""

    def __init__(self, url: str, user: str | None = None, password: str | None = None, *,
                 timeout: float = 30.0, retries: int = 3, backoff: float = 0.25,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.base = check_url(url)
        self.base_path = unquote(urlsplit(self.base).path)
        self.description = self.base
        self.tmp_prefix = ""
        self.retries = retries
        self.backoff = backoff
        self.requests = 0
        auth = httpx.BasicAuth(user, password or "") if user else None
        self.client = httpx.Client(auth=auth, timeout=httpx.Timeout(timeout),
                                   follow_redirects=False, transport=transport,
                                   headers={"User-Agent": "readinglist-sync/1"})

    def _url(self, path: str) -> str:
        return self.base + quote(path.strip("/"))

    def _request(self, method: str, path: str, *, headers: dict[str, str] | None = None,
                 content: bytes | None = None, collection: bool = False) -> httpx.Response:
        url = self._url(path) + ("/" if collection and path else "")
        failure = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * (2 ** (attempt - 1)))
            try:
                self.requests += 1
                response = self.client.request(method, url, headers=headers, content=content)
            except httpx.TimeoutException:
                failure = "the server timed out"
                continue
            except httpx.TransportError as error:
                text = str(error)
                if "CERTIFICATE" in text.upper() or "SSL" in text.upper():
                    raise RemoteError(f"the certificate of {self.base} was not accepted: "
                                      f"{text}") from None
                failure = text or type(error).__name__
                continue
            status = response.status_code
            if status == 401:
                raise AuthError(f"the WebDAV server at {self.base} refused the user name or "
                                "password (HTTP 401)")
            if status == 403:
                raise RemoteError(f"the WebDAV server at {self.base} forbids {method} "
                                  f"{path or '/'} (HTTP 403)")
            if status == 507:
                raise RemoteError(f"the WebDAV server at {self.base} is out of space (HTTP 507)")
            if status >= 500:
                failure = f"HTTP {status}"
                continue
            return response
        raise OfflineError(f"cannot reach the WebDAV server at {self.base}: {failure}; "
                           "nothing was lost, sync will retry")

    @staticmethod
    def _fail(response: httpx.Response, what: str) -> RemoteError:
        return RemoteError(f"WebDAV {what} failed with HTTP {response.status_code}")

    def root_exists(self) -> bool:
        response = self._request("PROPFIND", "", headers={"Depth": "0"}, content=_PROPFIND_BODY)
        return response.status_code == 207

    def list(self, path: str) -> list[Entry]:
        response = self._request("PROPFIND", path, headers={"Depth": "1"},
                                 content=_PROPFIND_BODY, collection=True)
        if response.status_code == 404:
            return []
        if response.status_code != 207:
            raise self._fail(response, f"listing {path or '/'}")
        return self._parse_multistatus(response.content, path)

    def _parse_multistatus(self, body: bytes, path: str) -> list[Entry]:
        try:
            root = ET.fromstring(body)
        except ET.ParseError:
            raise RemoteError(f"the WebDAV server sent an unreadable listing of {path or '/'}"
                              ) from None
        own = (self.base_path + path.strip("/")).rstrip("/")
        entries: list[Entry] = []
        for response in root.findall(f"{DAV}response"):
            href = response.findtext(f"{DAV}href") or ""
            target = unquote(urlsplit(href).path).rstrip("/")
            if target == own or not target.startswith(own + "/"):
                continue
            name = target[len(own) + 1:]
            if not name or "/" in name:
                continue
            is_dir = response.find(f".//{DAV}resourcetype/{DAV}collection") is not None
            length = response.findtext(f".//{DAV}getcontentlength")
            entries.append(Entry(name, is_dir, int(length) if length and length.isdigit()
                                 else -1))
        return entries

    def get(self, path: str) -> bytes | None:
        response = self._request("GET", path)
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise self._fail(response, f"download of {path}")
        return response.content

    def _put(self, path: str, data: bytes) -> None:
        response = self._request("PUT", path, content=data)
        if response.status_code in (404, 409):  # parent collection missing
            self.mkdirs(path.rsplit("/", 1)[0] if "/" in path else "")
            response = self._request("PUT", path, content=data)
        if response.status_code not in (200, 201, 204):
            raise self._fail(response, f"upload of {path}")

    def put(self, path: str, data: bytes) -> None:
        self._put(path, data)

    def put_new(self, path: str, data: bytes) -> bool:
        tmp = f"tmp/{self.tmp_prefix}{uuid.uuid4().hex}.part"
        self._put(tmp, data)
        headers = {"Destination": self._url(path), "Overwrite": "F"}
        response = self._request("MOVE", tmp, headers=headers)
        if response.status_code == 409:  # destination folder missing
            self.mkdirs(path.rsplit("/", 1)[0])
            response = self._request("MOVE", tmp, headers=headers)
        if response.status_code in (201, 204):
            return True
        if response.status_code == 412:
            self.delete(tmp)
            return False
        if response.status_code == 404 and self.get(path) is not None:
            return False  # an earlier MOVE got through but its answer was lost
        raise self._fail(response, f"publishing {path}")

    def delete(self, path: str) -> None:
        response = self._request("DELETE", path)
        if response.status_code not in (200, 202, 204, 404):
            raise self._fail(response, f"deleting {path}")

    def mkdirs(self, path: str) -> None:
        path = path.strip("/")
        response = self._request("MKCOL", path, collection=True)
        if response.status_code in (201, 405):  # 405: it exists already
            return
        if response.status_code == 409 and path:  # parent missing: make it, then retry
            self.mkdirs(path.rsplit("/", 1)[0] if "/" in path else "")
            response = self._request("MKCOL", path, collection=True)
            if response.status_code in (201, 405):
                return
            if "/" not in path and self._root_is_file():
                raise RemoteError(f"{self.base} is a file on the WebDAV server, not a folder: "
                                  "check the address")
        if response.status_code == 409 and not path:
            raise RemoteError(f"the folder holding {self.base} does not exist on the WebDAV "
                              "server (HTTP 409): check the address, or create that folder "
                              "first (in Nextcloud: in Files)")
        raise self._fail(response, f"creating folder {path or '/'}")

    def _root_is_file(self) -> bool:
        """True when the address names a file (a resource that is not a collection)."""
        response = self._request("PROPFIND", "", headers={"Depth": "0"}, content=_PROPFIND_BODY)
        if response.status_code != 207:
            return False
        try:
            root = ET.fromstring(response.content)
        except ET.ParseError:
            return False
        return root.find(f".//{DAV}resourcetype") is not None and \
            root.find(f".//{DAV}resourcetype/{DAV}collection") is None

    def close(self) -> None:
        self.client.close()
