"""Notifications: the outbox of things a user should hear about (delivered by the push worker)."""
