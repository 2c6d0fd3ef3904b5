"""The poller each server process runs.

A job is claimed by a conditional UPDATE that must change exactly one row
(PENDING -> RUNNING, naming this worker), so two processes never both run it;
on PostgreSQL the job is first read FOR UPDATE SKIP LOCKED.
It is marked DONE in the same transaction as its effect, and only while this
worker still holds the claim; a failure rolls both back and the job is retried
with back-off. Jobs that call out (e-mail, webhooks, text messages) run just before that
transaction, in tasks beside the poller (`job_calls_at_once` at a time), so that a slow
receiver delays nothing else. Claims left RUNNING by a crashed process are released after
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
        self.calls = asyncio.Semaphore(settings.job_calls_at_once)
        """Jobs that call out run beside the poller, this many at once: a slow receiver holds
        up neither the timed work nor the other calls."""
        self.in_flight: set[asyncio.Task[None]] = set()

    async def run_forever(self) -> None:
        try:
            while True:
                try:
                    ran = await self.run_due(wait=False)
                    self.runtime.outages.reached()
                except Exception as exc:
                    self._failed(exc, "job poll failed")
                    ran = 0
                if ran < self.batch_size:
                    await asyncio.sleep(self.poll_interval)
        finally:
            for task in list(self.in_flight):
                task.cancel()  # left RUNNING: released as stale, and run again, by whichever process

    def _failed(self, exc: Exception, what: str) -> None:
        if (cause := outage_cause(exc)) is not None:
            self.runtime.outages.out_of_reach(cause)
        else:
            log.exception(what)

    async def run_due(self, *, wait: bool = True) -> int:
        """Runs the jobs due now (up to a batch); returns how many this worker started. Jobs that
        call out run in tasks of their own; `wait`: return once they are done too. While every
        call slot is taken, the poll passes over such jobs to reach the others."""
        now = self.runtime.clock.now()
        await self._release_stale_claims(now)
        query = ScheduledJob.filter(status=JobStatus.PENDING, due_at__lte=now)
        if self.calls.locked():
            query = query.exclude(kind__in=list(OUTSIDE_TRANSACTION))
        due = await query.order_by("due_at", "id").limit(self.batch_size).values_list("id", "kind")
        ran = 0
        for job_id, kind in due:
            calls_out = kind in OUTSIDE_TRANSACTION
            if calls_out and self.calls.locked():
                continue  # for a later poll
            now = self.runtime.clock.now()  # a clock moved back meanwhile makes a job not due yet
            if not await self._claim(job_id, now):
                continue
            ran += 1
            if calls_out:
                await self.calls.acquire()
                task = asyncio.create_task(self._call_out(job_id, now))
                self.in_flight.add(task)
                task.add_done_callback(self.in_flight.discard)
            else:
                await self._run(job_id, now)
        if wait and self.in_flight:
            await asyncio.gather(*self.in_flight)
        return ran

    async def _call_out(self, job_id: int, now: datetime) -> None:
        try:
            await self._run(job_id, now)
        except Exception as exc:  # the database away: the claim goes stale and the job runs again
            self._failed(exc, f"job {job_id} failed")
        finally:
            self.calls.release()

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
