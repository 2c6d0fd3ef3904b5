"""E-mail out through a real SMTP server on loopback: the confirmation carries the booking's
details and an .ics in the recipient's zone; a mail server that is down gets the mail once,
late; without SMTP_URL each mail is written to the log once."""

import re
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

from app.models import Notification, ScheduledJob
from app.models.jobs import JobStatus
from tests.support.factories import CONFIRM, DECLINE, Person, act, book, hours_from_now, make_person, make_service
from tests.support.graphql import Api
from tests.support.mailbox import Mailbox
from tests.support.server import (
    RunningServer,
    ServerClock,
)
from tests.support.waiting import eventually

ADDRESS = "12 Harbour Street, Leith"
NOTIFICATIONS = "{ notifications(first: 20) { edges { node { id type emailDelivery emailSentAt } } } }"


def attachment(message: EmailMessage) -> str | None:
    for part in message.iter_attachments():
        if part.get_content_type() == "text/calendar":
            content = part.get_content()
            return content.decode() if isinstance(content, bytes) else str(content)
    return None


async def test_the_confirmation_has_the_address_the_time_in_the_clients_zone_and_an_ics(
    mail_api: Api, mail_server: RunningServer, mailbox: Mailbox
) -> None:
    expert = await make_person(mail_api, mail_server.admin_token, expert=True, name="Maya Expert")
    client = await make_person(
        mail_api, mail_server.admin_token, credits=500, name="Sam Client", time_zone="America/New_York"
    )
    service_id = await make_service(mail_api, expert, modes=("IN_PERSON",), location=ADDRESS)
    booked = await book(mail_api, client, service_id, hours_from_now(72), mode="IN_PERSON")

    [asked] = await mailbox.wait_for(expert.email)
    assert "Sam Client booked Coaching" in asked["Subject"] and attachment(asked) is None

    await act(mail_api, CONFIRM, expert, meetingId=booked["id"])
    [confirmation] = await mailbox.wait_for(client.email)
    body = confirmation.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert confirmation["From"] == "Bookings <bookings@test.example>"
    assert "Maya Expert confirmed Coaching" in confirmation["Subject"] and f"at {ADDRESS}" in confirmation["Subject"]
    assert f"Where: In person at {ADDRESS}" in text and "(America/New_York)" in text and "Price: 50 credits" in text
    calendar = attachment(confirmation)
    assert calendar is not None
    local_start = re.search(r"When: \w{3} (\d{2}) \w{3} (\d{4}), (\d{2}):(\d{2})", text)
    assert local_start is not None
    assert "DTSTART;TZID=America/New_York:" in calendar and "BEGIN:VTIMEZONE" in calendar
    day, year, hour, minute = local_start.groups()
    assert re.search(rf"DTSTART;TZID=America/New_York:{year}\d\d{day}T{hour}{minute}00", calendar)
    assert f"LOCATION:{ADDRESS.replace(',', chr(92) + ',')}" in calendar
    assert f"UID:meeting-{booked['id']}@consult-booking" in calendar
    assert "SUMMARY:Coaching with Maya Expert" in calendar  # the other side, from the client's view

    async def recorded_as_sent() -> bool:  # the mail server has it a moment before the job records it
        delivered = (await mail_api.query(NOTIFICATIONS, token=client.token))["notifications"]["edges"]
        return [edge["node"]["emailDelivery"] for edge in delivered] == ["SENT"]

    assert await eventually(recorded_as_sent)


