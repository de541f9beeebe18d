"""OpenAI-compatible endpoints over the one conversation (webapp/conversation.py):
/v1/models, /v1/chat/completions, /openapi.json, and the WebSockets /v1/realtime (Realtime
API) and /v1/live/sessions (Live API). docs/openai.md describes what each client gets."""
from __future__ import annotations

from . import chat, openapi, ws


def register(app) -> None:
    app.register_blueprint(chat.bp)
    app.register_blueprint(openapi.bp)
    ws.register(app)
