"""What the clock does to a meeting when a timed job falls due.

Each reads the meeting afresh and acts only if its moment is still due at
`now` (the instant the job was claimed), so running late or twice is harmless.
"""

from datetime import datetime
from uuid import UUID

from app.domain import meetings as rules
from app.domain.followups import notes_due_at
from app.domain.meetings import ClockRule
from app.domain.notifications import notes_due_notice, plan_reminder
from app.domain.schedule import ReminderKind, recipients_of, reminder_is_stale
from app.models import Note
from app.services import effects, meeting_repository
from app.services.notifications import deliver, notify
from app.services.runtime import Runtime
from app.services.unit_of_work import unit_of_work


async def apply_clock_rule(runtime: Runtime, meeting_id: UUID, rule: ClockRule, now: datetime) -> None:
    """A change no one asks for (no-show, completion, expiry, waiver); both sides hear of it."""
    async with unit_of_work(runtime) as uow:
        meeting = await meeting_repository.get_for_update(meeting_id)
        before = meeting.state
        outcome = rule(before, meeting.policy, now)
        if outcome is None:
            return
        meeting = await meeting_repository.save(meeting, outcome.state, now)
        await effects.record(uow, effects.Change(meeting, before, outcome, None, None, now))


async def send_reminder(runtime: Runtime, meeting_id: UUID, reminder: ReminderKind, now: datetime) -> None:
    """Dropped once the meeting has started or is no longer agreed."""
    async with unit_of_work(runtime) as uow:
        meeting = await meeting_repository.get(meeting_id)
        if reminder_is_stale(meeting.state, now):
            return
        recipients = recipients_of(reminder, runtime.reminder_offsets)
        room_url = meeting.state.room_url
        room_links = (
            {side: runtime.rooms.link_for(room_url, meeting.parties.id_of(side)) for side in recipients}
            if room_url
            else {}
        )
        planned = plan_reminder(reminder, recipients, meeting.summary(), meeting.time_zones(), room_links)
        await deliver(uow, meeting.id, meeting.parties, planned, now)


async def remind_of_notes(runtime: Runtime, meeting_id: UUID, now: datetime) -> None:
    """Once, while a session's required notes are missing; nothing once a note is written."""
    async with unit_of_work(runtime) as uow:
        meeting = await meeting_repository.get(meeting_id)
        due = notes_due_at(meeting.state, meeting.policy)
        if due is None or now >= due or await Note.filter(meeting_id=meeting.id).exists():
            return
        text = notes_due_notice(meeting.summary(), due, meeting.expert.time_zone)
        await notify(uow, meeting.parties.expert_id, ReminderKind.NOTES_DUE, text, now, meeting_id=meeting.id)


async def announce_join_window(runtime: Runtime, meeting_id: UUID, now: datetime) -> None:
    """canJoin turned true with the clock; nothing is stored, the subscriptions are told."""
    async with unit_of_work(runtime) as uow:
        meeting = await meeting_repository.get(meeting_id)
        if rules.can_join(meeting.state, meeting.policy, now):
            effects.announce(uow, meeting, "JOIN_WINDOW_OPENED")
