"""create_app(config): the Flask application with its one Conversation."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, send_from_directory

from . import errors, lifecycle, realtime, rest_sessions, routes_chat, routes_omni, security
from .config import ServerConfig
from .conversation import Conversation

STATIC = Path(__file__).parent / "static"


def create_app(config: ServerConfig | None = None) -> Flask:
    config = config or ServerConfig()
    app = Flask(__name__, static_folder=str(STATIC), static_url_path="/static")
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
    realtime.register(app, conv, config)

    @app.get("/")
    def index():
        if not (STATIC / "index.html").is_file():
            return ("<!doctype html><title>omni</title><p>The browser page is not installed "
                    "(webapp/static/index.html). The API is up: see /health.</p>")
        return send_from_directory(STATIC, "index.html")

    if config.preload:
        conv.ensure_engine()
    return app
