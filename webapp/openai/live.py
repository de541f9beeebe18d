"""WebSocket /v1/live/sessions: OpenAI's full-duplex Live API, driven by MiniCPM-o's duplex mode.

The client streams audio all the time; the model decides each step (about one second of
audio) whether to listen or to speak, so there is no VAD, no response.create and no
truncate. Each 1 s block of input is one engine step, in order, on this session's step
thread; what a step says is sent as `session.output_audio.delta` (no event_id, as on
OpenAI's primary WebSocket) and `session.output_transcript.delta` with `start_ms`/`end_ms`
on the session timeline (from the TTS chunk's speech tokens, 40 ms each).
"""
from __future__ import annotations

import logging
import queue
import threading
import time

import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from simple_websocket import ConnectionClosed

import omni_py

from .. import media
from ..errors import ApiError, from_engine
from ..security import parse_client_json
from . import common
from .ws import EventSocket, take_conversation

log = logging.getLogger("omni.openai")

SESSION_SECONDS = 3600
LIVE_MODEL = "gpt-live-1"
UNSUPPORTED = ("session.update", "session.instructions.append", "session.thinking.append",
               "session.commentary.append", "response.item.create", "response.create", "decision.create",
               "decision.item.create", "decision.item.delete", "session.output_audio.fixture.play")


class Lenient(BaseModel):
    model_config = ConfigDict(extra="allow")


class LiveFormat(Lenient):
    type: str = "audio/pcm"
    rate: int = 24000


class LiveOutput(Lenient):
    voice: str | dict | None = None


class LiveAudio(Lenient):
    format: LiveFormat | None = None
    output: LiveOutput | None = None


class LiveSessionConfig(Lenient):
    model: str = Field(description="any id (an alias of the loaded model)")
    instructions: str | None = None
    audio: LiveAudio | None = None
    delegation: dict | None = None
    input: list | None = None
    store: bool | None = None


class SessionStart(Lenient):
    type: str
    session: LiveSessionConfig
    event_id: str | None = None


class AudioAppend(Lenient):
    type: str
    audio: str
    event_id: str | None = None


