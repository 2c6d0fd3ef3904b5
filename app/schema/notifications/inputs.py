"""Inputs of the notification mutations."""

import strawberry


@strawberry.input(description="Mark notifications read.")
class MarkNotificationsReadInput:
    ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Leave out to mark all of the viewer's notifications read."
    )
