"""Engine: the Python face of one libomni_c engine."""
from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Iterator
from typing import Callable

import numpy as np

from . import _library
from .errors import InternalError, StateError, Timeout, Unsupported, error_for
from .events import Event, event_from_c


def _last_error(lib, ffi) -> str:
    return ffi.string(lib.omni_last_error()).decode("utf-8", "replace")


def _check(lib, ffi, status: int) -> None:
    if status != lib.OMNI_OK:
        raise error_for(status, _library.status_name(status), _last_error(lib, ffi))


def _option_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def engines() -> list[str]:
    """Engine kinds compiled into the loaded libomni_c, e.g. ['sim', 'llama-omni']."""
    ffi, lib, _ = _library.load()
    return ffi.string(lib.omni_engines()).decode().split(",")


def options_schema(kind: str = "sim") -> list[dict]:
    """Every option of an engine kind: name, type, default, range/values, runtime, help."""
    ffi, lib, _ = _library.load()
    p = lib.omni_options_schema(kind.encode())
    if p == ffi.NULL:
        raise Unsupported(_last_error(lib, ffi))
    return json.loads(ffi.string(p).decode())


class Turn:
    """The events of one turn, in order; iteration ends after its turn_done event."""

    def __init__(self, engine: Engine, turn_id: int):
        self.engine = engine
        self.id = turn_id
        self.done: Event | None = None

    def __iter__(self) -> Iterator[Event]:
        return self.events()

    def events(self, timeout: float | None = None) -> Iterator[Event]:
        """Yield events; raise omni_py.Timeout if none arrives within `timeout` seconds."""
        while self.done is None:
            ev = self.engine._next_event(timeout)
            if ev.turn_id != self.id:
                continue  # an older turn the caller stopped reading
            if ev.type == "turn_done":
                self.done = ev
            yield ev

    def wait(self, timeout: float | None = None) -> Event:
        """Drain the turn; returns its turn_done event."""
        for _ in self.events(timeout):
            pass
        assert self.done is not None
        return self.done

    def collect(self, timeout: float | None = None) -> dict:
        """Run the turn to its end: {'text', 'audio' (int16 ndarray), 'sample_rate', 'stats', 'reason', 'events'}."""
        events = list(self.events(timeout))
        pcm = [e.pcm for e in events if e.type == "audio"]
        stats = next((e.stats for e in events if e.type == "stats"), None)
        return {
            "text": "".join(e.text for e in events if e.type == "text"),
            "audio": np.concatenate(pcm) if pcm else np.zeros(0, np.int16),
            "sample_rate": next((e.sample_rate for e in events if e.type == "audio"), 24000),
            "stats": stats,
            "reason": self.done.reason if self.done else None,
            "events": events,
        }


