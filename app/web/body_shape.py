"""Refuses a GraphQL request body that is not a JSON object, before GraphQL reads it.

Invalid UTF-8, JSON nested deeper than `MAX_JSON_DEPTH`, a body that is a string,
a number, null or a boolean, and `variables` or `extensions` that are not objects
are each a 400 with a coded JSON error, not a fault. The body is read once (the
size limit has already applied) and handed on unchanged.
"""

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.http_errors import send_error
from app.web.media import JSON, preferred_media_type

MAX_JSON_DEPTH = 32


class MalformedBody(Exception):
    pass


def json_depth(body: bytes) -> int:
    """The deepest nesting of arrays and objects, ignoring brackets inside strings."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


GRAPHQL_QUERY = "graphql_query"
"""Where a checked body's document is left in the request's state (the response cache reads it
rather than parsing the body again)."""


def check_graphql_body(body: bytes) -> dict[str, Any]:
    """The parsed body, when it is one well-formed GraphQL request."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedBody("the request body is not valid UTF-8") from exc
    if json_depth(body) > MAX_JSON_DEPTH:
        raise MalformedBody(f"the request body is nested more than {MAX_JSON_DEPTH} levels deep")
    try:
        parsed = json.loads(text)
    except ValueError as exc:
        raise MalformedBody("the request body is not JSON") from exc
    if isinstance(parsed, list):
        raise MalformedBody("batches are not supported: send one operation per request")
    if not isinstance(parsed, dict):
        raise MalformedBody("the request body must be a JSON object with a query")
    if not isinstance(parsed.get("query"), str) or not parsed["query"].strip():
        raise MalformedBody("`query` must be a string holding the GraphQL document")
    if parsed.get("operationName") is not None and not isinstance(parsed["operationName"], str):
        raise MalformedBody("`operationName` must be a string")
    for key in ("variables", "extensions"):
        if parsed.get(key) is not None and not isinstance(parsed[key], dict):
            raise MalformedBody(f"`{key}` must be a JSON object")
    if _has_untextual_string(parsed):
        raise MalformedBody("the request holds a NUL or a lone surrogate, which is not text")
    return parsed


def _has_untextual_string(value: object) -> bool:
    """Bounded by the depth check above."""
    if isinstance(value, str):
        return "\x00" in value or any("\ud800" <= char <= "\udfff" for char in value)
    if isinstance(value, dict):
        return any(_has_untextual_string(k) or _has_untextual_string(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_untextual_string(item) for item in value)
    return False


class GraphQLBodyShape:
    def __init__(self, app: ASGIApp, path: str = "/graphql") -> None:
        self.app = app
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers", []))
        if (
            scope["type"] != "http"
            or scope.get("method") != "POST"
            or scope.get("path") != self.path
            or not headers.get(b"content-type", b"").startswith(b"application/json")
        ):
            await self.app(scope, receive, send)
            return
        chunks = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, receive, send)  # the client went away; let the app see it
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        try:
            scope.setdefault("state", {})[GRAPHQL_QUERY] = check_graphql_body(body)["query"]
        except MalformedBody as exc:
            accept = headers.get(b"accept", b"").decode("latin-1")
            await send_error(send, 400, str(exc), preferred_media_type(accept) or JSON)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
