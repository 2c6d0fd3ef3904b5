"""Who hears about a meeting change, and in what words.

Times in the text are shown in the recipient's own time zone.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from app.domain.meetings import TimelineEventType
from app.domain.people import Side
from app.domain.schedule import ReminderKind


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
    TimelineEventType.CHARGE_WAIVED: "The charge for {service} on {when} was waived; the credits are returned.",
    TimelineEventType.JOINED_BY_CLIENT: "{client} has joined {service}.",
    TimelineEventType.JOINED_BY_EXPERT: "{expert} has joined {service}.",
    TimelineEventType.STARTED: "{service} on {when} has started.",
    TimelineEventType.ENDED_BY_EXPERT: "{expert} ended {service} on {when}.",
    TimelineEventType.COMPLETED: "{service} on {when} is complete.",
    TimelineEventType.NO_SHOW: "{service} on {when} was marked as a no-show.",
    TimelineEventType.EXPIRED: "{service} on {when} expired without approval; any credits are returned.",
    TimelineEventType.NOTE_ADDED: "{expert} added a session note to {service} on {when}.",
    TimelineEventType.REVIEWED: "{client} reviewed {service} on {when}.",
}

_REMINDERS: dict[ReminderKind, str] = {
    ReminderKind.REMINDER_24H: "Reminder: {service} with {expert} starts {when}.",
    ReminderKind.ROOM_LINK: "Your room for {service} with {client} on {when}: {room}",
    ReminderKind.REMINDER_30M: "Reminder: {service} starts {when}.",
    ReminderKind.REMINDER_10M: "Reminder: {service} starts {when}; you can join now.",
}


def format_when(starts_at: datetime, time_zone: str) -> str:
    local = starts_at.astimezone(ZoneInfo(time_zone))
    return f"{local:%a %d %b %Y, %H:%M} {local.tzname()} ({time_zone})"


def plan_notifications(
    event: TimelineEventType,
    acting_side: Side | None,
    by_admin: bool,
    meeting: MeetingSummary,
    time_zones: dict[Side, str],
) -> list[PlannedNotification]:
    """The other side hears of every change; both sides hear of an admin's or the clock's."""
    if by_admin or acting_side is None:
        recipients = [Side.CLIENT, Side.EXPERT]
    else:
        recipients = [acting_side.other]
    return _render(_TEMPLATES[event], event.value, recipients, meeting, time_zones)


def plan_reminder(
    reminder: ReminderKind,
    recipients: Sequence[Side],
    meeting: MeetingSummary,
    time_zones: dict[Side, str],
    room_url: str | None,
) -> list[PlannedNotification]:
    return _render(_REMINDERS[reminder], reminder.value, recipients, meeting, time_zones, room_url)


def _render(
    template: str,
    type_: str,
    recipients: Sequence[Side],
    meeting: MeetingSummary,
    time_zones: dict[Side, str],
    room_url: str | None = None,
) -> list[PlannedNotification]:
    return [
        PlannedNotification(
            recipient=side,
            type=type_,
            text=template.format(
                client=meeting.client_name,
                expert=meeting.expert_name,
                service=meeting.service_title,
                price=meeting.price_credits,
                when=format_when(meeting.starts_at, time_zones[side]),
                room=room_url or "(no room for this mode)",
            ),
        )
        for side in recipients
    ]

