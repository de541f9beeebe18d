"""WebSocket /v1/realtime: OpenAI's Realtime API (GA event names) over the one conversation.

Client audio is 24 kHz PCM16 (base64 in JSON); the engine takes it as is (libomni_c
resamples to 16 kHz) and answers in 24 kHz PCM16. User items (committed audio, created
audio/image items) are given to the engine when the next response starts, so a clear,
delete or truncate before that is exact. Turn detection: null (manual commit and
response.create), server_vad (Silero VAD, webapp/openai/vad.py) or semantic_vad (mapped to
server VAD with a silence wait by eagerness). docs/openai.md lists what is not supported.
"""
from __future__ import annotations

import logging
import threading

import numpy as np
from flask import request
from simple_websocket import ConnectionClosed

import omni_py

from .. import media
from ..errors import ApiError, from_engine
from ..security import parse_client_json
from . import common
from .realtime_items import Items, content_for_echo
from .realtime_response import Response
from .schemas_realtime import KNOWN_TYPES, ClientEvent, ResponseParams, SessionConfig
from .vad import ServerVad
from .ws import EventSocket, take_conversation

log = logging.getLogger("omni.openai")

RATE = common.ENGINE_RATE     # the Realtime API's only PCM rate
MIN_COMMIT_MS = 100
SEMANTIC_SILENCE_MS = {"low": 1500, "medium": 800, "auto": 800, "high": 400}
SESSION_SECONDS = 3600


