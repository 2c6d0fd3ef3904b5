"""What an e-mail says, and when it carries the meeting as an .ics."""

from datetime import UTC, datetime

from app.domain.mail import SUBJECT_LENGTH, Booking, compose
from app.domain.meetings import MeetingMode, MeetingStatus, TimelineEventType
from app.services.mail import invitation, message_of

BOOKING = Booking(
    meeting_id="3f0c1e9a-2b4d-4c8e-9a1f-5d6e7f8a9b0c",
    service_title="Career session",
    with_name="Maya",
    starts_at=datetime(2026, 3, 29, 16, 0, tzinfo=UTC),
    duration_minutes=45,
    mode=MeetingMode.VIDEO,
    location=None,
    room_url="http://127.0.0.1:8000/rooms/abc?as=me.sig",
    price_credits=40,
    status=MeetingStatus.AGREED,
)


def test_the_body_gives_the_booking_in_the_recipients_zone() -> None:
    mail = compose(
        to="sam@example.com",
        recipient_name="Sam",
        time_zone="America/Los_Angeles",
        text="Maya confirmed.",
        event=TimelineEventType.APPROVED_BY_EXPERT.value,
        booking=BOOKING,
    )
    assert mail.body.startswith("Hello Sam,\n\nMaya confirmed.\n")
    # 16:00 UTC on 29 March 2026 is 09:00 PDT; 45 minutes later, 09:45.
    assert "When: Sun 29 Mar 2026, 09:00 PDT (America/Los_Angeles) to 09:45 (45 minutes)" in mail.body
    assert "Where: Online (video): http://127.0.0.1:8000/rooms/abc?as=me.sig" in mail.body
    assert mail.invite is BOOKING


def test_only_a_meeting_agreed_at_a_time_comes_as_an_invitation() -> None:
    for event in (
        TimelineEventType.BOOKED_BY_CLIENT,
        TimelineEventType.CANCELLED_BY_CLIENT,
        TimelineEventType.NOTE_ADDED,
    ):
        mail = compose(to="a@b.c", recipient_name="A", time_zone="UTC", text="x", event=event.value, booking=BOOKING)
        assert mail.invite is None
    unscheduled = compose(
        to="a@b.c",
        recipient_name="A",
        time_zone="UTC",
        text="x",
        event=TimelineEventType.APPROVED_BY_EXPERT.value,
        booking=None,
    )
    assert unscheduled.invite is None and "Meeting:" not in unscheduled.body


def test_a_long_text_makes_a_short_subject() -> None:
    mail = compose(to="a@b.c", recipient_name="A", time_zone="UTC", text="x" * 400, event="NOTE_ADDED", booking=None)
    assert len(mail.subject) == SUBJECT_LENGTH and mail.subject.endswith("…")


def test_the_invitation_is_one_event_in_the_recipients_zone() -> None:
    mail = compose(
        to="sam@example.com",
        recipient_name="Sam",
        time_zone="America/Los_Angeles",
        text="Maya confirmed.",
        event=TimelineEventType.APPROVED_BY_EXPERT.value,
        booking=BOOKING,
    )
    calendar = invitation(mail, "bookings@example.com").decode()
    assert calendar.count("BEGIN:VEVENT") == 1
    assert "DTSTART;TZID=America/Los_Angeles:20260329T090000" in calendar
    assert "DTEND;TZID=America/Los_Angeles:20260329T094500" in calendar
    assert "BEGIN:VTIMEZONE" in calendar and f"UID:meeting-{BOOKING.meeting_id}@consult-booking" in calendar
    message = message_of(mail, "Bookings <bookings@example.com>")
    [attached] = list(message.iter_attachments())
    assert attached.get_content_type() == "text/calendar" and attached.get_filename() == "meeting.ics"
