"""Result types and unions of the notification mutations."""

import strawberry

from app.schema.results import result_of
from app.services import notifications


@strawberry.type(description="Notifications marked read.")
class NotificationsMarked:
    marked_count: int = strawberry.field(description="How many changed from unread to read.")
    unread_count: int = strawberry.field(description="Your unread notifications left.")


MarkNotificationsReadResult = result_of(
    "MarkNotificationsReadResult", NotificationsMarked, notifications.mark_notifications_read
)
