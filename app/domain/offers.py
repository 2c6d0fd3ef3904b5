"""Offers: one side proposes other times, or another mode or place, and the other answers.

An offer belongs to one meeting and is made by one side to the other. While
it is PENDING the meeting keeps its time and place; only an accepted offer
changes them. What an answer does to the meeting depends on what the offer is
for (`OfferPurpose`); every answer returns the offer's new state and the
meeting's `Outcome`, whose event type names what happened to the offer.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from app.domain import meetings as rules
from app.domain.catalog import validate_location
from app.domain.errors import InvalidInput, InvalidState, LimitExceeded, NotAllowed, TooLate
from app.domain.meetings import (
    ONLINE_MODES,
    CancelReason,
    DeclineReason,
    MeetingMode,
    MeetingState,
    MeetingStatus,
    Outcome,
    TimelineEventType,
)
from app.domain.people import Side
from app.domain.rescheduling import RescheduleReason, agreed_at, require_movable
from app.domain.text import optional_message


class OfferStatus(StrEnum):
    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"
    WITHDRAWN = "WITHDRAWN"
    EXPIRED = "EXPIRED"


class OfferPurpose(StrEnum):
    EXPERT_RESCHEDULE = "EXPERT_RESCHEDULE"
    """The expert's schedule: held times; rejection or expiry cancels the meeting with a refund."""
    CLIENT_PROPOSAL = "CLIENT_PROPOSAL"
    """The client of an agreed meeting asks for another time; it lapses at the original start."""
    LOCATION_CHANGE = "LOCATION_CHANGE"
    """The expert proposes another mode or place; it lapses at the start."""
    SESSION_REQUEST = "SESSION_REQUEST"
    """A client asks for a session at one of its times; the expert picks one or declines.
    Unanswered, the meeting expires at the earliest time; withdrawn, it is cancelled."""


class OfferDecision(StrEnum):
    ACCEPT = "ACCEPT"
    REJECT = "REJECT"


MAX_OFFERED_TIMES = 5
EXPERT_OFFER_LIFETIME = timedelta(hours=24)
"""An expert's offer of other times expires after this, or at the original start if sooner."""


@dataclass(frozen=True)
class OfferState:
    purpose: OfferPurpose
    made_by_side: Side
    status: OfferStatus
    expires_at: datetime
    times: tuple[datetime, ...] = ()
    mode: MeetingMode | None = None
    location: str | None = None
    message: str | None = None
    picked_starts_at: datetime | None = None
    overlap_acknowledged: bool = False
    """The expert offered times that overlap their other meetings, knowingly."""

    @property
    def addressee(self) -> Side:
        return self.made_by_side.other

    @property
    def holds_times(self) -> bool:
        """An expert's pending offer of times keeps them from everyone else."""
        return self.status is OfferStatus.PENDING and self.purpose is OfferPurpose.EXPERT_RESCHEDULE


@dataclass(frozen=True)
class OfferOutcome:
    offer: OfferState
    meeting: Outcome


def answers_for_overlaps(side: Side) -> bool:
    """Only the expert's own times (offered or accepted) must own up to overlapping their other
    meetings; the client cannot know the expert's calendar."""
    return side is Side.EXPERT


def overlap_check_time(offer: OfferState, side: Side, starts_at: datetime | None) -> datetime | None:
    """The time an acceptance must check against the expert's other meetings: the expert's
    pick among a client's times, which the offer did not hold; None when nothing needs
    checking (the client answering, a held time, a change of place)."""
    if answers_for_overlaps(side) and offer.times and not offer.holds_times:
        return picked_time(offer, starts_at)
    return None


def validate_times(times: Sequence[datetime], duration_minutes: int, now: datetime) -> tuple[datetime, ...]:
    """1 to 5 distinct new start times, each a valid start; sorted."""
    if not times:
        raise InvalidInput("offer at least one time")
    distinct = sorted(set(times))
    if len(distinct) > MAX_OFFERED_TIMES:
        raise LimitExceeded(f"offer at most {MAX_OFFERED_TIMES} times")
    for starts_at in distinct:
        rules.validate_new_time(starts_at, duration_minutes, now)
    return tuple(distinct)


