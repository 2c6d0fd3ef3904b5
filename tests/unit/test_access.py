"""Who may see what and act for whom: actor × relation × action, one row each."""

from collections.abc import Callable
from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest

from app.domain import access, instant
from app.domain.errors import NotAllowed, NotFound, Refusal
from app.domain.meetings import MeetingMode
from app.domain.people import Actor, Parties, Side

CLIENT, EXPERT, STRANGER, ADMIN = uuid4(), uuid4(), uuid4(), uuid4()
MEETING = Parties(client_id=CLIENT, expert_id=EXPERT)
ACTORS = {
    "the client": Actor(CLIENT),
    "the expert": Actor(EXPERT),
    "a stranger": Actor(STRANGER),
    "an admin": Actor(ADMIN, is_admin=True),
}

Answer = object
"""What an action gives: a value, or the refusal it raises."""


def answer(action: Callable[[], object]) -> Answer:
    try:
        return action()
    except Refusal as refusal:
        return type(refusal)


MEETING_ACTIONS: dict[str, Callable[[Actor], object]] = {
    "sees the meeting": lambda actor: access.can_see_meeting(actor, MEETING),
    "has a side": lambda actor: access.side_of(actor, MEETING),
    "acts where an admin may act for the expert": lambda actor: access.acting_side(actor, MEETING, Side.EXPERT),
    "acts where only participants act": lambda actor: access.acting_side(actor, MEETING, None),
}
MEETING_TABLE = {
    # actor: answers in MEETING_ACTIONS' order
    "the client": (True, Side.CLIENT, Side.CLIENT, Side.CLIENT),
    "the expert": (True, Side.EXPERT, Side.EXPERT, Side.EXPERT),
    "a stranger": (False, None, NotFound, NotFound),
    "an admin": (True, None, Side.EXPERT, NotAllowed),
}


@pytest.mark.parametrize("actor_name", MEETING_TABLE)
@pytest.mark.parametrize("action_name", MEETING_ACTIONS)
def test_a_meeting_is_its_participants_and_admins_and_no_one_else(actor_name: str, action_name: str) -> None:
    expected = MEETING_TABLE[actor_name][list(MEETING_ACTIONS).index(action_name)]
    assert answer(lambda: MEETING_ACTIONS[action_name](ACTORS[actor_name])) == expected


def test_a_participant_who_is_also_an_admin_acts_for_their_own_side() -> None:
    assert access.acting_side(Actor(CLIENT, is_admin=True), MEETING, Side.EXPERT) is Side.CLIENT


ACCOUNT_ACTIONS: dict[str, Callable[[Actor, UUID | None], object]] = {
    "sees private details": lambda actor, owner: access.is_self_or_admin(actor, owner or actor.user_id),
    "manages the settings": lambda actor, owner: access.managed_user(actor, owner, "availability"),
}
ACCOUNT_TABLE: dict[tuple[str, str], tuple[Answer, Answer]] = {
    # (actor, whose account): answers in ACCOUNT_ACTIONS' order
    ("the expert", "own, by no id"): (True, EXPERT),
    ("the expert", "own, by id"): (True, EXPERT),
    ("the expert", "someone else's"): (False, NotAllowed),
    ("an admin", "own, by no id"): (True, ADMIN),
    ("an admin", "someone else's"): (True, CLIENT),
}
OWNERS: dict[str, Callable[[Actor], UUID | None]] = {
    "own, by no id": lambda actor: None,
    "own, by id": lambda actor: actor.user_id,
    "someone else's": lambda actor: CLIENT,
}


@pytest.mark.parametrize(("actor_name", "owner_name"), ACCOUNT_TABLE)
@pytest.mark.parametrize("action_name", ACCOUNT_ACTIONS)
def test_an_account_is_its_owners_and_admins(actor_name: str, owner_name: str, action_name: str) -> None:
    actor = ACTORS[actor_name]
    expected = ACCOUNT_TABLE[actor_name, owner_name][list(ACCOUNT_ACTIONS).index(action_name)]
    assert answer(lambda: ACCOUNT_ACTIONS[action_name](actor, OWNERS[owner_name](actor))) == expected


def test_no_one_signed_in_sees_no_private_details() -> None:
    assert access.is_self_or_admin(None, CLIENT) is False


@pytest.mark.parametrize(("actor_name", "expected"), [("an admin", None), ("the expert", NotAllowed)])
def test_only_an_admin_passes_the_admin_check(actor_name: str, expected: Answer) -> None:
    assert answer(lambda: access.require_admin(ACTORS[actor_name])) == expected


def test_a_room_opens_for_the_meetings_sides_and_admins_and_no_one_signed_out() -> None:
    opens = {name: access.can_enter_room(actor, MEETING) for name, actor in ACTORS.items()}
    assert opens == {"the client": True, "the expert": True, "a stranger": False, "an admin": True}
    assert access.can_enter_room(None, MEETING) is False


