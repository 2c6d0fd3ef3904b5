"""What a completed session leaves behind: the expert's notes (48 h window) and one review."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.errors import InvalidInput, InvalidState, NotAllowed, Refusal, TooLate
from app.domain.followups import (
    MAX_NOTE_LENGTH,
    MAX_REVIEW_LENGTH,
    check_note,
    check_review,
    notes_due_at,
    notes_reminder_at,
)
from app.domain.meetings import CreditStatus, MeetingMode, MeetingState, MeetingStatus
from app.domain.people import Side
from app.domain.policy import ExpertPolicy

ENDED = datetime(2027, 1, 4, 10, 0, tzinfo=UTC)
POLICY = ExpertPolicy()
COMPLETED = MeetingState(
    status=MeetingStatus.COMPLETED,
    starts_at=ENDED - timedelta(hours=1),
    duration_minutes=60,
    price_credits=50,
    credit_status=CreditStatus.CHARGED,
    client_approved=True,
    expert_approved=True,
    mode=MeetingMode.VIDEO,
    completed_at=ENDED,
)


def test_the_expert_writes_notes_until_48_hours_after_completion() -> None:
    assert check_note(COMPLETED, Side.EXPERT, POLICY, ENDED, " went well ") == "went well"
    assert check_note(COMPLETED, Side.EXPERT, POLICY, ENDED + timedelta(hours=48), "late but in time")
    with pytest.raises(TooLate):
        check_note(COMPLETED, Side.EXPERT, POLICY, ENDED + timedelta(hours=48, seconds=1), "too late")


def test_the_notes_window_is_the_experts_policy() -> None:
    short = replace(POLICY, notes_window=timedelta(hours=1))
    with pytest.raises(TooLate):
        check_note(COMPLETED, Side.EXPERT, short, ENDED + timedelta(hours=2), "text")


@pytest.mark.parametrize(
    ("state", "side", "text", "refusal"),
    [
        (COMPLETED, Side.CLIENT, "mine", NotAllowed),
        (replace(COMPLETED, status=MeetingStatus.AGREED, completed_at=None), Side.EXPERT, "early", InvalidState),
        (replace(COMPLETED, status=MeetingStatus.NO_SHOW, completed_at=None), Side.EXPERT, "no one", InvalidState),
        (COMPLETED, Side.EXPERT, " ", InvalidInput),
        (COMPLETED, Side.EXPERT, "x" * (MAX_NOTE_LENGTH + 1), InvalidInput),
    ],
)
def test_refused_notes(state: MeetingState, side: Side, text: str, refusal: type[Refusal]) -> None:
    with pytest.raises(refusal):
        check_note(state, side, POLICY, ENDED, text)


@pytest.mark.parametrize("rating", [1, 5])
def test_the_client_reviews_a_completed_session_with_1_to_5_stars(rating: int) -> None:
    assert check_review(COMPLETED, Side.CLIENT, rating, " thanks ", already_reviewed=False) == "thanks"


def test_a_review_may_be_stars_only() -> None:
    assert check_review(COMPLETED, Side.CLIENT, 4, "", already_reviewed=False) == ""


@pytest.mark.parametrize(
    ("state", "side", "rating", "text", "reviewed", "refusal"),
    [
        (COMPLETED, Side.EXPERT, 5, "", False, NotAllowed),
        (replace(COMPLETED, status=MeetingStatus.CANCELLED), Side.CLIENT, 5, "", False, InvalidState),
        (COMPLETED, Side.CLIENT, 5, "", True, InvalidState),
        (COMPLETED, Side.CLIENT, 0, "", False, InvalidInput),
        (COMPLETED, Side.CLIENT, 6, "", False, InvalidInput),
        (COMPLETED, Side.CLIENT, 5, "x" * (MAX_REVIEW_LENGTH + 1), False, InvalidInput),
    ],
)
def test_refused_reviews(
    state: MeetingState, side: Side, rating: int, text: str, reviewed: bool, refusal: type[Refusal]
) -> None:
    with pytest.raises(refusal):
        check_review(state, side, rating, text, already_reviewed=reviewed)


def test_required_notes_are_due_at_the_end_of_the_window_with_a_reminder_halfway() -> None:
    done = replace(COMPLETED, completed_at=ENDED)
    keeps = ExpertPolicy(notes_required=True)
    assert notes_due_at(done, keeps) == ENDED + timedelta(hours=48)
    assert notes_reminder_at(done, keeps) == ENDED + timedelta(hours=24)
    assert notes_due_at(done, POLICY) is None  # not required
    assert notes_due_at(replace(done, status=MeetingStatus.AGREED), keeps) is None  # not completed
