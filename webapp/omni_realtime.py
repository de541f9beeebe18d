"""WebSocket /omni/realtime: omni's own protocol (PROTOCOL.md, protocol 2), the page's transport.

Two threads per session. The receiving thread (flask-sock's handler) reads frames:
microphone audio is prefilled as it arrives, control messages are handled or posted. One
sender thread is the only writer of the socket: it takes everything from one queue (the
turn's engine events, acknowledgements, errors), starts turns (on commit, and duplex steps
whenever the last one ended and audio is waiting), and turns engine events into frames:
JSON text frames, and binary frames for reply audio that carry their own header.
"""
from __future__ import annotations

import json
import logging
import queue
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
from .frames import LatestFrame
from .security import parse_client_json
from .wire import FRAME_AUDIO, WireTurn, audio_frame, client_frame, dumps

log = logging.getLogger("omni.server")

PATH = "/omni/realtime"
PROTOCOL = 2  # the `protocol` of the `session` message; a client refuses a version it does not speak
MIC_RATE = 16000
# Microphone audio is prefilled in ~1 s blocks, as the engine's streaming encoder expects
# (each prefill is one encoder pass); in duplex each block is also one engine step.
PREFILL_BLOCK_SAMPLES = MIC_RATE
CLOSE_TRY_AGAIN = 1013
CLOSE_INTERNAL = 1011
# The messages a session sends of its own, beside the engine's events: type -> (fields, when).
# Rendered into PROTOCOL.md by python -m webapp.protocol_doc; tests/test_webapp_ws.py checks
# that every message built here is listed.
MESSAGES = {
    "session": ("`protocol` (2), `session_id`, the /health fields; after a `session.update` also "
                "`action`, `note`, `changed`", "on connect (a new conversation) and after each `session.update`"),
    "committed": ("`turn_id`, `prefill_ms`, `audio_ms`",
                  "a turn started (`audio_ms`: the microphone audio prefilled for it)"),
    "interrupted": ("`played_ms`, `turn_id`", "acknowledges an `interrupt`, before that turn's `done`; audio of the "
                                             "interrupted turn still being made is not sent. A `commit` sent after an "
                                             "interrupt waits for the interrupted turn's `done`, then starts the next "
                                             "turn"),
    "truncated": ("`turn_id`, `played_ms`, `heard`",
                  "after an `interrupt` with `played_ms` (simplex), once the reply has been cut in the engine's "
                  "conversation to what was heard: `heard` is the reply text that remains, all the next turn's "
                  "context holds of it (`omni_truncate`, capi/include/omni_c.h); it follows that turn's `done`"),
    "reset": ("", "answers `reset`"),
    "pong": ("`t` (the ping's)", "answers `ping`"),
    "error": ("`error: {code, message}`", "a bad client message (the socket stays open)"),
}
_STOP = object()  # tells the sender that the session is over


def close_reason(code: str, message: str) -> str:
    """A JSON close reason; the protocol allows 123 bytes."""
    reason = dumps({"code": code, "message": message})
    while len(reason.encode()) > 123:
        message = message[: len(message) - 8] + "…"
        reason = dumps({"code": code, "message": message})
    return reason


def error_message(err: ApiError) -> dict:
    return {"type": "error", **err.body()}


