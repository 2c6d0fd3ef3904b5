"""Webhooks: which addresses may be called, how a delivery is signed, when it is retried,
and when an endpoint that keeps failing is turned off (docs/outbound.md: Webhooks)."""

import hashlib
import hmac
import ipaddress
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit

from app.domain.errors import InvalidInput
from app.domain.meetings import TimelineEventType

MAX_URL_LENGTH = 2000
SECRET_LENGTHS = (24, 200)
SECRET_GRACE = timedelta(hours=24)
"""After a rotation, deliveries are signed with the old secret too for this long."""
SIGNATURE_TOLERANCE = timedelta(minutes=5)
"""What receivers should allow between a delivery's timestamp and their clock (README)."""
MAX_RESPONSE_BYTES = 64 * 1024
"""A receiver's answer is read up to this much, then the connection is closed."""

_PRIVATE_NAMES = ("localhost", ".localhost", ".local", ".internal", ".home.arpa")


class DeliveryStatus(StrEnum):
    PENDING = "PENDING"
    """Not sent yet, or being retried."""
    DELIVERED = "DELIVERED"
    """The endpoint answered 2xx."""
    FAILED = "FAILED"
    """Every attempt over a day failed."""
    SKIPPED = "SKIPPED"
    """The endpoint was disabled before it went."""


@dataclass(frozen=True)
class Subscription:
    """An active endpoint, as the process keeps it in memory to match changes against."""

    webhook_id: str
    owner_id: str
    owner_is_admin: bool
    events: frozenset[str] | None
    """None: every event type."""

    def hears(self, event: str, expert_id: str) -> bool:
        """Admins' endpoints hear every meeting; an expert's, their own meetings."""
        if self.events is not None and event not in self.events:
            return False
        return self.owner_is_admin or self.owner_id == expert_id


def check_events(events: Sequence[str] | None) -> list[str] | None:
    """The event types an endpoint hears, deduplicated; None (not given) means all."""
    if events is None:
        return None
    if not events:
        raise InvalidInput("name at least one event type, or leave events out to hear every type")
    known = {t.value for t in TimelineEventType}
    unknown = sorted(set(events) - known)
    if unknown:
        raise InvalidInput(f"unknown event types: {', '.join(unknown)}")
    return sorted(set(events))


def new_secret() -> str:
    """A secret made for an endpoint (at registration without one, and at each rotation)."""
    return f"whsec_{secrets.token_urlsafe(32)}"


def check_secret(secret: str) -> str:
    low, high = SECRET_LENGTHS
    if not low <= len(secret) <= high or not secret.isprintable() or secret != secret.strip():
        raise InvalidInput(f"a webhook secret is {low}-{high} printable characters, without surrounding spaces")
    return secret


def check_url(url: str, allowed: Sequence[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> str:
    """An http(s) address with a host, no credentials and no fragment; a host written as an
    address, or a name that is private by convention, must be public unless `allowed`.
    Names are resolved and checked again at each delivery (`check_addresses`)."""
    if len(url) > MAX_URL_LENGTH or any(c.isspace() or not c.isprintable() for c in url):
        raise InvalidInput(f"a webhook URL is at most {MAX_URL_LENGTH} characters, without spaces")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InvalidInput(f"not a URL: {exc}") from None
    if parts.scheme not in ("http", "https"):
        raise InvalidInput("a webhook URL starts with http:// or https://")
    host = parts.hostname
    if not host:
        raise InvalidInput("a webhook URL names a host")
    if parts.username is not None or parts.password is not None:
        raise InvalidInput("a webhook URL carries no user name or password (sign with the secret instead)")
    if parts.fragment:
        raise InvalidInput("a webhook URL has no #fragment")
    if port == 0:
        raise InvalidInput("a webhook URL's port is 1-65535")
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        name = host.rstrip(".")  # "localhost." is localhost
        if not allowed and (name == "localhost" or name.endswith(_PRIVATE_NAMES)):
            raise InvalidInput(f"{host} is a private name; webhooks call public addresses") from None
    else:
        check_addresses([literal], allowed)
    return url


def check_addresses(
    addresses: Iterable[ipaddress.IPv4Address | ipaddress.IPv6Address],
    allowed: Sequence[ipaddress.IPv4Network | ipaddress.IPv6Network],
) -> None:
    """Every address a host resolves to must be public (or in an allowed network): one private
    address among public ones is refused too, so round-robin names cannot smuggle one in."""
    for address in addresses:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if any(address in network for network in allowed):
            continue
        if not address.is_global or address.is_multicast:
            raise InvalidInput(f"{address} is not a public address; webhooks call public addresses")


def parse_networks(text: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """WEBHOOK_ALLOWED_NETWORKS: networks separated by commas (`127.0.0.0/8,10.0.0.0/8`)."""
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in text.split(",") if part.strip())


def signature(secrets: Sequence[str], timestamp: int, body: bytes) -> str:
    """`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>." + body>`, one v1 per secret in use."""
    signed = f"{timestamp}.".encode() + body
    parts = [f"t={timestamp}"]
    parts += [f"v1={hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()}" for secret in secrets]
    return ",".join(parts)


def secrets_in_use(secret: str, previous: str | None, previous_until: datetime | None, now: datetime) -> list[str]:
    """The current secret, and the one it replaced during its grace period."""
    if previous is not None and previous_until is not None and now < previous_until:
        return [secret, previous]
    return [secret]


def answered_well(status_code: int) -> bool:
    """2xx only: a redirect is not followed, so it does not count as received."""
    return 200 <= status_code < 300


def disable_now(failing_since: datetime | None, first_attempt_at: datetime | None) -> bool:
    """A delivery failed for good (a day of retries): the endpoint is turned off when nothing
    it was sent succeeded since that delivery's first attempt (a success clears
    `failing_since`, the next failure sets it again): it has failed for a day."""
    return failing_since is not None and first_attempt_at is not None and failing_since <= first_attempt_at


def event_id(meeting_id: str, version: int) -> str:
    """Names the event (the meeting's version it made), the same on every endpoint and replay,
    so a receiver can drop what it already has."""
    return f"{meeting_id}.{version}"
