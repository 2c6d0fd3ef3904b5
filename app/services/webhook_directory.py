"""The active webhook endpoints, kept in each process's memory: a meeting change learns which
endpoints hear it without a query (bookMeeting stays at its 10 statements).

The process that changes an endpoint reloads at once; the others reload when the broker tells
them (topic `webhooks`), and every `WEBHOOK_REFRESH_SECONDS` whatever they heard. With several
processes, an endpoint therefore hears the changes committed after every process knows of it:
milliseconds after it was made, through Redis.
"""

import asyncio
import logging
from collections.abc import Sequence
from contextlib import suppress
from uuid import UUID

from app.domain.webhooks import Subscription
from app.events.broker import Broker, Event, SlowConsumer
from app.models import Webhook

WEBHOOKS_TOPIC = "webhooks"
log = logging.getLogger("app.webhooks")


class WebhookDirectory:
    def __init__(self) -> None:
        self._subscriptions: tuple[Subscription, ...] | None = None

    async def hearing(self, event: str, expert_id: UUID) -> list[Subscription]:
        """The endpoints that hear `event` on a meeting of this expert (loaded on first use
        in a process that has not loaded them at start-up, such as a command)."""
        if self._subscriptions is None:
            await self.reload()
        assert self._subscriptions is not None
        expert = str(expert_id)
        return [s for s in self._subscriptions if s.hears(event, expert)]

    async def reload(self) -> None:
        rows: Sequence[tuple[UUID, UUID, bool, list[str] | None]] = await Webhook.filter(active=True).values_list(
            "id", "owner_id", "owner__is_admin", "events"
        )
        self._subscriptions = tuple(
            Subscription(str(id_), str(owner), bool(admin), frozenset(events) if events is not None else None)
            for id_, owner, admin, events in rows
        )


def endpoints_changed() -> Event:
    """Published after a commit that made, disabled or rotated an endpoint."""
    return Event(WEBHOOKS_TOPIC, "changed", {})


async def keep_current(directory: WebhookDirectory, broker: Broker, refresh_seconds: float) -> None:
    """While the server runs: reload on every change the broker carries, and at least every
    `refresh_seconds` (a missed message, or a broker that was away)."""
    while True:
        try:
            async with broker.subscribe([WEBHOOKS_TOPIC]) as subscription:
                while True:
                    with suppress(TimeoutError):
                        await asyncio.wait_for(anext(subscription), refresh_seconds)
                    try:
                        await directory.reload()
                    except Exception as exc:  # the database away: the last list stands until it is back
                        log.warning("webhook endpoints not reloaded: %s", exc)
        except SlowConsumer:
            continue
