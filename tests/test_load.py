"""Load, the short version of tests/load.py: 12 concurrent clients x 8 requests mixing /health,
/v1/chat, SSE turns and WebSocket sessions on one omni-server process (sim). Every contender
gets a clear refusal (409 busy, 1013, or 503 held from another client's REST session), no
reply is someone else's, no other 5xx, every admitted turn completes; /health latency under
load is printed."""
from __future__ import annotations

from load import SIM_OPTIONS, Server, report, run_load


def test_mixed_load_on_one_server():
    server = Server(["--engine", "sim", "--session-idle", "5"]
                    + [a for k, v in SIM_OPTIONS.items() for a in ("--engine-option", f"{k}={v}")], ready_timeout=120)
    try:
        tally, seconds = run_load(server.url, clients=12, n_requests=8)
        alive = server.proc.poll() is None
    finally:
        server.stop()
    report(tally, seconds, 12, 8)
    assert alive, "the server process died"
    assert not tally.problems, tally.problems[:10]
    assert sum(n for k, n in tally.counts.items()) == 12 * 8
    assert sum(n for k, n in tally.counts.items() if k.endswith("completed")) >= 3, tally.counts
