"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""

import asyncio
import email
import email.policy
import socket
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


class Mailbox:
    def __init__(self, port: int) -> None:
        self.port = port
        self.received: list[EmailMessage] = []
        self._controller: Controller | None = None

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.content if isinstance(envelope.content, bytes) else str(envelope.content).encode()
        message = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(message)
        return "250 OK"

    def start(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def probe(self) -> str | None:
        """Why the server cannot take mail, or None while it accepts connections."""
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
        except OSError as exc:
            return f"the tests' SMTP server on port {self.port} is not accepting connections ({exc})"
        return None

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.received if message["To"] == address]

    async def wait_for(self, address: str, count: int = 1, timeout: float = 10) -> list[EmailMessage]:
        """Waits until `address` has at least `count` messages; returns all of theirs."""
        deadline = asyncio.get_running_loop().time() + timeout
        while len(self.to(address)) < count:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"{address} got {len(self.to(address))} mails, expected {count}")
            await asyncio.sleep(0.05)
        return self.to(address)
