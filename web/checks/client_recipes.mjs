// The README's client recipes (web/recipes) against a live server: graphql-sse, Apollo Client
// over HTTP only (multipart subscriptions) and urql with Graphcache over graphql-ws. Each reads a
// Problem's code and watches one meeting; when all three have its first frame, the expert
// confirms and each receives the change. Prints a JSON report; exits 1 on failure.
// Usage: node client_recipes.mjs BASE_URL CLIENT_TOKEN EXPERT_TOKEN MEETING_ID
import { gql } from "@apollo/client";
import WebSocket from "ws";
import { createApolloClient } from "../recipes/apollo-http.mjs";
import { createLiveClient } from "../recipes/live-graphql-ws.mjs";
import { createSseClient } from "../recipes/live-graphql-sse.mjs";
import { createUrqlClient } from "../recipes/urql-graphcache.mjs";

const [baseUrl, clientToken, expertToken, meetingId] = process.argv.slice(2);
const url = `${baseUrl}/graphql`;
const token = async () => clientToken;
const MISSING = "00000000-0000-4000-8000-000000000000";
const MEETING = `query Meeting($id: ID!) {
  meeting(id: $id) { __typename ... on Meeting { id status } ... on Problem { code message } }
}`;
const LIVE = `subscription Live($id: ID!) { meetingUpdated(meetingId: $id, initial: true) { id status version } }`;

const report = { sse: [], apollo: [], urql: [] };
const timeout = (ms, what) => new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms));

/** Resolves with the first frame, then with AGREED; pushes every frame to `frames`. */
function watcher(frames) {
  let first, agreed;
  const firstFrame = new Promise((resolve) => { first = resolve; });
  const agreedFrame = new Promise((resolve) => { agreed = resolve; });
  return {
    firstFrame,
    agreedFrame,
    next(meeting) {
      frames.push(meeting);
      if (frames.length === 1) first(meeting);
      if (meeting.status === "AGREED") agreed(meeting);
    },
  };
}

const live = createLiveClient(url.replace(/^http/, "ws"), token, WebSocket);
const closers = [() => live.dispose()];
try {
  // graphql-sse
  const sse = createSseClient(url, token);
  closers.push(() => sse.dispose());
  const sseWatch = watcher(report.sse);
  const sseDone = (async () => {
    for await (const result of sse.iterate({ query: LIVE, variables: { id: meetingId } })) {
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      sseWatch.next(result.data.meetingUpdated);
      if (result.data.meetingUpdated.status === "AGREED") return;
    }
  })();

  // Apollo over HTTP only
  const apollo = createApolloClient(url, clientToken);
  await apollo.query({ query: gql(MEETING), variables: { id: MISSING } });
  report.apolloProblem = apollo.readQuery({ query: gql(MEETING), variables: { id: MISSING } }).meeting;
  const apolloWatch = watcher(report.apollo);
  const apolloSubscription = apollo.subscribe({ query: gql(LIVE), variables: { id: meetingId } }).subscribe({
    next: ({ data, error }) => { if (data) apolloWatch.next(data.meetingUpdated); if (error) report.apolloError = String(error); },
    error: (error) => { report.apolloError = String(error); },
  });
  closers.push(() => apolloSubscription.unsubscribe());

  // urql with Graphcache
  const urql = createUrqlClient(url, clientToken, live);
  const problem = await urql.query(MEETING, { id: MISSING }).toPromise();
  report.urqlProblem = problem.data ? problem.data.meeting : { error: String(problem.error) };
  const urqlWatch = watcher(report.urql);
  const urqlSubscription = urql.subscription(LIVE, { id: meetingId }).subscribe((result) => {
    if (result.data) urqlWatch.next(result.data.meetingUpdated);
    if (result.error) report.urqlError = String(result.error);
  });
  closers.push(() => urqlSubscription.unsubscribe());

  await Promise.race([
    Promise.all([sseWatch.firstFrame, apolloWatch.firstFrame, urqlWatch.firstFrame]),
    timeout(15000, "first frames"),
  ]);
  const confirmed = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${expertToken}` },
    body: JSON.stringify({
      query: "mutation Confirm($id: ID!) { confirmMeeting(input: {meetingId: $id}) { __typename } }",
      variables: { id: meetingId },
    }),
  });
  report.confirm = (await confirmed.json()).data.confirmMeeting.__typename;
  await Promise.race([
    Promise.all([sseDone, apolloWatch.agreedFrame, urqlWatch.agreedFrame]),
    timeout(15000, "AGREED frames"),
  ]);
} catch (error) {
  report.error = String(error);
  process.exitCode = 1;
} finally {
  for (const close of closers) await Promise.resolve(close()).catch(() => {});
}
console.log(JSON.stringify({ error: report.error, ...report }));
process.exit();
