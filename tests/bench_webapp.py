"""Delivery latency of the web server with the sim engine at zero delay.

Prints, for SSE and WebSocket, the time from the C callback (omni_py Event.received) to the
event's bytes arriving at the client socket (p50/p99), the delay from the last audio to
the end of the stream (the reference server holds every turn open 2 s after its last audio),
and the bytes the SSE body spends per second of reply audio (raw PCM alone is 48,000 B/s,
base64 of it 64,000 B/s). Then, for reply audio on omni's WebSocket (binary PCM frames) and
on the OpenAI Realtime API (base64 `response.output_audio.delta` events of 200 ms):
callback -> client p50/p99 per piece, and the wire bytes per second of reply audio (frame
headers included).

    python tests/bench_webapp.py [--turns 30]
"""
from __future__ import annotations

import argparse
import base64
import json
import socket
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from webapp.testing import running_server, sim_config  # noqa: E402
from webapp.wire import AUDIO_HEADER  # noqa: E402

WAV = (ROOT / "tests/data/speech_en.wav").read_bytes()


def _post(url: str, path: str, body: bytes = b"", ctype: str = "application/json") -> socket.socket:
    host, port = url.split("//")[1].split(":")
    s = socket.create_connection((host, int(port)))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.sendall(f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: {ctype}\r\n"
              f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
    return s


def sse_turn(url: str, size: dict | None = None) -> list[tuple[str, float]]:
    """(event type, arrival time) per SSE event, from the raw socket, plus ('end', t).
    `size` accumulates the response's bytes and the reply's audio samples (from `done`)."""
    import requests

    requests.post(url + "/omni/streaming_prefill", json={"audio": base64.b64encode(WAV).decode()})
    s = _post(url, "/omni/streaming_generate")
    buf, out = b"", []
    while True:
        data = s.recv(1 << 20)
        now = time.monotonic()
        if not data:
            break
        if size is not None:
            size["bytes"] = size.get("bytes", 0) + len(data)
        buf += data
        if b"0\r\n\r\n" in buf and not any(k == "end" for k, _ in out):
            out.append(("end", now))  # the last chunk of the chunked body: the stream is over
        while True:  # an event is complete at its blank line
            i = buf.find(b"event: ")
            j = buf.find(b"\n\n", i)
            if i < 0 or j < 0:
                break
            name = buf[i + 7:buf.find(b"\n", i)].decode()
            out.append((name, now))
            if name == "done" and size is not None:
                body = buf[buf.find(b"\ndata", i):j].split(b":", 1)[1]
                size["samples"] = size.get("samples", 0) + json.loads(body)["stats"]["audio_samples"]
            buf = buf[j + 2:]
    s.close()
    return out


def frame_bytes(payload: int) -> int:
    """A server WebSocket frame on the wire: payload + header (unmasked)."""
    return payload + (2 if payload < 126 else 4 if payload < 65536 else 10)


def ws_turn(ws, audio: list | None = None) -> list[tuple[str, float]]:
    """omni's WebSocket; `audio` gets (arrival of the PCM frame, samples, wire bytes) per audio event."""
    import websocket

    pcm = np.zeros(16000, np.int16)
    pcm[::50] = 3000
    ws.send_binary(b"\x01\0\0\0" + pcm.tobytes())  # a microphone frame (PROTOCOL.md)
    ws.send(json.dumps({"type": "commit"}))
    out = []
    while True:
        op, data = ws.recv_data()
        now = time.monotonic()
        if op == websocket.ABNF.OPCODE_BINARY:  # reply audio: one self-describing frame per event
            out.append(("audio", now))
            if audio is not None:
                audio.append((now, (len(data) - AUDIO_HEADER.size) // 2, frame_bytes(len(data))))
            continue
        if op != websocket.ABNF.OPCODE_TEXT:
            continue
        ev = json.loads(data)
        if ev["type"] in ("committed",):
            continue
        out.append((ev["type"], now))
        if ev["type"] == "done":
            return out


def openai_turn(ws, audio: list) -> None:
    """The OpenAI Realtime API, manual turn: (arrival, samples, wire bytes) per audio delta."""
    pcm = np.zeros(24000, np.int16)
    pcm[::50] = 3000
    ws.send(json.dumps({"type": "input_audio_buffer.append", "audio": base64.b64encode(pcm.tobytes()).decode()}))
    ws.send(json.dumps({"type": "input_audio_buffer.commit"}))
    ws.send(json.dumps({"type": "response.create"}))
    while True:
        data = ws.recv()
        now = time.monotonic()
        ev = json.loads(data)
        if ev["type"] == "response.output_audio.delta":
            audio.append((now, len(base64.b64decode(ev["delta"])) // 2, frame_bytes(len(data.encode()))))
        elif ev["type"] == "response.done":
            return


def audio_delivery(trace: list, pieces: list) -> tuple[list[float], int, int]:
    """Match the pieces a client got to the engine's audio events (in order, by samples):
    callback -> client ms per piece, total samples, total wire bytes."""
    lat, i = [], 0
    for kind, _, _, received, samples in trace:
        if kind != "audio":
            continue
        got = 0
        while got < samples:
            arrived, n, _ = pieces[i]
            lat.append((arrived - received) * 1000)
            got, i = got + n, i + 1
        assert got == samples, (got, samples)
    assert i == len(pieces), (i, len(pieces))
    return lat, sum(p[1] for p in pieces), sum(p[2] for p in pieces)


def pct(xs, q):
    return float(np.percentile(np.array(xs), q)) if xs else float("nan")


def measure(turns: int) -> dict:
    import requests
    import websocket

    results = {}
    with running_server(sim_config()) as server:
        conv = server.app.extensions["omni.conversation"]
        requests.post(server.url + "/omni/init_sys_prompt", json={})
        for transport in ("sse", "ws"):
            lat, tail, size = [], [], {}
            ws = None
            if transport == "ws":
                ws = websocket.create_connection(server.url.replace("http", "ws") + "/omni/realtime")
                ws.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                ws.recv()  # session
            for _ in range(turns):
                conv.trace = []
                got = sse_turn(server.url, size) if transport == "sse" else ws_turn(ws)
                sent = [t for t in conv.trace if t[0] != "stats"]
                events = [g for g in got if g[0] != "end"]
                assert len(sent) == len(events), (len(sent), len(events))
                for (stype, _, _, received, _), (ctype, arrived) in zip(sent, events):
                    assert ctype == ("done" if stype == "turn_done" else stype), (stype, ctype)
                    lat.append((arrived - received) * 1000)
                last_audio = max(t for k, t in events if k == "audio")
                end = max(t for _, t in got)  # the body's last chunk for SSE, `done` for WebSocket
                tail.append((end - last_audio) * 1000)
            if ws is not None:
                ws.close()
            results[transport] = {"events": len(lat), "p50_ms": pct(lat, 50), "p99_ms": pct(lat, 99),
                                  "tail_p50_ms": pct(tail, 50), "tail_max_ms": max(tail)}
            if size.get("samples"):
                results[transport]["bytes_per_audio_s"] = size["bytes"] / (size["samples"] / 24000)
        results["audio"] = audio_bench(server, conv, turns)
    return results


def audio_bench(server, conv, turns: int) -> dict:
    """Reply audio on omni's WebSocket and on the OpenAI Realtime API, the same turns."""
    import websocket

    out = {}
    for name, path in (("omni ws", "/omni/realtime"), ("openai realtime", "/v1/realtime")):
        # skip_utf8_validation: websocket-client checks UTF-8 in pure Python, which would time the client
        ws = websocket.create_connection(server.url.replace("http", "ws") + path, skip_utf8_validation=True)
        ws.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        ws.recv()  # session / session.created
        if name == "openai realtime":
            ws.send(json.dumps({"type": "session.update", "session": {"type": "realtime",
                                                                      "audio": {"input": {"turn_detection": None}}}}))
            ws.recv()  # session.updated
        lat, samples, wire = [], 0, 0
        for _ in range(turns):
            conv.trace, pieces = [], []
            if name == "omni ws":
                ws_turn(ws, pieces)
            else:
                openai_turn(ws, pieces)
            got = audio_delivery(list(conv.trace), pieces)
            lat += got[0]
            samples += got[1]
            wire += got[2]
        ws.close()
        out[name] = {"pieces": len(lat), "p50_ms": pct(lat, 50), "p99_ms": pct(lat, 99),
                     "wire_bytes_per_audio_s": wire / (samples / 24000)}
    return out


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--turns", type=int, default=30)
    args = p.parse_args(argv)
    res = measure(args.turns)
    print(f"{'transport':<10}{'events':>8}{'cb→socket p50':>16}{'p99':>10}{'last audio→end p50':>22}{'max':>10}")
    for name, r in res.items():
        if name == "audio":
            continue
        print(f"{name:<10}{r['events']:>8}{r['p50_ms']:>13.3f} ms{r['p99_ms']:>7.3f} ms"
              f"{r['tail_p50_ms']:>19.3f} ms{r['tail_max_ms']:>7.3f} ms")
    sse = res["sse"].get("bytes_per_audio_s")
    if sse:
        print(f"SSE body: {sse:,.0f} bytes per second of reply audio (PCM 48,000; base64 of it 64,000)")
    print("goals: p50 <= 2 ms; last audio -> end of stream <= 20 ms (the reference server: 2000 ms)")
    print(f"\n{'reply audio':<17}{'pieces':>8}{'cb→client p50':>16}{'p99':>10}{'wire bytes per s of audio':>28}")
    for name, r in res["audio"].items():
        print(f"{name:<17}{r['pieces']:>8}{r['p50_ms']:>13.3f} ms{r['p99_ms']:>7.3f} ms"
              f"{r['wire_bytes_per_audio_s']:>28,.0f}")
    print("(raw PCM16 at 24 kHz is 48,000 bytes per second; base64 in JSON adds a third)")
    return res


if __name__ == "__main__":
    main()
