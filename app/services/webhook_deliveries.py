"""Webhook deliveries: written by each meeting change in its own transaction, one per endpoint
that hears it, and sent by their SEND_WEBHOOK jobs, signed, in the meeting's version order, with
every attempt recorded (docs/outbound.md: Webhooks)."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

import orjson

from app.domain import webhooks as rules
from app.domain.notifications import Notice
from app.domain.people import Side
from app.domain.schedule import NotYet, TryAgain
from app.domain.webhooks import DeliveryStatus
from app.models import ScheduledJob, Webhook, WebhookDelivery
from app.models.jobs import JobStatus
from app.services.meeting_repository import MeetingRecord
from app.services.notifications import notify
from app.services.runtime import Runtime
from app.services.unit_of_work import UnitOfWork, unit_of_work
from app.services.webhook_caller import Answer
from app.services.webhooks import disable, send_job


async def queue_deliveries(
    uow: UnitOfWork,
    meeting: MeetingRecord,
    event: str,
    side: Side | None,
    details: Mapping[str, object],
    now: datetime,
) -> None:
    """In the change's transaction: a delivery, and the job that sends it, for each endpoint
    that hears this event (none: no statement at all)."""
    hearing = await uow.runtime.webhooks.hearing(event, meeting.parties.expert_id)
    if not hearing:
        return
    payload = _payload(meeting, event, side, details, now)
    for subscription in hearing:
        delivery = await WebhookDelivery.create(
            webhook_id=UUID(subscription.webhook_id),
            meeting_id=meeting.id,
            meeting_version=meeting.version,
            event=event,
            payload=payload,
            created_at=now,
        )
        uow.plan_jobs(send_job(delivery.id, meeting.version, now))


def _payload(
    meeting: MeetingRecord, event: str, side: Side | None, details: Mapping[str, object], now: datetime
) -> dict[str, Any]:
    state = meeting.state
    starts_at = state.starts_at
    return {
        "id": rules.event_id(str(meeting.id), meeting.version),
        "type": event,
        "occurredAt": now.isoformat(),
        "actorSide": side.value if side else None,
        "details": {key: str(value) for key, value in details.items() if value is not None},
        "meeting": {
            "id": str(meeting.id),
            "version": meeting.version,
            "status": state.status.value,
            "startsAt": starts_at.isoformat() if starts_at else None,
            "endsAt": state.ends_at.isoformat() if starts_at else None,
            "durationMinutes": state.duration_minutes,
            "mode": state.mode.value,
            "priceCredits": state.price_credits,
            "creditStatus": state.credit_status.value,
            "clientId": str(meeting.parties.client_id),
            "expertId": str(meeting.parties.expert_id),
            "serviceId": str(meeting.service.id),
            "serviceTitle": meeting.service.title,
        },
    }


async def send_delivery(runtime: Runtime, delivery_id: int, *, last_try: bool) -> None:
    """One attempt: POSTs the body, signed, and records the answer. Raises to be retried
    (the job's back-off), `NotYet` while an earlier delivery of the meeting to this endpoint
    is owed; a delivery already concluded (a job run again after a crash) is not sent again."""
    delivery = await WebhookDelivery.get(id=delivery_id).select_related("webhook")
    webhook = delivery.webhook
    if delivery.status is not DeliveryStatus.PENDING:
        return
    if not webhook.active:
        await WebhookDelivery.filter(id=delivery_id, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.SKIPPED
        )
        return
    if delivery.replay_of_id is None:
        await _wait_for_earlier(delivery, runtime.clock.now())
    body = body_of(delivery)
    sent_at = runtime.clock.now()
    signing = rules.secrets_in_use(webhook.secret, webhook.previous_secret, webhook.previous_secret_until, sent_at)
    headers = {
        "content-type": "application/json",
        "user-agent": "consult-booking-webhooks/1",
        "webhook-id": str(delivery.id),
        "webhook-event": delivery.event,
        "webhook-signature": rules.signature(signing, int(sent_at.timestamp()), body),
    }
    answer = await runtime.webhook_caller.post(webhook.url, body, headers)
    now = runtime.clock.now()
    if answer.failure is None:
        await _record_received(delivery, webhook, answer, now)
        return
    async with unit_of_work(runtime) as uow:
        await _record_failed(uow, delivery, answer, now, last_try)
    if not last_try:
        raise DeliveryFailed(answer.failure)


def body_of(delivery: WebhookDelivery) -> bytes:
    """What is POSTed: the stored event, the same bytes at every attempt and replay."""
    return orjson.dumps(delivery.payload)


class DeliveryFailed(TryAgain):
    """This attempt was not received: the job is tried again later."""


async def _wait_for_earlier(delivery: WebhookDelivery, now: datetime) -> None:
    """Deliveries reach an endpoint in the order of the meeting's versions: one waits while an
    earlier one of the same meeting to the same endpoint is still owed, i.e. its job is still
    to run (being retried) or running; until the earliest such job is due again. One whose job
    ended without concluding it (a bug made it FAILED) holds nothing up."""
    owed: list[tuple[str, datetime]] = await ScheduledJob.filter(
        webhook_delivery__webhook_id=delivery.webhook_id,
        webhook_delivery__meeting_id=delivery.meeting_id,
        webhook_delivery__meeting_version__lt=delivery.meeting_version,
        webhook_delivery__replay_of_id__isnull=True,
        webhook_delivery__status=DeliveryStatus.PENDING,
        status__in=[JobStatus.PENDING, JobStatus.RUNNING],
    ).values_list("status", "due_at")
    if owed:
        pending = [due_at for status, due_at in owed if status == JobStatus.PENDING]
        raise NotYet(now if len(pending) < len(owed) else max(now, min(pending)))


def _attempt(delivery: WebhookDelivery, answer: Answer, status: DeliveryStatus, now: datetime) -> dict[str, Any]:
    """The delivery's columns after this attempt."""
    failure = answer.failure
    return {
        "status": status,
        "attempts": delivery.attempts + 1,
        "response_code": answer.status_code,
        "latency_ms": answer.latency_ms,
        "last_error": failure[:300] if failure else None,
        "first_attempt_at": delivery.first_attempt_at or now,
        "last_attempt_at": now,
        "delivered_at": now if failure is None else None,
    }


async def _record_received(delivery: WebhookDelivery, webhook: Webhook, answer: Answer, now: datetime) -> None:
    """The common case, in one statement: the endpoint's failing streak (if any) ends too."""
    await WebhookDelivery.filter(id=delivery.id).update(**_attempt(delivery, answer, DeliveryStatus.DELIVERED, now))
    if webhook.failing_since is not None:
        await Webhook.filter(id=webhook.id).update(failing_since=None)


async def _record_failed(
    uow: UnitOfWork, delivery: WebhookDelivery, answer: Answer, now: datetime, last_try: bool
) -> None:
    """Under the endpoint's lock: the attempt, the endpoint's failing streak, and on the last
    try after a whole day of failures, the endpoint turned off and its owner told."""
    webhook = await Webhook.filter(id=delivery.webhook_id).select_for_update().get()
    status = DeliveryStatus.FAILED if last_try else DeliveryStatus.PENDING
    attempt = _attempt(delivery, answer, status, now)
    await WebhookDelivery.filter(id=delivery.id).update(**attempt)
    if webhook.failing_since is None:
        await Webhook.filter(id=webhook.id).update(failing_since=now)
        webhook.failing_since = now
    if last_try and webhook.active and rules.disable_now(webhook.failing_since, attempt["first_attempt_at"]):
        await disable(uow, webhook, "failed for a day")
        text = f"Your webhook {webhook.url[:200]} failed for a day and was disabled; its deliveries can be replayed."
        await notify(uow, webhook.owner_id, Notice.WEBHOOK_DISABLED, text, now)
