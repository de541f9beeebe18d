"""Which engine kind to run and with which options: the one place that maps CLI flags and
init requests onto omni_py.Engine(kind, **options)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import omni_py
from models import layout

MODES = ("simplex", "duplex")
MEDIA_TYPES = ("audio", "omni")
LANGUAGES = ("en", "zh")
# One line telling a user of the simulator how to get the real model (the page says the same).
REAL_MODEL_HOWTO = "LLAMA_OMNI_DIR=/path/to/llama.cpp-omni ./run.sh --download"


def find_model_dir(explicit: str | None = None) -> Path | None:
    """The model directory to use (models.layout's search order). An explicit directory
    that lacks the LLM or audio encoder is an error that says what is missing, never a
    silent fall-back to the simulator."""
    found = layout.find_model_dir(explicit)
    if explicit and found is None:
        root = Path(explicit).expanduser()
        lacks = [] if not root.is_dir() else [
            what for what, ok in (("the LLM (MiniCPM-o-4_5-*.gguf)", layout.find_llm(root) is not None),
                                  (layout.AUDIO_REL, (root / layout.AUDIO_REL).is_file())) if not ok]
        why = "it does not exist" if not root.is_dir() else "it lacks " + " and ".join(lacks)
        raise SystemExit(f"--model-dir {explicit}: not a MiniCPM-o model directory ({why}); "
                         "see models/README.md for the layout")
    return found


def choose_kind(requested: str | None, model_dir: Path | None) -> tuple[str, str]:
    """(kind, why): the real engine when compiled in and models are found, else sim."""
    compiled = omni_py.engines()
    if requested:
        if requested not in compiled:
            raise SystemExit(f"engine '{requested}' is not compiled into libomni_c (it has: {', '.join(compiled)})")
        return requested, "chosen with --engine"
    if "llama-omni" not in compiled:
        return "sim", ("llama-omni is not compiled into libomni_c, so the built-in simulator runs; "
                       f"for the real model: {REAL_MODEL_HOWTO}")
    if model_dir is None:
        return "sim", ("no MiniCPM-o model directory was found (use --model-dir), so the built-in simulator runs; "
                       "./run.sh --download (or python -m models.download) fetches the model files")
    return "llama-omni", f"models found in {model_dir}"


@dataclass
class EngineSettings:
    """What a conversation asks of the engine. `extra` carries kind-specific options
    (e.g. sim test hooks); options the kind does not know are dropped, never guessed."""

    kind: str = "sim"
    mode: str = "simplex"
    media_type: str = "audio"
    language: str = "en"
    ref_audio: str | None = None  # voice reference WAV path
    model_dir: str | None = None
    n_ctx: int = 4096
    n_gpu_layers: int = 99
    vision_coreml: str | None = None
    extra: dict = field(default_factory=dict)

    def options(self) -> dict:
        known = {o["name"] for o in omni_py.options_schema(self.kind)}
        wanted = {"mode": self.mode, "media_type": self.media_type, "language": self.language,
                  "ref_audio": self.ref_audio, "model_dir": self.model_dir, "n_ctx": self.n_ctx,
                  "n_gpu_layers": self.n_gpu_layers, "vision_coreml": self.vision_coreml}
        threads = os.environ.get("VOCODER_THREADS")
        if threads:
            wanted["vocoder_threads"] = threads
        wanted.update(self.extra)
        return {k: v for k, v in wanted.items() if v is not None and k in known}

    def public(self) -> dict:
        return {"engine": self.kind, "mode": self.mode, "media_type": self.media_type, "language": self.language,
                "voice": "custom" if self.ref_audio else "default"}


def runtime_options(kind: str) -> set[str]:
    return {o["name"] for o in omni_py.options_schema(kind) if o.get("runtime")}
