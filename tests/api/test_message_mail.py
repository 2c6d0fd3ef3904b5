"""What a message does for someone not connected, through a real SMTP server on the test
clock: a notification at once, and 10 minutes later one plain-text e-mail with everything still
unread (none when it was read meanwhile; none for someone reading live)."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.schedule import JobKind
from app.models import ScheduledJob
from app.models.jobs import JobStatus
from tests.support.factories import Person, act, make_person
from tests.support.graphql import Api, Subscriber
from tests.support.mailbox import Mailbox
from tests.support.server import RunningServer
from tests.support.waiting import eventually

SEND = """mutation Send($input: SendMessageInput!) {
  sendMessage(input: $input) { __typename ... on Message { id conversationId } ... on Problem { code message } }
}"""
MARK = """mutation Mark($input: MarkConversationReadInput!) {
  markConversationRead(input: $input) { __typename }
}"""
NOTIFICATIONS = "{ notifications(first: 10) { edges { node { type text channels emailDelivery } } } }"


@pytest.fixture
def now(mail_server: RunningServer) -> Iterator[datetime]:
    """The mail server's clock, held at now for this test."""
    moment = datetime.now(UTC)
    mail_server.clock.set(moment)
    yield moment
    mail_server.clock.reset()


async def people(api: Api, server: RunningServer) -> tuple[Person, Person]:
    client = await make_person(api, server.admin_token, name="Cleo Client")
    expert = await make_person(api, server.admin_token, expert=True, name="Eli Expert")
    return client, expert


async def emailed(conversation_id: str, recipient: Person) -> ScheduledJob:
    async def done() -> ScheduledJob | None:
        return await ScheduledJob.filter(
            kind=JobKind.MESSAGES_EMAIL,
            conversation_id=conversation_id,
            recipient_id=recipient.id,
            status=JobStatus.DONE,
        ).first()

    return await eventually(done)


async def test_unread_messages_are_notified_at_once_and_mailed_together_ten_minutes_later(
    mail_api: Api, mail_server: RunningServer, mailbox: Mailbox, now: datetime
) -> None:
    client, expert = await people(mail_api, mail_server)
    first = await act(mail_api, SEND, client, body="Hello <b>Eli</b>", expertId=expert.id)
    await act(mail_api, SEND, client, body="Are you free on Friday?", conversationId=first["conversationId"])
    notes = [e["node"] for e in (await mail_api.query(NOTIFICATIONS, token=expert.token))["notifications"]["edges"]]
    assert [(n["type"], n["channels"], n["emailDelivery"]) for n in notes] == [("MESSAGE", ["DASHBOARD"], "NONE")] * 2
    assert notes[-1]["text"] == "Cleo Client: Hello <b>Eli</b>"
    jobs = await ScheduledJob.filter(kind=JobKind.MESSAGES_EMAIL, recipient_id=expert.id)
    assert len(jobs) == 1 and jobs[0].due_at == now + timedelta(minutes=10)
    mail_server.clock.set(now + timedelta(minutes=10, seconds=1))
    [mail] = await mailbox.wait_for(expert.email)
    await emailed(first["conversationId"], expert)
    assert mail["Subject"] == "2 unread messages from Cleo Client"
    assert mail.get_content_type() == "text/plain"
    text = mail.get_content()
    assert "Hello <b>Eli</b>" in text and "Are you free on Friday?" in text
    assert mailbox.to(expert.email) == [mail]  # once


async def test_a_message_read_in_time_is_not_mailed_and_a_reader_online_is_not_notified(
    mail_api: Api, mail_server: RunningServer, mailbox: Mailbox, now: datetime
) -> None:
    client, expert = await people(mail_api, mail_server)
    sent = await act(mail_api, SEND, client, body="Quick question", expertId=expert.id)
    await act(mail_api, MARK, expert, conversationId=sent["conversationId"])
    mail_server.clock.set(now + timedelta(minutes=10, seconds=1))
    await emailed(sent["conversationId"], expert)  # it ran, and found nothing unread
    assert mailbox.to(expert.email) == []
    reader = await Subscriber.open(mail_server.ws_url, expert.token)
    try:
        await reader.expect_ack()
        live = "subscription Live($id: ID) { messageAdded(conversationId: $id, afterSequence: 0) { id } }"
        await reader.subscribe(live, {"id": sent["conversationId"]})
        # The catch-up frame says the subscription, and so the expert's presence, is live.
        assert (await reader.next_payload())["data"]["messageAdded"]["id"] == sent["id"]
        before = await ScheduledJob.filter(kind=JobKind.MESSAGES_EMAIL, recipient_id=expert.id).count()
        await act(mail_api, SEND, client, body="Live now", conversationId=sent["conversationId"])
        notes = (await mail_api.query(NOTIFICATIONS, token=expert.token))["notifications"]["edges"]
        assert notes[0]["node"]["text"] != "Cleo Client: Live now"
        assert await ScheduledJob.filter(kind=JobKind.MESSAGES_EMAIL, recipient_id=expert.id).count() == before
    finally:
        await reader.close()
