"""The page's video call in headless Chromium: fake camera and fake microphone, sim engine.

The sim engine's duplex steps report what they received, in order ("1 frame 448×448, 1.0 s
of audio"), in each step's stats; the page keeps them (omniDebug.steps), so the test sees
that frames reached the engine about once a second, each just before its second of audio.
"""
from __future__ import annotations

import re

from test_browser_chat import (  # noqa: F401 (fixtures)
    assert_no_console_errors, browser, expect, launch, open_page, playwright, server_factory, speech_then_silence,
)

FRAME_THEN_AUDIO = re.compile(r"^1 frame 448×448, (\d+\.\d) s of audio$")
AUDIO_ONLY = re.compile(r"^(\d+\.\d) s of audio$")


def test_video_call_duplex(server_factory, open_page, playwright):
    srv = server_factory(mode="duplex", media_type="omni", reply_tokens=20)
    b = launch(playwright, speech_then_silence("video_mic.wav", 1, 4))
    try:
        p = open_page(srv.url, b=b)
        echo = p.debug(".player.echoPath")
        print("echo path:", echo)
        # Chromium: the reply plays through an RTC loopback so its echo canceller hears it.
        assert echo["wanted"] == "loopback" and echo["kind"] == "loopback" and echo["safe"], echo
        expect(p.page.locator("#headphones-hint")).to_be_hidden()

        p.page.click("#video-call")
        expect(p.page.locator("#self-view")).to_be_visible()
        p.wait("document.getElementById('self-view').videoWidth > 0")
        p.page.click("#duplex")
        p.wait("omniDebug.duplex.state === 'listening'")
        # >= 5 s of call with the camera on: steps whose input was a frame, then its audio.
        p.wait("omniDebug.steps.filter((s) => /^1 frame/.test(s.received || '')).length >= 5", timeout=30_000)
        p.wait("document.querySelectorAll('.turn.assistant').length > 0 && "
               "/saw a 448 by 448 image/.test(document.querySelector('.turn.assistant').textContent)", timeout=30_000)
        steps = p.debug(".steps")
        with_frame = [s for s in steps if s["received"] and FRAME_THEN_AUDIO.match(s["received"])]
        assert len(with_frame) >= 5, steps
        # no step ever got two frames, or a frame after its audio
        assert all(s["received"] is None or "frames" not in s["received"] and not s["received"].endswith("448")
                   for s in steps), steps
        span_s = (with_frame[-1]["at"] - with_frame[0]["at"]) / 1000
        rate = (len(with_frame) - 1) / span_s
        print(f"{len(with_frame)} steps with a frame over {span_s:.1f} s: {rate:.2f} frames/s; steps: "
              f"{[s['received'] for s in steps]}")
        assert 0.6 < rate < 1.6, (rate, steps)
        video = p.debug(".video")
        print("video:", video)
        assert video["server"]["frames_prefilled"] >= 5 and video["sent"] >= 5, video
        expect(p.page.locator("#video-state")).to_contain_text("frames sent")
        p.screenshot("video_call_en.png")

        # Camera off mid-call: the duplex conversation goes on with audio only.
        p.page.click("#video-call")
        expect(p.page.locator("#self-view")).to_be_hidden()
        n = len(p.debug(".steps"))
        p.wait(f"omniDebug.steps.slice({n + 1}).filter((s) => /^\\d+\\.\\d s of audio$/.test(s.received || '')).length >= 3",
               timeout=20_000)
        later = p.debug(f".steps.slice({n + 1})")
        assert all(AUDIO_ONLY.match(s["received"]) for s in later if s["received"]), later
        assert p.debug(".duplex")["on"] and p.debug(".video")["on"] is False
        p.page.click("#duplex")
        p.wait("omniDebug.duplex.state === 'idle'")
        assert_no_console_errors(p)
    finally:
        b.close()


def test_video_call_simplex(server_factory, open_page):
    """Simplex: the camera's latest frame goes with the utterance."""
    srv = server_factory(media_type="omni", reply_tokens=20)
    p = open_page(srv.url)
    p.page.click("#video-call")
    expect(p.page.locator("#self-view")).to_be_visible()
    p.wait("document.getElementById('self-view').videoWidth > 0")
    p.speak(1.2)
    t = p.wait_turn(1)
    assert t["reason"] == "completed", t
    expect(p.page.locator(".turn.assistant").first).to_contain_text("saw a 448 by 448 image")
    assert_no_console_errors(p)


def test_camera_denied_is_explained(server_factory, playwright):
    """No camera permission: the page says so in words and the call can go on without it."""
    srv = server_factory(media_type="omni")
    b = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                   args=["--no-sandbox", "--disable-gpu", "--use-fake-device-for-media-stream",
                                         "--autoplay-policy=no-user-gesture-required"])
    try:
        ctx = b.new_context()  # no permission granted and no fake-UI auto-accept: getUserMedia is denied
        page = ctx.new_page()
        page.goto(f"{srv.url}/?lang=zh")
        page.wait_for_function("window.omniDebug && omniDebug.state === 'ready'")
        page.click("#video-call")
        page.wait_for_function("omniDebug.video.error !== null")
        assert page.evaluate("omniDebug.video.error") == "denied"
        expect(page.locator("#error")).to_contain_text("摄像头权限被拒绝")
        expect(page.locator("#self-view")).to_be_hidden()
    finally:
        b.close()
