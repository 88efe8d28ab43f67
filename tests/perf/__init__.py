"""Benchmarks run by hand as scripts (``python -m tests.perf.<name>``), not by pytest."""
