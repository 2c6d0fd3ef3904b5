"""Self-service links in e-mails (as Calendly's): a recipient answers a meeting from the mail
itself, without signing in. A link is for one action, one recipient and one version of the
meeting: once anything changes the meeting (this action included) it is out of date, so it
works once and never on a meeting that moved on. It also expires."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from app.domain.errors import NotFound, TooLate
from app.domain.meetings import TimelineEventType
from app.domain.people import Side

LINK_LIFETIME = timedelta(days=7)


class LinkAction(StrEnum):
    CONFIRM = "CONFIRM"
    DECLINE = "DECLINE"


ANSWERS = (LinkAction.CONFIRM, LinkAction.DECLINE)
ASKING_EVENTS = {
    TimelineEventType.BOOKED_BY_CLIENT: Side.EXPERT,
    TimelineEventType.PROPOSED_BY_EXPERT: Side.CLIENT,
}
"""Events whose mail asks its recipient (this side) for an answer."""


@dataclass(frozen=True)
class LinkClaims:
    meeting_id: UUID
    version: int
    recipient_id: UUID
    action: LinkAction
    expires_at: datetime


def actions_for(event: str, recipient: Side) -> tuple[LinkAction, ...]:
    """The answers a mail about `event` offers its recipient as links."""
    asked = ASKING_EVENTS.get(TimelineEventType(event)) if event in TimelineEventType.__members__ else None
    return ANSWERS if asked is recipient else ()


def require_current(claims: LinkClaims, version: int, now: datetime) -> None:
    """A link works until it expires, and only on the version of the meeting it was sent for."""
    if now >= claims.expires_at:
        raise TooLate("this link has expired: answer in the app instead")
    if version != claims.version:
        raise TooLate("this link is out of date: the meeting has changed since it was sent")


def not_a_link() -> NotFound:
    return NotFound("this is not a link we sent")
