"""Shared fixtures: a fresh library folder per test, offscreen Qt, a real test keyring."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYTHON_KEYRING_BACKEND"] = "keyrings.alt.file.PlaintextKeyring"


@pytest.fixture(autouse=True)
def no_real_services(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing in the tests may reach the real Hugging Face or arXiv: every endpoint points at
    a closed local port unless the test routes it to its own server on 127.0.0.1."""
    for name in ("READINGLIST_HF_URL", "READINGLIST_ARXIV_API_URL", "READINGLIST_ARXIV_RSS_URL",
                 "READINGLIST_ARXIV_PDF_URL"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point READINGLIST_HOME and XDG folders at a per-test temporary directory."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("READINGLIST_HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    return home


@pytest.fixture
def library(isolated_home: Path) -> Iterator["Library"]:
    """A real library on disk in the test's home folder."""
    from readinglist.services.library import Library

    lib = Library(isolated_home / "library.sqlite3")
    yield lib
    if "readinglist.ui.pdfviewer.tasks" in sys.modules:  # a test used the viewer
        from readinglist.ui.pdfviewer.tasks import wait_for_tasks

        wait_for_tasks()  # its background work must not outlive the library
    lib.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses qtbot as a gui test."""
    for item in items:
        if "qtbot" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def http_server() -> Iterator["TestServer"]:
    """A real HTTP server on 127.0.0.1 (see tests/helpers/httpserver.py)."""
    from tests.helpers.httpserver import TestServer

    server = TestServer().start()
    yield server
    server.stop()


@pytest.fixture
def dav_url(tmp_path: Path) -> Iterator[str]:
    """A real WebDAV server (wsgidav, Basic auth alice / secret) on 127.0.0.1: its /sync/ URL."""
    from tests.sync.conftest import start_dav

    root = tmp_path / "davroot"
    root.mkdir()
    server, thread, url = start_dav(root)
    yield f"{url}/sync/"
    server.stop()
    thread.join(timeout=5)


def _hypothesis_profiles() -> None:
    """CI runs a fixed set of examples (reproducible); local runs explore new ones."""
    from hypothesis import settings

    settings.register_profile("ci", derandomize=True, print_blob=True)
    if os.environ.get("CI"):
        settings.load_profile("ci")


_hypothesis_profiles()
