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
