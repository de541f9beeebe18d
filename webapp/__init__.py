"""omni web server: seed-compatible REST + SSE, chunked HTTP and a realtime WebSocket in
front of one libomni_c engine. See the README's API section and PROTOCOL.md."""
from .app import create_app
from .config import ServerConfig
from .engine_options import EngineSettings

__all__ = ["create_app", "ServerConfig", "EngineSettings"]
