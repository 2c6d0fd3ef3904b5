"""Runs a benchmark coroutine against a real server on 127.0.0.1 with a scratch database."""

import asyncio
import tempfile
from collections.abc import Callable, Coroutine
from typing import Any
from pathlib import Path

from tests.support.server import free_port, run_cli, server_env, start_server, stop_server


def run_against_server(measure: Callable[[str, str], Coroutine[Any, Any, None]]) -> None:
    """Calls `measure(base_url, admin_token)` while the server runs."""
    with tempfile.TemporaryDirectory() as scratch:
        env = server_env(Path(scratch))
        admin_token = run_cli(env, "admin-token")
        port = free_port()
        process = start_server(env, port)
        try:
            asyncio.run(measure(f"http://127.0.0.1:{port}", admin_token))
        finally:
            stop_server(process)
