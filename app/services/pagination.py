"""Keyset pagination: opaque cursors over a (sort value, id) pair.

A cursor is a version byte, the id's 16 bytes and the sort value, in unpadded
base64url: nothing a client can read or should build, and a later format can
tell old cursors apart by the version.
"""

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar
from uuid import UUID

from app.domain.errors import InvalidInput

MAX_PAGE_SIZE = 100
T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[tuple[str, T]]
    """(cursor, item) pairs."""
    has_next_page: bool
    has_previous_page: bool


def validate_page_size(first: int) -> int:
    if not 1 <= first <= MAX_PAGE_SIZE:
        raise InvalidInput(f"first must be between 1 and {MAX_PAGE_SIZE}")
    return first


CURSOR_VERSION = 1
MAX_CURSOR_LENGTH = 200
NOT_A_CURSOR = "after is not a cursor from this API"


def encode_cursor(sort_value: str, item_id: str) -> str:
    packed = bytes([CURSOR_VERSION]) + UUID(item_id).bytes + sort_value.encode()
    return base64.urlsafe_b64encode(packed).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, str]:
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise InvalidInput(NOT_A_CURSOR)
    try:
        packed = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        if len(packed) < 17 or packed[0] != CURSOR_VERSION:
            raise ValueError("unknown cursor version")
        return packed[17:].decode(), str(UUID(bytes=packed[1:17]))
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise InvalidInput(NOT_A_CURSOR) from exc


def decode_time_cursor(cursor: str) -> tuple[datetime | None, UUID]:
    """An empty time stands for no time (a requested session, listed first)."""
    time_text, id_text = decode_cursor(cursor)
    try:
        return (datetime.fromisoformat(time_text) if time_text else None), UUID(id_text)
    except ValueError as exc:
        raise InvalidInput(NOT_A_CURSOR) from exc
