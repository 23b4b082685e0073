"""A real HTTP server on 127.0.0.1 for tests: routes map a path to canned or computed responses."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    """What the server received."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    time: float


@dataclass
class Response:
    """What to send back. ``delay`` stalls before answering; ``chunks`` streams the body."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    truncate_at: int | None = None  # close the connection after this many body bytes


Handler = Callable[[Request], Response]


class _QuietServer(ThreadingHTTPServer):
    """A client closing its keep-alive connection (a reset while the server waits for the
    next request) is normal at the end of a test, not an error to print."""

    def handle_error(self, request: object, client_address: object) -> None:
        import sys

        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class TestServer:
    """Start with ``TestServer().start()``; ``url`` is the base address; ``requests`` the log."""

    __test__ = False

    def __init__(self) -> None:
        self.routes: dict[str, Handler | list[Response] | Response] = {}
        self.requests: list[Request] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def route(self, path: str, response: Handler | list[Response] | Response) -> None:
        """Serve ``response`` at ``path`` (a list is served in order, the last one repeating)."""
        self.routes[path] = response

    def _respond(self, request: Request) -> Response:
        target = self.routes.get(request.path)
        if target is None:
            return Response(404, b"not found", {"Content-Type": "text/plain"})
        if isinstance(target, Response):
            return target
        if isinstance(target, list):
            return target.pop(0) if len(target) > 1 else target[0]
        return target(request)

    def start(self) -> "TestServer":
        server_self = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # silence
                pass

            def _handle(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = Request(self.command, parts.path, parse_qs(parts.query),
                                  {k.lower(): v for k, v in self.headers.items()}, body,
                                  time.monotonic())
                server_self.requests.append(request)
                response = server_self._respond(request)
                if response.delay:
                    time.sleep(response.delay)
                try:
                    self.send_response(response.status)
                    headers = {"Content-Length": str(len(response.body)), **response.headers}
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    if self.command != "HEAD":
                        data = response.body
                        if response.truncate_at is not None:
                            self.wfile.write(data[:response.truncate_at])
                            self.wfile.flush()
                            self.close_connection = True
                            return
                        self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = do_HEAD = do_PUT = _handle

        self._server = _QuietServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