class Session:
    def __init__(self, ws, conv, cfg):
        self.ws, self.conv, self.cfg = ws, conv, cfg
        self.id = uuid.uuid4().hex[:12]
        self.outbox: queue.SimpleQueue = queue.SimpleQueue()  # everything the sender sends or does
        self._mic_buf: list = []  # microphone audio not yet prefilled (receiving thread only)
        self._mic_n = 0
        self._turn_audio_s = 0.0
        self.frames = LatestFrame()  # camera frames waiting for their audio (video call)
        # Held while a frame and its audio are prefilled, and while a turn starts: a duplex step
        # never starts between the two, so each frame reaches the engine with its audio.
        self._unit_lock = threading.Lock()
        # sender thread only:
        self._turn = None          # the running TurnStream
        self._wire: WireTurn | None = None
        self._cut_turn = None      # id of a turn the client interrupted: its late audio is dropped
        self._after_done = []      # commits that came while the interrupted turn was ending

    def post(self, kind: str, *args) -> None:
        self.outbox.put((kind, *args))

    def close(self, reason: int | None = None, message: str | None = None) -> None:
        """Close the socket from any thread (a server drain does), through the sender."""
        self.post("close", reason, message)

    def post_error(self, err: ApiError) -> None:
        self.post("json", error_message(err))

    # -- the receiving thread ------------------------------------------------------------
    def run(self) -> None:
        try:
            self.conv.ensure_engine()
            self.conv.claim(self.id)
        except ApiError as e:  # nothing else writes yet: close with the reason
            code = CLOSE_TRY_AGAIN if e.status == 409 else CLOSE_INTERNAL
            self.ws.close(reason=code, message=close_reason(e.code, e.message))
            return
        sender = threading.Thread(target=self._send_loop, name=f"ws-send-{self.id}", daemon=True)
        try:
            self.conv.reset(owner=self.id)  # a new session is a new conversation
            self.post("json", self._session_message())
            sender.start()
            while True:
                msg = self.ws.receive()
                if msg is None:
                    continue
                try:
                    if isinstance(msg, (bytes, bytearray)):
                        self.on_binary(bytes(msg))
                    else:
                        self.on_message(msg)
                except ApiError as e:
                    self.post_error(e)
                except omni_py.OmniError as e:
                    self.post_error(from_engine(e))
        except ConnectionClosed:
            pass
        except Exception:  # a bug: say so in the log; the client sees the socket close
            log.exception("WebSocket session %s: the receiving thread failed", self.id)
        finally:
            self.conv.release(self.id)  # interrupts this session's turn
            self.outbox.put(_STOP)       # the sender ends on its own; nobody waits for it

    def on_binary(self, frame: bytes) -> None:
        kind, seq, payload = client_frame(frame)
        if kind == FRAME_AUDIO:
            self.on_audio(payload)
        else:
            self.on_frame(seq, payload)

    def on_frame(self, seq: int, image: bytes) -> None:
        """A camera frame (video call): it waits for the next block of audio (duplex) or the
        commit (simplex); a newer frame replaces it."""
        if self.conv.settings.media_type != "omni":
            raise ApiError("image_not_supported", "camera frames need media_type 'omni' (this conversation is "
                                                  "audio-only)")
        if not image:
            raise ApiError("bad_image", "the camera frame is empty")
        self.frames.put(seq, image)

    def on_audio(self, pcm_bytes: bytes) -> None:
        pcm = media.pcm16_to_array(pcm_bytes)
        if not len(pcm):
            return
        self._mic_buf.append(pcm)
        self._mic_n += len(pcm)
        self._turn_audio_s += len(pcm) / MIC_RATE
        if self._mic_n >= PREFILL_BLOCK_SAMPLES:
            self._flush_mic()
            if self.conv.settings.mode == "duplex":
                self.post("step")

    def _flush_mic(self, last_frame: bool = False) -> None:
        """Prefill the microphone audio received so far, after the waiting camera frame if any
        (one frame per duplex step; at a simplex commit the last frame goes with the utterance)."""
        with self._unit_lock:
            image = self.frames.take(one_per_step=not last_frame)
            if image is not None:
                try:
                    self.conv.prefill(image=image, owner=self.id)
                except omni_py.BadMedia as e:
                    self.frames.refused()
                    raise ApiError("bad_image", f"camera frame: {e.message}") from None
            if self._mic_buf:
                chunk = np.concatenate(self._mic_buf)
                self._mic_buf, self._mic_n = [], 0
                self.conv.prefill(audio=chunk, sample_rate=MIC_RATE, owner=self.id)

    def _forget_mic(self) -> None:
        self._mic_buf, self._mic_n, self._turn_audio_s = [], 0, 0.0

    def on_message(self, text: str) -> None:
        try:
            msg = parse_client_json(text, "bad_message", "the text frame")
        except ApiError as e:
            raise ApiError("bad_message", f"{e.message}: text frames must be JSON objects with a 'type'; send "
                                          "microphone audio as binary frames (PROTOCOL.md)") from None
        if not isinstance(msg, dict) or not isinstance(msg.get("type"), str):
            raise ApiError("bad_message", "a text frame must be a JSON object with a string 'type'")
        kind = msg["type"]
        if kind in ("commit", "generate"):
            t0 = time.monotonic()
            self._flush_mic(last_frame=True)
            self.post("commit", t0, round(self._turn_audio_s * 1000))
            self._turn_audio_s = 0.0
        elif kind == "interrupt":
            played = msg.get("played_ms")
            if played is not None and (isinstance(played, bool) or not isinstance(played, (int, float))
                                       or played < 0):
                raise ApiError("wrong_type", "'played_ms' must be a number of milliseconds >= 0")
            self.post("interrupt", played)  # first: its acknowledgement precedes the turn's `done`
            self.conv.interrupt("client", played)  # at once, not behind queued frames
            if played is not None and self.conv.settings.mode == "simplex":
                self._truncate(played)
        elif kind == "reset":
            self._forget_mic()
            self.frames.clear()
            self.conv.reset(owner=self.id)
            self.post("json", {"type": "reset"})
        elif kind in ("ping", "keepalive"):
            self.post("json", {"type": "pong", "t": msg.get("t")})
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
            raise ApiError("expected_binary", "send microphone audio as binary frames (kind 0x01, PCM int16 LE "
                                              "mono 16 kHz; PROTOCOL.md), not inside JSON")
        else:
            raise ApiError("unknown_type", f"unknown message type {kind!r} (known: commit, interrupt, reset, ping, "
                                           "session.update, image)")

    def _truncate(self, played_ms: float) -> None:
        """What the user did not hear leaves the engine's conversation (omni_truncate). Here on
        the receiving thread, so no later microphone audio is prefilled before the cut; the
        engine waits for the interrupted turn's end, so `truncated` follows its `done`. Duplex
        steps are one running stream and are not cut."""
        turn_id = self.conv.last_turn_id
        if turn_id is None:
            return
        try:
            heard = self.conv.truncate(turn_id, played_ms, owner=self.id)
        except ApiError as e:  # input for the next turn came first, or another turn since: nothing to cut
            log.info("WebSocket session %s: turn %s not truncated: %s", self.id, turn_id, e.message)
            return
        self.post("json", {"type": "truncated", "turn_id": turn_id, "played_ms": played_ms, "heard": heard})

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
        self._forget_mic()
        self.post("json", {**self._session_message(), "action": result["action"], "note": result["note"],
                           "changed": result["changed"]})

    def _session_message(self) -> dict:
        return {"type": "session", "protocol": PROTOCOL, "session_id": self.id, **self.conv.health()}

    # -- the sender thread: the socket's one writer ------------------------------------------
    def _send_loop(self) -> None:
        try:
            while True:
                item = self.outbox.get()
                if item is _STOP:
                    return
                try:
                    self._handle(item)
                except ApiError as e:
                    self._send_json(error_message(e))
                except omni_py.OmniError as e:
                    self._send_json(error_message(from_engine(e)))
                except ConnectionClosed:
                    raise
                except Exception as e:  # a bug: logged, reported, and the session goes on
                    what = item.type if isinstance(item, omni_py.Event) else item[0]
                    log.exception("WebSocket session %s: the sender failed on %r", self.id, what)
                    self._send_json(error_message(ApiError("internal", f"{type(e).__name__}: {e}")))
        except ConnectionClosed:
            pass  # the receiving thread sees the close too and releases the conversation

    def _send_json(self, obj: dict) -> None:
        self.ws.send(dumps(obj))

    def _handle(self, item) -> None:
        if isinstance(item, omni_py.Event):
            self._on_engine_event(item)
            return
        kind = item[0]
        if kind == "json":
            self._send_json(item[1])
        elif kind == "commit":
            if self._turn is not None and self._turn.id == self._cut_turn:
                # The client interrupted that turn and spoke again: the next turn starts as soon
                # as its `done` is out (interrupts end turns promptly), not refused as busy.
                self._after_done.append(item)
                return
            self._commit(item)
        elif kind == "close":
            self.ws.close(reason=item[1], message=item[2])
        elif kind == "step":
            if self._turn is None:
                self._start_turn()
        elif kind == "interrupt":
            turn = self._turn
            self._send_json({"type": "interrupted", "played_ms": item[1], "turn_id": turn.id if turn else None})
            if turn is not None:
                self._cut_turn = turn.id
                self.conv.interrupt("client", item[1], only=turn)  # a turn a queued commit started after the call

    def _commit(self, item) -> None:
        _, t0, audio_ms = item
        turn = self._start_turn()
        self._send_json({"type": "committed", "turn_id": turn.id, "audio_ms": audio_ms,
                         "prefill_ms": round((time.monotonic() - t0) * 1000, 3)})

    def _start_turn(self):
        with self._unit_lock:
            turn = self.conv.start_turn(owner=self.id, events=self.outbox)
            self.frames.step_started()
        self._turn, self._wire = turn, WireTurn(turn, binary_audio=True)
        return turn

    def _on_engine_event(self, ev) -> None:
        turn, wire = self._turn, self._wire
        if turn is None or ev.turn_id != turn.id:
            return  # not this session's running turn
        if ev.pcm is not None:
            if ev.turn_id != self._cut_turn:  # unheard audio of an interrupted turn is not sent
                self.ws.send(audio_frame(ev))
            return
        out = wire.convert(ev)
        if out is not None:
            if out.get("type") == "done" and self.frames.received:
                out.setdefault("stats", {})["video"] = self.frames.stats()
            self._send_json(out)
        if ev.type == "turn_done":
            self._turn = self._wire = None
            if self._after_done:
                self._commit(self._after_done.pop(0))
            elif self.conv.settings.mode == "duplex" and self.conv.pending:
                self._start_turn()  # the audio that came in meanwhile is the next step


def register(app, cfg) -> None:
    app.config["SOCK_SERVER_OPTIONS"] = {"ping_interval": cfg.ws_ping_interval,
                                         "max_message_size": cfg.max_body_bytes}
    sock = Sock(app)

    @sock.route(PATH)
    def omni_realtime(ws):
        session = Session(ws, current_app.extensions["omni.conversation"], current_app.extensions["omni.config"])
        with current_app.extensions["omni.lifecycle"].websocket(session):  # a drain closes it between turns
            session.run()
