"""The browser voice chat page (webapp/static) in real headless Chromium.

Debian's chromium, driven by Playwright, with a fake microphone that plays a WAV from
tests/data in a loop. The server is the real one (`python -m webapp.cli --engine sim`) in a
subprocess on a free loopback port, so a restart is a real process restart. The page
exposes window.omniDebug (turn timelines, samples played by the playback worklet, …);
the tests wait on it instead of sleeping. Screenshots go to test-artifacts/.
"""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import wave
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
SPEECH_WAV = DATA / "speech_en.wav"
IMAGE_JPG = DATA / "picture.jpg"
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - reported as a skip below
    sync_playwright = None

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is missing (apt-get install chromium)"),
    pytest.mark.skipif(sync_playwright is None, reason="the playwright Python package is missing (pip install playwright)"),
]

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, **options):
        self.options = options
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self, until: str = "ready at") -> Server:
        """The real CLI (`python -m webapp.cli`), sim engine, sim options as --engine-option;
        returns when the server prints `until` ("ready at": listening with the engine loaded)."""
        opts = dict(self.options)
        cmd = [sys.executable, "-m", "webapp.cli", "--port", str(self.port), "--engine", opts.pop("engine", "sim"),
               "--language", opts.pop("language", "en"), "--media-type", opts.pop("media_type", "audio")]
        if "model_dir" in opts:
            cmd += ["--model-dir", str(opts.pop("model_dir"))]
        if "static" in opts:
            cmd += ["--static", str(opts.pop("static"))]
        if opts.pop("mode", "simplex") == "duplex":
            cmd.append("--duplex")
        for k, v in opts.items():
            cmd += ["--engine-option", f"{k}={v}"]
        env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        self.proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        out = []
        for line in self.proc.stdout:  # blocks until `until` or the process dies
            out.append(line)
            if until in line:
                return self
        raise RuntimeError(f"server did not start: {cmd}\n{''.join(out)}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        if self.proc and self.proc.stdout:
            self.proc.stdout.close()


@pytest.fixture
def server_factory():
    started: list[Server] = []

    def make(**options) -> Server:
        s = Server(**options).start()
        started.append(s)
        return s

    yield make
    for s in started:
        s.stop()


def fake_mic_args(wav: Path) -> list[str]:
    return ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required",
            "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={wav}"]


@pytest.fixture(scope="module")
def playwright():
    with sync_playwright() as p:
        yield p


def launch(playwright, wav: Path = SPEECH_WAV):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=fake_mic_args(wav))


@pytest.fixture(scope="module")
def browser(playwright):
    b = launch(playwright)
    yield b
    b.close()


class Page:
    """A page of the app plus the console errors it logged."""

    def __init__(self, browser, url: str, lang: str = "en"):
        self.ctx = browser.new_context(viewport={"width": 1000, "height": 760})
        self.page = self.ctx.new_page()
        self.console_errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        self.page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        self.page.on("response", lambda r: r.status >= 400 and self.console_errors.append(f"HTTP {r.status} {r.url}"))
        self.page.goto(f"{url}/?lang={lang}")
        self.wait("window.omniDebug && omniDebug.state === 'ready'")

    def wait(self, expr: str, timeout: float = 30_000, arg=None):
        try:
            return self.page.wait_for_function(expr, arg=arg, timeout=timeout).json_value()
        except Exception as e:  # say what the page was doing, not just "timeout"
            try:
                state = self.page.evaluate("""JSON.stringify({state: omniDebug.state, sent: omniDebug.sentSamples,
                    connects: omniDebug.connects, mic: omniDebug.mic, player: omniDebug.player, turns: omniDebug.turns,
                    errors: omniDebug.errors, status: document.getElementById('status').textContent})""")
            except Exception as e2:  # noqa: BLE001
                state = f"(no omniDebug: {e2})"
            raise AssertionError(f"waiting for {expr!r}: {e}\npage: {state}\nconsole: {self.console_errors}") from None

    def debug(self, expr: str = ""):
        return self.page.evaluate(f"JSON.parse(JSON.stringify(omniDebug{expr}))")

    def speak(self, seconds: float = 1.5, how: str = "space"):
        """Hold push-to-talk until `seconds` of microphone audio went out, then release."""
        start = self.debug(".sentSamples")
        if how == "space":
            self.page.keyboard.down("Space")
        else:
            self.page.locator("#talk").hover()
            self.page.mouse.down()
        self.wait(f"omniDebug.sentSamples >= {start + int(seconds * 16000)}")
        if how == "space":
            self.page.keyboard.up("Space")
        else:
            self.page.mouse.up()

    def wait_turn(self, n: int, timeout: float = 40_000) -> dict:
        """Wait until turn n (1-based) is finished: done, playback drained, page ready."""
        self.wait(f"""(() => {{ const t = omniDebug.turns[{n - 1}];
            return t && t.done && (t.drained || t.audio_ms === 0 || t.interrupted) && omniDebug.state === 'ready'; }})()""",
                  timeout=timeout)
        return self.debug(f".turns[{n - 1}]")

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self):
        self.ctx.close()


