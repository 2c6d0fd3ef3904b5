"""Plain leaf fields are read without graphql-core's per-field steps (app/schema/execution.py):
the response keeps the selection's order, aliases, fragments and directives, and a value
its type refuses is still reported at its path."""

from typing import Any
from uuid import UUID

import pytest

from app.models import Meeting
from tests.support.factories import Person, book, hours_from_now
from tests.support.graphql import Api

MIXED = """
query Mixed($skip: Boolean!) { meetings(first: 1) { edges { node {
  service { title } id state: status __typename startsAt
  status @skip(if: $skip) client { name } endsAt @include(if: true) ...Version
  again: id
} } } }
fragment Version on Meeting { version }"""


async def first_node(api: Api, person: Person, skip: bool) -> dict[str, Any]:
    body = await api.query(MIXED, {"skip": skip}, person.token)
    node: dict[str, Any] = body["meetings"]["edges"][0]["node"]
    return node


async def test_the_response_keeps_the_selection_order_aliases_and_directives(
    api: Api, client: Person, service_id: str
) -> None:
    booked = await book(api, client, service_id, hours_from_now(48))
    node = await first_node(api, client, skip=True)
    assert list(node) == ["service", "id", "state", "__typename", "startsAt", "client", "endsAt", "version", "again"]
    assert node["id"] == node["again"] == booked["id"]
    assert node["state"] == "AWAITING_APPROVAL" and node["__typename"] == "Meeting"
    assert node["service"]["title"] and node["client"]["name"]
    assert node["startsAt"] == booked["startsAt"] and node["version"] == 1
    shown = await first_node(api, client, skip=False)
    assert list(shown) == [
        "service",
        "id",
        "state",
        "__typename",
        "startsAt",
        "status",
        "client",
        "endsAt",
        "version",
        "again",
    ]


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)  # PostgreSQL's int column cannot hold it
async def test_a_value_its_type_refuses_is_an_error_at_its_path(api: Api, client: Person, service_id: str) -> None:
    booked = await book(api, client, service_id, hours_from_now(48))
    await Meeting.filter(id=UUID(booked["id"])).update(price_credits=2**40)  # beyond GraphQL's Int
    response = await api.raw(
        "query Price { meetings(first: 1) { edges { node { id priceCredits } } } }", token=client.token
    )
    body = response.json()
    [error] = body["errors"]
    assert error["path"] == ["meetings", "edges", 0, "node", "priceCredits"]
    assert "Int cannot represent" in error["message"]
    assert body["data"] is None  # non-null all the way up: the null reaches the root