class RealtimeSession:
    def __init__(self, ws, conv, cfg):
        self.sock = EventSocket(ws)
        self.conv, self.cfg = conv, cfg
        self.id = common.new_id("sess")
        self.conversation_id = common.new_id("conv")
        self.owner = "openai-realtime-" + self.id
        self.model = request.args.get("model") or common.MODEL_ID
        self.created = common.now()
        self.modality = "audio"
        self.instructions = ""
        self.voice = "marin"
        self.speed = 1.0
        self.turn_detection: dict | None = {"type": "server_vad", "threshold": 0.5, "prefix_padding_ms": 300,
                                            "silence_duration_ms": 500, "idle_timeout_ms": None,
                                            "create_response": True, "interrupt_response": True}
        self.vad = ServerVad(RATE)
        self.items = Items()
        self.buffer: list[np.ndarray] = []
        self.buffer_start_ms = 0.0   # session time of the buffer's first sample
        self.total_ms = 0.0          # ms of all audio appended in the session
        self.speech_item_id: str | None = None
        self.response: Response | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------
    def run(self) -> None:
        if not take_conversation(self.sock, self.conv, self.owner, "simplex"):
            return
        try:
            self.sock.send({"type": "session.created", "session": self.session_object()})
            while True:
                self.handle(self.sock.receive())
        except ConnectionClosed:
            pass
        finally:
            self.sock.closed = True
            self.conv.release(self.owner)  # interrupts a running response
            if self._thread is not None:
                self._thread.join(timeout=15)

    def handle(self, raw) -> None:
        if raw is None:
            return
        cid = None
        try:
            if isinstance(raw, (bytes, bytearray)):
                raise common.invalid("send events as JSON text frames; audio goes base64 in "
                                     "input_audio_buffer.append", code="invalid_event")
            data = parse_client_json(raw, "invalid_json", "the event")  # NaN or nesting too deep: refused
            if not isinstance(data, dict) or not isinstance(data.get("type"), str):
                raise common.invalid("an event must be a JSON object with a string 'type'", "type", "invalid_event")
            cid = data.get("event_id") if isinstance(data.get("event_id"), str) else None
            kind = data["type"]
            if kind == "output_audio_buffer.clear":
                raise common.invalid("output_audio_buffer.clear is for WebRTC connections; on a WebSocket the client "
                                     "owns playback (send conversation.item.truncate)", "type", "unsupported_event")
            if kind not in KNOWN_TYPES:
                raise common.invalid(f"unknown event type '{kind}'", "type", "invalid_event")
            event = common.parse(ClientEvent, data)
            getattr(self, "on_" + kind.replace(".", "_"))(event)
        except ApiError as e:
            self.sock.error(e.code, e.message, param=e.extra.get("param"), client_event_id=cid,
                            kind=e.extra.get("type", "invalid_request_error" if e.status < 500 else "server_error"))
        except omni_py.OmniError as e:
            err = from_engine(e)
            self.sock.error(err.code, err.message, client_event_id=cid,
                            kind="invalid_request_error" if err.status < 500 else "server_error")
        except ConnectionClosed:
            raise
        except Exception as e:  # a bug: logged and reported; the session goes on
            log.exception("realtime %s: an event failed", self.id)
            self.sock.error("internal", f"{type(e).__name__}: {e}", client_event_id=cid, kind="server_error")

    # -- session -----------------------------------------------------------------------------
    def session_object(self) -> dict:
        fmt = {"type": "audio/pcm", "rate": RATE}
        return {"type": "realtime", "object": "realtime.session", "id": self.id, "model": self.model,
                "output_modalities": [self.modality], "instructions": self.instructions, "tools": [],
                "tool_choice": "auto", "max_output_tokens": "inf", "tracing": None, "prompt": None,
                "truncation": "auto", "include": None, "expires_at": self.created + SESSION_SECONDS,
                "audio": {"input": {"format": fmt, "transcription": None, "noise_reduction": None,
                                    "turn_detection": self.turn_detection},
                          "output": {"format": fmt, "voice": self.voice, "speed": self.speed}}}

    def on_session_update(self, ev) -> None:
        s: SessionConfig = ev.session
        if s.type == "transcription":
            raise common.invalid("transcription sessions are not supported: MiniCPM-o answers what it hears "
                                 "(use type 'realtime')", "session.type", "unsupported_parameter")
        audio_in = s.audio.input if s.audio else None
        audio_out = s.audio.output if s.audio else None
        for fmt, param in ((audio_in and audio_in.format, "session.audio.input.format"),
                           (audio_out and audio_out.format, "session.audio.output.format")):
            if fmt is not None and fmt.type != "audio/pcm":
                raise common.invalid(f"only audio/pcm at 24000 Hz is supported, not {fmt.type}", param + ".type",
                                     "unsupported_format")
        if s.output_modalities:
            self.modality = s.output_modalities[0]
        if s.instructions is not None:
            self.instructions = s.instructions  # echoed; the engine's system prompt is its own
        if s.model:
            self.model = s.model
        if audio_out is not None:
            if audio_out.voice is not None:
                self.voice = audio_out.voice if isinstance(audio_out.voice, str) else str(audio_out.voice.get("id"))
            if audio_out.speed is not None:
                self.speed = audio_out.speed
        if audio_in is not None and "turn_detection" in audio_in.model_fields_set:
            self.set_turn_detection(audio_in.turn_detection)
        # What cannot be done is said, and the rest of the update still applies.
        if s.tools:
            self.sock.error("unsupported_parameter", "function calling is not supported: MiniCPM-o here calls no "
                            "tools; session.tools is ignored", param="session.tools", client_event_id=ev.event_id)
        if audio_in is not None and audio_in.transcription:
            self.sock.error("unsupported_parameter", "transcription of user audio is not supported: MiniCPM-o hears "
                            "the audio itself; session.audio.input.transcription is ignored",
                            param="session.audio.input.transcription", client_event_id=ev.event_id)
        self.sock.send({"type": "session.updated", "session": self.session_object()})

    def set_turn_detection(self, td) -> None:
        if td is None:
            self.turn_detection = None
            self.vad.reset()
            return
        self.turn_detection = td.model_dump(exclude=set(td.model_extra or {}))  # the knobs we honour, all of them
        if td.type == "server_vad":
            self.vad.configure(td.threshold, td.silence_duration_ms)
        else:  # semantic_vad: the same VAD, waiting longer for a less eager turn end
            self.vad.configure(0.5, SEMANTIC_SILENCE_MS[td.eagerness])

    def _flag(self, name: str) -> bool:
        return bool(self.turn_detection and self.turn_detection.get(name, True))

    # -- input audio buffer ------------------------------------------------------------------------
    def on_input_audio_buffer_append(self, ev) -> None:
        pcm = media.pcm16_to_array(media.b64decode(ev.audio, "audio"))
        if not len(pcm):
            return
        buffered_s = sum(len(b) for b in self.buffer) / RATE
        if buffered_s + len(pcm) / RATE > self.cfg.max_audio_seconds:
            raise common.invalid(f"the input audio buffer would exceed {self.cfg.max_audio_seconds:g} s; commit or "
                                 "clear it first", "audio", "input_audio_buffer_too_long")
        self.buffer.append(pcm)
        self.total_ms += len(pcm) * 1000 / RATE
        if self.turn_detection is None:
            return
        for moment in self.vad.feed(pcm):
            if moment.kind == "started":
                self.speech_started(moment.at_ms)
            elif self.speech_item_id is not None:
                self.speech_stopped(moment.at_ms)
        if not self.vad.speaking and self.speech_item_id is None:
            self._trim_before(self.total_ms - self.turn_detection.get("prefix_padding_ms", 300))

    def _buffered(self) -> np.ndarray:
        return np.concatenate(self.buffer) if self.buffer else np.zeros(0, np.int16)

    def _trim_before(self, t_ms: float) -> None:
        """Drop buffered audio before session time t_ms (silence before speech, beyond the padding)."""
        drop = int((t_ms - self.buffer_start_ms) * RATE / 1000)
        if drop <= 0:
            return
        audio = self._buffered()
        drop = min(drop, len(audio))
        self.buffer = [audio[drop:]] if drop < len(audio) else []
        self.buffer_start_ms += drop * 1000 / RATE

    def speech_started(self, at_ms: float) -> None:
        self.speech_item_id = common.new_id("item")
        start = max(self.buffer_start_ms, at_ms - self.turn_detection.get("prefix_padding_ms", 300))
        self._trim_before(start)
        # first, so clients stop playing the reply at once
        self.sock.send({"type": "input_audio_buffer.speech_started", "audio_start_ms": int(start),
                        "item_id": self.speech_item_id})
        if self._flag("interrupt_response"):
            self.cancel("turn_detected")

    def speech_stopped(self, at_ms: float) -> None:
        item_id, self.speech_item_id = self.speech_item_id, None
        self.sock.send({"type": "input_audio_buffer.speech_stopped", "audio_end_ms": int(at_ms), "item_id": item_id})
        self.commit(item_id, until_ms=at_ms)
        if self._flag("create_response"):
            self.start_response(None, None)

    def on_input_audio_buffer_commit(self, ev) -> None:
        item_id, self.speech_item_id = self.speech_item_id or common.new_id("item"), None
        self.vad.reset()
        self.commit(item_id)

    def on_input_audio_buffer_clear(self, ev) -> None:
        self.buffer, self.buffer_start_ms, self.speech_item_id = [], self.total_ms, None
        self.vad.reset()
        self.sock.send({"type": "input_audio_buffer.cleared"})

    def commit(self, item_id: str, until_ms: float | None = None) -> None:
        audio = self._buffered()
        n = len(audio) if until_ms is None else max(0, min(len(audio),
                                                           int((until_ms - self.buffer_start_ms) * RATE / 1000)))
        if n * 1000 / RATE < MIN_COMMIT_MS:
            raise common.invalid(f"Error committing input audio buffer: buffer too small. Expected at least "
                                 f"{MIN_COMMIT_MS}ms of audio, but buffer only has {n * 1000 / RATE:.2f}ms of audio.",
                                 code="input_audio_buffer_commit_empty")
        self.buffer = [audio[n:]] if n < len(audio) else []
        self.buffer_start_ms += n * 1000 / RATE
        item = {"id": item_id, "object": "realtime.item", "type": "message", "status": "completed", "role": "user",
                "content": [{"type": "input_audio", "transcript": None}]}
        previous = self.items.last_id()
        self.sock.send({"type": "input_audio_buffer.committed", "item_id": item_id, "previous_item_id": previous})
        self.items.add(item, media=[{"audio": audio[:n], "sample_rate": RATE}])
        self.sock.send({"type": "conversation.item.added", "previous_item_id": previous, "item": item})
        self.sock.send({"type": "conversation.item.done", "previous_item_id": previous, "item": item})

    # -- conversation items ------------------------------------------------------------------------------
    def on_conversation_item_create(self, ev) -> None:
        item = ev.item
        if item.type != "message":
            raise common.invalid("function calling is not supported: MiniCPM-o here calls no tools, so "
                                 f"'{item.type}' items cannot be added", "item.type", "unsupported_parameter")
        if item.role is None:
            raise common.invalid("Missing required parameter: 'item.role'.", "item.role", "missing_required_parameter")
        item_id = item.id or common.new_id("item")
        if self.items.get(item_id) is not None:
            raise common.invalid(f"an item with id '{item_id}' already exists", "item.id", "duplicate_item_id")
        if ev.previous_item_id not in (None, "root") and self.items.get(ev.previous_item_id) is None:
            raise common.invalid(f"previous_item_id '{ev.previous_item_id}' is not in the conversation",
                                 "previous_item_id", "item_not_found")
        inputs = []
        for i, part in enumerate(item.content):
            param = f"item.content[{i}]"
            if part.type == "input_audio" and part.audio and item.role == "user":
                pcm = media.pcm16_to_array(media.b64decode(part.audio, param + ".audio"))
                if len(pcm):
                    inputs.append({"audio": pcm, "sample_rate": RATE})
            elif part.type == "input_image":
                if self.conv.settings.media_type != "omni":
                    raise common.invalid("this server hears only (media type 'audio'); start it with --media-type "
                                         "omni to send images", param, "image_not_supported")
                from .chat import _image_bytes  # one data-URI decoder for both APIs
                inputs.append({"image": _image_bytes(part.image_url, param + ".image_url")})
        stored = {"id": item_id, "object": "realtime.item", "type": "message", "status": "completed",
                  "role": item.role, "content": content_for_echo(item.content)}
        previous = self.items.add(stored, media=inputs, after=ev.previous_item_id)
        self.sock.send({"type": "conversation.item.added", "previous_item_id": previous, "item": stored})
        self.sock.send({"type": "conversation.item.done", "previous_item_id": previous, "item": stored})

    def _entry(self, item_id: str):
        entry = self.items.get(item_id)
        if entry is None:
            raise common.invalid(f"no item with id '{item_id}' in the conversation", "item_id", "item_not_found")
        return entry

    def on_conversation_item_delete(self, ev) -> None:
        self._entry(ev.item_id)
        self.items.delete(ev.item_id)  # not yet heard: it never reaches the engine
        self.sock.send({"type": "conversation.item.deleted", "item_id": ev.item_id})

    def on_conversation_item_retrieve(self, ev) -> None:
        self.sock.send({"type": "conversation.item.retrieved", "item": self._entry(ev.item_id).item})

    def on_conversation_item_truncate(self, ev) -> None:
        entry = self._entry(ev.item_id)
        resp = entry.response
        if resp is None or entry.item["role"] != "assistant" or resp.modality != "audio":
            raise common.invalid("only an assistant item with audio can be truncated", "item_id", "invalid_item")
        if ev.content_index != 0:
            raise common.invalid("the item has one content part: content_index must be 0", "content_index")
        if not resp.done.is_set():
            self.cancel("client_cancelled")
            resp.done.wait(timeout=10)
        heard_ms = int(min(ev.audio_end_ms, resp.samples * 1000 / RATE))  # an overshoot is clamped, not refused
        self.truncate(entry, heard_ms)
        self.sock.send({"type": "conversation.item.truncated", "item_id": ev.item_id, "content_index": 0,
                        "audio_end_ms": heard_ms})

    def truncate(self, entry, heard_ms: int) -> None:
        """Cut the reply to what was heard, in the engine's context (omni_truncate) and in the item."""
        resp = entry.response
        if resp.turn is None:
            return
        try:
            heard = self.conv.truncate(resp.turn.id, heard_ms, owner=self.owner)
        except ApiError as e:  # an older reply: the model has gone on since; the item stays as it was
            log.info("realtime %s: item %s not truncated in the model: %s", self.id, entry.item["id"], e.message)
            return
        resp.text = heard
        entry.item = resp.item("incomplete" if heard_ms < resp.samples * 1000 / RATE else entry.item["status"])

    # -- responses ------------------------------------------------------------------------------------------
    def on_response_create(self, ev) -> None:
        active = self.response
        if active is not None and not active.done.is_set():
            if active.cancel_reason is None:
                raise common.invalid("Conversation already has an active response in progress: "
                                     f"{active.id}. Wait until the response is finished before creating a new one.",
                                     code="conversation_already_has_active_response")
            active.done.wait(timeout=15)  # cancelled a moment ago: its response.done comes first
        if ev.response and ev.response.tools:
            self.sock.error("unsupported_parameter", "function calling is not supported: response.tools is ignored",
                            param="response.tools", client_event_id=ev.event_id)
        self.start_response(ev.response, ev.event_id)

    def start_response(self, params: ResponseParams | None, client_event_id: str | None) -> None:
        active = self.response
        if active is not None and not active.done.is_set():
            active.done.wait(timeout=15)  # a VAD turn right after a barge-in: the old turn ends first
        params = params or ResponseParams()
        modality = (params.output_modalities or [self.modality])[0]
        pending = self.items.pending()
        inputs = [m for e in pending for m in e.media]
        input_ms = sum(len(m["audio"]) * 1000 / RATE for m in inputs if "audio" in m)
        images = sum(1 for m in inputs if "image" in m)
        resp = Response(self, params.metadata, modality, input_ms, images)
        self.response = resp
        self.sock.send({"type": "response.created", "response": resp.body(final=False)})
        try:
            resp.turn = self.conv.start_turn(owner=self.owner, inputs=tuple(inputs))
            for e in pending:
                e.media, e.heard_in_turn = [], resp.turn.id
        except ApiError as e:
            msg = e.message
            if e.code == "nothing_prefilled":
                msg = ("nothing new to answer: MiniCPM-o hears audio and sees images, and no audio or image item was "
                       "added since the last response (text items are kept but not heard)")
            resp.fail(e.code, msg)
        except omni_py.OmniError as e:  # e.g. an image the engine cannot decode: drop it, or it fails every time
            for entry in pending:
                entry.media = []
            err = from_engine(e)
            resp.fail(err.code, err.message)
        self._thread = threading.Thread(target=resp.stream, args=(self.cfg.poll_s,), daemon=True,
                                        name=f"realtime-{self.id}")
        self._thread.start()

    def cancel(self, reason: str) -> bool:
        resp = self.response
        if resp is None or resp.done.is_set() or resp.turn is None:
            return False
        resp.cancel_reason = resp.cancel_reason or reason
        self.conv.interrupt("client", only=resp.turn)
        return True

    def on_response_cancel(self, ev) -> None:
        resp = self.response
        if (ev.response_id and (resp is None or ev.response_id != resp.id)) or not self.cancel("client_cancelled"):
            raise common.invalid("Cancellation failed: no active response found", code="response_cancel_not_active")