@pytest.fixture
def open_page(browser):
    pages: list[Page] = []

    def make(url: str, lang: str = "en", b=None) -> Page:
        p = Page(b or browser, url, lang)
        pages.append(p)
        return p

    yield make
    for p in pages:
        p.close()


def assert_no_console_errors(p: Page, allow: str | None = None):
    errors = [e for e in p.console_errors if not (allow and re.search(allow, e))
              and not e.startswith("Failed to load resource")]  # the URL is reported by the "response" hook
    assert not errors, f"console errors: {errors}"


# ---------------------------------------------------------------------------------------


def late_chunks(arrivals: list, rate: int = 24000) -> int:
    """Chunks ([ms, samples] as the page received them) that came after everything before them
    could have played, counting from the first chunk's arrival."""
    start, queued, late = arrivals[0][0], 0, 0
    for ms, samples in arrivals:
        late += ms > start + queued * 1000 / rate
        queued += samples
    return late


def test_full_turn_m4(server_factory, open_page):
    """Speak → streaming transcript → audio played → stats and timeline filled; then a 2nd turn."""
    srv = server_factory(timing="m4", reply_tokens=12)
    p = open_page(srv.url)
    expect(p.page.locator("#engine")).to_contain_text("simulator")
    expect(p.page.locator("#engine")).to_contain_text("turn-by-turn")
    expect(p.page.locator("#sim-hint")).to_be_visible()  # and how to get the real model
    expect(p.page.locator("#sim-hint")).to_contain_text("./run.sh --download")
    p.speak(1.5)
    # the transcript streams: text shows while the turn is still running
    p.wait("(() => { const t = omniDebug.lastTurn; return t && t.text.length > 0 && !t.done; })()")
    expect(p.page.locator(".turn.assistant").first).to_contain_text("Turn 1")
    t = p.wait_turn(1)
    assert t["reason"] == "completed" and not t["error"], t
    assert t["audio_ms"] > 1000, t
    player = p.debug(".player")
    assert player["running"] and player["contextRate"] == 24000
    # every received sample went through the playback worklet (gapless: no underruns)
    assert player["playedSamples"] >= player["receivedSamples"] > 0, player
    # The m4 preset makes speech barely faster than it plays (a 1 s window every ~975 ms), so on a
    # busy machine a chunk can reach the page after the audio before it has played out: then a
    # pause is right. Every chunk that came in time must play without one.
    late = late_chunks(t["arrivals"])
    print(f"m4 turn: arrivals {t['arrivals']}, {late} late, underruns {player['underruns']}")
    assert player["underruns"] <= late, (player, t["arrivals"])
    tl = t["timeline"]
    assert set(tl) == {"speech_end", "prefill", "first_text", "first_audio", "done"}, tl
    assert tl["speech_end"] == 0 <= tl["prefill"] <= tl["first_text"] <= tl["first_audio"], tl
    # m4: the engine's first audio comes ~2.8 s after generate; the page adds its jitter buffer
    assert 2000 < t["first_audio_ms"] < 8000, t
    assert t["rtf"] and 0.3 < t["rtf"] < 3, t
    turn = p.page.locator(".turn.assistant").first
    expect(turn.locator(".first-audio b")).to_have_text(re.compile(r"^\d+\.\d\d s$"))
    expect(turn.locator(".audio-dur b")).to_have_text(re.compile(r"^\d+\.\d\d s$"))
    expect(turn.locator(".rtf b")).to_have_text(re.compile(r"^\d+\.\d\d$"))
    expect(turn.locator(".timeline .legend span")).to_have_count(5)
    expect(p.page.locator("#status")).to_contain_text("Ready")
    print(f"\n[m4] first-audio latency shown by the page: {t['first_audio_ms']:.0f} ms "
          f"(engine first_audio_ms {t['stats']['first_audio_ms']:.0f}); audio {t['audio_ms'] / 1000:.2f} s; "
          f"RTF {t['rtf']:.2f}; timeline {tl}")
    shot = p.screenshot("turn_en.png")
    assert shot.stat().st_size > 10_000

    # multi-turn: the history grows, the server remembers (sim says "Turn 2")
    p.speak(1.0, how="mouse")
    t2 = p.wait_turn(2)
    assert t2["text"].startswith("Turn 2"), t2
    expect(p.page.locator(".turn.assistant")).to_have_count(2)
    expect(p.page.locator(".turn.user")).to_have_count(2)
    assert_no_console_errors(p)


