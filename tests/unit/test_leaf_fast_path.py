"""The fast path reads only basic fields (Strawberry's own definition says so); a field a
permission guards goes through graphql-core, its permission checked once."""

from typing import Any

import strawberry
from strawberry.permission import BasePermission

from app.schema.execution import LeafFastPath

CHECKED: list[str] = []


class Counted(BasePermission):
    message = "not for you"

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        CHECKED.append(info.field_name)
        return True


@strawberry.type
class Item:
    plain: int
    guarded: int = strawberry.field(permission_classes=[Counted])


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item]:
        return [Item(plain=number, guarded=number * 10) for number in range(3)]


SCHEMA = strawberry.Schema(query=Query, execution_context_class=LeafFastPath)


def fast_leaves() -> set[str]:
    return {name for name, leaf in _leaves_by_name().items() if leaf[1] is not None}


def _leaves_by_name() -> dict[str, Any]:
    item = SCHEMA._schema.type_map["Item"]
    fields = item.fields  # type: ignore[attr-defined]
    return {
        name: LeafFastPath._leaves[id(field)] for name, field in fields.items() if id(field) in LeafFastPath._leaves
    }


def test_a_guarded_plain_field_is_checked_once_per_item_and_a_plain_one_is_read_directly() -> None:
    CHECKED.clear()
    result = SCHEMA.execute_sync("query Items { items { plain guarded } }")
    assert result.errors is None
    assert result.data == {"items": [{"plain": n, "guarded": n * 10} for n in range(3)]}
    assert CHECKED == ["guarded"] * 3
    assert fast_leaves() == {"plain"}


@strawberry.type
class Row:
    number: int
    label: str | None
    required: str


@strawberry.type
class Rows:
    @strawberry.field
    def rows(self) -> list[Row]:
        return [Row(number=n, label=None if n % 2 else f"row {n}", required="x") for n in range(4)]

    @strawberry.field
    def broken(self) -> list[Row]:
        return [Row(number=1, label="a", required="x"), Row(number=2, label="b", required=None)]  # type: ignore[arg-type]


ROWS = strawberry.Schema(query=Rows, execution_context_class=LeafFastPath)
PLAIN = strawberry.Schema(query=Rows)


def test_a_list_of_plain_leaves_answers_exactly_what_graphql_core_answers() -> None:
    document = "query R { rows { number label required alias: number } }"
    fast, slow = ROWS.execute_sync(document), PLAIN.execute_sync(document)
    assert fast.errors is None and fast.data == slow.data
    assert fast.data == {
        "rows": [{"number": n, "label": None if n % 2 else f"row {n}", "required": "x", "alias": n} for n in range(4)]
    }


def test_a_list_with_an_item_out_of_the_ordinary_goes_through_graphql_core_and_reports_as_it_does() -> None:
    document = "query B { broken { number required } }"
    fast, slow = ROWS.execute_sync(document), PLAIN.execute_sync(document)
    assert fast.data == slow.data
    assert [e.message for e in fast.errors or []] == [e.message for e in slow.errors or []]
    assert [e.path for e in fast.errors or []] == [["broken", 1, "required"]]
