"""The one-off commands work beside a server that is writing to the same SQLite file: every
connection waits its turn to write (transactions begin IMMEDIATE, with a busy timeout) instead
of failing with "database is locked"."""

import asyncio
import subprocess
import sys
from pathlib import Path

from app.services.users import ADMIN_EMAIL
from tests.api.test_job_durability import api_at, servers
from tests.support.factories import GRANT
from tests.support.server import ROOT, run_cli, server_env

ROUNDS = 2


def command(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )


async def test_seed_demo_and_tokens_beside_a_server_busy_writing(tmp_path: Path) -> None:
    env = server_env(tmp_path)
    admin_token = run_cli(env, "admin-token")
    with servers(env, 1) as [url]:
        async with api_at(url) as api:
            admin_id = (await api.query("{ viewer { id } }", token=admin_token))["viewer"]["id"]
            commands_done = asyncio.Event()

            async def keep_writing() -> int:
                writes = 0
                while not commands_done.is_set() and writes < 2000:
                    grant = {"input": {"userId": admin_id, "amount": 1, "memo": "busy"}}  # no data to seed over
                    await api.query(GRANT, grant, admin_token)
                    writes += 1
                return writes

            writer = asyncio.create_task(keep_writing())
            try:
                results: list[subprocess.CompletedProcess[str]] = []
                for _ in range(ROUNDS):
                    results += await asyncio.gather(
                        asyncio.to_thread(command, env, "seed-demo"),
                        asyncio.to_thread(command, env, "token", ADMIN_EMAIL),
                        asyncio.to_thread(command, env, "admin-token"),
                    )
            finally:
                commands_done.set()
                writes = await writer
    failed = [(r.args[3:], r.stderr[-500:]) for r in results if r.returncode != 0]
    assert failed == []
    assert writes > 0 and "Demo data loaded" in results[0].stdout