def test_full_turn_real_engine(server_factory, open_page):
    """The page on the real llama.cpp-omni engine (tiny scripted "full" model set): the reply
    text and the engine's own PCM, played through the page."""
    import omni_py

    if "llama-omni" not in omni_py.engines():
        print("the real engine is not built (libomni_c without llama-omni)")
        pytest.skip("the real engine is not built (libomni_c without llama-omni; set LLAMA_OMNI_DIR when building)")
    from models.tiny import ensure_tiny_models

    try:
        model_dir = ensure_tiny_models("full", scripted=True, log=lambda *a: None)
    except Exception as e:  # ~0.7 GB of generated files
        pytest.skip(f"the tiny 'full' model set could not be generated: {e}")
    srv = server_factory(engine="llama-omni", model_dir=model_dir, ref_audio=DATA / "voice_ref.wav")
    p = open_page(srv.url)
    expect(p.page.locator("#engine")).not_to_contain_text("simulator")
    expect(p.page.locator("#sim-hint")).to_be_hidden()
    p.speak(1.5)
    t = p.wait_turn(1, timeout=120_000)
    assert t["reason"] == "completed" and t["text"] == "Hi", t
    assert t["audio_ms"] >= 2900, t  # the scripted set speaks 3.0 s
    player = p.debug(".player")
    assert player["playedSamples"] >= player["receivedSamples"] > 0, player
    print(f"\n[llama-omni, tiny full set] first audio shown by the page: {t['first_audio_ms']:.0f} ms; "
          f"audio {t['audio_ms'] / 1000:.2f} s; RTF {t['rtf']:.2f}")
    p.screenshot("turn_real_engine.png")
    assert_no_console_errors(p)


def test_chinese_ui(server_factory, open_page):
    srv = server_factory(reply_tokens=10)
    p = open_page(srv.url, lang="zh")
    assert p.page.evaluate("document.documentElement.lang") == "zh-CN"
    expect(p.page.locator("#talk")).to_contain_text("按住说话")
    expect(p.page.locator("#engine")).to_contain_text("模拟引擎")
    expect(p.page.locator("#sim-hint")).to_contain_text("真实模型")
    p.speak(1.0)
    t = p.wait_turn(1)
    assert t["first_audio_ms"] is not None
    expect(p.page.locator(".turn.assistant .first-audio")).to_contain_text("首响")
    expect(p.page.locator("#status")).to_contain_text("就绪")
    p.screenshot("turn_zh.png")
    # switching the language relabels the page in place
    p.page.select_option("#ui-lang", "en")
    expect(p.page.locator("#talk")).to_contain_text("Hold to talk")
    expect(p.page.locator(".turn.assistant .first-audio")).to_contain_text("First audio")
    assert_no_console_errors(p)


