"""Services: durations with prices, modes, and what a booking may ask of them."""

import pytest

from app.domain.catalog import (
    MAX_OFFERINGS,
    Offering,
    price_for,
    require_active,
    require_mode,
    validate_description,
    validate_location,
    validate_modes,
    validate_offerings,
    validate_title,
)
from app.domain.errors import InvalidInput, InvalidState, NotOffered
from app.domain.meetings import MAX_PRICE_CREDITS, MeetingMode


def test_offerings_are_sorted_by_duration() -> None:
    assert validate_offerings([Offering(60, 50), Offering(30, 30)]) == [Offering(30, 30), Offering(60, 50)]


@pytest.mark.parametrize(
    ("offerings", "refusal"),
    [
        ([], "1 to 10 durations"),
        ([Offering(30 + i, 10) for i in range(MAX_OFFERINGS + 1)], "1 to 10 durations"),
        ([Offering(30, 10), Offering(30, 20)], "each duration may be offered once"),
        ([Offering(4, 10)], "between 5 and 480 minutes"),
        ([Offering(481, 10)], "between 5 and 480 minutes"),
        ([Offering(30, -1)], "priceCredits must be between 0"),
        ([Offering(30, MAX_PRICE_CREDITS + 1)], "priceCredits must be between 0"),
    ],
)
def test_offerings_out_of_bounds_are_refused(offerings: list[Offering], refusal: str) -> None:
    with pytest.raises(InvalidInput, match=refusal):
        validate_offerings(offerings)


def test_the_bounds_themselves_are_allowed() -> None:
    assert validate_offerings([Offering(5, 0), Offering(480, MAX_PRICE_CREDITS)])


def test_modes_are_deduplicated_and_in_person_needs_an_address() -> None:
    video, in_person = MeetingMode.VIDEO, MeetingMode.IN_PERSON
    assert validate_modes([video, video], None) == [video]
    assert validate_modes([in_person, video], "1 High Street") == sorted({in_person, video})
    with pytest.raises(InvalidInput, match="needs a location"):
        validate_modes([in_person], None)
    with pytest.raises(InvalidInput, match="at least one mode"):
        validate_modes([], None)


def test_titles_are_required_descriptions_and_locations_are_not() -> None:
    assert validate_title(" Coaching ") == "Coaching"
    with pytest.raises(InvalidInput):
        validate_title(" ")
    assert validate_description("") == ""
    assert validate_location("") is None and validate_location(None) is None
    assert validate_location(" 1 High Street ") == "1 High Street"
    with pytest.raises(InvalidInput):
        validate_location("x" * 301)


def test_the_price_is_the_offered_durations_and_others_are_not_offered() -> None:
    offerings = [Offering(30, 30), Offering(60, 50)]
    assert price_for(offerings, 60) == 50
    with pytest.raises(NotOffered, match=r"45 minutes is not offered \(offered: 30, 60\)"):
        price_for(offerings, 45)


def test_a_mode_must_be_offered() -> None:
    require_mode([MeetingMode.VIDEO], MeetingMode.VIDEO)
    with pytest.raises(NotOffered, match="CHAT is not offered"):
        require_mode([MeetingMode.VIDEO], MeetingMode.CHAT)


def test_a_retired_service_takes_no_more_changes() -> None:
    require_active(True)
    with pytest.raises(InvalidState):
        require_active(False)
