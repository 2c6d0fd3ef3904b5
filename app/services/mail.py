"""E-mail out: each notification's mail is sent by a SEND_EMAIL job (retried with back-off)
through SMTP, or written to the log once when SMTP_URL is unset.

The job's network call runs before its transaction (see jobs/runner.py), so no database
lock is held while a mail server answers; a crash between sending and recording can
send a mail twice, never lose one (at least once).
"""

import logging
from datetime import datetime
from email.message import EmailMessage
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

import aiosmtplib
from icalendar import Calendar, Event

from app.domain.action_links import LABELS, LinkAction, actions_for
from app.domain.mail import Booking, EmailDelivery, Mail, compose
from app.domain.meetings import MeetingMode, MeetingStatus
from app.domain.notifications import format_when
from app.domain.people import Side
from app.models import Meeting, Notification
from app.services import offer_repository
from app.services.action_links import link_for
from app.services.runtime import Runtime

log = logging.getLogger("app.mail")


def invitation(mail: Mail, organizer: str) -> bytes:
    """The meeting as one iCalendar event, its times in the recipient's zone."""
    booking = mail.invite
    assert booking is not None and booking.starts_at is not None and booking.ends_at is not None
    zone = ZoneInfo(mail.time_zone)
    calendar = Calendar()
    calendar.add("prodid", "-//Consult booking//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"meeting-{booking.meeting_id}@consult-booking")  # as in the calendar feed
    event.add("summary", f"{booking.service_title} with {booking.with_name}")
    event.add("dtstart", booking.starts_at.astimezone(zone))
    event.add("dtend", booking.ends_at.astimezone(zone))
    event.add("dtstamp", booking.starts_at)
    event.add("location", booking.location if booking.location else (booking.room_url or "online"))
    if booking.room_url:
        event.add("url", booking.room_url)
    event.add("organizer", f"mailto:{organizer}")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def message_of(mail: Mail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Message-ID"] = f"<{uuid4().hex}@consult-booking>"
    message.set_content(mail.body)
    if mail.invite is not None:
        message.add_attachment(invitation(mail, sender), maintype="text", subtype="calendar", filename="meeting.ics")
    return message


async def _mail_for(runtime: Runtime, notification: Notification) -> Mail:
    recipient = notification.recipient
    booking, links = None, []
    if notification.meeting_id is not None:
        booking = await _booking_for(runtime, notification.meeting_id, recipient.id)
    if booking is not None:
        links = await _links_for(runtime, notification.type, booking, recipient.id, recipient.time_zone)
    return compose(
        to=recipient.email,
        recipient_name=recipient.name,
        time_zone=recipient.time_zone,
        text=notification.text,
        event=notification.type,
        booking=booking,
        links=links,
    )


async def _links_for(
    runtime: Runtime, event: str, booking: Booking, recipient_id: UUID, time_zone: str
) -> list[tuple[str, str]]:
    """The self-service links this mail carries (domain/action_links.py): one per action, and
    one per offered time to pick."""
    side = Side.CLIENT if booking.recipient_is_client else Side.EXPERT
    meeting_id = UUID(booking.meeting_id)
    links = []
    for action in actions_for(event, side, booking.status):
        if action is LinkAction.PICK_TIME:
            offer = await offer_repository.pending_for(meeting_id)
            for starts_at in offer.state.times if offer else ():
                label = f"{LABELS[action]} {format_when(starts_at, time_zone)}"
                links.append((label, link_for(runtime, meeting_id, booking.version, recipient_id, action, starts_at)))
        else:
            links.append((LABELS[action], link_for(runtime, meeting_id, booking.version, recipient_id, action)))
    return links


async def _booking_for(runtime: Runtime, meeting_id: UUID, recipient_id: UUID) -> Booking | None:
    """The meeting as the recipient sees it, in one statement (the meeting with its service's
    title and both names), not the five of a whole meeting record."""
    rows = await Meeting.filter(id=meeting_id).values(
        "starts_at",
        "duration_minutes",
        "mode",
        "location",
        "room_url",
        "price_credits",
        "status",
        "client_id",
        "version",
        "client__name",
        "expert__name",
        "service__title",
    )
    if not rows:
        return None
    meeting = rows[0]
    recipient_is_client = meeting["client_id"] == recipient_id
    return Booking(
        meeting_id=str(meeting_id),
        service_title=meeting["service__title"],
        with_name=meeting["expert__name"] if recipient_is_client else meeting["client__name"],
        starts_at=meeting["starts_at"],
        duration_minutes=meeting["duration_minutes"],
        mode=MeetingMode(meeting["mode"]),
        location=meeting["location"],
        room_url=runtime.rooms.link_for(meeting["room_url"], recipient_id) if meeting["room_url"] else None,
        price_credits=meeting["price_credits"],
        status=MeetingStatus(meeting["status"]),
        version=meeting["version"],
        recipient_is_client=recipient_is_client,
    )


async def send_notification_email(
    runtime: Runtime, notification: Notification, now: datetime, *, last_try: bool
) -> None:
    """Sends (or logs) one notification's e-mail (its recipient loaded with it), once; a
    failure raises for the job to retry, except on its last try, when the mail is marked FAILED."""
    delivery = await deliver(runtime, await _mail_for(runtime, notification), last_try=last_try)
    await Notification.filter(id=notification.id, email_delivery=EmailDelivery.PENDING).update(
        email_delivery=delivery, email_sent_at=now if delivery is not EmailDelivery.FAILED else None
    )


async def deliver(runtime: Runtime, mail: Mail, *, last_try: bool) -> EmailDelivery:
    """Sends one mail through SMTP, or writes it to the log once when SMTP_URL is unset. A
    refusal raises for a job to retry it, except on its `last_try`: then it is logged, FAILED."""
    if runtime.mailer is None:
        log.info("mail to %s (SMTP_URL unset, not sent): %s\n%s", mail.to, mail.subject, mail.body)
        return EmailDelivery.LOGGED
    try:
        await runtime.mailer.send(message_of(mail, runtime.settings.mail_from))
    except (aiosmtplib.SMTPException, OSError) as exc:
        if not last_try:
            raise
        log.error("mail to %s failed for good: %s", mail.to, exc)
        return EmailDelivery.FAILED
    return EmailDelivery.SENT
