"""Timed work: a job table polled by every server process, each job run exactly once."""
