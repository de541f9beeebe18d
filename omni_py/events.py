"""Events as Python objects, copied out of the C callback.

An event's `type` is the library's own name for it (omni_event_type_name(): "text",
"tts_chunk", ..., "turn_done"), so an event type added to the C header reaches Python,
and the server's clients, without a change here.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(slots=True)
class Event:
    """One engine event. `type` is omni_event_type_name() of the C event.

    text       text / tts_chunk text / error message / turn_done reason word
    pcm        audio: int16 mono samples (numpy, owned by the event)
    stats      stats: the turn's per-stage timings (dict)
    reason     turn_done: "completed", "interrupted" or "failed"
    received   time.monotonic() when the C callback handed it to Python
    """

    type: str
    turn_id: int
    seq: int
    t_ms: float
    text: str | None = None
    pcm: np.ndarray | None = None
    sample_rate: int = 0
    index: int = 0
    n_speech_tokens: int = 0
    status: int = 0
    received: float = 0.0
    stats: dict[str, Any] | None = field(default=None)

    @property
    def reason(self) -> str | None:
        return self.text if self.type == "turn_done" else None  # the library's omni_turn_end word

    @property
    def duration_s(self) -> float:
        return len(self.pcm) / self.sample_rate if self.pcm is not None and self.sample_rate else 0.0


class EventNames:
    """int -> name of omni_event_type, asked of the library once per value."""

    def __init__(self, ffi, lib):
        self._ffi, self._lib = ffi, lib
        self._names: dict[int, str] = {}

    def __call__(self, value: int) -> str:
        name = self._names.get(value)
        if name is None:
            name = self._names[value] = self._ffi.string(self._lib.omni_event_type_name(value)).decode()
        return name

    def declared(self) -> dict[int, str]:
        """Every event type of the header this binding was built from (cffi's enum)."""
        return {v: self(v) for v in self._ffi.typeof("omni_event_type").elements}


def event_from_c(ffi, ev, name: str, received: float) -> Event:
    """Copy a `const omni_event *` into an Event (the C pointers die after the callback)."""
    text = ffi.unpack(ev.text, ev.text_len).decode("utf-8", "replace") if ev.text != ffi.NULL else None
    out = Event(name, ev.turn_id, ev.seq, ev.t_ms, text, None, ev.sample_rate, ev.index, ev.n_speech_tokens,
                ev.status, received)
    if ev.pcm != ffi.NULL and ev.n_samples:
        out.pcm = np.frombuffer(ffi.buffer(ev.pcm, ev.n_samples * 2), dtype=np.int16).copy()
    if name == "stats" and text:
        out.stats = json.loads(text)
    return out
