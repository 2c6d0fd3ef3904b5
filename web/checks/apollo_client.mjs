// A typed client as frontends use one: @apollo/client over HTTP and graphql-ws, with the
// possibleTypes map from possible-types.json. Queries, mutates, reads a Problem's code
// back through the cache, and receives subscription frames. Prints a JSON report.
// Usage: node apollo_client.mjs BASE_URL CLIENT_TOKEN EXPERT_TOKEN MEETING_ID
import { readFileSync } from "node:fs";
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { getMainDefinition } from "@apollo/client/utilities";
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const [baseUrl, clientToken, expertToken, meetingId] = process.argv.slice(2);
const possibleTypes = JSON.parse(readFileSync(new URL("../../possible-types.json", import.meta.url)));

function apollo(token, { withPossibleTypes = true } = {}) {
  const authorization = `Bearer ${token}`;
  const http = new HttpLink({ uri: `${baseUrl}/graphql`, headers: { authorization } });
  const socket = createClient({
    url: `${baseUrl.replace(/^http/, "ws")}/graphql`,
    connectionParams: { authorization },
    webSocketImpl: WebSocket,
    retryAttempts: 5,
  });
  const link = ApolloLink.split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return definition.kind === "OperationDefinition" && definition.operation === "subscription";
    },
    new GraphQLWsLink(socket),
    http,
  );
  const cache = new InMemoryCache(withPossibleTypes ? { possibleTypes } : {});
  return { client: new ApolloClient({ link, cache }), socket };
}

const VIEWER = gql`query Viewer { viewer { id name } }`;
const MEETING = gql`
  query Meeting($id: ID!) {
    meeting(id: $id) {
      __typename
      ... on Meeting { id status }
      ... on Problem { code message }
    }
  }`;
const CONFIRM = gql`
  mutation Confirm($id: ID!) {
    confirmMeeting(input: { meetingId: $id }) {
      __typename
      ... on Meeting { id status }
      ... on Problem { code message }
    }
  }`;
const LIVE = gql`
  subscription Live($id: ID!) {
    meetingUpdated(meetingId: $id, initial: true) { id status version }
  }`;

const report = {};
const asClient = apollo(clientToken);
const asExpert = apollo(expertToken);
const bare = apollo(clientToken, { withPossibleTypes: false });
const timeout = (ms, what) => new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms));
try {
  report.viewer = (await asClient.client.query({ query: VIEWER })).data.viewer;

  const missing = "00000000-0000-4000-8000-000000000000";
  await asClient.client.query({ query: MEETING, variables: { id: missing } });
  report.problemFromCache = asClient.client.readQuery({ query: MEETING, variables: { id: missing } }).meeting;
  await bare.client.query({ query: MEETING, variables: { id: missing } }).catch(() => {});
  report.problemWithoutPossibleTypes = bare.client.readQuery({ query: MEETING, variables: { id: missing } })?.meeting ?? null;

  // The client already approved its own booking: confirming again is a Problem, not an error.
  report.refusedConfirm = (await asClient.client.mutate({ mutation: CONFIRM, variables: { id: meetingId } })).data.confirmMeeting;

  const frames = [];
  const agreed = new Promise((resolve, reject) => {
    asClient.client.subscribe({ query: LIVE, variables: { id: meetingId } }).subscribe({
      next: ({ data }) => {
        frames.push(data.meetingUpdated);
        if (frames.length === 1) {
          asExpert.client.mutate({ mutation: CONFIRM, variables: { id: meetingId } })
            .then(({ data }) => { report.confirmed = data.confirmMeeting; }, reject);
        }
        if (data.meetingUpdated.status === "AGREED") resolve();
      },
      error: reject,
    });
  });
  await Promise.race([agreed, timeout(15000, "the AGREED frame")]);
  report.frames = frames;
  report.meetingAfter = asClient.client.readQuery({ query: MEETING, variables: { id: meetingId } })?.meeting ?? null;
} catch (error) {
  report.error = String(error && error.stack || error);
  process.exitCode = 1;
} finally {
  for (const { client, socket } of [asClient, asExpert, bare]) {
    client.stop();
    await socket.dispose();
  }
}
console.log(JSON.stringify(report));
process.exit(); // idle keep-alive HTTP connections would hold the process open for seconds
