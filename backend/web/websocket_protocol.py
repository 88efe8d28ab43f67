"""uvicorn's websocket protocol, set per socket at the handshake.

The live socket (``/api/live``) carries small JSON commands and events, many per second on a
busy server: it goes without per-message compression, which cost about a tenth of the server's
time under load and two zlib streams per socket, and it takes frames of at most
``LIVE_MAX_FRAME_BYTES`` (a command is far smaller). The ReactPy page socket keeps compression
(its layout updates are large and repetitive) and uvicorn's frame limit (ReactPy's client sends
a form's submit event with every element of the form, several hundred KiB in the listing form).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.http11 import Request

LIVE_SOCKET_PATH = "/api/live"
LIVE_MAX_FRAME_BYTES = 64 * 1024


class WebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's sans-I/O websocket protocol with the live socket's own settings."""

    def handle_connect(self, event: Request) -> None:
        """Settle the socket's extensions and frame limit by its path, then shake hands."""
        if urlsplit(event.path).path == LIVE_SOCKET_PATH:
            self.conn.available_extensions = []
            self.conn.max_message_size = LIVE_MAX_FRAME_BYTES
        super().handle_connect(event)
