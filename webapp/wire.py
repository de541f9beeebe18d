"""The wire schema of PROTOCOL.md: engine events → JSON events, NDJSON framing (SSE: sse.py),
and the pump that reads one turn until TURN_DONE while watching the client."""
from __future__ import annotations

import base64
import json
import select
import socket
import struct
import time
from collections.abc import Iterator

from flask import Response, current_app, request

import omni_py

from .conversation import Conversation, TurnStream
from .errors import ApiError, code_for_status


def dumps(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


# Engine event -> wire event. Every event passes through under the library's name for it,
# with its turn_id and the fields the engine filled (text when set, numbers when non-zero);
# this table holds the only renames. `keep` fields are sent even when zero.
RENAMES: dict[str, dict] = {
    "tts_chunk": {"fields": {"index": "chunk_idx"}, "keep": ("n_speech_tokens", "index")},
    "audio": {"fields": {"index": "wav_idx"}, "keep": ("index",)},
}
_NUMBERS = ("sample_rate", "index", "n_speech_tokens", "status")


class WireTurn:
    """Turns one turn's engine events into wire events (dicts with `type`). Three are the
    host's own and have a wire form of their own: `error` carries the error envelope,
    `stats` is folded into `done`, and `turn_done` becomes `done`."""

    def __init__(self, turn: TurnStream, binary_audio: bool = False):
        self.turn = turn
        self.binary_audio = binary_audio  # PCM not base64'd: the transport sends it as bytes
        self.stats: dict | None = None

    def convert(self, ev) -> dict | None:
        if ev.type == "stats":
            self.stats = ev.stats
            return None
        if ev.type == "turn_done":
            return self.done(ev.reason or "completed")
        if ev.type == "error":
            return {"type": "error", "error": {"code": code_for_status(omni_py.status_name(ev.status)),
                                               "message": ev.text or "the turn failed"}, "turn_id": ev.turn_id}
        return self.passthrough(ev)

    def passthrough(self, ev) -> dict:
        rule = RENAMES.get(ev.type, {})
        names, keep = rule.get("fields", {}), rule.get("keep", ())
        out = {"type": ev.type}
        if ev.text is not None:
            out["text"] = ev.text
        for field in _NUMBERS:
            value = getattr(ev, field)
            if value or field in keep:
                out[names.get(field, field)] = value
        if ev.pcm is not None:
            out["samples"] = len(ev.pcm)
            if not self.binary_audio:
                out["audio"] = base64.b64encode(ev.pcm.tobytes()).decode("ascii")
        out["turn_id"] = ev.turn_id
        return out

    def done(self, reason: str) -> dict:
        stats = dict(self.stats or {})
        if self.turn.played_ms is not None:
            stats["played_ms"] = self.turn.played_ms
        return {"type": "done", "turn_id": self.turn.id, "reason": reason, "interrupted": reason == "interrupted",
                "interrupted_by": self.turn.interrupted_by if reason == "interrupted" else None, "stats": stats}


# WebSocket binary frames describe themselves: a kind byte, then a fixed header of that kind,
# then the payload (PROTOCOL.md, "Binary frames"). Headers keep the PCM 4-byte aligned.
FRAME_AUDIO = 0x01
AUDIO_HEADER = struct.Struct("<B3xIII")  # server -> client: kind, turn_id, wav_idx, sample_rate; PCM int16 LE
MIC_HEADER = struct.Struct("<B3x")       # client -> server: kind; PCM int16 LE mono 16 kHz
FRAME_IMAGE = 0x02
IMAGE_HEADER = struct.Struct("<B3xI")    # client -> server: kind, frame seq; an encoded JPEG/PNG camera frame


def audio_frame(ev) -> bytes:
    """The binary WebSocket frame of an engine event that carries PCM."""
    pcm = ev.pcm.astype("<i2", copy=False).tobytes()
    return AUDIO_HEADER.pack(FRAME_AUDIO, ev.turn_id, ev.index, ev.sample_rate) + pcm


def client_frame(frame: bytes) -> tuple[int, int, bytes]:
    """(kind, seq, payload) of a client's binary frame: microphone PCM (seq 0) or a camera
    frame; ApiError for another kind or a frame shorter than its header."""
    if frame and frame[0] == FRAME_AUDIO and len(frame) >= MIC_HEADER.size:
        return FRAME_AUDIO, 0, frame[MIC_HEADER.size:]
    if frame and frame[0] == FRAME_IMAGE and len(frame) >= IMAGE_HEADER.size:
        return FRAME_IMAGE, IMAGE_HEADER.unpack_from(frame)[1], frame[IMAGE_HEADER.size:]
    kind = f"kind {frame[0]:#04x}" if frame else "an empty frame"
    raise ApiError("bad_frame", f"binary frames start with a kind byte and a header; got {kind} of {len(frame)} "
                                "bytes (microphone audio is kind 0x01 with 4 bytes, a camera frame kind 0x02 "
                                "with 8)")


def ndjson_frame(event: dict) -> bytes:
    return (dumps(event) + "\n").encode()


def client_gone(sock) -> bool:
    """True when the client closed its end (readable with EOF). WSGI cannot tell otherwise
    until a write fails, which may be seconds away while the engine thinks."""
    if sock is None:
        return False
    try:
        readable, _, _ = select.select([sock], [], [], 0)
        return bool(readable) and sock.recv(1, socket.MSG_PEEK) == b""
    except (OSError, ValueError):
        return True


def pump(conv: Conversation, turn: TurnStream, wire: WireTurn, sock, poll_s: float,
         keepalive_s: float = 15.0) -> Iterator[tuple[dict | None, object]]:
    """Yield (wire event, engine event) until the turn's done; (None, None) is a keep-alive
    tick. If the client leaves, or the reader stops early, the turn is interrupted."""
    finished = False
    last = time.monotonic()
    try:
        while True:
            ev = turn.get(poll_s)
            if ev is None:
                if client_gone(sock):
                    turn.interrupted_by = turn.interrupted_by or "disconnect"
                    return
                if time.monotonic() - last >= keepalive_s:
                    last = time.monotonic()
                    yield None, None
                continue
            out = wire.convert(ev)
            if ev.type == "turn_done":
                finished = True
            if out is not None:
                last = time.monotonic()
                yield out, ev
            if finished:
                return
    finally:
        if not finished:  # disconnect, write failure or GeneratorExit: free the engine now
            turn.interrupted_by = turn.interrupted_by or "disconnect"
            conv.interrupt("disconnect", only=turn)


STREAM_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}  # proxies must not hold a stream back


