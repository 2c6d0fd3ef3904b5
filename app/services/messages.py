"""Messages between a client and an expert (the rules: domain/messages.py): sending, editing,
deleting, read marks, the lists, and the e-mail of what stays unread.

A send bumps its conversation's `last_sequence` first, so the sends of one conversation are
serialized on that row and numbered 1, 2, …; the change is published after the commit to both
participants and to the conversation (admins reading it for support listen there)."""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from tortoise.expressions import F, Q

from app.domain.access import can_read_conversation, can_see_meeting, require_conversation_writer
from app.domain.errors import InvalidInput, InvalidState, LimitExceeded, NotAllowed, NotFound, TooLate, refuses
from app.domain.instant import InstantStatus
from app.domain.mail import Mail
from app.domain.messages import (
    EMAIL_DELAY,
    ConversationKind,
    MessageState,
    check_body,
    conversation_key,
    may_send,
    read_mark,
    require_deletable,
    require_editable,
    unread_after,
)
from app.domain.notifications import Notice
from app.domain.people import Actor, Parties
from app.domain.schedule import JobKind
from app.events import topics
from app.events.broker import Event
from app.models import Conversation, ExpertProfile, Meeting, Message, ScheduledJob, User
from app.models.jobs import JobStatus
from app.services import attachments
from app.services.instant import visible_request
from app.services.mail import deliver
from app.services.notifications import notify
from app.services.pagination import Page, decode_cursor, encode_cursor, validate_page_size
from app.services.runtime import Runtime
from app.services.unit_of_work import UnitOfWork, unit_of_work

NOT_YOURS = "no such conversation"
EMAILED_AT_MOST = 20
"""Messages one e-mail quotes; it says how many more wait."""


@dataclass(frozen=True)
class Target:
    """Where a message goes: exactly one of these."""

    conversation_id: UUID | None = None
    meeting_id: UUID | None = None
    expert_id: UUID | None = None
    instant_request_id: UUID | None = None


def participants_of(conversation: Conversation) -> Parties:
    return Parties(conversation.client_id, conversation.expert_id)


def read_mark_of(conversation: Conversation, user_id: UUID) -> str:
    """The column holding a participant's read mark."""
    return "client_read_sequence" if user_id == conversation.client_id else "expert_read_sequence"


@refuses(InvalidInput, LimitExceeded, NotAllowed, NotFound)
async def send_message(
    runtime: Runtime, actor: Actor, target: Target, body: str, attachment_ids: Sequence[UUID] = ()
) -> Message:
    body = check_body(body, with_files=bool(attachment_ids))
    now = runtime.clock.now()
    async with unit_of_work(runtime) as uow:
        await User.filter(id=actor.user_id).select_for_update().only("id").first()  # one send of a sender at a time
        may_send(await Message.filter(sender_id=actor.user_id, created_at__gt=now - timedelta(minutes=1)).count())
        conversation = await _conversation_for(actor, target, now)
        participants = participants_of(conversation)
        require_conversation_writer(actor, participants)
        own_mark = read_mark_of(conversation, actor.user_id)
        await Conversation.filter(id=conversation.id).update(
            last_sequence=F("last_sequence") + 1, last_activity_at=now, **{own_mark: F("last_sequence") + 1}
        )
        sequence = (await Conversation.get(id=conversation.id).only("id", "last_sequence")).last_sequence
        message = await Message.create(
            id=uuid4(),
            conversation_id=conversation.id,
            sequence=sequence,
            sender_id=actor.user_id,
            body=body,
            created_at=now,
        )
        await attachments.attach(actor, message.id, attachment_ids)
        recipient = participants.other_than(actor.user_id)
        if not await runtime.readers.online_among([recipient]):
            await _tell_absent(uow, conversation, recipient, actor.user_id, body, now)
        _publish(uow, conversation, message)
    return message


