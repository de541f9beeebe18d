"""Every error the server reports, in one table: code → HTTP status → description.

Every route and protocol raises ApiError(code, message) with a code from ERRORS; the
HTTP status comes from the table, never from the call site. The table is rendered into
webapp/PROTOCOL.md (python -m webapp.protocol_doc) and the page translates each code
(webapp/static/js/i18n.js); tests check both. One envelope for every failure:
{"error": {"code", "message"}}.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

import omni_py

log = logging.getLogger("omni.server")


@dataclass(frozen=True)
class ErrorCode:
    code: str
    http: int
    description: str
    group: str                 # where it comes from: engine, request, media, conversation, websocket, http
    status: str | None = None  # engine group: the omni_status (omni_c.h) it reports


ERRORS: dict[str, ErrorCode] = {e.code: e for e in (
    # The engine's statuses, as every transport reports them.
    ErrorCode("invalid_argument", 400, "the engine refused a value (an option, a sample rate, ...)", "engine",
              "OMNI_ERR_INVALID_ARGUMENT"),
    ErrorCode("engine_state", 409, "the engine cannot do that now (e.g. nothing was prefilled)", "engine",
              "OMNI_ERR_STATE"),
    ErrorCode("busy", 409, "one conversation, one turn at a time: another turn, client or engine holds it",
              "engine", "OMNI_ERR_BUSY"),
    ErrorCode("unsupported", 400, "the engine cannot do that (not compiled in, no vision model)", "engine",
              "OMNI_ERR_UNSUPPORTED"),
    ErrorCode("bad_media", 400, "the engine could not decode the audio or image", "engine", "OMNI_ERR_BAD_MEDIA"),
    ErrorCode("model_error", 503, "model files are missing or failed to load", "engine", "OMNI_ERR_MODEL"),
    ErrorCode("timeout", 504, "the engine did not answer in time", "engine", "OMNI_ERR_TIMEOUT"),
    ErrorCode("engine_error", 500, "the engine failed; the message says how", "engine", "OMNI_ERR_INTERNAL"),
    ErrorCode("too_large", 413, "input beyond an engine limit (audio duration, image size)", "engine",
              "OMNI_ERR_TOO_LARGE"),
    # Requests.
    ErrorCode("missing_body", 400, "the endpoint needs a JSON object body", "request"),
    ErrorCode("invalid_json", 400, "the body is not a JSON object", "request"),
    ErrorCode("wrong_type", 400, "a field has the wrong JSON type", "request"),
    ErrorCode("invalid_value", 400, "a field has a value outside its allowed set", "request"),
    ErrorCode("nothing_to_prefill", 400, "a prefill carried neither audio nor image", "request"),
    ErrorCode("unsupported_media_type", 415, "the body's Content-Type is not one this endpoint takes", "request"),
    ErrorCode("body_too_large", 413, "the request body is over the server's limit (--max-body-mb)", "request"),
    ErrorCode("bad_host", 403, "a loopback server answers only to localhost names (DNS rebinding guard)", "request"),
    ErrorCode("bad_origin", 403, "a state-changing request from another web origin", "request"),
    ErrorCode("unauthorized", 401, "the server needs 'Authorization: Bearer <token>' (or ?token=)", "request"),
    # Media checked before it reaches the engine.
    ErrorCode("bad_base64", 400, "a base64 field is not valid base64 (or has a data: prefix)", "media"),
    ErrorCode("empty_audio", 400, "the audio holds no samples", "media"),
    ErrorCode("bad_audio", 400, "the bytes are not decodable audio (WAV, FLAC, MP3, float32 or int16 PCM)",
              "media"),
    ErrorCode("audio_too_long", 413, "the audio lasts longer than the per-request limit (--max-audio-seconds)",
              "media"),
    ErrorCode("bad_image", 400, "the image is empty or not decodable", "media"),
    ErrorCode("image_too_large", 413, "the image has more bytes than the server takes", "media"),
    ErrorCode("image_not_supported", 400, "this conversation is audio-only (media_type 'audio')", "media"),
    ErrorCode("bad_voice", 400, "the reference voice is not audio of 0.5 to 30 s", "media"),
    # The conversation.
    ErrorCode("initializing", 409, "the engine is still loading; /health shows the progress", "conversation"),
    ErrorCode("not_initialized", 409, "no engine is loaded: POST /omni/init_sys_prompt first", "conversation"),
    ErrorCode("nothing_prefilled", 409, "a turn was asked for with no input since the last one", "conversation"),
    ErrorCode("wrong_mode", 409, "the endpoint needs the other mode (simplex or duplex)", "conversation"),
    # The WebSocket protocol (sent as `error` messages; the socket stays open).
    ErrorCode("bad_message", 400, "a text frame is not a JSON object with a string 'type'", "websocket"),
    ErrorCode("unknown_type", 400, "a message type the server does not know", "websocket"),
    ErrorCode("expected_binary", 400, "microphone audio must come as binary frames, not inside JSON", "websocket"),
    ErrorCode("bad_frame", 400, "a binary frame with an unknown kind byte or a broken header", "websocket"),
    # Running behind a load balancer (docs/deploy.md).
    ErrorCode("draining", 503, "the server is shutting down (SIGTERM) and takes no new conversation", "lifecycle"),
    ErrorCode("held", 503, "another client's REST session (X-Omni-Session) holds this server", "lifecycle"),
    ErrorCode("session_expired", 409, "this server holds no conversation for that X-Omni-Session", "lifecycle"),
    ErrorCode("bad_session", 400, "X-Omni-Session is not 1 to 64 letters, digits or . _ : -", "lifecycle"),
    ErrorCode("missing_session", 400, "DELETE /omni/session without the X-Omni-Session to end", "lifecycle"),
    # HTTP itself.
    ErrorCode("bad_request", 400, "the request is malformed", "http"),
    ErrorCode("not_found", 404, "no such endpoint", "http"),
    ErrorCode("method_not_allowed", 405, "the endpoint exists but not with this method (see Allow)", "http"),
    ErrorCode("http_error", 500, "another HTTP-level error", "http"),
    ErrorCode("internal", 500, "a bug in the server; the message names the exception", "http"),
)}

# omni_py exception -> wire code, for the engine group.
_BY_STATUS = {e.status: e.code for e in ERRORS.values() if e.status}
# werkzeug's HTTP errors -> wire code (one per HTTP status in the http and request groups).
_BY_HTTP = {e.http: e.code for e in ERRORS.values()
            if e.code in ("bad_request", "unauthorized", "not_found", "method_not_allowed", "body_too_large",
                          "unsupported_media_type")}


class ApiError(Exception):
    """An error with a code of ERRORS; its HTTP status comes from the table."""

    def __init__(self, code: str, message: str, **extra):
        if code not in ERRORS:
            raise ValueError(f"error code {code!r} is not in webapp/errors.py ERRORS; add it there")
        super().__init__(message)
        self.code, self.message, self.extra = code, message, extra
        self.status = ERRORS[code].http

    def body(self) -> dict:
        return envelope(self.code, self.message, **self.extra)


def envelope(code: str, message: str, **extra) -> dict:
    return {"error": {"code": code, "message": message, **extra}}


def code_for_status(status_name: str) -> str:
    """The wire code of an omni_status name (e.g. for an ERROR event inside a stream)."""
    return _BY_STATUS.get(status_name, "engine_error")


def from_engine(exc: omni_py.OmniError) -> ApiError:
    """An engine exception as the server reports it; the engine's message names the problem."""
    return ApiError(code_for_status(exc.name), exc.message or str(exc))


def register(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api(e: ApiError):
        return jsonify(e.body()), e.status

    @app.errorhandler(omni_py.OmniError)
    def _engine(e: omni_py.OmniError):
        return _api(from_engine(e))

    @app.errorhandler(HTTPException)
    def _http(e: HTTPException):
        code = _BY_HTTP.get(e.code or 500, "http_error")
        message = e.description or e.name
        if e.code == 413:
            limit = app.config.get("MAX_CONTENT_LENGTH")
            message = f"the request body is larger than the server's limit of {limit} bytes"
        resp = jsonify(envelope(code, message))
        resp.status_code = e.code or 500
        if e.code == 405 and hasattr(e, "valid_methods") and e.valid_methods:
            resp.headers["Allow"] = ", ".join(e.valid_methods)
        return resp

    @app.errorhandler(Exception)
    def _unexpected(e: Exception):
        log.exception("unhandled error")
        return jsonify(envelope("internal", f"internal server error: {type(e).__name__}: {e}")), 500
