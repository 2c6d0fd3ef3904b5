"""py-spy over a running server while a load runs; prints where the time went."""

import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
PROFILE_LINES = 30


def profiled(pid: int, seconds: float, load: Callable[[], T], title: str, interesting: Iterable[str]) -> T:
    """Runs `load` while py-spy samples `pid` for `seconds`, then prints the functions with the most
    own time, and the inclusive time of the app's functions and of the `interesting` entry points."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "profile.txt"
        spy = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "py-spy"),
                "record",
                "-p",
                str(pid),
                "-d",
                str(int(seconds)),
                "-r",
                "200",
                "-f",
                "raw",
                "-o",
                str(out),
                "--nonblocking",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        time.sleep(0.5)
        result = load()
        _, errors = spy.communicate(timeout=120)
        if not out.exists():
            raise RuntimeError(f"py-spy wrote no profile: {errors.decode()[-500:]}")
        _print_profile(out.read_text(), title, tuple(interesting))
    return result


def _print_profile(raw: str, title: str, interesting: tuple[str, ...]) -> None:
    own: dict[str, int] = {}
    inclusive: dict[str, int] = {}
    total = 0
    for line in raw.splitlines():
        stack, _, samples = line.rpartition(" ")
        frames = stack.split(";")
        own[frames[-1]] = own.get(frames[-1], 0) + int(samples)
        for frame in set(frames):
            inclusive[frame] = inclusive.get(frame, 0) + int(samples)
        total += int(samples)
    # Inclusive time of the app's own functions and of the libraries' entry points, below the
    # frames everything passes through (the server loop and the middleware).
    ours = {
        frame: count
        for frame, count in inclusive.items()
        if count < 0.4 * total and ("app/" in frame or any(marker in frame for marker in interesting))
    }
    for kind, counts in (("own", own), ("inclusive (app and entry points)", ours)):
        print(f"\nprofile of {title}: top {kind} time ({total} samples)")
        for frame, count in sorted(counts.items(), key=lambda item: -item[1])[:PROFILE_LINES]:
            print(f"  {100 * count / total:5.1f}%  {frame[:140]}")
