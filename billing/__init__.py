"""Plans and subscriptions (Stripe, or a manual provider without keys)."""
