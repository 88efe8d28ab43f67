"""Handje's backend: the Litestar app, its domains and the command line."""

import os

# Piccolo tables bind their engine when first imported; point Piccolo at our configuration
# before any table module loads, whichever entry point (CLI, uvicorn, tests) comes first.
os.environ.setdefault("PICCOLO_CONF", "backend.piccolo_conf")
