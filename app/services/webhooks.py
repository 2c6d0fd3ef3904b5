"""Webhook endpoints admins and experts register, rotate and disable, and their delivery log
and replays (docs/outbound.md: Webhooks); the deliveries themselves: webhook_deliveries.py."""

from collections.abc import Callable, Sequence
from datetime import datetime
from uuid import UUID, uuid4

from app.domain import webhooks as rules
from app.domain.access import default_owner, is_self, is_self_or_admin, require_webhook_registrar
from app.domain.errors import InvalidInput, InvalidState, LimitExceeded, NotAllowed, NotFound, refuses
from app.domain.people import Actor
from app.domain.schedule import JobKind
from app.domain.webhooks import DeliveryStatus
from app.models import ExpertProfile, ScheduledJob, User, Webhook, WebhookDelivery
from app.services.pagination import NOT_A_CURSOR, Page, decode_cursor, encode_cursor, validate_page_size
from app.services.runtime import Runtime
from app.services.unit_of_work import UnitOfWork, unit_of_work
from app.services.webhook_directory import endpoints_changed


@refuses(InvalidInput, LimitExceeded, NotAllowed)
async def create_webhook(
    runtime: Runtime, actor: Actor, url: str, events: Sequence[str] | None, secret: str | None
) -> Webhook:
    """An admin's endpoint hears every meeting; an expert's, their own meetings. Without a
    secret, one is made (`whsec_…`)."""
    require_webhook_registrar(actor, await ExpertProfile.filter(user_id=actor.user_id).exists())
    checked_url = rules.check_url(url.strip(), runtime.settings.webhook_networks)
    checked_events = rules.check_events(events)
    checked_secret = rules.check_secret(secret) if secret is not None else rules.new_secret()
    now = runtime.clock.now()
    async with unit_of_work(runtime) as uow:
        await User.filter(id=actor.user_id).select_for_update().values_list("id")  # one count at a time
        limit = runtime.settings.webhooks_per_owner
        if await Webhook.filter(owner_id=actor.user_id, active=True).count() >= limit:
            raise LimitExceeded(f"at most {limit} active webhooks each; disable one first")
        webhook = await Webhook.create(
            id=uuid4(),
            owner_id=actor.user_id,
            url=checked_url,
            events=checked_events,
            secret=checked_secret,
            created_at=now,
        )
        uow.publish_after_commit(endpoints_changed())
    await runtime.webhooks.reload()
    return webhook


async def _owned(actor: Actor, webhook_id: UUID, may: Callable[[Actor, UUID], bool]) -> Webhook:
    """The endpoint, locked for the change, if the actor `may` act on its owner's behalf."""
    webhook = await Webhook.filter(id=webhook_id).select_for_update().first()
    if webhook is None or not may(actor, webhook.owner_id):
        raise NotFound("no such webhook")
    return webhook


@refuses(InvalidState, NotFound)
async def disable_webhook(runtime: Runtime, actor: Actor, webhook_id: UUID) -> Webhook:
    """Its owner or an admin turns it off; what it was still owed is SKIPPED."""
    async with unit_of_work(runtime) as uow:
        webhook = await _owned(actor, webhook_id, is_self_or_admin)
        if not webhook.active:
            raise InvalidState("this webhook is already disabled")
        await disable(
            uow, webhook, "disabled by its owner" if is_self(actor, webhook.owner_id) else "disabled by an admin"
        )
    await runtime.webhooks.reload()
    return webhook


async def disable(uow: UnitOfWork, webhook: Webhook, reason: str) -> None:
    """Turns it off (its owner, an admin, or a day of failures); every process hears of it."""
    now = uow.runtime.clock.now()
    webhook.active, webhook.disabled_at, webhook.disabled_reason = False, now, reason
    await webhook.save(update_fields=["active", "disabled_at", "disabled_reason"])
    uow.publish_after_commit(endpoints_changed())


@refuses(NotFound)
async def rotate_secret(runtime: Runtime, actor: Actor, webhook_id: UUID) -> Webhook:
    """A new secret; for 24 h deliveries are signed with the old one too, so receivers can
    switch without losing any."""
    now = runtime.clock.now()
    async with unit_of_work(runtime):
        webhook = await _owned(actor, webhook_id, is_self)
        webhook.previous_secret, webhook.previous_secret_until = webhook.secret, now + rules.SECRET_GRACE
        webhook.secret = rules.new_secret()
        await webhook.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
    return webhook


async def list_webhooks(actor: Actor) -> list[Webhook]:
    """The viewer's endpoints, newest first (admins: everyone's)."""
    owner = default_owner(actor)
    query = Webhook.all() if owner is None else Webhook.filter(owner_id=owner)
    return await query.order_by("-created_at", "id").limit(1000)


@refuses(InvalidInput, NotFound)
async def list_deliveries(
    actor: Actor, webhook_id: UUID, statuses: Sequence[DeliveryStatus], first: int, after: str | None
) -> Page[WebhookDelivery]:
    """An endpoint's deliveries, newest first: for its owner and admins."""
    validate_page_size(first)
    webhook = await Webhook.get_or_none(id=webhook_id)
    if webhook is None or not is_self_or_admin(actor, webhook.owner_id):
        raise NotFound("no such webhook")
    query = WebhookDelivery.filter(webhook_id=webhook_id)
    if statuses:
        query = query.filter(status__in=list(statuses))
    if after is not None:
        query = query.filter(id__lt=_id_of(after, webhook_id))
    rows = await query.order_by("-id").limit(first + 1)
    items = [(encode_cursor(str(r.id), str(webhook_id)), r) for r in rows[:first]]
    return Page(items=items, has_next_page=len(rows) > first, has_previous_page=after is not None)


def _id_of(cursor: str, webhook_id: UUID) -> int:
    """The delivery a cursor of this webhook's list points at."""
    value, of_webhook = decode_cursor(cursor)
    if of_webhook != str(webhook_id) or not value.isdigit():
        raise InvalidInput(NOT_A_CURSOR)
    return int(value)


@refuses(InvalidState, NotFound)
async def replay_delivery(runtime: Runtime, actor: Actor, delivery_id: int) -> WebhookDelivery:
    """Sends a past delivery's body again, as a delivery of its own (any status, once or many
    times), to its endpoint while that is active."""
    now = runtime.clock.now()
    async with unit_of_work(runtime) as uow:
        original = await WebhookDelivery.get_or_none(id=delivery_id).select_related("webhook")
        if original is None or not is_self_or_admin(actor, original.webhook.owner_id):
            raise NotFound("no such delivery")
        if not original.webhook.active:
            raise InvalidState("its webhook is disabled")
        replay = await WebhookDelivery.create(
            webhook_id=original.webhook_id,
            meeting_id=original.meeting_id,
            meeting_version=original.meeting_version,
            event=original.event,
            payload=original.payload,
            replay_of_id=original.replay_of_id or original.id,
            created_at=now,
        )
        uow.plan_jobs(send_job(replay.id, original.meeting_version, now))
    return replay


def send_job(delivery_id: int, version: int, now: datetime) -> ScheduledJob:
    """The SEND_WEBHOOK job of a delivery, due at once."""
    return ScheduledJob(
        kind=JobKind.SEND_WEBHOOK, webhook_delivery_id=delivery_id, meeting_version=version, due_at=now, created_at=now
    )