def test_barge_in(server_factory, open_page):
    """Stop while it talks flushes playback at once and reports what was heard; so does talking."""
    srv = server_factory(timing="m4", reply_tokens=40)
    p = open_page(srv.url)
    p.speak(1.0)
    # let ~0.5 s of the reply play
    p.wait("(() => { const t = omniDebug.lastTurn; return t && t.first_audio_ms !== null && omniDebug.player.playedSamples >= 12000; })()")
    expect(p.page.locator("#stop")).to_be_enabled()
    p.page.click("#stop")
    p.wait("omniDebug.lastTurn.interrupted && omniDebug.state === 'ready'", timeout=2000)
    player = p.debug(".player")
    assert player["buffered"] == 0 and player["playedAtFlush"] is not None, player
    t = p.debug(".lastTurn")
    assert 400 <= t["played_ms"] < t["audio_ms"], t
    # the server's `done` confirms the interrupt and echoes what was heard
    t = p.wait_turn(1)
    assert t["reason"] == "interrupted", t
    assert t["stats"]["played_ms"] == t["played_ms"], t
    # nothing more was played after the flush (late audio of the turn is dropped)
    n = p.debug(".player.progressReports")
    p.wait(f"omniDebug.player.progressReports >= {n + 3}")
    player = p.debug(".player")
    assert player["playedSamples"] == player["playedAtFlush"], player
    expect(p.page.locator(".turn.assistant .tag.interrupted")).to_be_visible()
    # what was not heard left the model's context: the server cut the reply (omni_truncate)
    # and says what it kept, a beginning of the reply as short as the audio played
    p.wait("omniDebug.turns[0].heard !== null", timeout=5000)
    heard, shown = p.debug(".turns[0].heard"), p.debug(".turns[0].text")
    assert 0 < len(heard) < len(shown) and shown.startswith(heard), (heard, shown)
    expect(p.page.locator(".turn.assistant .unheard").first).to_have_text(shown[len(heard):])  # greyed out

    # barge-in by talking: Space while the 2nd reply plays starts a new utterance at once
    p.speak(1.0)
    p.wait("(() => { const t = omniDebug.turns[1]; return t && t.first_audio_ms !== null; })()")
    assert f"I remember {len(heard)} characters" in p.debug(".turns[1].text")  # only what was heard
    p.page.keyboard.down("Space")
    p.wait("omniDebug.turns[1].interrupted && omniDebug.state === 'recording'", timeout=2000)
    start = p.debug(".sentSamples")
    p.wait(f"omniDebug.sentSamples >= {start + 16000}")
    p.page.keyboard.up("Space")
    p.wait("(() => { const t = omniDebug.turns[2]; return t && t.text.length > 0; })()")
    t2 = p.debug(".turns[1]")
    assert t2["interrupted"] and t2["played_ms"] > 0, t2
    p.page.keyboard.press("Escape")  # Esc = Stop
    p.wait("omniDebug.turns[2].interrupted && omniDebug.state === 'ready'", timeout=2000)
    assert_no_console_errors(p)


def test_reset(server_factory, open_page):
    srv = server_factory(reply_tokens=6)
    p = open_page(srv.url)
    p.speak(1.0)
    assert p.wait_turn(1)["text"].startswith("Turn 1")
    p.speak(1.0)
    assert p.wait_turn(2)["text"].startswith("Turn 2")
    p.page.click("#reset")
    expect(p.page.locator(".turn")).to_have_count(0)
    expect(p.page.locator("#status")).to_contain_text("New conversation")
    p.speak(1.0)
    t = p.wait_turn(3)
    assert t["text"].startswith("Turn 1"), t  # the server forgot the history
    expect(p.page.locator(".turn.assistant")).to_have_count(1)
    assert_no_console_errors(p)