class LiveSession:
    def __init__(self, ws, conv, cfg):
        self.sock = EventSocket(ws)
        self.conv, self.cfg = conv, cfg
        self.id = common.new_id("sess")
        self.owner = "openai-live-" + self.id
        self.started_at: float | None = None
        self.config: LiveSessionConfig | None = None
        self.rate = 24000
        self.muted = False
        self.blocks: queue.Queue = queue.Queue()
        self._pending: list[np.ndarray] = []
        self._pending_n = 0
        self._stop = threading.Event()
        self._worker: threading.Thread | None = None
        self._turn = None
        self.speech_cursor_ms = 0.0
        self.tts = True

    def now_ms(self) -> float:
        return (time.monotonic() - self.started_at) * 1000 if self.started_at else 0.0

    # -- lifecycle -------------------------------------------------------------------------------
    def run(self) -> None:
        if not take_conversation(self.sock, self.conv, self.owner, "duplex", live=True):
            return
        try:
            while not self._stop.is_set():
                self.handle(self.sock.receive())
        except ConnectionClosed:
            pass
        finally:
            self.sock.closed = True
            self._stop.set()
            self.blocks.put(None)
            self.conv.release(self.owner)  # interrupts a running step
            if self._worker is not None:
                self._worker.join(timeout=15)

    def handle(self, raw) -> None:
        if raw is None:
            return
        cid = None
        try:
            if not isinstance(raw, str):
                raise common.invalid("events are JSON text frames", code="invalid_json")
            data = parse_client_json(raw, "invalid_json", "the event")  # NaN or nesting too deep: refused
            if not isinstance(data, dict) or not isinstance(data.get("type"), str):
                raise common.invalid("an event must be a JSON object with a string 'type'", "type", "invalid_event")
            cid = data.get("event_id") if isinstance(data.get("event_id"), str) else None
            kind = data["type"]
            if kind == "session.start":
                return self.start(common.parse(SessionStart, data), cid)
            if self.config is None:
                raise common.invalid("send session.start first and wait for session.started", "type",
                                     "session_not_started")
            if kind == "session.input_audio.append":
                self.append(common.parse(AudioAppend, data).audio)
            elif kind in ("session.input_audio.mute", "session.input_audio.unmute"):
                self.muted = kind.endswith(".mute")
                self.sock.send({"type": "session.input_audio." + ("muted" if self.muted else "unmuted"),
                                "client_event_id": cid})
            elif kind == "session.close":
                self.close(cid)
            elif kind in UNSUPPORTED:
                raise common.invalid(f"{kind} is not supported: MiniCPM-o's duplex mode takes audio only and "
                                     "decides by itself when to speak (no instructions, delegation or tools)",
                                     "type", "unsupported_event")
            else:
                raise common.invalid(f"unknown event type '{kind}'", "type", "invalid_event")
        except ApiError as e:
            self.sock.error(e.code, e.message, param=e.extra.get("param"), client_event_id=cid, live=True,
                            kind=e.extra.get("type", "invalid_request_error" if e.status < 500 else "server_error"))
        except omni_py.OmniError as e:
            err = from_engine(e)
            self.sock.error(err.code, err.message, client_event_id=cid, live=True, kind="server_error")
        except ConnectionClosed:
            raise
        except Exception as e:  # a bug: logged and reported; the session goes on
            log.exception("live %s: an event failed", self.id)
            self.sock.error("internal", f"{type(e).__name__}: {e}", client_event_id=cid, live=True, kind="server_error")

    def resource(self) -> dict:
        cfg = self.config
        voice = (cfg.audio.output.voice if cfg.audio and cfg.audio.output and cfg.audio.output.voice else "marin")
        return {"id": self.id, "object": "live.session", "expires_at": int(time.time()) + SESSION_SECONDS,
                "model": cfg.model, "status": "active", "instructions": cfg.instructions or "",
                "audio": {"format": {"type": "audio/pcm", "rate": self.rate}, "output": {"voice": voice}},
                "delegation": None, "input": [], "store": False}

    def start(self, ev: SessionStart, cid: str | None) -> None:
        if self.config is not None:
            raise common.invalid("the session has started already", "type", "session_already_started")
        fmt = ev.session.audio.format if ev.session.audio and ev.session.audio.format else LiveFormat()
        if fmt.type != "audio/pcm" or fmt.rate not in (16000, 24000):
            raise common.invalid(f"audio.format must be audio/pcm at 16000 or 24000 Hz, not {fmt.type} at {fmt.rate}",
                                 "session.audio.format", "unsupported_format")
        if ev.session.delegation:
            raise common.invalid("delegation is not supported: MiniCPM-o here calls no tools; leave it null",
                                 "session.delegation", "unsupported_parameter")
        self.rate, self.config = fmt.rate, ev.session
        self.tts = bool(self._engine_info().get("tts", True))  # transcripts from TTS chunks (timed) or from text
        self.started_at = time.monotonic()
        self._out = common.ResamplerStream(common.ENGINE_RATE, self.rate)
        self.sock.send({"type": "session.started", "session": self.resource(), "client_event_id": cid})
        self._worker = threading.Thread(target=self.steps, daemon=True, name=f"live-{self.id}")
        self._worker.start()

    def _engine_info(self) -> dict:
        engine = self.conv._engine
        try:
            return engine.info if engine is not None else {}
        except omni_py.OmniError:
            return {}

    def append(self, audio_b64: str) -> None:
        pcm = media.pcm16_to_array(media.b64decode(audio_b64, "audio"))
        if self.muted or not len(pcm):
            return
        self._pending.append(pcm)
        self._pending_n += len(pcm)
        while self._pending_n >= self.rate:  # one engine step per second of audio, as MiniCPM-o expects
            audio = np.concatenate(self._pending)
            self.blocks.put(audio[:self.rate])
            self._pending, self._pending_n = [audio[self.rate:]], len(audio) - self.rate

    def close(self, cid: str | None) -> None:
        self._stop.set()
        self.blocks.put(None)
        turn = self._turn
        if turn is not None:
            self.conv.interrupt("client", only=turn)
        if self._worker is not None:
            self._worker.join(timeout=15)
        self.conv.release(self.owner)  # finalized: the next client may take the engine as soon as it reads this
        seconds = round(self.now_ms() / 1000, 3)
        self.sock.send({"type": "session.closed", "reason": "close_requested", "session": self.resource(),
                        "usage": {"seconds": seconds}, "client_event_id": cid})
        self.sock.close(1000, "session closed")

    # -- the step thread -----------------------------------------------------------------------------
    def steps(self) -> None:
        try:
            while not self._stop.is_set():
                block = self.blocks.get()
                if block is None:
                    return
                if self.blocks.qsize() > 5:
                    log.info("live %s: %d s of audio wait for the engine", self.id, self.blocks.qsize())
                try:
                    self._turn = self.conv.start_turn(owner=self.owner, audio=block, sample_rate=self.rate)
                except (ApiError, omni_py.OmniError) as e:
                    err = e if isinstance(e, ApiError) else from_engine(e)
                    self.sock.error(err.code, err.message, kind="server_error", live=True)
                    continue
                self.stream(self._turn)
                self._turn = None
        except ConnectionClosed:
            if self._turn is not None:
                self.conv.interrupt("disconnect", only=self._turn)

    def stream(self, turn) -> None:
        while True:
            ev = turn.get(self.cfg.poll_s)
            if ev is None:
                if self.sock.closed:
                    self.conv.interrupt("disconnect", only=turn)
                continue
            if ev.type == "audio" and ev.pcm is not None and len(ev.pcm):
                pcm = self._out(ev.pcm)
                if len(pcm):
                    self.sock.send({"type": "session.output_audio.delta", "delta": common.b64(pcm.astype("<i2")
                                                                                                  .tobytes())},
                                   with_id=False)
            elif ev.type == "tts_chunk" and ev.text and self.tts:
                self.transcript(ev.text, ev.n_speech_tokens * common.SPEECH_TOKEN_MS)
            elif ev.type == "text" and ev.text and not self.tts:
                self.transcript(ev.text, 0)
            elif ev.type == "error":
                self.sock.error("engine_error", ev.text or "the engine failed", kind="server_error", live=True)
            elif ev.type == "turn_done":
                return

    def transcript(self, text: str, ms: float) -> None:
        # The words are placed where their speech plays: right after the speech already
        # announced, or now when the model starts speaking after a pause.
        start = max(self.speech_cursor_ms, self.now_ms())
        self.speech_cursor_ms = start + ms
        self.sock.send({"type": "session.output_transcript.delta", "delta": text, "start_ms": int(start),
                        "end_ms": int(start + ms)})
