"""Who may see what and act for whom: the one place every layer asks.

A meeting exists only for its two participants and admins; anyone else is told
NOT_FOUND, word for word as for a missing meeting. A person's own account
settings (availability, policy, services) are theirs and admins'. An instant
request is seen by its client, the experts it is for and admins. Services,
queries, fields, room pages and subscriptions ask here and decide nothing
themselves (`is_admin` is read nowhere else).
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from uuid import UUID

from app.domain.errors import NotAllowed, NotFound
from app.domain.instant import InstantRequestState, may_take
from app.domain.people import Actor, Parties, Side


def can_see_meeting(actor: Actor, parties: Parties) -> bool:
    return actor.is_admin or actor.user_id in (parties.client_id, parties.expert_id)


def can_read_conversation(actor: Actor, parties: Parties) -> bool:
    """Its two participants, and admins reading it for support."""
    return actor.is_admin or actor.user_id in (parties.client_id, parties.expert_id)


def require_conversation_writer(actor: Actor, parties: Parties) -> None:
    """Only the two participants write; an admin reading for support may not speak for them."""
    if actor.user_id not in (parties.client_id, parties.expert_id):
        raise NotAllowed("only the two participants write in a conversation")


def can_enter_room(viewer: Actor | None, parties: Parties) -> bool:
    """A room page opens for the meeting's two sides and admins, from a link made for them."""
    return viewer is not None and can_see_meeting(viewer, parties)


@dataclass(frozen=True)
class MeetingScope:
    """The meetings a list may show, as a value the query layer turns into SQL in one place.
    With no id set: every meeting."""

    client_id: UUID | None = None
    expert_id: UUID | None = None
    participant_id: UUID | None = None
    """Meetings with this person on either side."""


def meeting_scope(actor: Actor, side: Side | None) -> MeetingScope:
    """The actor's meetings (on `side`, if given); every meeting for an admin with no side."""
    if side is Side.CLIENT:
        return MeetingScope(client_id=actor.user_id)
    if side is Side.EXPERT:
        return MeetingScope(expert_id=actor.user_id)
    if actor.is_admin:
        return MeetingScope()
    return MeetingScope(participant_id=actor.user_id)


def hears_every_meeting(actor: Actor) -> bool:
    """Whose live meeting updates are every meeting's (admins) rather than their own."""
    return actor.is_admin


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


def can_see_instant_request(
    actor: Actor,
    request: InstantRequestState,
    *,
    taken_by: UUID | None,
    offered_to: Collection[UUID],
    actor_skills: Sequence[str] | None,
) -> bool:
    """Its client, the experts it was offered to or may take it (`actor_skills`: the actor's
    as an expert, None for a non-expert), the one who took it, and admins."""
    return (
        actor.is_admin
        or actor.user_id in (request.client_id, taken_by, request.direct_expert_id)
        or actor.user_id in offered_to
        or (actor_skills is not None and may_take(request, actor.user_id, actor_skills))
    )


@dataclass(frozen=True)
class InstantRequestScope:
    """The instant requests a list may show, as a value the query layer turns into SQL:
    the actor's own (any status), and the open ones they may take. `everything`: an admin."""

    client_id: UUID
    expert_id: UUID | None = None
    """Set for an expert: open requests named for them, or asking for one of `skills`."""
    skills: tuple[str, ...] = ()
    everything: bool = False


def instant_request_scope(actor: Actor, actor_skills: Sequence[str] | None) -> InstantRequestScope:
    """`actor_skills`: the actor's as an expert, None for a non-expert."""
    if actor.is_admin:
        return InstantRequestScope(client_id=actor.user_id, everything=True)
    if actor_skills is None:
        return InstantRequestScope(client_id=actor.user_id)
    return InstantRequestScope(client_id=actor.user_id, expert_id=actor.user_id, skills=tuple(actor_skills))


def is_self(viewer: Actor | None, user_id: UUID) -> bool:
    """What only the account's owner reads, admins included (their feed address, their unread count)."""
    return viewer is not None and viewer.user_id == user_id


def is_self_or_admin(viewer: Actor | None, user_id: UUID) -> bool:
    """Private details of an account (email, calendar feed) are shown to its owner and admins."""
    return viewer is not None and (viewer.is_admin or viewer.user_id == user_id)


def managed_user(actor: Actor, user_id: UUID | None, what: str) -> UUID:
    """Whose settings an action changes: the actor's own (no id), or anyone's for an admin."""
    target = user_id or actor.user_id
    if not is_self_or_admin(actor, target):
        raise NotAllowed(f"you may only manage your own {what}")
    return target


def default_owner(actor: Actor) -> UUID | None:
    """Whose records (payouts, webhook endpoints) a list shows when it names nobody: the viewer's
    own; an admin's, everyone's (None)."""
    return None if actor.is_admin else actor.user_id


def require_webhook_registrar(actor: Actor, is_expert: bool) -> None:
    """Admins register webhook endpoints (for every meeting), experts too (for their own)."""
    if not (actor.is_admin or is_expert):
        raise NotAllowed("only admins and experts register webhooks")


def require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise NotAllowed("only an admin may do this")
