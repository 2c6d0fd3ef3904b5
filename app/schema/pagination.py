"""Relay-style connections (forward keyset pagination)."""

from collections.abc import Callable
from typing import Generic, TypeVar

import strawberry

from app.services.pagination import Page

Node = TypeVar("Node")
Row = TypeVar("Row")


@strawberry.type(description="Where this page sits in the list.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More items follow: ask again with after: endCursor.")
    has_previous_page: bool = strawberry.field(description="Items come before this page.")
    start_cursor: str | None = strawberry.field(description="The first item's cursor; null on an empty page.")
    end_cursor: str | None = strawberry.field(
        description="The last item's cursor: pass it as `after` for the next page. Opaque."
    )


@strawberry.type(description="One item of a page, with its cursor.")
class Edge(Generic[Node]):
    cursor: str = strawberry.field(description="This item's position (opaque).")
    node: Node = strawberry.field(description="The item.")


@strawberry.type(description="One page of a list (keyset pagination: first up to 100, after a cursor).")
class Connection(Generic[Node]):
    edges: list[Edge[Node]] = strawberry.field(description="The page's items, in the list's order.")
    page_info: PageInfo = strawberry.field(description="Whether more follow, and the cursor to get them.")

    @classmethod
    def from_page(cls, page: Page[Row], to_node: Callable[[Row], Node]) -> "Connection[Node]":
        edges = [Edge(cursor=cursor, node=to_node(item)) for cursor, item in page.items]
        return cls(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=page.has_previous_page,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )
