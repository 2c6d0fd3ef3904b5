"""A real server process on 127.0.0.1, with its own database file."""

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import httpx

from tests.support.liveness import Probe, log_tail, require
from tests.support.migrations import migrated_sqlite
from tests.support.tables import Snapshot, quiet_snapshot

ROOT = Path(__file__).resolve().parents[2]
ALLOWED_ORIGIN = "http://localhost:5173"
"""A frontend's dev server, the one origin the test servers let browsers call from."""


class ServerClock:
    """Moves the servers' clock (see app.clock.FileClock); empty means real time."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def set(self, moment: datetime) -> None:
        self._write(moment.isoformat())

    def reset(self) -> None:
        self._write("")

    def _write(self, text: str) -> None:
        # Atomic: a server reading mid-write must never see a half-written clock.
        scratch = self.path.with_suffix(".tmp")
        scratch.write_text(text)
        os.replace(scratch, self.path)


@dataclass(frozen=True)
class RunningServer:
    base_url: str
    ws_url: str
    admin_token: str
    env: dict[str, str]
    probes: tuple[Probe, ...] = field(default=(), compare=False)
    """The server process and what it stands on (PostgreSQL, Redis): see `require_running`."""

    def require_running(self) -> None:
        """Fails the test at once, with the end of the log, if any of them has died."""
        require(*self.probes)

    @property
    def clock(self) -> ServerClock:
        return ServerClock(Path(self.env["TEST_CLOCK_FILE"]))

    async def snapshot(self) -> Snapshot:
        """Every stored row a refused request must leave alone, once timed jobs are quiet
        (through the ORM, which the `api` fixture binds to this server's database)."""
        return await quiet_snapshot(self.clock.path)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """A server's settings; unless `extra` names another database, a migrated SQLite file of its own."""
    if "DATABASE_URL" not in extra:
        extra["DATABASE_URL"] = migrated_sqlite(data_dir / "test.sqlite3")
    env = {
        **os.environ,
        "DATA_DIR": str(data_dir),
        "JWT_SECRET": "test-secret-not-for-production-0123456789",
        "EXPOSE_QUERY_COUNT": "true",
        "TESTING": "true",
        "TEST_CLOCK_FILE": str(data_dir / "clock.txt"),
        "JOB_POLL_INTERVAL_SECONDS": "0.05",
        "PAYOUT_CYCLE": "false",  # tests move the clock across Mondays; they pay out by request or run-payouts
        "TOKEN_CHECK_SECONDS": "0.2",
        "ALLOWED_ORIGINS": f'["{ALLOWED_ORIGIN}"]',
        **extra,
    }
    return env


def run_cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "app", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


def server_log(env: dict[str, str], port: int) -> Path:
    return Path(env["DATA_DIR"]) / f"server-{port}.log"


def assert_no_traceback(env: dict[str, str], port: int) -> None:
    """A client's mistake is a coded answer and at most one log line; a traceback is a bug to fix."""
    log = server_log(env, port).read_text(errors="replace")
    assert "Traceback" not in log, log[log.index("Traceback") - 2000 :][:6000]


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    [process] = start_servers(env, [port])
    return process


def start_servers(env: dict[str, str], ports: list[int]) -> list[subprocess.Popen[bytes]]:
    """Server processes on `ports`, started together, once each answers /healthz."""
    started: list[tuple[subprocess.Popen[bytes], int]] = []
    try:
        for port in ports:
            with open(server_log(env, port), "wb") as log:  # the child keeps its own descriptor
                process = subprocess.Popen(
                    [sys.executable, "-m", "app", "serve", "--port", str(port)],
                    env=env,
                    cwd=ROOT,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            started.append((process, port))
        for process, port in started:
            _wait_until_healthy(process, port, server_log(env, port))
    except BaseException:
        for process, _ in started:
            stop_server(process)
        raise
    return [process for process, _ in started]


def _wait_until_healthy(process: subprocess.Popen[bytes], port: int, log_path: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early; the end of {log_path}:\n{log_tail(log_path)}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError(f"server did not become healthy in 30 s; the end of {log_path}:\n{log_tail(log_path)}")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
