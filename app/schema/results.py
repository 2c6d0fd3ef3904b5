"""Result unions, made from the refusals a use case declares with `@refuses`, so each
refusal set is written once: an operation answers its success type or one Problem per
declared refusal (members after the success type in name order)."""

import functools
import operator
from collections.abc import Callable
from typing import Annotated, Any

import strawberry
from strawberry.types.base import get_object_definition

from app.domain.errors import declared_refusals
from app.schema.problems import PROBLEM_TYPES


def result_of(name: str, success: type, use_case: Callable[..., Any], description: str | None = None) -> Any:
    """The union `name` of `success` and the Problems `use_case` declares (for `graphql_type=`)."""
    declared = declared_refusals(use_case)
    if declared is None:
        raise TypeError(f"{use_case.__qualname__} declares no refusals: decorate it with @refuses")
    problems = sorted((PROBLEM_TYPES[refusal] for refusal in declared), key=lambda problem: problem.__name__)
    operation = name[0].lower() + name[1 : -len("Result")]
    success_name = get_object_definition(success, strict=True).name
    members = functools.reduce(operator.or_, problems, success)
    annotated: Any = Annotated  # a type made at run time, which a type checker cannot follow
    return annotated[
        members,
        strawberry.union(
            name,
            description=description
            or f"What {operation} answers: the {success_name}, or the Problem saying why nothing changed.",
        ),
    ]
