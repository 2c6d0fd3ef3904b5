"""Files in messages over real HTTP: upload, attach, download through a signed link, and every
hostile case (a type the bytes deny, an executable, markup, size, names with paths, someone
else's upload, too many, an outsider, a forged or stale link), each changing nothing."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from tests.support.factories import Person, act
from tests.support.graphql import Api
from tests.support.server import RunningServer, ServerClock

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
SEND = """mutation Send($input: SendMessageInput!) {
  sendMessage(input: $input) {
    __typename
    ... on Message { id conversationId body attachments { id filename contentType size url } }
    ... on Problem { code message }
  }
}"""
DELETE = """mutation Delete($input: DeleteMessageInput!) {
  deleteMessage(input: $input) { __typename ... on Message { attachments { id } } }
}"""
THREAD = """query Thread($id: ID!) { conversation(id: $id) { __typename
  ... on Conversation { messages(first: 5) { edges { node { attachments { filename url } } } } } } }"""


async def upload(
    api: Api, person: Person | None, data: bytes, content_type: str, filename: str = "file.bin"
) -> httpx.Response:
    headers = {"Content-Type": content_type}
    if person is not None:
        headers["Authorization"] = f"Bearer {person.token}"
    return await api.http.post("/attachments", params={"filename": filename}, content=data, headers=headers)


async def uploaded(api: Api, person: Person, data: bytes, content_type: str, filename: str) -> dict[str, Any]:
    response = await upload(api, person, data, content_type, filename)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def stored_files(server: RunningServer) -> set[str]:
    root = Path(server.env["DATA_DIR"]) / "attachments"
    return {path.name for path in root.rglob("*") if path.is_file()} if root.exists() else set()


async def test_a_file_goes_with_a_message_and_its_reader_downloads_it_as_a_file_the_browser_will_not_run(
    api: Api, server: RunningServer, client: Person, expert: Person
) -> None:
    image = await uploaded(api, client, PNG, "image/png", "../../etc/Screen shot\x07.png")
    assert (image["contentType"], image["size"], image["filename"]) == ("image/png", len(PNG), "Screen shot.png")
    assert image["id"].replace("-", "") in stored_files(server)
    sent = await act(api, SEND, client, body="", expertId=expert.id, attachmentIds=[image["id"]])
    [file] = sent["attachments"]
    thread = (await api.query(THREAD, {"id": sent["conversationId"]}, expert.token))["conversation"]
    url = thread["messages"]["edges"][0]["node"]["attachments"][0]["url"]
    assert url.startswith(f"{server.base_url}/attachments/{file['id']}/Screen%20shot.png?expires=")
    downloaded = await api.http.get(url)
    assert downloaded.status_code == 200 and downloaded.content == PNG
    assert downloaded.headers["content-type"] == "image/png"
    assert downloaded.headers["content-disposition"] == "attachment; filename*=UTF-8''Screen%20shot.png"
    assert downloaded.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in downloaded.headers["content-security-policy"]


async def test_a_forged_or_stale_link_finds_nothing(
    api: Api, clock: ServerClock, client: Person, expert: Person
) -> None:
    now = datetime.now(UTC)
    clock.set(now)
    document = await uploaded(api, client, PDF, "application/pdf", "cv.pdf")
    sent = await act(api, SEND, client, body="My CV", expertId=expert.id, attachmentIds=[document["id"]])
    url = sent["attachments"][0]["url"]
    forged = url[:-4] + ("0000" if not url.endswith("0000") else "1111")
    for link in (forged, url.replace("expires=", "expires=9"), f"{url.split('?')[0]}"):
        response = await api.http.get(link)
        assert response.status_code == 404 and response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    clock.set(now + timedelta(hours=1, seconds=5))
    assert (await api.http.get(url)).status_code == 404
    clock.set(now)
    assert (await api.http.get(url)).content == PDF


async def test_a_file_that_is_not_what_it_claims_or_not_allowed_is_refused_and_nothing_is_stored(
    api: Api, server: RunningServer, client: Person
) -> None:
    before, files = await server.snapshot(), stored_files(server)
    cases = [
        (client, PNG, "application/pdf", 400, "bytes are image/png"),
        (client, b"MZ\x90\x00\x03" + bytes(60), "application/octet-stream", 400, "images"),
        (client, b"\x7fELF\x02\x01\x01" + bytes(40), "image/png", 400, "images"),
        (client, b"<html><script>alert(1)</script></html>", "text/plain", 400, "images"),
        (client, b"#!/bin/sh\nrm -rf /\n", "text/plain", 400, "images"),
        (client, b"", "text/plain", 400, "empty"),
        (client, b"x" * (10 * 1024 * 1024 + 1), "text/plain", 413, "at most 10 MB"),
        (None, PNG, "image/png", 401, "sign in"),
    ]
    for person, data, content_type, status, says in cases:
        response = await upload(api, person, data, content_type)
        assert response.status_code == status, (says, response.text)
        assert says in response.json()["errors"][0]["message"]
    assert stored_files(server) == files
    assert await server.snapshot() == before


async def test_a_message_names_only_its_senders_unsent_uploads_and_at_most_five(
    api: Api, server: RunningServer, client: Person, expert: Person, outsider: Person
) -> None:
    mine = [await uploaded(api, client, b"notes %d\n" % n, "text/plain", f"n{n}.txt") for n in range(6)]
    theirs = await uploaded(api, outsider, b"not yours\n", "text/plain", "x.txt")
    before = await server.snapshot()
    refused = [
        await act(api, SEND, client, body="six", expertId=expert.id, attachmentIds=[f["id"] for f in mine]),
        await act(api, SEND, client, body="theirs", expertId=expert.id, attachmentIds=[theirs["id"]]),
        await act(api, SEND, client, body="none", expertId=expert.id, attachmentIds=["not-an-id"]),
    ]
    assert [answer["code"] for answer in refused] == ["LIMIT_EXCEEDED", "INVALID_INPUT", "NOT_FOUND"]
    assert await server.snapshot() == before
    sent = await act(api, SEND, client, body="five", expertId=expert.id, attachmentIds=[f["id"] for f in mine[:5]])
    assert [f["filename"] for f in sent["attachments"]] == [f"n{n}.txt" for n in range(5)]
    again = await act(api, SEND, client, body="again", expertId=expert.id, attachmentIds=[mine[0]["id"]])
    assert again["code"] == "INVALID_INPUT" and "already in a message" in again["message"]


async def test_deleting_a_message_removes_its_files(
    api: Api, server: RunningServer, client: Person, expert: Person
) -> None:
    image = await uploaded(api, client, PNG, "image/png", "a.png")
    sent = await act(api, SEND, client, body="look", expertId=expert.id, attachmentIds=[image["id"]])
    url = sent["attachments"][0]["url"]
    deleted = await act(api, DELETE, client, messageId=sent["id"])
    assert deleted["attachments"] == []
    assert image["id"].replace("-", "") not in stored_files(server)
    assert (await api.http.get(url)).status_code == 404


async def test_unsent_uploads_are_bounded_and_removed_after_a_day(
    api: Api, server: RunningServer, clock: ServerClock, client: Person
) -> None:
    now = datetime.now(UTC)
    clock.set(now)
    waiting = [await uploaded(api, client, b"draft %d\n" % n, "text/plain", f"d{n}.txt") for n in range(20)]
    refused = await upload(api, client, b"one more\n", "text/plain")
    assert refused.status_code == 429 and "waiting to be sent" in refused.json()["errors"][0]["message"]
    assert refused.json()["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
    clock.set(now + timedelta(days=1, seconds=1))
    await uploaded(api, client, b"a day later\n", "text/plain", "new.txt")
    assert not {f["id"].replace("-", "") for f in waiting} & stored_files(server)
