"""Python's `gql`: queries and mutations over HTTP (httpx), subscriptions over the WebSocket."""

from collections.abc import AsyncIterator
from typing import Any

from gql import Client, GraphQLRequest, gql
from gql.transport.httpx import HTTPXAsyncTransport
from gql.transport.websockets import WebsocketsTransport

MEETINGS = gql("query MyMeetings { meetings(first: 10) { edges { node { id status startsAt } } } }")
LIVE = gql("subscription Live($id: ID) { meetingUpdated(meetingId: $id, initial: true) { id status version } }")


def http_client(url: str, token: str) -> Client:
    """`url`: http(s)://<host>/graphql."""
    transport = HTTPXAsyncTransport(url=url, headers={"Authorization": f"Bearer {token}"})
    return Client(transport=transport, fetch_schema_from_transport=False)


def live_client(url: str, token: str) -> Client:
    """`url`: ws(s)://<host>/graphql; the token goes in connection_init."""
    transport = WebsocketsTransport(
        url=url,
        init_payload={"authorization": f"Bearer {token}"},
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],  # graphql-transport-ws
    )
    return Client(transport=transport)


async def my_meetings(url: str, token: str) -> list[dict[str, Any]]:
    async with http_client(url, token) as session:
        result = await session.execute(MEETINGS)
    return [edge["node"] for edge in result["meetings"]["edges"]]


async def watch(url: str, token: str, meeting_id: str | None = None) -> AsyncIterator[dict[str, Any]]:
    """Each change to the viewer's meetings (or one meeting), the current state first."""
    async with live_client(url, token) as session:
        async for result in session.subscribe(GraphQLRequest(LIVE, variable_values={"id": meeting_id})):
            yield result["meetingUpdated"]
