"""Safe retries: which key is valid, when two requests are the same, and what a stored key decides."""

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.errors import InvalidInput
from app.domain.idempotency import Act, KeyReused, Replay, StoredKey, decide, fingerprint, validate_key

NOW = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
QUERY = "mutation($input: BookMeetingInput!) { bookMeeting(input: $input) { __typename } }"


@pytest.mark.parametrize("key", ["a", "9f1c2a4e-3b5d-4c6e-8f70-1a2b3c4d5e6f", "x" * 255, "with space ~"])
def test_keys_are_1_to_255_printable_ascii_characters(key: str) -> None:
    assert validate_key(key) == key


@pytest.mark.parametrize("key", ["", "x" * 256, "caf\u00e9", "tab\there", "new\nline"])
def test_other_keys_are_refused(key: str) -> None:
    with pytest.raises(InvalidInput, match="Idempotency-Key"):
        validate_key(key)


def test_the_same_request_has_the_same_fingerprint_whatever_the_order_of_its_variables() -> None:
    one = fingerprint(QUERY, {"input": {"a": 1, "b": 2}}, None)
    assert one == fingerprint(QUERY, {"input": {"b": 2, "a": 1}}, None)
    assert one != fingerprint(QUERY, {"input": {"a": 1, "b": 3}}, None)
    assert one != fingerprint(QUERY, {"input": {"a": 1, "b": 2}}, "Book")
    assert one != fingerprint(QUERY + " ", {"input": {"a": 1, "b": 2}}, None)


def test_a_new_or_expired_key_acts_and_is_kept_for_24_hours() -> None:
    assert decide(None, "f", NOW) == Act(expires_at=NOW + timedelta(hours=24))
    expired = StoredKey("other", "{}", expires_at=NOW)
    assert decide(expired, "f", NOW) == Act(expires_at=NOW + timedelta(hours=24))


def test_a_live_key_replays_its_request_and_refuses_another() -> None:
    stored = StoredKey("f", '{"bookMeeting": {"id": "1"}}', expires_at=NOW + timedelta(seconds=1))
    assert decide(stored, "f", NOW) == Replay('{"bookMeeting": {"id": "1"}}')
    with pytest.raises(KeyReused):
        decide(stored, "g", NOW)
