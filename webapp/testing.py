"""Helpers for tests and benchmarks: a real server on a free loopback port."""
from __future__ import annotations

import contextlib
import dataclasses

from .app import create_app
from .config import ServerConfig
from .engine_options import EngineSettings
from .serving import LocalServer


def sim_config(**overrides) -> ServerConfig:
    """A sim engine with zero delays; `engine_extra=` adds sim options (reply_tokens, ...)."""
    options = {"timing": "zero", **overrides.pop("engine_extra", {})}
    for key in ("mode", "media_type", "language"):
        if key in overrides:
            options[key] = overrides.pop(key)
    engine = EngineSettings(kind="sim", options=options)
    return dataclasses.replace(ServerConfig(engine=engine, engine_reason="test"), **overrides)


@contextlib.contextmanager
def running_server(config: ServerConfig | None = None):
    """Yield a started LocalServer (its .url, .app); shut it down afterwards."""
    server = LocalServer(create_app(config or sim_config()), "127.0.0.1", 0).start()
    try:
        yield server
    finally:
        server.shutdown()


def iter_sse(resp):
    """Spec-conforming SSE parsing of a streamed requests.Response: yields (event, data)."""
    return sse_events(resp.iter_lines(decode_unicode=True, chunk_size=None))


def sse_events(lines):
    """Spec-conforming SSE parsing of body lines: yields (event, data). `data:` lines are
    joined by newlines and one optional space after the colon is dropped."""
    import json

    event, data = "message", []
    for raw in lines:
        if raw == "":
            if data:
                yield event, json.loads("\n".join(data))
            event, data = "message", []
            continue
        if raw.startswith(":"):
            continue
        name, _, value = raw.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "event":
            event = value
        elif name == "data":
            data.append(value)


def iter_ndjson(resp):
    import json

    for line in resp.iter_lines(decode_unicode=True, chunk_size=None):
        if line.strip():
            yield json.loads(line)
