"""GraphiQL's example tabs are valid documents of today's schema, with the variables they declare."""

import json
from datetime import UTC, datetime
from uuid import uuid4

import pytest
from graphql import OperationDefinitionNode, parse, validate

from app.api import build_schema
from app.services.demo import Walkthrough
from app.settings import Settings
from app.web.graphiql.examples import example_tabs

NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)
WALK = Walkthrough("Sam", "client-token", "Maya", "expert-token", uuid4(), uuid4(), NOW, NOW, NOW)


@pytest.mark.parametrize("walk", [WALK, None], ids=["demo", "no demo"])
def test_every_example_tab_validates_and_fills_exactly_its_variables(walk: Walkthrough | None) -> None:
    schema = build_schema(Settings())._schema
    for tab in example_tabs(walk):
        document = parse(tab.query)
        assert validate(schema, document) == [], tab.query
        [operation] = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        declared = {variable.variable.name.value for variable in operation.variable_definitions or ()}
        graphiql_tab = tab.as_graphiql_tab()
        filled = set(json.loads(graphiql_tab["variables"] or "{}"))
        assert filled <= declared, tab.query
        if walk is not None:
            assert filled == declared, tab.query


def test_the_demo_tabs_are_signed_in_as_the_person_who_acts_in_each() -> None:
    """Slots is public; the client books, watches and lists; the expert confirms."""
    signed_in = [tab.token for tab in example_tabs(WALK)]
    assert signed_in == [None, "client-token", "client-token", "expert-token", "client-token"]
    assert all(tab.token is None for tab in example_tabs(None))
