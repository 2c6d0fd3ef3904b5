// The /dashboard page in headless Chromium with no network but loopback. A client signs in by
// e-mail code (read from the server's log: SMTP is unset), sees a booked meeting turn AGREED live
// when the expert confirms, gets the notification live, and sees Join light up when the server's
// clock reaches the join window. An expert, signed in with a pasted token, sees a client's instant
// request arrive. Prints a JSON report; exits 1 on failure.
// Usage: node dashboard_in_chromium.mjs BASE_URL SERVER_LOG CLOCK_FILE JOIN_OPENS_AT CLIENT_EMAIL
//          CLIENT_TOKEN EXPERT_TOKEN FREE_EXPERT_TOKEN MEETING_ID SKILL SCREENSHOT_PREFIX
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { loopbackChromium } from "./loopback_chromium.mjs";

const [baseUrl, serverLog, clockFile, joinOpensAt, clientEmail, clientToken, expertToken, freeExpertToken, meetingId,
  skill, shots] =
  process.argv.slice(2);
const { browser, report, newContext, openPage } = await loopbackChromium();

async function open() {
  return openPage(await newContext({ width: 1280, height: 800 }), `${baseUrl}/dashboard`);
}

async function graphql(token, query, variables) {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()).data;
}

function lastCode() {
  const codes = [...readFileSync(serverLog, "utf8").matchAll(/mail to (\S+) .*Your sign-in code: (\d{6})/g)];
  const mine = codes.filter((match) => match[1] === clientEmail);
  return mine.length ? mine[mine.length - 1][2] : null;
}

function setClock(iso) {
  writeFileSync(`${clockFile}.tmp`, iso);
  renameSync(`${clockFile}.tmp`, clockFile);
}

const row = (page) => page.locator(`tr[data-id="${meetingId}"]`);
let client = null;
try {
  // The client signs in by code; a wrong code is refused with the server's words.
  client = await open();
  await client.waitForSelector("#sign-in:not([hidden])");
  await client.fill("#email", clientEmail);
  await client.click("#send-code");
  await client.waitForFunction(() => document.getElementById("message").textContent.includes("code is on its way"));
  let code = null;
  for (let i = 0; i < 100 && !code; i++) { code = lastCode(); if (!code) await client.waitForTimeout(50); }
  report.codeFound = Boolean(code);
  await client.fill("#code", code.replace(/^./, (digit) => String((Number(digit) + 1) % 10)));
  await client.click("#use-code");
  await client.waitForFunction(() => /not right/.test(document.getElementById("message").textContent));
  report.wrongCode = await client.textContent("#message");
  await client.fill("#code", code);
  await client.click("#use-code");
  await client.waitForSelector("#board:not([hidden])");
  await client.waitForSelector("#live.on", { timeout: 10000 });
  report.who = await client.textContent("#who");
  report.before = await row(client).getAttribute("data-status");
  report.joinBefore = await row(client).locator(".join").isDisabled();

  // The expert confirms elsewhere: the row turns AGREED and a notification arrives, live.
  const notesBefore = await client.locator("#notifications li").count();
  const confirmed = await graphql(expertToken,
    "mutation Confirm($id: ID!) { confirmMeeting(input: {meetingId: $id}) { __typename } }", { id: meetingId });
  report.confirm = confirmed.confirmMeeting.__typename;
  await client.waitForSelector(`tr[data-id="${meetingId}"][data-status="AGREED"]`, { timeout: 10000 });
  await client.waitForFunction((count) => document.querySelectorAll("#notifications li").length > count, notesBefore);
  report.newestNotification = await client.locator("#notifications li").first().getAttribute("data-type");

  // The server's clock reaches the join window: the Join button lights up.
  setClock(joinOpensAt);
  await client.waitForSelector(`tr[data-id="${meetingId}"] .join.lit:not([disabled])`, { timeout: 15000 });
  report.joinLit = true;

  // The client writes to the expert from the meeting's row; the expert's reply arrives live.
  await row(client).locator(".message").click();
  await client.fill("#body", "Can we use the whiteboard?");
  await client.click("#compose button");
  await client.waitForSelector("#thread-messages li.mine", { timeout: 10000 });
  report.messageSent = await client.textContent("#thread-messages li.mine");
  const inbox = await graphql(expertToken, "{ conversations(first: 1) { edges { node { id unreadCount } } } }");
  const conversation = inbox.conversations.edges[0].node;
  report.expertUnread = conversation.unreadCount;
  await graphql(expertToken, `mutation Reply($input: SendMessageInput!) { sendMessage(input: $input) { __typename } }`,
    { input: { conversationId: conversation.id, body: "Yes, it will be ready." } });
  await client.waitForSelector("#thread-messages li:not(.mine)", { timeout: 10000 });
  report.replyShown = await client.textContent("#thread-messages li:not(.mine)");
  await client.screenshot({ path: `${shots}-client.png`, fullPage: true });

  // An expert signed in with a token sees a client's instant request as it is posted.
  const expert = await open();
  await expert.click("summary");
  await expert.fill("#token", freeExpertToken);
  await expert.click("#use-token");
  await expert.waitForSelector("#instant:not([hidden])");
  await expert.waitForSelector("#live.on", { timeout: 10000 });
  const posted = await graphql(clientToken, `mutation Ask($input: PostInstantRequestInput!) {
      postInstantRequest(input: $input) { __typename ... on InstantRequest { id } ... on Problem { code message } } }`,
    { input: { topic: "Stuck on a rollout", skill, durationMinutes: 30, maxPriceCredits: 100 } });
  report.posted = posted.postInstantRequest;
  await expert.waitForSelector(`li[data-request="${posted.postInstantRequest.id}"]`, { timeout: 10000 });
  report.requestShown = await expert.textContent(`li[data-request="${posted.postInstantRequest.id}"] .topic`);
  await expert.screenshot({ path: `${shots}-expert.png`, fullPage: true });
} catch (error) {
  report.error = String(error);
  await client?.screenshot({ path: `${shots}-client.png`, fullPage: true }).catch(() => {});
  process.exitCode = 1;
} finally {
  await browser.close();
}
console.log(JSON.stringify({ error: report.error, ...report }));
