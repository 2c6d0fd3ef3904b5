"""The SMTP connection behind e-mail out (aiosmtplib), behind a small interface."""

from email.message import EmailMessage
from typing import Protocol
from urllib.parse import unquote, urlsplit

import aiosmtplib

SMTP_TIMEOUT_SECONDS = 10


class Mailer(Protocol):
    async def send(self, message: EmailMessage) -> None: ...

    async def ping(self) -> bool: ...


class SmtpMailer:
    """`smtp://[user:password@]host[:port]` (STARTTLS when offered) or `smtps://…` (TLS)."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.hostname = parts.hostname or "localhost"
        self.use_tls = parts.scheme == "smtps"
        self.port = parts.port or (465 if self.use_tls else 25)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None

    async def send(self, message: EmailMessage) -> None:
        await aiosmtplib.send(
            message,
            hostname=self.hostname,
            port=self.port,
            username=self.username,
            password=self.password,
            use_tls=self.use_tls,
            timeout=SMTP_TIMEOUT_SECONDS,
        )

    async def ping(self) -> bool:
        client = aiosmtplib.SMTP(hostname=self.hostname, port=self.port, use_tls=self.use_tls, timeout=2)
        try:
            await client.connect()
            await client.noop()
            await client.quit()
        except (aiosmtplib.SMTPException, OSError):
            return False
        return True
