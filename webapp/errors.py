"""Every error the server reports, in one table: code → HTTP status → description.

Every route and protocol raises ApiError(code, message) with a code of the table (the data
file webapp/errors.json); the HTTP status comes from the table, never from the call site. The table is rendered into
webapp/PROTOCOL.md (python -m webapp.protocol_doc) and the page translates each code
(webapp/static/js/i18n.js); tests check both. One envelope for every failure:
{"error": {"code", "message"}}.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

import omni_py

log = logging.getLogger("omni.server")


@dataclass(frozen=True)
class ErrorCode:
    code: str
    http: int
    description: str
    group: str                 # where it comes from: a key of GROUPS
    status: str | None = None  # engine group: the omni_status (omni_c.h) it reports


# The table itself is data: webapp/errors.json, one line per code (add a code there, then its
# translations in webapp/static/js/i18n.js and python -m webapp.protocol_doc).
_TABLE = json.loads((Path(__file__).with_name("errors.json")).read_text(encoding="utf-8"))
GROUPS: dict[str, str] = _TABLE["groups"]
ERRORS: dict[str, ErrorCode] = {c["code"]: ErrorCode(**c) for c in _TABLE["codes"]}

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
