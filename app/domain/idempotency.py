"""Safe retries: a mutation sent with an Idempotency-Key acts once; the same key with the same
request within 24 hours answers the first result again, without acting; the same key with a
different request is refused. Keys belong to the signed-in user.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.domain.errors import InvalidInput

KEY_LIFETIME = timedelta(hours=24)
MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class StoredKey:
    fingerprint: str
    response: str
    """The first result, as answered (JSON)."""
    expires_at: datetime


@dataclass(frozen=True)
class Replay:
    response: str


@dataclass(frozen=True)
class Act:
    """No live result under this key: act, and keep the result until `expires_at`."""

    expires_at: datetime


class KeyReused(Exception):
    """The key was first used with another request."""


def validate_key(key: str) -> str:
    """1 to 255 printable ASCII characters (a UUID, say)."""
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not all(" " <= char <= "~" for char in key):
        raise InvalidInput(f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable ASCII characters")
    return key


def fingerprint(query: str, variables: object, operation_name: str | None) -> str:
    """What makes two requests the same request: the document, the variables and the operation."""
    request = json.dumps([query, variables, operation_name], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(request.encode()).hexdigest()


def decide(stored: StoredKey | None, request_fingerprint: str, now: datetime) -> Replay | Act:
    if stored is None or stored.expires_at <= now:
        return Act(expires_at=now + KEY_LIFETIME)
    if stored.fingerprint != request_fingerprint:
        raise KeyReused("this Idempotency-Key was first used with another request; use a new key")
    return Replay(stored.response)
