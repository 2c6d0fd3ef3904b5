import subprocess
import sys
from pathlib import Path

from app.models import Meeting, Offer
from tests.support.server import ROOT, server_env
from tests.support.tables import orm_on


async def test_seed_demo_fills_an_empty_database_once(tmp_path: Path) -> None:
    env = server_env(tmp_path)

    def seed() -> str:
        done = subprocess.run(
            [sys.executable, "-m", "app", "seed-demo"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return done.stdout

    assert "Demo data loaded" in seed()
    async with orm_on(env["DATABASE_URL"]):
        statuses = sorted(str(s) for s in await Meeting.all().values_list("status", flat=True))
        assert statuses == ["AGREED", "AWAITING_APPROVAL", "AWAITING_APPROVAL", "AWAITING_APPROVAL"]
        purposes = sorted(str(p) for p in await Offer.filter(status="PENDING").values_list("purpose", flat=True))
        assert purposes == ["EXPERT_RESCHEDULE", "SESSION_REQUEST"]
        assert "already holds data" in seed()
        assert await Meeting.all().count() == 4
