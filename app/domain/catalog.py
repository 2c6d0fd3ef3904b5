"""Services an expert offers: durations with prices, and modes."""

from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.errors import InvalidInput, InvalidState, NotOffered
from app.domain.meetings import (
    MAX_DURATION_MINUTES,
    MIN_DURATION_MINUTES,
    MeetingMode,
    validate_price,
)
from app.domain.text import validate_text

MAX_OFFERINGS = 10


@dataclass(frozen=True)
class Offering:
    duration_minutes: int
    price_credits: int


def validate_offerings(offerings: Sequence[Offering]) -> list[Offering]:
    if not 1 <= len(offerings) <= MAX_OFFERINGS:
        raise InvalidInput(f"a service offers 1 to {MAX_OFFERINGS} durations")
    durations = [o.duration_minutes for o in offerings]
    if len(set(durations)) != len(durations):
        raise InvalidInput("each duration may be offered once")
    for offering in offerings:
        if not MIN_DURATION_MINUTES <= offering.duration_minutes <= MAX_DURATION_MINUTES:
            raise InvalidInput(f"durations must be between {MIN_DURATION_MINUTES} and {MAX_DURATION_MINUTES} minutes")
        validate_price(offering.price_credits)
    return sorted(offerings, key=lambda o: o.duration_minutes)


def validate_modes(modes: Sequence[MeetingMode], location: str | None) -> list[MeetingMode]:
    if not modes:
        raise InvalidInput("a service offers at least one mode")
    if MeetingMode.IN_PERSON in modes and not location:
        raise InvalidInput("an in-person service needs a location")
    return sorted(set(modes))


def validate_title(title: str) -> str:
    return validate_text("title", title, max_length=120)


def validate_description(description: str) -> str:
    return validate_text("description", description, max_length=2000, required=False)


def validate_location(location: str | None) -> str | None:
    """The address of in-person sessions; blank is none."""
    return validate_text("location", location, max_length=300) if location else None


def price_for(offerings: Sequence[Offering], duration_minutes: int) -> int:
    for offering in offerings:
        if offering.duration_minutes == duration_minutes:
            return offering.price_credits
    offered = ", ".join(str(o.duration_minutes) for o in offerings)
    raise NotOffered(f"{duration_minutes} minutes is not offered (offered: {offered})")


def require_mode(modes: Sequence[MeetingMode], mode: MeetingMode) -> None:
    if mode not in modes:
        raise NotOffered(f"{mode.value} is not offered by this service")


def require_active(active: bool) -> None:
    """A retired service takes no new bookings and no more changes; its meetings stand."""
    if not active:
        raise InvalidState("this service is retired")
