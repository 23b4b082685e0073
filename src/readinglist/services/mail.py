"""Mailing the digest through the user's own SMTP server — no server of ours.

The server, account and addresses live in ``config.json`` (``Settings.mail``); the password
only in the OS keychain (or ``READINGLIST_SMTP_PASSWORD`` for headless use), never in a file
or a log.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from dataclasses import asdict, dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from readinglist.core.errors import InputError, ReadinglistError
from readinglist.sync import credentials

PASSWORD_ENV = "READINGLIST_SMTP_PASSWORD"
SECURITY = ("starttls", "ssl", "none")
TIMEOUT_S = 30
_USUAL_PORTS = "ssl is usually port 465, starttls 587"


class MailError(ReadinglistError):
    """The digest could not be sent (server unreachable, refused login, refused address)."""


@dataclass(frozen=True, slots=True)
class MailSettings:
    """Where the digest goes and through which server (no password here)."""

    host: str
    to: str
    port: int = 587
    security: str = "starttls"
    user: str = ""
    sender: str = ""

    @classmethod
    def from_config(cls, data: dict[str, Any]) -> MailSettings | None:
        """From ``Settings.mail``; None when mail is not set up."""
        if not data.get("host") or not data.get("to"):
            return None
        return cls(str(data["host"]), str(data["to"]), int(data.get("port") or 587),
                   str(data.get("security") or "starttls"), str(data.get("user") or ""),
                   str(data.get("sender") or ""))

    def to_config(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def account(self) -> str:
        return f"smtp:{self.host}|{self.user}"


def configured(data: dict[str, Any]) -> MailSettings:
    """The mail settings from ``Settings.mail``.

    Raises:
        InputError: mail is not set up.
    """
    settings = MailSettings.from_config(data)
    if settings is None:
        raise InputError("mail is not set up: readinglist mail setup HOST --to ADDRESS")
    return settings


def checked(host: str, to: str, port: int | None, security: str, user: str,
            sender: str) -> MailSettings:
    """Settings from user input, or a clear ``InputError``."""
    if security not in SECURITY:
        raise InputError(f"--security takes {' | '.join(SECURITY)}, not {security!r}")
    for address in filter(None, (to, sender)):
        if "@" not in address or any(c.isspace() for c in address):
            raise InputError(f"not an e-mail address: {address!r}")
    port = port or (465 if security == "ssl" else 587 if security == "starttls" else 25)
    if not 1 <= port <= 65535:
        raise InputError(f"not a port: {port}")
    return MailSettings(host.strip(), to, port, security, user, sender or to)


def save_password(settings: MailSettings, password: str) -> None:
    """Keep the SMTP password in the keychain (raises when there is none)."""
    credentials.save(settings.account, password, what="SMTP password", env=PASSWORD_ENV)


def forget_password(settings: MailSettings) -> None:
    credentials.forget(settings.account)


def build_message(settings: MailSettings, subject: str, text: str, html: str) -> EmailMessage:
    """A plain-text message with an HTML alternative."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = settings.sender or settings.to
    message["To"] = settings.to
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="readinglist.local")
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def send(settings: MailSettings, message: EmailMessage) -> None:
    """Deliver ``message``.

    Raises:
        MailError: the server cannot be reached, refuses the login or the addresses.
    """
    password = None
    if settings.user:
        password = credentials.load(settings.account, env=PASSWORD_ENV, what="SMTP password")
        if password is None:
            raise MailError(f"no SMTP password for {settings.user} in the keychain; run "
                            "'readinglist mail setup' again")
    context = ssl.create_default_context()
    try:
        if settings.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port,
                                                    timeout=TIMEOUT_S, context=context)
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_S)
        with client:
            if settings.security == "starttls":
                client.starttls(context=context)
            if settings.user and password is not None:
                client.login(settings.user, password)
            client.send_message(message)
    except smtplib.SMTPAuthenticationError:
        raise MailError(f"{settings.host} refused the login for {settings.user} (check the "
                        "password with 'readinglist mail setup')") from None
    except smtplib.SMTPRecipientsRefused:
        raise MailError(f"{settings.host} refused the address {settings.to}") from None
    except smtplib.SMTPNotSupportedError as error:
        raise MailError(f"{settings.host} does not support that ({error}); try another "
                        "--security") from None
    except smtplib.SMTPServerDisconnected as error:  # also a greeting that never came
        raise MailError(f"{settings.host}:{settings.port} closed the connection ({error}); "
                        f"check --port and --security ({_USUAL_PORTS})") from None
    except ssl.SSLCertVerificationError as error:
        raise MailError(f"the certificate of {settings.host} was not accepted: "
                        f"{error.verify_message}") from None
    except ssl.SSLError as error:
        raise MailError(f"no TLS connection with {settings.host}:{settings.port} "
                        f"({error.reason or error}); check --port and --security "
                        f"({_USUAL_PORTS})") from None
    except smtplib.SMTPException as error:
        raise MailError(f"{settings.host} refused the message: {error}") from None
    except (socket.timeout, TimeoutError):
        raise MailError(f"{settings.host}:{settings.port} did not answer in {TIMEOUT_S} s") \
            from None
    except OSError as error:
        raise MailError(f"cannot reach {settings.host}:{settings.port} "
                        f"({error.strerror or error})") from None
