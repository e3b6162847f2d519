"""The per-tenant REST API: API keys with scopes, errors as JSON, idempotent POSTs."""
