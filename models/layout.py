"""Where omni looks for a model folder, and the file names the generator and the download write.

Which files the engine loads from a folder is the engine's business, not this module's: the
llama-omni engine resolves them (capi/src/llama_omni/llama_omni_files.h: LLM quantisation
preference, audio/vision/tts, token2wav/ or token2wav-gguf/), says what is missing when it
loads, and reports what it loaded in omni_info() and the server's /health (`model_files`).
Here a model folder is only recognised by its marker, an LLM file at the top.
"""

from __future__ import annotations

import os
from pathlib import Path

# The names written by models/tiny.py and fetched by models/download.py (the seed's layout).
LLM_PREFIX = "MiniCPM-o-4_5-"  # a model folder's marker: an LLM_PREFIX*.gguf at its top
LLM_DEFAULT = "MiniCPM-o-4_5-Q4_K_M.gguf"
AUDIO_REL = "audio/MiniCPM-o-4_5-audio-F16.gguf"
VISION_REL = "vision/MiniCPM-o-4_5-vision-F16.gguf"
TTS_REL = "tts/MiniCPM-o-4_5-tts-F16.gguf"
PROJECTOR_REL = "tts/MiniCPM-o-4_5-projector-F16.gguf"
TOKEN2WAV_DIRS = ("token2wav", "token2wav-gguf")  # the seed's name, the published repository's
TOKEN2WAV_FILES = ("encoder.gguf", "flow_matching.gguf", "flow_extra.gguf", "hifigan2.gguf", "prompt_cache.gguf")
TINY_MARKER = "tiny-complete.json"

ENV_MODEL_DIR = "OMNI_MODEL_DIR"
ENV_LLAMA_OMNI_DIR = "LLAMA_OMNI_DIR"


def is_model_dir(path: Path | str) -> bool:
    """A folder with the marker (an LLM at its top); the engine checks the rest when it loads."""
    root = Path(path)
    return root.is_dir() and any(p.is_file() for p in root.glob(LLM_PREFIX + "*.gguf"))


def user_cache_models() -> Path:
    """The per-user models folder: where the downloader puts files and the server looks."""
    return Path.home() / ".cache" / "omni" / "models"


def candidate_dirs(explicit: str | os.PathLike | None = None) -> list[Path]:
    """Search order used by find_model_dir (explicit first)."""
    out: list[Path] = []
    if explicit:
        out.append(Path(explicit).expanduser())
    env = os.environ.get(ENV_MODEL_DIR)
    if env:
        out.append(Path(env).expanduser())
    out.append(Path.cwd() / "models")
    out.append(user_cache_models())
    omni_src = os.environ.get(ENV_LLAMA_OMNI_DIR)
    if omni_src:
        out.append(Path(omni_src).expanduser() / "tools" / "omni" / "models")
    return out


def find_model_dir(explicit: str | os.PathLike | None = None) -> Path | None:
    """The first candidate that looks like a model folder. An explicit folder is authoritative:
    it is returned when it exists (the engine says what it lacks), never replaced by another."""
    if explicit:
        p = Path(explicit).expanduser()
        return p.resolve() if p.is_dir() else None
    for cand in candidate_dirs(None):
        if is_model_dir(cand):
            return cand.resolve()
    return None


def link_token2wav_into_tts(root: str | os.PathLike) -> list[Path]:
    """Symlink token2wav*/ *.gguf into tts/ (relative links). omni's engine finds token2wav
    wherever it is; llama.cpp-omni's own tools (llama-omni-cli) look for it next to the projector."""
    root = Path(root)
    src = next((root / d for d in TOKEN2WAV_DIRS if (root / d / TOKEN2WAV_FILES[0]).is_file()), None)
    made: list[Path] = []
    if src is None or not (root / "tts").is_dir():
        return made
    for f in TOKEN2WAV_FILES:
        target = src / f
        link = root / "tts" / f
        if not target.is_file() or link.exists() or link.is_symlink():
            continue
        link.symlink_to(Path("..") / src.name / f)
        made.append(link)
    return made
