"""Who hears about a meeting change, and in what words.

Times in the text are shown in the recipient's own time zone.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from app.domain.meetings import CreditStatus, MeetingMode, MeetingStatus, TimelineEventType
from app.domain.people import Side
from app.domain.schedule import ReminderKind


class Channel(StrEnum):
    DASHBOARD = "DASHBOARD"
    EMAIL = "EMAIL"
    SMS = "SMS"


class SmsDelivery(StrEnum):
    """Where a notification's text message stands, once its job decided."""

    NONE = "NONE"
    SENT = "SENT"
    LOGGED = "LOGGED"
    FAILED = "FAILED"


SMS_MAX_LENGTH = 480
"""Three segments at most: a notification's words, cut to fit."""


def sms_text(text: str) -> str:
    return text if len(text) <= SMS_MAX_LENGTH else text[: SMS_MAX_LENGTH - 1] + "…"


class Notice(StrEnum):
    """Notifications about no meeting (yet)."""

    INSTANT_REQUEST = "INSTANT_REQUEST"
    """An instant request an offline expert could take, if they come online in time."""
    MESSAGE = "MESSAGE"
    """A message for someone not connected (its e-mail, if still unread, comes later)."""
    WEBHOOK_DISABLED = "WEBHOOK_DISABLED"
    """The owner's webhook failed for a day and was turned off."""


NotificationType = StrEnum(  # type: ignore[misc]  # built from the three enums, so it cannot drift
    "NotificationType", {member.name: member.value for member in (*TimelineEventType, *ReminderKind, *Notice)}
)
"""What a notification is about: the meeting event that caused it, the reminder, or a notice."""


@dataclass(frozen=True)
class MeetingSummary:
    service_title: str
    starts_at: datetime | None
    """None while a requested session has no time yet."""
    price_credits: int
    client_name: str
    expert_name: str
    mode: MeetingMode = MeetingMode.VIDEO
    location: str | None = None
    status: MeetingStatus = MeetingStatus.AGREED
    credit_status: CreditStatus = CreditStatus.NONE
    previous_starts_at: datetime | None = None
    """Where a move came from."""
    offered_times: tuple[datetime, ...] = ()
    """What an offer proposes (its mode and place: `offered_mode`, `offered_location`)."""
    offered_mode: MeetingMode | None = None
    offered_location: str | None = None
    reason: str | None = None
    """Why the change was made (a decline, cancel or reschedule reason's value)."""
    message: str | None = None
    """What its maker wrote to the other side."""
    discount_credits: int = 0


@dataclass(frozen=True)
class PlannedNotification:
    recipient: Side
    type: str
    text: str


