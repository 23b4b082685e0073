"""The sync service and the ``sync`` commands: setup, rounds, status, keychain handling."""

from __future__ import annotations

import io
import json
import os
import threading
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest

from readinglist.cli.main import run
from readinglist.services.config import Settings
from readinglist.services.library import Library
from readinglist.services.paths import library_paths
from readinglist.services.sync import NotConfiguredError, SyncService
from readinglist.sync import credentials
from tests.sync.helpers import canonical, record

KEY = "2401.00001"


def service_for(home: Path) -> tuple[Library, SyncService]:
    paths = library_paths(home)
    lib = Library(paths.database)
    return lib, SyncService(lib, paths)


def secret_nowhere_on_disk(home: Path, secret: str) -> None:
    for path in home.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path


@pytest.fixture
def no_keychain():
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(previous)


def test_cli_folder_setup_sync_and_status(isolated_home: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["sync"]) == 1
    assert "not set up" in capsys.readouterr().err
    assert run(["sync", "setup", "folder", str(tmp_path / "shared")]) == 0
    assert "sync set up" in capsys.readouterr().out
    lib = Library(isolated_home / "library.sqlite3")
    lib.merge_records([record(1)])
    lib.close()
    assert run(["sync"]) == 0
    out = capsys.readouterr().out
    assert "pushed 1 change(s) in 1 batch(es)" in out and "pulled 0 change(s)" in out
    assert run(["sync", "status"]) == 0
    out = capsys.readouterr().out
    assert f"remote: folder {tmp_path / 'shared'}" in out and "waiting to be sent: 0" in out
    assert run(["sync", "status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["transport"] == "folder"
    config = json.loads((isolated_home / "config.json").read_text())
    assert config["sync"] == {"transport": "folder", "path": str(tmp_path / "shared"),
                              "encrypt": False, "pdfs": False}


def test_two_homes_sync_through_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    shared = tmp_path / "shared"
    for name in ("laptop", "desktop"):
        monkeypatch.setenv("READINGLIST_HOME", str(tmp_path / name))
        assert run(["sync", "setup", "folder", str(shared)]) == 0
    monkeypatch.setenv("READINGLIST_HOME", str(tmp_path / "laptop"))
    lib = Library(tmp_path / "laptop" / "library.sqlite3")
    lib.merge_records([record(1)])
    lib.tag([KEY], add=["train"])
    lib.close()
    assert run(["sync"]) == 0
    monkeypatch.setenv("READINGLIST_HOME", str(tmp_path / "desktop"))
    capsys.readouterr()
    assert run(["sync", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["pulled_total"] == 2
    desktop = Library(tmp_path / "desktop" / "library.sqlite3")
    assert list(desktop.list(view="all")[0].tags) == ["train"]
    desktop.close()


def test_webdav_setup_keeps_the_password_in_the_keychain_only(
        dav: tuple[str, Path], isolated_home: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    url, _ = dav
    monkeypatch.setattr("sys.stdin", io.StringIO("secret\n"))
    assert run(["sync", "setup", "webdav", url, "--user", "alice", "--password-stdin"]) == 0
    assert "keychain" in capsys.readouterr().out
    assert keyring.get_password("readinglist", f"{url}|alice") == "secret"
    lib = Library(isolated_home / "library.sqlite3")
    lib.merge_records([record(1)])
    lib.close()
    assert run(["sync"]) == 0
    assert "pushed 1 change(s)" in capsys.readouterr().out
    config = json.loads((isolated_home / "config.json").read_text())
    assert config["sync"] == {"transport": "webdav", "url": url, "user": "alice",
                              "encrypt": False, "pdfs": False}
    secret_nowhere_on_disk(isolated_home, "secret")


def test_wrong_password_at_setup_saves_nothing(dav: tuple[str, Path], isolated_home: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    url, _ = dav
    monkeypatch.setattr("sys.stdin", io.StringIO("guess\n"))
    assert run(["sync", "setup", "webdav", url, "--user", "alice", "--password-stdin"]) == 1
    assert "refused the user name or password" in capsys.readouterr().err
    assert keyring.get_password("readinglist", f"{url}|alice") is None
    assert Settings.load(isolated_home / "config.json").sync == {}


def test_no_keychain_is_said_plainly_and_nothing_is_stored(
        dav: tuple[str, Path], isolated_home: Path, no_keychain: None,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    url, _ = dav
    monkeypatch.setattr("sys.stdin", io.StringIO("secret\n"))
    assert run(["sync", "setup", "webdav", url, "--user", "alice", "--password-stdin"]) == 1
    err = capsys.readouterr().err
    assert "no keychain available" in err and "READINGLIST_WEBDAV_PASSWORD" in err
    assert "Traceback" not in err
    assert Settings.load(isolated_home / "config.json").sync == {}
    secret_nowhere_on_disk(isolated_home, "secret")
    secret_nowhere_on_disk(Path(os.environ["XDG_DATA_HOME"]).parent, "secret\n")


def test_headless_password_from_the_environment(
        dav: tuple[str, Path], isolated_home: Path, no_keychain: None,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    url, _ = dav
    monkeypatch.setenv("READINGLIST_WEBDAV_PASSWORD", "secret")
    assert run(["sync", "setup", "webdav", url, "--user", "alice"]) == 0
    assert run(["sync"]) == 0
    assert "pushed 0 change(s)" in capsys.readouterr().out
    secret_nowhere_on_disk(isolated_home, "secret")
    monkeypatch.delenv("READINGLIST_WEBDAV_PASSWORD")
    assert run(["sync"]) == 1
    assert "no keychain available" in capsys.readouterr().err


def test_credentials_facade_round_trip() -> None:
    account = credentials.password_account("https://dav.example.org/s/", "bob")
    assert account == "https://dav.example.org/s/|bob"
    assert credentials.load(account) is None
    credentials.save(account, "pw")
    assert credentials.load(account) == "pw"
    credentials.forget(account)
    assert credentials.load(account) is None


def test_encrypted_setup_needs_the_same_passphrase_everywhere(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    shared = tmp_path / "shared"
    monkeypatch.setenv("READINGLIST_HOME", str(tmp_path / "one"))
    monkeypatch.setenv("READINGLIST_SYNC_PASSPHRASE", "right")
    assert run(["sync", "setup", "folder", str(shared), "--encrypt"]) == 0
    monkeypatch.setenv("READINGLIST_HOME", str(tmp_path / "two"))
    monkeypatch.setenv("READINGLIST_SYNC_PASSPHRASE", "wrong")
    before = sorted(p.name for p in shared.rglob("*"))
    assert run(["sync", "setup", "folder", str(shared), "--encrypt"]) == 1
    assert "wrong passphrase" in capsys.readouterr().err
    assert sorted(p.name for p in shared.rglob("*")) == before
    monkeypatch.setenv("READINGLIST_SYNC_PASSPHRASE", "right")
    assert run(["sync", "setup", "folder", str(shared), "--encrypt"]) == 0
    monkeypatch.delenv("READINGLIST_SYNC_PASSPHRASE")
    assert run(["sync"]) == 0  # the passphrase now comes from the keychain
    config = (tmp_path / "two" / "config.json").read_text()
    assert "right" not in config


def test_service_from_worker_threads_and_status(tmp_path: Path) -> None:
    lib_a, service_a = service_for(tmp_path / "a")
    lib_b, service_b = service_for(tmp_path / "b")
    with pytest.raises(NotConfiguredError):
        service_a.sync_once()
    assert not service_a.status().configured
    service_a.setup_folder(tmp_path / "shared")
    service_b.setup_folder(tmp_path / "shared")
    lib_a.merge_records([record(i) for i in range(1, 4)])
    assert service_a.status().pending == 3
    errors: list[BaseException] = []

    def worker(service: SyncService) -> None:
        try:
            for _ in range(3):
                service.sync_once()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(s,)) for s in (service_a, service_b,
                                                                     service_a)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    service_b.sync_once()
    assert canonical(lib_a) == canonical(lib_b)
    status = service_a.status()
    assert status.pending == 0 and status.last_sync and status.last_error is None
    assert lib_b.device_id not in status.devices or status.devices[lib_b.device_id] == 0
    lib_a.close()
    lib_b.close()


def test_changing_location_starts_over_there(tmp_path: Path) -> None:
    lib, service = service_for(tmp_path / "home")
    service.setup_folder(tmp_path / "first")
    lib.merge_records([record(1)])
    service.sync_once()
    service.setup_folder(tmp_path / "second")
    report = service.sync_once()
    assert report.pushed == 1  # everything is published again at the new place
    assert service.status().location == str(tmp_path / "second")
    lib.close()


def test_setup_again_confirms_a_replaced_remote(tmp_path: Path) -> None:
    import shutil

    from readinglist.sync.storage_api import RemoteMissingError

    lib, service = service_for(tmp_path / "home")
    service.setup_folder(tmp_path / "shared")
    lib.merge_records([record(1)])
    service.sync_once()
    shutil.rmtree(tmp_path / "shared")
    with pytest.raises(RemoteMissingError):
        service.sync_once()
    assert "Nothing was deleted" in service.status().last_error
    service.setup_folder(tmp_path / "shared")  # the user confirms: start over there
    assert service.sync_once().pushed == 1
    assert len(lib.list(view="all")) == 1
    service.setup_folder(tmp_path / "shared")  # same place, same root: nothing re-sent
    assert service.sync_once().pushed == 0
    lib.close()


def test_cli_lists_devices_and_forgets_a_retired_one(isolated_home: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    shared = tmp_path / "shared"
    other, other_sync = service_for(tmp_path / "laptop")
    other_sync.setup_folder(shared)
    other_sync.sync_once()
    assert run(["sync", "setup", "folder", str(shared)]) == 0
    assert run(["sync"]) == 0
    capsys.readouterr()
    assert run(["sync", "devices", "--json"]) == 0
    devices = {d["device_id"]: d for d in json.loads(capsys.readouterr().out)}
    here = Library(isolated_home / "library.sqlite3")
    assert set(devices) == {other.device_id, here.device_id}
    here.close()
    assert devices[other.device_id]["active"] and not devices[other.device_id]["this_device"]
    assert run(["sync", "devices"]) == 0
    assert "(this device)" in capsys.readouterr().out
    assert run(["sync", "forget", other.device_id.upper()]) == 0
    assert "compaction no longer waits" in capsys.readouterr().out
    assert run(["sync", "forget", other.device_id]) == 1
    assert "no device" in capsys.readouterr().err
    assert run(["sync", "forget", "not-a-device"]) == 1
    assert "not a device id" in capsys.readouterr().err
    assert run(["sync", "devices", "--json"]) == 0
    assert other.device_id not in {d["device_id"] for d in json.loads(capsys.readouterr().out)}
    other.close()


def test_sync_off_stops_syncing_forgets_secrets_and_on_again_continues(
        isolated_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READINGLIST_SYNC_PASSPHRASE", "correct horse battery")
    shared = tmp_path / "shared"
    assert run(["sync", "setup", "folder", str(shared), "--encrypt"]) == 0
    lib = Library(isolated_home / "library.sqlite3")
    lib.merge_records([record(1)])
    lib.close()
    assert run(["sync"]) == 0
    capsys.readouterr()
    monkeypatch.delenv("READINGLIST_SYNC_PASSPHRASE")
    account = credentials.passphrase_account(str(shared.resolve()))
    assert credentials.load(account, env="READINGLIST_SYNC_PASSPHRASE") == "correct horse battery"

    assert run(["sync", "off"]) == 0
    assert "sync is off" in capsys.readouterr().out
    assert credentials.load(account, env="READINGLIST_SYNC_PASSPHRASE") is None
    assert run(["sync"]) == 1 and "not set up" in capsys.readouterr().err
    assert run(["sync", "off"]) == 0 and "was not set up" in capsys.readouterr().out

    monkeypatch.setenv("READINGLIST_SYNC_PASSPHRASE", "correct horse battery")
    assert run(["sync", "setup", "folder", str(shared), "--encrypt"]) == 0
    assert run(["sync"]) == 0
    out = capsys.readouterr().out
    assert "pushed 0 change(s)" in out  # continued: nothing sent twice


def test_setup_against_an_unreachable_or_misaddressed_server_says_nothing_was_set_up(
        isolated_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    from tests.sync.conftest import start_dav

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("READINGLIST_WEBDAV_PASSWORD", "secret")
    assert run(["sync", "setup", "webdav", f"http://127.0.0.1:{port}/dav/", "--user",
                "alice"]) == 1
    err = capsys.readouterr().err
    assert "nothing was set up" in err and "will retry" not in err
    root = tmp_path / "dav"
    root.mkdir()
    server, thread, url = start_dav(root)
    try:
        assert run(["sync", "setup", "webdav", f"{url}/missing/readinglist/", "--user",
                    "alice"]) == 1
        err = capsys.readouterr().err
        assert "does not exist on the WebDAV server (HTTP 409)" in err, err
    finally:
        server.stop()
        thread.join(timeout=5)
    assert run(["sync", "status"]) == 0
    assert "not set up" in capsys.readouterr().out


def test_headless_encrypted_setup_takes_the_passphrase_from_the_environment(
        isolated_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, no_keychain) -> None:
    monkeypatch.setenv("READINGLIST_SYNC_PASSPHRASE", "from the environment")
    assert run(["sync", "setup", "folder", str(tmp_path / "shared"), "--encrypt"]) == 0, \
        capsys.readouterr().err
    lib = Library(isolated_home / "library.sqlite3")
    lib.merge_records([record(1)])
    lib.close()
    code = run(["sync"])
    assert code == 0, capsys.readouterr().err
    assert "pushed 1 change(s)" in capsys.readouterr().out
