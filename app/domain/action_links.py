"""Self-service links in e-mails (as Calendly's): a recipient answers a meeting from the mail
itself, without signing in. A link is for one action, one recipient and one version of the
meeting: once anything changes the meeting (this action included) it is out of date, so it
works once and never on a meeting that moved on. It also expires."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from app.domain.errors import NotFound, TooLate
from app.domain.meetings import CancellationQuote, MeetingStatus, TimelineEventType
from app.domain.people import Side

LINK_LIFETIME = timedelta(days=7)


class LinkAction(StrEnum):
    CONFIRM = "CONFIRM"
    DECLINE = "DECLINE"
    CANCEL = "CANCEL"
    """Any mail about an agreed meeting: its page shows what cancelling would do first."""
    PICK_TIME = "PICK_TIME"
    """A mail offering times: one link per time."""


LABELS = {
    LinkAction.CONFIRM: "Confirm",
    LinkAction.DECLINE: "Decline",
    LinkAction.CANCEL: "Cancel",
    LinkAction.PICK_TIME: "Pick",
}
"""How a mail names each link."""


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
    starts_at: datetime | None = None
    """PICK_TIME: the offered time it picks."""


def actions_for(event: str, recipient: Side, status: MeetingStatus) -> tuple[LinkAction, ...]:
    """The actions a mail about `event` offers its recipient as links, the meeting being in
    `status` (a mail about offered times goes to the side they are offered to)."""
    known = event in TimelineEventType.__members__
    asked = ASKING_EVENTS.get(TimelineEventType(event)) if known else None
    actions: tuple[LinkAction, ...] = ANSWERS if asked is recipient else ()
    if event == TimelineEventType.TIMES_OFFERED:
        actions += (LinkAction.PICK_TIME,)
    if status is MeetingStatus.AGREED:
        actions += (LinkAction.CANCEL,)
    return actions


def cancellation_words(quote: CancellationQuote, side: Side) -> str:
    """What cancelling would do, for the link's page, before the button (a quote that refuses
    is shown as the link's problem instead)."""
    if quote.charge_at_risk_credits:
        who = "you" if side is Side.CLIENT else "the client"
        return (
            f"This is inside the cancellation window: the {quote.charge_at_risk_credits} credits {who} paid stay "
            "blocked for the expert to charge or waive."
        )
    if quote.refund_credits:
        to = "you get" if side is Side.CLIENT else "the client gets"
        return f"If you cancel now, {to} all {quote.refund_credits} credits back."
    return "If you cancel now, nothing is charged."


def require_current(claims: LinkClaims, version: int, now: datetime) -> None:
    """A link works until it expires, and only on the version of the meeting it was sent for."""
    if now >= claims.expires_at:
        raise TooLate("this link has expired: answer in the app instead")
    if version != claims.version:
        raise TooLate("this link is out of date: the meeting has changed since it was sent")


def not_a_link() -> NotFound:
    return NotFound("this is not a link we sent")
