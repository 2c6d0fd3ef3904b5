"""Sign-in for frontends over real HTTP and a real SMTP server: a code by e-mail, a session of a
short access token and a refresh token that renews once, sign-out; each refusal changes nothing
but the count of wrong tries; races have one winner."""

import asyncio
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from app.models import RefreshToken, SignInCode
from tests.support.factories import Person, make_person
from tests.support.graphql import Api, Subscriber
from tests.support.mailbox import Mailbox
from tests.support.server import RunningServer

REQUEST = """mutation Request($email: String!) {
  requestSignInCode(input: {email: $email}) {
    __typename ... on SignInCodeSent { email expiresAt } ... on Problem { code message }
  }
}"""
SESSION = "accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt viewer { id }"
SIGN_IN = f"""mutation SignIn($email: String!, $code: String!) {{
  signIn(input: {{email: $email, code: $code}}) {{
    __typename ... on Session {{ {SESSION} }} ... on Problem {{ code message }}
  }}
}}"""
RENEW = f"""mutation Renew($token: String!) {{
  renewSession(input: {{refreshToken: $token}}) {{
    __typename ... on Session {{ {SESSION} }} ... on Problem {{ code message }}
  }}
}}"""
SIGN_OUT = """mutation SignOut($token: String!) {
  signOut(input: {refreshToken: $token}) { __typename ... on SignedOut { signedOut } ... on Problem { code } }
}"""


async def newcomer(api: Api, server: RunningServer) -> Person:
    return await make_person(api, server.admin_token, name="Nia Newcomer")


async def ask_code(api: Api, mailbox: Mailbox, email: str) -> str:
    email_read = email.lower()
    already = len(mailbox.to(email_read))
    sent = (await api.query(REQUEST, {"email": email}))["requestSignInCode"]
    assert sent["__typename"] == "SignInCodeSent", sent
    [*_, mail] = await mailbox.wait_for(email_read, count=already + 1)
    found = re.search(r"\b(\d{6})\b", str(mail["Subject"]))
    assert found, mail["Subject"]
    return found.group(1)


async def sign_in(api: Api, email: str, code: str) -> dict[str, Any]:
    answer: dict[str, Any] = (await api.query(SIGN_IN, {"email": email, "code": code}))["signIn"]
    return answer


async def renew(api: Api, token: str) -> dict[str, Any]:
    answer: dict[str, Any] = (await api.query(RENEW, {"token": token}))["renewSession"]
    return answer


async def test_an_emailed_code_signs_in_for_minutes_over_http_and_the_websocket(
    mail_api: Api, mail_server: RunningServer, mailbox: Mailbox
) -> None:
    person = await newcomer(mail_api, mail_server)
    code = await ask_code(mail_api, mailbox, person.email.upper())  # an address is read in lower case
    session = await sign_in(mail_api, person.email, code)
    assert session["__typename"] == "Session" and session["viewer"]["id"] == person.id
    lifetime = datetime.fromisoformat(session["accessTokenExpiresAt"]) - datetime.now(UTC)
    assert timedelta(minutes=14) < lifetime <= timedelta(minutes=15)
    viewer = await mail_api.query("{ viewer { id } }", token=session["accessToken"])
    assert viewer["viewer"]["id"] == person.id
    socket = await Subscriber.open(mail_server.ws_url, session["accessToken"])
    try:
        await socket.expect_ack()
    finally:
        await socket.close()
    # The code works once.
    again = await sign_in(mail_api, person.email, code)
    assert again["code"] == "INVALID_INPUT"


async def test_an_address_without_an_account_gets_the_same_answer_and_no_mail(
    mail_api: Api, mail_server: RunningServer, mailbox: Mailbox
) -> None:
    stranger = "nobody-here@example.com"
    answer = (await mail_api.query(REQUEST, {"email": stranger}))["requestSignInCode"]
    assert answer["__typename"] == "SignInCodeSent" and answer["email"] == stranger
    person = await newcomer(mail_api, mail_server)
    await ask_code(mail_api, mailbox, person.email)  # mail sent after the stranger's request arrived
    assert mailbox.to(stranger) == []
    refused = await sign_in(mail_api, stranger, "123456")
    assert refused["code"] == "INVALID_INPUT"


