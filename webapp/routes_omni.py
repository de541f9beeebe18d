"""Seed-compatible REST + SSE: /health and /omni/* (the seed README's endpoints and events)."""
from __future__ import annotations

import numpy as np
from flask import Blueprint, current_app, jsonify, request

import omni_py

from . import media
from .errors import ApiError
from .security import json_body
from .sse import sse_frame
from .wire import client_gone, stream_turn

bp = Blueprint("omni", __name__)

SILENCE_RATE = 16000  # one second of it stands for "the user said nothing" in duplex


def conv():
    return current_app.extensions["omni.conversation"]


def cfg():
    return current_app.extensions["omni.config"]


@bp.get("/health")
def health():
    body, status = current_app.extensions["omni.lifecycle"].health()  # 503 when failed or draining
    # the seed demo's clients also ask for `duplex_mode` (its `backend` is there already)
    return jsonify({**body, "duplex_mode": body["mode"] == "duplex"}), status


def _typed(body: dict, key: str, types, what: str):
    value = body.get(key)
    if value is not None and (not isinstance(value, types) or (isinstance(value, bool) and bool not in (
            types if isinstance(types, tuple) else (types,)))):
        raise ApiError("wrong_type", f"'{key}' must be {what}, not {type(value).__name__} {value!r}")
    return value


def settings_from_request(body: dict) -> dict:
    """Init fields (seed names and ours) → the conversation's settings. Missing fields take
    the server's defaults (the CLI flags), so an init means the same thing every time."""
    base = cfg().engine
    out = {"mode": base.mode, "media_type": base.media_type, "language": base.language, "ref_audio": None}
    mt = body.get("media_type", body.get("msg_type"))
    if mt is not None:
        names = {1: "audio", 2: "omni", "audio": "audio", "omni": "omni"}
        if isinstance(mt, bool) or not isinstance(mt, (int, str)) or mt not in names:
            raise ApiError("invalid_value", f"'media_type' must be 1 or 'audio' (voice only) or 2 or 'omni' "
                                            f"(voice and images), not {mt!r}")
        out["media_type"] = names[mt]
    duplex = _typed(body, "duplex_mode", bool, "true or false")
    if duplex is not None:
        out["mode"] = "duplex" if duplex else "simplex"
    mode = _typed(body, "mode", str, "'simplex' or 'duplex'")
    if mode is not None:
        if duplex is not None and mode != out["mode"]:
            raise ApiError("invalid_value", f"'mode' {mode!r} contradicts 'duplex_mode' {duplex}")
        out["mode"] = mode
    lang = _typed(body, "language", str, "'en' or 'zh'")
    if lang is not None:
        out["language"] = lang
    lp = _typed(body, "length_penalty", (int, float), "a number")
    if lp is not None:
        out["length_penalty"] = lp
    voice = body.get("voice", body.get("ref_audio"))
    if voice is not None:
        out["ref_audio"] = conv().store_voice(media.b64decode(voice, "voice"))
    return out


@bp.post("/omni/init_sys_prompt")
def init_sys_prompt():
    body = json_body(required=False)
    c = conv()
    return jsonify(c.configure(settings_from_request(body)))


@bp.post("/omni/streaming_prefill")
def streaming_prefill():
    body = json_body()
    c = conv()
    audio_b64, image_b64 = body.get("audio"), body.get("image")
    if audio_b64 is None and image_b64 is None:
        raise ApiError("nothing_to_prefill", "send 'audio' (base64 WAV) and/or 'image' (base64 JPEG/PNG)")
    rate = _typed(body, "sample_rate", int, "an integer (Hz, for raw float32 PCM)") or media.RAW_PCM_RATE
    audio = image = None
    if audio_b64 is not None:
        audio = media.parse_audio(media.b64decode(audio_b64, "audio"), cfg().max_audio_seconds, rate)
    if image_b64 is not None:
        image = media.b64decode(image_b64, "image")
        if not image:
            raise ApiError("bad_image", "the image is empty")
        if len(image) > cfg().max_image_bytes:
            raise ApiError("image_too_large", f"the image has {len(image)} bytes; the limit is "
                                              f"{cfg().max_image_bytes}")
    try:
        index = c.prefill(**(audio.prefill_args() if audio else {}), image=image)
    except omni_py.BadMedia as e:
        code = "bad_image" if image is not None and audio is None else "bad_media"
        raise ApiError(code, e.message) from None
    return jsonify({"success": True, "index": index, "audio_seconds": round(audio.seconds, 3) if audio else 0,
                    "image": image is not None})


def await_duplex_input(c, sock, poll_s: float) -> None:
    """Duplex: each generate is one engine step on the input prefilled since the previous one.
    Clients that generate in a loop while another loop prefills (the seed demo's) may ask
    before the next audio is there: wait for it (a long poll). If none comes, the user said
    nothing: the step hears one second of silence, so clients that only pull (generate again
    and again after their last audio) still get the rest of the reply."""
    if c.wait_for_input(cfg().duplex_input_wait_s, poll_s, lambda: client_gone(sock)):
        return
    if client_gone(sock):
        raise ApiError("nothing_prefilled", "the client left while the step waited for input")
    c.prefill(audio=np.zeros(SILENCE_RATE, np.int16), sample_rate=SILENCE_RATE)


@bp.post("/omni/streaming_generate")
def streaming_generate():
    body = json_body(required=False)
    c = conv()
    lp = _typed(body, "length_penalty", (int, float), "a number")
    if lp is not None:
        c.set_runtime_option("length_penalty", lp)
    if c.settings.mode == "duplex":
        await_duplex_input(c, request.environ.get("werkzeug.socket"), cfg().poll_s)
    turn = c.start_turn()
    return stream_turn(c, turn, lambda event, _: sse_frame(event), "text/event-stream", keepalive=b": keep-alive\n\n")


@bp.post("/omni/stop")
@bp.post("/omni/break")
def stop():
    c = conv()
    turn_id = c.interrupt("stop")
    return jsonify({"success": True, "interrupted": turn_id is not None, "turn_id": turn_id})


@bp.post("/omni/reset")
def reset():
    conv().reset()
    return jsonify({"success": True})
