"""Shared kernel: error codes, money helpers, audit of control-plane actions."""
