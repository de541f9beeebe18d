"""The seed's model-directory layout, model-dir discovery and a per-component description.

Layout (relative to a model dir):

    MiniCPM-o-4_5-Q4_K_M.gguf            LLM (any MiniCPM-o-4_5-*.gguf at the root is accepted)
    audio/MiniCPM-o-4_5-audio-F16.gguf   audio encoder (always required by the engine)
    vision/MiniCPM-o-4_5-vision-F16.gguf vision encoder (only for media_type 2)
    tts/MiniCPM-o-4_5-tts-F16.gguf       TTS
    tts/MiniCPM-o-4_5-projector-F16.gguf projector (optional, engine falls back to the copy in the TTS file)
    token2wav/{encoder,flow_matching,flow_extra,hifigan2,prompt_cache}.gguf

The engine looks for the projector AND the token2wav files in one directory (`tts_bin_dir`).
The published repo calls the token2wav folder `token2wav-gguf/`; both names are accepted.
`link_token2wav_into_tts()` symlinks the five files into tts/ so `tts_bin_dir = <dir>/tts`
works for llama-omni-cli, py_omni and our adapter alike.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

LLM_PREFIX = "MiniCPM-o-4_5-"
LLM_DEFAULT = "MiniCPM-o-4_5-Q4_K_M.gguf"
# Preference order when several LLM quantisations sit side by side.
LLM_PREFERENCE = ("Q4_K_M", "Q8_0", "F16")
AUDIO_REL = "audio/MiniCPM-o-4_5-audio-F16.gguf"
VISION_REL = "vision/MiniCPM-o-4_5-vision-F16.gguf"
TTS_REL = "tts/MiniCPM-o-4_5-tts-F16.gguf"
PROJECTOR_REL = "tts/MiniCPM-o-4_5-projector-F16.gguf"
TOKEN2WAV_DIRS = ("token2wav", "token2wav-gguf")
TOKEN2WAV_FILES = ("encoder.gguf", "flow_matching.gguf", "flow_extra.gguf", "hifigan2.gguf", "prompt_cache.gguf")
# The engine's existence check covers only these four (prompt_cache has a fallback).
TOKEN2WAV_REQUIRED = TOKEN2WAV_FILES[:4]
TINY_MARKER = "tiny-complete.json"

ENV_MODEL_DIR = "OMNI_MODEL_DIR"
ENV_LLAMA_OMNI_DIR = "LLAMA_OMNI_DIR"


def _user_cache_models() -> Path:
    return Path.home() / ".cache" / "omni" / "models"


def find_llm(root: Path) -> Path | None:
    """The LLM GGUF at the root of a model dir, preferring Q4_K_M > Q8_0 > F16 > anything else."""
    root = Path(root)
    if not root.is_dir():
        return None
    cands = sorted(p for p in root.glob(LLM_PREFIX + "*.gguf") if p.is_file())
    if not cands:
        return None
    for quant in LLM_PREFERENCE:
        for p in cands:
            if p.name == f"{LLM_PREFIX}{quant}.gguf":
                return p
    return cands[0]


def is_model_dir(path: Path | str) -> bool:
    """Minimum the engine needs: an LLM and the audio encoder (apm is required even for vision)."""
    root = Path(path)
    return find_llm(root) is not None and (root / AUDIO_REL).is_file()


def candidate_dirs(explicit: str | os.PathLike | None = None) -> list[Path]:
    """Search order used by find_model_dir (explicit first)."""
    out: list[Path] = []
    if explicit:
        out.append(Path(explicit).expanduser())
    env = os.environ.get(ENV_MODEL_DIR)
    if env:
        out.append(Path(env).expanduser())
    out.append(Path.cwd() / "models")
    out.append(_user_cache_models())
    omni_src = os.environ.get(ENV_LLAMA_OMNI_DIR)
    if omni_src:
        out.append(Path(omni_src).expanduser() / "tools" / "omni" / "models")
    return out


def find_model_dir(explicit: str | os.PathLike | None = None) -> Path | None:
    """First directory that looks like a model dir.

    An explicit path is authoritative: if it is given but incomplete we return None rather than
    silently picking some other model set.
    """
    if explicit:
        p = Path(explicit).expanduser()
        return p.resolve() if is_model_dir(p) else None
    for cand in candidate_dirs(None):
        if is_model_dir(cand):
            return cand.resolve()
    return None


def _token2wav_dir(root: Path) -> Path | None:
    for name in TOKEN2WAV_DIRS:
        d = root / name
        if all((d / f).is_file() for f in TOKEN2WAV_REQUIRED):
            return d
    return None


def describe_model_dir(path: str | os.PathLike) -> dict:
    """Which files exist per component, what the engine can do with them, and the tts_bin_dir to pass.

    JSON-serialisable; meant for the server's /health and for building adapter options.
    """
    root = Path(path).expanduser()
    llm = find_llm(root)
    comp = {
        "llm": llm,
        "audio": root / AUDIO_REL,
        "vision": root / VISION_REL,
        "tts": root / TTS_REL,
        "projector": root / PROJECTOR_REL,
    }
    files = {k: (str(v) if v is not None and v.is_file() else None) for k, v in comp.items()}
    t2w_dir = _token2wav_dir(root)
    t2w_files = {}
    for f in TOKEN2WAV_FILES:
        hit = None
        for name in TOKEN2WAV_DIRS:
            if (root / name / f).is_file():
                hit = str(root / name / f)
                break
        t2w_files[f] = hit
    tts_dir = root / "tts"
    # The engine wants projector + token2wav in one dir; tts/ qualifies once the files are linked there.
    tts_has_t2w = all((tts_dir / f).is_file() for f in TOKEN2WAV_REQUIRED)
    tts_bin_dir = str(tts_dir) if (tts_dir.is_dir() and (tts_has_t2w or t2w_dir is None)) else None
    base = files["llm"] is not None and files["audio"] is not None
    caps = {
        "text": base,
        "vision": base and files["vision"] is not None,
        "tts": base and files["tts"] is not None,
        "audio_out": base and files["tts"] is not None and (tts_has_t2w or t2w_dir is not None),
    }
    missing = [k for k in ("llm", "audio") if files[k] is None]
    notes = []
    if t2w_dir is not None and not tts_has_t2w:
        notes.append("token2wav files are not next to the projector: link them into tts/ "
                     "(models.layout.link_token2wav_into_tts) or PCM will be silently missing")
    tiny = None
    marker = root / TINY_MARKER
    if marker.is_file():
        try:
            tiny = json.loads(marker.read_text())
        except (OSError, ValueError):
            tiny = None
    tier = "none"
    for name in ("text", "vision", "tts", "audio_out"):
        if caps[name]:
            tier = {"audio_out": "full"}.get(name, name)
    return {
        "root": str(root.resolve()) if root.exists() else str(root),
        "ok": base,
        "files": files,
        "token2wav_dir": str(t2w_dir) if t2w_dir else None,
        "token2wav": t2w_files,
        "tts_bin_dir": tts_bin_dir,
        "capabilities": caps,
        "tier": tier,
        "missing": missing,
        "notes": notes,
        "tiny": tiny,
    }


def adapter_options(path: str | os.PathLike, *, want_vision: bool | None = None,
                    want_tts: bool | None = None) -> dict:
    """Options for the C adapter / omni_init, derived from what exists.

    Never sets use_tts without a TTS path (fatal path #4) nor media_type 2 without vision (#3).
    """
    d = describe_model_dir(path)
    if not d["ok"]:
        raise FileNotFoundError(f"not a model dir (missing {', '.join(d['missing'])}): {d['root']}")
    f = d["files"]
    vision = d["capabilities"]["vision"] if want_vision is None else (want_vision and d["capabilities"]["vision"])
    tts = d["capabilities"]["tts"] if want_tts is None else (want_tts and d["capabilities"]["tts"])
    return {
        "llm_path": f["llm"],
        "audio_path": f["audio"],
        "vision_path": f["vision"] if vision else "",
        "tts_path": f["tts"] if tts else "",
        "tts_bin_dir": (d["tts_bin_dir"] or "") if tts else "",
        "use_tts": bool(tts),
        "media_type": 2 if vision else 1,
    }


def link_token2wav_into_tts(root: str | os.PathLike) -> list[Path]:
    """Symlink token2wav/*.gguf into tts/ (relative links) so tts/ is a complete tts_bin_dir."""
    root = Path(root)
    src = _token2wav_dir(root)
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
