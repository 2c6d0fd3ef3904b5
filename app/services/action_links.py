"""Self-service links (domain/action_links.py): made for an e-mail, read back from the link's
page, and acted on through the same use cases as the API, as the link's recipient."""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import jwt

from app.domain.action_links import (
    LINK_LIFETIME,
    LinkAction,
    LinkClaims,
    cancellation_words,
    not_a_link,
    require_current,
)
from app.domain.errors import Refusal, TooLate
from app.domain.meetings import CancelReason, DeclineReason
from app.domain.notifications import format_when
from app.domain.offers import OfferDecision
from app.domain.people import Actor
from app.models import Meeting
from app.services import answering, cancelling, meeting_repository, offer_repository, offers
from app.services.offers import Answer
from app.services.runtime import Runtime

LINK_PATH = "/act/"
MAX_TOKEN_LENGTH = 1000


def _key(runtime: Runtime) -> str:
    return hashlib.sha256(f"action-links:{runtime.settings.resolved_jwt_secret}".encode()).hexdigest()


def link_for(
    runtime: Runtime,
    meeting_id: UUID,
    version: int,
    recipient_id: UUID,
    action: LinkAction,
    starts_at: datetime | None = None,
) -> str:
    """`starts_at`: the offered time a PICK_TIME link picks."""
    expires_at = runtime.clock.now() + LINK_LIFETIME
    claims: dict[str, str | int] = {
        "m": str(meeting_id),
        "v": version,
        "u": str(recipient_id),
        "a": action.value,
        "x": int(expires_at.timestamp()),
    }
    if starts_at is not None:
        claims["t"] = int(starts_at.timestamp())
    return f"{runtime.settings.resolved_public_url}{LINK_PATH}{jwt.encode(claims, _key(runtime), algorithm='HS256')}"


def read(runtime: Runtime, token: str) -> LinkClaims:
    """The link's claims, or NotFound for anything we did not sign (expiry is checked on the
    service clock by `require_current`)."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise not_a_link()
    try:
        claims = jwt.decode(token, _key(runtime), algorithms=["HS256"])
        zone = runtime.clock.now().tzinfo
        return LinkClaims(
            meeting_id=UUID(claims["m"]),
            version=int(claims["v"]),
            recipient_id=UUID(claims["u"]),
            action=LinkAction(claims["a"]),
            expires_at=datetime.fromtimestamp(int(claims["x"]), tz=zone),
            starts_at=datetime.fromtimestamp(int(claims["t"]), tz=zone) if "t" in claims else None,
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
    consequence: str | None = None
    """CANCEL: what cancelling now would do (the quote), shown before the button."""


async def page(runtime: Runtime, token: str) -> LinkPage:
    claims = read(runtime, token)
    meeting = await meeting_repository.get(claims.meeting_id)
    recipient = meeting.client if meeting.client.id == claims.recipient_id else meeting.expert
    other = meeting.expert if recipient is meeting.client else meeting.client
    problem, consequence = None, None
    try:
        require_current(claims, meeting.version, runtime.clock.now())
        if claims.action is LinkAction.CANCEL:
            side, quote = await cancelling.cancellation_quote(runtime, Actor(claims.recipient_id), meeting.id)
            if quote.refusal is not None:
                raise quote.refusal
            consequence = cancellation_words(quote, side)
    except Refusal as refusal:
        problem = refusal.message
    starts_at = claims.starts_at or meeting.state.starts_at
    return LinkPage(
        action=claims.action,
        service_title=meeting.service.title,
        with_name=other.name,
        when=format_when(starts_at, recipient.time_zone) if starts_at else "a time to be agreed",
        price_credits=meeting.state.price_credits,
        problem=problem,
        consequence=consequence,
    )


async def act(runtime: Runtime, token: str, reason: str = "") -> Meeting:
    """The link's action, as its recipient, through the API's own use case (whose refusals it
    raises); the meeting must still be the version the link was sent for. `reason`: a
    decline's or a cancellation's, as chosen on the page."""
    claims = read(runtime, token)
    meeting = await meeting_repository.get(claims.meeting_id)
    require_current(claims, meeting.version, runtime.clock.now())
    actor, meeting_id = Actor(claims.recipient_id), claims.meeting_id
    match claims.action:
        case LinkAction.CONFIRM:
            return await answering.confirm_meeting(runtime, actor, meeting_id, acknowledge_overlap=False)
        case LinkAction.DECLINE:
            decline = DeclineReason(reason) if reason in DeclineReason.__members__ else DeclineReason.OTHER
            return await answering.decline_meeting(runtime, actor, meeting_id, decline, None)
        case LinkAction.CANCEL:  # the page showed what it does: the late notice is acknowledged
            why = CancelReason(reason) if reason in CancelReason.__members__ else CancelReason.OTHER
            return await cancelling.cancel_meeting(
                runtime, actor, meeting_id, reason=why, message=None, acknowledge_late_notice=True
            )
        case LinkAction.PICK_TIME:
            offer = await offer_repository.pending_for(meeting_id)
            if offer is None:
                raise TooLate("these times are no longer on offer")
            pick = Answer(OfferDecision.ACCEPT, starts_at=claims.starts_at)
            return await offers.respond_to_offer(runtime, actor, offer.id, pick)
