"""Bearer tokens: signed JWTs naming a user."""

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

import jwt

ALGORITHM = "HS256"


class InvalidToken(Exception):
    """A token refused: `str()` is the whole explanation for an HTTP answer; on a WebSocket,
    `close_code` says what a client can do and `close_reason` (at most 123 bytes) says why.

    | close | when | what the client does |
    |---|---|---|
    | 4401 | no token, a token not valid here, its user gone | sign in (graphql-ws never retries it) |
    | 4403 | the token expired, at connect or while connected | reconnect with a fresh token |
    """

    close_code = 4401
    close_reason = "token not valid here (malformed, or signed with another secret)"


class ExpiredToken(InvalidToken):
    """Once valid: a fresh token for the same user is the cure, so a client may retry with one."""

    close_code = 4403

    def __init__(self, message: str, expired_at: datetime) -> None:
        super().__init__(message)
        self.close_reason = f"token expired at {expired_at.isoformat()}; reconnect with a fresh one"


class NoToken(InvalidToken):
    close_reason = 'no token: send {"authorization": "Bearer <token>"} in connection_init'


class UnknownUser(InvalidToken):
    close_reason = "the token's user no longer exists"


def issue_token(secret: str, user_id: UUID, now: datetime, ttl_seconds: int) -> str:
    claims = {"sub": str(user_id), "iat": now, "exp": now + timedelta(seconds=ttl_seconds)}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


@dataclass(frozen=True)
class TokenClaims:
    user_id: UUID
    expires_at: datetime
    """Open sockets end their subscriptions and refuse new operations from then on."""


GET_ONE = "get a new one (renewSession with your refresh token, signIn, or `python -m app token <email>`)"
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
            expired_at = datetime.fromtimestamp(expires, UTC)
            raise ExpiredToken(f"this token expired at {expired_at.isoformat()}; {GET_ONE}", expired_at)
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
