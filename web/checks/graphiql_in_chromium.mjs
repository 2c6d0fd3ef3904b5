// GraphiQL in headless Chromium with no network but loopback: it renders from the
// server's own assets, runs the first example tab with a token, and shows a live
// meetingUpdated frame after the expert confirms. Prints a JSON report; exits 1 on failure.
// Usage: node graphiql_in_chromium.mjs BASE_URL CLIENT_TOKEN EXPERT_TOKEN MEETING_ID SCREENSHOT
import { chromium } from "playwright-core";

const [baseUrl, clientToken, expertToken, meetingId, screenshot] = process.argv.slice(2);
const report = { blocked: [], failedRequests: [], consoleErrors: [] };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
let currentPage = null;
const pageResult = () => currentPage.evaluate(() => {
  const element = document.querySelector(".result-window .CodeMirror");
  return element && element.CodeMirror ? element.CodeMirror.getValue() : null;
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  currentPage = page;
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1" || url.hostname === "localhost" || url.protocol === "data:") {
      return route.continue();
    }
    report.blocked.push(url.href);
    return route.abort();
  });
  page.on("requestfailed", (request) => report.failedRequests.push(request.url()));
  page.on("console", (message) => { if (message.type() === "error") report.consoleErrors.push(message.text()); });

  await page.goto(`${baseUrl}/graphql`, { waitUntil: "load" });
  await page.waitForSelector(".graphiql-execute-button", { timeout: 20000 });

  const editorText = (selector) => page.evaluate((selector) => {
    const element = document.querySelector(selector);
    return element && element.CodeMirror ? element.CodeMirror.getValue() : null;
  }, selector);
  const setHeaders = (token) => page.evaluate((token) => {
    const editors = [...document.querySelectorAll(".graphiql-editor-tool .CodeMirror")];
    const headers = editors.find((element) => element.CodeMirror.getValue().includes("Authorization"));
    headers.CodeMirror.setValue(JSON.stringify({ Authorization: `Bearer ${token}` }));
  }, token);
  const waitForResult = (predicate, timeout) => page.waitForFunction((predicate) => {
    const element = document.querySelector(".result-window .CodeMirror");
    const text = element && element.CodeMirror ? element.CodeMirror.getValue() : "";
    return new Function("text", `return ${predicate}`)(text) ? text : null;
  }, predicate, { timeout });

  report.tabs = await page.locator(".graphiql-tab").count();
  report.firstQuery = (await editorText(".graphiql-query-editor .CodeMirror")) || "";

  // The first example: the viewer's meetings, with a token.
  await setHeaders(clientToken);
  await page.click(".graphiql-execute-button");
  const meetings = await waitForResult(`text.includes('"meetings"')`, 15000);
  report.myMeetings = JSON.parse(await meetings.jsonValue());

  // The live tab: subscribe, then the expert confirms over HTTP; a frame arrives.
  await page.locator(".graphiql-tab").nth(3).click();
  await page.waitForFunction(() => {
    const element = document.querySelector(".graphiql-query-editor .CodeMirror");
    return element && element.CodeMirror.getValue().includes("subscription Live");
  });
  await page.click(".graphiql-query-editor .CodeMirror"); // as a person would, before running it
  await setHeaders(clientToken);
  await page.waitForTimeout(500); // GraphiQL settles the switched tab's operation
  await page.click(".graphiql-execute-button");
  await page.waitForTimeout(500); // lets the socket subscribe; the frame below is what counts
  const confirmed = await fetch(`${baseUrl}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${expertToken}` },
    body: JSON.stringify({
      query: "mutation Confirm($id: ID!) { confirmMeeting(input: {meetingId: $id}) { __typename } }",
      variables: { id: meetingId },
    }),
  });
  report.confirm = await confirmed.json();
  const frame = await waitForResult(`text.includes('"AGREED"')`, 15000);
  report.liveFrame = JSON.parse(await frame.jsonValue());
  await page.screenshot({ path: screenshot, fullPage: true });
} catch (error) {
  report.error = String(error);
  report.resultText = await pageResult().catch(() => null);
  await currentPage?.screenshot({ path: screenshot, fullPage: true }).catch(() => {});
  process.exitCode = 1;
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
