"""Runs the Node checks in web/checks with the pinned packages of web/package-lock.json."""

import json
import subprocess
from pathlib import Path
from typing import Any

from tests.support.server import ROOT

WEB = ROOT / "web"
ARTIFACTS = ROOT / "test-artifacts"
"""What client tests keep for a person to look at (screenshots); not committed."""


def run_check(script: str, *args: str, timeout: float = 120) -> dict[str, Any]:
    """The check's JSON report; its output in the assertion message when it fails."""
    assert (WEB / "node_modules" / ".package-lock.json").is_file(), (
        "web/node_modules is missing: `make test` installs it (npm ci --prefix web)"
    )
    done = subprocess.run(
        ["node", str(WEB / "checks" / script), *args],
        cwd=WEB,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"{script} failed:\n{done.stdout[-6000:]}\n{done.stderr[-3000:]}"
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def artifact(name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name
