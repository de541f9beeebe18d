"""Events as Python objects, copied out of the C callback."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# omni_event_type values of omni_c.h, by the names the server and page use.
TYPE_NAMES = {1: "text", 2: "tts_chunk", 3: "audio", 4: "listen", 5: "end_of_turn",
              6: "turn_done", 7: "error", 8: "stats"}
TURN_END = {0: "completed", 1: "interrupted", 2: "failed"}


@dataclass(slots=True)
class Event:
    """One engine event. `type` is one of TYPE_NAMES' values.

    text       text / tts_chunk text / error message
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
        return TURN_END.get(self.status) if self.type == "turn_done" else None

    @property
    def duration_s(self) -> float:
        return len(self.pcm) / self.sample_rate if self.pcm is not None and self.sample_rate else 0.0


def event_from_c(ffi, ev, received: float) -> Event:
    """Copy a `const omni_event *` into an Event (the C pointers die after the callback)."""
    etype = TYPE_NAMES.get(ev.type, f"unknown_{ev.type}")
    text = ffi.unpack(ev.text, ev.text_len).decode("utf-8", "replace") if ev.text != ffi.NULL else None
    out = Event(etype, ev.turn_id, ev.seq, ev.t_ms, text, None, ev.sample_rate, ev.index, ev.n_speech_tokens,
                ev.status, received)
    if etype == "audio" and ev.n_samples:
        out.pcm = np.frombuffer(ffi.buffer(ev.pcm, ev.n_samples * 2), dtype=np.int16).copy()
    elif etype == "stats" and text:
        out.stats = json.loads(text)
    return out
