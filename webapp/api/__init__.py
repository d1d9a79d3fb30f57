"""JSON API under /api/v1 (OpenAPI document at /api/v1/openapi.json): `base` holds the blueprint
and authentication; `directory`, `runs` and `visits` the endpoints of their domains, `serialize`
the JSON shapes and `openapi` the document."""