async def test_a_mail_server_down_then_up_gets_the_mail_once_late(
    mail_api: Api, mail_server: RunningServer, mailbox: Mailbox
) -> None:
    clock = ServerClock(Path(mail_server.env["TEST_CLOCK_FILE"]))
    expert = await make_person(mail_api, mail_server.admin_token, expert=True)
    client = await make_person(mail_api, mail_server.admin_token, credits=500)
    service_id = await make_service(mail_api, expert)
    mailbox.stop()
    try:
        await book(mail_api, client, service_id, hours_from_now(72))

        async def tried_and_waiting() -> ScheduledJob | None:
            notification = await Notification.get_or_none(recipient_id=expert.id)
            job = await ScheduledJob.get_or_none(notification_id=notification.id) if notification else None
            return job if job and job.attempts == 1 and job.status is JobStatus.PENDING else None

        job = await eventually(tried_and_waiting)
        assert job.last_error and "onnect" in job.last_error
        notification = await Notification.get(id=job.notification_id)
        assert notification.email_delivery == "PENDING"
    finally:
        mailbox.start()
    clock.set(job.due_at + timedelta(seconds=1))  # the retry's back-off (30 s) has passed
    try:
        [mail] = await mailbox.wait_for(expert.email)
        await eventually(lambda: _delivered(notification.id))
        assert "booked Coaching" in mail["Subject"]
        retried = job.id

        async def finished() -> ScheduledJob | None:
            row = await ScheduledJob.get(id=retried)
            return row if row.status is JobStatus.DONE else None  # marked done after the mail is marked sent

        assert (await eventually(finished)).attempts == 2
    finally:
        clock.reset()
    assert len(mailbox.to(expert.email)) == 1


async def _delivered(notification_id: object) -> bool:
    notification = await Notification.get(id=notification_id)
    return notification.email_delivery == "SENT" and notification.email_sent_at is not None


async def test_without_smtp_each_mail_is_logged_once(
    api: Api, server: RunningServer, expert: Person, client: Person, service_id: str
) -> None:
    log = next(Path(server.env["DATA_DIR"]).glob("server-*.log"))
    await book(api, client, service_id, hours_from_now(72))

    async def logged() -> bool:
        edges = (await api.query(NOTIFICATIONS, token=expert.token))["notifications"]["edges"]
        return bool(edges) and all(edge["node"]["emailDelivery"] == "LOGGED" for edge in edges)

    await eventually(logged)
    text = log.read_text(errors="replace")
    assert text.count(f"mail to {expert.email} (SMTP_URL unset, not sent)") == 1


async def test_readyz_reports_the_mail_server(mail_api: Api, mailbox: Mailbox) -> None:
    ready = await mail_api.http.get("/readyz")
    assert ready.status_code == 200 and ready.json() == {
        "status": "ready",
        "database": True,
        "broker": True,
        "smtp": True,
    }
    mailbox.stop()
    try:
        dead = await mail_api.http.get("/readyz")
        assert dead.status_code == 503 and dead.json()["smtp"] is False and dead.json()["status"] == "not ready"
    finally:
        mailbox.start()
    assert (await mail_api.http.get("/readyz")).status_code == 200


async def test_a_decline_reaches_the_client_with_its_reason_in_words_and_the_message(
    mail_api: Api, mail_server: RunningServer, mailbox: Mailbox
) -> None:
    expert = await make_person(mail_api, mail_server.admin_token, expert=True, name="Maya Expert")
    client = await make_person(mail_api, mail_server.admin_token, credits=500, name="Sam Client")
    booked = await book(mail_api, client, await make_service(mail_api, expert), hours_from_now(80))
    message = "Away that week.\nCould we try <b>Tuesday</b>?"
    declined = await act(mail_api, DECLINE, expert, meetingId=booked["id"], reason="SCHEDULE_CONFLICT", message=message)
    assert declined["status"] == "REJECTED"
    said = " Reason: a schedule conflict. Message: “Away that week. Could we try <b>Tuesday</b>?”"
    texts = await mail_api.query("{ notifications(first: 5) { edges { node { text } } } }", token=client.token)
    assert texts["notifications"]["edges"][0]["node"]["text"].endswith(said)
    [mail] = await mailbox.wait_for(client.email)
    body = mail.get_body(("plain",))
    assert body is not None and said.strip() in body.get_content()
    assert "\n" not in str(mail["Subject"])  # the message's line break never reaches a header
