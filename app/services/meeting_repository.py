"""Meetings in and out of the database: ONE mapping between a row and `MeetingState`.

The state's field names are the row's column names, so the mapping is written
once, as the state's field list; `ends_at` is stored as well, for the overlap
guard and range queries.
"""

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from tortoise.exceptions import DoesNotExist, IntegrityError

from app.domain import rooms
from app.domain.booking import NewMeeting
from app.domain.errors import InvalidState, NotFound, SlotTaken
from app.domain.meetings import MeetingState, claims_new_time
from app.domain.notifications import MeetingSummary
from app.domain.people import Parties, Side
from app.domain.policy import ExpertPolicy
from app.domain.rescheduling import DEFAULT_PROGRAMME, ClientProgramme, policy_for
from app.models import ClientRelation, ExpertProfile, Meeting, Service, User
from app.services.catalog import policy_of

STATE_FIELDS = tuple(f.name for f in fields(MeetingState))


def state_of(row: Meeting) -> MeetingState:
    return MeetingState(**{name: getattr(row, name) for name in STATE_FIELDS})


def columns_of(state: MeetingState) -> dict[str, Any]:
    ends_at = state.ends_at if state.starts_at is not None else None
    return {**{name: getattr(state, name) for name in STATE_FIELDS}, "ends_at": ends_at}


def parties_of(row: Meeting) -> Parties:
    return Parties(client_id=row.client_id, expert_id=row.expert_id)


@dataclass(frozen=True)
class MeetingRecord:
    """A meeting as a use case works with it, read with everything its rules and effects need."""

    row: Meeting
    state: MeetingState
    policy: ExpertPolicy
    client: User
    expert: User
    service: Service
    fee_percent: int | None = None
    """The expert's own platform fee, set by an admin; None: the platform's."""

    @property
    def id(self) -> UUID:
        return self.row.id

    @property
    def version(self) -> int:
        return self.row.version

    @property
    def parties(self) -> Parties:
        return parties_of(self.row)

    def time_zones(self) -> dict[Side, str]:
        return {Side.CLIENT: self.client.time_zone, Side.EXPERT: self.expert.time_zone}

    def summary(self) -> MeetingSummary:
        return MeetingSummary(
            service_title=self.service.title,
            starts_at=self.state.starts_at,
            price_credits=self.state.price_credits,
            client_name=self.client.name,
            expert_name=self.expert.name,
            mode=self.state.mode,
            location=self.state.location,
            status=self.state.status,
            credit_status=self.state.credit_status,
            discount_credits=self.state.discount_credits,
        )


def _record(
    row: Meeting,
    client: User,
    expert: User,
    profile: ExpertProfile | None,
    service: Service,
    programme: ClientProgramme = DEFAULT_PROGRAMME,
) -> MeetingRecord:
    """`programme`: the client's with the expert, which shapes the policy that governs the
    meeting (a HUB client's fixed 24-hour window)."""
    if profile is None:
        raise DoesNotExist(f"the meeting's expert {row.expert_id} has no expert profile")
    policy = policy_for(policy_of(profile), programme)
    return MeetingRecord(row, state_of(row), policy, client, expert, service, profile.platform_fee_percent)


async def get_for_update(meeting_id: UUID) -> MeetingRecord:
    """The meeting, locked for this transaction (FOR UPDATE on PostgreSQL)."""
    return await _load(meeting_id, for_update=True)


async def get(meeting_id: UUID) -> MeetingRecord:
    """The meeting as it is, for a reader that changes nothing."""
    return await _load(meeting_id, for_update=False)


async def _load(meeting_id: UUID, *, for_update: bool) -> MeetingRecord:
    """Five plain reads: one query joining the tables cost Tortoise more to build and to
    split into objects than the round trips (3.3 against 2 ms of CPU for four)."""
    query = Meeting.filter(id=meeting_id)
    if for_update:
        query = query.select_for_update()
    row = await query.first()
    if row is None:
        raise NotFound("no such meeting")
    people = {user.id: user for user in await User.filter(id__in=[row.client_id, row.expert_id])}
    profile = await ExpertProfile.get_or_none(user_id=row.expert_id)
    service = await Service.get(id=row.service_id)
    relation = await ClientRelation.filter(expert_id=row.expert_id, client_id=row.client_id).only("programme").first()
    programme = relation.programme if relation else DEFAULT_PROGRAMME
    return _record(row, people[row.client_id], people[row.expert_id], profile, service, programme)


async def add(new: NewMeeting, *, service: Service, client: User, now: datetime) -> MeetingRecord:
    """Stores a new meeting; `service` comes with its expert and their profile loaded."""
    row = Meeting(
        id=uuid4(),
        client=client,
        expert=service.expert,
        service=service,
        skill=new.skill,
        created_by_side=new.created_by,
        kind=new.kind,
        coupon_id=new.coupon_id,
        coupon_credits=new.coupon_credits,
        version=1,
        created_at=now,
        updated_at=now,
        **columns_of(rooms.arranged(new.outcome.state, _room_token)),
    )
    async with overlap_is_slot_taken():
        await row.save()
    expert: User = service.expert
    return _record(row, client, expert, expert.expert_profile, service)


async def save(meeting: MeetingRecord, state: MeetingState, now: datetime) -> MeetingRecord:
    """Writes a state that takes no time the meeting did not hold (it cannot meet the
    double-booking guard, so it never answers SLOT_TAKEN)."""
    if claims_new_time(meeting.state, state):
        raise RuntimeError("this change takes new time: write it with save_claiming_time")
    return await _write(meeting, state, now)


async def save_claiming_time(meeting: MeetingRecord, state: MeetingState, now: datetime) -> MeetingRecord:
    """Writes a state that may take new time (approved, moved); the guard's refusal is SLOT_TAKEN."""
    async with overlap_is_slot_taken():
        return await _write(meeting, state, now)


async def _write(meeting: MeetingRecord, state: MeetingState, now: datetime) -> MeetingRecord:
    """Writes the new state only if nobody changed the meeting since it was read, with the
    room it needs (every write comes through here or `add`: no use case has to remember it)."""
    state = rooms.arranged(state, _room_token)
    changed = {**columns_of(state), "version": meeting.version + 1, "updated_at": now}
    updated = await Meeting.filter(id=meeting.id, version=meeting.version).update(**changed)
    if updated != 1:
        raise InvalidState("the meeting changed meanwhile; reload it and try again")
    for name, value in changed.items():
        setattr(meeting.row, name, value)
    return replace(meeting, state=state)


def _room_token() -> str:
    return secrets.token_urlsafe(24)


@asynccontextmanager
async def overlap_is_slot_taken() -> AsyncIterator[None]:
    """The database's last word on double booking (migrations 0003 and 0006)."""
    try:
        yield
    except IntegrityError as exc:
        if "meeting_overlap" in str(exc):
            raise SlotTaken("the expert is not free at that time") from exc
        raise
