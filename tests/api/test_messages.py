"""Messages between a client and an expert over real HTTP and WebSockets: the thread, read
marks and unread counts, edits and tombstones, who may read and write, hostile bodies and the
rate limit (each refusal changing nothing), live frames, catching up, and races."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.api.test_instant import post as post_instant
from tests.support.factories import Person, act, book, hours_from_now, make_person
from tests.support.graphql import Api, Subscriber
from tests.support.server import RunningServer, ServerClock

MESSAGE = "id conversationId sequence body deleted editedAt sender { id }"
SEND = f"""mutation Send($input: SendMessageInput!) {{
  sendMessage(input: $input) {{ __typename ... on Message {{ {MESSAGE} }} ... on Problem {{ code message }} }}
}}"""
EDIT = f"""mutation Edit($input: EditMessageInput!) {{
  editMessage(input: $input) {{ __typename ... on Message {{ {MESSAGE} }} ... on Problem {{ code message }} }}
}}"""
DELETE = f"""mutation Delete($input: DeleteMessageInput!) {{
  deleteMessage(input: $input) {{ __typename ... on Message {{ {MESSAGE} }} ... on Problem {{ code message }} }}
}}"""
MARK = """mutation Mark($input: MarkConversationReadInput!) {
  markConversationRead(input: $input) { __typename ... on Conversation { unreadCount } ... on Problem { code } }
}"""
CONVERSATIONS = """{ viewer { unreadMessageCount }
  conversations(first: 10) { edges { node { id kind unreadCount lastSequence client { id } expert { id } } } } }"""
THREAD = f"""query Thread($id: ID!, $before: String) {{
  conversation(id: $id) {{
    __typename
    ... on Conversation {{ id kind meetingId messages(first: 2, before: $before) {{
      edges {{ cursor node {{ {MESSAGE} }} }} pageInfo {{ hasNextPage endCursor }} }} }}
    ... on Problem {{ code message }}
  }}
}}"""
LIVE = f"subscription Live($id: ID, $after: Int) {{ messageAdded(conversationId: $id, afterSequence: $after) {{ {MESSAGE} }} }}"


async def send(api: Api, person: Person, body: str, **target: Any) -> dict[str, Any]:
    return await act(api, SEND, person, body=body, **target)


async def inbox(api: Api, person: Person) -> dict[str, Any]:
    return await api.query(CONVERSATIONS, token=person.token)


@asynccontextmanager
async def listening(server: RunningServer, person: Person, **variables: Any) -> AsyncIterator[Subscriber]:
    subscriber = await Subscriber.open(server.ws_url, person.token)
    try:
        await subscriber.expect_ack()
        await subscriber.subscribe(LIVE, variables)
        yield subscriber
    finally:
        await subscriber.close()


async def until_live(api: Api, subscriber: Subscriber, person: Person, expert: Person) -> None:
    """Returns once `person`'s all-conversations subscription hears them: probes (their own
    messages to `expert`) go out until one comes back; those sent after it are drained, since
    every probe published once the subscription is live arrives, in order."""
    probes: list[str] = []
    for _ in range(50):
        probes.append((await send(api, person, f"probe {len(probes)}", expertId=expert.id))["id"])
        try:
            first = await subscriber.next_payload(timeout=0.3)
        except TimeoutError:
            continue
        for _later in probes[probes.index(first["data"]["messageAdded"]["id"]) + 1 :]:
            await subscriber.next_payload()
        return
    raise AssertionError("the subscription never heard its own messages")


async def frame(subscriber: Subscriber) -> dict[str, Any]:
    payload = await subscriber.next_payload()
    assert "errors" not in payload, payload
    message: dict[str, Any] = payload["data"]["messageAdded"]
    return message


async def test_a_client_writes_to_an_expert_before_booking_and_each_reads_what_is_unread(
    api: Api, client: Person, expert: Person
) -> None:
    first = await send(api, client, "Hello! Can you help with a career change?", expertId=expert.id)
    assert (first["__typename"], first["sequence"], first["sender"]["id"]) == ("Message", 1, client.id)
    seen = await inbox(api, expert)
    [conversation] = [edge["node"] for edge in seen["conversations"]["edges"]]
    assert (conversation["kind"], conversation["unreadCount"], conversation["client"]["id"]) == ("DIRECT", 1, client.id)
    assert seen["viewer"]["unreadMessageCount"] == 1
    reply = await send(api, expert, "Yes: book a first session.\nOr ask here.", conversationId=conversation["id"])
    assert reply["sequence"] == 2 and reply["conversationId"] == first["conversationId"]
    assert (await inbox(api, client))["viewer"]["unreadMessageCount"] == 1  # the reply
    again = await send(api, client, "Thanks", expertId=expert.id)  # the same conversation, found again
    assert again["conversationId"] == first["conversationId"] and again["sequence"] == 3
    assert (await inbox(api, client))["viewer"]["unreadMessageCount"] == 0  # answering reads what came before
    marked = await act(api, MARK, expert, conversationId=conversation["id"], upTo=2)
    assert marked["unreadCount"] == 1
    assert (await act(api, MARK, expert, conversationId=conversation["id"]))["unreadCount"] == 0
    assert (await act(api, MARK, expert, conversationId=conversation["id"], upTo=1))["unreadCount"] == 0  # forward only
    thread = (await api.query(THREAD, {"id": conversation["id"]}, expert.token))["conversation"]
    page = thread["messages"]
    assert [edge["node"]["sequence"] for edge in page["edges"]] == [3, 2] and page["pageInfo"]["hasNextPage"]
    older = await api.query(THREAD, {"id": conversation["id"], "before": page["pageInfo"]["endCursor"]}, expert.token)
    assert [edge["node"]["body"] for edge in older["conversation"]["messages"]["edges"]] == [first["body"]]


async def test_outsiders_get_not_found_like_an_unknown_id_and_admins_read_without_writing(
    api: Api, server: RunningServer, client: Person, expert: Person, outsider: Person, service_id: str
) -> None:
    meeting = await book(api, client, service_id, hours_from_now(80))
    sent = await send(api, expert, "Please bring your CV.", meetingId=meeting["id"])
    thread = (await api.query(THREAD, {"id": sent["conversationId"]}, client.token))["conversation"]
    assert (thread["kind"], thread["meetingId"]) == ("MEETING", meeting["id"])
    before = await server.snapshot()
    unknown = "00000000-0000-4000-8000-000000000000"
    for target in ({"meetingId": meeting["id"]}, {"conversationId": sent["conversationId"]}):
        refused = await send(api, outsider, "Hi", **target)
        assert refused["code"] == "NOT_FOUND", refused
    hidden = (await api.query(THREAD, {"id": sent["conversationId"]}, outsider.token))["conversation"]
    missing = (await api.query(THREAD, {"id": unknown}, outsider.token))["conversation"]
    assert hidden == missing == {"__typename": "NotFound", "code": "NOT_FOUND", "message": "no such conversation"}
    for mutation, fields in ((EDIT, {"messageId": sent["id"], "body": "x"}), (DELETE, {"messageId": sent["id"]})):
        assert (await act(api, mutation, outsider, **fields))["code"] == "NOT_FOUND"
    admin = Person(id="", token=server.admin_token, email="")
    read = (await api.query(THREAD, {"id": sent["conversationId"]}, admin.token))["conversation"]
    assert read["messages"]["edges"][0]["node"]["body"] == "Please bring your CV."
    assert (await send(api, admin, "As admin", conversationId=sent["conversationId"]))["code"] == "NOT_ALLOWED"
    assert (await act(api, MARK, admin, conversationId=sent["conversationId"]))["code"] == "NOT_ALLOWED"
    assert await server.snapshot() == before


async def test_the_sender_edits_for_ten_minutes_and_a_deleted_message_stays_as_a_tombstone(
    api: Api, server: RunningServer, clock: ServerClock, client: Person, expert: Person
) -> None:
    now = datetime.now(UTC)
    clock.set(now)
    sent = await send(api, client, "Tuesday works", expertId=expert.id)
    assert (await act(api, EDIT, expert, messageId=sent["id"], body="mine now"))["code"] == "NOT_ALLOWED"
    edited = await act(api, EDIT, client, messageId=sent["id"], body="Tuesday or Wednesday works")
    assert edited["body"] == "Tuesday or Wednesday works" and edited["editedAt"] is not None
    clock.set(now + timedelta(minutes=10, seconds=1))
    late = await act(api, EDIT, client, messageId=sent["id"], body="Thursday")
    assert late["code"] == "TOO_LATE"
    assert (await act(api, DELETE, expert, messageId=sent["id"]))["code"] == "NOT_ALLOWED"
    deleted = await act(api, DELETE, client, messageId=sent["id"])
    assert (deleted["body"], deleted["deleted"], deleted["sequence"]) == ("message deleted", True, 1)
    before = await server.snapshot()
    assert (await act(api, DELETE, client, messageId=sent["id"]))["code"] == "INVALID_STATE"
    assert await server.snapshot() == before
    thread = (await api.query(THREAD, {"id": sent["conversationId"]}, expert.token))["conversation"]
    assert thread["messages"]["edges"][0]["node"]["body"] == "message deleted"


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("", "needs some text"),
        ("   \n ", "needs some text"),
        ("x" * 4001, "at most 4000"),
        ("bell\x07", "control characters"),
        ("escape\x1b[31m", "control characters"),
    ],
    ids=["empty", "blank", "too long", "bell", "escape"],
)
async def test_a_hostile_body_is_refused_and_changes_nothing(
    api: Api, server: RunningServer, client: Person, expert: Person, body: str, says: str
) -> None:
    before = await server.snapshot()
    refused = await send(api, client, body, expertId=expert.id)
    assert refused["code"] == "INVALID_INPUT" and says in refused["message"]
    assert await server.snapshot() == before


async def test_a_message_names_exactly_one_place_and_html_is_kept_as_text(
    api: Api, client: Person, expert: Person
) -> None:
    both = await send(api, client, "Hi", expertId=expert.id, conversationId="00000000-0000-4000-8000-000000000000")
    assert both["code"] == "INVALID_INPUT" and "exactly one" in both["message"]
    assert (await send(api, client, "Hi"))["code"] == "INVALID_INPUT"
    assert (await send(api, client, "Hi", expertId=client.id))["code"] == "NOT_FOUND"
    markup = '<script>alert("x")</script> <b>bold</b>'
    assert (await send(api, client, markup, expertId=expert.id))["body"] == markup


async def test_a_sender_writes_at_most_thirty_messages_a_minute(
    api: Api, server: RunningServer, clock: ServerClock, client: Person, expert: Person
) -> None:
    now = datetime.now(UTC)
    clock.set(now)
    answers = await asyncio.gather(*(send(api, client, f"message {n}", expertId=expert.id) for n in range(35)))
    sent = [answer for answer in answers if answer["__typename"] == "Message"]
    assert sorted(answer["sequence"] for answer in sent) == list(range(1, 31))  # one conversation, no gaps
    assert [answer["code"] for answer in answers if answer["__typename"] != "Message"] == ["LIMIT_EXCEEDED"] * 5
    before = await server.snapshot()
    limited = await send(api, client, "one more", expertId=expert.id)
    assert limited["code"] == "LIMIT_EXCEEDED"
    assert await server.snapshot() == before
    clock.set(now + timedelta(minutes=1, seconds=1))
    assert (await send(api, client, "a minute later", expertId=expert.id))["sequence"] == 31


async def test_both_participants_hear_sends_edits_and_deletes_live_and_an_outsider_hears_nothing(
    api: Api, server: RunningServer, client: Person, expert: Person, outsider: Person
) -> None:
    opened = await send(api, client, "Are you free this week?", expertId=expert.id)
    conversation_id = opened["conversationId"]
    other_expert = await make_person(api, server.admin_token, expert=True, name="Probe Expert")
    async with (
        listening(server, client) as everything,
        listening(server, expert, id=conversation_id, after=0) as one,
        listening(server, outsider) as stranger,
    ):
        await until_live(api, everything, client, other_expert)
        await until_live(api, stranger, outsider, other_expert)
        assert (await frame(one))["id"] == opened["id"]  # the catch-up frame: live
        sent = await send(api, expert, "Thursday at 10?", conversationId=conversation_id)
        edited = await act(api, EDIT, expert, messageId=sent["id"], body="Thursday at 11?")
        await act(api, DELETE, expert, messageId=sent["id"])
        for subscriber in (everything, one):
            frames = [await frame(subscriber) for _ in range(3)]
            assert [f["id"] for f in frames] == [sent["id"]] * 3
            assert [f["body"] for f in frames] == ["Thursday at 10?", edited["body"], "message deleted"]
        # The outsider's first frame is their own message, sent after all of the above.
        own = await send(api, outsider, "Hello", expertId=expert.id)
        assert (await frame(stranger))["id"] == own["id"]


async def test_a_subscriber_catches_up_from_the_last_sequence_it_saw(
    api: Api, server: RunningServer, client: Person, expert: Person
) -> None:
    opened = await send(api, client, "one", expertId=expert.id)
    for body in ("two", "three"):
        await send(api, expert, body, conversationId=opened["conversationId"])
    async with listening(server, client, id=opened["conversationId"], after=1) as subscriber:
        assert [(await frame(subscriber))["body"] for _ in range(2)] == ["two", "three"]
        live = await send(api, expert, "four", conversationId=opened["conversationId"])
        assert (await frame(subscriber))["id"] == live["id"]


async def test_an_outsider_cannot_subscribe_to_a_conversation(
    server: RunningServer, api: Api, client: Person, expert: Person, outsider: Person
) -> None:
    opened = await send(api, client, "private", expertId=expert.id)
    async with listening(server, outsider, id=opened["conversationId"]) as subscriber:
        refused = await subscriber.next_payload()
        assert refused["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_an_expert_asks_about_an_open_instant_request_and_its_client_answers_in_that_conversation(
    api: Api, server: RunningServer, client: Person, expert: Person
) -> None:
    posted = await post_instant(api, client, "coaching")
    question = await send(api, expert, "Which framework do you use?", instantRequestId=posted["id"])
    thread = (await api.query(THREAD, {"id": question["conversationId"]}, client.token))["conversation"]
    assert thread["kind"] == "INSTANT_REQUEST"
    assert (await send(api, client, "Django", instantRequestId=posted["id"]))["code"] == "INVALID_INPUT"
    answer = await send(api, client, "Django", conversationId=question["conversationId"])
    assert answer["sequence"] == 2
    stranger = await make_person(api, server.admin_token, expert=True, skills=("pottery",))
    assert (await send(api, stranger, "Me too?", instantRequestId=posted["id"]))["code"] == "NOT_FOUND"
