"""create_app(config): the Flask application with its one Conversation."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, send_from_directory

from . import errors, lifecycle, omni_realtime, openai, rest_sessions, routes_chat, routes_omni, security
from .config import ServerConfig
from .conversation import Conversation

STATIC = Path(__file__).parent / "static"


def create_app(config: ServerConfig | None = None) -> Flask:
    config = config or ServerConfig()
    # --static: another front end (e.g. the seed demo's page) from the same origin, so the
    # Host, Origin and token checks cover its API calls exactly as they cover omni's page
    static = Path(config.static_dir) if config.static_dir else STATIC
    app = Flask(__name__, static_folder=str(static), static_url_path="/static")
    app.json.ensure_ascii = False
    conv = Conversation(config)
    app.extensions["omni.config"] = config
    app.extensions["omni.conversation"] = conv
    errors.register(app)
    security.install(app, config)
    lifecycle.install(app, conv, config)
    rest_sessions.install(app, conv, config)
    app.register_blueprint(routes_omni.bp)
    app.register_blueprint(routes_chat.bp)
    omni_realtime.register(app, config)
    openai.register(app)

    @app.get("/")
    def index():
        if not (static / "index.html").is_file():
            return ("<!doctype html><title>omni</title><p>The browser page is not installed "
                    "(index.html is missing). The API is up: see /health.</p>")
        return send_from_directory(static, "index.html")

    return app  # the engine loads at the first request, or when the CLI asks (config.preload)
