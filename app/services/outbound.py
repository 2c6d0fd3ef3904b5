"""A notification's e-mail and text message, each sent once by its SEND_EMAIL job, as its
recipient prefers (domain/preferences.py): the preferences are read when it is sent, so a
change meant for several people reads none of theirs."""

import logging
from datetime import datetime
from uuid import UUID

import aiosmtplib

from app.domain.mail import EmailDelivery
from app.domain.notifications import Channel, SmsDelivery, sms_text
from app.domain.preferences import NotificationPreferences
from app.models import Notification
from app.services.mail import send_notification_email
from app.services.runtime import Runtime
from app.services.sms import SmsRefused

log = logging.getLogger("app.sms")


async def send_notification(runtime: Runtime, notification_id: UUID, now: datetime, *, last_try: bool) -> None:
    """What is still owed of this notification: its e-mail (while PENDING) and its text
    message (until decided). A channel that fails raises for the job to retry it, after the
    other channel had its turn; one already sent is not sent again."""
    notification = await Notification.get(id=notification_id).select_related("recipient")
    recipient = notification.recipient
    preferences = NotificationPreferences.from_stored(recipient.notification_preferences)
    failure: Exception | None = None
    if notification.email_delivery == EmailDelivery.PENDING:
        if preferences.wants(notification.type, Channel.EMAIL):
            try:
                await send_notification_email(runtime, notification, now, last_try=last_try)
            except (aiosmtplib.SMTPException, OSError) as exc:
                failure = exc
        else:
            notification.channels = [c for c in notification.channels if c != Channel.EMAIL]
            await Notification.filter(id=notification.id, email_delivery=EmailDelivery.PENDING).update(
                email_delivery=EmailDelivery.NONE, channels=notification.channels
            )
    if notification.sms_delivery is None:
        wanted = recipient.phone_number is not None and preferences.wants(notification.type, Channel.SMS)
        try:
            delivery = await _text(runtime, recipient.phone_number, notification.text, last_try) if wanted else None
        except SmsRefused as exc:
            failure = failure or exc
        else:
            await _record_text(notification, delivery or SmsDelivery.NONE)
    if failure is not None:
        raise failure


async def _text(runtime: Runtime, phone_number: str | None, text: str, last_try: bool) -> SmsDelivery:
    assert phone_number is not None
    try:
        await runtime.sms.send(phone_number, sms_text(text))
    except SmsRefused as exc:
        if not last_try:
            raise
        log.error("text message to %s failed for good: %s", phone_number, exc)
        return SmsDelivery.FAILED
    return SmsDelivery.LOGGED if runtime.sms.logs_only else SmsDelivery.SENT


async def _record_text(notification: Notification, delivery: SmsDelivery) -> None:
    changes: dict[str, object] = {"sms_delivery": delivery}
    if delivery is not SmsDelivery.NONE:
        changes["channels"] = [*(c for c in notification.channels if c != Channel.SMS), Channel.SMS.value]
    await Notification.filter(id=notification.id, sms_delivery__isnull=True).update(**changes)
