"""Listings: requests for help and offers of help."""
