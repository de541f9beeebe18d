"""Server configuration: one dataclass that the CLI fills and create_app() reads."""
from __future__ import annotations

from dataclasses import dataclass, field

from .engine_options import EngineSettings


@dataclass
class ServerConfig:
    engine: EngineSettings = field(default_factory=EngineSettings)
    engine_reason: str = ""            # why this engine kind runs (shown at start-up and in /health)
    host: str = "127.0.0.1"
    port: int = 9060
    allow_remote: bool = False         # bind/serve beyond loopback
    token: str | None = None           # bearer token required on every API call when set
    allowed_origins: tuple[str, ...] = ()  # extra Origins allowed besides the server's own
    max_body_bytes: int = 32 * 1024 * 1024
    max_audio_seconds: float = 300.0   # per request / per turn
    max_image_bytes: int = 16 * 1024 * 1024
    preload: bool = False              # omni-server: load the engine as soon as it listens, not at the first request
    static_dir: str | None = None      # another browser front end served at / and /static/ (omni's page if None)
    duplex_input_wait_s: float = 5.0   # a duplex generate with nothing prefilled waits this long for input
    poll_s: float = 0.05               # how often a waiting stream checks that its client is still there
    ws_ping_interval: float | None = 25.0
    # Behind a load balancer (docs/deploy.md):
    one_shot_chat: bool = False        # each /v1/chat is a new conversation (several users share the server)
    backend_id: str | None = None      # X-Omni-Backend on every response; default host:port once bound
    session_idle_s: float = 30.0       # an X-Omni-Session REST hold lapses after this long without a request
    drain_timeout_s: float = 120.0     # SIGTERM: longest wait for the running conversation before stopping it
