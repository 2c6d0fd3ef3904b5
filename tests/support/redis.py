"""Redis for the tests: one redis-server per test process, started by pytest-redis from the
installed binary (Debian's redis-server)."""

import atexit
import shutil
import tempfile

from pytest_redis import factories
from pytest_redis.executor import RedisExecutor

_FOLDER = tempfile.mkdtemp(prefix="redis-")
"""This test process's servers' files. Not under the run's temp folder: a unix socket's path
must stay under 108 bytes, and a checkout's path can be long."""
atexit.register(shutil.rmtree, _FOLDER, ignore_errors=True)

redis_server = factories.redis_proc(executable="/usr/bin/redis-server", port=(20000, 60000), datadir=_FOLDER)
"""The session's server (a fixture; conftest.py makes it visible to every test)."""
restartable_redis_server = factories.redis_proc(
    executable="/usr/bin/redis-server", port=(20000, 60000), datadir=_FOLDER
)
"""A server of its own for tests that stop and start it (the session's is in use by others)."""


def redis_url(server: RedisExecutor) -> str:
    return f"redis://{server.host}:{server.port}/0"
