"""The typed GraphQL context and how it finds the viewer."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import strawberry
from graphql import GraphQLError

from app.domain.errors import Refusal
from app.domain.people import Actor
from app.resolvers.dataloaders import Loaders, current_loaders
from app.services.runtime import Runtime


@dataclass
class Context:
    runtime: Runtime
    viewer: Actor | None = None
    connection_params: dict[str, Any] | None = field(default=None)

    @property
    def loaders(self) -> Loaders:
        return current_loaders()


Info = strawberry.Info[Context, None]


class Unauthenticated(GraphQLError):
    def __init__(self, message: str = "sign in: send 'Authorization: Bearer <token>'") -> None:
        super().__init__(message, extensions={"code": "UNAUTHENTICATED"})


@contextmanager
def refusals_as_errors() -> Iterator[None]:
    """Where a field cannot answer a Problem (lists, subscriptions), a refusal is an
    error carrying its ProblemCode."""
    try:
        yield
    except Refusal as refusal:
        raise GraphQLError(refusal.message, extensions={"code": refusal.code.value}) from None


def viewer_of(info: Info) -> Actor:
    viewer = info.context.viewer
    if viewer is None:
        raise Unauthenticated()
    return viewer
