"""What the notification operations take and answer."""

import strawberry

from app.schema.results import result_of
from app.services import notifications


@strawberry.input(description="Mark notifications read.")
class MarkNotificationsReadInput:
    ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Leave out to mark all of the viewer's notifications read."
    )


@strawberry.type(description="Notifications marked read.")
class NotificationsMarked:
    marked_count: int = strawberry.field(description="How many changed from unread to read.")
    unread_count: int = strawberry.field(description="Your unread notifications left.")


MarkNotificationsReadResult = result_of(
    "MarkNotificationsReadResult", NotificationsMarked, notifications.mark_notifications_read
)
