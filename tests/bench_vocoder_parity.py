"""The HiFT vocoder on the GPU against the CPU: the same scripted turns, window by window.

    python tests/bench_vocoder_parity.py [--model-dir DIR] [--turns 5] [--tolerance 0.05]

Needs libomni_c built with the llama-omni engine on a CUDA build of llama.cpp-omni. Without
--model-dir it writes a scripted set (models/tiny.py's "full" tier with the full-size set's reply,
TTS chain and 10-step token2wav: ~1 GB, a few seconds) to a temporary folder. Each vocoder runs
in its own process (libomni's token→mel noise comes from a process-wide generator, so both
start from the same state), token→mel on GPU 0 both times. Prints, per 1 s window, the
loudness of the GPU vocoder's audio over the CPU's and their correlation; exits 1 when a
window's loudness differs by more than the tolerance. docs/performance.md has a result.
"""
from __future__ import annotations

import argparse
import dataclasses
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SPEECH = REPO / "tests" / "data" / "question_en.wav"


def write_set(out: Path) -> Path:
    sys.path.insert(0, str(REPO))
    from models import fullsize, tiny
    cfg = dataclasses.replace(tiny.tier_config("full", scripted=True), reply=fullsize.REPLY,
                              tts_chain=fullsize.TTS_CHAIN, t2w_f16=False, t2w_timesteps=10, t2w_prompt_len=48)
    return tiny.generate(cfg, out, log=lambda *a: None)


def run_turns(model_dir: str, vocoder: str, out: str, turns: int) -> None:
    """One engine, `turns` turns; every audio event (one token2wav window) kept apart."""
    import soundfile as sf

    import omni_py
    speech, rate = sf.read(SPEECH, dtype="float32")
    windows = {}
    with omni_py.Engine("llama-omni", model_dir=model_dir, vocoder_device=vocoder, token2wav_device="gpu:0",
                        temperature=0, seed=1) as eng:
        where = eng.info.get("vocoder_device")
        if where != ("gpu:0" if vocoder == "gpu" else "cpu"):
            sys.exit(f"vocoder_device={vocoder} ran on {where}: {eng.info.get('vocoder_note')}")
        for t in range(turns):
            eng.prefill(audio=speech, sample_rate=rate)
            w = 0
            for ev in eng.generate().events(timeout=600):
                if ev.type == "audio":
                    windows[f"{t}_{w}"] = np.asarray(ev.pcm, dtype=np.float64)
                    w += 1
    np.savez(out, **windows)


def compare(cpu: dict, gpu: dict, tolerance: float) -> int:
    keys = sorted(cpu, key=lambda k: tuple(map(int, k.split("_"))))
    print("| window | samples | loudness GPU / CPU | correlation |\n| --- | --- | --- | --- |")
    bad = 0
    for k in keys:
        x, y = cpu[k], gpu.get(k, np.zeros(0))
        n = min(len(x), len(y))
        ratio = float(np.sqrt(np.mean(y[:n] ** 2) / max(np.mean(x[:n] ** 2), 1e-12))) if n else 0.0
        corr = float(np.corrcoef(x[:n], y[:n])[0, 1]) if n > 1 else float("nan")
        off = len(x) != len(y) or abs(ratio - 1) > tolerance
        bad += off
        t, w = k.split("_")
        print(f"| turn {int(t) + 1} window {int(w) + 1} | {len(x)}/{len(y)} | {ratio:.3f}{' (off)' if off else ''} | {corr:.2f} |")
    print(f"{bad} of {len(keys)} windows off by more than {tolerance:.0%}")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model-dir", help="a scripted set (default: write one to a temporary folder)")
    ap.add_argument("--turns", type=int, default=5)
    ap.add_argument("--tolerance", type=float, default=0.05, help="largest loudness difference per window")
    ap.add_argument("--run", nargs=3, metavar=("MODEL_DIR", "VOCODER", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.run:  # one vocoder, in a process of its own
        run_turns(*args.run[:2], args.run[2], args.turns)
        return 0
    with tempfile.TemporaryDirectory(prefix="omni-vocoder-") as tmp:
        model_dir = args.model_dir or str(write_set(Path(tmp) / "set"))
        results = {}
        for vocoder in ("cpu", "gpu"):
            out = str(Path(tmp) / f"{vocoder}.npz")
            log = Path(tmp) / f"{vocoder}.log"
            with open(log, "w") as err:  # the engine's own log is long: kept for a failure only
                r = subprocess.run([sys.executable, __file__, "--turns", str(args.turns), "--run", model_dir, vocoder, out],
                                   stdout=err, stderr=subprocess.STDOUT)
            if r.returncode:
                print(f"the {vocoder} vocoder's run failed ({r.returncode}):\n" + "\n".join(log.read_text().splitlines()[-5:]))
                return 2
            results[vocoder] = dict(np.load(out))
        return compare(results["cpu"], results["gpu"], args.tolerance)


if __name__ == "__main__":
    sys.exit(main())
