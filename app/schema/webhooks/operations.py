"""Webhook endpoints and their delivery log."""

from datetime import datetime

import strawberry

from app import models
from app.domain.access import is_self
from app.domain.people import Actor
from app.schema.enums import DeliveryStatus, TimelineEventType
from app.schema.results import result_of
from app.services import webhook_deliveries, webhooks


@strawberry.type(description="An endpoint told of meeting events (docs/outbound.md: Webhooks).")
class Webhook:
    id: strawberry.ID = strawberry.field(description="The webhook's id.")
    owner_id: strawberry.ID = strawberry.field(
        description="Who registered it: an admin's hears every meeting, an expert's their own meetings."
    )
    url: str = strawberry.field(description="Where deliveries are POSTed.")
    events: list[TimelineEventType] | None = strawberry.field(description="The event types it hears; null: all.")
    secret: str | None = strawberry.field(
        description="Signs every delivery (header Webhook-Signature); shown to its owner only."
    )
    active: bool = strawberry.field(description="Deliveries are made; false once disabled.")
    disabled_at: datetime | None = strawberry.field(description="When it was disabled.")
    disabled_reason: str | None = strawberry.field(
        description="Why: by its owner, by an admin, or failed for a day (its owner is notified)."
    )
    failing_since: datetime | None = strawberry.field(
        description="The first failed attempt since its last success; null while it answers."
    )
    created_at: datetime = strawberry.field(description="When it was registered.")

    @classmethod
    def for_viewer(cls, row: models.Webhook, viewer: Actor) -> "Webhook":
        return cls(
            id=strawberry.ID(str(row.id)),
            owner_id=strawberry.ID(str(row.owner_id)),
            url=row.url,
            events=None if row.events is None else [TimelineEventType(e) for e in row.events],
            secret=row.secret if is_self(viewer, row.owner_id) else None,
            active=row.active,
            disabled_at=row.disabled_at,
            disabled_reason=row.disabled_reason,
            failing_since=row.failing_since,
            created_at=row.created_at,
        )


@strawberry.type(description="One event sent (or owed) to one webhook: the delivery log.")
class WebhookDelivery:
    id: strawberry.ID = strawberry.field(description="The delivery's id (header Webhook-Id; replayWebhookDelivery).")
    webhook_id: strawberry.ID = strawberry.field(description="The endpoint.")
    event_id: str = strawberry.field(
        description="The event's id (the body's `id`): the same on every endpoint and every replay."
    )
    event: TimelineEventType = strawberry.field(description="What happened.")
    meeting_id: strawberry.ID = strawberry.field(description="The meeting it happened to.")
    meeting_version: int = strawberry.field(description="The meeting's version the event made.")
    status: DeliveryStatus = strawberry.field(description="Where it stands.")
    attempts: int = strawberry.field(description="Attempts made so far.")
    response_code: int | None = strawberry.field(description="The last attempt's HTTP status; null: no answer.")
    latency_ms: int | None = strawberry.field(description="The last attempt's duration, in milliseconds.")
    last_error: str | None = strawberry.field(description="Why the last attempt failed (timeout, refused, 500, …).")
    replay_of: strawberry.ID | None = strawberry.field(description="A replay: the delivery it repeats.")
    body: str = strawberry.field(description="The JSON body it sends (its signature is made at each attempt).")
    created_at: datetime = strawberry.field(description="When it was written (with the change it tells of).")
    last_attempt_at: datetime | None = strawberry.field(description="When it was last tried.")
    delivered_at: datetime | None = strawberry.field(description="When the endpoint answered 2xx.")

    @classmethod
    def from_model(cls, row: models.WebhookDelivery) -> "WebhookDelivery":
        return cls(
            id=strawberry.ID(str(row.id)),
            webhook_id=strawberry.ID(str(row.webhook_id)),
            event_id=str(row.payload.get("id", "")),
            event=TimelineEventType(row.event),
            meeting_id=strawberry.ID(str(row.meeting_id)),
            meeting_version=row.meeting_version,
            status=row.status,
            attempts=row.attempts,
            response_code=row.response_code,
            latency_ms=row.latency_ms,
            last_error=row.last_error,
            replay_of=strawberry.ID(str(row.replay_of_id)) if row.replay_of_id else None,
            body=webhook_deliveries.body_of(row).decode(),
            created_at=row.created_at,
            last_attempt_at=row.last_attempt_at,
            delivered_at=row.delivered_at,
        )


@strawberry.input(description="A webhook endpoint (admins: every meeting; experts: their own meetings).")
class CreateWebhookInput:
    url: str = strawberry.field(
        description="An http(s) address on a public host (at most 2,000 characters; no credentials)."
    )
    events: list[TimelineEventType] | None = strawberry.field(
        default=None, description="The event types it hears; left out: all of them."
    )
    secret: str | None = strawberry.field(
        default=None, description="24-200 characters to sign deliveries with; left out: one is made (whsec_…)."
    )


@strawberry.input(description="Which webhook.")
class WebhookInput:
    webhook_id: strawberry.ID = strawberry.field(description="The webhook.")


@strawberry.input(description="Which delivery to send again.")
class ReplayWebhookDeliveryInput:
    delivery_id: strawberry.ID = strawberry.field(description="Any past delivery of an active webhook.")


CreateWebhookResult = result_of("CreateWebhookResult", Webhook, webhooks.create_webhook)
DisableWebhookResult = result_of("DisableWebhookResult", Webhook, webhooks.disable_webhook)
RotateWebhookSecretResult = result_of("RotateWebhookSecretResult", Webhook, webhooks.rotate_secret)
ReplayWebhookDeliveryResult = result_of("ReplayWebhookDeliveryResult", WebhookDelivery, webhooks.replay_delivery)
