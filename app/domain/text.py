"""Text a person types: trimmed, bounded, and checked before anything stores it."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from app.domain.errors import InvalidInput

MAX_MESSAGE_LENGTH = 1000
"""A message that goes with an answer or a cancellation."""

_ZONES = frozenset(available_timezones())


def storable(label: str, value: str) -> str:
    """No NUL and no lone surrogate (neither can be stored or sent on as UTF-8)."""
    if "\x00" in value or any("\ud800" <= char <= "\udfff" for char in value):
        raise InvalidInput(f"{label} contains a character that is not text (NUL or a lone surrogate)")
    return value


def validate_text(label: str, value: str, *, max_length: int, required: bool = True) -> str:
    if len(value) > 2 * max_length + 100:  # far too long, whatever its spaces: refused without a scan
        raise InvalidInput(f"{label} is longer than {max_length} characters")
    cleaned = storable(label, value).strip()
    if required and not cleaned:
        raise InvalidInput(f"{label} must not be empty")
    if len(cleaned) > max_length:
        raise InvalidInput(f"{label} is longer than {max_length} characters")
    return cleaned


def optional_message(value: str | None) -> str | None:
    """A message is optional; a blank one counts as none."""
    if value is None:
        return None
    return validate_text("message", value, max_length=MAX_MESSAGE_LENGTH, required=False) or None


def validate_time_zone(name: str) -> str:
    if name not in _ZONES:
        raise InvalidInput(f"unknown IANA time zone: {name[:64]!r}")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput(f"unknown IANA time zone: {name[:64]!r}") from exc
    return name


def validate_email(value: str) -> str:
    email = validate_text("email", value, max_length=254).lower()
    local, _, domain = email.partition("@")
    if not local or "." not in domain or " " in email:
        raise InvalidInput("email is not a valid address")
    return email
