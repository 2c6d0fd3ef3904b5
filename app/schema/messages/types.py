"""What a conversation and its messages read like."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

import strawberry

from app import models
from app.domain.messages import DELETED_TEXT
from app.schema.accounts.users import User
from app.schema.context import Info
from app.schema.enums import ConversationKind
from app.schema.fields import described
from app.schema.pagination import Connection
from app.services import attachments, messages


async def _user(info: Info, user_id: UUID) -> User:
    row = await info.context.loaders.user.load(user_id)
    assert row is not None, "a conversation's people exist (foreign keys)"
    return User.from_model(row)


@strawberry.type(description="A file in a message: an image, a PDF or plain text.")
class Attachment:
    id: strawberry.ID = strawberry.field(description="The attachment's id.")
    filename: str = strawberry.field(description="The name it was uploaded as (display only).")
    content_type: str = strawberry.field(description="Its type, as read from its bytes.")
    size: int = strawberry.field(description="Bytes.")
    row: strawberry.Private[models.Attachment]

    @described("A signed link to download it, valid for an hour; ask for the message again for a new one.")
    def url(self, info: Info) -> str:
        runtime = info.context.runtime
        return attachments.download_link(runtime, self.row, runtime.clock.now())

    @classmethod
    def from_model(cls, row: models.Attachment) -> "Attachment":
        return cls(
            id=strawberry.ID(str(row.id)), filename=row.filename, content_type=row.content_type, size=row.size, row=row
        )


@strawberry.type(description="A message in a conversation; a deleted one stays as a tombstone.")
class Message:
    id: strawberry.ID = strawberry.field(description="The message's id (editMessage, deleteMessage).")
    conversation_id: strawberry.ID = strawberry.field(description="Its conversation.")
    sequence: int = strawberry.field(
        description="Its number in the conversation, from 1: markConversationRead(upTo) and "
        "messageAdded(afterSequence) take it."
    )
    body: str = strawberry.field(description='The text as written (plain text; "message deleted" once deleted).')
    deleted: bool = strawberry.field(description="Its sender deleted it.")
    created_at: datetime = strawberry.field(description="When it was sent.")
    edited_at: datetime | None = strawberry.field(description="When it was last edited.")
    deleted_at: datetime | None = strawberry.field(description="When it was deleted.")
    sender_id: strawberry.Private[UUID]

    @described("Who sent it.")
    async def sender(self, info: Info) -> User:
        return await _user(info, self.sender_id)

    @described("Its files (none once deleted).")
    async def attachments(self, info: Info) -> list[Attachment]:
        return [Attachment.from_model(row) for row in await info.context.loaders.attachments.load(UUID(self.id))]

    @classmethod
    def from_model(cls, row: models.Message) -> "Message":
        deleted = row.deleted_at is not None
        return cls(
            id=strawberry.ID(str(row.id)),
            conversation_id=strawberry.ID(str(row.conversation_id)),
            sequence=row.sequence,
            body=DELETED_TEXT if deleted else row.body,
            deleted=deleted,
            created_at=row.created_at,
            edited_at=row.edited_at,
            deleted_at=row.deleted_at,
            sender_id=row.sender_id,
        )


@strawberry.type(
    description="A client and an expert talking: about a meeting, before any booking, or about an instant "
    "request. Its two participants read and write; admins read it for support and write nothing."
)
class Conversation:
    id: strawberry.ID = strawberry.field(description="The conversation's id.")
    kind: ConversationKind = strawberry.field(description="What it is about.")
    meeting_id: strawberry.ID | None = strawberry.field(description="Its meeting (MEETING).")
    instant_request_id: strawberry.ID | None = strawberry.field(description="Its instant request (INSTANT_REQUEST).")
    last_sequence: int = strawberry.field(description="The newest message's sequence (0: none yet).")
    last_activity_at: datetime = strawberry.field(description="When its newest message was sent.")
    unread_count: int = strawberry.field(description="Messages you have not read (0 for an admin reading).")
    row: strawberry.Private[models.Conversation]

    @described("The client.")
    async def client(self, info: Info) -> User:
        return await _user(info, self.row.client_id)

    @described("The expert.")
    async def expert(self, info: Info) -> User:
        return await _user(info, self.row.expert_id)

    @described("Its messages, newest first; `before` pages to older ones, `after` to newer ones.")
    async def messages(
        self,
        first: Annotated[int, strawberry.argument(description="Page size, 1 to 100.")] = 20,
        before: Annotated[str | None, strawberry.argument(description="Older than this cursor.")] = None,
        after: Annotated[str | None, strawberry.argument(description="Newer than this cursor.")] = None,
    ) -> Connection[Message]:
        page = await messages.list_messages(self.row, first, before, after)
        return Connection.from_page(page, Message.from_model)

    @classmethod
    def from_model(cls, row: models.Conversation, viewer: UUID) -> "Conversation":
        return cls(
            id=strawberry.ID(str(row.id)),
            kind=row.kind,
            meeting_id=strawberry.ID(str(row.meeting_id)) if row.meeting_id else None,
            instant_request_id=strawberry.ID(str(row.instant_request_id)) if row.instant_request_id else None,
            last_sequence=row.last_sequence,
            last_activity_at=row.last_activity_at,
            unread_count=messages.unread_in(row, viewer),
            row=row,
        )
