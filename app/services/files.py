"""Where attachment bytes live, behind one small interface. The default keeps them under
DATA_DIR/attachments; several processes share that folder (or a store of another kind that
implements FileStore). Keys are attachment ids, never names a user gave."""

import asyncio
import os
from pathlib import Path
from typing import Protocol
from uuid import UUID, uuid4


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
