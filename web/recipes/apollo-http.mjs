// Apollo Client over HTTP only: queries, mutations and subscriptions (multipart over HTTP),
// with the possibleTypes map so that `... on Problem { code message }` reads from its cache.
import { ApolloClient, HttpLink, InMemoryCache } from "@apollo/client";
import possibleTypes from "../../possible-types.json" with { type: "json" };

export function createApolloClient(uri, token) {
  return new ApolloClient({
    link: new HttpLink({ uri, headers: { authorization: `Bearer ${token}` } }),
    cache: new InMemoryCache({ possibleTypes }),
  });
}
