"""Messaging: conversations between the two sides of a match, and blocks."""
