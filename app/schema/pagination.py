"""Relay-style connections (forward keyset pagination)."""

from collections.abc import Callable
from typing import Generic, TypeVar

import strawberry

from app.services.pagination import Page

Node = TypeVar("Node")
Row = TypeVar("Row")


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[Node]):
    cursor: str
    node: Node


@strawberry.type
class Connection(Generic[Node]):
    edges: list[Edge[Node]]
    page_info: PageInfo

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
