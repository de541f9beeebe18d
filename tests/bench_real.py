"""MiniCPM-o on the real engine: the engine alone against the same turns through omni.

    python tests/bench_real.py --model-dir DIR [--turns 3] [--seconds 10] [--png timeline.png]

One run, the same scripted turns (models/fullsize.py, or any tiny scripted set), each path in
its own process one after the other, and one table:

  engine  libomni_c with llama.cpp-omni's own defaults (what its llama-omni-cli sets: 4 CPU
          threads, 4 vocoder threads, token2wav on GPU 0, the vocoder on the CPU), timed in
          process from the engine's callbacks
  ws      omni-server over omni's WebSocket, timed at the client
  sse     omni-server over the seed REST + SSE routes, timed at the client
  openai  omni-server over the OpenAI Realtime API (/v1/realtime: base64 24 kHz PCM in JSON,
          manual turn), timed at the client; it holds the user's audio until response.create
          (so a clear or truncate is exact), so the whole utterance is prefilled after the end
          of speech, and it carries no engine timings (its overhead column stays empty)
  ws-cpu-vocoder  ws with vocoder_device=cpu: what the GPU vocoder alone changes (optional)

Each turn streams a SECONDS-long utterance (at least 2 s) in real time (1 s blocks; the
server gets 100 ms frames), then asks for the reply. Times are from the end of speech: prefill done (the last
input consumed), first text, first audio; RTF = (turn done - end of speech) / reply audio.
omni overhead = client first audio - (engine's first audio from its turn start + the final
prefill the server did at commit): what the server and the wire add. Peak memory: the GPU's
used memory above the idle baseline (nvidia-smi), and the process's peak RSS. The GPU
vocoder's PCM is compared with the CPU vocoder's (engine path) turn by turn.
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SSE_PREFILL, SSE_GENERATE = "/omni/streaming_prefill", "/omni/streaming_generate"
MIC_RATE = 16000
UPSTREAM_DEFAULTS = {"n_threads": 4, "vocoder_threads": 4, "token2wav_device": "gpu:0", "vocoder_device": "cpu",
                     "n_gpu_layers": 99, "n_ctx": 4096}
PATHS = ("engine", "ws", "sse", "openai", "ws-cpu-vocoder")


def utterance(seconds: float) -> np.ndarray:
    """tests/data speech repeated (with short pauses) to exactly `seconds` at 16 kHz, int16."""
    import soundfile as sf

    parts = [sf.read(ROOT / f"tests/data/{n}.wav", dtype="int16")[0] for n in ("question_en", "speech_en")]
    pause = np.zeros(MIC_RATE // 4, np.int16)
    out, n = [], int(seconds * MIC_RATE)
    while sum(len(p) for p in out) < n:
        out += [parts[len(out) // 2 % 2], pause]
    return np.concatenate(out)[:n]


def peak_rss_mb(pid: int | str = "self") -> float | None:
    """Peak RSS of the process and of its children alive now: the server's engine runs in a child
    (isolate=process), whose memory counts too."""
    def hwm(p) -> float:
        try:
            m = re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{p}/status").read_text())
            return int(m.group(1)) / 1024 if m else 0.0
        except OSError:
            return 0.0
    own = hwm(pid)
    if not own:
        return None
    me = os.getpid() if pid == "self" else int(pid)
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == me:
                children.append(stat.parent.name)
        except (OSError, IndexError, ValueError):
            continue
    return own + sum(hwm(c) for c in children)


class GpuMemory:
    """Peak used GPU memory (all GPUs, MiB) above what was used when it started; None without nvidia-smi."""

    def __init__(self, period_s: float = 0.2):
        self.tool = shutil.which("nvidia-smi")
        self.period_s, self.peak, self.base = period_s, None, None
        self._stop = threading.Event()

    def _used(self) -> float | None:
        try:
            out = subprocess.run([self.tool, "--query-gpu=memory.used", "--format=csv,noheader,nounits"],
                                 capture_output=True, text=True, timeout=10).stdout
            return float(sum(int(x) for x in out.split()))
        except (OSError, ValueError, subprocess.SubprocessError):
            return None

    def __enter__(self):
        if self.tool:
            self.base = self._used()
            threading.Thread(target=self._run, daemon=True).start()
        return self

    def _run(self):
        while not self._stop.wait(self.period_s):
            u = self._used()
            if u is not None and self.base is not None:
                self.peak = max(self.peak or 0.0, u - self.base)

    def __exit__(self, *exc):
        self._stop.set()


def pace(t_start: float, offset_s: float) -> None:
    """Wait until the utterance's clock reaches offset_s: audio is sent as a microphone would."""
    delay = t_start + offset_s - time.monotonic()
    if delay > 0:
        time.sleep(delay)


