"""Sync against a real wsgidav server with Basic auth on 127.0.0.1; injected 5xx and timeouts."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from readinglist.services.library import Library
from readinglist.sync.engine import SyncEngine
from readinglist.sync.storage_api import AuthError, OfflineError, SyncError
from readinglist.sync.webdav import WebDavStorage
from tests.sync.conftest import start_dav
from tests.sync.helpers import canonical, record, sync

KEY = "2401.00001"


class FlakyTransport(httpx.BaseTransport):
    """A real HTTP transport that fails chosen requests: 503, a timeout, or a dropped reply."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.plan: dict[int, str] = {}
        self.count = 0
        self.methods: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.count += 1
        self.methods.append(request.method)
        action = self.plan.pop(self.count, None)
        if action == "503":
            return httpx.Response(503, text="busy")
        if action == "timeout":
            raise httpx.ReadTimeout("injected", request=request)
        response = self.inner.handle_request(request)
        if action == "drop":  # the server did the work, the answer is lost
            response.read()
            raise httpx.RemoteProtocolError("injected: connection closed", request=request)
        return response

    def close(self) -> None:
        self.inner.close()


def dav_remote(url: str, transport: httpx.BaseTransport | None = None,
               password: str = "secret") -> WebDavStorage:
    return WebDavStorage(url, "alice", password, transport=transport, backoff=0.01)


def test_two_replicas_converge_over_webdav(dav: tuple[str, Path],
                                           replicas: list[Library]) -> None:
    url, root = dav
    a, b, _ = replicas
    a.merge_records([record(1), record(2)])
    a.tag([KEY], add=["llm"])
    a.add_annotation(KEY, "highlight", 2, [[0, 0, 1, 1]], "quoted", comment="why")
    sync(a, dav_remote(url))
    report = sync(b, dav_remote(url))
    assert report.pulled_total == 4
    b.tag([KEY], remove=["llm"], add=["read-later"])
    b.set_position(KEY, 7)
    sync(b, dav_remote(url))
    sync(a, dav_remote(url))
    assert canonical(a) == canonical(b)
    assert (root / "sync" / "format.json").is_file()
    assert list((root / "sync" / "log" / a.device_id).glob("*.ops"))


def test_noop_round_costs_a_constant_number_of_requests(dav: tuple[str, Path],
                                                        replicas: list[Library]) -> None:
    url, _ = dav
    a, b, _ = replicas
    costs = []
    for size in (3, 300):
        a.merge_records([record(i) for i in range(1, size + 1)])
        sync(a, dav_remote(url))
        sync(b, dav_remote(url))
        remote = dav_remote(url)
        report = sync(b, remote)
        assert report.pulled_total == 0 and report.pushed == 0
        costs.append(remote.requests)
    # format.json, the log/ listing, and one listing per device that has written a log
    assert costs[0] == costs[1] == 3


def test_wrong_password_is_a_clear_error(dav: tuple[str, Path], library: Library) -> None:
    url, _ = dav
    with pytest.raises(AuthError, match="refused the user name or password"):
        sync(library, dav_remote(url, password="nope"))


def test_plain_http_is_refused_except_on_this_machine() -> None:
    with pytest.raises(SyncError, match="needs https"):
        WebDavStorage("http://dav.example.org/sync/", "alice", "x")
    with pytest.raises(SyncError, match="not in the address"):
        WebDavStorage("https://alice:pw@dav.example.org/sync/", "alice", "x")
    assert WebDavStorage("https://dav.example.org/a b/", "u", "p").base.endswith("/a b/")


def test_server_errors_and_timeouts_mid_round_are_retried(
        dav: tuple[str, Path], replicas: list[Library]) -> None:
    url, _ = dav
    a, b, _ = replicas
    a.merge_records([record(1)])
    a.mark([KEY], "starred", True)
    flaky = FlakyTransport()
    flaky.plan = {2: "503", 4: "timeout", 7: "503", 9: "drop", 12: "timeout"}
    report = sync(a, dav_remote(url, flaky))
    assert report.pushed == 2
    assert flaky.plan == {} or min(flaky.plan) > flaky.count
    sync(b, dav_remote(url, FlakyTransport()))
    assert canonical(a) == canonical(b)


def test_a_dropped_move_reply_is_adopted_not_duplicated(
        dav: tuple[str, Path], replicas: list[Library]) -> None:
    url, root = dav
    a, b, _ = replicas
    a.merge_records([record(1)])
    sync(a, dav_remote(url))
    a.mark([KEY], "read", True)
    flaky = FlakyTransport()
    probe = FlakyTransport()
    sync(a, dav_remote(url, probe))  # learn the request order of a push round
    assert "MOVE" in probe.methods
    a.mark([KEY], "starred", True)
    flaky.plan = {probe.methods.index("MOVE") + 1: "drop"}
    report = sync(a, dav_remote(url, flaky))
    assert report.pushed == 1
    names = sorted(p.name for p in (root / "sync" / "log" / a.device_id).glob("*.ops"))
    assert [n.split(".")[0] for n in names] == ["1-1", "2-2", "3-3"]
    sync(b, dav_remote(url))
    assert canonical(a) == canonical(b)


def test_a_server_that_stays_down_gives_an_offline_error_and_loses_nothing(
        dav: tuple[str, Path], replicas: list[Library]) -> None:
    url, _ = dav
    a, b, _ = replicas
    a.merge_records([record(1)])
    flaky = FlakyTransport()
    flaky.plan = {n: "503" for n in range(1, 30)}
    with pytest.raises(OfflineError, match="HTTP 503.*nothing was lost"):
        sync(a, dav_remote(url, flaky))
    assert len(a.list(view="all")) == 1
    sync(a, dav_remote(url))
    sync(b, dav_remote(url))
    assert canonical(a) == canonical(b)


def test_unreachable_server_is_offline(library: Library, tmp_path: Path) -> None:
    server, thread, url = start_dav(tmp_path)  # started, then stopped: the port is closed
    server.stop()
    thread.join(timeout=5)
    remote = WebDavStorage(url + "/sync/", "alice", "secret", retries=1, backoff=0.01,
                           timeout=2)
    with pytest.raises(OfflineError, match="cannot reach"):
        SyncEngine(library, remote).run()


def test_listing_normalises_encoded_and_absolute_hrefs(tmp_path: Path) -> None:
    root = tmp_path / "dav"
    root.mkdir()
    server, thread, url = start_dav(root)
    try:
        remote = WebDavStorage(f"{url}/my sync/", "alice", "secret")
        remote.mkdirs("log/dev ice")
        assert remote.put_new("log/dev ice/1-1.abcdef12.ops", b"one")
        assert not remote.put_new("log/dev ice/1-1.abcdef12.ops", b"two")  # Overwrite: F
        remote.mkdirs("log/dev ice")  # 405 on an existing collection is fine
        entries = remote.list("log")
        assert [(e.name, e.is_dir) for e in entries] == [("dev ice", True)]
        files = remote.list("log/dev ice")
        assert [(e.name, e.size) for e in files] == [("1-1.abcdef12.ops", 3)]
        assert remote.get("log/dev ice/1-1.abcdef12.ops") == b"one"
        assert remote.get("missing") is None and remote.list("missing") == []
        remote.delete("log/dev ice/1-1.abcdef12.ops")
        assert remote.list("log/dev ice") == []
        assert not list((root / "my sync" / "tmp").iterdir())
    finally:
        server.stop()
        thread.join(timeout=5)
