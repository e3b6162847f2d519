"""Control plane: tenants, their domains, and the pool of pre-migrated spare schemas."""
