"""Who hears about a meeting change, and in what words.

Times in the text are shown in the recipient's own time zone.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from app.domain.meetings import TimelineEventType
from app.domain.people import Side


class Channel(StrEnum):
    DASHBOARD = "DASHBOARD"
    EMAIL = "EMAIL"
    SMS = "SMS"


@dataclass(frozen=True)
class MeetingSummary:
    service_title: str
    starts_at: datetime
    price_credits: int
    client_name: str
    expert_name: str


@dataclass(frozen=True)
class PlannedNotification:
    recipient: Side
    type: str
    text: str


_TEMPLATES: dict[TimelineEventType, str] = {
    TimelineEventType.BOOKED_BY_CLIENT: "{client} booked {service} on {when}. Please confirm or decline.",
    TimelineEventType.PROPOSED_BY_EXPERT: "{expert} invites you to {service} on {when}. Please confirm or decline.",
    TimelineEventType.APPROVED_BY_CLIENT: "{client} confirmed {service} on {when}.",
    TimelineEventType.APPROVED_BY_EXPERT: "{expert} confirmed {service} on {when}.",
    TimelineEventType.DECLINED_BY_CLIENT: "{client} declined {service} on {when}.",
    TimelineEventType.REJECTED_BY_EXPERT: "{expert} declined {service} on {when}; your credits are returned.",
    TimelineEventType.CANCELLED_BY_CLIENT: "{client} cancelled {service} on {when}.",
    TimelineEventType.CANCELLED_BY_EXPERT: "{expert} cancelled {service} on {when}; your credits are returned.",
    TimelineEventType.CHARGED_BY_EXPERT: "{expert} charged {price} credits for the late-cancelled {service} on {when}.",
    TimelineEventType.CHARGE_WAIVED: "{expert} waived the charge for the cancelled {service} on {when}; your credits are returned.",
}


def format_when(starts_at: datetime, time_zone: str) -> str:
    local = starts_at.astimezone(ZoneInfo(time_zone))
    return f"{local:%a %d %b %Y, %H:%M} {local.tzname()} ({time_zone})"


def plan_notifications(
    event: TimelineEventType,
    acting_side: Side,
    by_admin: bool,
    meeting: MeetingSummary,
    time_zones: dict[Side, str],
) -> list[PlannedNotification]:
    """The other side hears of every change; both sides hear of an admin's."""
    recipients = [Side.CLIENT, Side.EXPERT] if by_admin else [_other(acting_side)]
    template = _TEMPLATES[event]
    return [
        PlannedNotification(
            recipient=side,
            type=event.value,
            text=template.format(
                client=meeting.client_name,
                expert=meeting.expert_name,
                service=meeting.service_title,
                price=meeting.price_credits,
                when=format_when(meeting.starts_at, time_zones[side]),
            ),
        )
        for side in recipients
    ]


def _other(side: Side) -> Side:
    return Side.EXPERT if side is Side.CLIENT else Side.CLIENT
