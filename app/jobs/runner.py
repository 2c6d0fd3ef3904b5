"""The poller each server process runs.

A job is claimed by a conditional UPDATE that must change exactly one row
(PENDING -> RUNNING, naming this worker), so two processes never both run it;
on PostgreSQL the job is first read FOR UPDATE SKIP LOCKED.
It is marked DONE in the same transaction as its effect, and only while this
worker still holds the claim; a failure rolls both back and the job is retried
with back-off. Jobs that call out (e-mail) run just before that transaction. Claims left RUNNING by a crashed process are released after
`job_stale_after_seconds`.
"""

import asyncio
import logging
import os
import socket
import uuid
from contextlib import nullcontext
from datetime import datetime, timedelta

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from app.db import on_postgres
from app.domain.schedule import NotYet, TryAgain, retry_delay
from app.jobs.handlers import OUTSIDE_TRANSACTION, UnknownJobKind, handle
from app.models import ScheduledJob
from app.models.jobs import JobStatus
from app.outages import outage_cause
from app.services.runtime import Runtime
from app.services.unit_of_work import unit_of_work

log = logging.getLogger("app.jobs")


class LostClaim(Exception):
    """Another worker took the job over (after this one looked stale)."""


class JobRunner:
    def __init__(self, runtime: Runtime, worker_id: str | None = None) -> None:
        self.runtime = runtime
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        settings = runtime.settings
        self.poll_interval = settings.job_poll_interval_seconds
        self.batch_size = settings.job_batch_size
        self.stale_after = timedelta(seconds=settings.job_stale_after_seconds)

    async def run_forever(self) -> None:
        while True:
            try:
                ran = await self.run_due()
                self.runtime.outages.reached()
            except Exception as exc:
                if (cause := outage_cause(exc)) is not None:
                    self.runtime.outages.out_of_reach(cause)
                else:
                    log.exception("job poll failed")
                ran = 0
            if ran < self.batch_size:
                await asyncio.sleep(self.poll_interval)

    async def run_due(self) -> int:
        """Runs the jobs due now (up to a batch); returns how many this worker ran."""
        now = self.runtime.clock.now()
        await self._release_stale_claims(now)
        due = await (
            ScheduledJob.filter(status=JobStatus.PENDING, due_at__lte=now)
            .order_by("due_at", "id")
            .limit(self.batch_size)
            .values_list("id", flat=True)
        )
        ran = 0
        for job_id in due:
            now = self.runtime.clock.now()  # a clock moved back meanwhile makes a job not due yet
            if await self._claim(job_id, now):  # type: ignore[arg-type]  # flat: ids, not tuples
                await self._run(job_id, now)  # type: ignore[arg-type]
                ran += 1
        return ran

    async def _release_stale_claims(self, now: datetime) -> None:
        # Read first: an idle poll must not take the database's write lock.
        stale = ScheduledJob.filter(status=JobStatus.RUNNING, claimed_at__lt=now - self.stale_after)
        if await stale.exists():
            await stale.update(status=JobStatus.PENDING, claimed_by=None, claimed_at=None)

    async def _claim(self, job_id: int, now: datetime) -> bool:
        """Whether this worker now holds the job, due at `now` (read just before). On PostgreSQL the row is first read FOR UPDATE
        SKIP LOCKED, so a poller passes over a job another is claiming instead of waiting for
        it; SQLite's writers take turns anyway (and there a transaction could not upgrade its
        read to a write once another process has written)."""
        postgres = on_postgres()
        async with in_transaction() if postgres else nullcontext():
            pending = ScheduledJob.filter(id=job_id, status=JobStatus.PENDING, due_at__lte=now)
            if postgres and not await pending.select_for_update(skip_locked=True).values_list("id"):
                return False
            claimed = await pending.update(
                status=JobStatus.RUNNING,
                claimed_by=self.worker_id,
                claimed_at=now,
                attempts=F("attempts") + 1,
            )
        return claimed == 1

    async def _run(self, job_id: int, now: datetime) -> None:
        """Runs a claimed job as of `now`, the instant it was claimed at (due by then)."""
        job = await ScheduledJob.get(id=job_id)
        try:
            if job.kind in OUTSIDE_TRANSACTION:
                await handle(self.runtime, job, now)
            async with unit_of_work(self.runtime):
                finished = await ScheduledJob.filter(
                    id=job_id, status=JobStatus.RUNNING, claimed_by=self.worker_id
                ).update(status=JobStatus.DONE, finished_at=now)
                if finished != 1:
                    raise LostClaim
                if job.kind not in OUTSIDE_TRANSACTION:
                    await handle(self.runtime, job, now)
        except LostClaim:
            return
        except NotYet as wait:
            await ScheduledJob.filter(id=job_id, status=JobStatus.RUNNING, claimed_by=self.worker_id).update(
                status=JobStatus.PENDING,
                due_at=wait.until,
                claimed_by=None,
                claimed_at=None,
                attempts=F("attempts") - 1,
            )
        except TryAgain as exc:
            log.warning("job %s (%s): %s", job_id, job.kind, exc)
            await self._retry_or_fail(job, now, exc)
        except UnknownJobKind as exc:
            log.error("job %s: %s", job_id, exc)
            await self._retry_or_fail(job, now, exc, retry=False)
        except Exception as exc:
            if outage_cause(exc) is not None:
                raise  # not the job's fault: its claim goes stale and it runs again once the database is back
            log.exception("job %s (%s) failed", job_id, job.kind)
            await self._retry_or_fail(job, now, exc)

    async def _retry_or_fail(self, job: ScheduledJob, now: datetime, exc: Exception, *, retry: bool = True) -> None:
        delay = retry_delay(job.attempts, job.kind) if retry else None
        mine = ScheduledJob.filter(id=job.id, status=JobStatus.RUNNING, claimed_by=self.worker_id)
        error = f"{type(exc).__name__}: {exc}"[:500]
        if delay is None:
            await mine.update(status=JobStatus.FAILED, finished_at=now, last_error=error)
        else:
            await mine.update(
                status=JobStatus.PENDING,
                due_at=now + delay,
                claimed_by=None,
                claimed_at=None,
                last_error=error,
            )
