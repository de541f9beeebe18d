"""Soak, the short version of tests/soak.py: 100 sim turns over omni's WebSocket against an
omni-server process (a new socket every 25 turns, barge-in every tenth turn), then 12 turns on
the tiny real engine that speaks when the library has it (barge-in every fourth). The RSS, open
files and threads of the server and its engine process after the warm-up and at the end are
printed and loosely bounded; a hang fails the test."""
from __future__ import annotations

import os
import time

import pytest

import omni_py
from soak import SIM_OPTIONS, Server, report, run_soak

DATA = os.path.join(os.path.dirname(__file__), "data")


def soak(server_args, name, turns, barge_every, warmup, timeout):
    server = Server(server_args, ready_timeout=600)
    try:
        t0 = time.monotonic()
        r = run_soak(server, turns, barge_every, reconnect_every=25, warmup=warmup, turn_timeout=timeout)
        alive = server.proc.poll() is None
    finally:
        server.stop()
    assert not r.failures, r.failures
    assert alive, "the server process died"
    row = report(name, r, time.monotonic() - t0)
    assert r.turns == turns and r.interrupted == turns // barge_every
    assert row["fds"][1] - row["fds"][0] <= 4, row
    assert row["threads"][1] - row["threads"][0] <= 4, row
    return row


def test_soak_sim_100_turns_with_barge_in():
    row = soak(["--engine", "sim"] + [a for k, v in SIM_OPTIONS.items() for a in ("--engine-option", f"{k}={v}")],
               "sim (suite)", turns=100, barge_every=10, warmup=10, timeout=60)
    assert row["rss_growth_mb"] < 32, row


def test_soak_real_engine_12_turns():
    if "llama-omni" not in omni_py.engines():
        print("SKIP reason: the loaded libomni_c has no llama-omni engine (build with LLAMA_OMNI_DIR)")
        pytest.skip("the llama-omni engine is not compiled in")
    from models.tiny import ensure_tiny_models

    md = ensure_tiny_models("tts", scripted=True, log=lambda *a: None)  # turns long enough to barge into
    row = soak(["--engine", "llama-omni", "--model-dir", str(md), "--voice", os.path.join(DATA, "voice_ref.wav"),
                "--engine-option", "n_predict=24", "--engine-option", "temperature=0"],
               "llama-omni tiny tts (suite)", turns=12, barge_every=4, warmup=4, timeout=300)
    assert row["rss_growth_mb"] < 64, row
