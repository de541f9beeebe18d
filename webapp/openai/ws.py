"""WebSocket plumbing shared by /v1/realtime and /v1/live/sessions: serialised sends with a
unique `event_id` on every server event, OpenAI-shaped `error` events, taking the one
conversation (a second connection gets an `error`, then close 1013), and the routes."""
from __future__ import annotations

import json
import logging
import secrets
import threading
import time

from flask import current_app
from flask_sock import Sock
from simple_websocket import ConnectionClosed

from ..errors import ERRORS, ApiError

log = logging.getLogger("omni.openai")

CLOSE_TRY_AGAIN = 1013
CLOSE_INTERNAL = 1011
SUBPROTOCOL = "realtime"  # what browsers offer, next to "openai-insecure-api-key.<key>"


def event_id() -> str:
    return "event_" + secrets.token_hex(10)


class EventSocket:
    """One client's socket: JSON events out (from any thread), JSON events in."""

    def __init__(self, ws):
        self.ws = ws
        self._lock = threading.Lock()
        self.closed = False
        self.sent: list | None = None  # benchmark/test hook: (event, bytes, monotonic time) per send

    def send(self, event: dict, with_id: bool = True) -> dict:
        if with_id and "event_id" not in event:
            event = {"event_id": event_id(), **event}
        data = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
        with self._lock:
            if self.closed:
                raise ConnectionClosed()
            try:
                self.ws.send(data)
            except ConnectionClosed:
                self.closed = True
                raise
            if self.sent is not None:
                self.sent.append((event, len(data.encode()), time.monotonic()))
        return event

    def error(self, code: str, message: str, *, param: str | None = None, client_event_id: str | None = None,
              kind: str = "invalid_request_error", live: bool = False) -> None:
        if code not in ERRORS:  # one table of codes (webapp/errors.json), in OpenAI's error shape here
            raise ValueError(f"error code {code!r} is not in webapp/errors.json")
        err = {"type": kind, "code": code, "message": message, "param": param}
        if live:  # the Live API names the offending client event client_event_id
            err["client_event_id"] = client_event_id
            self.send({"type": "error", "error": err, "client_event_id": client_event_id})
        else:
            err["event_id"] = client_event_id
            self.send({"type": "error", "error": err})

    def receive(self):
        return self.ws.receive()

    def close(self, code: int, message: str) -> None:
        self.closed = True
        try:
            self.ws.close(reason=code, message=message[:120])
        except Exception:  # noqa: BLE001 - already gone
            pass


def take_conversation(sock: EventSocket, conv, owner: str, mode: str, live: bool = False) -> bool:
    """Claim the conversation for this socket and start a new one in `mode` (the engine is
    re-made when the mode differs, and stays so: the next client that needs the other mode
    switches it back, so back-to-back sessions of one kind never reload the models).
    False after answering `error` + close (busy: 1013)."""
    try:
        conv.ensure_engine()
        conv.claim(owner)
    except ApiError as e:
        busy = e.status == 409
        try:
            sock.error("session_busy" if busy else e.code,
                       e.message + ("; try again when it has ended" if busy else ""),
                       kind="invalid_request_error" if busy else "server_error", live=live)
        except ConnectionClosed:
            return False
        sock.close(CLOSE_TRY_AGAIN if busy else CLOSE_INTERNAL, "busy" if busy else e.code)
        return False
    try:
        conv.configure({"mode": mode}, owner=owner)
    except ApiError as e:
        conv.release(owner)
        try:
            sock.error(e.code, e.message, kind="server_error", live=live)
        except ConnectionClosed:
            pass
        sock.close(CLOSE_INTERNAL, e.code)
        return False
    return True


def register(app) -> None:
    from .live import LiveSession
    from .realtime import RealtimeSession

    options = app.config.setdefault("SOCK_SERVER_OPTIONS", {})
    protocols = list(options.get("subprotocols") or [])
    options["subprotocols"] = protocols + [SUBPROTOCOL] if SUBPROTOCOL not in protocols else protocols
    sock = Sock(app)

    @sock.route("/v1/realtime")
    def openai_realtime(ws):
        RealtimeSession(ws, current_app.extensions["omni.conversation"], current_app.extensions["omni.config"]).run()

    @sock.route("/v1/live/sessions")
    def openai_live(ws):
        LiveSession(ws, current_app.extensions["omni.conversation"], current_app.extensions["omni.config"]).run()
