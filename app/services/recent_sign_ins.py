"""Who recent tokens signed in, kept per process for a few seconds: a signed-in request then
reads no user row (the page it asks for is often its only other read).

What the cache holds is the user's id and admin right; a token's own validity (signature,
expiry) is checked on every request. An account removed, or an admin right withdrawn, takes
effect within `seconds` (TOKEN_USER_CACHE_SECONDS; 0 reads the row every time).
"""

import time
from collections import OrderedDict
from uuid import UUID

from app.domain.people import Actor

MAX_USERS = 10_000


class RecentSignIns:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._actors: OrderedDict[UUID, tuple[float, Actor]] = OrderedDict()

    def get(self, user_id: UUID) -> Actor | None:
        found = self._actors.get(user_id)
        if found is None:
            return None
        if time.monotonic() >= found[0]:
            del self._actors[user_id]
            return None
        return found[1]

    def put(self, actor: Actor) -> None:
        if self.seconds <= 0:
            return
        self._actors[actor.user_id] = (time.monotonic() + self.seconds, actor)
        self._actors.move_to_end(actor.user_id)
        if len(self._actors) > MAX_USERS:
            self._actors.popitem(last=False)
