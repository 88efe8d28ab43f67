"""Tests of the listings domain."""
