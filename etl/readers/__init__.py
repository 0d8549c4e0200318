"""Readers of the formats other than plain text; importing a module registers it."""
