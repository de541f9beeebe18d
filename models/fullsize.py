"""A MiniCPM-o 4.5 model set at its real shapes, sizes and types, with scripted values.

    python -m models.fullsize [--out DIR] [--quantize-tool PATH] [--threads N] [--force]

The engine's speed does not depend on what the weights hold, so this set times like the
published one (docs/performance.md) while a turn stays deterministic:

  LLM        qwen3, 36 layers, width 4096, 32 query / 8 KV heads of 128, FFN 12288,
             vocabulary 151748 (specials at Qwen's ids); written F16, then quantized to
             Q4_K_M with llama.cpp-omni's own `llama-quantize` (the published quantization)
  audio      Whisper-medium encoder (1024 wide, 24 layers, 16 heads) + projector to 4096, F16
  vision     SigLIP (1152 wide, 26 layers, 16 heads, FFN 4304) + resampler at 4096, F16
  TTS        Llama 768 wide, 20 layers, 12 heads, FFN 3072 + its fixed extras, F16
  token2wav  the five files at their real shapes, F32, with a 10-step prompt cache

Scripted (the tiny tiers' trick, models/tiny.py): attention-output and FFN-down weights are
zero, so each hidden state is its token's embedding and both models walk a fixed chain.
Zeros stay exact through Q4_K/Q6_K, and a one-hot embedding row is renormalised by RMS-norm,
so the chain's logit margins survive quantization. A turn then says REPLY (12 text tokens:
two text chunks) and makes 3 x TTS_CHAIN = 144 speech tokens (5.9 s of audio), and ends by itself.

The set is ~8 GB (plus ~16 GB of F16 while quantizing) and is cached outside the repository
(default ~/.cache/omni/fullsize, or $OMNI_FULLSIZE_CACHE), reused while its marker matches.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from . import layout, tiny

ENV_CACHE = "OMNI_FULLSIZE_CACHE"
REPLY = ("Hello", "!", " I", " am", " omni", ",", " speaking", " from", " your", " own", " machine", ".")
TTS_CHAIN = 48          # speech tokens per TTS phase: 48 + 2 x 48 over the two text chunks
LLM_QUANT = "Q4_K_M"
LLM_FILE = f"{layout.LLM_PREFIX}{LLM_QUANT}.gguf"


def fullsize_config() -> tiny.TinyConfig:
    """MiniCPM-o 4.5's shapes (the engine's converter dumps: Qwen3-8B, Whisper-medium, SigLIP-400M)."""
    return tiny.TinyConfig(
        tier="fullsize", scripted=True, matrix_f16=True, fast_fill=True,
        llm_embd=4096, llm_layers=36, llm_heads=32, llm_heads_kv=8, llm_head_dim=128, llm_ff=12288,
        llm_ctx=40960, llm_vocab=151748, reply=REPLY,
        audio_d=1024, audio_heads=16, audio_layers=24, audio_proj_mid=4096,
        vision=True, vision_d=1152, vision_heads=16, vision_layers=26, vision_ff=4304,
        tts=True, tts_layers=20, tts_heads=12, tts_ff=3072, tts_vocab=32000, tts_chain=TTS_CHAIN,
        token2wav=True, t2w_f16=False, t2w_timesteps=10, t2w_prompt_len=48)


def find_quantize_tool(explicit: str | None = None) -> Path:
    """llama-quantize from the user's llama.cpp-omni build (same CMake, target llama-quantize)."""
    cands = [Path(explicit)] if explicit else []
    src = os.environ.get(layout.ENV_LLAMA_OMNI_DIR)
    if src:
        build = Path(os.environ.get("LLAMA_OMNI_BUILD_DIR") or Path(src) / "build")
        cands.append(build / "bin" / "llama-quantize")
    found = shutil.which("llama-quantize")
    if found:
        cands.append(Path(found))
    for c in cands:
        if c.is_file() and os.access(c, os.X_OK):
            return c
    raise tiny.TinyConfigError(
        "llama-quantize not found" + (f" at {explicit}" if explicit else "") + ": build it in your llama.cpp-omni tree "
        "(cmake --build build --target llama-quantize) and pass --quantize-tool or set LLAMA_OMNI_DIR")


def quantized_llm_writer(tool: Path, threads: int, log=print):
    """The LLM step for tiny.generate: F16 beside the target, quantized into it, F16 removed."""
    def write(cfg: tiny.TinyConfig, path: Path) -> int:
        f16 = path.with_name(f"{layout.LLM_PREFIX}F16.gguf")
        t0 = time.time()
        n = tiny.write_llm(cfg, f16)
        log(f"  wrote {f16.name} {f16.stat().st_size / 1e9:.2f} GB in {time.time() - t0:.1f} s; quantizing")
        t0 = time.time()
        try:
            r = subprocess.run([str(tool), str(f16), str(path), LLM_QUANT, str(threads)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        finally:
            f16.unlink(missing_ok=True)
        if r.returncode != 0:
            raise tiny.TinyConfigError(f"llama-quantize failed ({r.returncode}):\n{r.stdout[-2000:]}")
        log(f"  quantized to {LLM_QUANT} in {time.time() - t0:.1f} s")
        return n
    return write


def default_out() -> Path:
    env = os.environ.get(ENV_CACHE)
    return Path(env).expanduser() if env else Path.home() / ".cache" / "omni" / "fullsize"


def ensure_fullsize_models(out: str | os.PathLike | None = None, quantize_tool: str | None = None,
                           threads: int | None = None, force: bool = False, log=print) -> Path:
    """Path of a complete full-size set, generating it only when missing or stale."""
    cfg = fullsize_config()
    dest = Path(out).expanduser() if out else default_out()
    if not force and tiny.is_complete(dest, cfg):
        return dest
    tool = find_quantize_tool(quantize_tool)
    writer = quantized_llm_writer(tool, threads or os.cpu_count() or 1, log)
    return tiny.generate(cfg, dest, log=log, llm_step=(LLM_FILE, writer))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m models.fullsize", description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=None, help="output dir (default ~/.cache/omni/fullsize)")
    ap.add_argument("--quantize-tool", default=None,
                    help="llama-quantize (default: $LLAMA_OMNI_DIR/build/bin/llama-quantize, then PATH)")
    ap.add_argument("--threads", type=int, default=None, help="quantization threads (default: all cores)")
    ap.add_argument("--force", action="store_true", help="regenerate even if a complete set exists")
    args = ap.parse_args(argv)
    try:
        p = ensure_fullsize_models(args.out, args.quantize_tool, args.threads, args.force)
    except tiny.TinyConfigError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
