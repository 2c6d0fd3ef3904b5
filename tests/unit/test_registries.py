"""Every event type has its effects and every job kind its handler."""

from app.domain.meetings import TimelineEventType
from app.domain.schedule import JobKind
from app.jobs.handlers import JOB_HANDLERS
from app.services.effects import EFFECTS, replan_jobs, tell_room_provider


def test_every_timeline_event_type_has_effects() -> None:
    missing = [t.value for t in TimelineEventType if not EFFECTS.get(t)]
    assert missing == [], f"event types without effects in app/services/effects.py: {missing}"


def test_every_job_kind_has_a_handler() -> None:
    missing = [k.value for k in JobKind if k not in JOB_HANDLERS]
    assert missing == [], f"job kinds without a handler in app/jobs/handlers.py: {missing}"
    assert set(JOB_HANDLERS) == set(JobKind)


def test_every_change_of_state_tells_a_calling_out_room_provider() -> None:
    """A change that replans the clock's work may open or close a room (AGREED, cancelled, moved
    to a place): the provider must hear of it."""
    silent = [t.value for t, effects in EFFECTS.items() if replan_jobs in effects and tell_room_provider not in effects]
    assert silent == [], f"state changes that would not tell the room provider: {silent}"
