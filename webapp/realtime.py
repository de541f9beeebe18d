"""WebSocket /v1/realtime: binary PCM16 in (16 kHz) and out (24 kHz), JSON events otherwise.

The receiving thread (flask-sock's handler) prefills microphone audio as it arrives and
handles control messages; a sender thread streams the running turn. Sends are serialised.
"""
from __future__ import annotations

import json
import logging
import threading
import time
import uuid

import numpy as np

from flask import current_app
from flask_sock import Sock
from simple_websocket import ConnectionClosed

import omni_py

from . import media
from .errors import ApiError, from_engine
from .wire import WireTurn, dumps, pump

log = logging.getLogger("omni.server")

MIC_RATE = 16000
# Microphone audio is prefilled in ~1 s blocks, as the engine's streaming encoder expects
# (each prefill is one encoder pass); in duplex each block is also one engine step.
PREFILL_BLOCK_SAMPLES = MIC_RATE
CLOSE_TRY_AGAIN = 1013
CLOSE_INTERNAL = 1011


def close_reason(code: str, message: str) -> str:
    """A JSON close reason; the protocol allows 123 bytes."""
    reason = dumps({"code": code, "message": message})
    while len(reason.encode()) > 123:
        message = message[: len(message) - 8] + "…"
        reason = dumps({"code": code, "message": message})
    return reason


