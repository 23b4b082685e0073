"""Fixtures for sync tests: replicas on disk, a shared folder remote, a wsgidav server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from readinglist.services.library import Library
from readinglist.sync.folder import FolderStorage
from tests.sync.helpers import open_library


@pytest.fixture
def remote_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "remote"
    folder.mkdir()
    return folder


@pytest.fixture
def folder_remote(remote_dir: Path) -> FolderStorage:
    return FolderStorage(remote_dir)


@pytest.fixture
def replicas(tmp_path: Path) -> Iterator[list[Library]]:
    libs = [open_library(tmp_path / f"replica{i}") for i in range(3)]
    yield libs
    for lib in libs:
        lib.close()


def start_dav(root: Path, auth: tuple[str, str] | None = ("alice", "secret")):
    """wsgidav on a free port of 127.0.0.1 (ENVIRONMENT.md §7)."""
    from cheroot import wsgi
    from wsgidav.wsgidav_app import WsgiDAVApp

    cfg = {"host": "127.0.0.1", "port": 0, "provider_mapping": {"/": str(root)}, "verbose": 1,
           "logging": {"enable": False}, "property_manager": True, "lock_storage": True}
    if auth is None:
        cfg["simple_dc"] = {"user_mapping": {"*": True}}
    else:
        cfg["http_authenticator"] = {"accept_basic": True, "accept_digest": False,
                                     "default_to_digest": False}
        cfg["simple_dc"] = {"user_mapping": {"*": {auth[0]: {"password": auth[1]}}}}
    server = wsgi.Server(("127.0.0.1", 0), WsgiDAVApp(cfg), numthreads=8)
    server.prepare()
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    return server, thread, f"http://127.0.0.1:{server.bind_addr[1]}"


@pytest.fixture
def dav(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A real WebDAV server with Basic auth (alice / secret); yields (url of /sync/, root)."""
    root = tmp_path / "davroot"
    root.mkdir()
    server, thread, url = start_dav(root)
    yield f"{url}/sync/", root
    server.stop()
    thread.join(timeout=5)
