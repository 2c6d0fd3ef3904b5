// Live updates over server-sent events (graphql-sse, distinct connections): plain HTTP, for
// serverless and edge frontends, or where a WebSocket cannot go.
import { createClient } from "graphql-sse";

/** `url`: http(s)://<host>/graphql. `freshToken`: your app's way to a current access token. */
export function createSseClient(url, freshToken) {
  return createClient({
    url,
    singleConnection: false, // one HTTP request per subscription
    // Asked for every request, so a retry after the token expired signs in anew.
    headers: async () => ({ Authorization: `Bearer ${await freshToken()}` }),
    retryAttempts: 5,
  });
}
