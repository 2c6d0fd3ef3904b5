from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from app.domain.action_links import LinkAction, LinkClaims, actions_for, cancellation_words, require_current
from app.domain.errors import TooLate
from app.domain.meetings import CancellationQuote, MeetingStatus
from app.domain.people import Side

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
CLAIMS = LinkClaims(UUID(int=1), 3, UUID(int=2), LinkAction.CONFIRM, NOW + timedelta(days=7))


AWAITING, AGREED, CANCELLED = MeetingStatus.AWAITING_APPROVAL, MeetingStatus.AGREED, MeetingStatus.CANCELLED


def test_a_mail_that_asks_for_an_answer_carries_confirm_and_decline_for_the_side_asked() -> None:
    assert actions_for("BOOKED_BY_CLIENT", Side.EXPERT, AWAITING) == (LinkAction.CONFIRM, LinkAction.DECLINE)
    assert actions_for("PROPOSED_BY_EXPERT", Side.CLIENT, AWAITING) == (LinkAction.CONFIRM, LinkAction.DECLINE)
    assert actions_for("BOOKED_BY_CLIENT", Side.CLIENT, AWAITING) == ()  # their own booking asks nothing of them
    assert actions_for("CANCELLED_BY_CLIENT", Side.EXPERT, CANCELLED) == ()


def test_every_mail_about_an_agreed_meeting_carries_a_cancel_link_and_offered_times_a_pick() -> None:
    assert actions_for("APPROVED_BY_EXPERT", Side.CLIENT, AGREED) == (LinkAction.CANCEL,)
    assert actions_for("REMINDER_24H", Side.CLIENT, AGREED) == (LinkAction.CANCEL,)
    assert actions_for("TIMES_OFFERED", Side.CLIENT, AGREED) == (LinkAction.PICK_TIME, LinkAction.CANCEL)
    assert actions_for("TIMES_OFFERED", Side.EXPERT, AWAITING) == (LinkAction.PICK_TIME,)


def quote(refund: int = 0, at_risk: int = 0) -> CancellationQuote:
    return CancellationQuote(None, at_risk > 0, refund, at_risk, None)


def test_the_cancel_page_says_what_cancelling_would_do_for_the_side_that_cancels() -> None:
    assert cancellation_words(quote(refund=50), Side.CLIENT) == "If you cancel now, you get all 50 credits back."
    assert (
        cancellation_words(quote(refund=50), Side.EXPERT) == "If you cancel now, the client gets all 50 credits back."
    )
    assert "the 50 credits you paid stay blocked" in cancellation_words(quote(at_risk=50), Side.CLIENT)
    assert cancellation_words(quote(), Side.CLIENT) == "If you cancel now, nothing is charged."


def test_a_link_works_on_its_version_until_it_expires() -> None:
    require_current(CLAIMS, 3, NOW)
    with pytest.raises(TooLate, match="out of date"):
        require_current(CLAIMS, 4, NOW)
    with pytest.raises(TooLate, match="expired"):
        require_current(CLAIMS, 3, NOW + timedelta(days=7))
