"""Who is connected for something, in one namespace each: experts online for instant requests
(subscribed to `instantRequests`), and people reading their messages (subscribed to
`messageAdded`, so a message to them needs no notification).

In one process, a count per user. With REDIS_URL, every process's online experts
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


class Presence:
    def __init__(self, namespace: str) -> None:
        self.namespace = namespace
        self._online: Counter[UUID] = Counter()

    @asynccontextmanager
    async def online(self, user_id: UUID) -> AsyncIterator[None]:
        self._online[user_id] += 1
        try:
            if self._online[user_id] == 1:
                await self._came_online(user_id)
            yield
        finally:
            self._online[user_id] -= 1
            if not self._online[user_id]:
                del self._online[user_id]
                await self._went_offline(user_id)

    async def online_among(self, user_ids: Iterable[UUID]) -> set[UUID]:
        return {user_id for user_id in user_ids if self._online[user_id] > 0}

    async def close(self) -> None:
        return None

    async def _came_online(self, user_id: UUID) -> None:
        return None

    async def _went_offline(self, user_id: UUID) -> None:
        return None


class RedisPresence(Presence):
    def __init__(self, namespace: str, url: str) -> None:
        super().__init__(namespace)
        self._redis = Redis.from_url(url, socket_connect_timeout=2)
        self._process = uuid4().hex
        self._renewing: asyncio.Task[None] | None = None

    async def online_among(self, user_ids: Iterable[UUID]) -> set[UUID]:
        candidates = list(user_ids)
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for user_id in candidates:
                    pipe.hvals(self._key(user_id))
                leases = await pipe.execute()
        except (RedisError, OSError) as exc:
            log.warning("presence from Redis unavailable (%s): only this process's experts", exc)
            return await super().online_among(candidates)
        now = time.time()
        return {
            user_id for user_id, ends in zip(candidates, leases, strict=True) if any(float(end) > now for end in ends)
        }

    async def close(self) -> None:
        if self._renewing is not None:
            self._renewing.cancel()
            with suppress(asyncio.CancelledError):
                await self._renewing
        await self._redis.aclose()

    async def _came_online(self, user_id: UUID) -> None:
        await self._lease([user_id])
        if self._renewing is None or self._renewing.done():
            self._renewing = asyncio.create_task(self._renew_forever())

    async def _went_offline(self, user_id: UUID) -> None:
        with suppress(RedisError, OSError):  # else the lease runs out by itself
            await self._redis.hdel(self._key(user_id), self._process)

    async def _lease(self, user_ids: list[UUID]) -> None:
        ends = str(time.time() + LEASE_SECONDS)
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for user_id in user_ids:
                    pipe.hset(self._key(user_id), self._process, ends)
                    pipe.expire(self._key(user_id), int(LEASE_SECONDS))
                await pipe.execute()
        except (RedisError, OSError) as exc:
            log.warning("could not renew presence in Redis (%s)", exc)

    async def _renew_forever(self) -> None:
        while self._online:
            await asyncio.sleep(LEASE_SECONDS / 3)
            await self._lease(list(self._online))

    def _key(self, user_id: UUID) -> str:
        return f"presence:{self.namespace}:{user_id}"
