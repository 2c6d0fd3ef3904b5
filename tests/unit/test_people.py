"""The two sides of a meeting."""

from uuid import uuid4

from app.domain.people import Parties, Side


def test_each_side_has_the_other() -> None:
    assert (Side.CLIENT.other, Side.EXPERT.other) == (Side.EXPERT, Side.CLIENT)


def test_the_parties_name_each_sides_person() -> None:
    client, expert = uuid4(), uuid4()
    parties = Parties(client_id=client, expert_id=expert)
    assert (parties.id_of(Side.CLIENT), parties.id_of(Side.EXPERT)) == (client, expert)
