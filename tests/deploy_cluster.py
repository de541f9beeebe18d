"""Test helpers for the load-balancer tests: real omni-server processes and a real HAProxy
rendered from deploy/haproxy/, all on loopback ports the OS picks, and the clients a user
would run against them (/v1/chat NDJSON, the native WebSocket, the seed REST flow)."""
from __future__ import annotations

import base64
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests
import websocket

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from deploy.haproxy.render import render  # noqa: E402
from webapp.testing import iter_ndjson, iter_sse  # noqa: E402

# The native WebSocket's path, in this one place.
REALTIME_PATH = "/omni/realtime"  # omni's own WebSocket protocol (webapp/PROTOCOL.md)
TOKEN = "deploy-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
# A short sim timing preset: a turn lasts about 3 s (first audio after ~0.45 s), long enough that
# a conversation seen speaking is still speaking when a test kills or drains its backend, also on
# a busy machine.
SHORT_TURN = {"first_token_ms": 100, "llm_ms_per_token": 10, "tts_ms_per_token": 5, "t2w_ms_per_window": 100,
              "reply_tokens": 60}


def haproxy_path() -> str | None:
    return shutil.which("haproxy") or next((p for p in ("/usr/sbin/haproxy", "/usr/local/sbin/haproxy")
                                            if os.access(p, os.X_OK)), None)


class _Lines:
    """A process's stdout, line by line, readable with a timeout."""

    def __init__(self, stream):
        self.q: queue.SimpleQueue = queue.SimpleQueue()
        self.all: list[str] = []
        self.timed: list[tuple[float, str]] = []
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream):
        for line in stream:
            self.timed.append((time.monotonic(), line))
            self.all.append(line)
            self.q.put(line)
        self.q.put(None)

    def seen(self, pattern: str) -> float | None:
        """When a line matching `pattern` arrived (time.monotonic()), if one has."""
        return next((t for t, line in self.timed if re.search(pattern, line)), None)

    def wait_for(self, pattern: str, timeout: float) -> re.Match:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.q.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no line matching {pattern!r} within {timeout} s:\n{''.join(self.all)}")
            if line is None:
                raise AssertionError(f"the process ended before {pattern!r}:\n{''.join(self.all)}")
            m = re.search(pattern, line)
            if m:
                return m


class Backend:
    """One `omni-server` process (sim engine, short turns) as a deployment runs it."""

    def __init__(self, name: str, port: int = 0, extra: tuple[str, ...] = ()):
        self.name, self.port, self.extra = name, port, extra
        self.proc: subprocess.Popen | None = None

    def start(self) -> Backend:
        options = [a for k, v in SHORT_TURN.items() for a in ("--engine-option", f"{k}={v}")]
        cmd = [sys.executable, "-m", "webapp.cli", "--engine", "sim", "--port", str(self.port),
               "--backend-id", self.name, "--token", TOKEN, "--one-shot-chat", *options, *self.extra]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     env=dict(os.environ, PYTHONUNBUFFERED="1"))
        self.out = _Lines(self.proc.stdout)
        return self

    def wait_ready(self, timeout: float = 60) -> Backend:
        self.port = int(self.out.wait_for(r"ready at http://127\.0\.0\.1:(\d+)/", timeout).group(1))
        return self

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def signal(self, sig) -> None:
        self.proc.send_signal(sig)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


def start_backends(n: int, **kw) -> list[Backend]:
    backends = [Backend(f"b{i}", **kw).start() for i in range(1, n + 1)]  # they load in parallel
    return [b.wait_ready() for b in backends]


class Balancer:
    """HAProxy in the foreground, rendered for `backends`, on a listening socket this process
    bound (port picked by the OS, handed over as fd@N), with its runtime API socket."""

    def __init__(self, tmp: Path, backends: list[Backend], wait_up: bool = True, **render_args):
        self.tmp, self.backends = tmp, backends
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.admin = str(tmp / f"haproxy-{self.listener.getsockname()[1]}.sock")
        args = dict(check_interval="200ms", rise=1, fall=1, token_env="OMNI_TOKEN", **render_args)
        self.config = render([b.address for b in backends], bind=f"fd@{self.listener.fileno()}",
                             admin_socket=self.admin, **args)
        self.cfg_path = tmp / f"haproxy-{self.listener.getsockname()[1]}.cfg"
        self.cfg_path.write_text(self.config)
        self.proc = subprocess.Popen([haproxy_path(), "-db", "-f", str(self.cfg_path)],
                                     pass_fds=[self.listener.fileno()], stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, env=dict(os.environ, OMNI_TOKEN=TOKEN))
        self.out = _Lines(self.proc.stdout)
        if wait_up:
            self.wait_status({b.name: "UP" for b in backends})

    def stats(self) -> dict[str, dict]:
        """The conversation backend's servers as HAProxy sees them (runtime API `show stat`)."""
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(self.admin)
            s.sendall(b"show stat\n")
            data = b""
            while chunk := s.recv(65536):
                data += chunk
        lines = data.decode().splitlines()
        head = lines[0].lstrip("# ").split(",")
        rows = [dict(zip(head, line.split(","))) for line in lines[1:] if line]
        by_addr = {b.address: b.name for b in self.backends}
        return {by_addr.get(r["addr"], r["svname"]): r for r in rows
                if r["pxname"] == "omni_conversations" and r["svname"] not in ("FRONTEND", "BACKEND")}

    def wait_status(self, want: dict[str, str], timeout: float = 20) -> float:
        """Seconds until every named server has the wanted status (UP, DOWN, ...)."""
        t0 = time.monotonic()
        while True:
            if not os.path.exists(self.admin):
                if self.proc.poll() is not None:
                    raise AssertionError("haproxy exited:\n" + "".join(self.out.all))
            else:
                st = self.stats()
                if all(st.get(name, {}).get("status", "").startswith(s) for name, s in want.items()):
                    return time.monotonic() - t0
            if time.monotonic() - t0 > timeout:
                raise AssertionError(f"servers not {want} after {timeout} s: "
                                     f"{ {k: v.get('status') for k, v in self.stats().items()} }")
            time.sleep(0.02)  # polling HAProxy's state: it announces nothing

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)
        self.listener.close()


