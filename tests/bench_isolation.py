"""What running the engine in a process of its own (isolate=process) costs, against the same
engine in the application's process (isolate=none). Prints a table; asserts nothing.

    python tests/bench_isolation.py            # sim engine; the tiny real engine too when built

Measured through omni_py, as an application sees it:
  create       omni_create until it returns (the process start and engine creation)
  first text   STATS first_text_ms: generate -> the first TEXT event reached the library
  first audio  STATS first_audio_ms
  done         STATS done_ms: generate -> TURN_DONE (a whole turn, zero-delay sim: IPC-bound)
  prefill      omni_prefill_audio_file of the test clip (decoded here, samples sent across)
  info         omni_info, a round trip to the engine and back (the cost of any call)
  events/s     events of a 2000-token zero-delay reply per second of turn (throughput ceiling)
  barge-in     omni_interrupt -> TURN_DONE received
  restart      the engine process killed -> a new one running (the cost of a crash)
Medians of --turns turns.
"""
from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import omni_py  # noqa: E402

WAV = (ROOT / "tests" / "data" / "speech_en.wav").read_bytes()


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else float("nan")


def turn_stats(eng, prefill_ms: list | None = None) -> dict:
    t0 = time.monotonic()
    eng.prefill(audio=WAV)
    if prefill_ms is not None:
        prefill_ms.append(1000 * (time.monotonic() - t0))
    stats = {}
    for ev in eng.generate().events(timeout=600):
        if ev.type == "stats":
            stats = ev.stats
    return stats


def measure(kind: str, isolate: str, turns: int, **options) -> dict:
    row = {"engine": kind, "isolate": isolate}
    t0 = time.monotonic()
    with omni_py.Engine(kind, isolate=isolate, **options) as eng:
        row["create_ms"] = 1000 * (time.monotonic() - t0)
        turn_stats(eng)  # warm-up
        prefill_ms = []
        runs = [turn_stats(eng, prefill_ms) for _ in range(turns)]
        row["prefill_ms"] = med(prefill_ms)
        info_us = []
        for _ in range(200):
            t1 = time.monotonic()
            eng.info
            info_us.append(1e6 * (time.monotonic() - t1))
        row["info_us"] = med(info_us)
        row["first_text_ms"] = med([s.get("first_text_ms") for s in runs])
        row["first_audio_ms"] = med([s.get("first_audio_ms") for s in runs])
        row["done_ms"] = med([s.get("done_ms") for s in runs])
        if kind == "sim":
            eng.set_option("reply_tokens", 2000)
            eng.prefill(audio=WAV)
            n = 0
            t1 = time.monotonic()
            for _ in eng.generate().events(timeout=600):
                n += 1
            row["events_per_s"] = n / (time.monotonic() - t1)
            eng.set_option("reply_tokens", 400)
            eng.set_option("llm_ms_per_token", 5)
            lat = []
            for _ in range(turns):
                eng.prefill(audio=WAV)
                events = eng.generate().events(timeout=60)
                next(e for e in events if e.type == "text")
                t2 = time.monotonic()
                eng.interrupt()
                for e in events:
                    if e.type == "turn_done":
                        break
                lat.append(1000 * (time.monotonic() - t2))
            row["barge_in_ms"] = med(lat)
        if isolate == "process":
            pid = eng.info["isolation"]["pid"]
            t3 = time.monotonic()
            os.kill(pid, signal.SIGKILL)
            while True:
                iso = eng.info["isolation"]
                if iso["state"] == "running" and iso["pid"] != pid:
                    break
                if time.monotonic() - t3 > 600:
                    break
                time.sleep(0.005)
            row["restart_ms"] = 1000 * (time.monotonic() - t3)
    return row


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--turns", type=int, default=20)
    args = ap.parse_args(argv)
    rows = []
    for iso in ("none", "process"):
        rows.append(measure("sim", iso, args.turns, reply_tokens=40, timing="zero"))
    if "llama-omni" in omni_py.engines():
        from models.tiny import ensure_tiny_models

        md = str(ensure_tiny_models("full", scripted=True, log=lambda *a: None))  # speaks (token2wav): first audio
        for iso in ("none", "process"):
            rows.append(measure("llama-omni", iso, max(3, args.turns // 4), model_dir=md, n_predict=24,
                                temperature=0, ref_audio=str(ROOT / "tests" / "data" / "voice_ref.wav")))
    else:
        print("(the tiny real engine is skipped: libomni_c has no llama-omni engine)")
    cols = ["engine", "isolate", "create_ms", "prefill_ms", "info_us", "first_text_ms", "first_audio_ms", "done_ms",
            "events_per_s", "barge_in_ms", "restart_ms"]
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rows:
        cells = []
        for c in cols:
            v = r.get(c)
            cells.append("" if v is None else (f"{v:.1f}" if isinstance(v, float) else str(v)))
        print("| " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
