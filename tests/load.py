"""Load: many concurrent clients on one omni-server process (sim engine), mixing /health,
chunked-HTTP turns (/v1/chat), SSE turns (the seed REST flow) and WebSocket sessions.

    python tests/load.py                       # 50 clients x 20 requests
    python tests/load.py --clients 10 --requests 5

One server holds one conversation: a client that finds it taken must get a clear refusal —
409 `busy`, close code 1013 on the WebSocket, or 503 `held` while another client's REST
session (X-Omni-Session, which the SSE clients use as deployments do) holds it — and never
someone else's reply. Every reply is checked to be its own: each client speaks a clip of a
length no other request uses and the simulator's reply says how long the audio was.

Prints the outcome counts per kind, /health latency under load (p50/p99/max) and the turn
latencies; exit status 1 when a 5xx other than `held`, a dropped connection, a cross-talk, an
admitted turn that did not complete, or an unclear refusal was seen. tests/test_load.py runs
a short version in the suite.
"""
from __future__ import annotations

import argparse
import base64
import collections
import io
import json
import random
import re
import statistics
import sys
import threading
import time
from pathlib import Path

import numpy as np
import requests
import soundfile as sf
import websocket

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
from soak import Server  # noqa: E402
from webapp.testing import iter_ndjson, iter_sse  # noqa: E402

# Turns of ~0.3 s: long enough to overlap, short enough for a thousand requests.
SIM_OPTIONS = {"first_token_ms": 30, "llm_ms_per_token": 4, "tts_ms_per_token": 1, "t2w_ms_per_window": 30,
               "reply_tokens": 16}
KINDS = ("health", "chat", "sse", "websocket")
WEIGHTS = (0.45, 0.2, 0.15, 0.2)
HEARD = re.compile(r"I heard (\d+\.\d) seconds")


def clip(seconds: float) -> np.ndarray:
    n = int(round(seconds * 16000))
    return (5000 * np.sin(2 * np.pi * 200 * np.arange(n) / 16000)).astype("<i2")


def wav(pcm: np.ndarray) -> bytes:
    buf = io.BytesIO()
    sf.write(buf, pcm, 16000, format="WAV", subtype="PCM_16")
    return buf.getvalue()


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = collections.Counter()
        self.problems: list[str] = []
        self.health_ms: list[float] = []
        self.turn_ms: dict[str, list[float]] = collections.defaultdict(list)

    def add(self, key: str, problem: str | None = None) -> None:
        with self.lock:
            self.counts[key] += 1
            if problem:
                self.problems.append(problem)


def check_reply(kind: str, seconds: float, events: list[dict], tally: Tally, t0: float) -> None:
    """An admitted turn: completed, one turn id, and the reply heard this client's clip."""
    done = [e for e in events if e.get("type") == "done"]
    text = "".join(e.get("text", "") for e in events if e.get("type") == "text")
    heard = HEARD.search(text)
    ids = {e.get("turn_id") for e in events if e.get("turn_id") is not None}
    if not done or done[-1]["reason"] != "completed":
        tally.add(f"{kind}: not completed", f"{kind}: admitted turn did not complete: {events[-2:]}")
    elif heard is None or heard.group(1) != f"{seconds:.1f}":
        tally.add(f"{kind}: CROSS-TALK", f"{kind}: sent {seconds:.1f} s, the reply says {text[:80]!r}")
    elif len(ids) != 1:
        tally.add(f"{kind}: CROSS-TALK", f"{kind}: events of several turns {ids}")
    else:
        tally.add(f"{kind}: completed")
        with tally.lock:
            tally.turn_ms[kind].append(1000 * (time.monotonic() - t0))


def refused_http(kind: str, r: requests.Response, tally: Tally) -> None:
    code = None
    try:
        code = r.json()["error"]["code"]
    except (ValueError, KeyError, TypeError):
        pass
    if (r.status_code, code) in ((409, "busy"), (503, "held")):
        tally.add(f"{kind}: refused {r.status_code} {code}")
    else:
        tally.add(f"{kind}: HTTP {r.status_code} {code}", f"{kind}: unexpected answer {r.status_code} {r.text[:200]}")


def do_health(url: str, tally: Tally, seconds: float) -> None:
    t0 = time.monotonic()
    r = requests.get(url + "/health", timeout=30)
    ms = 1000 * (time.monotonic() - t0)
    with tally.lock:
        tally.health_ms.append(ms)
    if r.status_code == 200 and r.json()["state"] in ("idle", "busy"):
        tally.add("health: 200")
    else:
        tally.add(f"health: {r.status_code}", f"health: {r.status_code} {r.text[:200]}")


def do_chat(url: str, tally: Tally, seconds: float) -> None:
    t0 = time.monotonic()
    r = requests.post(url + "/v1/chat", data=wav(clip(seconds)), headers={"Content-Type": "audio/wav"},
                      stream=True, timeout=60)
    if r.status_code != 200:
        return refused_http("chat", r, tally)
    check_reply("chat", seconds, list(iter_ndjson(r)), tally, t0)


