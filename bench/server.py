"""Runs a benchmark coroutine against a real server on 127.0.0.1 with a scratch database."""

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import httpx

from tests.support.server import ROOT, free_port, run_cli, server_env, start_server, stop_server


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


def run_with_server_process(measure: Callable[[str, int, str], Coroutine[Any, Any, None]], **env: str) -> None:
    """Calls `measure(base_url, server_pid, admin_token)` on the real clock, so that the
    server's CPU and memory can be read from /proc; `env` adds settings."""
    run_with_server_settings(lambda url, pid, token, _env: measure(url, pid, token), **env)


def run_with_server_settings(
    measure: Callable[[str, int, str, dict[str, str]], Coroutine[Any, Any, None]], **env: str
) -> None:
    """As run_with_server_process, and `measure` gets the server's environment too (its
    DATABASE_URL, to seed rows faster than the API can)."""
    with tempfile.TemporaryDirectory() as scratch:
        server = server_env(Path(scratch), **env)
        del server["TEST_CLOCK_FILE"]
        admin_token = run_cli(server, "admin-token")
        port = free_port()
        process = start_server(server, port)
        try:
            asyncio.run(measure(f"http://127.0.0.1:{port}", process.pid, admin_token, server))
        finally:
            stop_server(process)


def start_raw(app: str, **env: str) -> tuple[subprocess.Popen[bytes], str]:
    """A yardstick app (`module:attribute`) under uvicorn on 127.0.0.1, once its /healthz answers."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", app, "--port", str(port), "--log-level", "warning"],
        cwd=ROOT,
        env={**os.environ, **env},
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process, f"http://127.0.0.1:{port}"
        except httpx.TransportError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"{app} did not start")
