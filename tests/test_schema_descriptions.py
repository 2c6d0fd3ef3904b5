"""Every element a client sees in GraphiQL's docs or codegen has a description."""

from collections.abc import Iterator
from typing import Any

from graphql import get_introspection_query

from app.api import build_schema
from app.settings import Settings

BUILT_IN = {"String", "Int", "Float", "Boolean", "ID"}


def undescribed(introspection: dict[str, Any]) -> Iterator[str]:
    for type_ in introspection["__schema"]["types"]:
        name = type_["name"]
        if name.startswith("__") or name in BUILT_IN:
            continue
        if not type_["description"]:
            yield f"type {name}"
        for field in type_["fields"] or ():
            if not field["description"]:
                yield f"field {name}.{field['name']}"
            for argument in field["args"]:
                if not argument["description"]:
                    yield f"argument {name}.{field['name']}({argument['name']})"
        for field in type_["inputFields"] or ():
            if not field["description"]:
                yield f"input field {name}.{field['name']}"
        for value in type_["enumValues"] or ():
            if not value["description"]:
                yield f"enum value {name}.{value['name']}"


def test_every_client_visible_element_is_described() -> None:
    result = build_schema(Settings()).execute_sync(get_introspection_query(descriptions=True))
    assert result.errors is None and result.data is not None
    missing = list(undescribed(result.data))
    assert missing == [], f"{len(missing)} without a description, e.g. {missing[:40]}"
