"""Every write to public data names what it changed, or fails under test: the guard the
response cache's correctness rests on (services/unit_of_work.py)."""

import pytest

from app.models import Service
from app.services.response_cache import CachedAnswer, expert_tag
from app.services.runtime import Runtime
from app.services.unit_of_work import UndeclaredChange, unit_of_work
from tests.integration.conftest import Cast


def kept_about(runtime: Runtime, expert_id: object) -> CachedAnswer:
    cache = runtime.response_cache
    now = runtime.clock.now()
    answer = CachedAnswer(
        b"{}", "application/json", frozenset({expert_tag(str(expert_id))}), cache.sequence, now, None, cache.expires()
    )
    cache.put("slots", answer)
    assert cache.get("slots", now) is answer
    return answer


async def test_a_write_outside_a_unit_of_work_is_refused(runtime: Runtime, cast: Cast) -> None:
    with pytest.raises(UndeclaredChange, match="service written outside a unit of work"):
        await Service.filter(id=cast.service_id).update(title="Renamed")
    assert (await Service.get(id=cast.service_id)).title == "Coaching"


async def test_a_unit_of_work_that_names_nothing_is_refused_and_rolled_back(runtime: Runtime, cast: Cast) -> None:
    kept_about(runtime, cast.expert.user_id)
    with pytest.raises(UndeclaredChange, match=r"wrote \['service'\] without naming"):
        async with unit_of_work(runtime):
            await Service.filter(id=cast.service_id).update(title="Renamed")
    assert (await Service.get(id=cast.service_id)).title == "Coaching"
    assert runtime.response_cache.get("slots", runtime.clock.now()) is not None


async def test_a_named_change_ends_what_was_kept_about_that_expert_after_it_commits(
    runtime: Runtime, cast: Cast
) -> None:
    kept_about(runtime, cast.expert.user_id)
    async with unit_of_work(runtime) as uow:
        uow.changed_expert(cast.expert.user_id)
        await Service.filter(id=cast.service_id).update(title="Renamed")
        assert runtime.response_cache.get("slots", runtime.clock.now()) is not None  # not before the commit
    assert runtime.response_cache.get("slots", runtime.clock.now()) is None
