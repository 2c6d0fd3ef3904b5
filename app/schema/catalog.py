from uuid import UUID

import strawberry

from app import models
from app.resolvers.context import Info
from app.schema.enums import MeetingMode
from app.schema.users import Expert, load_expert


@strawberry.type
class Offering:
    duration_minutes: int
    price_credits: int


@strawberry.type
class Service:
    id: strawberry.ID
    title: str
    description: str
    offerings: list[Offering]
    modes: list[MeetingMode]
    location: str | None
    _expert_id: strawberry.Private[UUID]

    @strawberry.field
    async def expert(self, info: Info) -> Expert:
        expert = await load_expert(info, self._expert_id)
        assert expert is not None
        return expert

    @classmethod
    def from_model(cls, row: models.Service) -> "Service":
        return cls(
            id=strawberry.ID(str(row.id)),
            title=row.title,
            description=row.description,
            offerings=[
                Offering(duration_minutes=o["duration_minutes"], price_credits=o["price_credits"])
                for o in row.offerings
            ],
            modes=[MeetingMode(m) for m in row.modes],
            location=row.location,
            _expert_id=row.expert_id,
        )
