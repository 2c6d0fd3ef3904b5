"""Who is asking, as resolvers need it; refusals where a field has no room for a Problem."""

from collections.abc import Iterator
from contextlib import contextmanager

from graphql import GraphQLError

from app.domain.errors import Refusal
from app.domain.people import Actor
from app.schema.context import Info


class Unauthenticated(GraphQLError):
    def __init__(self, message: str = "sign in: send 'Authorization: Bearer <token>'") -> None:
        super().__init__(message, extensions={"code": "UNAUTHENTICATED"})


def viewer_of(info: Info) -> Actor:
    """The signed-in viewer; on a socket that outlived its token, no one."""
    context = info.context
    if context.viewer is None:
        raise Unauthenticated()
    if token_expired(info):
        raise Unauthenticated("your token has expired: reconnect with a new one")
    return context.viewer


def token_expired(info: Info) -> bool:
    expires_at = info.context.token_expires_at
    return expires_at is not None and info.context.runtime.clock.now() >= expires_at


@contextmanager
def refusals_as_errors() -> Iterator[None]:
    """Where a field cannot answer a Problem (lists, subscriptions), a refusal is an
    error carrying its ProblemCode."""
    try:
        yield
    except Refusal as refusal:
        raise GraphQLError(refusal.message, extensions={"code": refusal.code.value}) from None