_TEMPLATES: dict[TimelineEventType, str] = {
    TimelineEventType.BOOKED_BY_CLIENT: "{client} booked {service} on {when}. Please confirm or decline.",
    TimelineEventType.PROPOSED_BY_EXPERT: "{expert} invites you to {service} on {when}. Please confirm or decline.",
    TimelineEventType.APPROVED_BY_CLIENT: "{client} confirmed {service} on {when}, {place}.",
    TimelineEventType.APPROVED_BY_EXPERT: "{expert} confirmed {service} on {when}, {place}.",
    TimelineEventType.DECLINED_BY_CLIENT: "{client} declined {service} on {when}.",
    TimelineEventType.REJECTED_BY_EXPERT: "{expert} declined {service} on {when}.{refund}",
    TimelineEventType.CANCELLED_BY_CLIENT: "{client} cancelled {service} on {when}.",
    TimelineEventType.CANCELLED_BY_EXPERT: "{expert} cancelled {service} on {when}.{refund}",
    TimelineEventType.CHARGED_BY_EXPERT: "{expert} charged {price} credits for the late-cancelled {service} on {when}.",
    TimelineEventType.CHARGE_WAIVED: "The charge for {service} on {when} was waived; the credits are returned.",
    TimelineEventType.BILLABLE_TIME_STARTED: "{expert} started billable time for {service}.",
    TimelineEventType.BILLABLE_TIME_PAUSED: "{expert} paused billable time for {service}.",
    TimelineEventType.BILLABLE_TIME_RESUMED: "{expert} resumed billable time for {service}.",
    TimelineEventType.DISCOUNTED_BY_EXPERT: "{expert} returned {discount} of the {price} credits charged for "
    "{service} on {when}.",
    TimelineEventType.JOINED_BY_CLIENT: "{client} has joined {service}.",
    TimelineEventType.JOINED_BY_EXPERT: "{expert} has joined {service}.",
    TimelineEventType.STARTED: "{service} on {when} has started.",
    TimelineEventType.ENDED_BY_EXPERT: "{expert} ended {service} on {when}.",
    TimelineEventType.COMPLETED: "{service} on {when} is complete.",
    TimelineEventType.NO_SHOW: "{service} on {when} was marked as a no-show.",
    TimelineEventType.EXPIRED: "{service} on {when} expired without approval.{refund}",
    TimelineEventType.NOTE_ADDED: "{expert} added a session note to {service} on {when}.",
    TimelineEventType.REVIEWED: "{client} reviewed {service} on {when}.",
    TimelineEventType.REQUESTED_BY_CLIENT: ("{client} asks for {service} at one of: {times}. Pick one or decline."),
    TimelineEventType.TAKEN_INSTANTLY: "{expert} took your request: {service} starts now; join when ready.",
    TimelineEventType.RESCHEDULED: "{by} moved {service} to {when} (it was {previous}).",
    TimelineEventType.REBOOKED_BY_CLIENT: "{client} rebooked {service} for {when} (it was {previous}).",
    TimelineEventType.TIMES_OFFERED: (
        "{by} proposes other times for {service} on {when}: {times}. Pick one or reject; "
        "until then the meeting stays as it is."
    ),
    TimelineEventType.LOCATION_OFFERED: (
        "{by} proposes to hold {service} on {when} {offered_place}. Accept or reject; until then it stays {place}."
    ),
    TimelineEventType.LOCATION_CHANGED: "{by} changed {service} on {when} to {place}, as the client asked.",
    TimelineEventType.OFFER_ACCEPTED: "{by} accepted: {service} is on {when}, {place}.",
    TimelineEventType.OFFER_REJECTED: "{by} rejected the proposal for {service} on {when}.{consequence}",
    TimelineEventType.OFFER_WITHDRAWN: "{by} withdrew the proposal for {service} on {when}.{consequence}",
    TimelineEventType.OFFER_EXPIRED: "The proposal for {service} on {when} was not answered in time.{consequence}",
}

_REMINDERS: dict[ReminderKind, str] = {
    ReminderKind.REMINDER_24H: "Reminder: {service} with {expert} starts {when}.",
    ReminderKind.ROOM_LINK: "Your room for {service} with {client} on {when}: {room}",
    ReminderKind.REMINDER_30M: "Reminder: {service} starts {when}.",
    ReminderKind.REMINDER_10M: "Reminder: {service} starts {when}; you can join now.",
}


_CONFIRMATIONS: dict[TimelineEventType, str] = {
    TimelineEventType.REBOOKED_BY_CLIENT: "You rebooked {service} with {expert} for {when} (it was {previous}).",
}
"""Changes whose maker hears of them too: a rebooking is a new booking the client made for
themself, and they keep its confirmation."""


REASON_WORDS = {
    "NOT_AVAILABLE": "not available then",
    "OUTSIDE_EXPERTISE": "outside their expertise",
    "SCHEDULE_CONFLICT": "a schedule conflict",
    "NEEDS_MORE_INFORMATION": "more information is needed",
    "ILLNESS": "illness",
    "EMERGENCY": "an emergency",
    "CLIENT_REQUESTED": "the client asked",
    "EXPERT_SCHEDULE": "the expert's schedule",
    "OTHER": "other",
}
"""Every decline, cancel and reschedule reason, in words (tests/unit/test_notifications.py
checks that none is missing)."""

QUOTED_MESSAGE_LENGTH = 500
"""A message longer than this is cut (with an ellipsis) in a notification and its e-mail."""


def _said(meeting: MeetingSummary) -> str:
    """The reason and the message of a change, as the other side reads them: the message on
    one line (it may become an e-mail subject), quoted, bounded."""
    said = f" Reason: {REASON_WORDS.get(meeting.reason, meeting.reason.lower())}." if meeting.reason else ""
    if meeting.message:
        one_line = " ".join(meeting.message.split())
        if len(one_line) > QUOTED_MESSAGE_LENGTH:
            one_line = one_line[: QUOTED_MESSAGE_LENGTH - 1] + "…"
        said += f" Message: “{one_line}”"
    return said


