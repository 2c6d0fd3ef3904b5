"""Cursors are opaque: they round-trip, read as nothing, and anything else is INVALID_INPUT."""

import base64
from uuid import UUID, uuid4

import pytest

from app.domain.errors import InvalidInput
from app.services.pagination import decode_cursor, encode_cursor


def test_a_cursor_round_trips_and_says_nothing_readable() -> None:
    item_id = str(uuid4())
    cursor = encode_cursor("Maya Expert", item_id)
    assert decode_cursor(cursor) == ("Maya Expert", item_id)
    assert "Maya" not in cursor and item_id not in cursor and "|" not in cursor
    assert item_id not in base64.urlsafe_b64decode(cursor + "==").decode("latin-1")


SOME_ID = UUID("9b2f6a1e-4c1d-4a8e-9f35-0e6b1d2c3a4f")


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "bogus",
        base64.urlsafe_b64encode(b"Maya|" + str(SOME_ID).encode()).decode(),  # the old, readable format
        base64.urlsafe_b64encode(b"\x02" + SOME_ID.bytes + b"x").decode(),  # an unknown version
        "A" * 500,
    ],
)
def test_anything_else_is_not_a_cursor(cursor: str) -> None:
    with pytest.raises(InvalidInput, match="not a cursor"):
        decode_cursor(cursor)
