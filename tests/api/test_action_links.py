"""Self-service links in e-mails, through the tests' SMTP server on loopback: the expert
answers a booking and a client a proposal from the mail, without signing in; a link works
once, for its recipient, on the version of the meeting it was sent for, until it expires."""

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.support.factories import (
    PROPOSE,
    Person,
    act,
    book,
    hours_from_now,
    make_person,
    make_service,
)
from tests.support.graphql import Api
from tests.support.mailbox import Mailbox
from tests.support.server import RunningServer

STATE = """query($id: ID!) { meeting(id: $id) { ... on Meeting { status declineReason version } } }"""


async def links_in_mail(mailbox: Mailbox, person: Person, count: int) -> dict[str, str]:
    mail = (await mailbox.wait_for(person.email, count))[count - 1]
    body = mail.get_body(("plain",))
    assert body is not None
    text = str(body.get_content())
    return dict(re.findall(r"^(Confirm|Decline): (\S+?)\r?$", text, re.MULTILINE))


async def state(api: Api, person: Person, meeting_id: str) -> dict[str, Any]:
    found: dict[str, Any] = (await api.query(STATE, {"id": meeting_id}, person.token))["meeting"]
    return found


async def test_the_expert_confirms_a_booking_from_the_mail_once(
    mail_api: Api, mail_server: RunningServer, mailbox: Mailbox
) -> None:
    api = mail_api
    expert = await make_person(api, mail_server.admin_token, expert=True, name="Maya <Expert>")
    client = await make_person(api, mail_server.admin_token, credits=500, name="Sam Client")
    booked = await book(api, client, await make_service(api, expert), hours_from_now(50))
    links = await links_in_mail(mailbox, expert, 1)
    assert set(links) == {"Confirm", "Decline"}

    shown = await api.http.get(links["Confirm"])
    assert shown.status_code == 200 and "no-store" in shown.headers["cache-control"]
    assert "Coaching with Sam Client" in shown.text and "<button" in shown.text

    done = await api.http.post(links["Confirm"])
    assert done.status_code == 200 and 'id="done"' in done.text
    assert (await state(api, client, booked["id"]))["status"] == "AGREED"
    assert await links_in_mail(mailbox, client, 1) == {}  # "confirmed": a mail that asks nothing has no links

    again = await api.http.post(links["Confirm"])
    assert again.status_code == 410 and "out of date" in again.text
    stale = await api.http.get(links["Decline"])
    assert stale.status_code == 410 and "out of date" in stale.text
    assert (await state(api, client, booked["id"]))["status"] == "AGREED"

    forged = links["Confirm"][:-4] + ("AAAA" if not links["Confirm"].endswith("AAAA") else "BBBB")
    assert (await api.http.get(forged)).status_code == 404
    assert (await api.http.post(forged)).status_code == 404


async def test_a_client_declines_a_proposal_from_the_mail_and_an_old_link_expires(
    mail_api: Api, mail_server: RunningServer, mailbox: Mailbox
) -> None:
    api = mail_api
    expert = await make_person(api, mail_server.admin_token, expert=True)
    client = await make_person(api, mail_server.admin_token, credits=500, name="Ines Client")
    service_id = await make_service(api, expert)
    proposal = {"serviceId": service_id, "durationMinutes": 60, "mode": "VIDEO", "priceCredits": 30}
    first = await act(api, PROPOSE, expert, clientId=client.id, startsAt=hours_from_now(60), **proposal)
    links = await links_in_mail(mailbox, client, 1)
    form = await api.http.get(links["Decline"])
    assert '<select name="reason">' in form.text
    declined = await api.http.post(links["Decline"], data={"reason": "SCHEDULE_CONFLICT"})
    assert declined.status_code == 200
    assert await state(api, client, first["id"]) == {
        "status": "REJECTED",
        "declineReason": "SCHEDULE_CONFLICT",
        "version": 2,
    }

    await act(api, PROPOSE, expert, clientId=client.id, startsAt=hours_from_now(64), **proposal)
    later = await links_in_mail(mailbox, client, 2)
    mail_server.clock.set(datetime.now(UTC) + timedelta(days=7, minutes=1))
    try:
        expired = await api.http.post(later["Confirm"])
        assert expired.status_code == 410 and "expired" in expired.text
    finally:
        mail_server.clock.reset()
