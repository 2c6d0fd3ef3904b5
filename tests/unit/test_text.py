"""Text a person types: trimmed, bounded, storable; zones and addresses checked."""

import pytest

from app.domain.errors import InvalidInput
from app.domain.text import (
    MAX_MESSAGE_LENGTH,
    optional_message,
    storable,
    validate_email,
    validate_text,
    validate_time_zone,
)


def test_text_is_trimmed_and_kept_within_its_bound() -> None:
    assert validate_text("name", "  Maya  ", max_length=4) == "Maya"
    with pytest.raises(InvalidInput, match="name is longer than 4 characters"):
        validate_text("name", "Mayas", max_length=4)


def test_far_too_long_text_is_refused_before_it_is_scanned() -> None:
    with pytest.raises(InvalidInput, match="longer than 10"):
        validate_text("name", " " * 1000 + "x", max_length=10)


def test_required_text_may_not_be_blank_and_optional_text_may() -> None:
    with pytest.raises(InvalidInput, match="must not be empty"):
        validate_text("title", "   ", max_length=10)
    assert validate_text("headline", "   ", max_length=10, required=False) == ""


@pytest.mark.parametrize("value", ["a\x00b", "a\ud800b", "\udfff"])
def test_nul_and_lone_surrogates_cannot_be_stored(value: str) -> None:
    with pytest.raises(InvalidInput, match="not text"):
        storable("note", value)


def test_astral_characters_are_text() -> None:
    assert storable("note", "ok 🎉") == "ok 🎉"


def test_a_blank_message_is_no_message() -> None:
    assert optional_message(None) is None
    assert optional_message("  ") is None
    assert optional_message(" see you ") == "see you"
    with pytest.raises(InvalidInput):
        optional_message("x" * (MAX_MESSAGE_LENGTH + 1))


@pytest.mark.parametrize("zone", ["Europe/London", "Asia/Kolkata", "UTC"])
def test_iana_zones_are_accepted(zone: str) -> None:
    assert validate_time_zone(zone) == zone


@pytest.mark.parametrize("zone", ["Mars/Olympus", "", "../../etc/passwd", "europe/london", "x" * 500])
def test_anything_else_is_not_a_zone(zone: str) -> None:
    with pytest.raises(InvalidInput, match="unknown IANA time zone") as refused:
        validate_time_zone(zone)
    assert len(refused.value.message) < 100  # the echo is cut short


def test_an_email_is_lower_cased_and_needs_a_local_part_and_a_dotted_domain() -> None:
    assert validate_email(" Sam@Example.COM ") == "sam@example.com"
    for bad in ("sam", "@example.com", "sam@localhost", "sam smith@example.com"):
        with pytest.raises(InvalidInput, match="email"):
            validate_email(bad)