async def _conversation_for(actor: Actor, target: Target, now: datetime) -> Conversation:
    given = [v for v in (target.conversation_id, target.meeting_id, target.expert_id, target.instant_request_id) if v]
    if len(given) != 1:
        raise InvalidInput("give exactly one of conversationId, meetingId, expertId and instantRequestId")
    if target.conversation_id is not None:
        return await _readable(actor, target.conversation_id)
    if target.meeting_id is not None:
        meeting = await Meeting.filter(id=target.meeting_id).only("id", "client_id", "expert_id").first()
        if meeting is None or not can_see_meeting(actor, Parties(meeting.client_id, meeting.expert_id)):
            raise NotFound("no such meeting")
        return await _found_or_made(ConversationKind.MEETING, meeting.id, meeting.client_id, meeting.expert_id, now)
    if target.expert_id is not None:
        if target.expert_id == actor.user_id or not await ExpertProfile.filter(user_id=target.expert_id).exists():
            raise NotFound("no such expert")
        return await _found_or_made(ConversationKind.DIRECT, None, actor.user_id, target.expert_id, now)
    assert target.instant_request_id is not None
    request = await visible_request(actor, target.instant_request_id)
    if request.client_id == actor.user_id:
        raise InvalidInput("answer an expert's question in its conversation (conversationId)")
    if request.status != InstantStatus.OPEN:
        raise NotAllowed("the request is no longer open: message the meeting instead")
    return await _found_or_made(ConversationKind.INSTANT_REQUEST, request.id, request.client_id, actor.user_id, now)


async def _found_or_made(
    kind: ConversationKind, subject: UUID | None, client_id: UUID, expert_id: UUID, now: datetime
) -> Conversation:
    key = conversation_key(kind, subject, client_id, expert_id)
    found = await Conversation.filter(key=key).first()
    if found is not None:
        return found
    await Conversation.bulk_create(
        [
            Conversation(
                id=uuid4(),
                kind=kind,
                key=key,
                meeting_id=subject if kind is ConversationKind.MEETING else None,
                instant_request_id=subject if kind is ConversationKind.INSTANT_REQUEST else None,
                client_id=client_id,
                expert_id=expert_id,
                created_at=now,
                last_activity_at=now,
            )
        ],
        ignore_conflicts=True,  # two first messages at once: one conversation
    )
    return await Conversation.get(key=key)


async def _readable(actor: Actor, conversation_id: UUID) -> Conversation:
    conversation = await Conversation.filter(id=conversation_id).first()
    if conversation is None or not can_read_conversation(actor, participants_of(conversation)):
        raise NotFound(NOT_YOURS)
    return conversation


async def _tell_absent(
    uow: UnitOfWork, conversation: Conversation, recipient: UUID, sender: UUID, body: str, now: datetime
) -> None:
    """A notification now; the e-mail of what is still unread later, one per conversation at a time."""
    sender_name = (await User.get(id=sender).only("id", "name")).name
    preview = (body if len(body) <= 200 else body[:199] + "…") or "(a file)"
    await notify(
        uow,
        recipient,
        Notice.MESSAGE,
        f"{sender_name}: {preview}",
        now,
        meeting_id=conversation.meeting_id,
        email=False,
    )
    pending = ScheduledJob.filter(
        kind=JobKind.MESSAGES_EMAIL, conversation_id=conversation.id, recipient_id=recipient, status=JobStatus.PENDING
    )
    if not await pending.exists():
        await ScheduledJob.create(
            kind=JobKind.MESSAGES_EMAIL,
            conversation_id=conversation.id,
            recipient_id=recipient,
            meeting_version=0,
            due_at=now + EMAIL_DELAY,
            created_at=now,
        )


def _publish(uow: UnitOfWork, conversation: Conversation, message: Message) -> None:
    """The event carries the message as it now is and who may read it, so that its subscribers
    (a thousand sockets, maybe) need no read of their own."""
    payload: dict[str, str | int | None] = {
        "message_id": str(message.id),
        "conversation_id": str(conversation.id),
        "message": json.dumps(
            {
                "sequence": message.sequence,
                "sender_id": str(message.sender_id),
                "body": message.body,
                "created_at": message.created_at.isoformat(),
                "edited_at": message.edited_at.isoformat() if message.edited_at else None,
                "deleted_at": message.deleted_at.isoformat() if message.deleted_at else None,
                "client_id": str(conversation.client_id),
                "expert_id": str(conversation.expert_id),
            }
        ),
    }
    uow.publish_after_commit(
        Event(topics.user_messages(conversation.client_id), "message", payload),
        Event(topics.user_messages(conversation.expert_id), "message", payload),
        Event(topics.conversation(conversation.id), "message", payload),
    )


async def _own_message(actor: Actor, message_id: UUID) -> tuple[Message, Conversation]:
    message = await Message.filter(id=message_id).first()
    conversation = None if message is None else await Conversation.filter(id=message.conversation_id).first()
    if message is None or conversation is None or not can_read_conversation(actor, participants_of(conversation)):
        raise NotFound("no such message")
    return message, conversation


