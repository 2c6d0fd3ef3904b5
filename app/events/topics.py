"""Topic names: each user hears their own meetings; admins hear all."""

from uuid import UUID

ADMIN_MEETINGS = "meetings:admin"


def user_meetings(user_id: UUID) -> str:
    return f"meetings:user:{user_id}"


def user_notifications(user_id: UUID) -> str:
    return f"notifications:user:{user_id}"


def expert_instant_requests(expert_id: UUID) -> str:
    """Instant requests offered to one expert, and how each of them ended."""
    return f"instant:expert:{expert_id}"


def instant_request(request_id: UUID) -> str:
    """How one instant request ended, for the experts who found it open when they subscribed."""
    return f"instant:request:{request_id}"


def user_messages(user_id: UUID) -> str:
    """Each message sent, edited or deleted in one of the user's conversations."""
    return f"messages:user:{user_id}"


def conversation(conversation_id: UUID) -> str:
    """Each message change in one conversation (for admins reading it, too)."""
    return f"messages:conversation:{conversation_id}"
