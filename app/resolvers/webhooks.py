"""Webhook endpoints: register, list, disable, rotate; the delivery log and replays."""

from typing import Annotated

import strawberry

from app.resolvers.arguments import AFTER, FIRST, INPUT
from app.resolvers.ids import parse_id, parse_number_id
from app.resolvers.viewer import refusals_as_errors, viewer_of
from app.schema.context import Info
from app.schema.enums import DeliveryStatus
from app.schema.pagination import Connection
from app.schema.webhooks.operations import (
    CreateWebhookInput,
    CreateWebhookResult,
    DisableWebhookResult,
    ReplayWebhookDeliveryInput,
    ReplayWebhookDeliveryResult,
    RotateWebhookSecretResult,
    Webhook,
    WebhookDelivery,
    WebhookInput,
)
from app.services import webhooks


async def create_webhook(info: Info, input: Annotated[CreateWebhookInput, INPUT]) -> Webhook:
    viewer = viewer_of(info)
    events = None if input.events is None else [event.value for event in input.events]
    row = await webhooks.create_webhook(info.context.runtime, viewer, input.url, events, input.secret)
    return Webhook.for_viewer(row, viewer)


async def disable_webhook(info: Info, input: Annotated[WebhookInput, INPUT]) -> Webhook:
    viewer = viewer_of(info)
    row = await webhooks.disable_webhook(info.context.runtime, viewer, parse_id(input.webhook_id, "webhook"))
    return Webhook.for_viewer(row, viewer)


async def rotate_webhook_secret(info: Info, input: Annotated[WebhookInput, INPUT]) -> Webhook:
    viewer = viewer_of(info)
    row = await webhooks.rotate_secret(info.context.runtime, viewer, parse_id(input.webhook_id, "webhook"))
    return Webhook.for_viewer(row, viewer)


async def replay_webhook_delivery(info: Info, input: Annotated[ReplayWebhookDeliveryInput, INPUT]) -> WebhookDelivery:
    delivery_id = parse_number_id(input.delivery_id, "delivery")
    row = await webhooks.replay_delivery(info.context.runtime, viewer_of(info), delivery_id)
    return WebhookDelivery.from_model(row)


async def webhooks_list(info: Info) -> list[Webhook]:
    viewer = viewer_of(info)
    return [Webhook.for_viewer(row, viewer) for row in await webhooks.list_webhooks(viewer)]


async def webhook_deliveries(
    info: Info,
    webhook_id: Annotated[strawberry.ID, strawberry.argument(description="The webhook (yours; admins: any).")],
    statuses: Annotated[
        list[DeliveryStatus] | None, strawberry.argument(description="Only deliveries in any of these.")
    ] = None,
    first: Annotated[int, FIRST] = 20,
    after: Annotated[str | None, AFTER] = None,
) -> Connection[WebhookDelivery]:
    with refusals_as_errors():
        page = await webhooks.list_deliveries(
            viewer_of(info), parse_id(webhook_id, "webhook"), list(statuses or []), first, after
        )
    return Connection.from_page(page, WebhookDelivery.from_model)


@strawberry.type
class WebhookQueries:
    webhooks = strawberry.field(
        resolver=webhooks_list, description="Your webhook endpoints, newest first (admins: everyone's)."
    )
    webhook_deliveries = strawberry.field(
        resolver=webhook_deliveries,
        description="A webhook's deliveries, newest first: status, answer, latency, attempts.",
    )


@strawberry.type
class WebhookMutations:
    create_webhook = strawberry.mutation(
        resolver=create_webhook,
        graphql_type=CreateWebhookResult,
        description="Admins and experts: an endpoint POSTed a signed JSON body for each meeting event it hears "
        "(docs/outbound.md: Webhooks).",
    )
    disable_webhook = strawberry.mutation(
        resolver=disable_webhook,
        graphql_type=DisableWebhookResult,
        description="Its owner or an admin: no more deliveries; those still owed are SKIPPED.",
    )
    rotate_webhook_secret = strawberry.mutation(
        resolver=rotate_webhook_secret,
        graphql_type=RotateWebhookSecretResult,
        description="Its owner: a new secret; for 24 h deliveries carry a signature with the old one too.",
    )
    replay_webhook_delivery = strawberry.mutation(
        resolver=replay_webhook_delivery,
        graphql_type=ReplayWebhookDeliveryResult,
        description="Its webhook's owner or an admin: send a past delivery's body again, as a new delivery.",
    )