def new_turn(t_eos: float) -> dict:
    return {"t_eos": t_eos, "blocks": [], "events": [], "pcm": [], "first_text": None, "first_audio": None, "done": None,
            "prefill_done": None, "stats": {}, "text": ""}


def note_event(turn: dict, kind: str, t: float, **extra) -> None:
    rel = t - turn["t_eos"]
    turn["events"].append({"type": kind, "t": rel, **extra})
    if kind == "text" and turn["first_text"] is None:
        turn["first_text"] = rel
    if kind == "audio" and turn["first_audio"] is None:
        turn["first_audio"] = rel
    if kind == "done":
        turn["done"] = rel


# ---------------------------------------------------------------- engine alone (child process)

def run_engine(args) -> dict:
    import omni_py

    speech = utterance(args.seconds)
    t0 = time.monotonic()
    opts = dict(UPSTREAM_DEFAULTS, model_dir=args.model_dir, **dict(o.split("=", 1) for o in args.engine_option))
    eng = omni_py.Engine("llama-omni", **opts)
    res = {"load_s": time.monotonic() - t0, "info": eng.info, "turns": []}
    for _ in range(args.turns):
        t_start = time.monotonic()
        blocks = []
        for k in range(0, len(speech), MIC_RATE):
            block = speech[k:k + MIC_RATE]
            pace(t_start, (k + len(block)) / MIC_RATE)
            b0 = time.monotonic()
            eng.prefill(audio=block, sample_rate=MIC_RATE)
            blocks.append((b0, time.monotonic()))
        t_eos = t_start + len(speech) / MIC_RATE
        turn = new_turn(t_eos)
        turn["blocks"] = [(a - t_eos, b - t_eos) for a, b in blocks]
        t_gen = time.monotonic()
        turn["generate_at"] = t_gen - t_eos
        for ev in eng.generate().events(timeout=600):
            if ev.type == "audio":
                turn["pcm"].append(ev.pcm)
                note_event(turn, "audio", ev.received, seconds=len(ev.pcm) / ev.sample_rate)
            elif ev.type in ("text", "tts_chunk", "end_of_turn"):
                note_event(turn, ev.type, ev.received, n=ev.n_speech_tokens)
                turn["text"] += ev.text if ev.type == "text" else ""
            elif ev.type == "stats":
                turn["stats"] = ev.stats
            elif ev.type == "turn_done":
                note_event(turn, "done", ev.received)
        # the engine drains its queued prefill at the start of the turn (stats.prefill_wait_ms)
        turn["prefill_done"] = turn["generate_at"] + turn["stats"].get("prefill_wait_ms", 0) / 1000
        turn["engine_first_audio"] = turn["first_audio"]
        res["turns"].append(turn)
    eng.close()
    res["peak_rss_mb"] = peak_rss_mb()
    return res


# ---------------------------------------------------------------- through omni-server (client side)

def start_server(args, log: Path, options: list[str]) -> tuple[subprocess.Popen, str, float]:
    cmd = [sys.executable, "-c", "import sys; from webapp.cli import server_main; sys.exit(server_main())",
           "--engine", "llama-omni", "--model-dir", args.model_dir, "--port", "0"]
    for o in options:
        cmd += ["--engine-option", o]
    t0 = time.monotonic()
    out = open(log, "wb")
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    while True:
        m = re.search(rb"ready at (http://[\d.:]+)/", log.read_bytes())
        if m:
            return proc, m.group(1).decode(), time.monotonic() - t0
        if proc.poll() is not None:
            raise RuntimeError(f"omni-server exited ({proc.returncode}); its log: {log}")
        if time.monotonic() - t0 > 900:
            proc.kill()
            raise RuntimeError(f"omni-server did not start in 900 s; its log: {log}")
        time.sleep(0.05)


