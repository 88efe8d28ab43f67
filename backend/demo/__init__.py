"""The demo data set that ``make run DEMO=1`` and ``handje demo`` load."""

from backend.demo.data import DEMO_PASSWORD
from backend.demo.loader import load_demo

__all__ = ["DEMO_PASSWORD", "load_demo"]
