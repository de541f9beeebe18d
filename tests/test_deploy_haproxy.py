"""Many omni-servers behind a real HAProxy (deploy/haproxy/): conversations queue instead of
getting 409, WebSockets and REST sessions stay on their backend, a killed backend costs only
its own client, SIGTERM drains, and throughput grows with the backends (numbers printed).

Real processes on loopback ports the OS picks; the sim engine with ~1.2 s turns."""
from __future__ import annotations

import json
import math
import queue
import shutil
import socket
import statistics
import subprocess
import sys
import time

import pytest
import requests
import soundfile as sf
import websocket

from deploy_cluster import (AUTH, REALTIME_PATH, ROOT, Backend, Balancer, Running, chat, haproxy_path, realtime,
                            render, rest_flow, run_all, sigkill, sigterm, start_backends)

if haproxy_path() is None:
    print("SKIP test_deploy_haproxy: haproxy is not installed (Debian: apt-get install haproxy)")
    pytest.skip("haproxy is not installed (Debian: apt-get install haproxy)", allow_module_level=True)

WAV = (ROOT / "tests/data/speech_en.wav").read_bytes()
_pcm, _rate = sf.read(str(ROOT / "tests/data/speech_en_2.wav"), dtype="int16")
assert _rate == 16000
PCM16 = _pcm.astype("<i2").tobytes()


@pytest.fixture(scope="module")
def cluster():
    backends = start_backends(3)
    yield backends
    for b in backends:
        b.stop()


@pytest.fixture
def balancers(tmp_path):
    made = []

    def make(backends, **kw):
        made.append(Balancer(tmp_path, backends, **kw))
        return made[-1]

    yield make
    for lb in made:
        lb.close()


def restart(cluster, victim: Backend) -> Backend:
    """The same backend again on its port (a supervisor restarting it)."""
    victim.stop()
    again = Backend(victim.name, port=victim.port).start().wait_ready()
    cluster[cluster.index(victim)] = again
    return again


def assert_clean(outcomes):
    for o in outcomes:
        assert o.status == 200 and o.error is None, (o.kind, o.status, o.error)
        assert o.completed, (o.kind, o.events[-1:])
        assert o.status != 409


def test_15_conversations_queue_on_3_backends(cluster, balancers):
    lb = balancers(cluster)
    one_chat = chat(lb.url, WAV)
    one_ws = realtime(lb.url, PCM16)
    assert_clean([one_chat])
    assert one_ws.completed, one_ws.error
    jobs = [lambda: chat(lb.url, WAV)] * 9 + [lambda: realtime(lb.url, PCM16)] * 6
    t0 = time.monotonic()
    outcomes = run_all(jobs)
    wall = time.monotonic() - t0
    for o in outcomes:
        assert o.error is None and o.completed, (o.kind, o.status, o.error)
        assert o.status in (None, 200)  # never 409: the balancer queued them
    # Each /v1/chat is its own conversation (--one-shot-chat): nobody hears another's turns.
    assert all(o.text.startswith("Turn 1.") for o in outcomes), [o.text[:8] for o in outcomes]
    per_backend = {b.name: sum(o.backend == b.name for o in outcomes) for b in cluster}
    assert sum(per_backend.values()) == 15 and all(per_backend.values()), per_backend
    single = statistics.mean([one_chat.ended - one_chat.started, one_ws.ended - one_ws.started])
    expected = math.ceil(15 / 3) * single
    stats = lb.stats()
    print(f"\n9 /v1/chat + 6 WebSocket conversations on 3 backends: wall {wall:.2f} s; one alone takes "
          f"{single:.2f} s, so 5 rounds of queueing ≈ {expected:.2f} s; per backend {per_backend}; "
          f"HAProxy served {sum(int(s['stot']) for s in stats.values())} requests in all, 0 got 409")


def test_throughput_grows_with_backends(cluster, balancers):
    n_conv = 6
    rows = []
    for n in (1, 2, 3):
        lb = balancers(cluster[:n])
        t0 = time.monotonic()
        outcomes = run_all([lambda: chat(lb.url, WAV)] * n_conv)
        wall = time.monotonic() - t0
        assert_clean(outcomes)
        assert {o.backend for o in outcomes} == {b.name for b in cluster[:n]}
        rows.append((n, wall, n_conv / wall * 60))
        lb.close()
    print(f"\nthroughput, {n_conv} concurrent /v1/chat conversations (~1.2 s turns each):")
    print("| backends | wall (s) | conversations/min | vs 1 backend |")
    print("|---|---|---|---|")
    for n, wall, cpm in rows:
        print(f"| {n} | {wall:.2f} | {cpm:.0f} | {cpm / rows[0][2]:.2f}x |")