def ws_turns(url: str, args) -> list[dict]:
    import websocket

    from webapp.omni_realtime import PATH, PROTOCOL
    from webapp.wire import AUDIO_HEADER, FRAME_AUDIO, MIC_HEADER

    speech, frame = utterance(args.seconds), MIC_RATE // 10
    ws = websocket.create_connection(url.replace("http", "ws", 1) + PATH, timeout=600, origin=url)
    ws.sock.setsockopt(6, 1, 1)  # TCP_NODELAY: frames leave when sent
    session = json.loads(ws.recv())
    if session.get("protocol") != PROTOCOL:
        raise RuntimeError(f"the server speaks protocol {session.get('protocol')}, this client {PROTOCOL}")
    mic = MIC_HEADER.pack(FRAME_AUDIO)
    # The server prefills each second of audio as it completes, in the thread that reads the
    # socket. A first frame of half the size shifts those seconds so that the last one is
    # not complete before the end of speech: the server prefills it at commit, and times it
    # (committed.prefill_ms), so that engine work never counts as omni's overhead.
    edges = [0] + list(range(frame // 2, len(speech), frame)) + [len(speech)]
    turns = []
    for _ in range(args.turns):
        t_start, sent, pending = time.monotonic(), [], 0
        for a, b in zip(edges, edges[1:]):
            pace(t_start, b / MIC_RATE)
            ws.send_binary(mic + speech[a:b].astype("<i2").tobytes())
            pending += b - a
            if pending >= MIC_RATE and b < len(speech):   # a second the server prefills on arrival
                sent.append(time.monotonic())
                pending = 0
        t_eos = t_start + len(speech) / MIC_RATE
        ws.send(json.dumps({"type": "commit"}))
        turn = new_turn(t_eos)
        turn["blocks"] = [(a - t_eos, a - t_eos + 0.005) for a in sent]
        while turn["done"] is None:
            op, data = ws.recv_data()
            now = time.monotonic()
            if op == websocket.ABNF.OPCODE_BINARY:
                _, _, _, rate = AUDIO_HEADER.unpack_from(data)
                pcm = np.frombuffer(data[AUDIO_HEADER.size:], "<i2").copy()
                turn["pcm"].append(pcm)
                note_event(turn, "audio", now, seconds=len(pcm) / rate)
                continue
            ev = json.loads(data)
            kind = ev["type"]
            if kind == "committed":
                turn["commit_prefill_s"] = turn["flush_s"] = ev.get("prefill_ms", 0) / 1000
                turn["generate_at"] = now - t_eos
            elif kind in ("text", "tts_chunk", "end_of_turn"):
                note_event(turn, kind, now, n=ev.get("n_speech_tokens", 0))
                turn["text"] += ev.get("text", "") if kind == "text" else ""
            elif kind == "done":
                turn["stats"] = ev.get("stats", {})
                note_event(turn, "done", now)
            elif kind == "error":
                raise RuntimeError(f"server error: {ev}")
        finish_client_turn(turn)
        turns.append(turn)
    ws.close()
    return turns


def sse_turns(url: str, args) -> list[dict]:
    import io

    import requests
    import soundfile as sf

    from webapp.testing import iter_sse

    speech = utterance(args.seconds)
    http = requests.Session()
    turns = []
    for _ in range(args.turns):
        t_start, blocks = time.monotonic(), []
        for k in range(0, len(speech), MIC_RATE):
            block = speech[k:k + MIC_RATE]
            pace(t_start, (k + len(block)) / MIC_RATE)
            buf = io.BytesIO()
            sf.write(buf, block, MIC_RATE, format="WAV", subtype="PCM_16")
            b0 = time.monotonic()
            http.post(url + SSE_PREFILL, json={"audio": base64.b64encode(buf.getvalue()).decode()}).raise_for_status()
            blocks.append((b0, time.monotonic()))
        t_eos = t_start + len(speech) / MIC_RATE
        last_prefill = blocks[-1][1] - blocks[-1][0]
        turn = new_turn(t_eos)
        turn["blocks"] = [(a - t_eos, b - t_eos) for a, b in blocks]
        turn["commit_prefill_s"] = last_prefill   # the last block was prefilled after the end of speech
        turn["generate_at"] = time.monotonic() - t_eos
        resp = http.post(url + SSE_GENERATE, json={}, stream=True)
        for kind, data in iter_sse(resp):
            now = time.monotonic()
            if kind == "audio":
                pcm = np.frombuffer(base64.b64decode(data["audio"]), "<i2").copy()
                turn["pcm"].append(pcm)
                note_event(turn, "audio", now, seconds=len(pcm) / data.get("sample_rate", 24000))
            elif kind in ("text", "tts_chunk", "end_of_turn"):
                note_event(turn, kind, now, n=data.get("n_speech_tokens", 0))
                turn["text"] += data.get("text", "") if kind == "text" else ""
            elif kind == "done":
                turn["stats"] = data.get("stats", {})
                note_event(turn, "done", now)
                break
            elif kind == "error":
                raise RuntimeError(f"server error: {data}")
        resp.close()
        finish_client_turn(turn)
        turns.append(turn)
    return turns


def openai_turns(url: str, args) -> list[dict]:
    """The OpenAI Realtime API: the utterance appended in 100 ms events as it is spoken, then
    commit + response.create (turn_detection null); audio deltas timed at the client."""
    import websocket

    from webapp.openai.common import ENGINE_RATE, resample

    speech, frame = resample(utterance(args.seconds), MIC_RATE, ENGINE_RATE), ENGINE_RATE // 10
    ws = websocket.create_connection(url.replace("http", "ws", 1) + "/v1/realtime", timeout=600, origin=url)
    ws.sock.setsockopt(6, 1, 1)  # TCP_NODELAY: frames leave when sent

    def send(event: dict) -> None:
        ws.send(json.dumps(event))

    def receive() -> dict:
        ev = json.loads(ws.recv())
        if ev["type"] == "error":
            raise RuntimeError(f"server error: {ev}")
        return ev

    assert receive()["type"] == "session.created"
    send({"type": "session.update", "session": {"type": "realtime", "audio": {"input": {"turn_detection": None}}}})
    while receive()["type"] != "session.updated":
        pass
    turns = []
    for _ in range(args.turns):
        t_start = time.monotonic()
        for a in range(0, len(speech), frame):
            b = min(a + frame, len(speech))
            pace(t_start, b / ENGINE_RATE)
            chunk = base64.b64encode(speech[a:b].astype("<i2").tobytes()).decode()
            send({"type": "input_audio_buffer.append", "audio": chunk})
        t_eos = t_start + len(speech) / ENGINE_RATE
        send({"type": "input_audio_buffer.commit"})
        send({"type": "response.create"})
        turn = new_turn(t_eos)
        turn["generate_at"] = time.monotonic() - t_eos
        while turn["done"] is None:
            ev = receive()
            now, kind = time.monotonic(), ev["type"]
            if kind == "response.output_audio.delta":
                pcm = np.frombuffer(base64.b64decode(ev["delta"]), "<i2").copy()
                turn["pcm"].append(pcm)
                note_event(turn, "audio", now, seconds=len(pcm) / ENGINE_RATE)
            elif kind == "response.output_audio_transcript.delta":
                note_event(turn, "text", now)
                turn["text"] += ev["delta"]
            elif kind == "response.done":
                if ev["response"]["status"] != "completed":
                    raise RuntimeError(f"the response ended {ev['response']['status']}: {ev['response']}")
                note_event(turn, "done", now)
        finish_client_turn(turn)
        turns.append(turn)
    ws.close()
    return turns


def finish_client_turn(turn: dict) -> None:
    st = turn["stats"]
    if "prefill_wait_ms" in st:  # the OpenAI path carries no engine timings
        turn["prefill_done"] = turn.get("generate_at", 0) + st["prefill_wait_ms"] / 1000
    fa = st.get("first_audio_ms")
    if fa is not None and turn["first_audio"] is not None:
        # what the engine itself took from the end of speech: the final prefill + its own first audio
        turn["engine_first_audio"] = turn.get("commit_prefill_s", 0) + fa / 1000
        turn["overhead"] = turn["first_audio"] - turn["engine_first_audio"]


def run_server_path(path: str, args, workdir: Path) -> dict:
    log = workdir / f"server-{path}.log"
    with GpuMemory() as gpu:
        extra = ["vocoder_device=cpu"] if path == "ws-cpu-vocoder" else []
        proc, url, load_s = start_server(args, log, args.server_option + extra)
        try:
            import requests
            info = requests.get(url + "/health", timeout=30).json()
            client = {"sse": sse_turns, "openai": openai_turns}.get(path, ws_turns)
            turns = client(url, args)
            rss = peak_rss_mb(proc.pid)
            m = re.findall(r"omni llama-omni: (?:the vocoder runs on (\S+)|vocoder_device=\S+: (.*); the vocoder runs on)",
                           log.read_text(errors="replace"))
            info["vocoder"] = (m[-1][0] or "cpu (" + m[-1][1] + ")") if m else "cpu (libomni's own)"
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
    return {"load_s": load_s, "turns": turns, "peak_rss_mb": rss, "peak_gpu_mb": gpu.peak, "info": info}


def run_engine_path(args, workdir: Path) -> dict:
    out = workdir / "engine.json"
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(out), "--model-dir", args.model_dir,
           "--turns", str(args.turns), "--seconds", str(args.seconds)]
    for o in args.engine_option:
        cmd += ["--engine-option", o]
    with GpuMemory() as gpu, open(workdir / "engine.log", "wb") as log:
        r = subprocess.run(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    if r.returncode != 0:
        raise RuntimeError(f"engine run failed ({r.returncode}); its log: {workdir / 'engine.log'}")
    res = json.loads(out.read_text())
    for t in res["turns"]:
        t["pcm"] = [np.asarray(p, np.int16) for p in t["pcm"]]
    res["peak_gpu_mb"] = gpu.peak
    return res


# ---------------------------------------------------------------- report

def median(turns: list[dict], key: str) -> float | None:
    vals = [t[key] for t in turns if t.get(key) is not None]
    return statistics.median(vals) if vals else None


def summarize(res: dict) -> dict:
    turns = res["turns"]
    for t in turns:
        t["audio_s"] = sum(len(p) for p in t["pcm"]) / 24000
        t["rtf"] = t["done"] / t["audio_s"] if t["audio_s"] else None
    row = {k: median(turns, k) for k in ("prefill_done", "first_text", "first_audio", "rtf", "audio_s", "overhead")}
    row.update(load_s=res["load_s"], peak_gpu_mb=res.get("peak_gpu_mb"), peak_rss_mb=res.get("peak_rss_mb"))
    return row


def _spectrogram(x: np.ndarray, n: int = 1024, hop: int = 256) -> np.ndarray:
    frames = np.lib.stride_tricks.sliding_window_view(x, n)[::hop] * np.hanning(n)
    return np.abs(np.fft.rfft(frames, axis=1))


def pcm_match(a: list[dict], b: list[dict]) -> str:
    """Turn-by-turn PCM of two paths: the largest sample difference, the SNR of b against a, and
    the relative difference of their magnitude spectrograms and of their 40 ms loudness envelopes
    (the same sound with a different fine phase scores low on these two and high on the first)."""
    worst, snrs, spec, env = 0, [], [], []
    for ta, tb in zip(a, b):
        x, y = (np.concatenate(t["pcm"]).astype(np.float64) if t["pcm"] else np.zeros(0) for t in (ta, tb))
        if len(x) == 0 or len(x) != len(y):
            return f"lengths differ ({len(x)} vs {len(y)} samples)"
        d = x - y
        worst = max(worst, int(np.abs(d).max()))
        snrs.append(float("inf") if not d.any() else 10 * np.log10((x ** 2).sum() / max((d ** 2).sum(), 1e-9)))
        if len(x) >= 1024:
            sx, sy = _spectrogram(x), _spectrogram(y)
            spec.append(np.linalg.norm(sx - sy) / max(np.linalg.norm(sx), 1e-9))
        k = len(x) // 960 * 960
        ex, ey = (np.sqrt((v[:k].reshape(-1, 960) ** 2).mean(axis=1)) for v in (x, y))
        env.append(np.abs(ex - ey).max() / max(ex.max(), 1e-9))
    return (f"max |difference| {worst} of 32767, SNR {min(snrs):.1f} dB; spectrogram difference "
            f"{max(spec, default=0) * 100:.2f}%, loudness envelope difference {max(env) * 100:.2f}% (worst turn)")


def fmt(v, unit: str = "", scale: float = 1.0, nd: int = 0) -> str:
    return "-" if v is None else f"{v * scale:.{nd}f}{unit}"


def table(rows: dict[str, dict]) -> str:
    head = ("path", "load s", "prefill done ms", "first text ms", "first audio ms", "RTF", "audio/turn s",
            "peak GPU MiB", "peak host MiB", "omni overhead ms")
    lines = [" | ".join(head), " | ".join("---" for _ in head)]
    for name, r in rows.items():
        lines.append(" | ".join((name, fmt(r["load_s"], nd=1), fmt(r["prefill_done"], scale=1000),
                                 fmt(r["first_text"], scale=1000), fmt(r["first_audio"], scale=1000),
                                 fmt(r["rtf"], nd=2), fmt(r["audio_s"], nd=2), fmt(r["peak_gpu_mb"]),
                                 fmt(r["peak_rss_mb"]), fmt(r["overhead"], scale=1000, nd=1))))
    return "\n".join("| " + ln + " |" for ln in lines)


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model-dir", required=True, help="a scripted model set (python -m models.fullsize)")
    ap.add_argument("--turns", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=10.0, help="utterance length, streamed in real time")
    ap.add_argument("--paths", default="engine,ws,sse", help=f"which of {', '.join(PATHS)} to run")
    ap.add_argument("--engine-option", action="append", default=[], metavar="K=V",
                    help="override an upstream default of the engine path")
    ap.add_argument("--server-option", action="append", default=[], metavar="K=V",
                    help="an engine option for omni-server (default: omni's own, e.g. vocoder_device=auto)")
    ap.add_argument("--png", default=None, help="write a per-stage timeline of one turn here (needs matplotlib)")
    ap.add_argument("--json", default=None, help="write all numbers here")
    ap.add_argument("--pcm", default=None, help="write every turn's reply PCM here (.npz, PATH_TURN keys)")
    ap.add_argument("--log-dir", default=None, help="keep the engine's and servers' logs here (default: discarded)")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        res = run_engine(args)
        for t in res["turns"]:
            t["pcm"] = [p.tolist() for p in t["pcm"]]
        Path(args.child).write_text(json.dumps(res))
        return res
    if args.seconds < 2:
        ap.error("--seconds must be at least 2 (the last second of speech is prefilled at commit)")
    paths = [p for p in args.paths.split(",") if p]
    if not set(paths) <= set(PATHS):
        ap.error(f"--paths takes {', '.join(PATHS)}")
    results, rows = {}, {}
    with tempfile.TemporaryDirectory(prefix="omni-bench-real-") as tmp:
        if args.log_dir:
            tmp = args.log_dir
            Path(tmp).mkdir(parents=True, exist_ok=True)
        for p in paths:
            t0 = time.monotonic()
            results[p] = run_engine_path(args, Path(tmp)) if p == "engine" else run_server_path(p, args, Path(tmp))
            rows[p] = summarize(results[p])
            print(f"[{p}: {time.monotonic() - t0:.0f} s; reply {results[p]['turns'][-1]['text']!r}]", flush=True)
    print(f"\n{args.turns} turn(s) of a {args.seconds:g} s utterance, medians; times from the end of speech; "
          f"model dir {args.model_dir}")
    print(table(rows))
    for p in paths:
        if p != "engine" and "engine" in results:
            print(f"PCM {p} vs engine: {pcm_match(results['engine']['turns'], results[p]['turns'])}")
    for p in paths:
        info = results[p].get("info") or {}
        where = info.get("vocoder") or f"{info.get('vocoder_device') or '?'} {info.get('vocoder_note') or ''}".strip()
        print(f"{p}: vocoder on {where}")
    if args.png:
        from bench_timeline import plot_timeline
        for p in paths:
            results[p]["turns"][-1]["seconds"] = args.seconds
        plot_timeline({p: results[p]["turns"][-1] for p in paths}, args.png)
        print(f"timeline: {args.png}")
    if args.pcm:
        np.savez_compressed(args.pcm, **{f"{p}_{i}": np.concatenate(t["pcm"]) if t["pcm"] else np.zeros(0, np.int16)
                                         for p in paths for i, t in enumerate(results[p]["turns"])})
    if args.json:
        for r in results.values():
            for t in r["turns"]:
                t.pop("pcm", None)
        Path(args.json).write_text(json.dumps({"rows": rows, "results": results}, indent=1, default=str))
    return rows


if __name__ == "__main__":
    main()
