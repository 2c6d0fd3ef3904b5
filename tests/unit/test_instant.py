"""Instant requests: posted, offered to matching experts, taken once, withdrawn or expired."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from app.domain import instant
from app.domain.billing import PerMinute
from app.domain.catalog import Offering
from app.domain.errors import (
    AlreadyTaken,
    ConflictNotAcknowledged,
    InvalidInput,
    InvalidState,
    NotAllowed,
    Refusal,
    TooLate,
)
from app.domain.instant import InstantRequestState, InstantStatus
from app.domain.meetings import CreditStatus, MeetingMode, MeetingStatus, TimelineEventType

NOW = datetime(2027, 1, 4, 9, 0, 30, 123456, tzinfo=UTC)
CLIENT, EXPERT, OTHER = uuid4(), uuid4(), uuid4()


def posted(**changes: Any) -> InstantRequestState:
    fields: dict[str, Any] = {
        "topic": "A failing deploy",
        "skill": "kubernetes",
        "description": "",
        "duration_minutes": 30,
        "max_price_credits": 60,
        "mode": MeetingMode.VIDEO,
        "direct_expert_id": None,
        "now": NOW,
        **changes,
    }
    return instant.post(CLIENT, **fields)


def take(
    request: InstantRequestState,
    *,
    expert: Any = EXPERT,
    skills: tuple[str, ...] = ("kubernetes",),
    price: int | None = 40,
    at: datetime = NOW,
    overlaps: bool = False,
    acknowledge: bool = False,
) -> Any:
    return instant.take(
        request, expert, skills, price, at, overlaps_other_meeting=overlaps, acknowledge_overlap=acknowledge
    )


def test_a_posted_request_is_open_for_15_minutes() -> None:
    request = posted(topic="  A failing deploy ")
    assert (request.status, request.topic) == (InstantStatus.OPEN, "A failing deploy")
    assert request.expires_at == NOW + timedelta(minutes=15)


@pytest.mark.parametrize(
    ("changes", "refusal"),
    [
        ({"direct_expert_id": CLIENT}, "from yourself"),
        ({"mode": MeetingMode.IN_PERSON}, "online"),
        ({"duration_minutes": 4}, "durationMinutes must be between 5 and 480"),
        ({"duration_minutes": 481}, "durationMinutes must be between 5 and 480"),
        ({"max_price_credits": -1}, "priceCredits"),
        ({"topic": " "}, "topic must not be empty"),
        ({"skill": "x" * 81}, "skill is longer"),
    ],
)
def test_refused_posts(changes: dict[str, Any], refusal: str) -> None:
    with pytest.raises(InvalidInput, match=refusal):
        posted(**changes)


def test_the_taker_price_is_their_lowest_for_the_duration_within_the_clients_most() -> None:
    request = posted(max_price_credits=60)
    assert instant.taker_price(request, [Offering(30, 55), Offering(60, 10)]) == 55
    assert instant.taker_price(request, [Offering(30, 61)]) is None
    assert instant.taker_price(request, [Offering(45, 10)]) is None


def test_a_per_minute_takers_price_is_the_most_its_session_may_cost() -> None:
    request = posted(max_price_credits=60)  # 30 minutes
    assert instant.taker_price(request, [Offering(30, 0)], PerMinute(rate_credits=2)) == 60
    assert instant.taker_price(request, [Offering(30, 0)], PerMinute(rate_credits=3)) is None  # 90: too dear
    _taken, outcome = instant.take(
        request,
        EXPERT,
        ("kubernetes",),
        60,
        NOW,
        overlaps_other_meeting=False,
        acknowledge_overlap=False,
        per_minute=PerMinute(rate_credits=2, minimum_minutes=10),
    )
    assert (outcome.state.price_credits, outcome.state.rate_credits, outcome.state.minimum_minutes) == (60, 2, 10)


def test_a_request_is_for_experts_with_its_skill_or_the_one_it_names() -> None:
    open_request, direct = posted(), posted(direct_expert_id=OTHER)
    assert instant.may_take(open_request, EXPERT, ["kubernetes", "go"])
    assert not instant.may_take(open_request, EXPERT, ["go"])
    assert not instant.may_take(open_request, CLIENT, ["kubernetes"])  # not the client, whatever they list
    assert instant.may_take(direct, OTHER, [])
    assert not instant.may_take(direct, EXPERT, ["kubernetes"])


def test_taking_starts_an_agreed_instant_meeting_now_at_the_takers_price() -> None:
    taken, outcome = take(posted(), price=40)
    assert taken.status is InstantStatus.TAKEN
    meeting = outcome.state
    assert (meeting.status, meeting.starts_at, meeting.price_credits) == (
        MeetingStatus.AGREED,
        NOW.replace(microsecond=0),
        40,
    )
    assert (meeting.client_approved, meeting.expert_approved, meeting.credit_status) == (
        True,
        True,
        CreditStatus.BLOCKED,
    )
    assert outcome.event is TimelineEventType.TAKEN_INSTANTLY
    assert outcome.details == {"topic": "A failing deploy", "skill": "kubernetes"}


def test_a_free_take_blocks_nothing() -> None:
    assert take(posted(), price=0)[1].state.credit_status is CreditStatus.NONE


def test_an_overlapping_take_needs_acknowledgement() -> None:
    with pytest.raises(ConflictNotAcknowledged):
        take(posted(), overlaps=True)
    assert take(posted(), overlaps=True, acknowledge=True)[1].state.overlap_acknowledged


@pytest.mark.parametrize(
    ("request_state", "taker", "refusal"),
    [
        (instant.InstantStatus.TAKEN, {}, AlreadyTaken),
        (instant.InstantStatus.EXPIRED, {}, TooLate),
        (instant.InstantStatus.WITHDRAWN, {}, InvalidState),
        (instant.InstantStatus.OPEN, {"at": NOW + timedelta(minutes=15)}, TooLate),
        (instant.InstantStatus.OPEN, {"skills": ("go",)}, NotAllowed),
        (instant.InstantStatus.OPEN, {"price": None}, NotAllowed),
    ],
)
def test_refused_takes(request_state: InstantStatus, taker: dict[str, Any], refusal: type[Refusal]) -> None:
    with pytest.raises(refusal):
        take(replace(posted(), status=request_state), **taker)


def test_only_the_poster_withdraws_an_open_request() -> None:
    assert instant.withdraw(posted(), CLIENT, NOW).status is InstantStatus.WITHDRAWN
    with pytest.raises(NotAllowed):
        instant.withdraw(posted(), EXPERT, NOW)
    taken, _ = take(posted())
    with pytest.raises(AlreadyTaken):
        instant.withdraw(taken, CLIENT, NOW)


def test_an_open_request_expires_at_its_moment_and_only_once() -> None:
    request = posted()
    assert instant.expire(request, NOW + timedelta(minutes=14, seconds=59)) is None
    expired = instant.expire(request, request.expires_at)
    assert expired is not None and expired.status is InstantStatus.EXPIRED
    assert instant.expire(expired, request.expires_at + timedelta(hours=1)) is None
    assert instant.expire(take(posted())[0], request.expires_at) is None
