"""The GraphQL endpoint: who is asking, over HTTP and over WebSocket."""

import json
from dataclasses import replace
from functools import lru_cache
from typing import Any

import orjson
from cross_web import HTTPException
from graphql import GraphQLError, OperationType, get_operation_ast, parse
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.schema import Schema
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.subscriptions import (
    GRAPHQL_SSE_PROTOCOL,
    GRAPHQL_TRANSPORT_WS_PROTOCOL,
    GRAPHQL_WS_PROTOCOL,
    MULTIPART_SUBSCRIPTION_PROTOCOL,
)
from strawberry.types import ExecutionResult
from strawberry.types.unset import UnsetType
from tortoise.exceptions import IntegrityError

from app.api import CACHED_DOCUMENTS
from app.domain.errors import Refusal
from app.domain.idempotency import KeyReused, Replay, fingerprint, validate_key
from app.http_errors import error_response
from app.outages import RETRY_AFTER_SECONDS, SERVICE_UNAVAILABLE
from app.schema.context import Context
from app.services import idempotency, users
from app.services.runtime import Runtime
from app.services.tokens import InvalidToken, NoToken, bearer_token
from app.services.unit_of_work import unit_of_work
from app.web import cached_answers, graphiql
from app.web.body_shape import MAX_JSON_DEPTH, json_depth
from app.web.cached_answers import SignedIn
from app.web.frame_groups import FrameGroups
from app.web.media import GRAPHQL_RESPONSE, JSON, preferred_media_type
from app.web.origins import refusal
from app.web.protocols import GraphQLTransportWS, GraphQLWS, SignInRefused

ALLOWED_METHODS = "GET, POST"

SUBSCRIPTION_PROTOCOLS = (
    GRAPHQL_TRANSPORT_WS_PROTOCOL,
    GRAPHQL_WS_PROTOCOL,
    GRAPHQL_SSE_PROTOCOL,
    MULTIPART_SUBSCRIPTION_PROTOCOL,
)
"""Over the WebSocket (graphql-transport-ws, legacy graphql-ws) and over HTTP: server-sent
events (graphql-sse, distinct connections: `Accept: text/event-stream`) and Apollo's multipart
subscriptions (`Accept: multipart/mixed;subscriptionSpec=1.0`). Same sign-in (the HTTP
Authorization header), limits and privacy on each; on HTTP each stream is its own connection."""

WHERE_SUBSCRIPTIONS_RUN = (
    "subscriptions run over a WebSocket at /graphql (graphql-transport-ws), or over HTTP with "
    "Accept: text/event-stream (graphql-sse) or Accept: multipart/mixed;subscriptionSpec=1.0 (Apollo)"
)


IDEMPOTENCY_KEY = "Idempotency-Key"


class _NotKept(Exception):
    """Leaves an idempotent request's transaction with a result not to keep: rolled back."""

    def __init__(self, result: ExecutionResult) -> None:
        self.result = result


class RequestRefused(HTTPException):
    """A request answered before it ran, with the `Allow` header a 405 needs."""

    def __init__(self, status_code: int, reason: str, allow: str | None = None) -> None:
        super().__init__(status_code, reason)
        self.headers = {"Allow": allow} if allow else None


def _never_ran(result: ExecutionResult) -> bool:
    """Parse, validation and variable errors: no data and no error from a field."""
    return result.data is None and not any(error.path for error in result.errors or ())


@lru_cache(maxsize=CACHED_DOCUMENTS)
def _operation_type(query: str, operation_name: str | None) -> OperationType | None:
    """Cached like the schema's own parse: clients send the same few documents. None for a
    document the GraphQL layer will refuse (a syntax error, no such operation)."""
    try:
        document = parse(query)
    except GraphQLError:
        return None
    operation = get_operation_ast(document, operation_name)
    return operation.operation if operation is not None else None


def _well_formed_frame(message: dict[str, object]) -> bool:
    """A protocol frame (it has a `type`) has a text type, a text id and an object payload;
    a `subscribe` payload is a request: a text query, an object (or null) of variables and
    of extensions, a text (or null) operation name (graphql-transport-ws)."""
    if "type" not in message:
        return True  # an HTTP request body: the GraphQL layer checks it
    payload = message.get("payload") or {}
    if not isinstance(payload, dict) or not isinstance(message.get("id", ""), str):
        return False
    if message["type"] != "subscribe":
        return isinstance(message["type"], str)
    optional = {"variables": dict, "extensions": dict, "operationName": str}
    return isinstance(payload.get("query"), str) and all(
        payload.get(key) is None or isinstance(payload[key], kind) for key, kind in optional.items()
    )


