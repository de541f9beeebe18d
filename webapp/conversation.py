"""The one object that owns the engine, the conversation and the turn lock.

Every transport goes through it: one engine, one conversation, one turn at a time. The
engine's callback routes each event to the turn that is running (never to anyone else);
a turn ends only on the engine's TURN_DONE.
"""
from __future__ import annotations

import contextlib
import io
import logging
import os
import queue
import threading
import tempfile
import time

import soundfile as sf

import omni_py

from .engine_options import SIMULATOR, EngineSettings, runtime_options, schema
from .errors import ApiError, from_engine

log = logging.getLogger("omni.server")


class TurnStream:
    """The events of one turn, for its one reader. `q` receives omni_py Events (a queue of
    the reader's own when it gives one, e.g. a WebSocket session's outbox); the reader stops
    after the turn_done event."""

    def __init__(self, owner: str | None, q: queue.SimpleQueue | None = None):
        self.owner = owner
        self.id: int | None = None
        self.q: queue.SimpleQueue = q if q is not None else queue.SimpleQueue()
        self.done = threading.Event()
        self.interrupted_by: str | None = None  # "stop", "client", "disconnect", "reset", "drain"
        self.played_ms: float | None = None
        self.started = time.monotonic()

    def get(self, timeout: float):
        """The next event, or None after `timeout` seconds without one."""
        try:
            return self.q.get(timeout=timeout)
        except queue.Empty:
            return None


# A WebSocket session releases the conversation a moment after its socket closed, and a load
# balancer may already have sent the next conversation by then: that one waits this long.
RELEASE_GRACE_S = 1.0


