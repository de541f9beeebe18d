"""Which engine kind to run and with which options. Kinds, option names, allowed values and
which options change at run time all come from the engine registry of libomni_c
(omni_py.engines(), omni_py.options_schema()); nothing here names an engine kind."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import omni_py
from models import layout

from .errors import ApiError

SIMULATOR = "sim"  # the built-in kind: the fallback when no model runs (omni_engines() always lists it)
# Options a conversation is about; every kind declares them (checked by tests/test_engine_settings.py).
CONVERSATION_OPTIONS = ("mode", "media_type", "language")


def schema(kind: str) -> dict[str, dict]:
    """The options of an engine kind by name (omni_options_schema)."""
    return {o["name"]: o for o in omni_py.options_schema(kind)}


def allowed_values(name: str) -> tuple[str, ...]:
    """The values an enum option takes in any compiled engine kind (for the command line)."""
    out: list[str] = []
    for kind in omni_py.engines():
        out += [v for v in schema(kind).get(name, {}).get("values", []) if v not in out]
    return tuple(out)
# One line telling a user of the simulator how to get the real model (the page says the same).
REAL_MODEL_HOWTO = "LLAMA_OMNI_DIR=/path/to/llama.cpp-omni ./run.sh --download"


def find_model_dir(explicit: str | None = None) -> Path | None:
    """The model folder to use (models.layout's search order). An explicit folder must exist;
    what it lacks is the engine's to say when it loads (it owns the layout)."""
    if explicit and not Path(explicit).expanduser().is_dir():
        raise SystemExit(f"--model-dir {explicit}: the folder does not exist (models/README.md shows the layout)")
    return layout.find_model_dir(explicit)


def choose_kind(requested: str | None, model_dir: Path | None) -> tuple[str, str]:
    """(kind, why): an engine that loads model files (it has a `model_dir` option) when one is
    compiled in and a model folder was found, else the simulator."""
    compiled = omni_py.engines()
    if requested:
        if requested not in compiled:
            raise SystemExit(f"engine '{requested}' is not compiled into libomni_c (it has: {', '.join(compiled)})")
        return requested, "chosen with --engine"
    real = [k for k in compiled if "model_dir" in schema(k)]
    if not real:
        return SIMULATOR, (f"libomni_c has no engine that loads model files ({', '.join(compiled)}), so the "
                           f"built-in simulator runs; for the real model: {REAL_MODEL_HOWTO}")
    if model_dir is None:
        return SIMULATOR, ("no MiniCPM-o model directory was found (use --model-dir), so the built-in simulator runs; "
                           "./run.sh --download (or python -m models.download) fetches the model files")
    return real[0], f"models found in {model_dir}"


@dataclass
class EngineSettings:
    """What a conversation asks of the engine: its kind and options by name. Options the kind
    does not have (a seed flag such as --ctx-size for the simulator, a voice for an engine
    without one) are kept and reported but not passed to the engine."""

    kind: str = SIMULATOR
    options: dict = field(default_factory=dict)

    def get(self, name: str, fallback=None):
        if self.options.get(name) is not None:
            return self.options[name]
        return schema(self.kind).get(name, {}).get("default", fallback)

    @property
    def mode(self) -> str:
        return self.get("mode", "simplex")

    @property
    def media_type(self) -> str:
        return self.get("media_type", "audio")

    @property
    def language(self) -> str:
        return self.get("language", "en")

    @property
    def ref_audio(self) -> str | None:
        return self.options.get("ref_audio") or None

    def engine_options(self) -> dict:
        """The options this kind has, as omni_py.Engine takes them."""
        known = schema(self.kind)
        wanted = dict(self.options)
        threads = os.environ.get("VOCODER_THREADS")
        if threads and "vocoder_threads" not in wanted:
            wanted["vocoder_threads"] = threads
        return {k: v for k, v in wanted.items() if v is not None and k in known}

    def changed(self, changes: dict) -> EngineSettings:
        """A copy with `changes` applied, each checked against the kind's schema: a value an
        enum option does not take is refused (invalid_value)."""
        known = schema(self.kind)
        for name, value in changes.items():
            values = known.get(name, {}).get("values")
            if values and value is not None and value not in values:
                raise ApiError("invalid_value", f"'{name}' must be one of {', '.join(values)}, not {value!r}")
        return EngineSettings(self.kind, {**self.options, **changes})

    def differences(self, other: EngineSettings) -> list[str]:
        """Options whose value in effect differs (an option left out has its default: naming
        the default explicitly changes nothing)."""
        names = set(self.options) | set(other.options)
        return sorted(n for n in names if self.get(n) != other.get(n))

    def public(self) -> dict:
        return {"engine": self.kind, "mode": self.mode, "media_type": self.media_type, "language": self.language,
                "voice": "custom" if self.ref_audio else "default"}


def check_engine_options(kind: str, given: dict) -> None:
    """--engine-option KEY=VALUE: every key must be an option of the kind (SystemExit naming them)."""
    known = schema(kind)
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise SystemExit(f"engine {kind} has no option {', '.join(unknown)} (it has: {', '.join(sorted(known))})")


def runtime_options(kind: str) -> set[str]:
    return {name for name, o in schema(kind).items() if o.get("runtime")}
