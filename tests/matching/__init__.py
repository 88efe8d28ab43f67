"""Tests of the matching domain."""
