"""Bad-input messages echo what a client sent as JSON, never as Python."""

import pytest

from app.schema.error_codes import readable_input_error

PREFIX = "Variable '$input' has invalid value"
MISSING = PREFIX + ": Expected value of type 'B' to include required field 'startsAt'"
UNKNOWN = PREFIX + ": Expected value of type 'B' not to include unknown field 'x'"


@pytest.mark.parametrize(
    ("graphql_core_says", "client_reads"),
    [
        (MISSING + ", found: {'id': 'x', 'n': None}.", MISSING + ', found: {"id": "x", "n": null}.'),
        (
            PREFIX + " at .n: Int cannot represent non-integer value: 'six'",
            PREFIX + ' at .n: Int cannot represent non-integer value: "six"',
        ),
        (UNKNOWN + ", found: {'x': [{...}]}.", UNKNOWN + "."),
        (PREFIX + ": Expected something else.", PREFIX + ": Expected something else."),
        (
            "Variable '$x' of required type 'ID!' was not provided.",
            "Variable '$x' of required type 'ID!' was not provided.",
        ),
    ],
    ids=["object", "string", "shortened", "no echo", "no value"],
)
def test_an_echoed_value_reads_as_json(graphql_core_says: str, client_reads: str) -> None:
    assert readable_input_error(graphql_core_says) == client_reads
