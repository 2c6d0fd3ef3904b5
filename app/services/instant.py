"""Use cases of instant sessions: post, take (first taker wins), withdraw, expire.

Taking is decided by the database: the request moves from OPEN to TAKEN with a
conditional UPDATE inside the taker's transaction, after the meeting is added
(instant_repository.save); a taker who loses gets ALREADY_TAKEN and its meeting
is rolled back. Every expert told of a request hears how it ended.
"""

from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from tortoise.expressions import F, Q
from tortoise.queryset import QuerySet

from app.domain import instant
from app.domain.access import can_see_instant_request, instant_request_scope
from app.domain.booking import NewMeeting
from app.domain.errors import (
    AlreadyTaken,
    ConflictNotAcknowledged,
    InsufficientCredits,
    InvalidInput,
    InvalidState,
    NotAllowed,
    NotFound,
    SlotTaken,
    TooLate,
    refuses,
)
from app.domain.instant import InstantRequestState, InstantStatus
from app.domain.meetings import MeetingKind, MeetingMode
from app.domain.notifications import Notice, instant_request_notice
from app.domain.people import Actor, Parties, Side
from app.events import topics
from app.events.broker import Event
from app.models import ExpertProfile, ExpertSkill, InstantRequest, Meeting, Service, User
from app.services import busy, effects, instant_repository, meeting_repository
from app.services.catalog import offerings_of, per_minute_of
from app.services.instant_repository import state_of
from app.services.ledger import require_balance
from app.services.notifications import notify
from app.services.pagination import Page, decode_time_cursor, encode_cursor, validate_page_size
from app.services.runtime import Runtime
from app.services.unit_of_work import UnitOfWork, unit_of_work


@dataclass(frozen=True)
class InstantAsk:
    topic: str
    skill: str
    description: str
    duration_minutes: int
    max_price_credits: int
    mode: MeetingMode = MeetingMode.VIDEO
    direct_expert_id: UUID | None = None


@refuses(InsufficientCredits, InvalidInput, NotFound)
async def post_instant_request(runtime: Runtime, actor: Actor, ask: InstantAsk) -> InstantRequest:
    """Offered at once to every matching expert who is online and free now."""
    now = runtime.clock.now()
    lifetime = timedelta(minutes=runtime.settings.instant_request_minutes)
    async with unit_of_work(runtime) as uow:
        state = instant.post(
            actor.user_id,
            topic=ask.topic,
            skill=ask.skill,
            description=ask.description,
            duration_minutes=ask.duration_minutes,
            max_price_credits=ask.max_price_credits,
            mode=ask.mode,
            direct_expert_id=ask.direct_expert_id,
            now=now,
            lifetime=lifetime,
        )
        if ask.direct_expert_id is not None and not await ExpertProfile.filter(user_id=ask.direct_expert_id).exists():
            raise NotFound("no such expert")
        await require_balance(actor.user_id, state.max_price_credits)
        online, offline = await _matching_experts(runtime, state, now)
        row = await instant_repository.add(state, online, now)
        _tell(uow, row)
        await _tell_offline(uow, state, offline, now)
    return row


@refuses(
    AlreadyTaken,
    ConflictNotAcknowledged,
    InsufficientCredits,
    InvalidState,
    NotAllowed,
    NotFound,
    SlotTaken,
    TooLate,
)
async def take_instant_request(
    runtime: Runtime, actor: Actor, request_id: UUID, *, acknowledge_overlap: bool
) -> Meeting:
    """The first taker gets an INSTANT meeting, AGREED now, at their price; others ALREADY_TAKEN."""
    now = runtime.clock.now()
    async with unit_of_work(runtime) as uow:
        row, skills = await _visible_request(actor, request_id)
        state = state_of(row)
        service, price = await _cheapest_service(actor.user_id, state)
        overlaps = await busy.is_busy(actor.user_id, now, now + timedelta(minutes=state.duration_minutes))
        taken, outcome = instant.take(
            state,
            actor.user_id,
            skills,
            price,
            now,
            overlaps_other_meeting=overlaps,
            acknowledge_overlap=acknowledge_overlap,
            per_minute=per_minute_of(service) if service else None,
        )
        assert service is not None  # `take` refuses an expert without a fitting service
        new = NewMeeting(
            Parties(state.client_id, actor.user_id),
            service.id,
            state.skill,
            Side.CLIENT,
            outcome,
            kind=MeetingKind.INSTANT,
        )
        meeting = await meeting_repository.add(new, service=service, client=await User.get(id=state.client_id), now=now)
        await instant_repository.save(row, state, taken, now, taken_by_id=actor.user_id, meeting_id=meeting.id)
        waited = max(0, round((now - row.created_at).total_seconds()))
        await ExpertProfile.filter(user_id=actor.user_id).update(
            instant_takes=F("instant_takes") + 1, take_seconds=F("take_seconds") + waited
        )
        # The request's hold is back: the meeting blocks its own price, never more than the hold.
        await require_balance(state.client_id, outcome.state.price_credits)
        await effects.record(uow, effects.Change(meeting, None, outcome, actor, Side.EXPERT, now))
        _tell(uow, row)
    return meeting.row