@dataclass
class Outcome:
    """What one conversation's client saw."""
    kind: str
    backend: str | None = None
    status: int | None = None
    events: list = field(default_factory=list)
    error: str | None = None
    started: float = 0.0     # when the client sent its request
    first_event: float | None = None
    ended: float = 0.0

    @property
    def done(self) -> dict | None:
        return next((e for e in self.events if e.get("type") == "done"), None)

    @property
    def completed(self) -> bool:
        return self.done is not None and self.done["reason"] == "completed"

    @property
    def text(self) -> str:
        return "".join(e.get("text", "") for e in self.events if e.get("type") == "text")


def chat(url: str, wav: bytes, on_first_event=None, headers: dict | None = None, verify=True) -> Outcome:
    """POST /v1/chat and read its NDJSON events to the end (or to the error)."""
    out = Outcome("chat", started=time.monotonic())
    try:
        r = requests.post(url + "/v1/chat", data=wav, stream=True, timeout=120, verify=verify,
                          headers={"Content-Type": "audio/wav", **AUTH, **(headers or {})})
        out.status, out.backend = r.status_code, r.headers.get("X-Omni-Backend")
        if r.status_code != 200:
            out.error = r.text
            return out
        for ev in iter_ndjson(r):
            if out.first_event is None:
                out.first_event = time.monotonic()
                if on_first_event is not None:
                    on_first_event(out)
            out.events.append(ev)
    except (requests.RequestException, ValueError) as e:
        out.error = f"{type(e).__name__}: {e}"
    finally:
        out.ended = time.monotonic()
    return out


def realtime(url: str, pcm16: bytes, on_first_event=None) -> Outcome:
    """A WebSocket session: connect, speak, commit, read the reply to `done`, close.
    `on_first_event(outcome)` runs when the reply's first text arrives."""
    out = Outcome("websocket", started=time.monotonic())
    try:
        ws = websocket.create_connection(url.replace("http", "ws", 1) + REALTIME_PATH, timeout=120,
                                         header=[f"{k}: {v}" for k, v in AUTH.items()])
        try:
            first = json.loads(ws.recv())
            out.first_event = time.monotonic()
            out.backend = first.get("backend")
            out.events.append(first)
            for i in range(0, len(pcm16), 640):
                ws.send_binary(b"\x01\0\0\0" + pcm16[i:i + 640])  # a microphone frame: kind 0x01
            ws.send(json.dumps({"type": "commit"}))
            while True:
                op, data = ws.recv_data()
                if op == websocket.ABNF.OPCODE_CLOSE:
                    out.error = f"closed: {data!r}"
                    break
                if op != websocket.ABNF.OPCODE_TEXT:
                    continue
                ev = json.loads(data)
                out.events.append(ev)
                if ev["type"] == "text" and on_first_event is not None:
                    on_first_event(out)
                    on_first_event = None
                if ev["type"] == "done":
                    break
        finally:
            ws.close()
    except (websocket.WebSocketException, OSError, ValueError) as e:
        out.error = f"{type(e).__name__}: {e}"
    finally:
        out.ended = time.monotonic()
    return out


def rest_flow(url: str, wav: bytes, session: str | None) -> tuple[list[str], Outcome]:
    """The seed REST flow: init → prefill → generate (SSE), then, with a session, its end.
    Returns the X-Omni-Backend of each request and the turn's outcome."""
    h = {**AUTH, **({"X-Omni-Session": session} if session else {})}
    backends = []
    r = requests.post(url + "/omni/init_sys_prompt", json={"media_type": 1, "duplex_mode": False}, headers=h)
    backends.append(r.headers.get("X-Omni-Backend"))
    assert r.status_code == 200, r.text
    r = requests.post(url + "/omni/streaming_prefill", json={"audio": base64.b64encode(wav).decode()}, headers=h)
    backends.append(r.headers.get("X-Omni-Backend"))
    assert r.status_code == 200, r.text
    out = Outcome("rest", started=time.monotonic())
    r = requests.post(url + "/omni/streaming_generate", headers=h, stream=True)
    out.status, out.backend = r.status_code, r.headers.get("X-Omni-Backend")
    backends.append(out.backend)
    if r.status_code == 200:
        out.events = [{"type": name, **data} for name, data in iter_sse(r)]
    else:
        out.error = r.text
    out.ended = time.monotonic()
    if session:
        r = requests.delete(url + "/omni/session", headers=h)
        assert r.status_code == 200 and r.json()["ended"], r.text
    return backends, out


class Running:
    """Callables started at once, one thread each; results() waits for them, in order."""

    def __init__(self, jobs):
        self._results: list = [None] * len(jobs)
        self._threads = [threading.Thread(target=self._run, args=(i, job)) for i, job in enumerate(jobs)]
        for t in self._threads:
            t.start()

    def _run(self, i, job):
        self._results[i] = job()

    def results(self, timeout: float = 300) -> list:
        for t in self._threads:
            t.join(timeout)
        return self._results


def run_all(jobs) -> list:
    return Running(jobs).results()


def sigterm(backend: Backend) -> None:
    backend.signal(signal.SIGTERM)


def sigkill(backend: Backend) -> None:
    backend.signal(signal.SIGKILL)
