"""Sign-in for frontends: a code by e-mail, then access tokens renewed by refresh tokens
(the rules: domain/sign_in.py). The code's mail is sent in the request, after its row is
committed: a code is only useful for minutes, so a durable retry would come too late; a
failed send is logged, and the user asks again."""

import asyncio
import hmac
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from tortoise.expressions import F

from app.domain.errors import InvalidInput, LimitExceeded, refuses
from app.domain.mail import Mail
from app.domain.sign_in import (
    CODE_LIFETIME,
    SIGN_IN_AGAIN,
    Renewal,
    SentCode,
    StoredRefresh,
    check_code,
    check_code_shape,
    check_token_shape,
    code_digest,
    may_send_another,
    new_code,
    new_refresh_token,
    renewal_of,
    token_digest,
)
from app.domain.text import validate_email
from app.models import RefreshToken, SignInCode, User
from app.services.mail import deliver
from app.services.runtime import Runtime
from app.services.tokens import issue_token
from app.services.unit_of_work import unit_of_work

log = logging.getLogger("app.sign_in")


@dataclass(frozen=True)
class Session:
    user_id: UUID
    access_token: str
    access_token_expires_at: datetime
    refresh_token: str
    refresh_token_expires_at: datetime


@dataclass(frozen=True)
class CodeRequest:
    email: str
    """As read: trimmed, lower case."""
    expires_at: datetime


@refuses(InvalidInput, LimitExceeded)
async def request_code(runtime: Runtime, email: str) -> CodeRequest:
    """Sends a code to the address if it has an account; answers when a code would expire
    either way, so the answer does not tell who has an account."""
    address = validate_email(email)
    now = runtime.clock.now()
    code = new_code()
    async with unit_of_work(runtime):
        sent_lately = await SignInCode.filter(email=address, created_at__gt=now - timedelta(hours=1)).count()
        may_send_another(sent_lately)
        user = await User.filter(email=address).first()
        await SignInCode.filter(email=address, used_at=None).update(used_at=now)  # a new code replaces the old
        await SignInCode.create(
            id=uuid4(),
            email=address,
            user_id=user.id if user else None,
            digest=code_digest(runtime.settings.resolved_jwt_secret, address, code),
            created_at=now,
            expires_at=now + CODE_LIFETIME,
        )
    if user is not None:
        # Sent after the answer, so that its time does not tell that the address has an account.
        sending = asyncio.create_task(_send_code(runtime, user, code))
        _sending.add(sending)
        sending.add_done_callback(_sending.discard)
    return CodeRequest(address, now + CODE_LIFETIME)


_sending: set["asyncio.Task[None]"] = set()
"""Codes being mailed, kept until sent (the loop holds only weak references)."""


async def _send_code(runtime: Runtime, user: User, code: str) -> None:
    minutes = int(CODE_LIFETIME.total_seconds() // 60)
    body = (
        f"Hello {user.name},\n\nYour sign-in code is {code}. It works once, for {minutes} minutes.\n"
        "If you did not ask for it, ignore this mail: nobody can sign in without the code.\n\nConsult booking\n"
    )
    mail = Mail(to=user.email, subject=f"Your sign-in code: {code}", body=body, invite=None, time_zone=user.time_zone)
    await deliver(runtime, mail, last_try=True)  # no retry: a code is for minutes; the user asks again


@refuses(InvalidInput, LimitExceeded)
async def sign_in(runtime: Runtime, email: str, code: str) -> Session:
    address, code = validate_email(email), check_code_shape(code)
    now = runtime.clock.now()
    sent = await SignInCode.filter(email=address, used_at=None).order_by("-created_at").first()
    expected = code_digest(runtime.settings.resolved_jwt_secret, address, code)
    matches = sent is not None and hmac.compare_digest(sent.digest, expected)
    # An address without an account has codes too (they count toward its limit), none of them valid.
    state = None if sent is None or sent.user_id is None else SentCode(sent.expires_at, sent.wrong_tries)
    try:
        check_code(state, matches, now)
    except InvalidInput:
        if sent is not None and not matches:  # kept, though the answer is a refusal: tries are bounded
            await SignInCode.filter(id=sent.id).update(wrong_tries=F("wrong_tries") + 1)
        raise
    assert sent is not None and sent.user_id is not None
    async with unit_of_work(runtime):
        if not await SignInCode.filter(id=sent.id, used_at=None).update(used_at=now):
            raise InvalidInput(SIGN_IN_AGAIN)  # the same code, used by a request a moment earlier
        return await _new_session(runtime, sent.user_id, uuid4(), now)


@refuses(InvalidInput)
async def renew(runtime: Runtime, refresh_token: str) -> Session:
    """A new pair for a valid refresh token, which is used up; a used one again revokes its sign-in."""
    digest = token_digest(check_token_shape(refresh_token))
    now = runtime.clock.now()
    async with unit_of_work(runtime):
        row = await RefreshToken.filter(digest=digest).select_for_update().first()
        stored = (
            None if row is None else StoredRefresh(row.expires_at, row.used_at is not None, row.revoked_at is not None)
        )
        renewal = renewal_of(stored, now)
        if renewal is Renewal.RENEW and row is not None:
            await RefreshToken.filter(id=row.id).update(used_at=now)
            return await _new_session(runtime, row.user_id, row.family, now)
    if renewal is Renewal.REVOKE_FAMILY and row is not None:
        await RefreshToken.filter(family=row.family, revoked_at=None).update(revoked_at=now)
        log.warning("a used refresh token came back: sign-in %s revoked", row.family)
    raise InvalidInput(SIGN_IN_AGAIN)


@refuses(InvalidInput)
async def sign_out(runtime: Runtime, refresh_token: str) -> None:
    """Revokes the sign-in the token belongs to (every token renewed from it); access tokens
    already issued stay valid until they expire (minutes)."""
    digest = token_digest(check_token_shape(refresh_token))
    row = await RefreshToken.filter(digest=digest).first()
    if row is not None:
        await RefreshToken.filter(family=row.family, revoked_at=None).update(revoked_at=runtime.clock.now())


async def _new_session(runtime: Runtime, user_id: UUID, family: UUID, now: datetime) -> Session:
    settings = runtime.settings
    refresh = new_refresh_token()
    refresh_expires_at = now + timedelta(seconds=settings.refresh_token_ttl_seconds)
    await RefreshToken.create(
        id=uuid4(),
        user_id=user_id,
        family=family,
        digest=token_digest(refresh),
        created_at=now,
        expires_at=refresh_expires_at,
    )
    access_ttl = settings.access_token_ttl_seconds
    return Session(
        user_id=user_id,
        access_token=issue_token(settings.resolved_jwt_secret, user_id, now, access_ttl),
        access_token_expires_at=now + timedelta(seconds=access_ttl),
        refresh_token=refresh,
        refresh_token_expires_at=refresh_expires_at,
    )