@refuses(InvalidInput, InvalidState, NotAllowed, NotFound, TooLate)
async def edit_message(runtime: Runtime, actor: Actor, message_id: UUID, body: str) -> Message:
    body = check_body(body)
    now = runtime.clock.now()
    async with unit_of_work(runtime) as uow:
        message, conversation = await _own_message(actor, message_id)
        require_editable(
            MessageState(message.sender_id, message.created_at, message.deleted_at is not None), actor, now
        )
        if not await Message.filter(id=message.id, deleted_at=None).update(body=body, edited_at=now):
            raise InvalidState("the message was deleted")
        message.body, message.edited_at = body, now
        _publish(uow, conversation, message)
    return message


@refuses(InvalidState, NotAllowed, NotFound)
async def delete_message(runtime: Runtime, actor: Actor, message_id: UUID) -> Message:
    """A tombstone: the message stays in its place, its words gone."""
    now = runtime.clock.now()
    async with unit_of_work(runtime) as uow:
        message, conversation = await _own_message(actor, message_id)
        require_deletable(MessageState(message.sender_id, message.created_at, message.deleted_at is not None), actor)
        if not await Message.filter(id=message.id, deleted_at=None).update(body="", deleted_at=now):
            raise InvalidState("the message was already deleted")
        message.body, message.deleted_at = "", now
        _publish(uow, conversation, message)
    await attachments.remove_with_message(runtime, message.id)
    return message


@refuses(InvalidInput, NotAllowed, NotFound)
async def mark_read(runtime: Runtime, actor: Actor, conversation_id: UUID, up_to: int | None) -> Conversation:
    """Your read mark moves forward to `up_to` (a message's sequence), or to the newest."""
    async with unit_of_work(runtime):
        conversation = await _readable(actor, conversation_id)
        require_conversation_writer(actor, participants_of(conversation))
        field = read_mark_of(conversation, actor.user_id)
        current = int(getattr(conversation, field))
        mark = read_mark(current, conversation.last_sequence if up_to is None else up_to, conversation.last_sequence)
        if mark != current:
            await Conversation.filter(id=conversation.id).update(**{field: mark})
            setattr(conversation, field, mark)
    return conversation


def unread_in(conversation: Conversation, viewer: UUID) -> int:
    """0 for someone who is not a participant (an admin reading)."""
    if viewer not in (conversation.client_id, conversation.expert_id):
        return 0
    return unread_after(int(getattr(conversation, read_mark_of(conversation, viewer))), conversation.last_sequence)


async def unread_count(viewer: UUID) -> int:
    as_client = await Conversation.filter(client_id=viewer).values_list("last_sequence", "client_read_sequence")
    as_expert = await Conversation.filter(expert_id=viewer).values_list("last_sequence", "expert_read_sequence")
    return sum(unread_after(int(read), int(last)) for last, read in [*as_client, *as_expert])


@refuses(NotFound)
async def get_conversation(actor: Actor, conversation_id: UUID) -> Conversation:
    return await _readable(actor, conversation_id)


async def list_conversations(actor: Actor, first: int, after: str | None) -> Page[Conversation]:
    """By last activity, newest first; admins see every one."""
    validate_page_size(first)
    query = Conversation.all()
    if not actor.is_admin:
        query = query.filter(Q(client_id=actor.user_id) | Q(expert_id=actor.user_id))
    if after is not None:
        moment, last_id = _time_and_id(after)
        query = query.filter(Q(last_activity_at__lt=moment) | Q(last_activity_at=moment, id__lt=last_id))
    rows = await query.order_by("-last_activity_at", "-id").limit(first + 1)
    items = [(encode_cursor(r.last_activity_at.isoformat(), str(r.id)), r) for r in rows[:first]]
    return Page(items=items, has_next_page=len(rows) > first, has_previous_page=after is not None)


async def list_messages(conversation: Conversation, first: int, before: str | None, after: str | None) -> Page[Message]:
    """Newest first; `before` pages to older messages, `after` to newer ones (catching up)."""
    validate_page_size(first)
    query = Message.filter(conversation_id=conversation.id)
    if before is not None:
        query = query.filter(sequence__lt=_sequence_of(before))
    if after is not None:
        query = query.filter(sequence__gt=_sequence_of(after))
    rows = await query.order_by("-sequence").limit(first + 1)
    items = [(encode_cursor(str(r.sequence), str(r.id)), r) for r in rows[:first]]
    return Page(items=items, has_next_page=len(rows) > first, has_previous_page=before is not None)


