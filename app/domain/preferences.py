"""Where each user wants their notifications: e-mail and text messages, by default and per
notification type. The dashboard always has them."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.domain.errors import InvalidInput
from app.domain.notifications import Channel


@dataclass(frozen=True)
class ChannelChoice:
    email: bool
    sms: bool


@dataclass(frozen=True)
class NotificationPreferences:
    email: bool = True
    sms: bool = False
    by_type: Mapping[str, ChannelChoice] = field(default_factory=dict)
    """Overrides of the two defaults for some notification types."""

    def wants(self, notification_type: str, channel: Channel) -> bool:
        choice = self.by_type.get(notification_type, ChannelChoice(self.email, self.sms))
        if channel is Channel.EMAIL:
            return choice.email
        if channel is Channel.SMS:
            return choice.sms
        return True

    def updated(
        self,
        *,
        email: bool | None = None,
        sms: bool | None = None,
        by_type: Mapping[str, ChannelChoice] | None = None,
    ) -> "NotificationPreferences":
        """What is given replaces what was; None leaves it."""
        return NotificationPreferences(
            self.email if email is None else email,
            self.sms if sms is None else sms,
            self.by_type if by_type is None else dict(by_type),
        )

    def stored(self) -> dict[str, Any]:
        return {
            "email": self.email,
            "sms": self.sms,
            "by_type": {t: {"email": c.email, "sms": c.sms} for t, c in sorted(self.by_type.items())},
        }

    @classmethod
    def from_stored(cls, stored: Mapping[str, Any] | None) -> "NotificationPreferences":
        if not stored:
            return cls()
        by_type = {t: ChannelChoice(bool(c["email"]), bool(c["sms"])) for t, c in stored.get("by_type", {}).items()}
        return cls(bool(stored.get("email", True)), bool(stored.get("sms", False)), by_type)


def check_preferences(preferences: NotificationPreferences, phone_number: str | None) -> NotificationPreferences:
    """Text messages need a phone number to go to."""
    wants_sms = preferences.sms or any(choice.sms for choice in preferences.by_type.values())
    if wants_sms and phone_number is None:
        raise InvalidInput("text messages need your phone number: set phoneNumber too")
    return preferences
