"""A real SMTP server on 127.0.0.1 for tests: enough of RFC 5321 (EHLO, AUTH PLAIN, MAIL,
RCPT, DATA, RSET, QUIT) for ``smtplib`` to deliver to it; it keeps what it received."""

from __future__ import annotations

import base64
import socketserver
import threading
from dataclasses import dataclass, field


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes
    login: tuple[str, str] | None


@dataclass
class SmtpServer:
    """``SmtpServer(user="me", password="pw").start()``; ``port``; ``messages``."""

    user: str | None = None
    password: str | None = None
    refuse: set[str] = field(default_factory=set)  # recipients answered with 550
    messages: list[Received] = field(default_factory=list)

    def start(self) -> "SmtpServer":
        owner = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(line.encode() + b"\r\n")

            def handle(self) -> None:
                self.reply("220 localhost test SMTP")
                login: tuple[str, str] | None = None
                sender, recipients = "", []
                while True:
                    raw = self.rfile.readline()
                    if not raw:
                        return
                    line = raw.decode().rstrip("\r\n")
                    verb = line.split(" ", 1)[0].upper()
                    if verb == "EHLO":
                        self.reply("250-localhost")
                        self.reply("250 AUTH PLAIN")
                    elif verb == "HELO":
                        self.reply("250 localhost")
                    elif verb == "AUTH":
                        parts = line.split(" ")
                        token = parts[2] if len(parts) > 2 else ""
                        _, user, password = base64.b64decode(token).decode().split("\0")
                        if (user, password) == (owner.user, owner.password):
                            login = (user, password)
                            self.reply("235 2.7.0 Authentication successful")
                        else:
                            self.reply("535 5.7.8 Authentication credentials invalid")
                    elif verb == "MAIL":
                        if owner.user and login is None:
                            self.reply("530 5.7.0 Authentication required")
                            continue
                        sender = line.split(":", 1)[1].strip().split(" ")[0].strip("<>")
                        recipients = []
                        self.reply("250 OK")
                    elif verb == "RCPT":
                        address = line.split(":", 1)[1].strip().strip("<>")
                        if address in owner.refuse:
                            self.reply("550 5.1.1 No such user")
                        else:
                            recipients.append(address)
                            self.reply("250 OK")
                    elif verb == "DATA":
                        self.reply("354 End data with <CR><LF>.<CR><LF>")
                        body = []
                        while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                            body.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                        owner.messages.append(Received(sender, recipients, b"".join(body),
                                                       login))
                        self.reply("250 OK queued")
                    elif verb in ("RSET", "NOOP"):
                        self.reply("250 OK")
                    elif verb == "QUIT":
                        self.reply("221 Bye")
                        return
                    else:
                        self.reply("502 Command not implemented")

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