class GraphQLView(GraphQL[Context, None]):
    graphql_transport_ws_handler_class = GraphQLTransportWS
    graphql_ws_handler_class = GraphQLWS

    def __init__(self, runtime: Runtime, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.runtime = runtime
        self.frame_groups = FrameGroups(self.schema)
        assert isinstance(self.schema, Schema)
        self.graphql_schema = self.schema._schema

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """GraphQL over HTTP: the media type the client asked for, and with
        `application/graphql-response+json` a 400 for a request that never ran. A request
        refused before it ran (method, media type, token, a subscription) is a JSON error
        with a code, never a text/plain line."""
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope=scope, receive=receive)
        media_type = preferred_media_type(request.headers.get("accept"))
        key = await self._cache_key(request, media_type)
        if key is None:
            response = await self._respond(request, media_type)
        else:
            response = await cached_answers.answer(
                self.runtime, request, key, lambda: self._respond(request, media_type)
            )
        await response(scope, receive, send)

    async def _cache_key(self, request: Request, media_type: str | None) -> str | None:
        """The response cache's key for a request it may answer; None for the others (a
        stream, an Idempotency-Key, a request refused before it runs, a token refused, a
        document it never keeps)."""
        if not self.runtime.settings.response_cache or media_type is None or IDEMPOTENCY_KEY in request.headers:
            return None
        try:
            self._check_request(request, media_type)
            if self._get_stream_transport_from_headers(request.headers) is not None:
                return None
            signed_in = await self._signed_in(request)
        except (HTTPException, InvalidToken):
            return None  # answered as without the cache
        return await cached_answers.cache_key(request, self.graphql_schema, media_type, signed_in)

    async def _signed_in(self, request: Request) -> SignedIn | None:
        """Who the Authorization header signs in, once per request (get_context reuses it)."""
        token = bearer_token(request.headers.get("authorization"))
        if token is None:
            return None
        signed_in = SignedIn(*await users.signed_in(self.runtime, token))
        request.state.signed_in = signed_in
        return signed_in

    async def _respond(self, request: Request, media_type: str | None) -> Response:
        try:
            self._check_request(request, media_type)
            response = await self.run(request)
        except HTTPException as exc:
            headers = exc.headers if isinstance(exc, RequestRefused) else None
            response = error_response(exc.status_code, exc.reason, media_type or JSON, headers)
        else:
            if media_type == GRAPHQL_RESPONSE and response.media_type == JSON:
                response.headers["content-type"] = GRAPHQL_RESPONSE
                if getattr(request.state, "never_ran", False):  # set by process_result
                    response.status_code = 400
            if getattr(request.state, "replayed", False):  # set by _execute_once
                response.headers["Idempotent-Replayed"] = "true"
            if getattr(request.state, "unavailable", False):  # set by process_result
                response.status_code = 503
                response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    def _check_request(self, request: Request, media_type: str | None) -> None:
        if request.method not in ("GET", "POST"):
            raise RequestRefused(405, "GraphQL is served over GET (queries) and POST", ALLOWED_METHODS)
        streamed = self._get_stream_transport_from_headers(request.headers) is not None
        if media_type is None and not streamed and "text/html" not in request.headers.get("accept", ""):
            raise RequestRefused(
                406, f"this endpoint answers {GRAPHQL_RESPONSE} or {JSON}; subscriptions: text/event-stream"
            )
        content_type = request.headers.get("content-type", "")
        if request.method == "POST" and not content_type.startswith(JSON):
            raise RequestRefused(415, "send the operation as a JSON body (Content-Type: application/json)")

    async def parse_http_body(self, request: Any) -> GraphQLRequestData | list[GraphQLRequestData]:
        """A query or mutation is streamed (as one event) only to a client that accepts nothing
        else: urql, for one, lists text/event-stream after the JSON types in every request's
        Accept and cannot read CRLF-framed events; a subscription is always streamed."""
        parsed = await super().parse_http_body(request)
        if (
            isinstance(parsed, GraphQLRequestData)
            and parsed.protocol != "http"
            and isinstance(parsed.query, str)
            and _operation_type(parsed.query, parsed.operation_name) is not OperationType.SUBSCRIPTION
            and preferred_media_type(request.headers.get("accept")) is not None
        ):
            return replace(parsed, protocol="http")
        return parsed

    async def reject_websocket(self, request: WebSocket) -> WebSocket:
        """A socket from an origin not allowed: logged naming ALLOWED_ORIGINS, then Strawberry's 403."""
        origin = request.headers.get("origin", "")
        refusal(origin, tuple(self.allowed_origins), "a WebSocket")
        return await super().reject_websocket(request)

    async def render_graphql_ide(self, request: Request) -> Response:
        """Our own GraphiQL page: local assets, example tabs, a headers template."""
        return await graphiql.page_response(self.runtime)

    async def execute_single(self, *args: Any, **kwargs: Any) -> Any:
        """A subscription over HTTP is a 400 saying where subscriptions live; a mutation
        over GET is a 405 saying to POST it."""
        request_data = kwargs.get("request_data")
        query = getattr(request_data, "query", None)
        operation_name = getattr(request_data, "operation_name", None)
        operation = _operation_type(query, operation_name) if isinstance(query, str) else None
        if operation is OperationType.SUBSCRIPTION:
            raise HTTPException(400, WHERE_SUBSCRIPTIONS_RUN)
        request: Request = kwargs["request"]
        key = request.headers.get(IDEMPOTENCY_KEY)
        try:
            if key is None or operation is not OperationType.MUTATION or request.method != "POST":
                result = await super().execute_single(*args, **kwargs)
                if operation is OperationType.QUERY:
                    cached_answers.keep_if_cacheable(request, self.graphql_schema, kwargs["context"], query, result)
                return result
            request_fingerprint = fingerprint(str(query), getattr(request_data, "variables", None), operation_name)
            return await self._execute_once(request, kwargs["context"], key, request_fingerprint, args, kwargs)
        except HTTPException as exc:
            if isinstance(exc.__cause__, InvalidOperationTypeError):
                raise RequestRefused(405, "mutations are sent with POST", "POST") from exc
            raise

    async def _execute_once(
        self, request: Request, context: Context, key: str, request_fingerprint: str, args: Any, kwargs: Any
    ) -> ExecutionResult:
        """A mutation under an Idempotency-Key: its change, and its result kept under the key, in
        one transaction; the same request again answers that result (`Idempotent-Replayed:
        true`). A result with errors (a fault, an outage) is not kept: its change is rolled
        back, and a retry acts."""
        try:
            validate_key(key)
        except Refusal as refusal:
            raise RequestRefused(400, refusal.message) from refusal
        if context.viewer is None:
            raise RequestRefused(401, "an Idempotency-Key belongs to a user: send it with a token")
        user_id, now = context.viewer.user_id, self.runtime.clock.now()
        try:
            async with unit_of_work(self.runtime):
                decision = await idempotency.look_up(user_id, key, request_fingerprint, now)
                if isinstance(decision, Replay):
                    request.state.replayed = True
                    return ExecutionResult(data=json.loads(decision.response), errors=None)
                result: ExecutionResult = await super().execute_single(*args, **kwargs)
                if result.errors:
                    raise _NotKept(result)
                await idempotency.keep(user_id, key, request_fingerprint, json.dumps(result.data), decision, now)
                return result
        except _NotKept as not_kept:
            return not_kept.result
        except KeyReused as exc:
            raise RequestRefused(422, str(exc)) from exc
        except IntegrityError as exc:
            raise RequestRefused(
                409, "a request with this Idempotency-Key is being answered; retry for its result"
            ) from exc

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        """A request that never ran has no `data` entry (the GraphQL spec's rule); one that met
        an outage of the database is answered 503 (see `__call__`)."""
        response = await super().process_result(request, result)
        if _never_ran(result):
            response.pop("data", None)
            request.state.never_ran = True
        if any((error.extensions or {}).get("code") == SERVICE_UNAVAILABLE for error in result.errors or ()):
            request.state.unavailable = True
        return response

    def encode_json(self, data: object) -> str:
        """orjson: several times faster than json.dumps on a page of meetings (UTF-8 as is, not
        \\u-escaped). Text, not bytes: on a socket, bytes would go out as binary frames, which
        browsers' GraphQL clients cannot read."""
        return orjson.dumps(data).decode()

    def decode_json(self, data: str | bytes) -> object:
        """Refuses what is not a well-formed message before the protocol handler reads it:
        on a socket that is a 4400 close ("must be valid JSON") rather than a crash (1006)."""
        raw = data.encode() if isinstance(data, str) else data
        if json_depth(raw) > MAX_JSON_DEPTH:
            raise json.JSONDecodeError("nested too deeply", str(data)[:100], 0)
        message = json.loads(data)
        if not isinstance(message, dict) or not _well_formed_frame(message):
            raise json.JSONDecodeError("not a message object", str(data)[:100], 0)
        return message

    async def _sign_in(self, context: Context, token: str) -> None:
        actor, claims = await users.signed_in(self.runtime, token)
        context.viewer = actor
        context.token_expires_at = claims.expires_at

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        context = Context(runtime=self.runtime)
        if isinstance(request, WebSocket):
            context.socket = request
            context.frame_groups = self.frame_groups
            return context  # authenticated in on_ws_connect, from connection_init
        try:
            signed_in: SignedIn | None = getattr(request.state, "signed_in", None)
            if signed_in is not None:
                context.viewer, context.token_expires_at = signed_in.actor, signed_in.claims.expires_at
            elif (token := bearer_token(request.headers.get("authorization"))) is not None:
                await self._sign_in(context, token)
        except InvalidToken as exc:
            raise HTTPException(401, str(exc)) from exc
        return context

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        params = context.connection_params or {}
        header = params.get("authorization") or params.get("Authorization")
        try:
            token = bearer_token(header if isinstance(header, str) else None)
            if token is None:
                raise NoToken('connection_init needs {"authorization": "Bearer <token>"}')
            await self._sign_in(context, token)
        except InvalidToken as exc:
            raise SignInRefused(exc) from exc
        return await super().on_ws_connect(context)
