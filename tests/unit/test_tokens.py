from datetime import UTC, datetime, timedelta
from uuid import uuid4

import jwt
import pytest

from app.services.tokens import (
    ALGORITHM,
    InvalidToken,
    bearer_token,
    issue_token,
    read_token,
    user_id_from_token,
)

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
SECRET = "unit-test-secret-of-at-least-32-bytes"


def test_a_token_names_its_user_until_it_expires_by_the_service_clock() -> None:
    user_id = uuid4()
    token = issue_token(SECRET, user_id, NOW, ttl_seconds=60)
    assert user_id_from_token(SECRET, token, NOW + timedelta(seconds=59)) == user_id
    with pytest.raises(InvalidToken):
        user_id_from_token(SECRET, token, NOW + timedelta(seconds=60))


def test_a_wrong_signature_or_garbage_is_refused() -> None:
    token = issue_token(SECRET, uuid4(), NOW, ttl_seconds=60)
    for bad in (token[:-2] + "xx", "abc.def.ghi", ""):
        with pytest.raises(InvalidToken):
            user_id_from_token(SECRET, bad, NOW)
    with pytest.raises(InvalidToken):
        user_id_from_token(SECRET[::-1], token, NOW)


def test_the_authorization_header_must_be_bearer() -> None:
    assert bearer_token(None) is None
    assert bearer_token("Bearer abc") == "abc"
    with pytest.raises(InvalidToken):
        bearer_token("Basic abc")


@pytest.mark.parametrize("exp", ["nan", "inf", "-inf", 1e300, "soon"])
def test_an_expiry_that_is_not_a_finite_time_is_refused(exp: object) -> None:
    token = jwt.encode({"sub": str(uuid4()), "exp": exp}, SECRET, algorithm=ALGORITHM)
    with pytest.raises(InvalidToken):
        read_token(SECRET, token, NOW)


def test_the_claims_carry_the_expiry() -> None:
    token = issue_token(SECRET, uuid4(), NOW, ttl_seconds=60)
    assert read_token(SECRET, token, NOW).expires_at == NOW + timedelta(seconds=60)
