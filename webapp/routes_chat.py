"""Chunked HTTP: POST one utterance to /v1/chat, get the reply as NDJSON events or as a WAV
that streams while it is generated."""
from __future__ import annotations

from flask import Blueprint, current_app, request

from . import media
from .errors import ApiError
from .wire import ndjson_frame, stream_turn

bp = Blueprint("chat", __name__)

AUDIO_TYPES = {"audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave", "audio/flac", "audio/x-flac",
               "audio/mpeg", "audio/mp3", "application/octet-stream"}


@bp.post("/v1/chat")
def chat():
    conv = current_app.extensions["omni.conversation"]
    cfg = current_app.extensions["omni.config"]
    if request.mimetype not in AUDIO_TYPES:
        raise ApiError("unsupported_media_type", f"send the question as an audio file body (Content-Type "
                                                 f"audio/wav, audio/flac or audio/mpeg), not "
                                                 f"'{request.mimetype or 'none'}'")
    audio = media.parse_audio(request.get_data(cache=False), cfg.max_audio_seconds)
    conv.ensure_engine()
    if conv.settings.mode != "simplex":
        raise ApiError("wrong_mode", "/v1/chat answers one utterance and needs simplex mode; this conversation "
                                     "is duplex (use the WebSocket /omni/realtime, or init with duplex_mode false)")
    turn = conv.start_turn(**audio.prefill_args(), fresh=True, new_conversation=cfg.one_shot_chat)
    headers = {"X-Omni-Turn-Id": str(turn.id)}
    if request.accept_mimetypes.best_match(["application/x-ndjson", "audio/wav"]) == "audio/wav" \
            and "audio/wav" in request.accept_mimetypes.values():
        return stream_turn(conv, turn, _pcm, "audio/wav", head=media.wav_header(24000),  # sizes unknown yet
                           binary_audio=True, headers=headers)
    return stream_turn(conv, turn, lambda event, _: ndjson_frame(event), "application/x-ndjson", keepalive=b"\n",
                       headers=headers)


def _pcm(event, ev) -> bytes:
    return ev.pcm.astype("<i2").tobytes() if ev.pcm is not None else b""
