"""Benchmark: events per second through C -> cffi -> Python, and the latency from the
C callback to a Python consumer thread (p50, p99), and memory over many turns. Prints
numbers; asserts nothing.

The same sim turn (text only, one TEXT event per 10 tokens) runs twice side by side:
once with no callback (the C library alone) and once through omni_py to a consumer
thread, so the ratio stays meaningful on a noisy machine.

    PYTHONPATH=. python tests/bench_binding.py [--tokens 200000]
"""
from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

import omni_py
from omni_py import _library

SILENCE = np.zeros(1600, np.float32)


def c_only(tokens: int) -> tuple[int, float]:
    """(events, seconds) of one turn inside libomni_c alone: no callback, so the events go to
    the pull queue, sized to hold the whole turn, and nobody pulls them."""
    ffi, lib, _ = _library.load()
    out = ffi.new("omni_engine **")
    events = -(-tokens // 10) + 3  # TEXT events + END_OF_TURN, STATS, TURN_DONE
    opts = {b"tts": b"false", b"reply_tokens": str(tokens).encode(), b"event_queue_size": str(events).encode()}
    keys = [ffi.new("char[]", k) for k in opts]
    vals = [ffi.new("char[]", v) for v in opts.values()]
    assert lib.omni_create(b"sim", ffi.new("char *[]", keys), ffi.new("char *[]", vals), len(opts), ffi.NULL,
                           ffi.NULL, out) == 0
    try:
        lib.omni_prefill_pcm_f32(out[0], ffi.from_buffer("float[]", SILENCE), len(SILENCE), 16000)
        t0 = time.perf_counter()
        lib.omni_generate(out[0], ffi.NULL)
        lib.omni_wait(out[0], -1)
        return events, time.perf_counter() - t0
    finally:
        lib.omni_destroy(out[0])


def through_python(tokens: int) -> tuple[int, float, list[float]]:
    with omni_py.Engine("sim", tts=False, reply_tokens=tokens) as eng:
        eng.prefill(audio=SILENCE, sample_rate=16000)
        lat = []
        t0 = time.perf_counter()
        for ev in eng.generate().events(timeout=60):
            lat.append(time.monotonic() - ev.received)
        return len(lat), time.perf_counter() - t0, lat


def rss_mb() -> float:
    """Resident memory of this process (Linux /proc; elsewhere the peak from getrusage)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory_over_turns(turns: int) -> tuple[float, float]:
    """(RSS after a warm-up turn, RSS after `turns` more) for full sim turns with audio."""
    with omni_py.Engine("sim", reply_tokens=40) as eng:
        eng.chat(audio=SILENCE, sample_rate=16000)
        before = rss_mb()
        for _ in range(turns):
            eng.chat(audio=SILENCE, sample_rate=16000)
        return before, rss_mb()


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tokens", type=int, default=200000)
    ap.add_argument("--turns", type=int, default=200, help="turns for the memory measurement")
    args = ap.parse_args(argv)
    n_c, s_c = c_only(args.tokens)
    n_py, s_py, lat = through_python(args.tokens)
    lat_ms = sorted(x * 1000 for x in lat)
    r = {
        "c_events_per_s": n_c / s_c,
        "events_per_s": n_py / s_py,
        "latency_p50_ms": statistics.median(lat_ms),
        "latency_p99_ms": lat_ms[int(0.99 * (len(lat_ms) - 1))],
    }
    print(f"binding: {n_py} events; C alone {r['c_events_per_s']:.0f} events/s, through omni_py "
          f"{r['events_per_s']:.0f} events/s (goal >= 20000; ratio {r['events_per_s'] / r['c_events_per_s']:.2f}); "
          f"callback->consumer latency p50 {r['latency_p50_ms']:.3f} ms, p99 {r['latency_p99_ms']:.3f} ms")
    before, after = memory_over_turns(args.turns)
    r["rss_growth_mb"] = after - before
    print(f"memory: RSS {before:.1f} MB after one turn, {after:.1f} MB after {args.turns} more "
          f"(12.8 s of audio each): {after - before:+.1f} MB")
    return r


if __name__ == "__main__":
    main()
