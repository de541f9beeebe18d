"""/openapi.json: the OpenAPI document of the OpenAI-compatible HTTP endpoints, made from the
same pydantic models that validate the requests (webapp/openai/schemas_chat.py)."""
from __future__ import annotations

from functools import lru_cache

from flask import Blueprint, jsonify
from pydantic.json_schema import models_json_schema

from .schemas_chat import ChatCompletion, ChatCompletionChunk, ChatCompletionRequest, ErrorResponse, ModelList, ModelObject

bp = Blueprint("openai_openapi", __name__)

REF = "#/components/schemas/{model}"


def _ref(model) -> dict:
    return {"$ref": REF.format(model=model.__name__)}


def _errors(*codes: int) -> dict:
    return {str(c): {"description": desc, "content": {"application/json": {"schema": _ref(ErrorResponse)}}}
            for c, desc in ((400, "invalid request (the message names the parameter)"), (401, "missing bearer token"),
                            (409, "the engine is busy with another conversation, or in the wrong mode"),
                            (413, "audio or image too large"), (500, "the engine failed")) if c in codes}


@lru_cache(maxsize=1)
def document() -> dict:
    _, defs = models_json_schema([(m, "validation" if m is ChatCompletionRequest else "serialization") for m in
                                  (ChatCompletionRequest, ChatCompletion, ChatCompletionChunk, ModelList, ModelObject,
                                   ErrorResponse)], ref_template=REF)
    return {
        "openapi": "3.1.0",
        "info": {"title": "omni: OpenAI-compatible API", "version": "1",
                 "description": "MiniCPM-o on this machine behind OpenAI's endpoints. The WebSockets "
                                "/v1/realtime (Realtime API) and /v1/live/sessions (Live API) are described in "
                                "docs/openai.md."},
        "paths": {
            "/v1/models": {"get": {"summary": "The loaded model (any id is accepted as an alias)",
                                   "responses": {"200": {"description": "models",
                                                         "content": {"application/json": {"schema": _ref(ModelList)}}}}}},
            "/v1/models/{model}": {"get": {
                "summary": "Any model id, as an alias of the loaded model",
                "parameters": [{"name": "model", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "the model",
                                      "content": {"application/json": {"schema": _ref(ModelObject)}}}}}},
            "/v1/chat/completions": {"post": {
                "summary": "A spoken (or text) reply to the last user message's audio and images",
                "requestBody": {"required": True,
                                "content": {"application/json": {"schema": _ref(ChatCompletionRequest)}}},
                "responses": {
                    "200": {"description": "a ChatCompletion; with stream=true, text/event-stream of "
                                           "`data: <ChatCompletionChunk>` lines ended by `data: [DONE]`",
                            "content": {"application/json": {"schema": _ref(ChatCompletion)},
                                        "text/event-stream": {"schema": _ref(ChatCompletionChunk)}}},
                    **_errors(400, 401, 409, 413, 500)}}},
        },
        "components": {"schemas": defs["$defs"],
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                                      "description": "only when the server was started with a token"}}},
    }


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())