@refuses(AlreadyTaken, InvalidState, NotAllowed, NotFound, TooLate)
async def withdraw_instant_request(runtime: Runtime, actor: Actor, request_id: UUID) -> InstantRequest:
    now = runtime.clock.now()
    async with unit_of_work(runtime) as uow:
        row, _skills = await _visible_request(actor, request_id)
        before = state_of(row)
        await instant_repository.save(row, before, instant.withdraw(before, actor.user_id, now), now)
        _tell(uow, row)
    return row


async def expire_instant_request(runtime: Runtime, request_id: UUID, now: datetime) -> None:
    """Unanswered at its expiry (a timed job): EXPIRED, and the experts told. Harmless twice."""
    with suppress(AlreadyTaken):  # taken or withdrawn meanwhile: nothing to expire
        async with unit_of_work(runtime) as uow:
            row = await InstantRequest.filter(id=request_id).first()
            before = state_of(row) if row else None
            expired = instant.expire(before, now) if before else None
            if row is None or before is None or expired is None:
                return
            await instant_repository.save(row, before, expired, now)
            _tell(uow, row)


@refuses(NotFound)
async def get_instant_request(actor: Actor, request_id: UUID) -> InstantRequest:
    row, _skills = await _visible_request(actor, request_id)
    return row


async def list_instant_requests(
    runtime: Runtime, actor: Actor, statuses: Sequence[InstantStatus], first: int, after: str | None
) -> Page[InstantRequest]:
    """Newest first: the actor's own requests, and the open ones they may take now
    (domain/access.instant_request_scope)."""
    validate_page_size(first)
    query = _in_scope(actor, await _skills_of(actor), runtime.clock.now())
    if statuses:
        query = query.filter(status__in=list(statuses))
    if after is not None:
        created_at, after_id = decode_time_cursor(after)
        query = query.filter(Q(created_at__lt=created_at) | Q(created_at=created_at, id__lt=after_id))
    rows = await query.order_by("-created_at", "-id").limit(first + 1)
    items = [(encode_cursor(row.created_at.isoformat(), str(row.id)), row) for row in rows[:first]]
    return Page(items=items, has_next_page=len(rows) > first, has_previous_page=after is not None)


MAX_OPEN_FRAMES = 100
"""At most this many open requests are a subscription's first frames."""


async def open_for(actor: Actor, now: datetime) -> list[InstantRequest]:
    """The open requests an expert may take now, oldest first (a subscription's first frames)."""
    skills = await _skills_of(actor)
    if skills is None:
        return []
    query = _in_scope(actor, skills, now).filter(status=InstantStatus.OPEN).exclude(client_id=actor.user_id)
    return await query.order_by("created_at", "id").limit(MAX_OPEN_FRAMES)


def _in_scope(actor: Actor, skills: tuple[str, ...] | None, now: datetime) -> QuerySet[InstantRequest]:
    scope = instant_request_scope(actor, skills)
    if scope.everything:
        return InstantRequest.all()
    mine = Q(client_id=scope.client_id)
    if scope.expert_id is None:
        return InstantRequest.filter(mine)
    meant_for_me = Q(direct_expert_id=scope.expert_id) | Q(direct_expert_id__isnull=True, skill__in=list(scope.skills))
    takeable = Q(meant_for_me, status=InstantStatus.OPEN, expires_at__gt=now) & ~Q(client_id=scope.expert_id)
    return InstantRequest.filter(mine | takeable)


