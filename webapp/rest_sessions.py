"""X-Omni-Session: a name for the seed REST flow's conversation, which spans requests
(init_sys_prompt → streaming_prefill → streaming_generate → ...).

A load balancer pins the requests that carry the same name to one backend (deploy/haproxy/),
and this server holds its conversation for that name between the requests: another client's
request that would enter it (a prefill, a turn, an init, /v1/chat, a WebSocket) is refused
with 503 `held`, which a balancer retries elsewhere, until the holder has been idle for
`session_idle_s` or ends the session (DELETE /omni/session). A request naming a session this
server does not hold gets 409 `session_expired`, never someone else's conversation. Without
the header nothing changes: the server is the local single-user server it always was."""
from __future__ import annotations

import contextlib
import re
import threading
import time

from flask import Blueprint, Flask, current_app, jsonify, request

import omni_py

from .errors import ApiError

HEADER = "X-Omni-Session"
VALID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
# Requests that read or change nothing of the conversation.
FREE_ENDPOINTS = {"omni.health", "static", "index"}

bp = Blueprint("rest_sessions", __name__)


class RestSessions:
    def __init__(self, conv, config):
        self.conv, self.config = conv, config
        self._lock = threading.Lock()
        self._holder: str | None = None
        self._last = 0.0  # when the holder's last request ended (or its turn was seen running)

    def holder(self) -> str | None:
        """The session holding the conversation now; a lapsed hold is dropped."""
        with self._lock:
            if self._holder is None:
                return None
            if self.conv.busy:
                self._last = time.monotonic()
            if time.monotonic() - self._last <= self.config.session_idle_s:
                return self._holder
            self._holder = None
        self._forget()
        return None

    def _forget(self) -> None:
        """The holder left: drop what it prefilled, so the next client starts clean."""
        with contextlib.suppress(ApiError, omni_py.OmniError):
            if self.conv.pending and not self.conv.busy:
                self.conv.reset()

    def held(self) -> bool:
        return self.holder() is not None

    def admit(self, name: str | None) -> None:
        """Let this request in, or refuse it. An init naming a session claims the conversation
        now, before it runs, so that nobody slips in between the init and the next request."""
        holder = self.holder()
        rest = (request.path.startswith("/omni/") and request.endpoint != "rest_sessions.end"
                and request.headers.get("Upgrade", "").lower() != "websocket")
        if holder is not None and name == holder:
            self.touch(name)
            return
        if holder is not None:
            # 503, not 409: a load balancer retries it on another backend.
            raise ApiError("held", f"another client's REST session ({HEADER}) holds this server's "
                                   f"conversation between its requests; it lapses after "
                                   f"{self.config.session_idle_s:g} s without a request")
        if name is None or not rest:
            return
        if request.endpoint == "omni.init_sys_prompt":
            with self._lock:
                self._holder, self._last = name, time.monotonic()
            return
        raise ApiError("session_expired", f"this server holds no conversation for {HEADER} '{name}' (it "
                                          f"lapsed after {self.config.session_idle_s:g} s without a request, "
                                          "or another server answered the init); call /omni/init_sys_prompt "
                                          "again")

    def touch(self, name: str) -> None:
        with self._lock:
            if self._holder == name:
                self._last = time.monotonic()

    def release(self, name: str, forget: bool = True) -> bool:
        with self._lock:
            if self._holder != name:
                return False
            self._holder = None
        if forget:
            self._forget()
        return True


def _session_name() -> str | None:
    name = request.headers.get(HEADER)
    if name is None:
        return None
    if not VALID.fullmatch(name):
        raise ApiError("bad_session", f"{HEADER} must be 1 to 64 letters, digits or . _ : - (a random id "
                                      f"such as a UUID), not {name!r}")
    return name


@bp.delete("/omni/session")
def end():
    """End the named REST session: the server is free for the next client at once."""
    name = request.headers.get(HEADER)
    if name is None:
        raise ApiError("missing_session", f"send the {HEADER} header of the session to end")
    ended = current_app.extensions["omni.rest_sessions"].release(name)
    return jsonify({"success": True, "ended": ended})


def install(app: Flask, conv, config) -> RestSessions:
    sessions = RestSessions(conv, config)
    app.extensions["omni.rest_sessions"] = sessions
    app.register_blueprint(bp)
    life = app.extensions.get("omni.lifecycle")
    if life is not None:
        life.holds.append(sessions.held)  # a held conversation is busy, and a drain waits for it

    @app.before_request
    def _admit():
        if request.endpoint in FREE_ENDPOINTS or request.endpoint is None:
            return
        sessions.admit(_session_name())

    @app.after_request
    def _after(resp):
        name = request.headers.get(HEADER)
        if name is not None and request.endpoint == "omni.init_sys_prompt" and resp.status_code >= 400:
            sessions.release(name, forget=False)  # the init failed: it holds nothing
        elif name is not None:
            # The idle time counts from the end of the holder's request (a stream ends with its turn).
            resp.call_on_close(lambda: sessions.touch(name))
        return resp

    return sessions
