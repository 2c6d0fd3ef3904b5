"""Subscriptions over HTTP: server-sent events (graphql-sse, distinct connections) and Apollo's
multipart subscriptions, with the WebSocket's sign-in, privacy and token expiry."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.support.factories import CONFIRM, Person, act, book, hours_from_now
from tests.support.graphql import MULTIPART, SSE, Api, http_subscription
from tests.support.server import ServerClock

WATCH = "subscription($id: ID!) { meetingUpdated(meetingId: $id) { id status version } }"


@pytest.mark.parametrize("accept", [SSE, MULTIPART], ids=["graphql-sse", "multipart"])
async def test_a_meeting_watched_over_http_sends_its_state_then_each_change(
    api: Api, client: Person, expert: Person, service_id: str, accept: str
) -> None:
    meeting = await book(api, client, service_id, hours_from_now(70))
    async with http_subscription(api.http, WATCH, {"id": meeting["id"]}, client.token, accept) as stream:
        assert stream.response.status_code == 200
        assert stream.response.headers["content-type"].startswith(accept.split(";")[0].split(",")[0])
        first = await stream.next_frame()
        assert first is not None and first["data"]["meetingUpdated"]["status"] == "AWAITING_APPROVAL"
        await act(api, CONFIRM, expert, meetingId=meeting["id"])
        frame = await stream.next_frame()
        assert frame is not None and frame["data"]["meetingUpdated"]["status"] == "AGREED"


async def test_an_outsider_watching_over_sse_gets_not_found_and_the_stream_completes(
    api: Api, client: Person, outsider: Person, service_id: str
) -> None:
    meeting = await book(api, client, service_id, hours_from_now(71))
    async with http_subscription(api.http, WATCH, {"id": meeting["id"]}, outsider.token) as stream:
        refused = await stream.next_frame()
        assert refused is not None and refused["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        assert await stream.next_frame() is None


async def test_sse_without_a_token_is_told_to_sign_in_and_a_bad_token_is_a_401(
    api: Api, client: Person, service_id: str
) -> None:
    meeting = await book(api, client, service_id, hours_from_now(72))
    async with http_subscription(api.http, WATCH, {"id": meeting["id"]}, None) as stream:
        refused = await stream.next_frame()
        assert refused is not None and refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert await stream.next_frame() is None
    async with http_subscription(api.http, WATCH, {"id": meeting["id"]}, "not-a-token") as stream:
        assert stream.response.status_code == 401
        body = (await stream.response.aread()).decode()
        assert "this token is not valid here" in body


async def test_an_sse_stream_ends_unauthenticated_when_its_token_expires(
    api: Api, clock: ServerClock, client: Person, service_id: str
) -> None:
    now = datetime.now(UTC)
    clock.set(now)
    meeting = await book(api, client, service_id, hours_from_now(73))
    async with http_subscription(api.http, WATCH, {"id": meeting["id"]}, client.token) as stream:
        assert await stream.next_frame() is not None
        clock.set(now + timedelta(days=31))  # tokens live 30 days
        ended = await stream.next_frame()
        assert ended is not None and ended["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert await stream.next_frame() is None


async def test_a_query_is_streamed_only_to_a_client_that_accepts_nothing_else(api: Api, client: Person) -> None:
    """urql lists text/event-stream after the JSON types in every request's Accept."""
    query = {"query": "{ viewer { id } }"}
    headers = {"Authorization": f"Bearer {client.token}"}
    urql_accept = "application/graphql-response+json, application/graphql+json, application/json, text/event-stream"
    answered = await api.http.post("/graphql", json=query, headers={**headers, "Accept": urql_accept})
    assert answered.headers["content-type"].startswith("application/graphql-response+json")
    assert answered.json()["data"]["viewer"]["id"] == client.id
    async with http_subscription(api.http, query["query"], {}, client.token) as stream:
        assert stream.response.headers["content-type"].startswith(SSE)
        frame = await stream.next_frame()
        assert frame is not None and frame["data"]["viewer"]["id"] == client.id
        assert await stream.next_frame() is None
