"""Accounts and balances."""

from typing import Any
from uuid import UUID

import strawberry

from app import models
from app.domain.access import is_self, is_self_or_admin
from app.domain.ledger import Balances
from app.domain.preferences import NotificationPreferences as DomainPreferences
from app.schema.accounts.experts import Expert, load_expert
from app.schema.context import Info
from app.schema.fields import described
from app.schema.notifications.types import NotificationPreferences
from app.services import messages
from app.services.calendar_feed import feed_url
from app.services.ledger import awaiting_settlement
from app.services.notifications import unread_count
from app.services.programmes import hub_clients_of


@strawberry.type(
    description="Someone's credits. available + blocked + heldForInstantRequests is what they hold; "
    "pendingEarnings is an expert's earnings not yet paid out."
)
class CreditBalance:
    available: int = strawberry.field(description="Credits free to spend on bookings and instant requests.")
    blocked: int = strawberry.field(
        description="Credits held for meetings the client approved that are not yet charged or returned."
    )
    held_for_instant_requests: int = strawberry.field(
        description="Credits held for your open instant requests (each its most), returned when it is taken "
        "(the meeting then blocks its own price), withdrawn or expires."
    )
    pending_earnings: int = strawberry.field(
        description="An expert's: credits earned (after the platform's fee) and not yet payable: each charge's "
        "earnings become payable SETTLEMENT_DELAY_HOURS (72) after it."
    )
    payable_earnings: int = strawberry.field(description="An expert's: settled earnings not yet in a payout.")
    paid_out: int = strawberry.field(description="An expert's: earnings in payouts requested or paid.")
    _user_id: strawberry.Private[UUID]

    @described(
        "An expert's: credits of late client cancellations and no-shows they may still charge or waive "
        "(settleCharge); waived for the client when the settlement deadline passes."
    )
    async def awaiting_settlement(self) -> int:
        return await awaiting_settlement(self._user_id)

    @classmethod
    def from_domain(cls, user_id: UUID, balances: Balances) -> "CreditBalance":
        return cls(
            available=balances.available,
            blocked=balances.blocked,
            held_for_instant_requests=balances.held_for_requests,
            pending_earnings=balances.pending_earnings,
            payable_earnings=balances.payable_earnings,
            paid_out=balances.paid_out,
            _user_id=user_id,
        )


@strawberry.type(
    description="An account. Its email is shown only to its owner and admins; "
    "`expert` is set when the user offers services; `calendarFeedUrl`, your private feed, "
    "only to yourself once made (rotateCalendarFeed)."
)
class User:
    id: strawberry.ID = strawberry.field(description="The user's id.")
    name: str = strawberry.field(description="Display name.")
    time_zone: str = strawberry.field(
        description="IANA time zone (e.g. America/New_York); notifications are worded in it."
    )
    is_admin: bool = strawberry.field(description="An admin may act on any meeting on a side's behalf.")
    _email: strawberry.Private[str]
    _phone_number: strawberry.Private[str | None]
    _preferences: strawberry.Private[dict[str, Any] | None]
    _calendar_token: strawberry.Private[str | None]

    @described("Your private iCalendar feed of your meetings; null until rotateCalendarFeed, and for anyone else.")
    def calendar_feed_url(self, info: Info) -> str | None:
        viewer = info.context.viewer
        if not is_self(viewer, UUID(self.id)) or self._calendar_token is None:
            return None
        return feed_url(info.context.runtime, self._calendar_token)

    @described("The sign-in address; null unless you are this user or an admin.")
    def email(self, info: Info) -> str | None:
        return self._email if is_self_or_admin(info.context.viewer, UUID(self.id)) else None

    @described("The phone number text messages go to (E.164); null unless you are this user or an admin.")
    def phone_number(self, info: Info) -> str | None:
        return self._phone_number if is_self_or_admin(info.context.viewer, UUID(self.id)) else None

    @described("Where your notifications go (setNotificationPreferences); null for anyone else's account.")
    def notification_preferences(self, info: Info) -> NotificationPreferences | None:
        if not is_self(info.context.viewer, UUID(self.id)):
            return None
        return NotificationPreferences.from_domain(DomainPreferences.from_stored(self._preferences))

    @described(
        "An expert's clients in their HUB programme (setClientProgramme), by name; only to yourself and "
        "admins, null otherwise."
    )
    async def hub_clients(self, info: Info) -> list["User"] | None:
        if not is_self_or_admin(info.context.viewer, UUID(self.id)):
            return None
        return [User.from_model(row) for row in await hub_clients_of(UUID(self.id))]

    @described("Your unread notifications (null for anyone else's account).")
    async def unread_notification_count(self, info: Info) -> int | None:
        """Yours only (null for anyone else's account)."""
        viewer = info.context.viewer
        if viewer is None or not is_self(viewer, UUID(self.id)):
            return None
        return await unread_count(viewer)

    @described("Messages you have not read, in all your conversations (null for anyone else's account).")
    async def unread_message_count(self, info: Info) -> int | None:
        viewer = info.context.viewer
        if viewer is None or not is_self(viewer, UUID(self.id)):
            return None
        return await messages.unread_count(viewer.user_id)

    @described("Their expert profile, when they offer services.")
    async def expert(self, info: Info) -> Expert | None:
        return await load_expert(info, UUID(self.id))

    @classmethod
    def from_model(cls, row: models.User) -> "User":
        return cls(
            id=strawberry.ID(str(row.id)),
            name=row.name,
            time_zone=row.time_zone,
            is_admin=row.is_admin,
            _email=row.email,
            _phone_number=row.phone_number,
            _preferences=row.notification_preferences,
            _calendar_token=row.calendar_token,
        )
