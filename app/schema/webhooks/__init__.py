"""What the webhook operations take and answer."""
