"""Thin resolvers: parse input, call one service, map the result."""
