"""Instant requests in the database: the one row <-> InstantRequestState mapping, and a
transition save that only the first of concurrent changes wins. The request's hold on its
client's credits moves with its status, in the same write (domain/ledger.request_hold_moves).

A request leaves OPEN once. Its save is a conditional UPDATE from the status it was read
in, so of a take, a withdrawal and the expiry racing, one changes the row; the others get
ALREADY_TAKEN and their transactions roll back whatever they wrote before it (a taker's
new meeting included). Its timed work comes from `domain/schedule`, like a meeting's.
"""

from dataclasses import fields
from datetime import datetime
from uuid import UUID, uuid4

from app.domain.errors import AlreadyTaken
from app.domain.instant import InstantRequestState, InstantStatus
from app.domain.ledger import request_hold_moves
from app.domain.schedule import instant_jobs_for
from app.models import InstantRequest, ScheduledJob
from app.models.jobs import JobStatus
from app.services.ledger import write_account_moves

STATE_FIELDS = tuple(field.name for field in fields(InstantRequestState))
"""The row's columns that hold the state, named as InstantRequestState's fields."""


def state_of(row: InstantRequest) -> InstantRequestState:
    return InstantRequestState(**{name: getattr(row, name) for name in STATE_FIELDS})


async def add(state: InstantRequestState, offered_to: list[UUID], now: datetime) -> InstantRequest:
    row = await InstantRequest.create(
        id=uuid4(),
        **{name: getattr(state, name) for name in STATE_FIELDS},
        notified_expert_ids=[str(expert_id) for expert_id in offered_to],
        created_at=now,
    )
    moves = request_hold_moves(None, state.status, state.max_price_credits)
    await write_account_moves(moves, user_id=state.client_id, now=now, instant_request_id=row.id)
    await _replan_jobs(row, state, now)
    return row


async def save(
    row: InstantRequest,
    before: InstantRequestState,
    after: InstantRequestState,
    now: datetime,
    *,
    taken_by_id: UUID | None = None,
    meeting_id: UUID | None = None,
) -> None:
    """Moves the request from `before`'s status to `after`'s, or raises AlreadyTaken when
    another change moved it first."""
    links = {"taken_by_id": taken_by_id, "meeting_id": meeting_id} if after.status is InstantStatus.TAKEN else {}
    ended_at = None if after.status is InstantStatus.OPEN else now
    changed = await InstantRequest.filter(id=row.id, status=before.status).update(
        status=after.status, ended_at=ended_at, **links
    )
    if changed != 1:
        raise AlreadyTaken("another expert took this request first")
    row.status, row.ended_at = after.status, ended_at
    for name, value in links.items():
        setattr(row, name, value)
    moves = request_hold_moves(before.status, after.status, before.max_price_credits)
    await write_account_moves(moves, user_id=before.client_id, now=now, instant_request_id=row.id)
    await _replan_jobs(row, after, now)


async def _replan_jobs(row: InstantRequest, state: InstantRequestState, now: datetime) -> None:
    await ScheduledJob.filter(instant_request_id=row.id, status=JobStatus.PENDING).update(
        status=JobStatus.CANCELLED, finished_at=now
    )
    await ScheduledJob.bulk_create(
        [
            ScheduledJob(kind=job.kind, instant_request_id=row.id, meeting_version=0, due_at=job.due_at, created_at=now)
            for job in instant_jobs_for(state)
        ]
    )
