"""Events pushed to live subscriptions after a change commits."""
