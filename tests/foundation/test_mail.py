"""``mail setup`` and ``digest --mail`` against a real SMTP server on 127.0.0.1; the password
lives in the (real, file-backed test) keyring only."""

from __future__ import annotations

import dataclasses
import email
import email.policy
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import keyring
import pytest

from readinglist.cli.main import run
from readinglist.services.library import Library
from tests.foundation.factories import record
from tests.helpers.smtpserver import SmtpServer


@pytest.fixture
def smtp():
    server = SmtpServer(user="ana", password="s3cret pass").start()
    yield server
    server.stop()


@pytest.fixture
def new_papers(library: Library) -> Library:
    now = datetime.now(UTC)
    library.merge_records([
        dataclasses.replace(record("2611.00001", title="Okapi <b>stripes</b>", hf_upvotes=9),
                            seen_at=now - timedelta(hours=2)),
        dataclasses.replace(record("2611.00002", title="Giraffes"), seen_at=now)])
    library.close()
    return library


def setup(capsys, monkeypatch, smtp: SmtpServer, *extra: str) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret pass\n"))
    code = run(["mail", "setup", "127.0.0.1", "--port", str(smtp.port), "--security", "none",
                "--to", "me@example.org", "--user", "ana", "--password-stdin", *extra])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_digest_is_mailed_with_a_text_and_an_html_part(capsys, monkeypatch, smtp,
                                                           new_papers, isolated_home: Path):
    code, out, _ = setup(capsys, monkeypatch, smtp)
    assert code == 0 and "password kept in the keychain" in out
    config = (isolated_home / "config.json").read_text(encoding="utf-8")
    assert "s3cret" not in config  # the password is only in the keyring
    assert json.loads(config)["mail"]["to"] == "me@example.org"
    assert keyring.get_password("readinglist", "smtp:127.0.0.1|ana") == "s3cret pass"

    assert run(["digest", "--mail"]) == 0
    assert capsys.readouterr().out == "mailed 2 papers to me@example.org\n"
    [received] = smtp.messages
    assert received.login == ("ana", "s3cret pass")
    assert received.recipients == ["me@example.org"]
    message = email.message_from_bytes(received.data, policy=email.policy.default)
    assert message["Subject"] == "readinglist: 2 new papers — Okapi <b>stripes</b>"
    parts = {part.get_content_type(): part.get_payload(decode=True).decode()
             for part in message.walk() if not part.is_multipart()}
    assert set(parts) == {"text/plain", "text/html"}
    assert r"Okapi \<b\>stripes\</b\>" in parts["text/plain"]
    assert "Okapi &lt;b&gt;stripes&lt;/b&gt;" in parts["text/html"]


def test_status_and_forget(capsys, monkeypatch, smtp, isolated_home: Path):
    setup(capsys, monkeypatch, smtp)
    assert run(["mail", "status"]) == 0
    assert capsys.readouterr().out == (f"to me@example.org from me@example.org through "
                                       f"127.0.0.1:{smtp.port} (none) as ana\n")
    assert run(["mail", "forget"]) == 0
    capsys.readouterr()
    assert keyring.get_password("readinglist", "smtp:127.0.0.1|ana") is None
    assert run(["digest", "--mail"]) == 1
    assert "mail is not set up" in capsys.readouterr().err


@pytest.mark.parametrize(("change", "message"), [
    ({"password": "wrong"}, "refused the login for ana"),
    ({"refuse": {"me@example.org"}}, "refused the address me@example.org"),
])
def test_refusals_are_clear_errors(capsys, monkeypatch, smtp, new_papers, change, message):
    setup(capsys, monkeypatch, smtp)
    for name, value in change.items():
        setattr(smtp, name, value)
    assert run(["digest", "--mail"]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert smtp.messages == []


def test_an_unreachable_server_is_a_clear_error(capsys, monkeypatch, smtp, new_papers):
    setup(capsys, monkeypatch, smtp)
    smtp.stop()
    assert run(["digest", "--mail"]) == 1
    assert f"cannot reach 127.0.0.1:{smtp.port}" in capsys.readouterr().err


def test_bad_setup_input(capsys):
    assert run(["mail", "setup", "smtp.example.org", "--to", "not an address"]) == 1
    assert "not an e-mail address: 'not an address'" in capsys.readouterr().err
    assert run(["config", "mail", "x"]) == 1
    assert "mail is set with 'readinglist mail setup'" in capsys.readouterr().err


def test_a_password_over_an_unencrypted_connection_is_warned_about(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("pw\n"))
    assert run(["mail", "setup", "smtp.example.org", "--security", "none", "--to",
                "me@example.org", "--user", "ana", "--password-stdin"]) == 0
    assert "travels to smtp.example.org unencrypted" in capsys.readouterr().err


def test_nothing_new_sends_nothing_and_mail_test_sends_a_test(capsys, monkeypatch, smtp,
                                                            library):
    setup(capsys, monkeypatch, smtp)
    assert run(["digest", "--mail"]) == 0
    assert capsys.readouterr().out == "no new papers: nothing mailed\n"
    assert smtp.messages == []
    assert run(["mail", "test"]) == 0
    assert capsys.readouterr().out == "test message sent to me@example.org\n"
    message = email.message_from_bytes(smtp.messages[0].data, policy=email.policy.default)
    assert message["Subject"] == "readinglist: test message"
