"""Bearer tokens: signed JWTs naming a user."""

from datetime import datetime, timedelta
from uuid import UUID

import jwt

ALGORITHM = "HS256"


class InvalidToken(Exception):
    pass


def issue_token(secret: str, user_id: UUID, now: datetime, ttl_seconds: int) -> str:
    claims = {"sub": str(user_id), "iat": now, "exp": now + timedelta(seconds=ttl_seconds)}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def user_id_from_token(secret: str, token: str, now: datetime) -> UUID:
    """Expiry is checked against the service clock, like every other time rule."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            options={"require": ["sub", "exp"], "verify_exp": False, "verify_iat": False},
        )
        if float(claims["exp"]) <= now.timestamp():
            raise InvalidToken("invalid or expired token")
        return UUID(claims["sub"])
    except (jwt.PyJWTError, ValueError, TypeError) as exc:
        raise InvalidToken("invalid or expired token") from exc


def bearer_token(header_value: str | None) -> str | None:
    if not header_value:
        return None
    scheme, _, token = header_value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidToken("the Authorization header must be 'Bearer <token>'")
    return token.strip()
