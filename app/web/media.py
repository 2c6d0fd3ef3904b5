"""Which media type a GraphQL response takes, from the request's Accept header.

GraphQL over HTTP: `application/graphql-response+json` when the client names
it (then status codes tell a request that never ran from one that did);
`application/json` for everyone else, including `*/*` and no Accept at all,
so older clients keep their 200s.
"""

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"

_ANSWERS_JSON = {JSON, "application/*", "*/*"}


def _weighted(accept: str) -> dict[str, float]:
    weights: dict[str, float] = {}
    for part in accept.split(",")[:32]:  # a header is bounded by the server; its parts by us
        media, *params = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        media = media.lower()
        weights[media] = max(weights.get(media, 0.0), quality)
    return weights


def preferred_media_type(accept: str | None) -> str | None:
    """The type to answer with; None when the client accepts neither (406)."""
    if accept is None or not accept.strip():
        return JSON
    weights = _weighted(accept)
    graphql_response = weights.get(GRAPHQL_RESPONSE, 0.0)
    json = max((weights.get(media, 0.0) for media in _ANSWERS_JSON), default=0.0)
    if graphql_response > 0 and graphql_response >= json:
        return GRAPHQL_RESPONSE
    if json > 0:
        return JSON
    return None