def stream_turn(conv: Conversation, turn: TurnStream, frame, mimetype: str, *, keepalive: bytes = b"",
                head: bytes = b"", tail=None, binary_audio: bool = False, headers: dict | None = None) -> Response:
    """The HTTP response that streams one turn: `head`, then frame(wire event, engine event)
    for each event (b"" sends nothing) and `keepalive` while the engine is quiet, then what
    tail() returns once the turn has ended (a closing frame that sums the turn up). Call it
    while handling the request: it takes the client's socket now, so pump() notices a client
    that left; the body itself runs after the handler has returned."""
    sock = request.environ.get("werkzeug.socket")
    poll_s = current_app.extensions["omni.config"].poll_s

    def chunks():
        if head:
            yield head
        for event, ev in pump(conv, turn, WireTurn(turn, binary_audio), sock, poll_s):
            chunk = keepalive if event is None else frame(event, ev)
            if chunk:
                yield chunk
        if tail is not None:
            yield tail()

    return Response(TurnBody(conv, turn, chunks()), mimetype=mimetype, headers={**STREAM_HEADERS, **(headers or {})})


class TurnBody:
    """A response body for one turn. close() (the WSGI server calls it, also when the
    client left before the first byte) interrupts a turn that has not finished."""

    def __init__(self, conv: Conversation, turn: TurnStream, frames: Iterator[bytes]):
        self.conv, self.turn, self.frames = conv, turn, frames

    def __iter__(self):
        return self.frames

    def close(self) -> None:
        close = getattr(self.frames, "close", None)
        if close is not None:
            close()
        if not self.turn.done.is_set():
            self.turn.interrupted_by = self.turn.interrupted_by or "disconnect"
            self.conv.interrupt("disconnect", only=self.turn)