async def test_wrong_codes_change_nothing_but_their_count_and_five_void_the_code(
    mail_api: Api, mail_server: RunningServer, mailbox: Mailbox
) -> None:
    person = await newcomer(mail_api, mail_server)
    code = await ask_code(mail_api, mailbox, person.email)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for attempt in range(5):
        refused = await sign_in(mail_api, person.email, wrong)
        assert refused["code"] == "INVALID_INPUT", attempt
    assert not await RefreshToken.filter(user_id=person.id).exists()
    voided = await sign_in(mail_api, person.email, code)
    assert voided["code"] == "LIMIT_EXCEEDED" and "ask for a new one" in voided["message"]
    for malformed in ("12345", "abcdef", "1234567"):
        assert (await sign_in(mail_api, person.email, malformed))["code"] == "INVALID_INPUT"
    fresh = await ask_code(mail_api, mailbox, person.email)
    assert (await sign_in(mail_api, person.email, fresh))["__typename"] == "Session"


async def test_a_code_expires_after_ten_minutes_and_a_new_one_replaces_the_old(
    mail_api: Api, mail_server: RunningServer, mailbox: Mailbox
) -> None:
    person = await newcomer(mail_api, mail_server)
    now = datetime.now(UTC)
    mail_server.clock.set(now)
    try:
        first = await ask_code(mail_api, mailbox, person.email)
        second = await ask_code(mail_api, mailbox, person.email)
        if first != second:
            assert (await sign_in(mail_api, person.email, first))["code"] == "INVALID_INPUT"
        mail_server.clock.set(now + timedelta(minutes=10, seconds=1))
        assert (await sign_in(mail_api, person.email, second))["code"] == "INVALID_INPUT"
    finally:
        mail_server.clock.reset()


async def test_an_address_gets_five_codes_an_hour(mail_api: Api, mail_server: RunningServer) -> None:
    stranger = "busy-stranger@example.com"
    for _ in range(5):
        assert (await mail_api.query(REQUEST, {"email": stranger}))["requestSignInCode"]["__typename"] == (
            "SignInCodeSent"
        )
    before = await SignInCode.filter(email=stranger).count()
    limited = (await mail_api.query(REQUEST, {"email": stranger}))["requestSignInCode"]
    assert limited["code"] == "LIMIT_EXCEEDED"
    assert await SignInCode.filter(email=stranger).count() == before == 5


async def test_a_refresh_token_renews_once_and_a_used_one_again_ends_the_session(
    mail_api: Api, mail_server: RunningServer, mailbox: Mailbox
) -> None:
    person = await newcomer(mail_api, mail_server)
    session = await sign_in(mail_api, person.email, await ask_code(mail_api, mailbox, person.email))
    renewed = await renew(mail_api, session["refreshToken"])
    assert renewed["__typename"] == "Session" and renewed["refreshToken"] != session["refreshToken"]
    assert (await mail_api.query("{ viewer { id } }", token=renewed["accessToken"]))["viewer"]["id"] == person.id
    # The first token again: it was copied. Both it and its successor stop working.
    assert (await renew(mail_api, session["refreshToken"]))["code"] == "INVALID_INPUT"
    assert (await renew(mail_api, renewed["refreshToken"]))["code"] == "INVALID_INPUT"
    assert (await renew(mail_api, "not-a-token"))["code"] == "INVALID_INPUT"


async def test_signing_out_ends_the_session(mail_api: Api, mail_server: RunningServer, mailbox: Mailbox) -> None:
    person = await newcomer(mail_api, mail_server)
    session = await sign_in(mail_api, person.email, await ask_code(mail_api, mailbox, person.email))
    signed_out = (await mail_api.query(SIGN_OUT, {"token": session["refreshToken"]}))["signOut"]
    assert signed_out == {"__typename": "SignedOut", "signedOut": True}
    assert (await renew(mail_api, session["refreshToken"]))["code"] == "INVALID_INPUT"


async def test_one_code_sent_twice_at_once_signs_in_once(
    mail_api: Api, mail_server: RunningServer, mailbox: Mailbox
) -> None:
    person = await newcomer(mail_api, mail_server)
    code = await ask_code(mail_api, mailbox, person.email)
    answers = await asyncio.gather(*(sign_in(mail_api, person.email, code) for _ in range(5)))
    assert sorted(answer["__typename"] for answer in answers) == ["InvalidInput"] * 4 + ["Session"]
    assert await RefreshToken.filter(user_id=person.id).count() == 1
