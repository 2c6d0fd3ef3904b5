"""Phone numbers as users type them, kept in E.164 (`+447911123456`): what SMS providers take."""

import phonenumbers

from app.domain.errors import InvalidInput

MAX_INPUT_LENGTH = 40


def to_e164(text: str) -> str:
    """A valid number in international form (with its +country code), as E.164; anything
    else is refused with the reason."""
    if len(text) > MAX_INPUT_LENGTH:
        raise InvalidInput(f"a phone number is at most {MAX_INPUT_LENGTH} characters")
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        raise InvalidInput("not a phone number: give it in international form, e.g. +44 7911 123456") from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidInput("not a valid phone number for its country")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
