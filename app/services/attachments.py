"""Attachments (the rules: domain/attachments.py): upload, attach to a message, signed
download links, and removal with their message.

A download link is signed (HMAC keyed from JWT_SECRET) for one attachment until a time an hour
ahead; it is only handed out with a message its reader may see, and works for whoever holds it
until then, like any signed URL."""

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote
from uuid import UUID, uuid4

from app.domain.attachments import Attaching, accept, check_attaching, display_name
from app.domain.errors import InvalidInput, LimitExceeded, refuses
from app.domain.people import Actor
from app.models import Attachment
from app.services.runtime import Runtime

LINK_LIFETIME = timedelta(hours=1)
UPLOADS_PER_HOUR = 60
MAX_UNSENT = 20
"""Uploads of one user that no message names yet: so unsent files cannot fill the store."""
UNSENT_KEPT = timedelta(days=1)
"""An upload no message named by then is removed, when its uploader next uploads."""


@refuses(InvalidInput, LimitExceeded)
async def upload(runtime: Runtime, actor: Actor, data: bytes, claimed_type: str, filename: str) -> Attachment:
    now = runtime.clock.now()
    media_type = accept(data, claimed_type)
    await _remove_stale(runtime, actor, now)
    recent = await Attachment.filter(uploader_id=actor.user_id, created_at__gt=now - timedelta(hours=1)).count()
    if recent >= UPLOADS_PER_HOUR:
        raise LimitExceeded(f"at most {UPLOADS_PER_HOUR} uploads an hour")
    if await Attachment.filter(uploader_id=actor.user_id, message_id=None).count() >= MAX_UNSENT:
        raise LimitExceeded(f"at most {MAX_UNSENT} files waiting to be sent: send them, or wait a day")
    attachment_id = uuid4()
    await runtime.files.put(attachment_id, data)
    try:
        return await Attachment.create(
            id=attachment_id,
            uploader_id=actor.user_id,
            filename=display_name(filename),
            content_type=media_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            created_at=now,
        )
    except BaseException:
        await runtime.files.delete(attachment_id)
        raise


async def _remove_stale(runtime: Runtime, actor: Actor, now: datetime) -> None:
    stale = await Attachment.filter(uploader_id=actor.user_id, message_id=None, created_at__lt=now - UNSENT_KEPT)
    for row in stale:
        await runtime.files.delete(row.id)
        await row.delete()


async def attach(actor: Actor, message_id: UUID, attachment_ids: Sequence[UUID]) -> list[Attachment]:
    """Inside sendMessage's transaction: the sender's own unsent uploads join the message."""
    asked = list(dict.fromkeys(attachment_ids))
    if not asked:
        return []
    rows = await Attachment.filter(id__in=asked, uploader_id=actor.user_id)
    check_attaching(
        Attaching(found=len(rows), asked=len(asked), already_sent=sum(r.message_id is not None for r in rows))
    )
    attached = await Attachment.filter(id__in=asked, message_id=None).update(message_id=message_id)
    if attached != len(asked):
        raise InvalidInput("an attachment is already in a message")  # by a send a moment earlier
    for row in rows:
        row.message_id = message_id
    return rows


async def of_messages(message_ids: Sequence[UUID]) -> dict[UUID, list[Attachment]]:
    by_message: dict[UUID, list[Attachment]] = {message_id: [] for message_id in message_ids}
    for row in await Attachment.filter(message_id__in=list(message_ids)).order_by("created_at", "id"):
        assert row.message_id is not None
        by_message[row.message_id].append(row)
    return by_message


async def remove_with_message(runtime: Runtime, message_id: UUID) -> None:
    """A deleted message's files go, bytes and rows (after the delete committed)."""
    for row in await Attachment.filter(message_id=message_id):
        await runtime.files.delete(row.id)
        await row.delete()


@dataclass(frozen=True)
class Download:
    attachment: Attachment
    data: bytes


def _signature(runtime: Runtime, attachment_id: UUID, expires: int) -> str:
    key = hashlib.sha256(b"attachment links\n" + runtime.settings.resolved_jwt_secret.encode()).digest()
    return hmac.new(key, f"{attachment_id}:{expires}".encode(), hashlib.sha256).hexdigest()[:40]


def download_link(runtime: Runtime, attachment: Attachment, now: datetime) -> str:
    expires = int((now + LINK_LIFETIME).timestamp())
    name = quote(attachment.filename, safe="")
    signature = _signature(runtime, attachment.id, expires)
    base = runtime.settings.resolved_public_url
    return f"{base}/attachments/{attachment.id}/{name}?expires={expires}&signature={signature}"


async def open_download(runtime: Runtime, attachment_id: UUID, expires: int, signature: str) -> Download | None:
    """None for a link that is not ours, has expired, or whose file is gone (all look alike)."""
    if expires < runtime.clock.now().timestamp():
        return None
    if not hmac.compare_digest(signature, _signature(runtime, attachment_id, expires)):
        return None
    attachment = await Attachment.filter(id=attachment_id).exclude(message_id=None).first()
    data = None if attachment is None else await runtime.files.get(attachment.id)
    return None if attachment is None or data is None else Download(attachment, data)
