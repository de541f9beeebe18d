"""Soak: many turns over omni's WebSocket against one omni-server process, with barge-in every
tenth turn; the server's memory, open files and threads are sampled as it goes.

    python tests/soak.py                        # 1000 sim turns (a new socket every 50 turns)
    python tests/soak.py --isolate process      # ... with the simulator in a process of its own
    python tests/soak.py --turns 100 --real     # 100 turns on the tiny real engine (LLAMA_OMNI_DIR)
    python tests/soak.py --real --tier full     # ... on the tiny set with vision too

Prints a table: turns, interrupted turns, seconds, turn latency p50/p99, the server's RSS,
open file descriptors and threads after the warm-up and at the end (the server and its engine
process together: llama-omni runs in a process of its own, isolate=process). Exit status 1 on a hang
(a turn that does not end), a turn that does not end as asked (completed / interrupted), or a
growth beyond the bounds (--max-rss-growth-mb, --max-fd-growth, --max-thread-growth).
tests/test_soak.py runs a short version in the suite.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import websocket

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
from deploy_cluster import REALTIME_PATH, _Lines  # noqa: E402

# Sim turns of ~0.2 s that make audio, so a barge-in lands mid-turn.
SIM_OPTIONS = {"first_token_ms": 20, "llm_ms_per_token": 3, "tts_ms_per_token": 1, "t2w_ms_per_window": 20,
               "reply_tokens": 24}
SPEECH = (6000 * np.sin(2 * np.pi * 190 * np.arange(8000) / 16000)).astype("<i2")  # 0.5 s at 16 kHz


def server_processes(pid: int) -> list[int]:
    """The server and its children: the engine process of isolate=process (llama-omni's
    default). Not their children: the engine runs short commands (a fork of the engine
    process would count its memory twice until it execs)."""
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            children += [int(c) for c in task.read_text().split()]
        except FileNotFoundError:  # a thread that ended meanwhile
            pass
    return [pid, *children]


def process_stats(pid: int) -> dict:
    """RSS (MB), open file descriptors and threads of the server and its engine process, from /proc."""
    total = {"rss_mb": 0.0, "fds": 0, "threads": 0, "processes": 0}
    for p in server_processes(pid):
        try:
            status = Path(f"/proc/{p}/status").read_text()
            fds = len(os.listdir(f"/proc/{p}/fd"))
        except (FileNotFoundError, ProcessLookupError):  # ended meanwhile
            continue
        field_of = {line.split(":")[0]: line.split(":")[1].strip() for line in status.splitlines() if ":" in line}
        if "VmRSS" not in field_of:  # ended, not reaped yet
            continue
        total["rss_mb"] += int(field_of["VmRSS"].split()[0]) / 1024
        total["fds"] += fds
        total["threads"] += int(field_of["Threads"])
        total["processes"] += 1
    return total


class Server:
    """One omni-server process on a port the OS picks."""

    def __init__(self, args: list[str], ready_timeout: float):
        import subprocess

        cmd = [sys.executable, "-m", "webapp.cli", "--port", "0", *args]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     env=dict(os.environ, PYTHONUNBUFFERED="1"))
        self.out = _Lines(self.proc.stdout)
        port = int(self.out.wait_for(r"ready at http://127\.0\.0\.1:(\d+)/", ready_timeout).group(1))
        self.url = f"http://127.0.0.1:{port}"

    def stats(self) -> dict:
        return process_stats(self.proc.pid)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except Exception:
            self.proc.kill()


@dataclass
class Soak:
    turns: int = 0
    interrupted: int = 0
    latencies: list = field(default_factory=list)
    samples: list = field(default_factory=list)   # (turn, stats)
    failures: list = field(default_factory=list)


def one_turn(ws, barge_in: bool, timeout: float) -> tuple[str, float]:
    """Speak, commit, read to `done` (interrupting as the reply begins when asked). Returns the
    reason and the seconds from commit to done."""
    for i in range(0, len(SPEECH), 1600):
        ws.send_binary(b"\x01\0\0\0" + SPEECH[i:i + 1600].tobytes())
    t0 = time.monotonic()
    ws.send(json.dumps({"type": "commit"}))
    turn_id, sent_interrupt = None, False
    deadline = t0 + timeout
    while True:
        ws.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            op, data = ws.recv_data()
        except websocket.WebSocketTimeoutException:
            raise TimeoutError(f"no `done` within {timeout} s (turn {turn_id})") from None
        msg = json.loads(data) if op == websocket.ABNF.OPCODE_TEXT else {"type": "audio"}
        if barge_in and not sent_interrupt and msg["type"] in ("audio", "text"):  # the reply has begun
            ws.send(json.dumps({"type": "interrupt", "played_ms": 40}))
            sent_interrupt = True
        if msg["type"] == "committed":
            turn_id = msg["turn_id"]
        elif msg["type"] == "error":
            raise AssertionError(f"error event: {msg['error']}")
        elif msg["type"] == "done" and msg["turn_id"] == turn_id:
            return msg["reason"], time.monotonic() - t0


def run_soak(server: Server, turns: int, barge_every: int = 10, reconnect_every: int = 50, warmup: int = 10,
             turn_timeout: float = 60.0, log=print) -> Soak:
    result = Soak()
    ws_url = server.url.replace("http", "ws") + REALTIME_PATH
    ws = None
    t_start = time.monotonic()
    for n in range(1, turns + 1):
        if ws is None or (n - 1) % reconnect_every == 0:
            if ws is not None:
                ws.close()
            ws = connect(ws_url)
        barge = barge_every > 0 and n % barge_every == 0
        try:
            reason, seconds = one_turn(ws, barge, turn_timeout)
        except (TimeoutError, AssertionError, websocket.WebSocketException) as e:
            result.failures.append(f"turn {n}: {e}")
            break
        want = "interrupted" if barge else "completed"
        if reason != want:
            result.failures.append(f"turn {n}: ended {reason}, expected {want}")
        result.turns += 1
        result.interrupted += reason == "interrupted"
        result.latencies.append(seconds)
        if n == warmup or n == turns or (n > warmup and n % max(1, turns // 10) == 0):
            result.samples.append((n, server.stats()))
            s = result.samples[-1][1]
            log(f"  turn {n:5d}: RSS {s['rss_mb']:7.1f} MB, fds {s['fds']:3d}, threads {s['threads']:3d}, "
                f"processes {s['processes']}, "
                f"{time.monotonic() - t_start:6.1f} s")
    if ws is not None:
        ws.close()
    return result


def connect(url: str, attempts: int = 100):
    """A new session; the previous one may take a moment to be released (1013 until then)."""
    for _ in range(attempts):
        try:
            ws = websocket.create_connection(url, timeout=30)
        except websocket.WebSocketBadStatusException:
            time.sleep(0.05)
            continue
        first = json.loads(ws.recv())
        if first.get("type") == "session":
            return ws
        ws.close()
        time.sleep(0.05)
    raise AssertionError(f"no session at {url} after {attempts} attempts")


def report(name: str, r: Soak, seconds: float) -> dict:
    (w_turn, w), (e_turn, e) = r.samples[0], r.samples[-1]
    lat = sorted(r.latencies)
    row = {
        "run": name, "turns": r.turns, "interrupted": r.interrupted, "seconds": round(seconds, 1),
        "turn_p50_ms": round(1000 * statistics.median(lat)), "turn_p99_ms": round(1000 * lat[int(0.99 * (len(lat) - 1))]),
        "rss_mb": (round(w["rss_mb"], 1), round(e["rss_mb"], 1)), "rss_growth_mb": round(e["rss_mb"] - w["rss_mb"], 1),
        "fds": (w["fds"], e["fds"]), "threads": (w["threads"], e["threads"]), "from_turn": w_turn,
    }
    print("\n| run | turns | barge-ins | s | turn p50 / p99 ms | RSS after warm-up → end (MB) | growth MB | fds | threads "
          "| processes |")
    print("|---|---:|---:|---:|---:|---|---:|---|---|---:|")
    print(f"| {name} | {row['turns']} | {row['interrupted']} | {row['seconds']} | {row['turn_p50_ms']} / "
          f"{row['turn_p99_ms']} | {row['rss_mb'][0]} → {row['rss_mb'][1]} (from turn {w_turn}) | "
          f"{row['rss_growth_mb']} | {w['fds']} → {e['fds']} | {w['threads']} → {e['threads']} | {e['processes']} |")
    return row


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--turns", type=int, default=None, help="default 1000 (sim) or 100 (--real)")
    ap.add_argument("--barge-every", type=int, default=10)
    ap.add_argument("--reconnect-every", type=int, default=50)
    ap.add_argument("--real", action="store_true", help="the llama-omni engine on a tiny generated set")
    # tts: turns that speak last long enough (~0.5 s) for a barge-in to land mid-turn; the
    # text tier's whole reply takes a few ms, so its interrupts would come after the end.
    ap.add_argument("--tier", default="tts", help="tiny tier for --real (text, tts, full)")
    ap.add_argument("--isolate", choices=("auto", "process", "none"), default="auto",
                    help="where the engine runs (auto: llama-omni in a process of its own, sim in the server)")
    ap.add_argument("--max-rss-growth-mb", type=float, default=64)
    ap.add_argument("--max-fd-growth", type=int, default=4)
    ap.add_argument("--max-thread-growth", type=int, default=4)
    args = ap.parse_args(argv)

    if args.real:
        from models.tiny import ensure_tiny_models

        md = ensure_tiny_models(args.tier, scripted=True)
        server_args = ["--engine", "llama-omni", "--model-dir", str(md),
                       "--voice", str(ROOT / "tests" / "data" / "voice_ref.wav"),
                       "--engine-option", "n_predict=24", "--engine-option", "temperature=0"]
        turns, name, timeout = args.turns or 100, f"llama-omni tiny {args.tier}", 600.0
    else:
        server_args = ["--engine", "sim"] + [a for k, v in SIM_OPTIONS.items() for a in ("--engine-option", f"{k}={v}")]
        turns, name, timeout = args.turns or 1000, "sim", 60.0
    if args.isolate != "auto":
        server_args += ["--engine-option", f"isolate={args.isolate}"]
        name += f", isolate={args.isolate}"
    server = Server(server_args, ready_timeout=600)
    try:
        t0 = time.monotonic()
        r = run_soak(server, turns, args.barge_every, args.reconnect_every, turn_timeout=timeout)
        seconds = time.monotonic() - t0
        alive = server.proc.poll() is None
    finally:
        server.stop()
    if not r.samples:
        print("no turn completed:", r.failures)
        return 1
    row = report(name, r, seconds)
    bad = list(r.failures)
    if not alive:
        bad.append("the server process died")
    if row["rss_growth_mb"] > args.max_rss_growth_mb:
        bad.append(f"RSS grew {row['rss_growth_mb']} MB (bound {args.max_rss_growth_mb})")
    if row["fds"][1] - row["fds"][0] > args.max_fd_growth:
        bad.append(f"open files grew {row['fds']} (bound +{args.max_fd_growth})")
    if row["threads"][1] - row["threads"][0] > args.max_thread_growth:
        bad.append(f"threads grew {row['threads']} (bound +{args.max_thread_growth})")
    for b in bad:
        print("FAIL:", b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
