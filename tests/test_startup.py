"""A setting this build cannot honour stops the server at start-up, with a clear message."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.server import ROOT, free_port, server_env


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DATABASE_URL", "mysql://127.0.0.1/booking", "DATABASE_URL must start with sqlite:// or postgres://"),
        ("REDIS_URL", "http://127.0.0.1:6379/0", "REDIS_URL must start with redis:// or rediss://"),
        ("SMTP_URL", "http://127.0.0.1:25", "SMTP_URL must start with smtp:// or smtps://"),
    ],
)
def test_an_unsupported_setting_refuses_to_start(tmp_path: Path, variable: str, value: str, message: str) -> None:
    env = server_env(tmp_path, **{variable: value})
    done = subprocess.run(
        [sys.executable, "-m", "app", "serve", "--port", str(free_port())],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=30,
    )
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
