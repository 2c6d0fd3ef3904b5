"""Each result union is made from its use case's `@refuses` (app/schema/results.py); here,
the operation can raise no refusal its union does not list, and lists none it cannot raise
(read from the code it runs: refusal_graph)."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from strawberry.types.base import get_object_definition
from strawberry.types.field import StrawberryField
from strawberry.types.union import StrawberryUnion

from app.api import Mutation, Query
from app.domain.errors import Refusal
from app.schema.problems import PROBLEM_TYPES, Problem
from tests.support.refusal_graph import RefusalGraph

REFUSAL_OF_PROBLEM = {problem: refusal for refusal, problem in PROBLEM_TYPES.items()}
GRAPH = RefusalGraph()


def result_fields() -> Iterator[StrawberryField]:
    for root in (Query, Mutation):
        for field in get_object_definition(root, strict=True).fields:
            if isinstance(field.type, StrawberryUnion):
                yield field


def resolver_of(field: StrawberryField) -> Callable[..., Any]:
    assert field.base_resolver is not None, field.python_name
    resolver = field.base_resolver.wrapped_func
    assert callable(resolver), field.python_name
    return resolver


def names(refusals: set[type[Refusal]] | frozenset[type[Refusal]]) -> list[str]:
    return sorted(refusal.__name__ for refusal in refusals)


def union_problems(field: StrawberryField) -> frozenset[type[Refusal]]:
    assert isinstance(field.type, StrawberryUnion)
    members = [member for member in field.type.types if isinstance(member, type) and issubclass(member, Problem)]
    return frozenset(REFUSAL_OF_PROBLEM[member] for member in members)


FIELDS = sorted(result_fields(), key=lambda field: field.python_name)


def test_every_result_union_is_checked() -> None:
    assert len(FIELDS) >= 30


@pytest.mark.parametrize("field", FIELDS, ids=lambda field: field.python_name)
def test_the_union_lists_every_refusal_the_operation_can_raise_and_no_other(field: StrawberryField) -> None:
    can_raise = GRAPH.refusals(resolver_of(field))
    listed = union_problems(field)
    assert names(can_raise - listed) == [], "raised but not declared with @refuses"
    assert names(listed - can_raise) == [], "declared with @refuses but never raised"


def test_the_graph_finds_a_refusal_two_calls_deep_and_through_a_function_argument() -> None:
    from app.domain import errors
    from app.services import offers, sessions

    assert errors.TooLate in GRAPH.refusals(sessions.add_note)  # add_note → check_note → raise TooLate
    assert errors.SlotTaken in GRAPH.refusals(offers.respond_to_offer)  # handed save_claiming_time
    assert errors.SlotTaken not in GRAPH.refusals(offers.withdraw_offer)  # handed save
