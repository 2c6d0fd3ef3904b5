"""Which webhook addresses are allowed, how deliveries are signed, when an endpoint is turned off."""

import hashlib
import hmac
import ipaddress
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.errors import InvalidInput
from app.domain.schedule import WEBHOOK_BACKOFF_SECONDS, JobKind, retry_delay
from app.domain.webhooks import (
    Subscription,
    check_addresses,
    check_events,
    check_secret,
    check_url,
    disable_now,
    new_secret,
    parse_networks,
    secrets_in_use,
    signature,
)

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)
LOOPBACK = parse_networks("127.0.0.0/8")


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.example.com/consult",
        "http://hooks.example.com:8080/in?key=1",
        "https://93.184.215.14/hook",
        "https://[2606:4700::6810:85e5]/hook",
    ],
)
def test_public_http_addresses_are_accepted(url: str) -> None:
    assert check_url(url, ()) == url


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("ftp://hooks.example.com/", "http"),
        ("file:///etc/passwd", "http"),
        ("javascript:alert(1)", "http"),
        ("https:///no-host", "host"),
        ("https://user:pw@hooks.example.com/", "password"),
        ("https://hooks.example.com/#frag", "fragment"),
        ("https://hooks.example.com:0/", "port"),
        ("https://hooks.example.com:99999/", "URL"),
        ("http://127.0.0.1:8000/", "public"),
        ("http://10.1.2.3/", "public"),
        ("http://192.168.0.10/", "public"),
        ("http://172.16.5.5/", "public"),
        ("http://169.254.169.254/latest/meta-data/", "public"),
        ("http://100.64.0.1/", "public"),
        ("http://0.0.0.0/", "public"),
        ("http://[::1]/", "public"),
        ("http://[fd00::1]/", "public"),
        ("http://[fe80::1]/", "public"),
        ("http://[::ffff:127.0.0.1]/", "public"),
        ("http://224.0.0.1/", "public"),
        ("http://localhost:8000/", "private name"),
        ("http://localhost.:8000/", "private name"),
        ("http://db.internal/", "private name"),
        ("http://printer.local/", "private name"),
        ("https://hooks.example.com/" + "a" * 2000, "at most"),
        ("https://hooks.example.com/ a", "spaces"),
    ],
)
def test_hostile_addresses_are_refused(url: str, why: str) -> None:
    with pytest.raises(InvalidInput, match=why):
        check_url(url, ())


def test_allowed_networks_open_private_addresses_and_names() -> None:
    assert check_url("http://127.0.0.1:9000/in", LOOPBACK)
    assert check_url("http://localhost:9000/in", LOOPBACK)
    with pytest.raises(InvalidInput):
        check_url("http://10.0.0.1/in", LOOPBACK)


def test_one_private_address_among_public_ones_is_refused() -> None:
    public, private = ipaddress.ip_address("93.184.215.14"), ipaddress.ip_address("10.0.0.1")
    check_addresses([public], ())
    with pytest.raises(InvalidInput, match=r"10\.0\.0\.1"):
        check_addresses([public, private], ())


def test_events_are_checked_and_deduplicated() -> None:
    assert check_events(None) is None
    assert check_events(["COMPLETED", "BOOKED_BY_CLIENT", "COMPLETED"]) == ["BOOKED_BY_CLIENT", "COMPLETED"]
    with pytest.raises(InvalidInput, match="at least one"):
        check_events([])
    with pytest.raises(InvalidInput, match="NOPE"):
        check_events(["NOPE"])


def test_secrets_have_a_length_and_no_surrounding_space() -> None:
    assert check_secret("s" * 24) == "s" * 24
    made = new_secret()
    assert made.startswith("whsec_") and check_secret(made) == made and made != new_secret()
    for bad in ("short", "s" * 201, " " + "s" * 30, "s" * 30 + "\n"):
        with pytest.raises(InvalidInput):
            check_secret(bad)


def test_the_signature_is_an_hmac_of_timestamp_and_body_per_secret() -> None:
    body = b'{"id":"m.1"}'
    header = signature(["new-secret", "old-secret"], 1_800_000_000, body)
    parts = header.split(",")
    assert parts[0] == "t=1800000000"
    expected = [
        "v1=" + hmac.new(key, b"1800000000." + body, hashlib.sha256).hexdigest()
        for key in (b"new-secret", b"old-secret")
    ]
    assert parts[1:] == expected


def test_the_old_secret_signs_too_during_its_grace_period() -> None:
    until = NOW + timedelta(hours=24)
    assert secrets_in_use("new", "old", until, NOW) == ["new", "old"]
    assert secrets_in_use("new", "old", until, until) == ["new"]
    assert secrets_in_use("new", None, None, NOW) == ["new"]


def test_admins_endpoints_hear_every_meeting_experts_their_own() -> None:
    admin = Subscription("w1", "admin", True, None)
    expert = Subscription("w2", "expert-1", False, frozenset({"COMPLETED"}))
    assert admin.hears("BOOKED_BY_CLIENT", "expert-2")
    assert expert.hears("COMPLETED", "expert-1")
    assert not expert.hears("COMPLETED", "expert-2")
    assert not expert.hears("BOOKED_BY_CLIENT", "expert-1")


def test_an_endpoint_is_turned_off_only_after_failing_since_the_delivery_was_first_tried() -> None:
    first_try = NOW - timedelta(hours=24)
    assert disable_now(first_try - timedelta(minutes=5), first_try)
    assert disable_now(first_try, first_try)
    assert not disable_now(first_try + timedelta(hours=3), first_try)  # something succeeded meanwhile
    assert not disable_now(None, first_try)


def test_webhook_retries_last_about_a_day() -> None:
    assert 23 * 3600 < sum(WEBHOOK_BACKOFF_SECONDS) < 24 * 3600
    delays = [retry_delay(attempt, JobKind.SEND_WEBHOOK) for attempt in range(1, 13)]
    assert delays[0] == timedelta(seconds=10)
    assert delays[-1] is None and all(delay is not None for delay in delays[:-1])
