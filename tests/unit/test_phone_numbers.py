import pytest

from app.domain.errors import InvalidInput
from app.domain.phone_numbers import to_e164


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("+44 7911 123456", "+447911123456"),
        ("+1 (415) 555-0132", "+14155550132"),
        ("+49 30 901820", "+4930901820"),
        ("+447911123456", "+447911123456"),
    ],
)
def test_numbers_in_international_form_are_kept_as_e164(typed: str, stored: str) -> None:
    assert to_e164(typed) == stored


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("07700 900123", "international form"),
        ("call me", "international form"),
        ("+44 12", "valid"),
        ("+1 555 555 55555", "valid"),
        ("+44" + "1" * 40, "at most"),
    ],
)
def test_other_input_is_refused(typed: str, why: str) -> None:
    with pytest.raises(InvalidInput, match=why):
        to_e164(typed)
