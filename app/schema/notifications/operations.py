"""What the notification operations take and answer."""

import strawberry

from app.schema.accounts.users import User
from app.schema.enums import NotificationType
from app.schema.results import result_of
from app.services import notifications, preferences


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


@strawberry.input(description="Where one notification type goes, besides the dashboard.")
class NotificationChannelsInput:
    type: NotificationType = strawberry.field(description="The notification type.")
    email: bool = strawberry.field(description="By e-mail.")
    sms: bool = strawberry.field(description="By text message (needs a phone number).")


@strawberry.input(description="Your phone number and where your notifications go; what you leave out stays.")
class SetNotificationPreferencesInput:
    phone_number: str | None = strawberry.field(
        default=None,
        description='In international form (+44 7911 123456), kept as E.164; "" removes it.',
    )
    email: bool | None = strawberry.field(default=None, description="By e-mail, by default.")
    sms: bool | None = strawberry.field(default=None, description="By text message, by default (needs a phone number).")
    by_type: list[NotificationChannelsInput] | None = strawberry.field(
        default=None, description="Types with channels of their own (replaces the previous list; [] clears it)."
    )


SetNotificationPreferencesResult = result_of(
    "SetNotificationPreferencesResult", User, preferences.set_notification_preferences
)
