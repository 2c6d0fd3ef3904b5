"""A setting this build cannot honour stops the server at start-up, with a clear message."""

import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from app.settings import Settings
from tests.support.server import (
    ALLOWED_ORIGIN,
    ROOT,
    RunningServer,
    free_port,
    server_env,
    server_log,
    start_server,
    stop_server,
)


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DATABASE_URL", "mysql://127.0.0.1/booking", "DATABASE_URL must start with sqlite:// or postgres://"),
        ("REDIS_URL", "http://127.0.0.1:6379/0", "REDIS_URL must start with redis:// or rediss://"),
        ("SMTP_URL", "http://127.0.0.1:25", "SMTP_URL must start with smtp:// or smtps://"),
        ("ALLOWED_ORIGINS", "localhost:5173", "ALLOWED_ORIGINS: 'localhost:5173' is not an origin"),
        ("ALLOWED_ORIGINS", '["http://a.example"', "or give origins separated by commas"),
        ("JITSI_URL", "ftp://meet.example.org", "JITSI_URL must be an http(s) address"),
        ("JITSI_APP_ID", "consult", "JITSI_APP_ID and JITSI_APP_SECRET go together"),
    ],
)
def test_an_unsupported_setting_refuses_to_start(tmp_path: Path, variable: str, value: str, message: str) -> None:
    env = server_env(tmp_path, **{variable: value})
    done = subprocess.run(
        [sys.executable, "-m", "app", "serve", "--port", str(free_port())],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr


def test_a_second_server_on_one_sqlite_file_refuses_to_start(tmp_path: Path) -> None:
    env = server_env(tmp_path)
    first = start_server(env, free_port())
    try:
        second = subprocess.run(
            [sys.executable, "-m", "app", "serve", "--port", str(free_port())],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=30,
        )
    finally:
        stop_server(first)
    assert second.returncode == 2
    assert "SQLite is for one" in second.stderr and "Traceback" not in second.stderr
    restarted = start_server(env, free_port())  # the lock went with the first process
    stop_server(restarted)


@pytest.mark.parametrize(
    ("value", "origins"),
    [
        ("http://localhost:5173", ("http://localhost:5173",)),
        ("http://localhost:5173, https://app.example/", ("http://localhost:5173", "https://app.example")),
        ('["http://a.example", "http://b.example"]', ("http://a.example", "http://b.example")),
    ],
)
def test_allowed_origins_are_a_json_list_or_separated_by_commas(
    monkeypatch: pytest.MonkeyPatch, value: str, origins: tuple[str, ...]
) -> None:
    monkeypatch.setenv("ALLOWED_ORIGINS", value)
    assert Settings().allowed_origins == origins


def test_the_origins_in_effect_are_printed_at_start_up(server: RunningServer) -> None:
    port = int(server.base_url.rsplit(":", 1)[1])
    log = server_log(server.env, port).read_text()
    assert f"browser origins allowed: {ALLOWED_ORIGIN}" in log
    assert f"open GraphiQL {server.base_url}/graphql · dashboard {server.base_url}/dashboard" in log


def test_graphiql_demo_sign_in_is_refused_in_production() -> None:
    """It hands the demo people's tokens to whoever opens GraphiQL."""
    with pytest.raises(ValidationError, match="GRAPHIQL_DEMO_SIGN_IN is refused in production"):
        Settings(graphiql_demo_sign_in=True, environment="production")
    assert Settings(graphiql_demo_sign_in=True).graphiql_demo_sign_in
