"""GET /v1/models and POST /v1/chat/completions (audio in and out), as OpenAI clients expect.

The engine listens and looks: a user message reaches it as audio (`input_audio`) and images
(`image_url` data URIs); text parts and system messages are accepted but not heard (the
engine has no text input). History: Chat Completions resends the whole conversation every
time, while the engine keeps its own. When a request continues the conversation this
server last answered (same earlier messages, our reply as the last assistant message, and
nothing else used the engine since), the engine's context is kept; otherwise the request
starts a new conversation with its last user message and says so in `X-Omni-History`.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import threading

import numpy as np
from flask import Blueprint, current_app, jsonify, request

import omni_py

from .. import media
from ..errors import ApiError
from ..security import json_body
from ..wire import WireTurn, pump, stream_turn
from . import common
from .schemas_chat import (AudioPart, ChatCompletion, ChatCompletionChunk, ChatCompletionRequest, ImagePart, ModelList,
                           ModelObject, TextPart)

bp = Blueprint("openai_chat", __name__)


@bp.errorhandler(ApiError)
def openai_error(e: ApiError):
    """Every error of these routes in OpenAI's shape, also those raised by the shared checks
    (media, JSON body): `type` and `param` beside `code` and `message`."""
    body = e.body()
    body["error"].setdefault("type", "invalid_request_error" if e.status < 500 else "server_error")
    body["error"].setdefault("param", None)
    return jsonify(body), e.status

_DATA_URI = re.compile(r"^data:(?P<mime>[\w/+.-]+)?(?:;[\w=-]+)*;base64,(?P<data>.*)$", re.S)


def conv():
    return current_app.extensions["omni.conversation"]


def cfg():
    return current_app.extensions["omni.config"]


@bp.get("/v1/models")
def list_models():
    ids = common.model_ids(conv())
    body = ModelList(data=[ModelObject(id=i, created=common.CREATED, owned_by=common.OWNED_BY) for i in ids])
    return jsonify(common.dump(body))


@bp.get("/v1/models/<path:model_id>")
def get_model(model_id: str):
    # Any id is an alias of the one loaded model, so clients configured for another model work.
    return jsonify(common.dump(ModelObject(id=model_id, created=common.CREATED, owned_by=common.OWNED_BY)))


# -- request -> engine input ------------------------------------------------------------------
def _image_bytes(url: str, param: str) -> bytes:
    m = _DATA_URI.match(url)
    if not m:
        raise common.invalid("image URLs are not fetched by this local server; send the image inline as a "
                             "data URI (data:image/jpeg;base64,...)", param, "unsupported_image_url")
    try:
        data = base64.b64decode(re.sub(r"\s+", "", m.group("data")), validate=True)
    except (binascii.Error, ValueError) as e:
        raise common.invalid(f"the image data URI is not valid base64: {e}", param) from None
    if not data:
        raise common.invalid("the image is empty", param)
    if len(data) > cfg().max_image_bytes:
        raise common.invalid(f"the image has {len(data)} bytes; the limit is {cfg().max_image_bytes}", param,
                             "image_too_large")
    return data


def engine_inputs(req: ChatCompletionRequest) -> list[dict]:
    """The last user message as prefill() keyword dicts, in order."""
    idx = max((i for i, m in enumerate(req.messages) if m.role == "user"), default=None)
    if idx is None:
        raise common.invalid("the messages hold no user message to answer", "messages")
    content = req.messages[idx].content
    parts = [TextPart(type="text", text=content)] if isinstance(content, str) else (content or [])
    out = []
    for j, part in enumerate(parts):
        param = f"messages[{idx}].content[{j}]"
        if isinstance(part, AudioPart):
            data = media.b64decode(part.input_audio.data, f"{param}.input_audio.data")
            audio = media.parse_audio(data, cfg().max_audio_seconds)
            if audio.file_bytes is None:
                raise common.invalid("input_audio.data must be a complete audio file (WAV, MP3 or FLAC)",
                                     f"{param}.input_audio.data", "invalid_audio")
            out.append({"audio": audio.file_bytes, "_seconds": audio.seconds})
        elif isinstance(part, ImagePart):
            out.append({"image": _image_bytes(part.image_url.url, f"{param}.image_url.url")})
    if not any("audio" in i for i in out) and not any("image" in i for i in out):
        raise common.invalid("MiniCPM-o listens and looks: the last user message needs an 'input_audio' part (or an "
                             "'image_url'); text input is not supported by this engine", f"messages[{idx}].content",
                             "unsupported_content")
    return out


# -- history ----------------------------------------------------------------------------------
def _fingerprint(msg) -> str:
    if msg.role == "assistant":
        if msg.audio is not None:
            return "assistant-audio:" + msg.audio.id
        text = msg.content if isinstance(msg.content, str) else "".join(
            getattr(p, "text", "") for p in (msg.content or []))
        return "assistant-text:" + text.strip()
    raw = json.dumps(msg.model_dump(mode="json", exclude_none=True), sort_keys=True)
    return msg.role + ":" + hashlib.sha256(raw.encode()).hexdigest()


class ChatMemory:
    """What this server answered last, to tell a continued conversation from a new one."""

    def __init__(self):
        self.lock = threading.Lock()
        self.known: list[str] = []          # fingerprints of the conversation the engine holds
        self.reply: set[str] = set()        # the two ways a client may send our last reply back
        self.epoch = self.turn_id = None

    def continues(self, conversation, earlier: list) -> bool:
        if not earlier or conversation.epoch != self.epoch or conversation.last_turn_id != self.turn_id:
            return False
        fps = [_fingerprint(m) for m in earlier]
        return fps[:-1] == self.known and fps[-1] in self.reply

    def remember(self, conversation, earlier: list, last_user, audio_id: str, transcript: str) -> None:
        self.known = [_fingerprint(m) for m in earlier] + [_fingerprint(last_user)]
        self.reply = {"assistant-audio:" + audio_id, "assistant-text:" + transcript.strip()}
        self.epoch, self.turn_id = conversation.epoch, conversation.last_turn_id


def memory() -> ChatMemory:
    return current_app.extensions.setdefault("omni.openai.chat_memory", ChatMemory())


# -- the endpoint ---------------------------------------------------------------------------------
@bp.post("/v1/chat/completions")
def chat_completions():
    req = common.parse(ChatCompletionRequest, json_body())
    if req.tools or req.functions:
        raise common.invalid("tools and function calling are not supported: MiniCPM-o here answers by voice and "
                             "calls no functions", "tools", "unsupported_parameter")
    wants_audio = "audio" in (req.modalities or ["text"])
    fmt = None
    if wants_audio:
        if req.audio is None:
            raise common.invalid("'audio' is required when modalities include 'audio', e.g. "
                                 '{"voice": "alloy", "format": "wav"}', "audio", "missing_required_parameter")
        fmt = req.audio.format
        if req.stream and fmt != "pcm16":
            raise common.invalid(f"audio.format '{fmt}' cannot be streamed; the only supported audio format when "
                                 "streaming is pcm16", "audio.format", "unsupported_format")
        if fmt not in common.writable_formats():
            raise common.invalid(f"audio.format '{fmt}' cannot be produced here; use one of "
                                 f"{', '.join(common.writable_formats())}", "audio.format", "unsupported_format")
    inputs = engine_inputs(req)
    c = conv()
    c.ensure_engine()
    if c.settings.mode != "simplex":  # a Live session left the engine in duplex: one message needs simplex
        c.configure({"mode": "simplex"})
    mem = memory()
    last_user = max(i for i, m in enumerate(req.messages) if m.role == "user")
    earlier = [m for m in req.messages[:last_user] if m.role in ("user", "assistant")]
    with mem.lock:
        continued = mem.continues(c, earlier)
        if not continued:
            c.reset()
        prefills = [{k: v for k, v in i.items() if not k.startswith("_")} for i in inputs]
        try:
            turn = c.start_turn(inputs=tuple(prefills), fresh=True)
        except omni_py.BadMedia as e:
            c.reset()  # part of the message may be in the engine already: start clean next time
            raise ApiError("invalid_media", e.message, type="invalid_request_error") from None
    history = "continued" if continued else (
        f"new; {len(earlier)} earlier message(s) not replayed (the engine takes no text)" if earlier else "new")
    reply = Reply(req, turn, fmt, sum(i.get("_seconds", 0) for i in inputs),
                  sum(1 for i in inputs if "image" in i))
    headers = {"X-Omni-History": history, "X-Omni-Turn-Id": str(turn.id)}

    def remember():
        with mem.lock:
            mem.remember(c, earlier, req.messages[last_user], reply.audio_id, reply.text)

    if req.stream:
        def tail() -> bytes:
            end = reply.end()
            if reply.reason == "completed":
                remember()
            return end

        return stream_turn(c, turn, reply.frame, "text/event-stream", head=reply.head(),
                           keepalive=b": keep-alive\n\n", tail=tail, headers=headers)

    for event, ev in pump(c, turn, WireTurn(turn), request.environ.get("werkzeug.socket"), cfg().poll_s):
        if ev is not None:
            reply.take(event, ev)
    if reply.error:
        raise ApiError("engine_error", reply.error, type="server_error")
    remember()
    return jsonify(reply.completion()), 200, headers


class Reply:
    """One turn's engine events, as a ChatCompletion or as its stream of chunks."""

    def __init__(self, req: ChatCompletionRequest, turn, fmt: str | None, input_seconds: float, images: int):
        self.req, self.turn, self.fmt = req, turn, fmt
        self.id = common.new_id("chatcmpl")
        self.audio_id = common.new_id("audio")
        self.created = common.now()
        self.input_seconds, self.images = input_seconds, images
        self.text = ""
        self.pcm: list[np.ndarray] = []
        self.samples = 0
        self.stats: dict = {}
        self.error: str | None = None
        self.reason: str | None = None
        self._audio_announced = False  # the first audio delta carries the audio's id

    def take(self, event: dict, ev) -> None:
        """One engine event (`ev`) and its wire form (`event`: the turn's stats come in `done`)."""
        if ev.type == "text":
            self.text += ev.text or ""
        elif ev.type == "audio" and ev.pcm is not None:
            self.pcm.append(ev.pcm)
            self.samples += len(ev.pcm)
        elif ev.type == "error":
            self.error = ev.text or "the engine failed"
        elif ev.type == "turn_done":
            self.reason = ev.reason
            self.stats = event.get("stats") or {}

    def usage(self) -> dict:
        audio_in = common.tokens_for_input_audio(self.input_seconds * 1000)
        image_in = 64 * self.images  # MiniCPM-o: 64 query tokens per image slice
        text_out = int(self.stats.get("llm_tokens") or max(1, round(len(self.text) / 4)) if self.text else 0)
        audio_out = common.tokens_for_speech(self.samples) if self.fmt else 0
        return {"prompt_tokens": audio_in + image_in, "completion_tokens": text_out + audio_out,
                "total_tokens": audio_in + image_in + text_out + audio_out,
                "prompt_tokens_details": {"audio_tokens": audio_in, "cached_tokens": 0, "image_tokens": image_in,
                                          "text_tokens": 0},
                "completion_tokens_details": {"audio_tokens": audio_out, "text_tokens": text_out,
                                              "reasoning_tokens": 0}}

    def completion(self) -> dict:
        message: dict = {"role": "assistant", "content": None if self.fmt else self.text, "refusal": None,
                         "annotations": [], "audio": None}
        if self.fmt:
            pcm = np.concatenate(self.pcm) if self.pcm else np.zeros(0, np.int16)
            message["audio"] = {"id": self.audio_id, "data": common.b64(common.encode_audio(pcm, self.fmt)),
                                "expires_at": self.created + common.AUDIO_EXPIRES_S, "transcript": self.text}
        body = {"id": self.id, "object": "chat.completion", "created": self.created, "model": self.req.model,
                "choices": [{"index": 0, "message": message, "finish_reason": "stop", "logprobs": None}],
                "usage": self.usage(), "system_fingerprint": None, "service_tier": None}
        return common.dump(ChatCompletion.model_validate(body))

    def _chunk(self, delta: dict, finish: str | None = None, usage: dict | None = None, choices=True) -> bytes:
        body = {"id": self.id, "object": "chat.completion.chunk", "created": self.created, "model": self.req.model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}] if choices
                else [], "usage": usage, "system_fingerprint": None}
        ChatCompletionChunk.model_validate(body)  # the schema in /openapi.json is what is sent
        return f"data: {json.dumps(body, ensure_ascii=False, separators=(',', ':'))}\n\n".encode()

    # -- streaming: the SSE body through wire.stream_turn ---------------------------------------
    def head(self) -> bytes:
        return self._chunk({"role": "assistant", "content": None if self.fmt else "", "refusal": None})

    def frame(self, event: dict, ev) -> bytes:
        """The SSE `data:` line of one engine event: a transcript/content or audio delta (or nothing)."""
        self.take(event, ev)
        if ev.type == "text" and ev.text:
            if not self.fmt:
                return self._chunk({"content": ev.text})
            audio = {"transcript": ev.text}
            if not self._audio_announced:
                audio["id"], self._audio_announced = self.audio_id, True
            return self._chunk({"audio": audio})
        if ev.type == "audio" and self.fmt and ev.pcm is not None and len(ev.pcm):
            self._audio_announced = True
            return self._chunk({"audio": {"id": self.audio_id, "data": common.b64(ev.pcm.astype("<i2").tobytes())}})
        return b""

    def end(self) -> bytes:
        """After the turn: the error, or the audio's expiry, finish_reason and usage; then [DONE]."""
        if self.error:
            err = {"error": {"message": self.error, "type": "server_error", "param": None, "code": "engine_error"}}
            return f"data: {json.dumps(err)}\n\n".encode() + b"data: [DONE]\n\n"
        out = b""
        if self.fmt:
            out += self._chunk({"audio": {"id": self.audio_id, "expires_at": self.created + common.AUDIO_EXPIRES_S}})
        out += self._chunk({}, finish="stop")
        if self.req.stream_options and self.req.stream_options.include_usage:
            out += self._chunk({}, usage=self.usage(), choices=False)
        return out + b"data: [DONE]\n\n"
