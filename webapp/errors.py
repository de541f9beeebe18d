"""One error envelope for every failure: {"error": {"code", "message"}} with the right status."""
from __future__ import annotations

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

import omni_py

log = logging.getLogger("omni.server")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, **extra):
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra

    def body(self) -> dict:
        return envelope(self.code, self.message, **self.extra)


def envelope(code: str, message: str, **extra) -> dict:
    return {"error": {"code": code, "message": message, **extra}}


# omni_py exception → (HTTP status, code). The engine's message is kept: it names the problem.
_ENGINE_ERRORS = [
    (omni_py.TooLarge, 413, "too_large"),
    (omni_py.BadMedia, 400, "bad_media"),
    (omni_py.InvalidArgument, 400, "invalid_argument"),
    (omni_py.Unsupported, 400, "unsupported"),
    (omni_py.StateError, 409, "engine_state"),
    (omni_py.Busy, 409, "busy"),
    (omni_py.ModelError, 503, "model_error"),
    (omni_py.Timeout, 504, "timeout"),
    (omni_py.OmniError, 500, "engine_error"),
]

# C status → wire code for ERROR events inside a stream.
STATUS_CODES = {1: "invalid_argument", 2: "engine_state", 3: "busy", 4: "unsupported", 5: "bad_media",
                6: "model_error", 7: "timeout", 8: "engine_error", 9: "too_large"}


def from_engine(exc: omni_py.OmniError) -> ApiError:
    for cls, status, code in _ENGINE_ERRORS:
        if isinstance(exc, cls):
            return ApiError(status, code, exc.message or str(exc))
    return ApiError(500, "engine_error", str(exc))


_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 413: "body_too_large", 415: "unsupported_media_type"}


def register(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api(e: ApiError):
        return jsonify(e.body()), e.status

    @app.errorhandler(omni_py.OmniError)
    def _engine(e: omni_py.OmniError):
        return _api(from_engine(e))

    @app.errorhandler(HTTPException)
    def _http(e: HTTPException):
        code = _HTTP_CODES.get(e.code or 500, "http_error")
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
