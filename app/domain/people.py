"""Who is acting, and the two sides a meeting has."""

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID


class Side(StrEnum):
    CLIENT = "CLIENT"
    EXPERT = "EXPERT"

    @property
    def other(self) -> "Side":
        return Side.EXPERT if self is Side.CLIENT else Side.CLIENT


@dataclass(frozen=True)
class Actor:
    user_id: UUID
    is_admin: bool = False


@dataclass(frozen=True)
class Parties:
    """The two people a meeting (or a conversation) is between."""

    client_id: UUID
    expert_id: UUID

    def id_of(self, side: Side) -> UUID:
        return self.client_id if side is Side.CLIENT else self.expert_id

    def other_than(self, user_id: UUID) -> UUID:
        return self.expert_id if user_id == self.client_id else self.client_id