class Engine:
    """One libomni_c engine.

        with Engine("sim", language="en") as eng:
            eng.prefill(audio=wav_bytes)               # or a numpy array + sample_rate
            for ev in eng.generate():
                print(ev.type, ev.text)

    Options are those of omni_options_schema(kind); values may be str, int, float or
    bool. Events come from a queue that the C callback fills, read by iterating the Turn
    that generate() returns. With `on_event`, every event goes to that function instead,
    on the engine thread (it must be quick; exceptions are caught and kept in
    `callback_errors`), and Turn iteration is not available.
    """

    def __init__(self, kind: str = "sim", *, on_event: Callable[[Event], None] | None = None, **options):
        self._ffi, self._lib, self.library_path = _library.load()
        self.kind = kind
        self._queue: queue.SimpleQueue[Event] = queue.SimpleQueue()
        self._on_event = on_event
        self.callback_errors: list[BaseException] = []
        # close() must not free the C engine while another thread is inside a call on it:
        # calls are counted, and close() waits for them (after interrupting, so none waits long).
        self._closed = False
        self._calls = 0
        self._calls_cv = threading.Condition()
        self._tls = threading.local()
        ffi, lib = self._ffi, self._lib
        monotonic = time.monotonic
        put = self._queue.put
        tls = self._tls
        name_of = _library.event_names()

        def trampoline(ev, _user):
            # Runs on engine threads. Nothing may propagate into C.
            tls.in_callback = True
            try:
                e = event_from_c(ffi, ev, name_of(ev.type), monotonic())
                if on_event is None:
                    put(e)
                else:
                    on_event(e)
            except BaseException as exc:  # noqa: BLE001 - kept for the caller to inspect
                self.callback_errors.append(exc)
            finally:
                tls.in_callback = False

        self._callback = ffi.callback("omni_event_cb", trampoline)
        keys = [ffi.new("char[]", k.encode()) for k in options]
        values = [ffi.new("char[]", _option_text(v).encode()) for v in options.values()]
        out = ffi.new("omni_engine **")
        _check(lib, ffi, lib.omni_create(kind.encode(), ffi.new("char *[]", keys), ffi.new("char *[]", values),
                                         len(options), self._callback, ffi.NULL, out))
        self._handle = out[0]

    # -- context manager -----------------------------------------------------------
    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def close(self) -> None:
        """Stop any running turn and free the engine. Safe to call twice, and while other
        threads use the engine (their calls finish first; later ones raise StateError)."""
        if getattr(self._tls, "in_callback", False):
            raise StateError("close() may not be called from on_event (an engine thread)")
        with self._calls_cv:
            if self._closed:
                return
            self._closed = True
        self._lib.omni_interrupt(self._handle)  # so a thread blocked in wait()/reset() returns soon
        with self._calls_cv:
            self._calls_cv.wait_for(lambda: self._calls == 0)
        _check(self._lib, self._ffi, self._lib.omni_destroy(self._handle))

    def _call(self, fn, *args) -> int:
        """lib.fn(handle, *args), counted so that close() cannot free the engine meanwhile."""
        with self._calls_cv:
            if self._closed:
                raise StateError("the engine is closed")
            self._calls += 1
        try:
            return fn(self._handle, *args)
        finally:
            with self._calls_cv:
                self._calls -= 1
                if self._calls == 0:
                    self._calls_cv.notify_all()

    def _checked(self, fn, *args) -> None:
        _check(self._lib, self._ffi, self._call(fn, *args))

    # -- input ---------------------------------------------------------------------
    def prefill(self, audio=None, sample_rate: int | None = None, image: bytes | None = None) -> None:
        """Queue input for the next turn.

        audio: a 1-D numpy array (float32 in [-1, 1] or int16) with `sample_rate`; a
               2-D array (frames x channels) is averaged to mono; or the bytes of a
               WAV/FLAC/OGG/MP3 file.
        image: the bytes of a JPEG or PNG image (needs media_type="omni").
        """
        ffi, lib = self._ffi, self._lib
        if audio is not None:
            if isinstance(audio, (bytes, bytearray, memoryview)):
                data = bytes(audio)
                self._checked(lib.omni_prefill_audio_file, data, len(data))
            else:
                arr = np.asarray(audio)
                if sample_rate is None:
                    raise TypeError("prefill(audio=array) needs sample_rate=")
                if arr.ndim == 2:
                    arr = arr.astype(np.float32).mean(axis=1)
                if arr.ndim != 1:
                    raise ValueError(f"audio must be 1-D (mono) or 2-D (frames x channels), got shape {arr.shape}")
                if arr.dtype == np.int16:
                    arr = np.ascontiguousarray(arr)
                    self._checked(lib.omni_prefill_pcm_s16, ffi.from_buffer("int16_t[]", arr), len(arr), int(sample_rate))
                else:
                    arr = np.ascontiguousarray(arr, dtype=np.float32)
                    self._checked(lib.omni_prefill_pcm_f32, ffi.from_buffer("float[]", arr), len(arr), int(sample_rate))
        if image is not None:
            data = bytes(image)
            self._checked(lib.omni_prefill_image, data, len(data))

    # -- turns ---------------------------------------------------------------------
    def generate(self) -> Turn:
        """Start a turn on what was prefilled; iterate the returned Turn for its events."""
        ffi, lib = self._ffi, self._lib
        tid = ffi.new("uint64_t *")
        self._checked(lib.omni_generate, tid)
        return Turn(self, int(tid[0]))

    def chat(self, audio=None, sample_rate: int | None = None, image: bytes | None = None,
             timeout: float | None = 120) -> dict:
        """prefill + generate + collect in one call; see Turn.collect()."""
        self.prefill(audio=audio, sample_rate=sample_rate, image=image)
        return self.generate().collect(timeout)

    def _next_event(self, timeout: float | None) -> Event:
        if self._on_event is not None:
            raise StateError("this Engine delivers events to its on_event function; a Turn cannot be iterated")
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            raise Timeout(f"no event within {timeout} s") from None

    def wait(self, timeout: float | None = None) -> None:
        """Block until the current turn's turn_done has been delivered."""
        ms = -1 if timeout is None else int(timeout * 1000)
        self._checked(self._lib.omni_wait, ms)

    def interrupt(self) -> None:
        """Barge-in: returns at once; the turn ends with reason 'interrupted'."""
        self._checked(self._lib.omni_interrupt)

    def reset(self) -> None:
        """New conversation: stops a running turn, forgets the dialogue, keeps the models."""
        self._checked(self._lib.omni_reset)

    def truncate(self, turn_id: int, played_ms: float) -> str:
        """Barge-in, after the fact: cut turn `turn_id`'s reply in the conversation to what the
        user heard in the first `played_ms` ms of its audio (omni_truncate, C ABI >= 1.3).
        Returns the reply text that remains. Only the most recent turn can be cut, before
        any input for the next one; a running turn is interrupted first."""
        if self._lib.omni_abi_version() & 0xFFFF < 3:  # an older library lacks the symbol
            raise Unsupported(f"{self.library_path} has C ABI < 1.3, without omni_truncate; rebuild libomni_c")
        out = self._ffi.new("const char **")
        self._checked(self._lib.omni_truncate, int(turn_id), float(played_ms), out)
        return self._ffi.string(out[0]).decode("utf-8", "replace") if out[0] != self._ffi.NULL else ""

    def set_option(self, key: str, value) -> None:
        """Change a runtime option (e.g. length_penalty)."""
        self._checked(self._lib.omni_set_option, key.encode(), _option_text(value).encode())

    @property
    def info(self) -> dict:
        """The engine as it is: kind, options in effect, model, mode, busy, ..."""
        p = self._call(self._lib.omni_info)  # a per-thread string: read it on this thread
        if p == self._ffi.NULL:
            raise InternalError(_last_error(self._lib, self._ffi))
        return json.loads(self._ffi.string(p).decode("utf-8", "replace"))

