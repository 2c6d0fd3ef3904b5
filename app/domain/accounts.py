"""What an account may hold: names, skills, headlines, grant memos, within bounds."""

from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.errors import InvalidInput
from app.domain.text import validate_email, validate_text, validate_time_zone

MAX_SKILLS = 20


@dataclass(frozen=True)
class CheckedAccount:
    name: str
    email: str
    time_zone: str
    is_expert: bool
    headline: str
    skills: list[str]


def check_account(
    name: str, email: str, time_zone: str, headline: str | None, skills: Sequence[str] | None
) -> CheckedAccount:
    """A headline or a skill list (even empty) makes the account an expert."""
    if skills is not None and len(skills) > MAX_SKILLS:
        raise InvalidInput(f"at most {MAX_SKILLS} skills")
    return CheckedAccount(
        name=validate_text("name", name, max_length=120),
        email=validate_email(email),
        time_zone=validate_time_zone(time_zone),
        is_expert=skills is not None or headline is not None,
        headline=validate_text("headline", headline or "", max_length=200, required=False),
        skills=sorted({validate_text("skill", s, max_length=80) for s in skills or ()}),
    )


def validate_memo(memo: str) -> str:
    return validate_text("memo", memo, max_length=200, required=False)
