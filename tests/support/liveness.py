"""A test server that has died fails the tests that need it at once, with the end of its log,
instead of each test waiting out a retry or a timeout of its own."""

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from pytest_postgresql.executors import PostgreSQLExecutor
from pytest_redis.executor import RedisExecutor

Probe = Callable[[], str | None]
"""Why a server cannot serve (its name and the end of its log), or None while it runs."""


def log_tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError as exc:
        return f"(no log at {path}: {exc.strerror})"
    return "\n".join(text.splitlines()[-lines:])


def require(*probes: Probe) -> None:
    for probe in probes:
        if (problem := probe()) is not None:
            pytest.fail(problem, pytrace=False)


def postgres_probe(server: PostgreSQLExecutor) -> Probe:
    """Reads the postmaster's pid file and signals it: no pg_ctl, no connection, no retry."""

    def probe() -> str | None:
        try:
            pid = int((Path(server.datadir) / "postmaster.pid").read_text().split()[0])
            os.kill(pid, 0)
        except (OSError, ValueError, IndexError):
            return _died(f"PostgreSQL on port {server.port}", Path(server.logfile))
        return None

    return probe


def redis_probe(server: RedisExecutor) -> Probe:
    def probe() -> str | None:
        if server.running():
            return None
        log = Path(server.unixsocket).parent / f"redis-server.{server.port}.log"
        return _died(f"Redis on port {server.port}", log)

    return probe


def process_probe(name: str, process: subprocess.Popen[bytes], log: Path) -> Probe:
    def probe() -> str | None:
        return None if process.poll() is None else _died(name, log)

    return probe


def _died(name: str, log: Path) -> str:
    return f"the tests' {name} is not running; the end of {log}:\n{log_tail(log)}"