class Session:
    def __init__(self, ws, conv, cfg):
        self.ws, self.conv, self.cfg = ws, conv, cfg
        self.id = uuid.uuid4().hex[:12]
        self._send_lock = threading.Lock()
        self._sender: threading.Thread | None = None
        self._mic_buf: list = []  # microphone audio not yet prefilled
        self._mic_n = 0
        self._turn_audio_s = 0.0
        self.closed = False

    # -- sending ---------------------------------------------------------------------
    def send(self, data) -> None:
        with self._send_lock:
            self.ws.send(data)

    def send_json(self, obj: dict) -> None:
        self.send(dumps(obj))

    def send_error(self, code: str, message: str) -> None:
        self.send_json({"type": "error", "error": {"code": code, "message": message}})

    # -- lifecycle ---------------------------------------------------------------------
    def run(self) -> None:
        try:
            self.conv.ensure_engine()
            self.conv.claim(self.id)
        except ApiError as e:
            code = CLOSE_TRY_AGAIN if e.status == 409 else CLOSE_INTERNAL
            self.ws.close(reason=code, message=close_reason(e.code, e.message))
            return
        try:
            self.conv.reset(owner=self.id)  # a new session is a new conversation
            self.send_json({"type": "session", "session_id": self.id, **self.conv.health()})
            while True:
                msg = self.ws.receive()
                if msg is None:
                    continue
                try:
                    if isinstance(msg, (bytes, bytearray)):
                        self.on_audio(bytes(msg))
                    else:
                        self.on_message(msg)
                except ApiError as e:
                    self.send_error(e.code, e.message)
                except omni_py.OmniError as e:
                    err = from_engine(e)
                    self.send_error(err.code, err.message)
        except ConnectionClosed:
            pass
        finally:
            self.closed = True
            self.conv.release(self.id)  # interrupts this session's turn
            sender = self._sender
            if sender is not None and sender is not threading.current_thread():
                sender.join(timeout=2)

    # -- client → server ----------------------------------------------------------------
    def on_audio(self, data: bytes) -> None:
        pcm = media.pcm16_to_array(data)
        if not len(pcm):
            return
        self._mic_buf.append(pcm)
        self._mic_n += len(pcm)
        self._turn_audio_s += len(pcm) / MIC_RATE
        if self._mic_n >= PREFILL_BLOCK_SAMPLES:
            self._flush_mic()
            if self.conv.settings.mode == "duplex":
                self._try_step()

    def _flush_mic(self) -> None:
        if self._mic_buf:
            chunk = np.concatenate(self._mic_buf)
            self._mic_buf, self._mic_n = [], 0
            self.conv.prefill(audio=chunk, sample_rate=MIC_RATE, owner=self.id)

    def on_message(self, text: str) -> None:
        try:
            msg = json.loads(text)
        except ValueError:
            raise ApiError("bad_message", "text frames must be JSON objects with a 'type'; send microphone "
                                          "audio as binary frames (PCM int16 LE mono, 16 kHz)") from None
        if not isinstance(msg, dict) or not isinstance(msg.get("type"), str):
            raise ApiError("bad_message", "a text frame must be a JSON object with a string 'type'")
        kind = msg["type"]
        if kind in ("commit", "generate"):
            self.commit()
        elif kind == "interrupt":
            played = msg.get("played_ms")
            if played is not None and (isinstance(played, bool) or not isinstance(played, (int, float))
                                       or played < 0):
                raise ApiError("wrong_type", "'played_ms' must be a number of milliseconds >= 0")
            turn_id = self.conv.interrupt("client", played)
            self.send_json({"type": "interrupted", "played_ms": played, "turn_id": turn_id})
        elif kind == "reset":
            self._mic_buf, self._mic_n, self._turn_audio_s = [], 0, 0.0
            self.conv.reset(owner=self.id)
            self.send_json({"type": "reset"})
        elif kind in ("ping", "keepalive"):
            self.send_json({"type": "pong", "t": msg.get("t")})
        elif kind == "session.update":
            self.session_update(msg.get("session"))
        elif kind == "image":
            image = media.b64decode(msg.get("image"), "image")
            if not image:
                raise ApiError("bad_image", "the image is empty")
            try:
                self.conv.prefill(image=image, owner=self.id)
            except omni_py.BadMedia as e:
                raise ApiError("bad_image", e.message) from None
        elif kind in ("audio", "input_audio_buffer.append"):
            raise ApiError("expected_binary", "send microphone audio as binary frames (PCM int16 LE mono, "
                                              "16 kHz), not inside JSON")
        else:
            raise ApiError("unknown_type", f"unknown message type {kind!r} (known: commit, interrupt, reset, "
                                           "ping, session.update, image)")

    def session_update(self, session) -> None:
        if not isinstance(session, dict):
            raise ApiError("wrong_type", "'session' must be an object")
        changes = {}
        for key in ("mode", "media_type", "language"):
            if key in session:
                if not isinstance(session[key], str):
                    raise ApiError("wrong_type", f"'{key}' must be a string")
                changes[key] = session[key]
        if "voice" in session:
            voice = session["voice"]
            changes["ref_audio"] = None if voice is None else self.conv.store_voice(media.b64decode(voice, "voice"))
        result = self.conv.configure(changes, owner=self.id)
        self._mic_buf, self._mic_n, self._turn_audio_s = [], 0, 0.0
        self.send_json({"type": "session", "session_id": self.id, **self.conv.health(),
                        "action": result["action"], "note": result["note"], "changed": result["changed"]})

    def commit(self) -> None:
        t0 = time.monotonic()
        self._flush_mic()
        turn = self.conv.start_turn(owner=self.id)
        self.send_json({"type": "committed", "turn_id": turn.id, "prefill_ms": round((time.monotonic() - t0) * 1000, 3),
                        "audio_ms": round(self._turn_audio_s * 1000)})
        self._turn_audio_s = 0.0
        self._start_sender(turn)

    def _try_step(self) -> None:
        """Duplex: start the next engine step unless one is running (then it starts when that ends)."""
        try:
            turn = self.conv.start_turn(owner=self.id)
        except ApiError as e:
            if e.code == "busy":
                return
            raise
        self._start_sender(turn)

    def _start_sender(self, turn) -> None:
        old = self._sender
        if old is not None and old.is_alive() and old is not threading.current_thread():
            old.join(timeout=1)
        self._sender = threading.Thread(target=self._send_turn, args=(turn,), name=f"ws-send-{self.id}",
                                        daemon=True)
        self._sender.start()

    # -- server → client ---------------------------------------------------------------
    def _send_turn(self, turn) -> None:
        wire = WireTurn(turn, binary_audio=True)
        try:
            for event, ev in pump(self.conv, turn, wire, None, self.cfg.poll_s):
                if event is None:
                    continue
                if event["type"] == "audio":
                    with self._send_lock:  # the JSON and its PCM frame stay together
                        self.ws.send(dumps(event))
                        self.ws.send(ev.pcm.astype("<i2").tobytes() if ev.pcm is not None else b"")
                else:
                    self.send_json(event)
        except ConnectionClosed:
            return  # pump's cleanup has interrupted the turn
        if self.conv.settings.mode == "duplex" and not self.closed and self.conv.pending:
            try:
                self._try_step()
            except (ApiError, omni_py.OmniError, ConnectionClosed):
                pass


def register(app, conv, cfg) -> None:
    app.config["SOCK_SERVER_OPTIONS"] = {"ping_interval": cfg.ws_ping_interval,
                                         "max_message_size": cfg.max_body_bytes}

    sock = Sock(app)

    @sock.route("/v1/realtime")
    def realtime(ws):
        with current_app.extensions["omni.lifecycle"].websocket(ws):  # a drain closes it between turns
            Session(ws, current_app.extensions["omni.conversation"], current_app.extensions["omni.config"]).run()
