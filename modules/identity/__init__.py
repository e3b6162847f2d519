"""Merchant users of one tenant: roles, login, invitations, password reset."""
