"""Tests of the regions domain: cells, the town list and the regions API."""
