"""A user's phone number and where they want their notifications."""

from collections.abc import Mapping

from app.domain.errors import InvalidInput, refuses
from app.domain.people import Actor
from app.domain.phone_numbers import to_e164
from app.domain.preferences import ChannelChoice, NotificationPreferences, check_preferences
from app.models import User
from app.services.runtime import Runtime
from app.services.unit_of_work import unit_of_work


@refuses(InvalidInput)
async def set_notification_preferences(
    runtime: Runtime,
    actor: Actor,
    *,
    phone_number: str | None = None,
    email: bool | None = None,
    sms: bool | None = None,
    by_type: Mapping[str, ChannelChoice] | None = None,
) -> User:
    """What is given replaces what was (None: unchanged); a phone number of "" is removed.
    From the next notification on."""
    number = to_e164(phone_number.strip()) if phone_number else None
    async with unit_of_work(runtime):
        user = await User.filter(id=actor.user_id).select_for_update().get()
        if phone_number is not None:
            user.phone_number = number
        current = NotificationPreferences.from_stored(user.notification_preferences)
        preferences = current.updated(email=email, sms=sms, by_type=by_type)
        user.notification_preferences = check_preferences(preferences, user.phone_number).stored()
        await user.save(update_fields=["phone_number", "notification_preferences"])
    return user
