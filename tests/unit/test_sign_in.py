from datetime import UTC, datetime, timedelta

import pytest

from app.domain.errors import InvalidInput, LimitExceeded
from app.domain.sign_in import (
    CODE_DIGITS,
    MAX_CODES_PER_HOUR,
    MAX_WRONG_TRIES,
    Renewal,
    SentCode,
    StoredRefresh,
    check_code,
    check_code_shape,
    check_token_shape,
    code_digest,
    may_send_another,
    new_code,
    renewal_of,
    token_digest,
)

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)
LATER = NOW + timedelta(minutes=5)


def test_a_code_has_six_digits_with_its_leading_zeros() -> None:
    assert new_code(lambda _: 42) == "000042"
    assert len(new_code()) == CODE_DIGITS and new_code().isdigit()


def test_a_code_digest_depends_on_the_secret_the_address_and_the_code() -> None:
    digest = code_digest("secret", "a@example.com", "123456")
    assert digest == code_digest("secret", "a@example.com", "123456")
    assert digest != code_digest("other", "a@example.com", "123456")
    assert digest != code_digest("secret", "b@example.com", "123456")
    assert digest != code_digest("secret", "a@example.com", "123457")


@pytest.mark.parametrize("code", ["12345", "1234567", "abcdef", "12 456", ""])
def test_a_code_of_another_shape_is_refused(code: str) -> None:
    with pytest.raises(InvalidInput):
        check_code_shape(code)


def test_a_code_with_spaces_around_it_is_read() -> None:
    assert check_code_shape(" 012345 ") == "012345"


def test_an_address_gets_a_bounded_number_of_codes_an_hour() -> None:
    may_send_another(MAX_CODES_PER_HOUR - 1)
    with pytest.raises(LimitExceeded):
        may_send_another(MAX_CODES_PER_HOUR)


def test_the_right_code_in_time_signs_in() -> None:
    check_code(SentCode(LATER, wrong_tries=MAX_WRONG_TRIES - 1), matches=True, now=NOW)


@pytest.mark.parametrize(
    ("sent", "matches", "refusal"),
    [
        (None, True, InvalidInput),
        (SentCode(NOW, 0), True, InvalidInput),  # expired at that instant
        (SentCode(LATER, 0), False, InvalidInput),
        (SentCode(LATER, MAX_WRONG_TRIES), True, LimitExceeded),
    ],
    ids=["none sent", "expired", "wrong", "too many tries"],
)
def test_a_code_is_refused(sent: SentCode | None, matches: bool, refusal: type[Exception]) -> None:
    with pytest.raises(refusal):
        check_code(sent, matches, NOW)


@pytest.mark.parametrize(
    ("stored", "renewal"),
    [
        (StoredRefresh(LATER, used=False, revoked=False), Renewal.RENEW),
        (StoredRefresh(LATER, used=True, revoked=False), Renewal.REVOKE_FAMILY),
        (StoredRefresh(LATER, used=True, revoked=True), Renewal.REFUSE),
        (StoredRefresh(NOW, used=False, revoked=False), Renewal.REFUSE),
        (None, Renewal.REFUSE),
    ],
    ids=["fresh", "used again", "revoked", "expired", "unknown"],
)
def test_a_refresh_token_renews_once(stored: StoredRefresh | None, renewal: Renewal) -> None:
    assert renewal_of(stored, NOW) is renewal


def test_refresh_tokens_are_stored_as_digests_and_bounded_in_length() -> None:
    assert token_digest("abc") != "abc" and len(token_digest("abc")) == 64
    with pytest.raises(InvalidInput):
        check_token_shape("x" * 201)
    with pytest.raises(InvalidInput):
        check_token_shape("  ")
