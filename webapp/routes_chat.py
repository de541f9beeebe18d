"""Chunked HTTP: POST one utterance to /v1/chat, get the reply as NDJSON events or as a WAV
that streams while it is generated."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from . import media
from .errors import ApiError
from .wire import TurnBody, WireTurn, ndjson_frame, pump

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
    sock, poll_s = request.environ.get("werkzeug.socket"), cfg.poll_s
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no", "X-Omni-Turn-Id": str(turn.id)}

    if request.accept_mimetypes.best_match(["application/x-ndjson", "audio/wav"]) == "audio/wav" \
            and "audio/wav" in request.accept_mimetypes.values():
        def wav():
            yield media.wav_header(24000)  # sizes unknown until the turn ends
            for event, ev in pump(conv, turn, WireTurn(turn, binary_audio=True), sock, poll_s):
                if ev is not None and ev.type == "audio" and ev.pcm is not None:
                    yield ev.pcm.astype("<i2").tobytes()

        return Response(TurnBody(conv, turn, wav()), mimetype="audio/wav", headers=headers)

    def ndjson():
        for event, _ in pump(conv, turn, WireTurn(turn), sock, poll_s):
            yield ndjson_frame(event) if event is not None else b"\n"

    return Response(TurnBody(conv, turn, ndjson()), mimetype="application/x-ndjson", headers=headers)
