"""Camera frames on their way to the engine: the latest one waits for its second of audio.

Omni duplex expects each step's input as one unit: a frame, then the audio that goes with
it (docs/video.md). Frames come at ~1 fps beside the microphone; one waits here until the
next block of audio is prefilled and then goes in just before it. Frames never pile up: a
newer frame replaces one still waiting, and while a frame already sits in the engine for the
next step (the engine is behind) the next block goes without one. Both cases count as
dropped; the counts are reported to the client in each turn's stats.
"""
from __future__ import annotations

import threading


class LatestFrame:
    def __init__(self):
        self._lock = threading.Lock()
        self._frame: tuple[int, bytes] | None = None  # (seq, encoded image) not yet prefilled
        self._in_step = False  # a frame was prefilled since the last step started
        self.received = self.prefilled = self.dropped = 0
        self.last_seq: int | None = None  # seq of the last frame prefilled

    def put(self, seq: int, image: bytes) -> None:
        with self._lock:
            if self._frame is not None:
                self.dropped += 1
            self._frame = (seq, image)
            self.received += 1

    def take(self, one_per_step: bool = True) -> bytes | None:
        """The frame to prefill now, before a block of audio; None if none waits (or, with
        one_per_step, if this step already has one: the frame keeps waiting)."""
        with self._lock:
            if self._frame is None or (one_per_step and self._in_step):
                return None
            (seq, image), self._frame = self._frame, None
            self._in_step = True
            self.prefilled += 1
            self.last_seq = seq
            return image

    def refused(self) -> None:
        """The engine refused the frame just taken: it is not in the step after all."""
        with self._lock:
            self._in_step = False
            self.prefilled -= 1
            self.dropped += 1

    def step_started(self) -> None:
        with self._lock:
            self._in_step = False

    def clear(self) -> None:
        with self._lock:
            if self._frame is not None:
                self.dropped += 1
            self._frame, self._in_step = None, False

    def stats(self) -> dict:
        with self._lock:
            return {"frames_received": self.received, "frames_prefilled": self.prefilled,
                    "frames_dropped": self.dropped, "last_frame_seq": self.last_seq}
