"""Which experts are online for instant requests in this process: those subscribed to
`instantRequests` right now. (Across processes, each process knows its own.)"""

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from uuid import UUID


class ExpertPresence:
    def __init__(self) -> None:
        self._online: Counter[UUID] = Counter()

    @contextmanager
    def online(self, expert_id: UUID) -> Iterator[None]:
        self._online[expert_id] += 1
        try:
            yield
        finally:
            self._online[expert_id] -= 1
            if not self._online[expert_id]:
                del self._online[expert_id]

    def is_online(self, expert_id: UUID) -> bool:
        return self._online[expert_id] > 0
