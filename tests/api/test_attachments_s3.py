"""Attachments in an S3-compatible store: moto's S3 server on loopback, started by the test, as
a real endpoint the server talks to over HTTP (no mock inside the server)."""

from collections.abc import AsyncIterator, Iterator
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from tests.api.test_attachments import DELETE, PNG, SEND, stored_files, uploaded
from tests.conftest import api_on, running_server
from tests.support.factories import act, make_person
from tests.support.graphql import Api
from tests.support.server import RunningServer, free_port

BUCKET = "attachments"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


@pytest.fixture(scope="module")
def s3_url() -> Iterator[str]:
    port = free_port()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    moto.start()
    url = f"http://127.0.0.1:{port}"
    bucket_of(url).create_bucket(Bucket=BUCKET)
    yield url
    moto.stop()


def bucket_of(url: str) -> Any:
    return boto3.client("s3", endpoint_url=url, region_name="us-east-1", **_keys())


def _keys() -> dict[str, str]:
    return {
        "aws_access_key_id": CREDENTIALS["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    }


def objects(url: str) -> set[str]:
    return {item["Key"] for item in bucket_of(url).list_objects_v2(Bucket=BUCKET).get("Contents", [])}


@pytest.fixture(scope="module")
def s3_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, s3_url: str
) -> Iterator[RunningServer]:
    with running_server(
        request,
        tmp_path_factory,
        "sqlite",
        ATTACHMENTS_BUCKET=BUCKET,
        S3_ENDPOINT_URL=s3_url,
        AWS_ACCESS_KEY_ID=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        AWS_SECRET_ACCESS_KEY=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    ) as server:
        yield server


@pytest.fixture
async def s3_api(s3_server: RunningServer) -> AsyncIterator[Api]:
    async with api_on(s3_server) as api:
        yield api


async def test_attachments_live_in_the_bucket_and_leave_it_with_their_message(
    s3_api: Api, s3_server: RunningServer, s3_url: str
) -> None:
    client = await make_person(s3_api, s3_server.admin_token)
    expert = await make_person(s3_api, s3_server.admin_token, expert=True)
    image = await uploaded(s3_api, client, PNG, "image/png", "photo.png")
    key = image["id"].replace("-", "")
    assert key in objects(s3_url) and stored_files(s3_server) == set()  # nothing on the local disk
    sent = await act(s3_api, SEND, client, body="see", expertId=expert.id, attachmentIds=[image["id"]])
    downloaded = await s3_api.http.get(sent["attachments"][0]["url"])
    assert downloaded.status_code == 200 and downloaded.content == PNG
    await act(s3_api, DELETE, client, messageId=sent["id"])
    assert key not in objects(s3_url)
    assert (await s3_api.http.get(sent["attachments"][0]["url"])).status_code == 404
