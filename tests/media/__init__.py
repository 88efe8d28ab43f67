"""Tests of the photo pipeline and storage."""
