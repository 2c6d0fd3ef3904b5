"""Bearer tokens: signed JWTs naming a user."""

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

import jwt

ALGORITHM = "HS256"


class InvalidToken(Exception):
    pass


def issue_token(secret: str, user_id: UUID, now: datetime, ttl_seconds: int) -> str:
    claims = {"sub": str(user_id), "iat": now, "exp": now + timedelta(seconds=ttl_seconds)}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


@dataclass(frozen=True)
class TokenClaims:
    user_id: UUID
    expires_at: datetime
    """Open sockets end their subscriptions and refuse new operations from then on."""


GET_ONE = "get a new one (an admin's issueToken, or `python -m app token <email>`)"
NOT_OURS = f"this token is not valid here (malformed, or signed with another secret); {GET_ONE}"


def read_token(secret: str, token: str, now: datetime) -> TokenClaims:
    """Expiry is checked against the service clock, like every other time rule; an `exp` that
    is not a finite number ("nan", "inf") is no expiry at all, so the token is refused."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            options={"require": ["sub", "exp"], "verify_exp": False, "verify_iat": False},
        )
        expires = float(claims["exp"])
        if not math.isfinite(expires):
            raise InvalidToken(NOT_OURS)
        if expires <= now.timestamp():
            raise InvalidToken(f"this token expired at {datetime.fromtimestamp(expires, UTC).isoformat()}; {GET_ONE}")
        return TokenClaims(UUID(claims["sub"]), datetime.fromtimestamp(expires, UTC))
    except (jwt.PyJWTError, ValueError, TypeError, OverflowError, OSError) as exc:
        raise InvalidToken(NOT_OURS) from exc


def user_id_from_token(secret: str, token: str, now: datetime) -> UUID:
    return read_token(secret, token, now).user_id


def bearer_token(header_value: str | None) -> str | None:
    if not header_value:
        return None
    scheme, _, token = header_value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidToken("the Authorization header must be 'Bearer <token>'")
    return token.strip()
