"""Runs each benchmark briefly so none can rot. Their numbers are printed into the test
log; the assertions only check that they measured something (no timing goals here)."""
from __future__ import annotations

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
    assert set(res) == {"sse", "ws"}
    for r in res.values():
        assert r["events"] > 0 and r["p99_ms"] >= r["p50_ms"] and r["tail_max_ms"] >= 0
