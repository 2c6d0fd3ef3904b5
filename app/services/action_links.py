"""Self-service links (domain/action_links.py): made for an e-mail, read back from the link's
page, and acted on through the same use cases as the API, as the link's recipient."""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import jwt

from app.domain.action_links import LINK_LIFETIME, LinkAction, LinkClaims, not_a_link, require_current
from app.domain.errors import Refusal
from app.domain.meetings import DeclineReason
from app.domain.notifications import format_when
from app.domain.people import Actor
from app.models import Meeting
from app.services import answering, meeting_repository
from app.services.runtime import Runtime

LINK_PATH = "/act/"
MAX_TOKEN_LENGTH = 1000


def _key(runtime: Runtime) -> str:
    return hashlib.sha256(f"action-links:{runtime.settings.resolved_jwt_secret}".encode()).hexdigest()


def link_for(runtime: Runtime, meeting_id: UUID, version: int, recipient_id: UUID, action: LinkAction) -> str:
    expires_at = runtime.clock.now() + LINK_LIFETIME
    claims = {
        "m": str(meeting_id),
        "v": version,
        "u": str(recipient_id),
        "a": action.value,
        "x": int(expires_at.timestamp()),
    }
    return f"{runtime.settings.resolved_public_url}{LINK_PATH}{jwt.encode(claims, _key(runtime), algorithm='HS256')}"


def read(runtime: Runtime, token: str) -> LinkClaims:
    """The link's claims, or NotFound for anything we did not sign (expiry is checked on the
    service clock by `require_current`)."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise not_a_link()
    try:
        claims = jwt.decode(token, _key(runtime), algorithms=["HS256"])
        return LinkClaims(
            meeting_id=UUID(claims["m"]),
            version=int(claims["v"]),
            recipient_id=UUID(claims["u"]),
            action=LinkAction(claims["a"]),
            expires_at=datetime.fromtimestamp(int(claims["x"]), tz=runtime.clock.now().tzinfo),
        )
    except (jwt.InvalidTokenError, KeyError, ValueError, TypeError):
        raise not_a_link() from None


@dataclass(frozen=True)
class LinkPage:
    action: LinkAction
    service_title: str
    with_name: str
    when: str
    price_credits: int
    problem: str | None
    """Why the link cannot be used (any more); None while it can."""


async def page(runtime: Runtime, token: str) -> LinkPage:
    claims = read(runtime, token)
    meeting = await meeting_repository.get(claims.meeting_id)
    recipient = meeting.client if meeting.client.id == claims.recipient_id else meeting.expert
    other = meeting.expert if recipient is meeting.client else meeting.client
    problem = None
    try:
        require_current(claims, meeting.version, runtime.clock.now())
    except Refusal as refusal:
        problem = refusal.message
    starts_at = meeting.state.starts_at
    return LinkPage(
        action=claims.action,
        service_title=meeting.service.title,
        with_name=other.name,
        when=format_when(starts_at, recipient.time_zone) if starts_at else "a time to be agreed",
        price_credits=meeting.state.price_credits,
        problem=problem,
    )


async def act(runtime: Runtime, token: str, reason: DeclineReason | None) -> Meeting:
    """The link's action, as its recipient, through the API's own use case (whose refusals it
    raises); the meeting must still be the version the link was sent for."""
    claims = read(runtime, token)
    meeting = await meeting_repository.get(claims.meeting_id)
    require_current(claims, meeting.version, runtime.clock.now())
    actor = Actor(claims.recipient_id)
    if claims.action is LinkAction.CONFIRM:
        return await answering.confirm_meeting(runtime, actor, claims.meeting_id, acknowledge_overlap=False)
    return await answering.decline_meeting(runtime, actor, claims.meeting_id, reason or DeclineReason.OTHER, None)