SCOPE_TABLE: dict[tuple[str, Side | None], access.MeetingScope] = {
    # (actor, side asked for): the meetings a list may show
    ("the client", None): access.MeetingScope(participant_id=CLIENT),
    ("the client", Side.CLIENT): access.MeetingScope(client_id=CLIENT),
    ("the expert", Side.EXPERT): access.MeetingScope(expert_id=EXPERT),
    ("a stranger", None): access.MeetingScope(participant_id=STRANGER),
    ("an admin", None): access.MeetingScope(),
    ("an admin", Side.CLIENT): access.MeetingScope(client_id=ADMIN),
}


@pytest.mark.parametrize(("actor_name", "side"), SCOPE_TABLE)
def test_a_list_of_meetings_shows_your_own_and_an_admin_every_one(actor_name: str, side: Side | None) -> None:
    assert access.meeting_scope(ACTORS[actor_name], side) == SCOPE_TABLE[actor_name, side]


def test_only_admins_hear_every_meetings_changes() -> None:
    assert {name: access.hears_every_meeting(actor) for name, actor in ACTORS.items()} == {
        "the client": False,
        "the expert": False,
        "a stranger": False,
        "an admin": True,
    }


def test_only_the_owner_reads_what_is_theirs_alone() -> None:
    assert access.is_self(ACTORS["the client"], CLIENT) is True
    assert access.is_self(ACTORS["an admin"], CLIENT) is False
    assert access.is_self(None, CLIENT) is False


TAKER, OFFERED, SKILLED, OTHER_EXPERT = uuid4(), uuid4(), uuid4(), uuid4()
REQUEST = instant.post(
    CLIENT,
    topic="Help",
    skill="python",
    description="",
    duration_minutes=30,
    max_price_credits=100,
    mode=MeetingMode.VIDEO,
    direct_expert_id=None,
    now=datetime(2030, 1, 1, tzinfo=UTC),
)
INSTANT_TABLE: dict[str, tuple[Actor, tuple[str, ...] | None, bool]] = {
    # who asks: (actor, their skills as an expert or None, sees the request)
    "its client": (Actor(CLIENT), None, True),
    "the expert who took it": (Actor(TAKER), ("go",), True),
    "an expert it was offered to": (Actor(OFFERED), ("go",), True),
    "an expert with the skill": (Actor(SKILLED), ("python",), True),
    "an expert without it": (Actor(OTHER_EXPERT), ("go",), False),
    "a client of no part in it": (Actor(STRANGER), None, False),
    "an admin": (Actor(ADMIN, is_admin=True), None, True),
}


@pytest.mark.parametrize("who", INSTANT_TABLE)
def test_an_instant_request_is_seen_by_its_client_the_experts_it_is_for_and_admins(who: str) -> None:
    actor, skills, sees = INSTANT_TABLE[who]
    assert (
        access.can_see_instant_request(actor, REQUEST, taken_by=TAKER, offered_to={OFFERED}, actor_skills=skills)
        is sees
    )


def test_a_list_of_instant_requests_is_your_own_and_for_an_expert_the_open_ones_they_may_take() -> None:
    assert access.instant_request_scope(Actor(CLIENT), None) == access.InstantRequestScope(client_id=CLIENT)
    assert access.instant_request_scope(Actor(EXPERT), ("python",)) == access.InstantRequestScope(
        client_id=EXPERT, expert_id=EXPERT, skills=("python",)
    )
    admin = access.instant_request_scope(ACTORS["an admin"], None)
    assert admin.everything and admin.client_id == ADMIN


CONVERSATION_ACTIONS: dict[str, Callable[[Actor], object]] = {
    "reads the conversation": lambda actor: access.can_read_conversation(actor, MEETING),
    "writes in it": lambda actor: access.require_conversation_writer(actor, MEETING),
}
CONVERSATION_TABLE = {
    # actor: answers in CONVERSATION_ACTIONS' order
    "the client": (True, None),
    "the expert": (True, None),
    "a stranger": (False, NotAllowed),  # the service answers NOT_FOUND first: a stranger cannot read it
    "an admin": (True, NotAllowed),  # reads for support, speaks for no one
}


@pytest.mark.parametrize("actor_name", CONVERSATION_TABLE)
@pytest.mark.parametrize("action_name", CONVERSATION_ACTIONS)
def test_a_conversation_is_read_by_its_participants_and_admins_and_written_by_its_participants(
    actor_name: str, action_name: str
) -> None:
    expected = CONVERSATION_TABLE[actor_name][list(CONVERSATION_ACTIONS).index(action_name)]
    assert answer(lambda: CONVERSATION_ACTIONS[action_name](ACTORS[actor_name])) == expected


def test_a_list_that_names_nobody_shows_the_viewers_own_and_to_admins_everyones() -> None:
    someone = Actor(uuid4())
    assert access.default_owner(someone) == someone.user_id
    assert access.default_owner(Actor(uuid4(), is_admin=True)) is None


def test_admins_and_experts_register_webhooks_clients_do_not() -> None:
    access.require_webhook_registrar(Actor(uuid4(), is_admin=True), is_expert=False)
    access.require_webhook_registrar(Actor(uuid4()), is_expert=True)
    with pytest.raises(NotAllowed, match="only admins and experts"):
        access.require_webhook_registrar(Actor(uuid4()), is_expert=False)
