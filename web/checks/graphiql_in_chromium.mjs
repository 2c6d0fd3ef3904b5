// GraphiQL in headless Chromium with no network but loopback, on the demo data as `make run`
// serves it, walked as a newcomer would: Slots, Book and Live in one browser tab, Confirm in a
// second one (GraphiQL runs one operation at a time), and the frame arrives in the first. Then a
// tab without a token shows the socket's refusal as its reason. Prints a JSON report; exits 1 on
// failure. Usage: node graphiql_in_chromium.mjs BASE_URL SCREENSHOT
import { loopbackChromium } from "./loopback_chromium.mjs";

const [baseUrl, screenshot] = process.argv.slice(2);
const { browser, report, newContext, openPage } = await loopbackChromium();
const context = await newContext({ width: 1400, height: 900 });

const editorText = (page, selector) => page.evaluate((selector) => {
  const element = document.querySelector(selector);
  return element && element.CodeMirror ? element.CodeMirror.getValue() : null;
}, selector);
const resultText = (page) => editorText(page, ".result-window .CodeMirror");

async function open() {
  const page = await openPage(context, `${baseUrl}/graphql`);
  await page.waitForSelector(".graphiql-execute-button", { timeout: 20000 });
  return page;
}

async function toTab(page, index, expected) {
  await page.locator(".graphiql-tab").nth(index).click();
  await page.waitForFunction((expected) => {
    const element = document.querySelector(".graphiql-query-editor .CodeMirror");
    return element && element.CodeMirror.getValue().includes(expected);
  }, expected);
  await page.click(".graphiql-query-editor .CodeMirror"); // as a person would, before running it
}

async function run(page, until) {
  const before = await resultText(page);
  await page.click(".graphiql-execute-button");
  const text = await page.waitForFunction(([before, until]) => {
    const element = document.querySelector(".result-window .CodeMirror");
    const text = element && element.CodeMirror ? element.CodeMirror.getValue() : "";
    return text && text !== before && new Function("text", `return ${until}`)(text) ? text : null;
  }, [before, until], { timeout: 15000 });
  return JSON.parse(await text.jsonValue());
}

const setEditor = (page, contains, value) => page.evaluate(([contains, value]) => {
  const editors = [...document.querySelectorAll(".graphiql-editor-tool .CodeMirror")];
  editors.find((element) => element.CodeMirror.getValue().includes(contains)).CodeMirror.setValue(value);
}, [contains, value]);

let page = null;
try {
  page = await open();
  report.tabs = await page.locator(".graphiql-tab").count();
  report.tabTitles = await page.locator(".graphiql-tab").allInnerTexts();
  // The docs panel has the schema (introspection runs without any token).
  await page.click('button[aria-label="Show Documentation Explorer"]');
  // Its content shows before the introspection answer has arrived: wait for the root types.
  await page.waitForFunction(
    () => (document.querySelector(".graphiql-doc-explorer")?.innerText ?? "").includes("Subscription"),
    null,
    { timeout: 15000 },
  );
  report.docs = await page.locator(".graphiql-doc-explorer").innerText();

  await toTab(page, 0, "query Slots");
  const slots = await run(page, "text.includes('availableSlots')");
  report.slots = slots.data.availableSlots.slice(0, 3); // the booked one is among the first
  await toTab(page, 1, "mutation Book");
  report.book = await run(page, "text.includes('bookMeeting')");
  const meetingId = report.book.data.bookMeeting.id;
  await toTab(page, 2, "subscription Live");
  await page.click(".graphiql-execute-button");
  await page.waitForSelector(".graphiql-execute-button[aria-label='Stop subscription']", { timeout: 10000 })
    .catch(() => {}); // the label differs between versions; the frame below is what counts

  // Confirm in a second browser tab, as the Live tab's comment says.
  const second = await open();
  report.tabsInSecond = await second.locator(".graphiql-tab").count();
  await toTab(second, 3, "mutation Confirm");
  await setEditor(second, "meetingId", JSON.stringify({ meetingId }));
  report.confirm = await run(second, "text.includes('confirmMeeting')");

  const frame = await page.waitForFunction(() => {
    const element = document.querySelector(".result-window .CodeMirror");
    const text = element && element.CodeMirror ? element.CodeMirror.getValue() : "";
    return text.includes('"AGREED"') ? text : null;
  }, null, { timeout: 15000 });
  report.liveFrame = JSON.parse(await frame.jsonValue());
  await page.screenshot({ path: screenshot, fullPage: true });
  await page.click(".graphiql-execute-button"); // stops the subscription

  // Without any token the Live tab says why the socket closed, at once (no retries).
  await toTab(second, 2, "subscription Live");
  await setEditor(second, "Authorization", "{}");
  const started = Date.now();
  report.refused = await run(second, "text.includes('WebSocket closed')");
  report.refusedAfterMs = Date.now() - started;
} catch (error) {
  report.error = String(error);
  report.resultText = page ? await resultText(page).catch(() => null) : null;
  await page?.screenshot({ path: screenshot, fullPage: true }).catch(() => {});
  process.exitCode = 1;
} finally {
  await browser.close();
}
console.log(JSON.stringify({ error: report.error, ...report }));
