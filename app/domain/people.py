"""Who is acting, and which side of a meeting that makes them."""

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from app.domain.errors import InvalidInput, NotAllowed, NotFound


class Side(StrEnum):
    CLIENT = "CLIENT"
    EXPERT = "EXPERT"


@dataclass(frozen=True)
class Actor:
    user_id: UUID
    is_admin: bool = False


def side_in_meeting(
    actor: Actor, client_id: UUID, expert_id: UUID, admin_acts_as: Side | None
) -> Side:
    """The side `actor` acts for; an outsider cannot tell the meeting exists.

    An admin acts for the side the action needs (`admin_acts_as`); a
    participant always acts for their own side.
    """
    if actor.user_id == client_id:
        return Side.CLIENT
    if actor.user_id == expert_id:
        return Side.EXPERT
    if actor.is_admin:
        if admin_acts_as is None:
            raise NotAllowed("only the meeting's participants may do this")
        return admin_acts_as
    raise NotFound("no such meeting")


def can_see_meeting(actor: Actor, client_id: UUID, expert_id: UUID) -> bool:
    return actor.is_admin or actor.user_id in (client_id, expert_id)


_ZONES = frozenset(available_timezones())


def validate_time_zone(name: str) -> str:
    if name not in _ZONES:
        raise InvalidInput(f"unknown IANA time zone: {name[:64]!r}")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput(f"unknown IANA time zone: {name[:64]!r}") from exc
    return name


def validate_text(label: str, value: str, *, max_length: int, required: bool = True) -> str:
    cleaned = value.strip()
    if required and not cleaned:
        raise InvalidInput(f"{label} must not be empty")
    if len(cleaned) > max_length:
        raise InvalidInput(f"{label} is longer than {max_length} characters")
    return cleaned


def validate_email(value: str) -> str:
    email = validate_text("email", value, max_length=254).lower()
    local, _, domain = email.partition("@")
    if not local or "." not in domain or " " in email:
        raise InvalidInput("email is not a valid address")
    return email
