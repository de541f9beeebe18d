"""A server's life as seen by a load balancer: what /health answers (idle, busy, draining,
restarting, failed, with a status code a balancer can check), which backend answered (X-Omni-Backend),
and a graceful drain on SIGTERM: refuse new conversations, let the running one finish, stop.

One server holds one conversation; the balancer (deploy/haproxy/) queues the others. Busy is
not a failure: /health answers 200 while a turn runs and 503 only when the server cannot take
conversations any more (its engine failed to load, or it is draining), or not yet again (the
engine's own process ended and a new one is loading: isolate=process)."""
from __future__ import annotations

import contextlib
import logging
import threading
import time

from flask import Flask, request

from .errors import ApiError

log = logging.getLogger("omni.server")

BACKEND_HEADER = "X-Omni-Backend"
# Requests that begin a conversation; a draining server refuses them (a WebSocket upgrade too).
NEW_CONVERSATION_PATHS = ("/v1/chat", "/v1/chat/completions", "/omni/init_sys_prompt")
CLOSE_GOING_AWAY = 1001


def _is_websocket() -> bool:
    return request.headers.get("Upgrade", "").lower() == "websocket"


class _Body:
    """A response body that reports its end exactly once: when it is closed, or when its
    iteration stops. Werkzeug's server skips close() when the peer resets the connection
    after the response (HAProxy does), so close alone would miss some ends."""

    def __init__(self, body, on_end):
        self.body, self.on_end, self._ended = body, on_end, False

    def __iter__(self):
        try:
            yield from self.body
        finally:
            self.close()

    def close(self) -> None:
        if self._ended:
            return
        self._ended = True
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            self.on_end()

    def __del__(self):
        self.close()


class Lifecycle:
    def __init__(self, conv, config):
        self.conv, self.config = conv, config
        self.draining_since: float | None = None
        self.holds: list = []            # callables: True while something else keeps the conversation
        self._cond = threading.Condition()
        self._in_flight = 0              # requests being answered (a WebSocket for its whole life), /health aside
        self._websockets: set = set()

    # -- /health ---------------------------------------------------------------------
    def health(self) -> tuple[dict, int]:
        body = self.conv.health()
        process = (body.get("isolation") or {}).get("state")
        if body["status"] == "error" or process == "down":
            state = "failed"  # the engine could not be created (or keeps dying): restart (or fix) this server
        elif process == "restarting":
            state = "restarting"  # its process ended; a new one is loading the models
        elif self.draining_since is not None:
            state = "draining"
        elif body["busy"] or body["session"] or any(hold() for hold in self.holds):
            state = "busy"
        else:
            state = "idle"
        body.update(state=state, available=state == "idle", draining=self.draining_since is not None)
        return body, 503 if state in ("failed", "draining", "restarting") else 200

    # -- requests in flight ------------------------------------------------------------
    def wrap_wsgi(self, wsgi_app):
        """Count requests until their body is closed (a stream lasts its turn, a WebSocket its session)."""
        def counted(environ, start_response):
            if environ.get("PATH_INFO") == "/health":
                return wsgi_app(environ, start_response)
            with self._cond:
                self._in_flight += 1
            try:
                body = wsgi_app(environ, start_response)
            except BaseException:
                self._request_done()
                raise
            return _Body(body, self._request_done)
        return counted

    def _request_done(self) -> None:
        with self._cond:
            self._in_flight -= 1
            self._cond.notify_all()

    @contextlib.contextmanager
    def websocket(self, ws):
        """Track an open WebSocket so that a drain can close it between turns."""
        with self._cond:
            self._websockets.add(ws)
        try:
            yield
        finally:
            with self._cond:
                self._websockets.discard(ws)

    # -- drain -------------------------------------------------------------------------
    def drain(self, stop) -> bool:
        """Begin draining (idempotent); `stop()` is called once nothing runs any more.
        Returns False when a drain was already under way."""
        with self._cond:
            if self.draining_since is not None:
                return False
            self.draining_since = time.monotonic()
        threading.Thread(target=self._drain, args=(stop,), name="omni-drain", daemon=True).start()
        return True

    def _idle(self) -> bool:
        return self._in_flight == 0 and not self.conv.busy and not any(hold() for hold in self.holds)

    def _close_websockets(self) -> None:
        with self._cond:
            sockets = list(self._websockets)
        reason = '{"code":"draining","message":"this server is shutting down; reconnect to continue elsewhere"}'
        for ws in sockets:
            with contextlib.suppress(Exception):
                ws.close(reason=CLOSE_GOING_AWAY, message=reason)

    def _drain(self, stop) -> None:
        deadline = self.draining_since + self.config.drain_timeout_s
        forced = False
        while True:
            if not self.conv.busy:
                self._close_websockets()  # between turns: the session's running turn has finished
            with self._cond:
                if self._idle():
                    break
                if time.monotonic() < deadline:
                    # Woken when a request ends; the timeout also notices a WebSocket turn ending
                    # (that is no request) and the deadline.
                    self._cond.wait(0.1)
                    continue
            if forced:
                break
            log.warning("drain: still busy after %.0f s; stopping the running turn", self.config.drain_timeout_s)
            forced, deadline = True, time.monotonic() + 5
            self.conv.interrupt("drain")
            self._close_websockets()
        stop()


def install(app: Flask, conv, config) -> Lifecycle:
    life = Lifecycle(conv, config)
    app.extensions["omni.lifecycle"] = life
    app.wsgi_app = life.wrap_wsgi(app.wsgi_app)

    @app.before_request
    def _refuse_new_conversations_while_draining():
        if life.draining_since is not None and (request.path in NEW_CONVERSATION_PATHS or _is_websocket()):
            raise ApiError("draining", "this server is shutting down and takes no new conversation; "
                                       "a load balancer sends it to another server")

    @app.after_request
    def _backend_header(resp):
        if config.backend_id:
            resp.headers[BACKEND_HEADER] = config.backend_id
        return resp

    return life
