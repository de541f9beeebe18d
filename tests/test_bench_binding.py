"""Runs the binding benchmark briefly so it cannot rot; the numbers are printed, not asserted."""
from __future__ import annotations

import bench_binding


def test_bench_binding_runs(capsys):
    r = bench_binding.main(["--tokens", "20000"])
    out = capsys.readouterr().out
    with capsys.disabled():  # keep the numbers in the test log
        print("\n" + out.strip())
    assert "events/s" in out and r["events_per_s"] > 0 and r["latency_p99_ms"] >= r["latency_p50_ms"]
