"""Figures from production in the Prometheus text format, at `/metrics` when METRICS_TOKEN is
set (and then only for a scraper that sends it as a bearer token).

| series | what it is |
|---|---|
| `graphql_operation_seconds{operation,type}` | time to execute each operation (for a subscription: how long it stayed open); the name as the client sent it, at most 100 distinct names a process, the rest `other`, unnamed ones `anonymous` |
| `graphql_operation_sql_statements{operation}` | SQL statements each operation ran |
| `websocket_connections` | sockets open now |
| `subscriptions_open` | subscriptions open now (all users) |
| `subscription_frames_sent_total` | `next` frames written to sockets |
| `jobs_due{kind}`, `job_lag_seconds{kind}` | pending jobs already due, and how late the oldest of them is |
| `emails{state}` | notification e-mails `pending` or `failed` |
| `webhooks{state}` | webhook endpoints `failing` (active, its last attempts failed) or `disabled` |

The job, e-mail and webhook figures are read from the database when scraped; the rest are counted as
they happen, per process (a scraper sums processes).
"""

import re
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from tortoise.functions import Count, Min

from app.domain.mail import EmailDelivery
from app.models import Notification, ScheduledJob, Webhook
from app.models.jobs import JobStatus

MAX_OPERATION_NAMES = 100
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.operation_seconds = Histogram(
            "graphql_operation_seconds",
            "Time to execute a GraphQL operation.",
            ["operation", "type"],
            buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
            registry=self.registry,
        )
        self.sql_statements = Histogram(
            "graphql_operation_sql_statements",
            "SQL statements a GraphQL operation ran.",
            ["operation"],
            buckets=(0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 100),
            registry=self.registry,
        )
        self.sockets = Gauge("websocket_connections", "WebSockets open now.", registry=self.registry)
        self.subscriptions = Gauge("subscriptions_open", "Subscriptions open now.", registry=self.registry)
        self.frames = Counter(
            "subscription_frames_sent", "Subscription frames written to sockets.", registry=self.registry
        )
        self.jobs_due = Gauge("jobs_due", "Pending jobs already due.", ["kind"], registry=self.registry)
        self.job_lag = Gauge("job_lag_seconds", "How late the oldest due job is.", ["kind"], registry=self.registry)
        self.emails = Gauge("emails", "Notification e-mails by state.", ["state"], registry=self.registry)
        self.webhooks = Gauge("webhooks", "Webhook endpoints failing or disabled.", ["state"], registry=self.registry)
        self.response_cache = Counter(
            "response_cache_requests",
            "Requests the response cache could answer: hit (from memory) or miss (executed and kept).",
            ["outcome"],
            registry=self.registry,
        )
        self._names: set[str] = set()

    def operation(self, name: str | None) -> str:
        """A bounded label: the names clients send are theirs to choose."""
        if not name:
            return "anonymous"
        if name in self._names:
            return name
        if len(self._names) < MAX_OPERATION_NAMES and _NAME.fullmatch(name):
            self._names.add(name)
            return name
        return "other"

    async def read_database(self, now: datetime) -> None:
        due = (
            await ScheduledJob.filter(status=JobStatus.PENDING, due_at__lte=now)
            .annotate(count=Count("id"), oldest=Min("due_at"))
            .group_by("kind")
            .values("kind", "count", "oldest")
        )
        self.jobs_due.clear()
        self.job_lag.clear()
        for row in due:
            self.jobs_due.labels(row["kind"]).set(row["count"])
            oldest = row["oldest"]
            lag = (now - oldest).total_seconds() if isinstance(oldest, datetime) else 0.0
            self.job_lag.labels(row["kind"]).set(max(0.0, lag))
        for state in (EmailDelivery.PENDING, EmailDelivery.FAILED):
            self.emails.labels(state.value.lower()).set(await Notification.filter(email_delivery=state).count())
        failing = Webhook.filter(active=True, failing_since__isnull=False)
        self.webhooks.labels("failing").set(await failing.count())
        self.webhooks.labels("disabled").set(await Webhook.filter(active=False).count())

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
