"""Download the published MiniCPM-o 4.5 GGUF files into the seed layout.

    python -m models.download --dest ~/.cache/omni/models [--quant Q4_K_M] [--no-vision] [--no-tts]

Uses huggingface_hub.snapshot_download with allow_patterns, so only the needed files are fetched;
it shows tqdm progress bars and resumes interrupted downloads (both are huggingface_hub defaults).
Afterwards the token2wav files are also linked into tts/, where llama.cpp-omni's own tools
look for them (omni's engine finds them in either place).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from . import layout

REPO_ID = "openbmb/MiniCPM-o-4_5-gguf"
QUANTS = ("Q4_K_M", "Q8_0", "F16")


def allow_patterns(quant: str = "Q4_K_M", *, vision: bool = True, tts: bool = True) -> list[str]:
    """Files to fetch. Pure function so it can be tested without the network."""
    if not re.fullmatch(r"[A-Za-z0-9_]+", quant):
        raise ValueError(f"bad quant {quant!r}")
    pats = [f"{layout.LLM_PREFIX}{quant}.gguf", "audio/*.gguf"]
    if vision:
        pats.append("vision/*.gguf")
    if tts:
        pats.append("tts/*.gguf")
        # The published repo uses token2wav-gguf/, the seed layout token2wav/: accept either.
        pats += [f"{d}/*.gguf" for d in layout.TOKEN2WAV_DIRS]
    return pats


def download(dest: str | Path, quant: str = "Q4_K_M", *, vision: bool = True, tts: bool = True,
             repo_id: str = REPO_ID, revision: str | None = None, token: str | None = None) -> Path:
    """Fetch into dest (resumable) and normalise the layout. Returns dest."""
    try:
        from huggingface_hub import snapshot_download
    except ImportError as e:  # optional dependency: pip install '.[models]'
        raise SystemExit("huggingface_hub is not installed: pip install 'huggingface_hub>=0.24'") from e
    dest = Path(dest).expanduser()
    dest.mkdir(parents=True, exist_ok=True)
    snapshot_download(
        repo_id=repo_id,
        revision=revision,
        local_dir=str(dest),
        allow_patterns=allow_patterns(quant, vision=vision, tts=tts),
        token=token,
    )
    layout.link_token2wav_into_tts(dest)
    return dest


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m models.download", description=__doc__.splitlines()[0])
    ap.add_argument("--dest", required=True, help="model dir to create/complete (e.g. ~/.cache/omni/models)")
    ap.add_argument("--quant", default="Q4_K_M", help=f"LLM quantisation ({', '.join(QUANTS)}; default Q4_K_M)")
    ap.add_argument("--no-vision", action="store_true", help="skip the vision encoder")
    ap.add_argument("--no-tts", action="store_true", help="skip TTS, projector and token2wav (text-only replies)")
    ap.add_argument("--repo", default=REPO_ID, help=f"Hugging Face repo id (default {REPO_ID})")
    ap.add_argument("--revision", default=None, help="git revision / tag / commit on the hub")
    ap.add_argument("--dry-run", action="store_true", help="print what would be fetched and exit")
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    pats = allow_patterns(args.quant, vision=not args.no_vision, tts=not args.no_tts)
    if args.dry_run:
        print(f"repo {args.repo} -> {Path(args.dest).expanduser()}")
        for p in pats:
            print("  ", p)
        return 0
    dest = download(args.dest, args.quant, vision=not args.no_vision, tts=not args.no_tts,
                    repo_id=args.repo, revision=args.revision)
    files = sorted(str(p.relative_to(dest)) for p in dest.rglob("*.gguf") if p.is_file())
    print(f"model dir: {dest.resolve()} ({len(files)} GGUF files)")
    for f in files:
        print("  ", f)
    if not layout.is_model_dir(dest):
        print(f"no {layout.LLM_PREFIX}*.gguf LLM arrived: not a model folder")
        return 1
    print(f"the engine reports what it loads: omni-server --model-dir {dest} (GET /health: model_files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
