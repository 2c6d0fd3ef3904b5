"""`described`: a resolver method's field with its description, typed for mypy
(`strawberry.field(description=...)` used as a decorator is untyped)."""

from collections.abc import Callable
from typing import ParamSpec, TypeVar, cast

import strawberry

P = ParamSpec("P")
R = TypeVar("R")


def described(description: str, graphql_type: object = None) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """`graphql_type`: the field's type when the method may return it either at once or as
    an awaitable (`User | Awaitable[User]`), which graphql-core awaits."""
    field = strawberry.field(description=description, graphql_type=graphql_type)
    return cast(Callable[[Callable[P, R]], Callable[P, R]], field)


MESSAGE_TO_THE_OTHER_SIDE = (
    "A note to the other side, quoted in their notification and its e-mail (at most 1,000 characters; "
    "the notification quotes the first 500 on one line)."
)
"""The description of every input's `message` (domain/notifications quotes it)."""
