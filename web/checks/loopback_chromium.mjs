// Headless Chromium that reaches nothing but loopback, and the report every browser check
// prints: what it was refused (blocked), which requests failed, what pages logged as errors.
import { chromium } from "playwright-core";

export async function loopbackChromium() {
  const report = { blocked: [], failedRequests: [], consoleErrors: [] };
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });

  // A context (its pages share storage) whose every request off loopback is refused.
  async function newContext(viewport) {
    const context = await browser.newContext({ viewport });
    await context.route("**/*", (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === "127.0.0.1" || url.hostname === "localhost" || url.protocol === "data:") {
        return route.continue();
      }
      report.blocked.push(url.href);
      return route.abort();
    });
    return context;
  }

  // A page of `context` at `url`, its failed requests and console errors going to the report.
  async function openPage(context, url) {
    const page = await context.newPage();
    page.on("requestfailed", (request) => report.failedRequests.push(request.url()));
    page.on("console", (message) => { if (message.type() === "error") report.consoleErrors.push(message.text()); });
    await page.goto(url, { waitUntil: "load" });
    return page;
  }

  return { browser, report, newContext, openPage };
}
