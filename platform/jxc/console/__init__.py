"""The vendor's support console on the public host, with an append-only audit log."""
