from collections.abc import AsyncGenerator
from typing import Annotated
from uuid import UUID

import strawberry

from app.events import topics
from app.events.broker import RESUMED
from app.models import Message as MessageRow
from app.resolvers import live
from app.resolvers.arguments import AFTER, FIRST, INPUT
from app.resolvers.ids import optional_id, parse_id
from app.resolvers.viewer import refusals_as_errors, viewer_of
from app.schema.context import Info
from app.schema.messages.operations import (
    ConversationResult,
    DeleteMessageInput,
    DeleteMessageResult,
    EditMessageInput,
    EditMessageResult,
    MarkConversationReadInput,
    MarkConversationReadResult,
    SendMessageInput,
    SendMessageResult,
)
from app.schema.messages.types import Conversation, Message
from app.schema.pagination import Connection
from app.services import messages

CATCH_UP_LIMIT = 100
"""Messages a subscription sends first when it names afterSequence; the rest by the list."""


async def conversations(
    info: Info, first: Annotated[int, FIRST] = 20, after: Annotated[str | None, AFTER] = None
) -> Connection[Conversation]:
    viewer = viewer_of(info)
    with refusals_as_errors():
        page = await messages.list_conversations(viewer, first, after)
    return Connection.from_page(page, lambda row: Conversation.from_model(row, viewer.user_id))


async def conversation(
    info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="The conversation's id.")]
) -> Conversation:
    viewer = viewer_of(info)
    row = await messages.get_conversation(viewer, parse_id(id, "conversation"))
    return Conversation.from_model(row, viewer.user_id)


async def send_message(info: Info, input: Annotated[SendMessageInput, INPUT]) -> Message:
    target = messages.Target(
        conversation_id=optional_id(input.conversation_id, "conversation"),
        meeting_id=optional_id(input.meeting_id, "meeting"),
        expert_id=optional_id(input.expert_id, "expert"),
        instant_request_id=optional_id(input.instant_request_id, "instant request"),
    )
    files = [parse_id(i, "attachment") for i in input.attachment_ids]
    row = await messages.send_message(info.context.runtime, viewer_of(info), target, input.body, files)
    return Message.from_model(row)


async def edit_message(info: Info, input: Annotated[EditMessageInput, INPUT]) -> Message:
    message_id = parse_id(input.message_id, "message")
    return Message.from_model(
        await messages.edit_message(info.context.runtime, viewer_of(info), message_id, input.body)
    )


async def delete_message(info: Info, input: Annotated[DeleteMessageInput, INPUT]) -> Message:
    message_id = parse_id(input.message_id, "message")
    return Message.from_model(await messages.delete_message(info.context.runtime, viewer_of(info), message_id))


async def mark_conversation_read(info: Info, input: Annotated[MarkConversationReadInput, INPUT]) -> Conversation:
    viewer = viewer_of(info)
    conversation_id = parse_id(input.conversation_id, "conversation")
    row = await messages.mark_read(info.context.runtime, viewer, conversation_id, input.up_to)
    return Conversation.from_model(row, viewer.user_id)


async def message_added(
    info: Info,
    conversation_id: Annotated[
        strawberry.ID | None, strawberry.argument(description="One conversation; omitted: all of yours.")
    ] = None,
    after_sequence: Annotated[
        int | None,
        strawberry.argument(
            description="With conversationId: first the messages after this sequence (catching up, at most 100)."
        ),
    ] = None,
) -> AsyncGenerator[Message, None]:
    """Each message as it is sent, edited or deleted: a frame is the message as it now is."""
    viewer = viewer_of(info)
    runtime = info.context.runtime
    first: list[MessageRow] = []
    if conversation_id is not None:
        with refusals_as_errors():
            row = await messages.get_conversation(viewer, parse_id(conversation_id, "conversation"))
        topic = topics.conversation(row.id)
    else:
        topic = topics.user_messages(viewer.user_id)
    async with live.live(info, viewer, [topic]) as events, runtime.readers.online(viewer.user_id):
        if conversation_id is not None and after_sequence is not None:
            first = await messages.messages_after(row.id, after_sequence, CATCH_UP_LIMIT)
        sent: dict[UUID, tuple[int, object, object]] = {}
        for message in first:
            sent[message.id] = _version(message)
            yield Message.from_model(message)
        async for event in events:
            if event.kind == RESUMED:  # what changed while events were lost, as it is now
                changed = await messages.changed_since(viewer, live.since(event), row.id if conversation_id else None)
            else:
                found = messages.message_in_event(viewer, event.payload)
                changed = [found] if found is not None else []
            for message in changed:
                if sent.get(message.id) != _version(message):
                    sent[message.id] = _version(message)
                    yield Message.from_model(message)


def _version(message: MessageRow) -> tuple[int, object, object]:
    return (message.sequence, message.edited_at, message.deleted_at)


@strawberry.type
class MessageQueries:
    conversations = strawberry.field(
        resolver=conversations,
        description="Your conversations by last activity, newest first, with unread counts (admins: every one).",
    )
    conversation = strawberry.field(
        resolver=conversation,
        graphql_type=ConversationResult,
        description="One of your conversations (any, for admins reading for support), or NOT_FOUND.",
    )


@strawberry.type
class MessageMutations:
    send_message = strawberry.mutation(
        resolver=send_message,
        graphql_type=SendMessageResult,
        description="Send a message (at most 30 a minute); the other participant hears it live, or is "
        "notified and, if it stays unread 10 minutes, e-mailed.",
    )
    edit_message = strawberry.mutation(
        resolver=edit_message,
        graphql_type=EditMessageResult,
        description="The sender edits a message within 10 minutes of sending it.",
    )
    delete_message = strawberry.mutation(
        resolver=delete_message,
        graphql_type=DeleteMessageResult,
        description='The sender deletes a message; "message deleted" stays in its place.',
    )
    mark_conversation_read = strawberry.mutation(
        resolver=mark_conversation_read,
        graphql_type=MarkConversationReadResult,
        description="Move your read mark forward in a conversation.",
    )


@strawberry.type
class MessageSubscriptions:
    message_added = strawberry.subscription(
        resolver=message_added,
        description="Each message in your conversations (or one) as it is sent, edited or deleted.",
    )
