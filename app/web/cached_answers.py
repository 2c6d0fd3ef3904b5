"""The response cache at the HTTP edge: a repeated public query is answered from memory,
before its body is parsed, with the bytes its first execution answered.

The key is the request as sent (method, body or query string), the media type answered and
the viewer's class (anonymous, or the signed-in role): a token is still checked on every
request, so an expired or revoked one is refused as without the cache. What may be kept is
decided after execution (`keep_if_cacheable`): a query of fields the same for everyone
(app/schema/cache_policy.py), answered without errors, whose resolvers named what it read.
"""

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from graphql import GraphQLSchema
from starlette.requests import Request
from starlette.responses import Response
from strawberry.types import ExecutionResult

from app.domain.people import Actor
from app.schema.cache_policy import cacheable_document
from app.schema.context import Context
from app.services.response_cache import CachedAnswer
from app.services.runtime import Runtime
from app.services.tokens import TokenClaims
from app.web.body_shape import GRAPHQL_QUERY

CACHE_HEADER = "X-Response-Cache"
"""hit or miss, on answers the cache could keep (for benchmarks and curious clients)."""


@dataclass(frozen=True)
class SignedIn:
    actor: Actor
    claims: TokenClaims


def _viewer_class(signed_in: SignedIn | None) -> str:
    if signed_in is None:
        return "anonymous"
    return "admin" if signed_in.actor.is_admin else "user"


async def cache_key(request: Request, schema: GraphQLSchema, media_type: str, signed_in: SignedIn | None) -> str | None:
    """None: a request the cache leaves alone, such as a document it may never keep (those are
    not made to wait for one another's answers)."""
    if request.method == "POST":
        sent = await request.body()
        query = getattr(request.state, GRAPHQL_QUERY, None)  # the body, as GraphQLBodyShape parsed it
    else:
        sent = request.url.query.encode()
        query = request.query_params.get("query")
    if not isinstance(query, str) or not cacheable_document(schema, query):
        return None
    digest = hashlib.blake2b(sent, digest_size=20).hexdigest()
    return f"{_viewer_class(signed_in)} {media_type} {request.method} {digest}"


async def answer(runtime: Runtime, request: Request, key: str, respond: Callable[[], Awaitable[Response]]) -> Response:
    """The kept answer for `key`, or `respond()`'s, kept when the request was found cacheable."""
    cache = runtime.response_cache
    while True:
        now = runtime.clock.now()
        kept = cache.get(key, now)
        if kept is not None:
            runtime.metrics.response_cache.labels("hit").inc()
            return Response(kept.body, media_type=kept.media_type, headers={CACHE_HEADER: "hit"})
        if not await cache.wait_for_computation(key):
            break
    try:
        as_of = cache.sequence
        response = await respond()
        hints = getattr(request.state, "answer_hints", None)
        if hints is not None and response.status_code == 200:
            runtime.metrics.response_cache.labels("miss").inc()
            response.headers[CACHE_HEADER] = "miss"
            body = bytes(response.body)
            media_type = response.headers.get("content-type", "application/json")
            tags = frozenset(hints.tags)
            cache.put(key, CachedAnswer(body, media_type, tags, as_of, now, hints.changes_at, cache.expires()))
        return response
    finally:
        cache.computed(key)


def keep_if_cacheable(
    request: Request, schema: GraphQLSchema, context: Context, query: object, result: ExecutionResult
) -> None:
    """Marks the request's answer as one to keep: a query of fields the same for everyone,
    without errors, whose resolvers said what it read."""
    hints = context.answer_hints
    if isinstance(query, str) and not result.errors and hints.tags and cacheable_document(schema, query):
        request.state.answer_hints = hints
