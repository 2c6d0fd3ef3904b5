"""The transport: the HTTP and WebSocket endpoint (who is asking, media types, body shape
and size), the GraphiQL page and the room pages."""