def test_error_mid_turn(server_factory, open_page):
    """The engine fails mid-reply: the page says so in words and is usable again."""
    srv = server_factory(timing="m4", reply_tokens=30, fail_at_token=15)
    p = open_page(srv.url)
    p.speak(1.0)
    t = p.wait_turn(1)
    assert t["reason"] == "failed" and t["error"]["code"], t
    assert t["text"], t  # the part generated before the failure stays visible
    err = p.page.locator("#error")
    expect(err).to_be_visible()
    expect(err).to_contain_text("The engine failed while generating the reply")
    assert "{" not in err.inner_text()  # words, not raw JSON
    expect(p.page.locator(".turn.assistant .tag.failed")).to_be_visible()
    expect(p.page.locator("#talk")).to_be_enabled()
    p.screenshot("error_en.png")
    assert_no_console_errors(p)


def test_reconnect_after_restart(server_factory, open_page):
    """The server dies mid-turn: the page says the reply was lost, reconnects after the
    restart, and the next turn works."""
    srv = server_factory(timing="m4", reply_tokens=20)
    p = open_page(srv.url)
    p.speak(1.0)
    p.wait("omniDebug.state === 'thinking' || omniDebug.state === 'speaking'")
    srv.stop()
    expect(p.page.locator("#error")).to_contain_text("connection to the server was lost")
    p.wait("document.getElementById('status').dataset.key === 'status.reconnecting'")
    expect(p.page.locator("#talk")).to_be_disabled()
    srv.start()  # same port
    p.wait("omniDebug.connects >= 2 && omniDebug.state === 'ready'", timeout=20_000)
    expect(p.page.locator("#status")).to_contain_text("Reconnected")
    expect(p.page.locator(".turn.assistant .tag.failed")).to_be_visible()
    p.speak(1.0)
    t = p.wait_turn(2)
    assert t["reason"] == "completed" and t["text"].startswith("Turn 1"), t
    assert_no_console_errors(p, allow=r"WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource")


def test_image_omni(server_factory, open_page):
    srv = server_factory(media_type="omni", reply_tokens=6)
    p = open_page(srv.url)
    expect(p.page.locator("#image-controls")).to_be_visible()
    expect(p.page.locator("#engine")).to_contain_text("voice + images")
    # a file
    p.page.set_input_files("#image-file", str(IMAGE_JPG))
    expect(p.page.locator("#image-preview")).to_be_visible()
    p.speak(1.0)
    t = p.wait_turn(1)
    assert t["image"] and t["stats"]["prefill_images"] == 1, t
    expect(p.page.locator(".turn.user img.thumb")).to_have_count(1)
    expect(p.page.locator("#image-preview")).to_be_hidden()
    # a camera snapshot (Chromium's fake camera)
    p.page.click("#camera")
    expect(p.page.locator("#image-preview")).to_be_visible()
    p.speak(1.0)
    t = p.wait_turn(2)
    assert t["image"] and t["stats"]["prefill_images"] == 1, t
    # no image this time
    p.speak(1.0)
    t = p.wait_turn(3)
    assert not t["image"] and t["stats"]["prefill_images"] == 0, t
    p.screenshot("omni_en.png")
    assert_no_console_errors(p)


def test_audio_only_hides_image_input(server_factory, open_page):
    srv = server_factory(reply_tokens=4)
    p = open_page(srv.url)
    expect(p.page.locator("#image-controls")).to_be_hidden()
    expect(p.page.locator("#duplex")).to_be_hidden()


def test_insecure_context_message(server_factory, open_page, browser):
    """Opened from a LAN address over plain HTTP there is no microphone: say why and how to fix it."""
    srv = server_factory(reply_tokens=4)
    ctx = browser.new_context()
    ctx.add_init_script("Object.defineProperty(window, 'isSecureContext', { get: () => false });"
                        "Object.defineProperty(navigator, 'mediaDevices', { get: () => undefined });")
    page = ctx.new_page()
    page.goto(f"{srv.url}/?lang=en")
    warn = page.locator("#mic-warning")
    expect(warn).to_be_visible()
    expect(warn).to_contain_text(f"http://localhost:{srv.port}")
    expect(warn).to_contain_text("HTTPS")
    expect(page.locator("#talk")).to_be_disabled()
    ctx.close()


