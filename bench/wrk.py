"""wrk against a POST endpoint, read back as figures; CPU of the serving process from /proc."""

import json
import os
import re
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


@dataclass(frozen=True)
class Load:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    cpu_ms_per_request: float


def _latency_ms(output: str, percentile: str) -> float:
    match = re.search(rf"^\s*{percentile}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    assert match, output
    return float(match.group(1)) * UNITS[match.group(2)]


def post_load(
    url: str, body: Mapping[str, object], headers: Mapping[str, str], pid: int, seconds: int, connections: int
) -> Load:
    """`seconds` of wrk (1 thread, `connections` connections) POSTing `body`."""
    script = "wrk.method = 'POST'\nwrk.body = " + json.dumps(json.dumps(body)) + "\n"
    for name, value in {"content-type": "application/json", **headers}.items():
        script += f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}\n"
    return _run(script, url, pid, seconds, connections)


def mixed_load(
    url: str, requests: Sequence[tuple[str, Mapping[str, str]]], pid: int, seconds: int, connections: int
) -> Load:
    """`seconds` of wrk POSTing each of `requests` (a body and its headers) in turn, from the first
    again after the last."""
    path = "/" + url.split("/", 3)[3] if url.count("/") >= 3 else "/"
    script = "local requests = {}\n"
    for body, headers in requests:
        fields = ", ".join(
            f"[{json.dumps(name)}] = {json.dumps(value)}"
            for name, value in {"content-type": "application/json", **headers}.items()
        )
        script += (
            f"requests[#requests + 1] = wrk.format('POST', {json.dumps(path)}, {{{fields}}}, {json.dumps(body)})\n"
        )
    script += "local i = 0\nrequest = function()\n  i = i % #requests + 1\n  return requests[i]\nend\n"
    return _run(script, url, pid, seconds, connections)


def _run(script: str, url: str, pid: int, seconds: int, connections: int) -> Load:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script)
    try:
        before = cpu_seconds(pid)
        done = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", lua.name, url],
            capture_output=True,
            text=True,
            timeout=seconds + 30,
            check=True,
        )
        cpu = cpu_seconds(pid) - before
    finally:
        os.unlink(lua.name)
    total = re.search(r"(\d+) requests in", done.stdout)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
    assert total and rate, done.stdout
    if "Non-2xx" in done.stdout:
        raise RuntimeError(f"wrk saw errors:\n{done.stdout}")
    return Load(
        requests_per_second=float(rate.group(1)),
        p50_ms=_latency_ms(done.stdout, "50"),
        p99_ms=_latency_ms(done.stdout, "99"),
        cpu_ms_per_request=1000 * cpu / max(1, int(total.group(1))),
    )
