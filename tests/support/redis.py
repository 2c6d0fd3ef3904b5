"""Redis for the tests: one redis-server per test process, started by pytest-redis from the
installed binary (Debian's redis-server)."""

from pytest_redis import factories
from pytest_redis.executor import RedisExecutor

redis_server = factories.redis_proc(executable="/usr/bin/redis-server", port=(20000, 60000))  # a free one
"""The session's server (a fixture; conftest.py makes it visible to every test)."""
restartable_redis_server = factories.redis_proc(executable="/usr/bin/redis-server", port=(20000, 60000))
"""A server of its own for tests that stop and start it (the session's is in use by others)."""


def redis_url(server: RedisExecutor) -> str:
    return f"redis://{server.host}:{server.port}/0"
