"""Handje's user interface: ReactPy components served inside the Litestar app."""
