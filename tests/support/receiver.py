"""A real HTTP server on loopback that records what it is sent (webhook deliveries, SMS
provider calls) and answers as a test tells it: a status, a delay, a redirect."""

import asyncio
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    status: int
    """What it was answered."""
    at: float
    """When it arrived (time.perf_counter)."""


@dataclass
class Receiver:
    status: int = 200
    delay: float = 0.0
    """Seconds before answering (a slow endpoint)."""
    location: str | None = None
    """Sent as Location (with a 3xx status)."""
    answer: bytes = b"ok"
    received: list[Received] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> "Receiver":
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                receiver.received.append(Received(self.path, headers, body, receiver.status, time.perf_counter()))
                if receiver.delay:
                    time.sleep(receiver.delay)
                try:
                    self.send_response(receiver.status)
                    if receiver.location:
                        self.send_header("location", receiver.location)
                    self.send_header("content-length", str(len(receiver.answer)))
                    self.end_headers()
                    self.wfile.write(receiver.answer)
                except OSError:
                    pass  # the caller gave up waiting

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    async def wait_for(self, count: int, timeout: float = 10) -> list[Received]:
        """Waits until at least `count` requests came; returns them all."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"received {len(self.received)} requests, expected {count}")
            await asyncio.sleep(0.05)
        return list(self.received)
