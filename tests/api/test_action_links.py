"""Self-service links in e-mails, through the tests' SMTP server on loopback: the expert
answers a booking and a client a proposal from the mail, without signing in; a link works
once, for its recipient, on the version of the meeting it was sent for, until it expires."""

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.support.factories import (
    CONFIRM,
    PROPOSE,
    RESCHEDULE,
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
    return dict(re.findall(r"^(Confirm|Decline|Cancel|Pick .+?): (http\S+?)\r?$", text, re.MULTILINE))


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
    assert set(await links_in_mail(mailbox, client, 1)) == {"Cancel"}  # "confirmed": nothing to answer

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


async def test_a_client_cancels_from_the_mail_after_seeing_what_it_costs(
    mail_api: Api, mail_server: RunningServer, mailbox: Mailbox
) -> None:
    api = mail_api
    expert = await make_person(api, mail_server.admin_token, expert=True)
    client = await make_person(api, mail_server.admin_token, credits=500)
    service_id = await make_service(api, expert)
    early = await book(api, client, service_id, hours_from_now(80))
    late = await book(api, client, service_id, hours_from_now(10))
    await act(api, CONFIRM, expert, meetingId=early["id"])
    cancel = (await links_in_mail(mailbox, client, 1))["Cancel"]
    await act(api, CONFIRM, expert, meetingId=late["id"])
    late_cancel = (await links_in_mail(mailbox, client, 2))["Cancel"]

    shown = await api.http.get(cancel)
    assert 'id="consequence">If you cancel now, you get all 50 credits back.<' in shown.text
    assert '<select name="reason">' in shown.text and "Cancel the meeting</button>" in shown.text
    late_page = await api.http.get(late_cancel)
    assert "inside the cancellation window: the 50 credits you paid stay blocked" in late_page.text

    done = await api.http.post(cancel, data={"reason": "SCHEDULE_CONFLICT"})
    assert done.status_code == 200 and "Cancelled." in done.text
    assert (await state(api, client, early["id"]))["status"] == "CANCELLED"
    assert (await api.http.post(cancel)).status_code == 410  # once
    assert (await api.http.post(late_cancel)).status_code == 200  # the late one too, as its page said
    assert (await state(api, client, late["id"]))["status"] == "CANCELLED"


async def test_a_client_picks_one_of_the_offered_times_from_the_mail(
    mail_api: Api, mail_server: RunningServer, mailbox: Mailbox
) -> None:
    api = mail_api
    expert = await make_person(api, mail_server.admin_token, expert=True)
    client = await make_person(api, mail_server.admin_token, credits=500)
    meeting = await book(api, client, await make_service(api, expert), hours_from_now(90))
    await act(api, CONFIRM, expert, meetingId=meeting["id"])
    await links_in_mail(mailbox, client, 1)
    times = [hours_from_now(100), hours_from_now(104)]
    offered = await act(api, RESCHEDULE, expert, meetingId=meeting["id"], reason="EXPERT_SCHEDULE", times=times)
    assert offered["__typename"] == "Meeting", offered
    links = await links_in_mail(mailbox, client, 2)  # in the mail's order: the offered times', then Cancel
    assert list(links)[-1] == "Cancel"
    chosen = [link for label, link in links.items() if label.startswith("Pick ")]
    assert len(chosen) == 2
    shown = await api.http.get(chosen[1])
    assert "Pick this time</button>" in shown.text
    done = await api.http.post(chosen[1])
    assert done.status_code == 200 and "the time you picked" in done.text, done.text
    agreed = await api.query(
        """query($id: ID!) { meeting(id: $id) { ... on Meeting { status startsAt } } }""",
        {"id": meeting["id"]},
        client.token,
    )
    assert agreed["meeting"]["status"] == "AGREED"
    assert datetime.fromisoformat(agreed["meeting"]["startsAt"]) == datetime.fromisoformat(times[1])
    assert (await api.http.post(chosen[0])).status_code == 410  # the other time went with the change
