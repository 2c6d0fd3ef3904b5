// The graphql-ws recipe through a token's expiry: it watches one meeting, prints "subscribed"
// after the first frame, and (once the test has moved the server's clock past the token's
// expiry and written a fresh token to TOKEN_FILE) reconnects with the fresh token and
// receives the change. Prints a JSON report last; exits 1 on failure.
// Usage: node live_token_refresh.mjs BASE_URL MEETING_ID TOKEN_FILE
import { readFileSync } from "node:fs";
import WebSocket from "ws";
import { createLiveClient } from "../recipes/live-graphql-ws.mjs";

const [baseUrl, meetingId, tokenFile] = process.argv.slice(2);
const report = { frames: [], tokensAsked: 0, closes: [] };
const freshToken = async () => {
  report.tokensAsked += 1;
  return readFileSync(tokenFile, "utf8").trim();
};
const client = createLiveClient(`${baseUrl.replace(/^http/, "ws")}/graphql`, freshToken, WebSocket);
client.on("closed", (event) => report.closes.push({ code: event.code, reason: event.reason }));
const LIVE = `subscription Live($id: ID!) { meetingUpdated(meetingId: $id, initial: true) { id status version } }`;
const timer = setTimeout(() => { report.error = "timed out"; finish(1); }, 30000);

function finish(code) {
  clearTimeout(timer);
  client.dispose();
  console.log(JSON.stringify(report));
  process.exit(code);
}

client.subscribe({ query: LIVE, variables: { id: meetingId } }, {
  next: (result) => {
    if (result.errors) {
      report.errors = (report.errors || []).concat(result.errors);
      return; // the expired token's UNAUTHENTICATED: the client reconnects on the close that follows
    }
    report.frames.push(result.data.meetingUpdated);
    if (report.frames.length === 1) console.log("subscribed");
    if (result.data.meetingUpdated.status === "AGREED") finish(0);
  },
  error: (error) => { report.error = String(error && error.reason ? `${error.code} ${error.reason}` : error); finish(1); },
  complete: () => {},
});
