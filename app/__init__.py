"""Booking API for expert-consultation platforms."""