def speech_then_silence(name: str, repeats: int, silence_s: float) -> Path:
    """A fake-microphone WAV: the test speech clip, then a pause (Chromium loops it)."""
    ARTIFACTS.mkdir(exist_ok=True)
    out = ARTIFACTS / name
    with wave.open(str(SPEECH_WAV)) as w:
        rate, frames = w.getframerate(), w.readframes(w.getnframes())
    with wave.open(str(out), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(rate)
        w.writeframes(frames * repeats + b"\0\0" * int(rate * silence_s))
    return out


@pytest.fixture(scope="module")
def duplex_wav() -> Path:
    """Speech then a long pause: the duplex model answers in the pause."""
    return speech_then_silence("duplex_mic.wav", 2, 6)


def test_vad_hands_free(server_factory, open_page, playwright):
    """With voice detection on, a pause after speech sends the turn without any button."""
    srv = server_factory(reply_tokens=4)
    b = launch(playwright, speech_then_silence("vad_mic.wav", 1, 2.5))
    try:
        p = open_page(srv.url, b=b)
        p.page.check("#vad")
        expect(p.page.locator("#talk")).to_be_disabled()
        expect(p.page.locator("#status")).to_contain_text("just start speaking")
        t = p.wait_turn(1)
        assert t["reason"] == "completed" and 500 < t["user_ms"] < 3000, t
        assert t["first_audio_ms"] is not None
        p.wait("omniDebug.turns.length >= 2")  # the next loop of the clip starts another turn
        assert_no_console_errors(p)
    finally:
        b.close()


def test_duplex(server_factory, open_page, playwright, duplex_wav):
    srv = server_factory(mode="duplex", reply_tokens=10)
    b = launch(playwright, duplex_wav)
    try:
        p = open_page(srv.url, b=b)
        expect(p.page.locator("#duplex")).to_be_visible()
        expect(p.page.locator("#talk")).to_be_hidden()
        expect(p.page.locator("#engine")).to_contain_text("duplex")
        p.page.click("#duplex")
        p.wait("omniDebug.duplex.state === 'listening'")
        p.wait("omniDebug.duplex.state === 'speaking' && omniDebug.player.playedSamples > 0", timeout=30_000)
        expect(p.page.locator("#duplex-state")).to_contain_text("Model is speaking")
        expect(p.page.locator(".turn.assistant").first).to_contain_text("Turn 1")
        p.screenshot("duplex_en.png")
        p.page.click("#duplex")
        p.wait("omniDebug.duplex.state === 'idle'")
        assert_no_console_errors(p)
    finally:
        b.close()


def test_model_loading_progress(browser):
    """While the engine loads, /health carries its own progress (LOAD_PROGRESS events) and the
    page shows it with Talk disabled; then it is ready. The sim is told to take 6 s to load."""
    srv = Server(load_ms=6000, reply_tokens=4).start(until="listening at")
    try:
        page = browser.new_context().new_page()
        page.goto(f"{srv.url}/?lang=en")
        expect(page.locator("#loading")).to_be_visible()
        expect(page.locator("#status")).to_contain_text(re.compile(r"Loading the model… \d+%"))
        expect(page.locator("#talk")).to_be_disabled()
        first = int(re.search(r"(\d+)%", page.locator("#status").text_content()).group(1))
        # the percentage grows as the engine reports it (the page polls /health)
        page.wait_for_function("""(p) => { const m = /(\\d+)%/.exec(document.getElementById('status').textContent);
                                           return m && +m[1] > p && +m[1] <= 100; }""", arg=first, timeout=15_000)
        page.wait_for_function("omniDebug.state === 'ready'", timeout=30_000)
        expect(page.locator("#loading")).to_be_hidden()
        expect(page.locator("#talk")).to_be_enabled()
        expect(page.locator("#engine")).to_contain_text("simulator")
        page.context.close()
    finally:
        srv.stop()
