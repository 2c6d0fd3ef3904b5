"""How many subscriptions one user holds open in this process; beyond the cap, LIMIT_EXCEEDED.

The per-connection cap is strawberry's own (`max_subscriptions_per_connection`);
this one stops a user from spreading subscriptions over many sockets.
"""

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from uuid import UUID

from app.domain.errors import LimitExceeded


class SubscriptionGate:
    def __init__(self, per_user: int) -> None:
        self.per_user = per_user
        self._open: Counter[UUID] = Counter()

    @property
    def total(self) -> int:
        return sum(self._open.values())

    @contextmanager
    def admit(self, user_id: UUID) -> Iterator[None]:
        if self._open[user_id] >= self.per_user:
            raise LimitExceeded(f"at most {self.per_user} open subscriptions per user; close some first")
        self._open[user_id] += 1
        try:
            yield
        finally:
            self._open[user_id] -= 1
            if not self._open[user_id]:
                del self._open[user_id]
