"""Self-serve signup and onboarding imports."""
