"""Use cases: one function per action, each inside one transaction."""
