"""Files in messages: what may be attached, told by the bytes themselves, and names that cannot
reach anywhere. Plain rules; services/attachments.py stores, app/web/attachments.py serves.

- A file is at most 10 MB; a message carries at most 5.
- Its type is read from its first bytes: PNG, JPEG, GIF, WebP, PDF, or plain UTF-8 text.
  Anything else (an executable, a script, an archive, HTML) is refused, and so is a file whose
  bytes do not match the type its uploader claimed.
- Its name is for display only: the base name, without control characters or path
  separators, at most 120 characters. Files are stored under their id, never their name.
"""

import re
import unicodedata
from dataclasses import dataclass

from app.domain.errors import InvalidInput, LimitExceeded

MAX_BYTES = 10 * 1024 * 1024
MAX_PER_MESSAGE = 5
MAX_NAME_LENGTH = 120
TEXT_SNIFF_BYTES = 64 * 1024

IMAGE_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
ALLOWED = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain"})


def sniff(data: bytes) -> str | None:
    """The type the bytes are, among those allowed; None for anything else."""
    for signature, media_type in IMAGE_SIGNATURES:
        if data.startswith(signature):
            return media_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if _is_plain_text(data[:TEXT_SNIFF_BYTES], cut=len(data) > TEXT_SNIFF_BYTES):
        return "text/plain"
    return None


def _is_plain_text(head: bytes, *, cut: bool) -> bool:
    """UTF-8 without control characters; `cut`: the head was cut from a longer file, so its
    last character may be incomplete."""
    if not head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if not cut or exc.start < len(head) - 3:
            return False
        text = head[: exc.start].decode("utf-8")
    if text.lstrip().startswith(("<", "#!")):  # markup or a script: not plain text to us
        return False
    return not any((ord(c) < 32 or ord(c) == 127) and c not in "\n\r\t\f" for c in text)


def accept(data: bytes, claimed_type: str) -> str:
    """The file's media type, if it is allowed and is what its uploader said it is."""
    if not data:
        raise InvalidInput("the file is empty")
    if len(data) > MAX_BYTES:
        raise LimitExceeded(f"a file is at most {MAX_BYTES // (1024 * 1024)} MB")
    found = sniff(data)
    if found is None:
        raise InvalidInput("files may be images (PNG, JPEG, GIF, WebP), PDF or plain text")
    claimed = claimed_type.split(";", 1)[0].strip().lower()
    if claimed and claimed not in ("application/octet-stream", found):
        raise InvalidInput(f"the file's bytes are {found}, not {claimed}")
    return found


def display_name(raw: str) -> str:
    """What a person uploaded it as, made harmless: no directories, no controls, bounded."""
    name = unicodedata.normalize("NFC", raw).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = re.sub(r"\s+", " ", name).strip(" .")
    if not name:
        return "file"
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        keep = MAX_NAME_LENGTH - len(extension) - 1 if dot and len(extension) <= 10 else MAX_NAME_LENGTH
        name = (stem[:keep] + "." + extension) if dot and len(extension) <= 10 else name[:keep]
    return name


@dataclass(frozen=True)
class Attaching:
    """Files a message names: the sender's own, not in another message yet."""

    found: int
    asked: int
    already_sent: int


def check_attaching(attaching: Attaching) -> None:
    if attaching.asked > MAX_PER_MESSAGE:
        raise LimitExceeded(f"a message carries at most {MAX_PER_MESSAGE} files")
    if attaching.found != attaching.asked:
        raise InvalidInput("an attachment is not one of the files you uploaded")
    if attaching.already_sent:
        raise InvalidInput("an attachment is already in a message")
