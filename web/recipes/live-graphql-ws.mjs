// Live updates over the WebSocket (graphql-transport-ws), signed in afresh on every connect.
import { createClient } from "graphql-ws";

/** `url`: ws(s)://<host>/graphql. `freshToken`: your app's way to a current access token.
 * `webSocketImpl`: the browser's WebSocket by default; in Node < 22 pass the `ws` package. */
export function createLiveClient(url, freshToken, webSocketImpl = globalThis.WebSocket) {
  return createClient({
    url,
    webSocketImpl,
    // Asked on every connect and reconnect: a reconnect after the token expired signs in anew.
    connectionParams: async () => ({ authorization: `Bearer ${await freshToken()}` }),
    // Close 4401 (no token, or not valid here) is never retried by graphql-ws: sign the user in.
    // Close 4403 (the token expired), a restart or a dropped network: retried, a bounded number of times.
    retryAttempts: 5,
    shouldRetry: () => true,
  });
}
