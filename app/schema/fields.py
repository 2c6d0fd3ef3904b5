"""`described`: a resolver method's field with its description, typed for mypy
(`strawberry.field(description=...)` used as a decorator is untyped)."""

from collections.abc import Callable
from typing import ParamSpec, TypeVar, cast

import strawberry

P = ParamSpec("P")
R = TypeVar("R")


def described(description: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    return cast(Callable[[Callable[P, R]], Callable[P, R]], strawberry.field(description=description))
