"""What an e-mail about a meeting says: the notification's words, then the booking's
details in the recipient's time zone. Plain text; services/mail.py sends it."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from app.domain.meetings import MeetingMode, MeetingStatus, TimelineEventType
from app.domain.notifications import format_when

INVITING_EVENTS = frozenset(
    {
        TimelineEventType.APPROVED_BY_CLIENT,
        TimelineEventType.APPROVED_BY_EXPERT,
        TimelineEventType.RESCHEDULED,
        TimelineEventType.REBOOKED_BY_CLIENT,
        TimelineEventType.OFFER_ACCEPTED,
        TimelineEventType.TAKEN_INSTANTLY,
    }
)
"""Events after which the meeting is agreed at a time: their mail carries it as an .ics."""

SUBJECT_LENGTH = 120


class EmailDelivery(StrEnum):
    """Where a notification's e-mail stands."""

    PENDING = "PENDING"
    SENT = "SENT"
    LOGGED = "LOGGED"
    FAILED = "FAILED"
    NONE = "NONE"
    """The notification has no e-mail of its own (a message's is sent later, batched)."""


@dataclass(frozen=True)
class Booking:
    """The meeting as the recipient sees it."""

    meeting_id: str
    service_title: str
    with_name: str
    starts_at: datetime | None
    duration_minutes: int
    mode: MeetingMode
    location: str | None
    room_url: str | None
    """The recipient's own room link; None in person or before the room exists."""
    price_credits: int
    status: MeetingStatus
    version: int = 1
    """The meeting's version when the mail was made (self-service links are bound to it)."""
    recipient_is_client: bool = True

    @property
    def ends_at(self) -> datetime | None:
        return self.starts_at + timedelta(minutes=self.duration_minutes) if self.starts_at else None


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    invite: Booking | None
    """Attach this meeting as an .ics event (in the recipient's zone)."""
    time_zone: str


def compose(
    *,
    to: str,
    recipient_name: str,
    time_zone: str,
    text: str,
    event: str,
    booking: Booking | None,
    links: Sequence[tuple[str, str]] = (),
) -> Mail:
    """`links`: (what it does, address) of the self-service links the mail carries."""
    lines = [f"Hello {recipient_name},", "", text, ""]
    if links:
        lines += [f"{label}: {address}" for label, address in links] + [""]
    if booking is not None:
        lines += _details(booking, time_zone)
    lines += ["", "Consult booking"]
    invite = booking if booking and event in INVITING_EVENTS and booking.starts_at else None
    subject = text if len(text) <= SUBJECT_LENGTH else text[: SUBJECT_LENGTH - 1] + "…"
    return Mail(to=to, subject=subject, body="\n".join(lines) + "\n", invite=invite, time_zone=time_zone)


def _details(booking: Booking, time_zone: str) -> list[str]:
    when = "to be agreed"
    if booking.starts_at is not None:
        end = booking.starts_at + timedelta(minutes=booking.duration_minutes)
        when = f"{format_when(booking.starts_at, time_zone)} to {end.astimezone(ZoneInfo(time_zone)):%H:%M}"
    if booking.mode is MeetingMode.IN_PERSON:
        where = f"In person at {booking.location or 'the address the expert gives'}"
    elif booking.room_url:
        where = f"Online ({booking.mode.value.lower()}): {booking.room_url}"
    else:
        where = f"Online ({booking.mode.value.lower()}); the room link comes once the meeting is agreed"
    return [
        f"Meeting: {booking.service_title} with {booking.with_name}",
        f"When: {when} ({booking.duration_minutes} minutes)",
        f"Where: {where}",
        f"Price: {booking.price_credits} credits",
        f"Status: {booking.status.value.replace('_', ' ').lower()}",
    ]
