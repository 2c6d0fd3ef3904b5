"""Where attachment bytes live, behind one small interface. The default keeps them under
DATA_DIR/attachments (several processes must share that folder); with ATTACHMENTS_BUCKET set,
an S3-compatible store holds them (AWS S3, MinIO, Ceph, R2…) for any number of processes.
Keys are attachment ids, never names a user gave."""

import asyncio
import os
from pathlib import Path
from typing import Any, Protocol
from uuid import UUID, uuid4

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


class FileStore(Protocol):
    async def put(self, key: UUID, data: bytes) -> None: ...

    async def get(self, key: UUID) -> bytes | None: ...

    async def delete(self, key: UUID) -> None: ...


class LocalFiles:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: UUID) -> Path:
        name = key.hex  # a UUID's hex: no separators, no dots, whatever the caller passed
        return self.root / name[:2] / name

    async def put(self, key: UUID, data: bytes) -> None:
        await asyncio.to_thread(self._write, self._path(key), data)

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_name(f".{path.name}.{uuid4().hex}")
        scratch.write_bytes(data)
        os.replace(scratch, path)  # a reader never sees half a file

    async def get(self, key: UUID) -> bytes | None:
        path = self._path(key)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except FileNotFoundError:
            return None

    async def delete(self, key: UUID) -> None:
        await asyncio.to_thread(self._path(key).unlink, missing_ok=True)


class S3Files:
    """An S3-compatible bucket, through boto3 on worker threads (a call never blocks the event
    loop). Credentials come the standard way (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or
    the instance's role); `endpoint_url` names a store other than AWS."""

    def __init__(self, bucket: str, endpoint_url: str | None, region: str) -> None:
        self.bucket = bucket
        config = Config(
            signature_version="s3v4",
            connect_timeout=5,
            read_timeout=30,
            retries={"max_attempts": 3, "mode": "standard"},
        )
        self._client: Any = boto3.client("s3", endpoint_url=endpoint_url, region_name=region, config=config)

    async def put(self, key: UUID, data: bytes) -> None:
        await asyncio.to_thread(self._client.put_object, Bucket=self.bucket, Key=key.hex, Body=data)

    async def get(self, key: UUID) -> bytes | None:
        def read() -> bytes | None:
            try:
                found = self._client.get_object(Bucket=self.bucket, Key=key.hex)
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                    return None
                raise
            data: bytes = found["Body"].read()
            return data

        return await asyncio.to_thread(read)

    async def delete(self, key: UUID) -> None:
        await asyncio.to_thread(self._client.delete_object, Bucket=self.bucket, Key=key.hex)
