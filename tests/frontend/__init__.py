"""Tests of the user interface code."""