async def _skills_of(actor: Actor) -> tuple[str, ...] | None:
    profile = await ExpertProfile.filter(user_id=actor.user_id).only("skills").first()
    return tuple(profile.skills) if profile else None


async def visible_request(actor: Actor, request_id: UUID) -> InstantRequest:
    """The request if the actor may see it, else NOT_FOUND (as for an unknown id)."""
    row, _skills = await _visible_request(actor, request_id)
    return row


async def _visible_request(actor: Actor, request_id: UUID) -> tuple[InstantRequest, tuple[str, ...]]:
    """The request if the actor may see it (domain/access), with the actor's skills as an
    expert (none for a client)."""
    row = await InstantRequest.filter(id=request_id).first()
    skills = await _skills_of(actor)
    if row is None or not can_see_instant_request(
        actor,
        state_of(row),
        taken_by=row.taken_by_id,
        offered_to={UUID(expert_id) for expert_id in row.notified_expert_ids},
        actor_skills=skills,
    ):
        raise NotFound("no such instant request")
    return row, skills or ()


async def _cheapest_service(expert_id: UUID, state: InstantRequestState) -> tuple[Service | None, int | None]:
    """The expert's service with the lowest price for the duration within the client's most."""
    best: tuple[Service | None, int | None] = (None, None)
    services = await Service.filter(expert_id=expert_id, is_active=True).select_related(
        "expert", "expert__expert_profile"
    )
    for service in services:
        if state.mode not in [MeetingMode(m) for m in service.modes]:
            continue
        price = instant.taker_price(state, offerings_of(service), per_minute_of(service))
        if price is not None and (best[1] is None or price < best[1]):
            best = (service, price)
    return best


MAX_OFFLINE_NOTICES = 20
"""Offline experts told of one request (notification and e-mail), at most; so a post for a
common skill costs a bounded amount of work, however many experts list it."""
MAX_OFFLINE_CHECKED = 3 * MAX_OFFLINE_NOTICES


async def _matching_experts(
    runtime: Runtime, state: InstantRequestState, now: datetime
) -> tuple[list[UUID], list[UUID]]:
    """Those listing the skill (or the one named), offering the duration within the price and
    free now: the online ones (offered it live), and up to MAX_OFFLINE_NOTICES offline ones."""
    if state.direct_expert_id is not None:
        candidates = [state.direct_expert_id]
    else:
        listed = await ExpertSkill.filter(skill=state.skill).values_list("expert_id", flat=True)
        candidates = [UUID(str(e)) for e in listed]
    ends_at = now + timedelta(minutes=state.duration_minutes)
    online = await runtime.presence.online_among(candidates)
    matching: list[UUID] = []
    offline: list[UUID] = []
    offline_checked = 0
    for expert_id in candidates:
        if expert_id == state.client_id:
            continue
        if expert_id not in online:
            if len(offline) >= MAX_OFFLINE_NOTICES or offline_checked >= MAX_OFFLINE_CHECKED:
                continue
            offline_checked += 1
        _service, price = await _cheapest_service(expert_id, state)
        if price is not None and not await busy.is_busy(expert_id, now, ends_at):
            (matching if expert_id in online else offline).append(expert_id)
    return matching, offline


async def _tell_offline(uow: UnitOfWork, state: InstantRequestState, experts: list[UUID], now: datetime) -> None:
    """An expert who could take the request but is not online gets a notification and its e-mail."""
    zones = dict(await User.filter(id__in=experts).values_list("id", "time_zone")) if experts else {}
    for expert_id in experts:
        text = instant_request_notice(
            state.topic,
            state.skill,
            state.duration_minutes,
            state.max_price_credits,
            state.expires_at,
            str(zones.get(expert_id, "UTC")),
        )
        await notify(uow, expert_id, Notice.INSTANT_REQUEST, text, now)


def _tell(uow: UnitOfWork, row: InstantRequest) -> None:
    payload: dict[str, str | int | None] = {"request_id": str(row.id)}
    uow.publish_after_commit(
        *(
            Event(topics.expert_instant_requests(UUID(expert_id)), "instant", payload)
            for expert_id in row.notified_expert_ids
        ),
        Event(topics.instant_request(row.id), "instant", payload),
    )
