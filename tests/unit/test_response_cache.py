"""The response cache's bookkeeping, its policy of what may be kept, and the statements it reads
tables from."""

import asyncio
from datetime import UTC, datetime, timedelta

from graphql import GraphQLSchema, GraphQLType, get_named_type, parse

from app.api import build_schema
from app.schema.cache_policy import DEPENDS_ON_VIEWER, SAME_FOR_EVERYONE, same_for_everyone
from app.services.response_cache import DIRECTORY, CachedAnswer, ResponseCache, expert_tag
from app.services.unit_of_work import written_table
from app.settings import Settings

NOW = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
MAYA, RAJ = expert_tag("maya"), expert_tag("raj")


def answer(
    cache: ResponseCache, *tags: str, as_of: int | None = None, changes_at: datetime | None = None
) -> CachedAnswer:
    sequence = cache.sequence if as_of is None else as_of
    return CachedAnswer(b"{}", "application/json", frozenset(tags), sequence, NOW, changes_at, cache.expires())


def test_a_change_ends_the_answers_that_read_it_and_the_directory() -> None:
    cache = ResponseCache(10, timedelta(seconds=30))
    cache.put("maya", answer(cache, MAYA))
    cache.put("raj", answer(cache, RAJ))
    cache.put("list", answer(cache, DIRECTORY))
    cache.invalidate([MAYA])
    assert cache.get("maya", NOW) is None and cache.get("list", NOW) is None
    assert cache.get("raj", NOW) is not None


def test_an_answer_computed_while_a_write_committed_is_never_kept() -> None:
    cache = ResponseCache(10, timedelta(seconds=30))
    started = cache.sequence
    cache.invalidate([MAYA])  # committed during the computation
    cache.put("maya", answer(cache, MAYA, as_of=started))
    assert cache.get("maya", NOW) is None and len(cache) == 0
    cache.put("raj", answer(cache, RAJ, as_of=started))  # another expert's answer is unaffected
    assert cache.get("raj", NOW) is not None


def test_an_answer_ends_at_its_change_instant_when_the_clock_goes_back_and_after_max_age() -> None:
    cache = ResponseCache(10, timedelta(seconds=30))
    cache.put("slots", answer(cache, MAYA, changes_at=NOW + timedelta(minutes=5)))
    assert cache.get("slots", NOW + timedelta(minutes=4)) is not None
    assert cache.get("slots", NOW + timedelta(minutes=5)) is None
    cache.put("slots", answer(cache, MAYA))
    assert cache.get("slots", NOW - timedelta(seconds=1)) is None
    aged = ResponseCache(10, timedelta(0))
    aged.put("slots", answer(aged, MAYA))
    assert aged.get("slots", NOW) is None


def test_clearing_ends_everything_and_the_oldest_entries_go_first() -> None:
    cache = ResponseCache(2, timedelta(seconds=30))
    for key in ("a", "b", "c"):
        cache.put(key, answer(cache, MAYA))
    assert cache.get("a", NOW) is None and cache.get("c", NOW) is not None
    started = cache.sequence
    cache.clear()
    cache.put("d", answer(cache, RAJ, as_of=started))
    assert len(cache) == 0


async def test_concurrent_misses_wait_for_the_first() -> None:
    cache = ResponseCache(10, timedelta(seconds=30))
    assert await cache.wait_for_computation("k") is False
    waiting = asyncio.create_task(cache.wait_for_computation("k"))
    await asyncio.sleep(0)
    assert not waiting.done()
    cache.computed("k")
    assert await waiting is True
    assert await cache.wait_for_computation("k") is False  # the next one computes again


def _schema() -> GraphQLSchema:
    return build_schema(Settings())._schema


def test_every_field_the_cached_roots_reach_is_classified() -> None:
    """A new field on Expert, Service, Slot… must be judged the same for everyone, or not."""
    schema = _schema()
    reached: set[str] = set()
    seen: set[str] = set()

    def walk(type_: GraphQLType) -> None:
        named = get_named_type(type_)
        for member in getattr(named, "types", ()):
            walk(member)
        if named.name in seen or not hasattr(named, "fields"):
            return
        seen.add(named.name)
        for name, field in named.fields.items():
            reached.add(f"{named.name}.{name}")
            walk(field.type)

    for root in ("experts", "expert", "availableSlots"):
        reached.add(f"Query.{root}")
        walk(schema.query_type.fields[root].type)  # type: ignore[union-attr]
    assert reached == SAME_FOR_EVERYONE | DEPENDS_ON_VIEWER


def test_only_queries_of_fields_the_same_for_everyone_may_be_kept() -> None:
    schema = _schema()

    def kept(document: str) -> bool:
        return same_for_everyone(schema, parse(document))

    assert kept("query { experts(first: 5) { edges { node { __typename name services { title expert { id } } } } } }")
    assert kept('query { expert(id: "x") { ...E } } fragment E on Expert { headline policy { joinWindowMinutes } }')
    assert not kept('query { expert(id: "x") { name viewerProgramme } }')
    assert not kept('query { expert(id: "x") { ...E } } fragment E on Expert { viewerProgramme }')
    assert not kept('query { expert(id: "x") { name } viewer { name } }')
    assert not kept("query { __schema { types { name } } }")
    assert not kept("mutation { updateExpertPolicy(input: {joinWindowMinutes: 5}) { __typename } }")


def test_the_table_a_statement_writes() -> None:
    assert written_table('INSERT INTO "meeting" ("id") VALUES (?)') == "meeting"
    assert written_table('UPDATE "expert_profile" SET "headline"=? WHERE "user_id"=?') == "expert_profile"
    assert written_table('DELETE FROM "busy_block" WHERE "expert_id"=?') == "busy_block"
    assert written_table("update service set title = 'x'") == "service"
    assert written_table('SELECT "id" FROM "meeting"') is None
