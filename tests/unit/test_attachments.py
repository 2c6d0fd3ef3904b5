import pytest

from app.domain.attachments import (
    MAX_BYTES,
    MAX_NAME_LENGTH,
    MAX_PER_MESSAGE,
    Attaching,
    accept,
    check_attaching,
    display_name,
    sniff,
)
from app.domain.errors import InvalidInput, LimitExceeded


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (b"\x89PNG\r\n\x1a\n....", "image/png"),
        (b"\xff\xd8\xff\xe0JFIF", "image/jpeg"),
        (b"GIF89a....", "image/gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"%PDF-1.4\n", "application/pdf"),
        ("Notes: ünïcode ✓\n\tindented\r\n".encode(), "text/plain"),
        (b"MZ\x90\x00", None),
        (b"\x7fELF", None),
        (b"PK\x03\x04", None),
        (b"<!doctype html><p>", None),
        (b"  <svg onload=alert(1)>", None),
        (b"#!/usr/bin/env python\n", None),
        (b"text with a \x00 NUL", None),
        (b"\xff\xfe\x00bad utf-8", None),
    ],
)
def test_the_type_is_read_from_the_bytes(data: bytes, media_type: str | None) -> None:
    assert sniff(data) == media_type


def test_a_multibyte_character_cut_at_the_end_of_the_sniffed_part_is_still_text() -> None:
    text = ("x" * (64 * 1024 - 1) + "é and more").encode()  # the é's second byte falls beyond the sniffed part
    assert sniff(text) == "text/plain"


def test_the_claimed_type_must_match_the_bytes() -> None:
    png = b"\x89PNG\r\n\x1a\n...."
    assert accept(png, "image/png; charset=binary") == "image/png"
    assert accept(png, "application/octet-stream") == "image/png"
    assert accept(png, "") == "image/png"
    with pytest.raises(InvalidInput, match="bytes are image/png, not application/pdf"):
        accept(png, "application/pdf")
    with pytest.raises(InvalidInput):
        accept(b"", "text/plain")
    with pytest.raises(LimitExceeded):
        accept(b"x" * (MAX_BYTES + 1), "text/plain")


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\cv.pdf", "cv.pdf"),
        ("name\x00.png", "name.png"),
        ("  spaced \t  out .txt  ", "spaced out .txt"),
        ("...", "file"),
        ("", "file"),
        ("a\u202egnp.exe", "agnp.exe"),  # a right-to-left override is a format character: gone
    ],
)
def test_a_name_is_for_display_only(raw: str, shown: str) -> None:
    assert display_name(raw) == shown


def test_a_long_name_keeps_its_extension() -> None:
    name = display_name("x" * 300 + ".pdf")
    assert len(name) == MAX_NAME_LENGTH and name.endswith(".pdf")


def test_a_message_names_the_senders_own_unsent_files_and_at_most_five() -> None:
    check_attaching(Attaching(found=2, asked=2, already_sent=0))
    with pytest.raises(LimitExceeded):
        check_attaching(Attaching(found=MAX_PER_MESSAGE + 1, asked=MAX_PER_MESSAGE + 1, already_sent=0))
    with pytest.raises(InvalidInput, match="not one of the files you uploaded"):
        check_attaching(Attaching(found=1, asked=2, already_sent=0))
    with pytest.raises(InvalidInput, match="already in a message"):
        check_attaching(Attaching(found=2, asked=2, already_sent=1))
