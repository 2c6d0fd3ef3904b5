from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from pydantic import ValidationError

from app.domain import instant
from app.domain import meetings as rules
from app.domain.meetings import CreditStatus, MeetingMode, MeetingStatus
from app.domain.people import Side
from app.domain.policy import ExpertPolicy
from app.domain.schedule import (
    MAX_ATTEMPTS,
    JobKind,
    PlannedJob,
    ReminderKind,
    ReminderOffsets,
    instant_jobs_for,
    jobs_for,
    reminder_is_stale,
    retry_delay,
)
from app.settings import Settings

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
START = NOW + timedelta(hours=30)
POLICY = ExpertPolicy()


def agreed(starts_at: datetime = START) -> rules.MeetingState:
    booked = rules.booked_by_client(starts_at, 60, 50, NOW, mode=MeetingMode.VIDEO).state
    return rules.confirm(booked, Side.EXPERT, NOW).state


def test_an_agreed_meeting_gets_reminders_join_window_no_show_check_and_completion() -> None:
    planned = {(j.kind, j.reminder): j.due_at for j in jobs_for(agreed(), POLICY, ReminderOffsets(), NOW)}
    assert planned == {
        (JobKind.REMINDER, ReminderKind.REMINDER_24H): START - timedelta(hours=24),
        (JobKind.REMINDER, ReminderKind.ROOM_LINK): START - timedelta(minutes=60),
        (JobKind.REMINDER, ReminderKind.REMINDER_30M): START - timedelta(minutes=30),
        (JobKind.REMINDER, ReminderKind.REMINDER_10M): START - timedelta(minutes=10),
        (JobKind.JOIN_WINDOW_OPENS, None): START - timedelta(minutes=10),
        (JobKind.NO_SHOW_CHECK, None): START + timedelta(minutes=10),
        (JobKind.COMPLETE, None): START + timedelta(minutes=60),
    }


def test_reminders_already_past_are_not_planned_but_state_changes_are() -> None:
    soon = agreed(NOW + timedelta(minutes=20))
    kinds = [(j.kind, j.reminder) for j in jobs_for(soon, POLICY, ReminderOffsets(), NOW)]
    assert (JobKind.REMINDER, ReminderKind.REMINDER_10M) in kinds
    assert (JobKind.REMINDER, ReminderKind.REMINDER_30M) not in kinds
    assert (JobKind.NO_SHOW_CHECK, None) in kinds


def test_awaiting_expires_and_a_pending_settlement_is_waived() -> None:
    booked = rules.booked_by_client(START, 60, 50, NOW, mode=MeetingMode.VIDEO).state
    assert [j.kind for j in jobs_for(booked, POLICY, ReminderOffsets(), NOW)] == [JobKind.EXPIRE_UNAPPROVED]
    late = rules.cancel(agreed(NOW + timedelta(hours=3)), Side.CLIENT, POLICY, NOW, acknowledge_late_notice=True)
    assert [(j.kind, j.due_at) for j in jobs_for(late.state, POLICY, ReminderOffsets(), NOW)] == [
        (JobKind.SETTLEMENT_WAIVER, NOW + timedelta(hours=72))
    ]


@pytest.mark.parametrize("status", [MeetingStatus.CANCELLED, MeetingStatus.REJECTED, MeetingStatus.COMPLETED])
def test_finished_meetings_need_nothing(status: MeetingStatus) -> None:
    assert jobs_for(replace(agreed(), status=status), POLICY, ReminderOffsets(), NOW) == []


def test_a_reminder_falling_due_after_the_start_is_stale() -> None:
    assert not reminder_is_stale(agreed(), START - timedelta(seconds=1))
    assert reminder_is_stale(agreed(), START)
    assert reminder_is_stale(replace(agreed(), status=MeetingStatus.CANCELLED), NOW)


def test_retries_back_off_then_give_up() -> None:
    assert retry_delay(1) == timedelta(seconds=1)
    assert retry_delay(MAX_ATTEMPTS - 1) == timedelta(minutes=5)
    assert retry_delay(MAX_ATTEMPTS) is None


def test_mail_retries_are_patient_for_about_a_day() -> None:
    delays = [retry_delay(attempt, JobKind.SEND_EMAIL) for attempt in range(1, 9)]
    assert delays[0] == timedelta(seconds=30) and delays[-1] is None
    total = sum((delay for delay in delays if delay is not None), timedelta())
    assert timedelta(hours=17) < total < timedelta(hours=19)


def test_an_in_person_meeting_gets_no_room_link_reminder() -> None:
    in_person = replace(agreed(), mode=MeetingMode.IN_PERSON, location="1 Main St")
    reminders = [j.reminder for j in jobs_for(in_person, POLICY, ReminderOffsets(), NOW) if j.kind is JobKind.REMINDER]
    assert ReminderKind.ROOM_LINK not in reminders and ReminderKind.REMINDER_30M in reminders
    online = [j.reminder for j in jobs_for(agreed(), POLICY, ReminderOffsets(), NOW) if j.kind is JobKind.REMINDER]
    assert ReminderKind.ROOM_LINK in online


def test_time_rules_of_the_session() -> None:
    state = agreed()
    assert rules.can_join(state, POLICY, START - timedelta(minutes=10))
    assert not rules.can_join(state, POLICY, START - timedelta(minutes=10, seconds=1))
    assert not rules.can_join(state, POLICY, START + timedelta(minutes=60))
    in_progress = rules.join(rules.join(state, Side.CLIENT, POLICY, START).state, Side.EXPERT, POLICY, START).state
    assert in_progress.status is MeetingStatus.IN_PROGRESS
    assert rules.no_show_at_grace(in_progress, POLICY, START + timedelta(minutes=10)) is None
    completed = rules.complete_at_end(in_progress, POLICY, START + timedelta(minutes=60))
    assert completed is not None and completed.state.credit_status is CreditStatus.CHARGED
    assert rules.complete_at_end(in_progress, POLICY, START + timedelta(minutes=59)) is None


def test_the_test_clock_is_refused_outside_tests_and_in_production(tmp_path: Path) -> None:
    clock_file = tmp_path / "clock.txt"
    with pytest.raises(ValidationError, match="needs TESTING=true"):
        Settings(test_clock_file=clock_file)
    with pytest.raises(ValidationError, match="refused in production"):
        Settings(test_clock_file=clock_file, testing=True, environment="production")
    assert Settings(test_clock_file=clock_file, testing=True).test_clock_file == clock_file


def test_an_open_instant_request_expires_when_its_time_is_up_and_an_ended_one_needs_nothing() -> None:
    posted = datetime(2030, 1, 1, 12, tzinfo=UTC)
    request = instant.post(
        uuid4(),
        topic="Help",
        skill="python",
        description="",
        duration_minutes=30,
        max_price_credits=100,
        mode=MeetingMode.VIDEO,
        direct_expert_id=None,
        now=posted,
    )
    assert instant_jobs_for(request) == [PlannedJob(JobKind.INSTANT_EXPIRY, request.expires_at)]
    assert instant_jobs_for(instant.withdraw(request, request.client_id, posted)) == []
