"""Matching: the Discover deck, swipes, interests, matches and recommendations."""
