"""Which experts are online for instant requests: those subscribed to `instantRequests` now.

In one process, a count per expert. With REDIS_URL, every process's online experts
are in Redis, so that a request posted on one process reaches experts connected to
another: a hash per expert, a field per process holding when its lease ends. A
process renews its leases every third of LEASE_SECONDS, so the experts of a process
that died go offline within LEASE_SECONDS.
"""

import asyncio
import logging
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager, suppress
from uuid import UUID, uuid4

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger("app.events")

LEASE_SECONDS = 30.0


class ExpertPresence:
    def __init__(self) -> None:
        self._online: Counter[UUID] = Counter()

    @asynccontextmanager
    async def online(self, expert_id: UUID) -> AsyncIterator[None]:
        self._online[expert_id] += 1
        try:
            if self._online[expert_id] == 1:
                await self._came_online(expert_id)
            yield
        finally:
            self._online[expert_id] -= 1
            if not self._online[expert_id]:
                del self._online[expert_id]
                await self._went_offline(expert_id)

    async def online_among(self, expert_ids: Iterable[UUID]) -> set[UUID]:
        return {expert_id for expert_id in expert_ids if self._online[expert_id] > 0}

    async def close(self) -> None:
        return None

    async def _came_online(self, expert_id: UUID) -> None:
        return None

    async def _went_offline(self, expert_id: UUID) -> None:
        return None


class RedisPresence(ExpertPresence):
    def __init__(self, url: str) -> None:
        super().__init__()
        self._redis = Redis.from_url(url, socket_connect_timeout=2)
        self._process = uuid4().hex
        self._renewing: asyncio.Task[None] | None = None

    async def online_among(self, expert_ids: Iterable[UUID]) -> set[UUID]:
        candidates = list(expert_ids)
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for expert_id in candidates:
                    pipe.hvals(_key(expert_id))
                leases = await pipe.execute()
        except (RedisError, OSError) as exc:
            log.warning("presence from Redis unavailable (%s): only this process's experts", exc)
            return await super().online_among(candidates)
        now = time.time()
        return {
            expert_id
            for expert_id, ends in zip(candidates, leases, strict=True)
            if any(float(end) > now for end in ends)
        }

    async def close(self) -> None:
        if self._renewing is not None:
            self._renewing.cancel()
            with suppress(asyncio.CancelledError):
                await self._renewing
        await self._redis.aclose()

    async def _came_online(self, expert_id: UUID) -> None:
        await self._lease([expert_id])
        if self._renewing is None or self._renewing.done():
            self._renewing = asyncio.create_task(self._renew_forever())

    async def _went_offline(self, expert_id: UUID) -> None:
        with suppress(RedisError, OSError):  # else the lease runs out by itself
            await self._redis.hdel(_key(expert_id), self._process)

    async def _lease(self, expert_ids: list[UUID]) -> None:
        ends = str(time.time() + LEASE_SECONDS)
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for expert_id in expert_ids:
                    pipe.hset(_key(expert_id), self._process, ends)
                    pipe.expire(_key(expert_id), int(LEASE_SECONDS))
                await pipe.execute()
        except (RedisError, OSError) as exc:
            log.warning("could not renew presence in Redis (%s)", exc)

    async def _renew_forever(self) -> None:
        while self._online:
            await asyncio.sleep(LEASE_SECONDS / 3)
            await self._lease(list(self._online))


def _key(expert_id: UUID) -> str:
    return f"presence:expert:{expert_id}"
