"""The merchant-facing business modules; each is a tenant app."""
