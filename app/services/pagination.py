"""Keyset pagination: opaque cursors over a (sort value, id) pair."""

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


def encode_cursor(sort_value: str, item_id: str) -> str:
    return base64.urlsafe_b64encode(f"{sort_value}|{item_id}".encode()).decode()


def decode_cursor(cursor: str) -> tuple[str, str]:
    try:
        sort_value, sep, item_id = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise InvalidInput("after is not a cursor from this API") from exc
    if not sep or not item_id:
        raise InvalidInput("after is not a cursor from this API")
    return sort_value, item_id


def decode_time_cursor(cursor: str) -> tuple[datetime | None, UUID]:
    """An empty time stands for no time (a requested session, listed first)."""
    time_text, id_text = decode_cursor(cursor)
    try:
        return (datetime.fromisoformat(time_text) if time_text else None), UUID(id_text)
    except ValueError as exc:
        raise InvalidInput("after is not a cursor from this API") from exc
