"""What the message operations take and answer."""

import strawberry

from app.schema.messages.types import Conversation, Message
from app.schema.results import result_of
from app.services import messages


@strawberry.input(
    description="Send a message: to a conversation, or about a meeting, to an expert (a client, before any "
    "booking) or about an instant request (an expert, before taking it). Exactly one of the four."
)
class SendMessageInput:
    body: str = strawberry.field(description="Up to 4,000 characters of plain text (line breaks and tabs allowed).")
    conversation_id: strawberry.ID | None = strawberry.field(default=None, description="An existing conversation.")
    meeting_id: strawberry.ID | None = strawberry.field(default=None, description="One of your meetings.")
    expert_id: strawberry.ID | None = strawberry.field(default=None, description="Clients: an expert to write to.")
    instant_request_id: strawberry.ID | None = strawberry.field(
        default=None, description="Experts: an open instant request offered to you, to ask its client something."
    )
    attachment_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="Files you uploaded (POST /attachments) and sent in no other message; at most 5. With files "
        "the body may be empty.",
    )


@strawberry.input(description="The sender changes a message's text, within 10 minutes of sending it.")
class EditMessageInput:
    message_id: strawberry.ID = strawberry.field(description="The message.")
    body: str = strawberry.field(description="Its new text (the same bounds as a new message).")


@strawberry.input(description='The sender deletes a message: "message deleted" stays in its place.')
class DeleteMessageInput:
    message_id: strawberry.ID = strawberry.field(description="The message.")


@strawberry.input(description="Move your read mark forward in a conversation.")
class MarkConversationReadInput:
    conversation_id: strawberry.ID = strawberry.field(description="The conversation.")
    up_to: int | None = strawberry.field(
        default=None, description="The sequence of the last message read; omitted: the newest."
    )


SendMessageResult = result_of("SendMessageResult", Message, messages.send_message)
EditMessageResult = result_of("EditMessageResult", Message, messages.edit_message)
DeleteMessageResult = result_of("DeleteMessageResult", Message, messages.delete_message)
MarkConversationReadResult = result_of("MarkConversationReadResult", Conversation, messages.mark_read)
ConversationResult = result_of(
    "ConversationResult",
    Conversation,
    messages.get_conversation,
    description="The conversation, or NOT_FOUND (no such conversation, or not yours to read).",
)
