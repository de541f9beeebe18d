"""Request guards: Host (DNS rebinding), bearer token, Origin on state-changing requests and
the WebSocket upgrade, JSON content type, and body/audio limits."""
from __future__ import annotations

import hmac
import ipaddress
import json
from urllib.parse import urlsplit

from flask import Flask, request

from .errors import ApiError

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _host_only(netloc: str) -> str:
    return urlsplit("//" + netloc).hostname or ""


def _is_state_changing() -> bool:
    return request.method not in ("GET", "HEAD", "OPTIONS") or _is_websocket()


def _is_websocket() -> bool:
    return request.headers.get("Upgrade", "").lower() == "websocket"


def _origin_ok(origin: str, allowed: tuple[str, ...]) -> bool:
    if origin in allowed:
        return True
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False  # "null" (sandboxed pages, file://) and anything odd
    return parts.netloc.lower() == request.host.lower()  # same origin as the page we serve


BROWSER_KEY_PREFIX = "openai-insecure-api-key."  # browsers cannot set headers on a WebSocket


def _token_ok(token: str) -> bool:
    given = request.headers.get("Authorization", "")
    given = given[7:] if given.startswith("Bearer ") else request.args.get("token", "")
    if not given and _is_websocket():
        offered = [p.strip() for p in request.headers.get("Sec-WebSocket-Protocol", "").split(",")]
        given = next((p[len(BROWSER_KEY_PREFIX):] for p in offered if p.startswith(BROWSER_KEY_PREFIX)), "")
    return hmac.compare_digest(given.encode(), token.encode())


def install(app: Flask, config) -> None:
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes

    @app.before_request
    def _guard():
        # A loopback server must only answer to loopback host names, or a DNS-rebinding page
        # could talk to it as "same origin".
        if not config.allow_remote and not is_loopback(_host_only(request.host)):
            raise ApiError("bad_host", f"this server only answers to localhost, not to Host '{request.host}' "
                                       "(start it with --allow-remote to serve other names)")
        public = request.endpoint in ("static", "index") or request.path.startswith("/static/")
        if config.token and not public and not _token_ok(config.token):
            raise ApiError("unauthorized", "this server needs 'Authorization: Bearer <token>' "
                                           "(or ?token= on the WebSocket URL, or the subprotocol "
                                           "openai-insecure-api-key.<token>)")
        origin = request.headers.get("Origin")
        if origin is not None and _is_state_changing() and not _origin_ok(origin, config.allowed_origins):
            raise ApiError("bad_origin", f"requests from the web origin '{origin}' are not allowed; only pages "
                                         f"served by this server (http://{request.host}) may change its state")
        if request.content_length is not None and request.content_length > config.max_body_bytes:
            raise ApiError("body_too_large", f"the request body has {request.content_length} bytes; the limit "
                                             f"is {config.max_body_bytes} bytes")


def json_body(required: bool = True) -> dict:
    """The request's JSON object, insisting on application/json (which also makes a
    cross-site "simple" POST impossible)."""
    raw = request.get_data(cache=True)
    if not raw and not required:
        return {}
    if request.mimetype != "application/json":
        if not raw and request.mimetype == "":
            if required:
                raise ApiError("missing_body", "this endpoint needs a JSON object body")
            return {}
        raise ApiError("unsupported_media_type",
                       f"send the body as JSON with 'Content-Type: application/json' (got '{request.mimetype or 'none'}')")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ApiError("invalid_json", f"the body is not valid JSON: {e}") from None
    body = parse_client_json(text, "invalid_json", "the body")
    if not isinstance(body, dict):
        raise ApiError("invalid_json", f"the body must be a JSON object, not {type(body).__name__}")
    return body


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def parse_client_json(text: str, code: str, what: str):
    """JSON from a client, strictly: NaN and Infinity are refused (they are not JSON, and a
    value taken from them would travel on as a float no JSON client can read back), and so is
    nesting deep enough to exhaust the parser's recursion (the error names `what`)."""
    try:
        return json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise ApiError(code, f"{what} is nested too deeply to be read") from None
    except ValueError as e:
        raise ApiError(code, f"{what} is not valid JSON: {e}") from None
