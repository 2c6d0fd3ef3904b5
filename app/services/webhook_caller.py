"""Calls a webhook endpoint as an attacker-chosen address deserves: its name resolved here and
every address checked (public, or in WEBHOOK_ALLOWED_NETWORKS), the connection made to the
address checked (no second lookup for a rebinding name to change), no redirect followed, the
whole exchange within WEBHOOK_TIMEOUT_SECONDS and at most 64 KiB of the answer read."""

import asyncio
import ipaddress
import socket
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from app.domain.errors import InvalidInput
from app.domain.webhooks import MAX_RESPONSE_BYTES, answered_well, check_addresses

Networks = Sequence[ipaddress.IPv4Network | ipaddress.IPv6Network]


@dataclass(frozen=True)
class Answer:
    status_code: int | None
    """None: no answer (refused address, timeout, connection error)."""
    latency_ms: int
    error: str | None
    """Why there was no answer (or why it does not count: a redirect)."""

    @property
    def failure(self) -> str | None:
        """Why the endpoint did not receive it; None when it answered 2xx."""
        if self.error is None and self.status_code is not None and answered_well(self.status_code):
            return None
        return self.error or f"answered {self.status_code}"


class WebhookCaller:
    def __init__(self, allowed: Networks, timeout_seconds: float) -> None:
        self.allowed = allowed
        self.timeout = timeout_seconds
        self._client: httpx.AsyncClient | None = None

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                follow_redirects=False, trust_env=False, timeout=httpx.Timeout(self.timeout)
            )
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> Answer:
        started = time.perf_counter()
        status: int | None = None
        error: str | None = None
        try:
            async with asyncio.timeout(self.timeout):
                status = await self._exchange(url, body, headers)
            if 300 <= status < 400:
                error = f"answered {status}, a redirect: not followed"
        except TimeoutError:
            error = f"no answer within {self.timeout:g} s"
        except InvalidInput as exc:
            error = exc.message
        except (httpx.HTTPError, OSError) as exc:
            error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        latency_ms = round((time.perf_counter() - started) * 1000)
        return Answer(status, latency_ms, error)

    async def _exchange(self, url: str, body: bytes, headers: Mapping[str, str]) -> int:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found]
        if not addresses:
            raise InvalidInput(f"{host} has no address")
        check_addresses(addresses, self.allowed)
        pinned = addresses[0]
        netloc = f"[{pinned}]:{port}" if pinned.version == 6 else f"{pinned}:{port}"
        request = self._http().build_request(
            "POST",
            parts._replace(netloc=netloc).geturl(),
            content=body,
            headers={**headers, "host": parts.netloc},
            extensions={"sni_hostname": host} if parts.scheme == "https" else {},
        )
        response = await self._http().send(request, stream=True)
        try:
            read = 0
            async for chunk in response.aiter_raw():
                read += len(chunk)
                if read >= MAX_RESPONSE_BYTES:
                    break
        finally:
            await response.aclose()
        return response.status_code
