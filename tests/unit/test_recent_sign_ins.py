from uuid import uuid4

from app.domain.people import Actor
from app.services.recent_sign_ins import RecentSignIns


def test_a_user_is_remembered_for_its_seconds_only() -> None:
    actor = Actor(uuid4(), is_admin=True)
    remembering = RecentSignIns(60)
    remembering.put(actor)
    assert remembering.get(actor.user_id) == actor
    assert remembering.get(uuid4()) is None
    forgetting = RecentSignIns(0)
    forgetting.put(actor)
    assert forgetting.get(actor.user_id) is None
    expired = RecentSignIns(1e-9)
    expired.put(actor)
    assert expired.get(actor.user_id) is None
