"""Writes. Every function is keyword-only, atomic, validates its input and raises messages a secretary understands."""
