"""The seed demo's own browser page, unchanged, against omni-server (`--static`).

The page ships with a user's llama.cpp-omni tree (tools/omni/app/static); it is read from
$LLAMA_OMNI_DIR, never copied. Headless Chromium with a fake microphone (the launch flags of
test_browser_chat.py) presses its record and send buttons; the page then reads omni's SSE
stream with its own line parser, shows the reply text, plays the audio and prints its stats
(first response, audio seconds, RTF), which the test reads back.
"""
from __future__ import annotations

import math
import os
import re
from pathlib import Path

import pytest

from test_browser_chat import CHROMIUM, DATA, Server, launch, sync_playwright

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is missing (apt-get install chromium)"),
    pytest.mark.skipif(sync_playwright is None, reason="the playwright Python package is missing"),
]

READY = "引擎就绪"  # "engine ready", the page's status once /health says initialized
DONE = "完成"       # "done", its status after the reply has played


def demo_page_dir() -> Path:
    root = os.environ.get("LLAMA_OMNI_DIR")
    if not root:
        reason = "LLAMA_OMNI_DIR is not set: the seed demo's page comes from a llama.cpp-omni tree"
    elif not (Path(root) / "tools/omni/app/static/index.html").is_file():
        reason = f"{root}/tools/omni/app/static/index.html is missing (not a llama.cpp-omni tree with the demo)"
    else:
        return Path(root) / "tools/omni/app/static"
    print(reason)
    pytest.skip(reason)


def engine_options(kind: str) -> dict:
    if kind == "sim":
        return {"reply_tokens": 12}
    import omni_py

    if "llama-omni" not in omni_py.engines():
        reason = f"the loaded libomni_c has no llama-omni engine (engines: {omni_py.engines()})"
        print(reason)
        pytest.skip(reason)
    from models.tiny import ensure_tiny_models

    try:
        return {"engine": "llama-omni", "model_dir": ensure_tiny_models("full", scripted=True, log=lambda *a: None),
                "ref_audio": DATA / "voice_ref.wav"}
    except Exception as e:  # ~0.7 GB of generated files
        print(f"the tiny 'full' model set could not be generated: {e}")
        pytest.skip(f"the tiny 'full' model set could not be generated: {e}")


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.mark.parametrize("kind", ["sim", "llama-omni"])
def test_seed_demo_page_talks_to_omni(kind, browser):
    page_dir = demo_page_dir()
    server = Server(static=page_dir, **engine_options(kind)).start()
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        problems: list[str] = []
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status} {r.url}"))
        page.goto(server.url + "/")
        status = page.locator("#status")
        page.wait_for_function(f"document.getElementById('status').textContent.includes('{READY}')")

        page.click("#btnRecord")
        # the page records in 4096-sample blocks at 16 kHz: 6 blocks = 1.5 s of the fake microphone
        page.wait_for_function("recordedChunks.length >= 6")
        page.click("#btnStop")
        page.wait_for_function(f"document.getElementById('status').textContent.startsWith('{DONE}')",
                               timeout=120_000)

        reply = page.locator("#chat .assistant").first.text_content()
        audio_s = float(re.sub(r"[^0-9.]", "", page.locator("#statAudio").text_content()))
        rtf = float(page.locator("#statRTF").text_content())
        first = page.locator("#statTTFA").text_content()
        print(f"\n[seed demo page, {kind}] reply {reply!r}; page stats: first response {first}, "
              f"audio {audio_s:.1f} s, RTF {rtf:.2f}; status {status.text_content()!r}")
        assert (reply == "Hi") if kind == "llama-omni" else ("I heard" in reply), reply
        assert audio_s > 0 and math.isfinite(rtf) and rtf > 0
        assert not problems, problems

        page.click("#btnReset")  # 新对话 "new conversation": POST /omni/reset
        page.wait_for_function("document.getElementById('status').textContent.includes('对话已重置')")
        assert not problems, problems
    finally:
        ctx.close()
        server.stop()
