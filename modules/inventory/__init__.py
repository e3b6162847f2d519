"""Warehouses and locations, the append-only stock ledger, balances and costing of one tenant."""
