"""Keys of safe retries, read and written inside the mutation's own transaction, so that a
result is kept if and only if its change committed (rules: app.domain.idempotency)."""

from datetime import datetime
from uuid import UUID

from app.domain.idempotency import Act, Replay, StoredKey, decide
from app.models import IdempotencyKey


async def look_up(user_id: UUID, key: str, request_fingerprint: str, now: datetime) -> Replay | Act:
    """The first result to answer again, or leave to act; this user's expired keys go first."""
    await IdempotencyKey.filter(user_id=user_id, expires_at__lte=now).delete()
    row = await IdempotencyKey.filter(user_id=user_id, key=key).first()
    stored = StoredKey(row.fingerprint, row.response, row.expires_at) if row is not None else None
    return decide(stored, request_fingerprint, now)


async def keep(user_id: UUID, key: str, request_fingerprint: str, response: str, act: Act, now: datetime) -> None:
    """A concurrent request that kept a result under the same key first makes this one fail
    on the (user, key) unique index, rolling its change back."""
    await IdempotencyKey.create(
        user_id=user_id,
        key=key,
        fingerprint=request_fingerprint,
        response=response,
        created_at=now,
        expires_at=act.expires_at,
    )