def format_place(mode: MeetingMode, location: str | None) -> str:
    return f"at {location}" if mode is MeetingMode.IN_PERSON else f"online ({mode.value.lower()})"


def _refund(meeting: MeetingSummary) -> str:
    """Said only when credits were actually returned (not for a free meeting, nor a
    meeting whose client had not approved yet)."""
    if meeting.credit_status is CreditStatus.RETURNED and meeting.price_credits > 0:
        return f" {meeting.price_credits} credits are returned to the client."
    return ""


def _consequence(meeting: MeetingSummary) -> str:
    """What an answered or lapsed offer did to the meeting, and only that."""
    ended = _ENDINGS.get(meeting.status)
    if ended is None:
        return " The meeting stays as it was."
    if meeting.credit_status is CreditStatus.RETURNED:
        return f" {ended} and the credits are returned."
    return f" {ended}."


_ENDINGS = {
    MeetingStatus.CANCELLED: "The meeting is cancelled",
    MeetingStatus.REJECTED: "The request is declined",
    MeetingStatus.EXPIRED: "The request has expired",
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
    recipients = [Side.CLIENT, Side.EXPERT] if by_admin or acting_side is None else [acting_side.other]
    by = "An admin" if by_admin or acting_side is None else _name(meeting, acting_side)
    planned = _render(_TEMPLATES[event], event.value, recipients, meeting, time_zones, by=by)
    confirmation = _CONFIRMATIONS.get(event)
    if confirmation is not None and acting_side is not None and not by_admin:
        planned += _render(confirmation, event.value, [acting_side], meeting, time_zones, by=by)
    return planned


def instant_request_notice(
    topic: str, skill: str, duration_minutes: int, max_price_credits: int, expires_at: datetime, time_zone: str
) -> str:
    """What an expert who was offline when a request they could take was posted reads."""
    return (
        f"A client asks for help now: {topic} ({skill}, {duration_minutes} minutes, up to "
        f"{max_price_credits} credits). Come online and take it before {format_when(expires_at, time_zone)}."
    )


def notes_due_notice(meeting: MeetingSummary, due: datetime, time_zone: str) -> str:
    """The expert's one reminder of a session's missing notes."""
    when = format_when(meeting.starts_at, time_zone) if meeting.starts_at else "a time to be agreed"
    return (
        f"Your notes for {meeting.service_title} with {meeting.client_name} on {when} are due by "
        f"{format_when(due, time_zone)}."
    )


def _name(meeting: MeetingSummary, side: Side) -> str:
    return meeting.client_name if side is Side.CLIENT else meeting.expert_name


def plan_reminder(
    reminder: ReminderKind,
    recipients: Sequence[Side],
    meeting: MeetingSummary,
    time_zones: dict[Side, str],
    room_links: dict[Side, str],
) -> list[PlannedNotification]:
    """`room_links`: each recipient's own link to the room (none in person)."""
    return _render(_REMINDERS[reminder], reminder.value, recipients, meeting, time_zones, room_links)


def _render(
    template: str,
    type_: str,
    recipients: Sequence[Side],
    meeting: MeetingSummary,
    time_zones: dict[Side, str],
    room_links: dict[Side, str] | None = None,
    by: str = "",
) -> list[PlannedNotification]:
    def text_for(side: Side) -> str:
        zone = time_zones[side]
        previous = meeting.previous_starts_at
        return template.format(
            client=meeting.client_name,
            expert=meeting.expert_name,
            by=by,
            service=meeting.service_title,
            price=meeting.price_credits,
            when=format_when(meeting.starts_at, zone) if meeting.starts_at else "a time to be agreed",
            previous=format_when(previous, zone) if previous else "",
            times="; ".join(format_when(t, zone) for t in meeting.offered_times),
            place=format_place(meeting.mode, meeting.location),
            offered_place=format_place(meeting.offered_mode or meeting.mode, meeting.offered_location),
            consequence=_consequence(meeting),
            refund=_refund(meeting),
            discount=meeting.discount_credits,
            room=(room_links or {}).get(side, ""),
        ) + _said(meeting)

    return [PlannedNotification(recipient=side, type=type_, text=text_for(side)) for side in recipients]
