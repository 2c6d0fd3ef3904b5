"""Who may see what and act for whom: the one place every layer asks.

A meeting exists only for its two participants and admins; anyone else is told
NOT_FOUND, word for word as for a missing meeting. A person's own account
settings (availability, policy, services) are theirs and admins'.
"""

from uuid import UUID

from app.domain.errors import NotAllowed, NotFound
from app.domain.people import Actor, Parties, Side


def can_see_meeting(actor: Actor, parties: Parties) -> bool:
    return actor.is_admin or actor.user_id in (parties.client_id, parties.expert_id)


def side_of(actor: Actor, parties: Parties) -> Side | None:
    """The actor's own side in the meeting; None for an admin looking on (or an outsider)."""
    if actor.user_id == parties.client_id:
        return Side.CLIENT
    if actor.user_id == parties.expert_id:
        return Side.EXPERT
    return None


def acting_side(actor: Actor, parties: Parties, admin_acts_as: Side | None) -> Side:
    """The side `actor` acts for. A participant acts for their own side; an admin for the
    side the action needs (`admin_acts_as`), or not at all when it is None."""
    own = side_of(actor, parties)
    if own is not None:
        return own
    if not actor.is_admin:
        raise NotFound("no such meeting")
    if admin_acts_as is None:
        raise NotAllowed("only the meeting's participants may do this")
    return admin_acts_as


def is_self_or_admin(viewer: Actor | None, user_id: UUID) -> bool:
    """Private details of an account (email, calendar feed) are shown to its owner and admins."""
    return viewer is not None and (viewer.is_admin or viewer.user_id == user_id)


def managed_user(actor: Actor, user_id: UUID | None, what: str) -> UUID:
    """Whose settings an action changes: the actor's own (no id), or anyone's for an admin."""
    target = user_id or actor.user_id
    if not is_self_or_admin(actor, target):
        raise NotAllowed(f"you may only manage your own {what}")
    return target


def require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise NotAllowed("only an admin may do this")
