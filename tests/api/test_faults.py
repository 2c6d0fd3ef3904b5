"""A server fault: the caller gets a code and a request id, the log the traceback under that id."""

import json
import logging
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from app.logs import JsonFormatter
from app.main import create_app
from app.request_ids import RequestIdFilter
from app.services import meeting_queries
from app.settings import Settings
from tests.support.server import run_cli, server_env

LIST = "query Mine { meetings(first: 5) { edges { cursor } } }"


def boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError("the disk is on fire at /var/secret.db")


def test_a_fault_is_masked_coded_and_found_in_the_log_by_its_request_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    env = server_env(tmp_path)
    token = run_cli(env, "admin-token")
    settings = Settings(
        data_dir=tmp_path, database_url=env["DATABASE_URL"], jwt_secret=env["JWT_SECRET"], run_jobs=False
    )
    monkeypatch.setattr(meeting_queries, "list_meetings", boom)
    caplog.handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.INFO, logger="app"), TestClient(create_app(settings)) as http:
        response = http.post("/graphql", json={"query": LIST}, headers={"Authorization": f"Bearer {token}"})
    error = response.json()["errors"][0]
    request_id = response.headers["x-request-id"]
    assert error["message"] == "Unexpected error."
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
    assert "fire" not in response.text and "secret" not in response.text
    faults = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert len(faults) == 1
    assert faults[0].exc_info is not None and "disk is on fire" in str(faults[0].exc_info[1])
    assert vars(faults[0])["request_id"] == request_id and "Mine" in faults[0].getMessage()


def test_json_logs_are_one_object_per_line_with_the_traceback_inside() -> None:
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        record = logging.LogRecord(
            "app.graphql", logging.ERROR, __file__, 1, "fault in %s", ("Mine",), (type(exc), exc, exc.__traceback__)
        )
    record.request_id = "abc123"
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "fault in Mine" and entry["requestId"] == "abc123" and entry["level"] == "ERROR"
    assert "RuntimeError: boom" in entry["traceback"]