class Conversation:
    def __init__(self, config):
        self.config = config
        self.settings = EngineSettings(config.engine.kind, dict(config.engine.options))
        self._engine: omni_py.Engine | None = None
        self._lock = threading.Lock()        # guards _turn, _owner, _pending; never held while waiting on a turn
        self._input = threading.Condition(self._lock)  # notified when something is prefilled
        self._init_lock = threading.Lock()   # serialises engine creation / re-creation
        self._loading = False
        self._load: tuple[str, float] | None = None  # (stage, fraction) of the engine being loaded
        self._turn: TurnStream | None = None
        self._owner: str | None = None       # a WebSocket session that holds the conversation
        self._owner_gone = threading.Condition(self._lock)
        self._pending = 0                    # prefills since the last turn
        self._prefilling = 0                 # prefills in progress (the engine is encoding them)
        self.waiting_for_input = 0           # generates waiting for a prefill (duplex)
        self.last_error: str | None = None
        self._voice_files: list[str] = []
        self.trace: list | None = None  # benchmark hook: (type, turn_id, seq, received, samples) per routed event
        self.epoch = 0                       # bumped whenever the engine's history is dropped (reset, configure)
        self.last_turn_id: int | None = None  # the newest turn started, by any transport

    # -- engine lifecycle ------------------------------------------------------------
    def _create(self, settings: EngineSettings) -> omni_py.Engine:
        self._load = None
        options = settings.engine_options()
        options.setdefault("max_audio_seconds", self.config.max_audio_seconds)  # a host option of every kind
        log.info("creating engine %s with %s", settings.kind, options)
        return omni_py.Engine(settings.kind, on_event=self._on_event, **options)

    def ensure_engine(self) -> None:
        """Create the engine with the current settings if there is none (lazy start)."""
        if self._engine is not None:
            return
        with self._init_lock:
            if self._engine is None:
                self._loading = True
                try:
                    self._engine = self._create(self.settings)
                    self.last_error = None
                except omni_py.OmniError as e:
                    self.last_error = str(e)
                    raise from_engine(e) from None
                finally:
                    self._loading = False

    def configure(self, changes: dict, owner: str | None = None) -> dict:
        """Start a new conversation with the requested mode / media type / language / voice.
        Creation-time changes re-create the engine; otherwise it is kept and reset. The
        answer says exactly what is now in effect and what was done."""
        with self._init_lock:
            with self._lock:
                self._check_owner(owner)
                if self._turn is not None:
                    raise ApiError("busy", f"turn {self._turn.id} is running; stop it (POST /omni/stop) or wait "
                                           "for its end before starting a new conversation")
            new = self.settings.changed(changes)
            before = self.settings.public()
            changed = self.settings.differences(new)
            runtime = runtime_options(new.kind)
            if self._engine is None:
                action, note = "created", "engine created; new conversation"
                self._replace_engine(new)
            elif not changed:
                action, note = "reset", "settings unchanged: engine kept, conversation reset"
                self._engine.reset()
            elif all(k in runtime for k in changed):
                for k in changed:
                    self._engine.set_option(k, new.options[k])
                self._engine.reset()
                action, note = "reset", f"{', '.join(changed)} changed at run time; conversation reset"
            else:
                action = "recreated"
                note = (f"{', '.join(changed)} changed: engine re-created with the new settings "
                        "(the previous conversation is gone)")
                self._replace_engine(new)
            self.settings = new
            with self._lock:
                self._pending = 0
                self.epoch += 1
        if new.ref_audio and "ref_audio" not in schema(new.kind):
            note += f"; note: the {new.kind} engine has no voice option, so the reference voice is not heard"
        return {"success": True, "action": action, "note": note, "changed": changed, "previous": before,
                **self.settings.public(), "duplex_mode": new.mode == "duplex"}

    def _replace_engine(self, new: EngineSettings) -> None:
        old_engine, self._engine = self._engine, None
        self._loading = True
        try:
            if old_engine is not None:
                old_engine.close()  # one llama-omni engine per process: free it first
            try:
                self._engine = self._create(new)
                self.last_error = None
            except omni_py.OmniError as e:
                self.last_error = str(e)
                err = from_engine(e)
                try:  # keep the server usable with what worked before
                    self._engine = self._create(self.settings) if old_engine is not None else None
                    err.message += "; the previous settings are still in effect"
                except omni_py.OmniError:
                    err.message += "; no engine is loaded now"
                raise err from None
        finally:
            self._loading = False

    def close(self) -> None:
        with self._init_lock:
            if self._engine is not None:
                self._engine.close()
                self._engine = None
            for path in self._voice_files:
                with contextlib.suppress(OSError):
                    os.unlink(path)

    # -- ownership (a WebSocket session holds the conversation) -------------------------
    def _other_owner(self, owner: str | None) -> bool:
        """Whether a session other than `owner` holds the conversation (call with _lock held)."""
        if self._owner is not None and owner != self._owner:
            self._owner_gone.wait_for(lambda: self._owner is None or self._owner == owner, RELEASE_GRACE_S)
        return self._owner is not None and owner != self._owner

    def _check_owner(self, owner: str | None) -> None:
        if self._other_owner(owner):
            raise ApiError("busy", "a WebSocket session holds the conversation; close it first")

    def claim(self, owner: str) -> None:
        with self._lock:
            if self._other_owner(owner):
                raise ApiError("busy", "another WebSocket session holds the conversation")
            if self._turn is not None:
                raise ApiError("busy", f"turn {self._turn.id} is running for another client")
            self._owner = owner

    def release(self, owner: str) -> None:
        with self._lock:
            if self._owner != owner:
                return
            self._owner = None
            self._owner_gone.notify_all()
            turn = self._turn
        if turn is not None and turn.owner == owner:
            self.interrupt("disconnect")

    # -- input and turns -------------------------------------------------------------------
    def _engine_or_409(self) -> omni_py.Engine:
        if self._engine is None:
            if self._loading:
                raise ApiError("initializing", "the engine is still loading; try again when /health says "
                                               "initialized (it shows the progress)")
            raise ApiError("not_initialized", "the engine is not initialized: call POST /omni/init_sys_prompt "
                                              "first")
        return self._engine

    def prefill(self, audio=None, sample_rate: int | None = None, image: bytes | None = None,
                owner: str | None = None) -> int:
        with self._lock:
            self._check_owner(owner)
            engine = self._engine_or_409()
        if image is not None and self.settings.media_type != "omni":
            raise ApiError("image_not_supported", "this conversation is audio-only (media_type 'audio'); "
                                                  "init with media_type 'omni' (2) to send images")
        with self._lock:
            self._prefilling += 1
        ok = False
        try:
            engine.prefill(audio=audio, sample_rate=sample_rate, image=image)
            ok = True
        finally:
            with self._lock:
                self._prefilling -= 1
                self._pending += ok
                index = self._pending
                self._input.notify_all()
        return index

    def _startable(self, owner: str | None) -> omni_py.Engine:
        """The engine, if a turn could start now; else the error start_turn gives. Under _lock."""
        self._check_owner(owner)
        engine = self._engine_or_409()
        if self._turn is not None:
            raise ApiError("busy", f"turn {self._turn.id} is still running; one conversation, one turn at a time")
        return engine

    def start_turn(self, owner: str | None = None, audio=None, sample_rate: int | None = None,
                   image: bytes | None = None, fresh: bool = False, new_conversation: bool = False,
                   events: queue.SimpleQueue | None = None, inputs: tuple = ()) -> TurnStream:
        """Start a turn (after prefilling `inputs`, a sequence of prefill() keyword dicts, then
        `audio`/`image` if given) and return its stream. fresh=True refuses input that other
        requests prefilled, so nothing is mixed in; new_conversation=True forgets the earlier
        turns first (a one-shot question); `events`: the queue the turn's events go to
        (default: one of the stream's own)."""
        with self._lock:
            engine = self._startable(owner)
            if fresh and self._pending:
                raise ApiError("busy", f"{self._pending} prefill(s) from /omni/streaming_prefill wait for "
                           "/omni/streaming_generate; generate or reset first")
            if audio is None and image is None and not inputs and self._pending == 0 \
                    and self.settings.mode == "simplex":
                raise ApiError("nothing_prefilled", "nothing was prefilled since the last turn: send audio "
                                                    "with /omni/streaming_prefill first")
            turn = TurnStream(owner, events)
            self._turn = turn  # reserved: nobody else can start or mix input in now
        try:
            if new_conversation:
                engine.reset()
                self.epoch += 1
            if (image is not None or any(i.get("image") is not None for i in inputs)) \
                    and self.settings.media_type != "omni":
                raise ApiError("image_not_supported", "this conversation is audio-only (media_type 'audio'); "
                                                      "init with media_type 'omni' to send images")
            for kwargs in inputs:
                engine.prefill(**kwargs)
            if audio is not None or image is not None:
                engine.prefill(audio=audio, sample_rate=sample_rate, image=image)
            turn.id = engine.generate().id
            self.last_turn_id = turn.id
        except BaseException:
            with self._lock:
                if self._turn is turn:
                    self._turn = None
            raise
        with self._lock:
            self._pending = 0
        return turn

    def wait_for_input(self, timeout: float, poll_s: float, gone=lambda: False) -> bool:
        """True as soon as something was prefilled since the last turn; False after `timeout` s
        without input and without a prefill in progress (encoding an image can take seconds),
        or once gone() says the client left (asked every poll_s)."""
        deadline = time.monotonic() + timeout
        with self._input:
            self._startable(None)  # not initialized, or busy: say so now, not after the wait
            self.waiting_for_input += 1
            try:
                while self._pending == 0:
                    if self._prefilling:
                        deadline = time.monotonic() + timeout
                    left = deadline - time.monotonic()
                    if left <= 0 or gone():
                        return False
                    self._input.wait(min(poll_s, left))
                return True
            finally:
                self.waiting_for_input -= 1

    def _on_event(self, ev) -> None:
        # Engine thread: route to the running turn only; must be quick and must not block.
        if ev.turn_id == 0:  # not of a turn: the engine's loading progress (omni_create)
            if ev.type == "load_progress":
                self._load = (ev.text or "", ev.index / 1000)
            return
        turn = self._turn
        if turn is None or (turn.id is not None and ev.turn_id != turn.id):
            return  # an old turn's straggler: nobody may receive it
        if ev.type == "turn_done" and self._turn is turn:
            self._turn = None  # before the reader sees it: its client may start the next turn at once
        turn.q.put(ev)
        if self.trace is not None:
            self.trace.append((ev.type, ev.turn_id, ev.seq, ev.received, 0 if ev.pcm is None else len(ev.pcm)))
        if ev.type == "turn_done":
            turn.done.set()

    def interrupt(self, by: str = "stop", played_ms: float | None = None, only: TurnStream | None = None
                  ) -> int | None:
        """Stop the running turn (barge-in); returns its id or None when idle. With `only`,
        stop it only if that turn is the one running (a reader cleaning up after itself)."""
        turn, engine = self._turn, self._engine
        if only is not None and turn is not only:
            return None
        if turn is not None:
            turn.interrupted_by = turn.interrupted_by or by
            if played_ms is not None:
                turn.played_ms = played_ms
        if engine is not None:
            engine.interrupt()
        return turn.id if turn is not None else None

    def truncate(self, turn_id: int, played_ms: float, owner: str | None = None) -> str:
        """Cut a reply in the engine's conversation to what the user heard (barge-in); returns
        the reply text that remains. 409 when the engine cannot (not the latest turn, or input
        for the next turn was already given)."""
        with self._lock:
            self._check_owner(owner)
            engine = self._engine_or_409()
        try:
            return engine.truncate(turn_id, played_ms)
        except omni_py.StateError as e:
            raise ApiError("cannot_truncate", e.message) from None

    def reset(self, owner: str | None = None) -> None:
        with self._lock:
            self._check_owner(owner)
            engine = self._engine_or_409()
            if self._turn is not None:
                self._turn.interrupted_by = self._turn.interrupted_by or "reset"
        engine.reset()  # interrupts a running turn and waits for its TURN_DONE
        with self._lock:
            self._pending = 0
            self.epoch += 1

    def set_runtime_option(self, key: str, value) -> None:
        """Apply a run-time option if this engine kind has it (the sim ignores length_penalty)."""
        engine = self._engine_or_409()
        if key in runtime_options(self.settings.kind):
            engine.set_option(key, value)

    def store_voice(self, wav: bytes) -> str:
        """Check a reference-voice WAV and keep it as a file the engine can read."""
        try:
            info = sf.info(io.BytesIO(wav))
        except Exception as e:
            raise ApiError("bad_voice", f"the reference voice is not a readable audio file: {e}") from None
        # The engine's audio encoder takes at most 30 s in one piece (the default voice is 6 s).
        if not 0.5 <= info.duration <= 30:
            raise ApiError("bad_voice", f"the reference voice lasts {info.duration:.1f} s; use 0.5 to 30 s "
                                        "(the default is 6 s)")
        fd, path = tempfile.mkstemp(prefix="omni-voice-", suffix=".wav")
        with os.fdopen(fd, "wb") as f:
            f.write(wav)
        self._voice_files.append(path)
        return path

    # -- state ---------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._turn is not None

    @property
    def pending(self) -> int:
        return self._pending

    def health(self) -> dict:
        engine = self._engine
        info = {}
        if engine is not None:
            try:
                info = engine.info
            except omni_py.OmniError:
                info = {}
        return {
            "status": "ok" if self.last_error is None else "error",
            "engine": info.get("kind", self.settings.kind),
            "simulated": info.get("simulated", self.settings.kind == SIMULATOR),
            "engine_reason": self.config.engine_reason,
            "model": info.get("model"),
            "model_files": info.get("files"),  # what the engine resolved and loaded
            "isolation": info.get("isolation"),  # the engine's own process (isolate=process): state, restarts
            "mode": info.get("mode", self.settings.mode),
            "media_type": info.get("options", {}).get("media_type", self.settings.media_type),
            "language": info.get("language", self.settings.language),
            "voice": "custom" if self.settings.ref_audio else "default",
            "initialized": engine is not None,
            "loading": self._loading,
            # while loading: the engine's own progress (0..1) and stage (llm, tts, encoders, ...)
            "load_progress": self._load[1] if self._loading and self._load else None,
            "load_stage": self._load[0] if self._loading and self._load else None,
            "busy": self._turn is not None,
            "turn_id": self._turn.id if self._turn is not None else None,
            "session": "websocket" if self._owner else None,
            "pending_prefills": self._pending,
            "last_error": self.last_error,
            "library": omni_py.library_info()["version"],
            "backend": self.config.backend_id,
        }
