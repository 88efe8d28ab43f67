"""Regions: coarse H3 cells with the name of the nearest town. Never an address or exact point."""