def test_rest_flow_is_pinned_by_session_or_address(cluster, balancers):
    lb = balancers(cluster[:2])
    # A stop that names no conversation of its own is not sent to a stranger's backend.
    r = requests.post(lb.url + "/omni/stop", headers=AUTH)
    assert r.status_code == 409 and r.json()["error"]["code"] == "not_pinned", r.text
    # Two REST sessions at once: each stays on one backend for its three requests.
    (b1, o1), (b2, o2) = run_all([lambda: rest_flow(lb.url, WAV, "session-one"),
                                  lambda: rest_flow(lb.url, WAV, "session-two")])
    assert len(set(b1)) == 1 and len(set(b2)) == 1 and b1[0] != b2[0], (b1, b2)
    assert o1.completed and o2.completed and o1.text.startswith("Turn 1.") and o2.text.startswith("Turn 1.")
    # The seed README's client (no header, no cookies) is pinned by its address.
    b3, o3 = rest_flow(lb.url, WAV, None)
    assert len(set(b3)) == 1 and o3.completed, b3
    # A session the backends do not hold gets a clear error, never someone's conversation.
    r = requests.post(lb.url + "/omni/streaming_generate", headers={**AUTH, "X-Omni-Session": "never-started"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "session_expired", r.text
    print(f"\nREST pinning: session-one on {b1[0]}, session-two on {b2[0]}, address-pinned client on {b3[0]}")


def test_queue_timeout_is_a_503_in_the_error_envelope(cluster, balancers):
    lb = balancers(cluster[:1], queue_timeout="1s")
    ws = websocket.create_connection(lb.url.replace("http", "ws") + REALTIME_PATH, timeout=10,
                                     header=[f"{k}: {v}" for k, v in AUTH.items()])
    try:
        ws.recv()  # the session event: the backend's one slot is taken for the socket's life
        t0 = time.monotonic()
        r = requests.post(lb.url + "/v1/chat", data=WAV, headers={"Content-Type": "audio/wav", **AUTH})
        waited = time.monotonic() - t0
    finally:
        ws.close()
    assert r.status_code == 503 and r.headers["Content-Type"] == "application/json", (r.status_code, r.text)
    assert r.json()["error"]["code"] == "no_free_backend" and r.headers.get("Retry-After") == "5"
    assert_clean([chat(lb.url, WAV)])  # and the backend serves the next one
    # No backend up at all: said at once, not after the queue timeout.
    dead = socket.create_server(("127.0.0.1", 0))
    nobody = Backend("nobody", port=dead.getsockname()[1])
    dead.close()
    lb2 = balancers([nobody], wait_up=False)
    lb2.wait_status({"nobody": "DOWN"})
    r = requests.post(lb2.url + "/v1/chat", data=WAV, headers={"Content-Type": "audio/wav", **AUTH})
    assert r.status_code == 503 and r.json()["error"]["code"] == "no_backend", r.text
    print(f"\nqueue timeout 1s: 503 no_free_backend after {waited:.2f} s; no backend up: 503 no_backend at once")


@pytest.mark.parametrize("victim_kind", ["chat", "websocket"])
def test_sigkill_costs_only_its_own_client_and_the_backend_comes_back(cluster, balancers, victim_kind):
    lb = balancers(cluster)
    speaking: queue.SimpleQueue = queue.SimpleQueue()
    # A /v1/chat and a WebSocket conversation speaking on two backends; the third is idle.
    first = Running([lambda: chat(lb.url, WAV, on_first_event=speaking.put),
                     lambda: realtime(lb.url, PCM16, on_first_event=speaking.put)])
    mid_turn = [speaking.get(timeout=30) for _ in range(2)]
    victim = next(b for b in cluster if b.name == next(o.backend for o in mid_turn if o.kind == victim_kind))
    sigkill(victim)
    t_kill = time.monotonic()
    new = Running([lambda: chat(lb.url, WAV)] * 2)  # sent at once: the dead backend's slot looks free
    t_down = lb.wait_status({victim.name: "DOWN"})
    lost, kept = sorted(first.results(), key=lambda o: o.kind != victim_kind)
    new = new.results()
    assert lost.backend == victim.name and not lost.completed and lost.done is None
    assert lost.error is not None and lost.ended - t_kill < 5  # an error, not a hang
    assert kept.completed and kept.error is None, (kept.kind, kept.error)
    assert_clean(new)
    assert victim.name not in {o.backend for o in new}
    waits = sorted(o.first_event - t_kill for o in new)
    print(f"\nSIGKILL of {victim.name} mid-turn: its {lost.kind} client saw {lost.error.split(':')[0]} "
          f"{lost.ended - t_kill:.2f} s after the kill, the other turn completed; HAProxy had it DOWN after "
          f"{t_down:.2f} s; 2 conversations sent right after the kill went to {sorted(o.backend for o in new)}, "
          f"first reply text after {waits[0]:.2f} s (idle survivor) and {waits[1]:.2f} s (queued for a busy one)")
    # A supervisor restarts it on the same port: HAProxy takes it back.
    t0 = time.monotonic()
    again = restart(cluster, victim)
    t_ready = time.monotonic() - t0
    t_up = lb.wait_status({again.name: "UP"})
    back = run_all([lambda: chat(lb.url, WAV)] * 3)
    assert_clean(back)
    assert again.name in {o.backend for o in back}, ([(o.backend, o.started, o.first_event, o.ended) for o in back],
                                                     lb.stats(), "".join(lb.out.all))
    print(f"restart: the process was ready {t_ready:.2f} s after starting, HAProxy had it UP {t_up:.2f} s later, "
          "and it took one of the next 3 conversations")


def test_sigterm_drains_the_running_turn_and_new_conversations_go_elsewhere(cluster, balancers):
    lb = balancers(cluster)
    speaking: queue.SimpleQueue = queue.SimpleQueue()
    running = Running([lambda: chat(lb.url, WAV, on_first_event=speaking.put)])
    victim = next(b for b in cluster if b.name == speaking.get(timeout=30).backend)
    sigterm(victim)
    t_term = time.monotonic()
    new = Running([lambda: chat(lb.url, WAV)] * 4)
    t_down = lb.wait_status({victim.name: "DOWN"})
    (mine,) = running.results()
    new = new.results()
    try:
        code = victim.proc.wait(30)
    except subprocess.TimeoutExpired:
        raise AssertionError("the draining backend did not exit:\n" + "".join(victim.out.all)[-3000:]) from None
    t_exit = time.monotonic() - t_term
    assert mine.completed and mine.backend == victim.name, (mine.error, mine.events[-1:])
    assert_clean(new)
    assert victim.name not in {o.backend for o in new}, [o.backend for o in new]
    assert code == 0
    victim.out.wait_for(r"drained; stopping", 5)
    t_drained = victim.out.seen(r"drained; stopping") - t_term
    print(f"\nSIGTERM to {victim.name} mid-turn: HAProxy had it DOWN after {t_down:.2f} s; its turn completed "
          f"{mine.ended - t_term:.2f} s after the signal; it stopped serving at {t_drained:.2f} s and the process "
          f"exited 0 at {t_exit:.2f} s; the 4 conversations sent meanwhile went to {sorted({o.backend for o in new})}")
    restart(cluster, victim)
    lb.wait_status({victim.name: "UP"})


@pytest.fixture(scope="module")
def tls_cert(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 (openssl CLI): (PEM for HAProxy, CA file for clients)."""
    if shutil.which("openssl") is None:
        print("SKIP: the openssl command is not installed, so no test certificate can be made")
        pytest.skip("the openssl command is not installed, so no test certificate can be made")
    d = tmp_path_factory.mktemp("tls")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=omni-test",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(d / "key.pem"), "-out", str(d / "cert.pem")],
                   check=True, capture_output=True)
    (d / "haproxy.pem").write_bytes((d / "cert.pem").read_bytes() + (d / "key.pem").read_bytes())
    return d / "haproxy.pem", d / "cert.pem"


def test_the_template_renders_valid_configs_and_refuses_bad_input(tmp_path, tls_cert):
    for n in (1, 2, 8):
        cfg = tmp_path / f"{n}.cfg"
        cfg.write_text(render([f"10.0.0.{i}:9060" for i in range(1, n + 1)], bind=":443", tls_cert=str(tls_cert[0]),
                              token_env="OMNI_TOKEN"))
        check = subprocess.run([haproxy_path(), "-c", "-f", str(cfg)], capture_output=True, text=True,
                               env={"OMNI_TOKEN": "t"})
        assert check.returncode == 0, check.stdout + check.stderr
        assert cfg.read_text().count("maxconn 1 ") == 1 and cfg.read_text().count(" track ") == n
    # The committed example is the template's output, not a hand-edited copy.
    example = render(["127.0.0.1:9061", "127.0.0.1:9062", "127.0.0.1:9063"], token_env="OMNI_TOKEN")
    assert (ROOT / "deploy/haproxy/example.cfg").read_text() == example
    for bad, why in (([], "at least one"), (["10.0.0.1"], "not host:port"), (["h:1 h:2"], "not host:port")):
        with pytest.raises(ValueError, match=why):
            render(bad)
    with pytest.raises(ValueError, match="duration"):
        render(["h:1"], queue_timeout="two minutes")
    cli = subprocess.run([sys.executable, str(ROOT / "deploy/haproxy/render.py"), "nohost"], capture_output=True,
                         text=True)
    assert cli.returncode == 2 and "'nohost' is not host:port" in cli.stderr


def test_tls_terminates_at_the_balancer(cluster, balancers, tls_cert):
    pem, ca = tls_cert
    lb = balancers(cluster[:1], tls_cert=str(pem))
    url = lb.url.replace("http://", "https://")
    r = requests.get(url + "/health", headers=AUTH, verify=str(ca))
    assert r.status_code == 200 and r.json()["backend"] == cluster[0].name
    assert requests.get(url + "/health", verify=str(ca)).status_code == 401  # the token still applies
    ws = websocket.create_connection(url.replace("https", "wss") + REALTIME_PATH, sslopt={"ca_certs": str(ca)},
                                     header=[f"{k}: {v}" for k, v in AUTH.items()], timeout=10)
    try:
        assert json.loads(ws.recv())["type"] == "session"
    finally:
        ws.close()
    assert_clean([chat(url, WAV, verify=str(ca))])
