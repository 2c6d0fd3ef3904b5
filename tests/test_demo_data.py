import subprocess
import sys
from pathlib import Path

from tests.support.database import rows
from tests.support.server import ROOT, server_env


def test_seed_demo_fills_an_empty_database_once(tmp_path: Path) -> None:
    env = server_env(tmp_path)

    def seed() -> str:
        done = subprocess.run(
            [sys.executable, "-m", "app", "seed-demo"],
            env=env, cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
        )
        return done.stdout

    assert "Demo data loaded" in seed()
    database = tmp_path / "test.sqlite3"
    statuses = sorted(status for (status,) in rows(database, "SELECT status FROM meeting"))
    assert statuses == ["AGREED", "AWAITING_APPROVAL", "AWAITING_APPROVAL"]
    assert "already holds data" in seed()
    assert len(rows(database, "SELECT id FROM meeting")) == 3
