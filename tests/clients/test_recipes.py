"""Every client recipe the README gives, run as written against a live server: graphql-sse,
Apollo over HTTP (multipart subscriptions), urql with Graphcache, graphql-ws through a token's
expiry, Python's gql, and GraphQL Code Generator's types checked by `tsc --strict`."""

import asyncio
import importlib.util
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

from tests.support.factories import CONFIRM, Person, act, book, hours_from_now
from tests.support.graphql import Api
from tests.support.node import WEB, run_check
from tests.support.server import ROOT, RunningServer, ServerClock, run_cli

RECIPES = WEB / "recipes"


async def test_graphql_sse_apollo_over_http_and_urql_with_graphcache_read_problems_and_hear_a_change(
    api: Api, server: RunningServer, client: Person, expert: Person, service_id: str
) -> None:
    booked = await book(api, client, service_id, hours_from_now(60))

    report = run_check("client_recipes.mjs", server.base_url, client.token, expert.token, booked["id"])

    for problem in (report["apolloProblem"], report["urqlProblem"]):
        assert problem["__typename"] == "NotFound" and problem["code"] == "NOT_FOUND" and problem["message"]
    assert report["confirm"] == "Meeting"
    for recipe in ("sse", "apollo", "urql"):
        first, *_, last = report[recipe]
        assert (first["status"], last["status"]) == ("AWAITING_APPROVAL", "AGREED"), recipe
        assert first["id"] == last["id"] == booked["id"]


async def test_the_graphql_ws_recipe_reconnects_with_a_fresh_token_and_resubscribes_after_expiry(
    api: Api, server: RunningServer, clock: ServerClock, client: Person, expert: Person, service_id: str
) -> None:
    now = datetime.now(UTC)
    clock.set(now)
    booked = await book(api, client, service_id, hours_from_now(24 * 60))  # still open after the jump
    token_file = Path(server.env["DATA_DIR"]) / "fresh-token.txt"
    token_file.write_text(client.token)
    node = await asyncio.create_subprocess_exec(
        "node",
        str(WEB / "checks" / "live_token_refresh.mjs"),
        server.base_url,
        booked["id"],
        str(token_file),
        cwd=WEB,
        stdout=asyncio.subprocess.PIPE,
    )
    assert node.stdout is not None
    try:
        assert (await asyncio.wait_for(node.stdout.readline(), 20)).decode().strip() == "subscribed"
        clock.set(now + timedelta(days=31))  # the client's token has expired: the socket closes 4403
        token_file.write_text(run_cli(server.env, "token", client.email))  # what the app's refresh returns
        expert_now = run_cli(server.env, "token", expert.email)
        confirmed = await act(api, CONFIRM, Person(expert.id, expert_now, expert.email), meetingId=booked["id"])
        assert confirmed["status"] == "AGREED", confirmed
        output = (await asyncio.wait_for(node.stdout.read(), 30)).decode()
    finally:
        if node.returncode is None:
            node.kill()
        await node.wait()
    report = __import__("json").loads(output.strip().splitlines()[-1])
    # The script's report says how it ended (it sets `error` before exiting 1). Its exit code is not
    # asked: asyncio's child watcher once lost the race to reap it and reported 255 for a run whose
    # report was complete ("Unknown child process pid").
    assert "error" not in report, __import__("json").dumps(report)
    assert {"code": 4403, "reason": "token expired; reconnect with a fresh one"} in report["closes"]
    assert report["tokensAsked"] >= 2, "the recipe did not ask for a fresh token when it reconnected"
    statuses = [frame["status"] for frame in report["frames"]]
    assert statuses[0] == "AWAITING_APPROVAL" and statuses[-1] == "AGREED"


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def test_the_python_gql_recipe_lists_meetings_and_watches_one_change(
    api: Api, server: RunningServer, client: Person, expert: Person, service_id: str
) -> None:
    recipe = _load(ROOT / "docs" / "recipes" / "gql_client.py")
    booked = await book(api, client, service_id, hours_from_now(62))
    listed = await recipe.my_meetings(f"{server.base_url}/graphql", client.token)
    assert booked["id"] in [meeting["id"] for meeting in listed]
    frames = recipe.watch(server.ws_url, client.token, booked["id"])
    first = await asyncio.wait_for(anext(frames), 10)
    await act(api, CONFIRM, expert, meetingId=booked["id"])
    changed = await asyncio.wait_for(anext(frames), 10)
    await frames.aclose()
    assert (first["status"], changed["status"]) == ("AWAITING_APPROVAL", "AGREED")


def _node_tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=RECIPES, capture_output=True, text=True, timeout=180)


def test_codegen_types_make_tsc_strict_check_every_problem_a_mutation_can_return() -> None:
    generated = _node_tool(str(WEB / "node_modules/.bin/graphql-codegen"), "--config", "codegen.yml", "--silent")
    assert generated.returncode == 0, generated.stdout + generated.stderr
    checked = _node_tool(str(WEB / "node_modules/.bin/tsc"), "-p", "tsconfig.json")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # A switch that forgets one Problem no longer compiles.
    source = (RECIPES / "booking.ts").read_text()
    incomplete = RECIPES / "generated" / "incomplete.ts"
    incomplete.write_text(source.replace('    case "SlotTaken":\n', "").replace("./generated/", "./"))
    config = (RECIPES / "tsconfig.json").read_text().replace('"booking.ts"', '"incomplete.ts"')
    (RECIPES / "generated" / "tsconfig.json").write_text(config)
    refused = _node_tool(str(WEB / "node_modules/.bin/tsc"), "-p", "generated/tsconfig.json")
    assert refused.returncode != 0 and "never" in refused.stdout, refused.stdout