def offer_times(
    state: MeetingState,
    side: Side,
    times: Sequence[datetime],
    now: datetime,
    *,
    message: str | None = None,
    overlaps_other_meeting: bool = False,
    acknowledge_overlap: bool = False,
) -> OfferOutcome:
    """Other times for a meeting, from the expert (EXPERT_SCHEDULE) or its client (agreed, or
    awaiting the expert)."""
    message = optional_message(message)
    require_movable(state, now)
    offered = validate_times(times, state.duration_minutes, now)
    if state.starts_at in offered:
        raise InvalidInput("the meeting already starts at one of these times")
    if side is Side.EXPERT:
        rules.require_overlap_acknowledged(overlaps_other_meeting, acknowledge_overlap)
        purpose = OfferPurpose.EXPERT_RESCHEDULE
        expires_at = min(now + EXPERT_OFFER_LIFETIME, state.start)
    else:
        # Agreed, or still awaiting the expert's answer (seed 001: a client may ask for a change
        # before the expert has confirmed); the expert's yes then agrees the meeting at the new time.
        purpose = OfferPurpose.CLIENT_PROPOSAL
        expires_at = state.start
    offer = OfferState(
        purpose,
        side,
        OfferStatus.PENDING,
        expires_at,
        offered,
        message=message,
        overlap_acknowledged=side is Side.EXPERT and overlaps_other_meeting,
    )
    details = {
        "purpose": purpose.value,
        "times": ", ".join(t.isoformat() for t in offered),
        "reason": RescheduleReason.EXPERT_SCHEDULE.value if side is Side.EXPERT else None,
        "message": message,
    }
    return OfferOutcome(offer, Outcome(state, TimelineEventType.TIMES_OFFERED, details))


def offer_location(
    state: MeetingState,
    side: Side,
    mode: MeetingMode,
    location: str | None,
    now: datetime,
    *,
    message: str | None = None,
) -> OfferOutcome:
    """The expert proposes another mode or place; the client's yes makes it the meeting's."""
    message = optional_message(message)
    place = _new_place(state, side, mode, location, now)
    offer = OfferState(
        OfferPurpose.LOCATION_CHANGE,
        side,
        OfferStatus.PENDING,
        state.start,
        mode=mode,
        location=place,
        message=message,
    )
    details = {"purpose": offer.purpose.value, "mode": mode.value, "location": place, "message": message}
    return OfferOutcome(offer, Outcome(state, TimelineEventType.LOCATION_OFFERED, details))


def move_place_at_clients_request(
    state: MeetingState,
    side: Side,
    mode: MeetingMode,
    location: str | None,
    now: datetime,
    *,
    message: str | None = None,
) -> Outcome:
    """The client asked for another mode or place: the expert applies it at once, and the
    meeting keeps its standing (seed 001: "if your client has requested the change")."""
    message = optional_message(message)
    place = _new_place(state, side, mode, location, now)
    changed = replace(state, mode=mode, location=place, room_url=state.room_url if mode in ONLINE_MODES else None)
    details = {
        "mode": mode.value,
        "location": place,
        "reason": RescheduleReason.CLIENT_REQUESTED.value,
        "message": message,
    }
    return Outcome(changed, TimelineEventType.LOCATION_CHANGED, details)


def _new_place(state: MeetingState, side: Side, mode: MeetingMode, location: str | None, now: datetime) -> str | None:
    """The place a change of mode leaves (in person only), checked: the expert's, before the start, new."""
    if side is not Side.EXPERT:
        raise NotAllowed("only the expert changes a meeting's mode or place")
    require_movable(state, now)
    location = validate_location(location)
    if mode is MeetingMode.IN_PERSON and not location:
        raise InvalidInput("an in-person meeting needs a location")
    place = location if mode is MeetingMode.IN_PERSON else None
    if (mode, place) == (state.mode, state.location):
        raise InvalidInput("the meeting already has this mode and place")
    return place


def _require_open(offer: OfferState, now: datetime) -> None:
    if offer.status is not OfferStatus.PENDING:
        raise InvalidState(f"the offer is already {offer.status.value}")
    if now >= offer.expires_at:
        raise TooLate("the offer has expired")


def _require_addressee(offer: OfferState, side: Side) -> None:
    if side is not offer.addressee:
        raise NotAllowed("the other side answers this offer; you may withdraw it")


def accept(
    offer: OfferState,
    state: MeetingState,
    side: Side,
    now: datetime,
    *,
    starts_at: datetime | None = None,
    overlaps_other_meeting: bool = False,
    acknowledge_overlap: bool = False,
) -> OfferOutcome:
    """The addressee says yes: the picked time or the new place becomes the meeting's.

    The expert accepting a client's time must acknowledge an overlap with their
    other meetings; the client picking an expert's held time needs not (the
    offer held it).
    """
    _require_open(offer, now)
    _require_addressee(offer, side)
    if offer.purpose is OfferPurpose.LOCATION_CHANGE:
        mode = offer.mode or state.mode
        room_url = state.room_url if mode in ONLINE_MODES else None
        changed = replace(state, mode=mode, location=offer.location, room_url=room_url)
        accepted = replace(offer, status=OfferStatus.ACCEPTED)
        details = {"purpose": offer.purpose.value, "mode": changed.mode.value, "location": changed.location}
        return OfferOutcome(accepted, Outcome(changed, TimelineEventType.OFFER_ACCEPTED, details))
    starts_at = picked_time(offer, starts_at)
    if side is Side.EXPERT:
        rules.require_overlap_acknowledged(overlaps_other_meeting, acknowledge_overlap)
    moved = agreed_at(
        state,
        starts_at,
        overlap_acknowledged=overlaps_other_meeting if side is Side.EXPERT else offer.overlap_acknowledged,
    )
    accepted = replace(offer, status=OfferStatus.ACCEPTED, picked_starts_at=starts_at)
    details = {
        "purpose": offer.purpose.value,
        "starts_at": starts_at.isoformat(),
        "previous_starts_at": state.starts_at.isoformat() if state.starts_at else None,
    }
    return OfferOutcome(accepted, Outcome(moved, TimelineEventType.OFFER_ACCEPTED, details))


