"""Suppliers and customers of one tenant (one party may be both), and who supplies which item."""
