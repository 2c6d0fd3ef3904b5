"""Twenty clients book one expert's one slot at the same moment, each in its own transaction:
one wins, nineteen are told SLOT_TAKEN, and only the winner's credits are blocked. On SQLite
writers take turns; on PostgreSQL they run at once and the guard's lock (migration 0012)
makes the second wait for the first."""

import asyncio
from datetime import timedelta

from app.domain.booking import Choice
from app.domain.errors import SlotTaken
from app.domain.ledger import LedgerKind
from app.domain.meetings import MeetingMode
from app.models import LedgerEntry, Meeting
from app.services import booking
from app.services.runtime import Runtime
from tests.integration.conftest import T0, Cast, make_actor
from tests.support.tables import ledger_of

CLIENTS = 20


async def test_concurrent_bookings_of_one_slot_have_one_winner(runtime: Runtime, cast: Cast) -> None:
    clients = [await make_actor(runtime, cast.admin, credits=100) for _ in range(CLIENTS)]
    slot = Choice(T0 + timedelta(days=3), 60, MeetingMode.VIDEO)

    outcomes = await asyncio.gather(
        *(booking.book_meeting(runtime, client, cast.service_id, slot) for client in clients),
        return_exceptions=True,
    )

    winners = [outcome for outcome in outcomes if isinstance(outcome, Meeting)]
    assert len(winners) == 1
    assert all(isinstance(outcome, SlotTaken) for outcome in outcomes if outcome is not winners[0])
    assert await Meeting.filter(expert_id=cast.expert.user_id).count() == 1
    assert (await Meeting.get(expert_id=cast.expert.user_id)).client_id == winners[0].client_id
    assert [kind for kind, _ in await ledger_of(str(winners[0].id))] == ["BLOCK"]
    # The others' credits are untouched: their only entries are the grants they started with.
    losers = [client.user_id for client in clients if client.user_id != winners[0].client_id]
    assert await LedgerEntry.filter(user_id__in=losers).exclude(kind=LedgerKind.GRANT).count() == 0
