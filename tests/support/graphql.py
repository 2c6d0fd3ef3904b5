"""GraphQL over real HTTP (httpx) and real WebSockets (graphql-transport-ws)."""

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect


class GraphQLError(AssertionError):
    pass


class Api:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def raw(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return await self.http.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)

    async def query(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        """`data` of a response that must have no top-level errors."""
        response = await self.raw(query, variables, token)
        body = response.json()
        if response.status_code != 200 or body.get("errors"):
            raise GraphQLError(f"{response.status_code}: {body}")
        data: dict[str, Any] = body["data"]
        return data


class Subscriber:
    """One graphql-transport-ws connection carrying one subscription."""

    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket

    @classmethod
    async def open(cls, ws_url: str, token: str | None, protocol: str = "graphql-transport-ws") -> "Subscriber":
        socket = await connect(ws_url, subprotocols=[protocol])  # type: ignore[list-item]
        subscriber = cls(socket)
        payload = {"authorization": f"Bearer {token}"} if token else {}
        await subscriber.send({"type": "connection_init", "payload": payload})
        return subscriber

    async def send(self, message: dict[str, Any]) -> None:
        await self.socket.send(json.dumps(message))

    async def receive(self, timeout: float = 5.0) -> dict[str, Any]:
        message: dict[str, Any] = json.loads(await asyncio.wait_for(self.socket.recv(), timeout))
        return message

    async def expect_ack(self) -> None:
        message = await self.receive()
        assert message["type"] == "connection_ack", message

    async def subscribe(self, query: str, variables: dict[str, Any] | None = None, op_id: str = "1") -> None:
        await self.send({"id": op_id, "type": "subscribe", "payload": {"query": query, "variables": variables or {}}})

    async def next_payload(self, timeout: float = 5.0) -> dict[str, Any]:
        message = await self.receive(timeout)
        assert message["type"] == "next", message
        payload: dict[str, Any] = message["payload"]
        return payload

    async def close(self) -> None:
        await self.socket.close()


SSE = "text/event-stream"
MULTIPART = 'multipart/mixed;boundary="graphql";subscriptionSpec=1.0,application/json'


class HttpStream:
    """One subscription over HTTP: server-sent events (graphql-sse, distinct connections) or
    Apollo's multipart subscriptions, read frame by frame."""

    def __init__(self, response: httpx.Response, accept: str) -> None:
        self.response = response
        self.accept = accept
        self._chunks = response.aiter_text()
        self._buffer = ""

    async def next_frame(self, timeout: float = 5.0) -> dict[str, Any] | None:
        """The next result (`data`/`errors`), or None once the stream says it is complete."""
        return await asyncio.wait_for(self._next_frame(), timeout)

    async def _next_frame(self) -> dict[str, Any] | None:
        while True:
            separator = "\r\n\r\n" if self.accept == SSE else "\r\n--graphql"
            head, found, rest = self._buffer.partition(separator)
            if not found:
                self._buffer += await anext(self._chunks)
                continue
            self._buffer = rest
            if self.accept == SSE:
                fields = dict(line.split(": ", 1) for line in head.split("\r\n") if ": " in line)
                if fields.get("event") == "complete":
                    return None
                if fields.get("event") == "next":
                    frame: dict[str, Any] = json.loads(fields["data"])
                    return frame
                continue  # a heartbeat comment
            if rest.startswith("--"):
                return None  # the closing delimiter
            body = head.partition("\r\n\r\n")[2]
            part = json.loads(body) if body else {}
            if "payload" in part:
                payload: dict[str, Any] = part["payload"]
                return payload


@asynccontextmanager
async def http_subscription(
    http: httpx.AsyncClient, query: str, variables: dict[str, Any], token: str | None, accept: str = SSE
) -> AsyncIterator[HttpStream]:
    headers = {"Accept": accept, **({"Authorization": f"Bearer {token}"} if token else {})}
    body = {"query": query, "variables": variables}
    async with http.stream("POST", "/graphql", json=body, headers=headers) as response:
        yield HttpStream(response, accept)
