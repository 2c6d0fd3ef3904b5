// urql with Graphcache: the possibleTypes map tells it which Problem a union member is;
// subscriptions go through a graphql-ws client (see live-graphql-ws.mjs).
import { Client, fetchExchange, subscriptionExchange } from "@urql/core";
import { cacheExchange } from "@urql/exchange-graphcache";
import possibleTypes from "../../possible-types.json" with { type: "json" };

export function createUrqlClient(url, token, liveClient) {
  return new Client({
    url,
    fetchOptions: () => ({ headers: { authorization: `Bearer ${token}` } }),
    exchanges: [
      cacheExchange({ possibleTypes }),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || "" };
          return { subscribe: (sink) => ({ unsubscribe: liveClient.subscribe(input, sink) }) };
        },
      }),
    ],
  });
}