async def messages_after(conversation_id: UUID, sequence: int, limit: int) -> list[Message]:
    return (
        await Message.filter(conversation_id=conversation_id, sequence__gt=sequence).order_by("sequence").limit(limit)
    )


CHANGED_AT_MOST = 500
"""Messages a subscriber is sent after its events were lost; older ones by the list."""


async def changed_since(actor: Actor, since: datetime, conversation_id: UUID | None) -> list[Message]:
    """Messages sent, edited or deleted since `since` in the actor's conversations (or one)."""
    if conversation_id is not None:
        scope = Q(conversation_id=conversation_id)
    else:
        mine = Conversation.filter(Q(client_id=actor.user_id) | Q(expert_id=actor.user_id))
        scope = Q(conversation_id__in=[c async for c in mine.values_list("id", flat=True)])
    changed = Q(created_at__gte=since) | Q(edited_at__gte=since) | Q(deleted_at__gte=since)
    return await Message.filter(scope & changed).order_by("created_at", "sequence").limit(CHANGED_AT_MOST)


def message_in_event(actor: Actor, payload: Mapping[str, object]) -> Message | None:
    """The message an event carries, if the actor may read its conversation (no database read)."""
    fields = json.loads(str(payload["message"]))
    if not can_read_conversation(actor, Parties(UUID(fields["client_id"]), UUID(fields["expert_id"]))):
        return None
    moment = datetime.fromisoformat
    return Message(
        id=UUID(str(payload["message_id"])),
        conversation_id=UUID(str(payload["conversation_id"])),
        sequence=int(fields["sequence"]),
        sender_id=UUID(fields["sender_id"]),
        body=fields["body"],
        created_at=moment(fields["created_at"]),
        edited_at=moment(fields["edited_at"]) if fields["edited_at"] else None,
        deleted_at=moment(fields["deleted_at"]) if fields["deleted_at"] else None,
    )


def _sequence_of(cursor: str) -> int:
    sequence, _id = decode_cursor(cursor)
    try:
        return int(sequence)
    except ValueError as exc:
        raise InvalidInput("not a cursor of this conversation's messages") from exc


def _time_and_id(cursor: str) -> tuple[datetime, UUID]:
    moment, item_id = decode_cursor(cursor)
    try:
        return datetime.fromisoformat(moment), UUID(item_id)
    except ValueError as exc:
        raise InvalidInput("not a cursor of conversations") from exc


async def send_unread_email(
    runtime: Runtime, conversation_id: UUID, recipient_id: UUID, now: datetime, *, last_try: bool
) -> None:
    """One e-mail with what the recipient has still not read, if anything (MESSAGES_EMAIL job).
    Plain text: whatever a message holds is shown as written, never interpreted."""
    conversation = await Conversation.filter(id=conversation_id).first()
    recipient = await User.filter(id=recipient_id).first()
    if conversation is None or recipient is None:
        return
    read = int(getattr(conversation, read_mark_of(conversation, recipient_id)))
    unread = await Message.filter(
        conversation_id=conversation_id, sequence__gt=read, deleted_at=None, sender_id__not=recipient_id
    ).order_by("sequence")
    if not unread:
        return
    other = await User.get(id=participants_of(conversation).other_than(recipient_id))
    zone = ZoneInfo(recipient.time_zone)
    shown = unread[-EMAILED_AT_MOST:]
    lines = [f"Hello {recipient.name},", "", f"{other.name} wrote to you:", ""]
    for message in shown:
        lines += [f"{message.created_at.astimezone(zone):%a %d %b, %H:%M}:", message.body, ""]
    if len(unread) > len(shown):
        lines += [f"(and {len(unread) - len(shown)} earlier messages)", ""]
    lines += [f"Reply on {runtime.settings.resolved_public_url}/dashboard", "", "Consult booking"]
    subject = f"{len(unread)} unread message{'s' if len(unread) != 1 else ''} from {other.name}"
    body = "\n".join(lines) + "\n"
    await deliver(
        runtime, Mail(recipient.email, subject, body, invite=None, time_zone=recipient.time_zone), last_try=last_try
    )