def do_sse(url: str, tally: Tally, seconds: float, name: str) -> None:
    """The seed REST flow as concurrent clients use it: a named session, prefill, generate
    (SSE), and the session ended."""
    h = {"X-Omni-Session": name}
    t0 = time.monotonic()
    try:
        r = requests.post(url + "/omni/init_sys_prompt", json={}, headers=h, timeout=60)  # claims the server
        if r.status_code != 200:
            return refused_http("sse", r, tally)
        body = {"audio": base64.b64encode(wav(clip(seconds))).decode()}
        r = requests.post(url + "/omni/streaming_prefill", json=body, headers=h, timeout=60)
        if r.status_code != 200:
            return refused_http("sse", r, tally)
        r = requests.post(url + "/omni/streaming_generate", json={}, headers=h, stream=True, timeout=60)
        if r.status_code != 200:
            return refused_http("sse", r, tally)
        events = [{"type": ev, **data} for ev, data in iter_sse(r)]
        check_reply("sse", seconds, events, tally, t0)
    finally:
        requests.delete(url + "/omni/session", headers=h, timeout=30)


def do_websocket(url: str, tally: Tally, seconds: float) -> None:
    t0 = time.monotonic()
    try:
        ws = websocket.create_connection(url.replace("http", "ws") + "/omni/realtime", timeout=60)
    except websocket.WebSocketBadStatusException as e:  # refused at the upgrade (held, draining)
        code = json.loads(e.resp_body or b"{}").get("error", {}).get("code") if e.resp_body else None
        if (e.status_code, code) == (503, "held"):
            return tally.add("websocket: refused 503 held")
        return tally.add(f"websocket: HTTP {e.status_code}", f"websocket upgrade: {e.status_code} {e.resp_body!r}")
    try:
        op, data = ws.recv_data(control_frame=True)
        if op == websocket.ABNF.OPCODE_CLOSE:
            code = int.from_bytes(data[:2], "big") if len(data) >= 2 else None
            if code == 1013:
                return tally.add("websocket: refused 1013")
            return tally.add(f"websocket: closed {code}", f"websocket: closed {code} {data[2:]!r}")
        assert json.loads(data)["type"] == "session"
        pcm = clip(seconds)
        for i in range(0, len(pcm), 1600):
            ws.send_binary(b"\x01\0\0\0" + pcm[i:i + 1600].tobytes())
        ws.send(json.dumps({"type": "commit"}))
        events, turn_id = [], None
        while True:
            op, data = ws.recv_data(control_frame=True)
            if op == websocket.ABNF.OPCODE_CLOSE:
                return tally.add("websocket: dropped", f"websocket: closed mid-turn {data!r}")
            if op != websocket.ABNF.OPCODE_TEXT:
                continue
            msg = json.loads(data)
            if msg["type"] == "committed":
                turn_id = msg["turn_id"]
            elif msg["type"] == "error":
                return tally.add(f"websocket: error {msg['error']['code']}",
                                 f"websocket: error event {msg['error']}")
            elif turn_id is not None and msg.get("turn_id") == turn_id:
                events.append(msg)
                if msg["type"] == "done":
                    break
        check_reply("websocket", seconds, events, tally, t0)
    except (websocket.WebSocketException, ConnectionError) as e:
        tally.add("websocket: dropped", f"websocket: {type(e).__name__}: {e}")
    finally:
        ws.close()


def client(url: str, index: int, n_requests: int, tally: Tally, start: threading.Event) -> None:
    rng = random.Random(index)
    start.wait()
    for k in range(n_requests):
        kind = rng.choices(KINDS, WEIGHTS)[0]
        seconds = round(0.3 + 0.1 * ((index * n_requests + k) % 40), 1)  # tells replies apart
        try:
            if kind == "health":
                do_health(url, tally, seconds)
            elif kind == "chat":
                do_chat(url, tally, seconds)
            elif kind == "sse":
                do_sse(url, tally, seconds, f"load-{index}-{k}")
            else:
                do_websocket(url, tally, seconds)
        except requests.RequestException as e:
            tally.add(f"{kind}: connection error", f"{kind}: {type(e).__name__}: {e}")


def pct(values: list[float], p: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(p * (len(v) - 1) + 0.5))] if v else float("nan")


def run_load(url: str, clients: int, n_requests: int) -> tuple[Tally, float]:
    tally, start = Tally(), threading.Event()
    threads = [threading.Thread(target=client, args=(url, i, n_requests, tally, start), daemon=True)
               for i in range(clients)]
    for t in threads:
        t.start()
    t0 = time.monotonic()
    start.set()
    for t in threads:
        t.join(600)
    return tally, time.monotonic() - t0


def report(tally: Tally, seconds: float, clients: int, n_requests: int) -> None:
    print(f"\n{clients} clients x {n_requests} requests in {seconds:.1f} s")
    print("\n| outcome | count |\n|---|---:|")
    for key, n in sorted(tally.counts.items()):
        print(f"| {key} | {n} |")
    h = tally.health_ms
    print(f"\n/health under load: {len(h)} requests, p50 {statistics.median(h):.1f} ms, p99 {pct(h, 0.99):.1f} ms, "
          f"max {max(h):.1f} ms" if h else "\n/health: none sent")
    for kind, ms in sorted(tally.turn_ms.items()):
        print(f"{kind} turns admitted and completed: {len(ms)}, request to done p50 {statistics.median(ms):.0f} ms, "
              f"p99 {pct(ms, 0.99):.0f} ms")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=20)
    args = ap.parse_args(argv)
    server = Server(["--engine", "sim", "--session-idle", "5"]
                    + [a for k, v in SIM_OPTIONS.items() for a in ("--engine-option", f"{k}={v}")], ready_timeout=120)
    try:
        tally, seconds = run_load(server.url, args.clients, args.requests)
        alive = server.proc.poll() is None
    finally:
        server.stop()
    report(tally, seconds, args.clients, args.requests)
    problems = tally.problems + ([] if alive else ["the server process died"])
    for p in problems[:20]:
        print("FAIL:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
