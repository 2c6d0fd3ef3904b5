from datetime import datetime

import strawberry

from app import models
from app.schema.enums import Channel, EmailDelivery, NotificationType


@strawberry.type(
    description="Something that happened to one of your meetings, or a reminder, worded in your time zone."
)
class Notification:
    id: strawberry.ID = strawberry.field(description="The notification's id (markNotificationsRead).")
    type: NotificationType = strawberry.field(description="What it is about.")
    text: str = strawberry.field(description="The message, as shown on the dashboard and sent by e-mail.")
    meeting_id: strawberry.ID | None = strawberry.field(description="The meeting it is about.")
    channels: list[Channel] = strawberry.field(description="Where it is delivered.")
    read: bool = strawberry.field(description="You marked it read.")
    email_delivery: EmailDelivery = strawberry.field(description="Where its e-mail to you stands.")
    email_sent_at: datetime | None = strawberry.field(description="When its e-mail was sent (or logged).")
    created_at: datetime = strawberry.field(description="When it was made.")

    @classmethod
    def from_model(cls, row: models.Notification) -> "Notification":
        return cls(
            id=strawberry.ID(str(row.id)),
            type=NotificationType(row.type),
            text=row.text,
            meeting_id=strawberry.ID(str(row.meeting_id)) if row.meeting_id else None,
            channels=[Channel(channel) for channel in row.channels],
            read=row.read_at is not None,
            email_delivery=EmailDelivery(row.email_delivery),
            email_sent_at=row.email_sent_at,
            created_at=row.created_at,
        )
