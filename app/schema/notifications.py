from datetime import datetime

import strawberry

from app import models
from app.schema.enums import Channel, NotificationType


@strawberry.type
class Notification:
    id: strawberry.ID
    type: NotificationType
    text: str
    meeting_id: strawberry.ID | None
    channels: list[Channel]
    read: bool
    created_at: datetime

    @classmethod
    def from_model(cls, row: models.Notification) -> "Notification":
        return cls(
            id=strawberry.ID(str(row.id)),
            type=NotificationType(row.type),
            text=row.text,
            meeting_id=strawberry.ID(str(row.meeting_id)) if row.meeting_id else None,
            channels=[Channel(channel) for channel in row.channels],
            read=row.read_at is not None,
            created_at=row.created_at,
        )
