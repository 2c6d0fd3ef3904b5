"""The poller's claim, retry and stale-claim paths, against a real database."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

from app.domain.meetings import CreditStatus, MeetingMode, MeetingStatus
from app.domain.people import Side
from app.domain.schedule import JobKind
from app.jobs.runner import JobRunner
from app.models import ExpertProfile, Meeting, ScheduledJob, Service, User
from app.models.jobs import JobStatus
from app.services.runtime import build_runtime
from app.settings import Settings
from tests.support.tables import FixedClock

T0 = datetime(2027, 1, 4, 10, 0, tzinfo=UTC)


async def meeting_with_job(kind: JobKind, *, expert_has_profile: bool) -> ScheduledJob:
    expert = await User.create(
        id=uuid4(), email=f"{uuid4().hex[:8]}@example.com", name="E", time_zone="UTC", created_at=T0
    )
    client = await User.create(
        id=uuid4(), email=f"{uuid4().hex[:8]}@example.com", name="C", time_zone="UTC", created_at=T0
    )
    if expert_has_profile:
        await ExpertProfile.create(user=expert, created_at=T0)
    service = await Service.create(id=uuid4(), expert=expert, title="S", offerings=[], modes=["VIDEO"], created_at=T0)
    meeting = await Meeting.create(
        id=uuid4(),
        client=client,
        expert=expert,
        service=service,
        mode=MeetingMode.VIDEO,
        starts_at=T0,
        ends_at=T0 + timedelta(hours=1),
        duration_minutes=60,
        price_credits=0,
        status=MeetingStatus.AGREED,
        client_approved=True,
        expert_approved=True,
        credit_status=CreditStatus.NONE,
        created_by_side=Side.CLIENT,
        created_at=T0,
        updated_at=T0,
    )
    return await ScheduledJob.create(
        kind=kind, meeting_id=meeting.id, meeting_version=1, due_at=T0 + timedelta(minutes=10), created_at=T0
    )


def runner(tmp_path: Path, clock: FixedClock) -> JobRunner:
    settings = Settings(
        data_dir=tmp_path,
        database_url=f"sqlite://{tmp_path}/x.sqlite3",
        jwt_secret="integration-test-secret-0123456789abcdef",
    )
    return JobRunner(build_runtime(settings, clock=clock), worker_id="worker-a")


async def test_a_failing_job_is_retried_with_back_off_then_marked_failed(database: str, tmp_path: Path) -> None:
    job = await meeting_with_job(JobKind.NO_SHOW_CHECK, expert_has_profile=False)
    clock = FixedClock(T0 + timedelta(minutes=10))
    poller = runner(tmp_path, clock)
    assert await poller.run_due() == 1
    failed_once = await ScheduledJob.get(id=job.id)
    assert (failed_once.status, failed_once.attempts) == (JobStatus.PENDING, 1)
    assert failed_once.due_at == clock.moment + timedelta(seconds=1)
    assert failed_once.last_error and "DoesNotExist" in failed_once.last_error
    assert await poller.run_due() == 0  # not due again yet
    for _ in range(10):
        clock.moment += timedelta(minutes=10)
        await poller.run_due()
    gave_up = await ScheduledJob.get(id=job.id)
    assert (gave_up.status, gave_up.attempts) == (JobStatus.FAILED, 7)


async def test_a_stale_claim_is_released_and_the_job_runs_once(database: str, tmp_path: Path) -> None:
    job = await meeting_with_job(JobKind.NO_SHOW_CHECK, expert_has_profile=True)
    await ScheduledJob.filter(id=job.id).update(
        status=JobStatus.RUNNING, claimed_by="crashed-worker", claimed_at=T0 + timedelta(minutes=10), attempts=1
    )
    clock = FixedClock(T0 + timedelta(minutes=10, seconds=30))
    poller = runner(tmp_path, clock)
    assert await poller.run_due() == 0  # 30 s: not stale yet
    clock.moment = T0 + timedelta(minutes=11, seconds=1)
    assert await poller.run_due() == 1
    done = await ScheduledJob.get(id=job.id)
    assert (done.status, done.claimed_by, done.attempts) == (JobStatus.DONE, "worker-a", 2)
    assert (await Meeting.get(id=job.meeting_id)).status is MeetingStatus.NO_SHOW
    mails = await ScheduledJob.filter(kind=JobKind.SEND_EMAIL).count()
    assert mails > 0 and await poller.run_due() == mails  # the no-show's mails; the job itself not again
    assert (await ScheduledJob.get(id=job.id)).attempts == 2


async def test_a_job_of_an_unknown_kind_fails_at_once_and_is_never_done(database: str, tmp_path: Path) -> None:
    job = await meeting_with_job(JobKind.NO_SHOW_CHECK, expert_has_profile=True)
    await ScheduledJob.filter(id=job.id).update(kind="FROM_A_NEWER_RELEASE")
    clock = FixedClock(T0 + timedelta(minutes=10))
    poller = runner(tmp_path, clock)
    assert await poller.run_due() == 1
    failed = await ScheduledJob.get(id=job.id)
    assert (failed.status, failed.attempts) == (JobStatus.FAILED, 1)
    assert failed.last_error is not None and "FROM_A_NEWER_RELEASE" in failed.last_error
    assert (await Meeting.get(id=job.meeting_id)).status is MeetingStatus.AGREED
