"""The HTTP server: Werkzeug's threaded WSGI server (it carries flask-sock's WebSocket),
quiet, with Nagle off so each streamed event leaves at once. It is a local server: one
process, a thread per connection, meant for one user on this machine."""
from __future__ import annotations

import logging
import socket
import threading

from werkzeug.serving import WSGIRequestHandler, make_server

access_log = logging.getLogger("omni.access")


class _Handler(WSGIRequestHandler):
    def version_string(self) -> str:
        return "omni-server (local)"

    def setup(self) -> None:
        super().setup()
        try:  # small SSE/WS frames must not wait for the previous segment's ACK
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass

    def log_request(self, code="-", size="-") -> None:
        access_log.debug('%s "%s" %s', self.address_string(), self.requestline, code)

    def log_error(self, format: str, *args) -> None:  # noqa: A002 - http.server's signature
        access_log.debug(format, *args)

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        access_log.debug(format, *args)


class LocalServer:
    def __init__(self, app, host: str = "127.0.0.1", port: int = 9060):
        self.app = app
        self.httpd = make_server(host, port, app, threaded=True, request_handler=_Handler)
        self._thread: threading.Thread | None = None
        config = app.extensions.get("omni.config")
        if config is not None and not config.backend_id:  # X-Omni-Backend names this server
            config.backend_id = f"{socket.gethostname()}:{self.port}"

    @property
    def port(self) -> int:
        return self.httpd.server_port

    @property
    def url(self) -> str:
        host = self.httpd.server_address[0]
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}"

    def serve_forever(self) -> None:
        self.httpd.serve_forever(poll_interval=0.2)

    def start(self) -> LocalServer:
        self._thread = threading.Thread(target=self.serve_forever, name="omni-http", daemon=True)
        self._thread.start()
        return self

    def shutdown(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        conv = self.app.extensions.get("omni.conversation")
        if conv is not None:
            conv.close()
