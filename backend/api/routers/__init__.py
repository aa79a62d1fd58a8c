"""The API's routes, one router per OpenAPI tag (and the live feed's WebSocket)."""
