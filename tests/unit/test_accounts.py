"""What an account may hold."""

import pytest

from app.domain.accounts import MAX_SKILLS, check_account, validate_memo
from app.domain.errors import InvalidInput


def test_a_plain_account_is_a_client() -> None:
    account = check_account(" Sam ", "Sam@Example.com", "Europe/London", None, None)
    assert (account.name, account.email, account.is_expert) == ("Sam", "sam@example.com", False)
    assert (account.headline, account.skills) == ("", [])


@pytest.mark.parametrize(("headline", "skills"), [("Career coach", None), (None, []), (None, ["go"])])
def test_a_headline_or_a_skill_list_even_empty_makes_an_expert(headline: str | None, skills: list[str] | None) -> None:
    assert check_account("Maya", "maya@example.com", "UTC", headline, skills).is_expert


def test_skills_are_trimmed_deduplicated_and_sorted() -> None:
    account = check_account("Maya", "maya@example.com", "UTC", None, ["python ", "go", " python"])
    assert account.skills == ["go", "python"]


def test_more_than_twenty_skills_are_refused() -> None:
    with pytest.raises(InvalidInput, match=f"at most {MAX_SKILLS} skills"):
        check_account("Maya", "maya@example.com", "UTC", None, [f"s{i}" for i in range(MAX_SKILLS + 1)])
    assert (
        len(check_account("Maya", "maya@example.com", "UTC", None, [f"s{i}" for i in range(MAX_SKILLS)]).skills) == 20
    )


@pytest.mark.parametrize(
    ("name", "email", "zone", "skills", "refusal"),
    [
        ("", "maya@example.com", "UTC", None, "name must not be empty"),
        ("Maya", "maya", "UTC", None, "email is not a valid address"),
        ("Maya", "maya@example.com", "Nowhere/Town", None, "unknown IANA time zone"),
        ("Maya", "maya@example.com", "UTC", [" "], "skill must not be empty"),
        ("Maya", "maya@example.com", "UTC", ["x" * 81], "skill is longer than 80"),
    ],
)
def test_each_field_is_checked(name: str, email: str, zone: str, skills: list[str] | None, refusal: str) -> None:
    with pytest.raises(InvalidInput, match=refusal):
        check_account(name, email, zone, None, skills)


def test_a_memo_is_optional_and_bounded() -> None:
    assert validate_memo("  ") == ""
    assert validate_memo(" welcome bonus ") == "welcome bonus"
    with pytest.raises(InvalidInput):
        validate_memo("x" * 201)
