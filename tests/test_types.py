import subprocess
import sys

from tests.support.server import ROOT


def test_mypy_strict_is_clean_on_app_tests_and_bench() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout[-4000:]
