"""Pure booking rules: no ORM, no web framework, no clock (callers pass `now`)."""
