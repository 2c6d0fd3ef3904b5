"""Signing in without a password, as frontends do it: a one-time code by e-mail, exchanged for a
short-lived access token and a refresh token that renews it. Plain rules; services/sign_in.py
stores and sends.

- A code has 6 digits, lasts 10 minutes and allows 5 wrong tries; a new one replaces the old.
- An address gets at most 5 codes an hour, whether or not it has an account, and the answer is
  the same either way: who has an account is not told to whoever asks.
- A refresh token is used once: renewing returns a new pair. A used one presented again means it
  was copied, so every token descended from the same sign-in is revoked (the thief's and the
  user's); the user signs in again.
"""

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from app.domain.errors import InvalidInput, LimitExceeded

CODE_DIGITS = 6
CODE_LIFETIME = timedelta(minutes=10)
MAX_WRONG_TRIES = 5
MAX_CODES_PER_HOUR = 5
MAX_TOKEN_LENGTH = 200

WRONG_CODE = "that code is not right or no longer valid: ask for a new one (requestSignInCode)"
TOO_MANY_TRIES = "too many wrong codes: this one no longer works; ask for a new one (requestSignInCode)"
SIGN_IN_AGAIN = "this refresh token is not valid (used, revoked or expired): sign in again"


def new_code(draw: Callable[[int], int] = secrets.randbelow) -> str:
    return str(draw(10**CODE_DIGITS)).zfill(CODE_DIGITS)


def code_digest(secret: str, email: str, code: str) -> str:
    """Keyed, so a copy of the table alone does not give the codes away."""
    return hmac.new(secret.encode(), f"{email}\n{code}".encode(), hashlib.sha256).hexdigest()


def check_code_shape(code: str) -> str:
    code = code.strip()
    if len(code) != CODE_DIGITS or not code.isdigit():
        raise InvalidInput(WRONG_CODE)
    return code


def may_send_another(codes_in_the_last_hour: int) -> None:
    if codes_in_the_last_hour >= MAX_CODES_PER_HOUR:
        raise LimitExceeded(f"at most {MAX_CODES_PER_HOUR} codes an hour for one address; try again later")


@dataclass(frozen=True)
class SentCode:
    """The last unused code sent to an address with an account."""

    expires_at: datetime
    wrong_tries: int


def check_code(sent: SentCode | None, matches: bool, now: datetime) -> None:
    """Whether the code sent last to an address signs its owner in now. A wrong code counts a
    try (the caller keeps that count even though the answer is a refusal)."""
    if sent is None or sent.expires_at <= now:
        raise InvalidInput(WRONG_CODE)
    if sent.wrong_tries >= MAX_WRONG_TRIES:
        raise LimitExceeded(TOO_MANY_TRIES)
    if not matches:
        raise InvalidInput(WRONG_CODE)


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """Only digests are stored: a copy of the table cannot renew anyone's session."""
    return hashlib.sha256(token.encode()).hexdigest()


def check_token_shape(token: str) -> str:
    token = token.strip()
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise InvalidInput(SIGN_IN_AGAIN)
    return token


class Renewal(Enum):
    RENEW = "renew"
    """Valid and unused: a new pair; this one is used up."""
    REVOKE_FAMILY = "revoke_family"
    """Used before: a copy is in other hands. Revoke all of this sign-in's tokens."""
    REFUSE = "refuse"


@dataclass(frozen=True)
class StoredRefresh:
    expires_at: datetime
    used: bool
    revoked: bool


def renewal_of(stored: StoredRefresh | None, now: datetime) -> Renewal:
    if stored is None or stored.revoked or stored.expires_at <= now:
        return Renewal.REFUSE
    if stored.used:
        return Renewal.REVOKE_FAMILY
    return Renewal.RENEW
