"""Handje's test suite."""