def picked_time(offer: OfferState, starts_at: datetime | None) -> datetime:
    """The offered time an acceptance picks; it may be left out when only one was offered."""
    if starts_at is None:
        if len(offer.times) != 1:
            raise InvalidInput("pick one of the offered times (startsAt)")
        return offer.times[0]
    if starts_at not in offer.times:
        raise InvalidInput("startsAt is not one of the offered times")
    return starts_at


def reject(
    offer: OfferState,
    state: MeetingState,
    side: Side,
    now: datetime,
    *,
    message: str | None = None,
    reason: DeclineReason | None = None,
) -> OfferOutcome:
    """The addressee says no, with a reason from the list if they give one. Refusing the
    expert's other times cancels the meeting, refunded; declining a requested session
    rejects it, refunded (NOT_AVAILABLE unless another reason is given)."""
    message = optional_message(message)
    _require_open(offer, now)
    _require_addressee(offer, side)
    return _closed(offer, state, OfferStatus.REJECTED, TimelineEventType.OFFER_REJECTED, message, reason)


def withdraw(
    offer: OfferState, state: MeetingState, side: Side, now: datetime, *, message: str | None = None
) -> OfferOutcome:
    """The side that made the offer takes it back; the meeting stands as it was."""
    message = optional_message(message)
    if offer.status is not OfferStatus.PENDING:
        raise InvalidState(f"the offer is already {offer.status.value}")
    if side is not offer.made_by_side:
        raise NotAllowed("only the side that made the offer withdraws it; you may reject it")
    withdrawn = replace(offer, status=OfferStatus.WITHDRAWN)
    details: dict[str, str | bool | None] = {"purpose": offer.purpose.value, "message": message}
    after = state
    if offer.purpose is OfferPurpose.SESSION_REQUEST:
        after = replace(
            state,
            status=MeetingStatus.CANCELLED,
            cancelled_by_side=Side.CLIENT,
            credit_status=rules.returned_credits(state.credit_status),
        )
        details["meeting_cancelled"] = True
    return OfferOutcome(withdrawn, Outcome(after, TimelineEventType.OFFER_WITHDRAWN, details))


def expire(offer: OfferState, state: MeetingState, now: datetime) -> OfferOutcome | None:
    """Unanswered at its expiry: an expert's other times cancel the meeting, refunded; a
    requested session expires, refunded; anything else simply lapses. None when it is not
    pending or not yet due."""
    if offer.status is not OfferStatus.PENDING or now < offer.expires_at:
        return None
    return _closed(offer, state, OfferStatus.EXPIRED, TimelineEventType.OFFER_EXPIRED, None)


def outlived(offer: OfferState, before: MeetingState, after: MeetingState) -> bool:
    """A pending offer has nothing left to change once its meeting ended, moved or changed
    place by other means (it then lapses: EXPIRED)."""
    return offer.status is OfferStatus.PENDING and (
        after.status not in (MeetingStatus.AWAITING_APPROVAL, MeetingStatus.AGREED)
        or (before.starts_at, before.mode, before.location) != (after.starts_at, after.mode, after.location)
    )


def _closed(
    offer: OfferState,
    state: MeetingState,
    status: OfferStatus,
    event: TimelineEventType,
    message: str | None,
    reason: DeclineReason | None = None,
) -> OfferOutcome:
    details: dict[str, str | bool | None] = {"purpose": offer.purpose.value, "message": message}
    if reason is not None:
        details["reason"] = reason.value
    after = state
    if offer.purpose is OfferPurpose.SESSION_REQUEST:
        ended = MeetingStatus.REJECTED if status is OfferStatus.REJECTED else MeetingStatus.EXPIRED
        after = replace(state, status=ended, credit_status=rules.returned_credits(state.credit_status))
        if status is OfferStatus.REJECTED:
            after = replace(after, decline_reason=reason or DeclineReason.NOT_AVAILABLE)
    elif offer.purpose is OfferPurpose.EXPERT_RESCHEDULE and state.status in (
        MeetingStatus.AWAITING_APPROVAL,
        MeetingStatus.AGREED,
    ):
        after = replace(
            state,
            status=MeetingStatus.CANCELLED,
            cancel_reason=CancelReason.SCHEDULE_CONFLICT,
            cancelled_by_side=Side.EXPERT,
            room_url=None,
            credit_status=rules.returned_credits(state.credit_status),
        )
        details["meeting_cancelled"] = True
    return OfferOutcome(replace(offer, status=status), Outcome(after, event, details))
