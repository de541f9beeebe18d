"""Runs each benchmark briefly so none can rot. Their numbers are printed into the test
log; the assertions only check that they measured something (no timing goals here)."""
from __future__ import annotations

import pytest

import bench_binding
import bench_webapp


def test_bench_binding_runs(capsys):
    r = bench_binding.main(["--tokens", "20000", "--turns", "20"])
    out = capsys.readouterr().out
    with capsys.disabled():
        print("\n" + out.strip())
    assert "events/s" in out and r["events_per_s"] > 0 and r["latency_p99_ms"] >= r["latency_p50_ms"]


def test_bench_webapp_runs(capsys):
    res = bench_webapp.main(["--turns", "3"])
    out = capsys.readouterr().out
    with capsys.disabled():
        print("\n" + out.strip())
    assert set(res) == {"sse", "ws", "audio"}
    for name in ("sse", "ws"):
        r = res[name]
        assert r["events"] > 0 and r["p99_ms"] >= r["p50_ms"] and r["tail_max_ms"] >= 0
    assert set(res["audio"]) == {"omni ws", "openai realtime"}
    for r in res["audio"].values():
        assert r["pieces"] > 0 and r["p99_ms"] >= r["p50_ms"] and r["wire_bytes_per_audio_s"] > 48000


def test_bench_real_runs(capsys):
    """The engine alone, through omni's WebSocket and through the OpenAI Realtime API, one short
    turn on the tiny full tier (the GPU numbers in docs/performance.md come from the same script
    at full size)."""
    import os

    import omni_py
    if not os.environ.get("LLAMA_OMNI_DIR") or "llama-omni" not in omni_py.engines():
        print("skipped: the llama-omni engine is not built (set LLAMA_OMNI_DIR)")
        pytest.skip("the llama-omni engine is not built (set LLAMA_OMNI_DIR)")
    from models.tiny import ensure_tiny_models
    import bench_real
    md = ensure_tiny_models("full", scripted=True, log=lambda *a: None)
    rows = bench_real.main(["--model-dir", str(md), "--turns", "1", "--seconds", "2", "--paths", "engine,ws,openai"])
    out = capsys.readouterr().out
    with capsys.disabled():
        print("\n" + out.strip())
    assert set(rows) == {"engine", "ws", "openai"}
    for r in rows.values():
        assert r["first_audio"] is not None and r["audio_s"] > 0
    assert "PCM ws vs engine" in out
