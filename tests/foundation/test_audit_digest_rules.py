"""Audit regressions: digest Markdown escaping, mail over STARTTLS / SSL / a closing server
(real local servers), secrets never in a keyring's plaintext fallback file, and the secrets of
a sync remote or mail server left behind being forgotten."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.policy
import io
import ipaddress
import socket
import socketserver
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyrings.alt.file import PlaintextKeyring

from readinglist.cli.main import run
from readinglist.services.config import Settings
from readinglist.services.digest import build_digest, md_escape, to_html, to_markdown
from readinglist.services.library import Library
from readinglist.services.mail import MailError, MailSettings, build_message, send
from readinglist.services.paths import library_paths
from readinglist.services.sync import SyncService
from readinglist.sync import credentials
from tests.foundation.factories import record

NOW = dt.datetime.now(dt.UTC)


# -- digest --------------------------------------------------------------------------------------


def test_digest_markdown_keeps_entities_closing_hashes_and_line_breaks_as_text(
        library: Library) -> None:
    titles = {"2611.00001": "Escaping &lt;b&gt; and &#60; entities at AT&T",
              "2611.00002": "Is C# the answer? ##",
              "2611.00003": "A title that wraps\n  - onto a list line\n  # and a heading"}
    library.merge_records([dataclasses.replace(record(key, title=title), seen_at=NOW)
                           for key, title in titles.items()])
    digest = build_digest(library, NOW - dt.timedelta(days=1))
    headings = [line for line in to_markdown(digest).splitlines() if line.startswith("## ")]
    by_number = {line.split(". ", 1)[1] for line in headings}
    # "&lt;" would render as "<"; a plain "&" needs nothing
    assert r"Escaping \&lt;b\&gt; and \&#60; entities at AT&T" in by_number
    assert r"Is C# the answer? \##" in by_number  # else a closing sequence: "##" vanishes
    assert r"A title that wraps - onto a list line # and a heading" in by_number
    assert len(headings) == 3 and not any(line.startswith(("  -", "  #"))
                                          for line in to_markdown(digest).splitlines())
    page = to_html(digest)
    assert "Escaping &amp;lt;b&amp;gt; and &amp;#60; entities at AT&amp;T" in page
    assert md_escape("one\n- two\n3. three") == "one\n\\- two\n3\\. three"


# -- mail over TLS, and servers that misbehave ---------------------------------------------------


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost / 127.0.0.1 (also its own CA)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(NOW - dt.timedelta(days=1))
            .not_valid_after(NOW + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class TlsSmtpServer:
    """A real SMTP server on 127.0.0.1: ``mode`` is ``starttls``, ``ssl`` (implicit TLS) or
    ``close`` (plain, hangs up at MAIL FROM). Logs in ana / pw with AUTH PLAIN."""

    def __init__(self, mode: str, cert: Path, key: Path) -> None:
        self.mode = mode
        self.messages: list[bytes] = []
        self.logins: list[bool] = []
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        owner = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                sock: socket.socket = self.request
                if owner.mode == "ssl":
                    sock = context.wrap_socket(sock, server_side=True)
                stream = sock.makefile("rwb")

                def reply(line: str) -> None:
                    stream.write(line.encode() + b"\r\n")
                    stream.flush()

                reply("220 localhost test SMTP")
                while line := stream.readline().decode().strip():
                    verb = line.split(" ")[0].upper()
                    if verb == "EHLO":
                        reply("250-localhost")
                        if owner.mode == "starttls" and not isinstance(sock, ssl.SSLSocket):
                            reply("250-STARTTLS")
                        reply("250 AUTH PLAIN")
                    elif verb == "STARTTLS":
                        reply("220 go ahead")
                        stream.close()
                        sock = context.wrap_socket(sock, server_side=True)
                        stream = sock.makefile("rwb")
                    elif verb == "AUTH":
                        ok = line.split(" ")[-1] == "AGFuYQBwdw=="  # \0ana\0pw
                        owner.logins.append(ok and isinstance(sock, ssl.SSLSocket))
                        reply("235 2.7.0 ok" if ok else "535 5.7.8 no")
                    elif verb == "MAIL" and owner.mode == "close":
                        sock.shutdown(socket.SHUT_RDWR)
                        return
                    elif verb == "DATA":
                        reply("354 go ahead")
                        body = []
                        while (chunk := stream.readline()) not in (b".\r\n", b""):
                            body.append(chunk)
                        owner.messages.append(b"".join(body))
                        reply("250 queued")
                    elif verb == "QUIT":
                        reply("221 bye")
                        return
                    else:
                        reply("250 OK")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def tls_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    cert, key = _certificate(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the system CA store, as far as ssl knows
    return cert, key


@pytest.fixture
def servers(tls_files: tuple[Path, Path]) -> Iterator[dict[str, TlsSmtpServer]]:
    running = {mode: TlsSmtpServer(mode, *tls_files) for mode in ("starttls", "ssl", "close")}
    yield running
    for server in running.values():
        server.stop()


def _send(server: TlsSmtpServer, security: str, host: str = "127.0.0.1") -> None:
    settings = MailSettings(host, "me@example.org", server.port, security, "ana",
                            "me@example.org")
    send(settings, build_message(settings, "readinglist: 1 new paper", "text", "<p>html</p>"))


def test_mail_over_starttls_and_ssl_logs_in_encrypted(servers: dict[str, TlsSmtpServer],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READINGLIST_SMTP_PASSWORD", "pw")
    for mode in ("starttls", "ssl"):
        _send(servers[mode], mode)
        [raw] = servers[mode].messages
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert message["Subject"] == "readinglist: 1 new paper"
        assert servers[mode].logins == [True]  # the password went over TLS only


def test_mail_failures_say_what_to_check(servers: dict[str, TlsSmtpServer],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READINGLIST_SMTP_PASSWORD", "pw")
    with pytest.raises(MailError, match=r"no TLS connection with 127\.0\.0\.1:\d+ .*--security"):
        _send(servers["starttls"], "ssl")  # implicit TLS against a STARTTLS port
    with pytest.raises(MailError, match=r"closed the connection .*check --port and --security"):
        _send(servers["close"], "none")
    assert servers["close"].messages == []
    monkeypatch.delenv("SSL_CERT_FILE")  # the self-signed certificate is no longer trusted
    with pytest.raises(MailError, match="the certificate of localhost was not accepted"):
        _send(servers["ssl"], "ssl", host="localhost")
    assert servers["ssl"].messages == []


def test_mail_setup_for_another_server_forgets_the_old_password(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("old pw\n"))
    assert run(["mail", "setup", "smtp.old.example", "--to", "me@example.org", "--user", "ana",
                "--password-stdin"]) == 0
    assert keyring.get_password("readinglist", "smtp:smtp.old.example|ana") == "old pw"
    monkeypatch.setattr("sys.stdin", io.StringIO("new pw\n"))
    assert run(["mail", "setup", "smtp.new.example", "--to", "me@example.org", "--user", "ana",
                "--password-stdin"]) == 0
    assert keyring.get_password("readinglist", "smtp:smtp.old.example|ana") is None
    assert keyring.get_password("readinglist", "smtp:smtp.new.example|ana") == "new pw"
    assert run(["mail", "forget"]) == 0
    assert keyring.get_password("readinglist", "smtp:smtp.new.example|ana") is None


# -- keychain ------------------------------------------------------------------------------------


@pytest.fixture
def fallback_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """What keyring picks by itself where no Secret Service runs and keyrings.alt is installed
    (as in the venv ``make run`` sets up): its plaintext file, chosen by no one."""
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND")
    previous = keyring.get_keyring()
    keyring.set_keyring(PlaintextKeyring())
    yield
    keyring.set_keyring(previous)


def test_a_plaintext_keyring_nobody_chose_is_not_used(
        fallback_keyring: None, dav_url: str, isolated_home: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("secret\n"))
    assert run(["sync", "setup", "webdav", dav_url, "--user", "alice",
                "--password-stdin"]) == 1
    err = capsys.readouterr().err
    assert "no keychain available" in err and "READINGLIST_WEBDAV_PASSWORD" in err
    monkeypatch.setattr("sys.stdin", io.StringIO("pw\n"))
    assert run(["mail", "setup", "smtp.example.org", "--to", "me@example.org", "--user", "ana",
                "--password-stdin"]) == 1
    assert "READINGLIST_SMTP_PASSWORD" in capsys.readouterr().err
    config = Settings.load(isolated_home / "config.json")
    assert config.sync == {} and config.mail == {}
    stored = [p for p in tmp_path.rglob("*") if p.is_file() and "python_keyring" in str(p)]
    assert stored == []
    # chosen on purpose (PYTHON_KEYRING_BACKEND or keyringrc.cfg), it is the user's call
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    monkeypatch.setattr("sys.stdin", io.StringIO("secret\n"))
    assert run(["sync", "setup", "webdav", dav_url, "--user", "alice",
                "--password-stdin"]) == 0


def test_switching_sync_remotes_forgets_the_secrets_of_the_old_one(
        dav_url: str, library: Library, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    service = SyncService(library, library_paths())
    service.setup_webdav(dav_url, "alice", "secret")
    account = credentials.password_account(dav_url, "alice")
    assert keyring.get_password("readinglist", account) == "secret"
    service.setup_webdav(dav_url, "alice", "secret")  # again, same account: kept
    assert keyring.get_password("readinglist", account) == "secret"
    service.setup_folder(tmp_path / "shared", passphrase="right horse")
    assert keyring.get_password("readinglist", account) is None
    phrase = credentials.passphrase_account(str(tmp_path / "shared"))
    assert keyring.get_password("readinglist", phrase) == "right horse"
    service.setup_folder(tmp_path / "other")
    assert keyring.get_password("readinglist", phrase) is None
    assert service.sync_once().pushed == 0


def test_a_rule_is_found_by_its_name_however_it_is_spaced(library) -> None:
    from readinglist.services.rules import RuleBook

    book = RuleBook(library)
    book.save("Vision  papers", "diffusion", ["star"])
    assert book.get("Vision papers").name == "Vision papers"
    book.delete("  Vision   papers ")
    assert book.all() == []
