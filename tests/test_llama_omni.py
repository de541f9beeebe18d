"""The "llama-omni" engine through omni_py, on tiny generated model sets (models/tiny.py).

Runs when the loaded libomni_c has the engine (built or installed with LLAMA_OMNI_DIR; the
llama.cpp-omni tree itself is not needed at run time); otherwise every test skips and says
why. Scripted tiers reply "Hi" (and 36 speech tokens per TTS chunk); the random "text" tier
talks until n_predict. Timings are printed (pytest -s), not asserted, except the
interrupt latency (500 ms).
"""
from __future__ import annotations

import glob
import io
import os
import re
import resource
import shutil
import subprocess
import sys
import time
import wave
from pathlib import Path

import numpy as np
import pytest

import omni_py

if "llama-omni" not in omni_py.engines():
    print(f"the loaded libomni_c has no llama-omni engine (engines: {omni_py.engines()})")
    pytest.skip(f"the loaded libomni_c has no llama-omni engine (engines: {omni_py.engines()}); build or install "
                "with LLAMA_OMNI_DIR set (and point OMNI_C_LIB at a build-tree library)", allow_module_level=True)
try:
    from models.tiny import ensure_tiny_models
except ImportError as e:  # pragma: no cover
    pytest.skip(f"models.tiny is unavailable ({e})", allow_module_level=True)

from conftest import DATA

VOICE = DATA / "voice_ref.wav"  # the suite's own voice reference (tests/make_test_data.py)


def engine(**options) -> omni_py.Engine:
    """A llama-omni engine speaking with the suite's voice reference unless told otherwise."""
    options.setdefault("ref_audio", str(VOICE))
    return omni_py.Engine("llama-omni", **options)


def tier(name: str, scripted: bool = True):
    try:
        return str(ensure_tiny_models(name, scripted=scripted, log=lambda *a: None))
    except Exception as e:  # generation needs gguf + disk (full tier ~0.7 GB)
        pytest.skip(f"tiny '{name}' model set unavailable: {e}")


def collect(turn, timeout=600):
    evs = list(turn.events(timeout=timeout))
    return evs, "".join(e.text for e in evs if e.type == "text")


def cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


@pytest.mark.parametrize("name,media,pcm", [("text", "audio", False), ("vision", "omni", False),
                                            ("tts", "audio", False), ("full", "audio", True)])
def test_turn_per_tier(name, media, pcm, speech_wav, image_jpg):
    md = tier(name)
    t0 = time.monotonic()
    with engine(model_dir=md, media_type=media, n_predict=64, temperature=0, seed=1) as eng:
        load = time.monotonic() - t0
        eng.prefill(audio=speech_wav)
        if media == "omni":
            eng.prefill(image=image_jpg)
        evs, text = collect(eng.generate())
        types = [e.type for e in evs]
        assert types[-1] == "turn_done" and evs[-1].reason == "completed"
        assert types.count("end_of_turn") == 1 and text == "Hi"  # special tokens stripped
        audio = [e for e in evs if e.type == "audio"]
        stats = evs[-2].stats
        if pcm:
            samples = np.concatenate([e.pcm for e in audio])
            assert samples.size > 0 and np.abs(samples).max() > 0 and audio[0].sample_rate == 24000
            assert types.index("turn_done") > max(i for i, t in enumerate(types) if t == "audio")
            assert stats["audio_done_signal"] == "t2w_flag"  # generation_done.flag, not the fallback
        print(f"\n[llama-omni {name}] load {load*1000:.0f} ms, first text {stats['first_text_ms']:.1f} ms, "
              f"TURN_DONE {stats['done_ms']:.1f} ms, tts_chunks {types.count('tts_chunk')}, "
              f"audio {sum(e.pcm.size for e in audio) / 24000:.2f} s")


def test_several_turns_reset_and_private_dir(speech_wav):
    md = tier("text")
    before = set(glob.glob("/tmp/omni-llama-*"))
    with engine(model_dir=md, n_predict=64) as eng:
        ours = set(glob.glob("/tmp/omni-llama-*")) - before
        assert len(ours) == 1 and oct(os.stat(ours.pop()).st_mode)[-3:] == "700"
        for _ in range(3):
            eng.prefill(audio=speech_wav)
            assert collect(eng.generate())[1] == "Hi"
        assert eng.info["history_rounds"] == 3
        eng.reset()
        eng.set_option("length_penalty", 1.3)
        eng.prefill(audio=speech_wav)
        evs, text = collect(eng.generate())
        assert text == "Hi" and evs[-1].reason == "completed"
    assert set(glob.glob("/tmp/omni-llama-*")) == before  # debug output removed with the engine


def test_interrupt_during_audio_then_next_turn(speech_wav):
    """Interrupt while token2wav still renders the reply: TURN_DONE < 500 ms, no busy spin after,
    the next turn completes with audio."""
    md = tier("full")
    with engine(model_dir=md, n_predict=64, temperature=0) as eng:
        eng.prefill(audio=speech_wav)
        turn = eng.generate()
        t_int = None
        for ev in turn.events(timeout=300):
            if ev.type == "audio" and t_int is None:
                t_int = time.monotonic()
                eng.interrupt()
            if ev.type == "turn_done":
                latency = time.monotonic() - t_int
                assert ev.reason == "interrupted"
        assert latency < 0.5, latency
        # Upstream alone: the TTS thread spins a core until the next decode. Here T2W is woken
        # to clear the break once its current window (real work, ~1 s here) is done.
        samples, t_quiet = [], None
        t_done = time.monotonic()
        while time.monotonic() - t_done < 15:
            c0, w0 = cpu_seconds(), time.monotonic()
            time.sleep(0.5)
            samples.append((cpu_seconds() - c0) / (time.monotonic() - w0))
            if samples[-1] < 0.2:
                t_quiet = time.monotonic() - t_done
                break
        print(f"\n[llama-omni interrupt] TURN_DONE {latency*1000:.0f} ms after interrupt; CPU (cores) per 0.5 s "
              f"after it: {[round(x, 2) for x in samples]}; quiet after {t_quiet} s")
        assert t_quiet is not None, samples
        eng.prefill(audio=speech_wav)
        evs, text = collect(eng.generate())
        assert evs[-1].reason == "completed" and text == "Hi" and any(e.type == "audio" for e in evs)


def test_interrupt_mid_decode(speech_wav):
    """Interrupt from the event callback at the first TEXT of a random model that would talk
    for 3000 tokens: the decode loop stops, TURN_DONE (interrupted) within 500 ms."""
    md = tier("text", scripted=False)
    seen: list = []
    box: dict = {}

    def on_event(ev):
        seen.append(ev)
        if ev.type == "text" and "t" not in box:
            box["t"] = time.monotonic()
            box["eng"].interrupt()  # allowed from the callback
        if ev.type == "turn_done" and "t" in box and "lat" not in box:
            box["lat"] = time.monotonic() - box["t"]

    with engine(on_event=on_event, model_dir=md, n_predict=3000, n_ctx=8192,
                        temperature=0, seed=3) as eng:
        box["eng"] = eng
        eng.prefill(audio=speech_wav)
        eng.generate()
        eng.wait(60)
        assert seen[-1].type == "turn_done" and seen[-1].reason == "interrupted"
        assert "end_of_turn" not in [e.type for e in seen] and box["lat"] < 0.5
        seen.clear()
        box["t"] = 0  # no interrupt this time
        eng.prefill(audio=speech_wav)
        eng.generate()
        eng.wait(120)
        assert seen[-1].reason == "completed" and [e.type for e in seen].count("end_of_turn") == 1


def test_duplex_listen(speech_wav):
    md = tier("text", scripted=False)
    with engine(model_dir=md, mode="duplex", listen_prob_scale=1000) as eng:
        for _ in range(2):  # every ~1 s step: the model (biased) chooses to listen
            eng.prefill(audio=speech_wav)
            types = [e.type for e in collect(eng.generate())[0]]
            assert "listen" in types and "end_of_turn" not in types and types[-1] == "turn_done"
        eng.set_option("listen_prob_scale", 1)  # unbiased: a random model speaks
        eng.prefill(audio=speech_wav)
        evs, _ = collect(eng.generate())
        assert evs[-1].type == "turn_done"


def test_duplex_steps_keep_pace_with_tts(speech_wav):
    """With TTS loaded, a duplex step that only listens ends at once, and a speaking step ends
    when its speech tokens are made (not after an idle timer); audio synthesized between
    steps arrives in a later step instead of being dropped."""
    md = tier("full")
    with engine(model_dir=md, mode="duplex", listen_prob_scale=1000) as eng:
        eng.prefill(audio=speech_wav)
        t0 = time.monotonic()
        evs, _ = collect(eng.generate())
        listen_ms = (time.monotonic() - t0) * 1000
        assert [e.type for e in evs][0] == "listen" and evs[-1].reason == "completed"
        assert listen_ms < 500, f"a listen step took {listen_ms:.0f} ms"
        eng.set_option("listen_prob_scale", 1)  # the random-ish model speaks now
        # token2wav's first window takes ~1.5 s on an idle 2-core CPU and many times that on a
        # busy one: keep stepping (as a client would, ~1 s of audio per step) until audio arrives
        audio_s, step_ms, deadline = 0.0, [], time.monotonic() + 180
        while time.monotonic() < deadline:
            eng.prefill(audio=speech_wav)
            t0 = time.monotonic()
            evs, _ = collect(eng.generate())
            step_ms.append((time.monotonic() - t0) * 1000)
            audio_s += sum(len(e.pcm) for e in evs if e.type == "audio") / 24000
            if audio_s > 0:
                break
        print(f"\nduplex with TTS: listen step {listen_ms:.0f} ms, speaking steps {[round(x) for x in step_ms]} ms, "
              f"{audio_s:.2f} s of audio delivered")
        assert audio_s > 0, "no audio reached any step"


def test_memory_flat_over_many_turns(speech_wav):
    """Hundreds of turns (with a reset every 50) do not grow the process: after warming up,
    RSS stays flat (printed; the bound is loose, for a shared machine)."""
    import sys

    sys.path.insert(0, os.path.dirname(__file__))
    from bench_binding import rss_mb

    with engine(model_dir=tier("text"), n_predict=64) as eng:
        points = []
        for i in range(300):
            eng.prefill(audio=speech_wav)
            collect(eng.generate())
            if i % 50 == 49:
                eng.reset()
            if i % 100 == 99:
                points.append(rss_mb())
    print(f"\nllama-omni text tier: RSS after 100/200/300 turns: {[round(p, 1) for p in points]} MB")
    assert points[-1] - points[0] < 20, points


def test_hazards_answered_with_status(tmp_path, speech_wav, image_jpg):
    import soundfile as sf
    md = tier("text")
    long_ref = tmp_path / "ref31.wav"
    sf.write(long_ref, np.zeros(31 * 16000, np.float32), 16000)
    with pytest.raises(omni_py.TooLarge, match="30 s"):
        engine(model_dir=md, ref_audio=str(long_ref))
    with pytest.raises(omni_py.ModelError, match="TTS"):
        engine(model_dir=md, use_tts=True)
    with pytest.raises(omni_py.ModelError):
        engine(model_dir=str(tmp_path / "none"))
    with engine(model_dir=md, n_predict=64, isolate="none") as eng:
        with pytest.raises(omni_py.Busy):  # libomni: one engine per process (isolate=process lifts it)
            engine(model_dir=md, isolate="none")
        with pytest.raises(omni_py.Unsupported):
            eng.prefill(image=image_jpg)  # audio-only: never reaches the vision encoder
        t = np.arange(31 * 16000) / 16000
        eng.prefill(audio=(0.1 * np.sin(2 * np.pi * 200 * t)).astype(np.float32), sample_rate=16000)
        evs, text = collect(eng.generate())
        assert text == "Hi" and evs[-1].reason == "completed"
        assert eng.info["split_audio_pieces"] == 2
        with pytest.raises(omni_py.StateError):
            eng.generate()  # nothing new prefilled


def test_images_judged_like_the_sim(speech_wav):
    """Every image case of tests/media_cases.py gets the same verdict on llama-omni as on the sim
    (tests/test_media_parity.py), and every accepted one goes through libomni's vision encoder."""
    from media_cases import image_cases

    md = tier("vision")
    expect = {"ok": None, "bad": omni_py.BadMedia, "too_large": omni_py.TooLarge, "empty": omni_py.InvalidArgument}
    with engine(model_dir=md, media_type="omni", n_predict=16, temperature=0, seed=1) as eng:
        for name, (data, verdict) in image_cases().items():
            try:
                eng.prefill(image=data)
                got = None
            except omni_py.OmniError as e:
                got = type(e)
            assert got is expect[verdict], f"{name}: {got} ({verdict} expected)"
            if got is None:
                eng.prefill(audio=speech_wav)
                evs, text = collect(eng.generate())
                assert text == "Hi" and evs[-1].reason == "completed", name  # a failed image fails the turn
                eng.reset()


def test_engine_resolves_the_model_folder_and_reports_it(tmp_path):
    """The engine owns the layout: of several LLM quantisations it takes Q4_K_M, then Q8_0, then
    F16, and omni_info() says which files it loaded."""
    src = tier("text", scripted=True)
    (tmp_path / "audio").mkdir()
    (tmp_path / "audio" / "MiniCPM-o-4_5-audio-F16.gguf").symlink_to(f"{src}/audio/MiniCPM-o-4_5-audio-F16.gguf")
    for quant in ("F16", "Q8_0"):
        (tmp_path / f"MiniCPM-o-4_5-{quant}.gguf").symlink_to(f"{src}/MiniCPM-o-4_5-Q4_K_M.gguf")
    with omni_py.Engine("llama-omni", model_dir=str(tmp_path), n_threads=1) as eng:
        files = eng.info["files"]
    assert files["llm"] == str(tmp_path / "MiniCPM-o-4_5-Q8_0.gguf")
    assert files["audio"] == str(tmp_path / "audio" / "MiniCPM-o-4_5-audio-F16.gguf")
    assert files["tts"] == "" and files["vision"] == ""  # none in this folder: text replies only


def test_load_progress_is_reported_while_the_engine_loads():
    """omni_create reports LOAD_PROGRESS (turn 0): the LLM's and the TTS model's loading from
    llama.cpp, then the unreported files, the system prompt, and 1000 when ready."""
    seen = []
    eng = omni_py.Engine("llama-omni", model_dir=tier("tts"), n_threads=2, use_tts="true",
                         on_event=lambda ev: seen.append((ev.type, ev.turn_id, ev.text, ev.index)))
    eng.close()
    progress = [(text, index) for typ, turn, text, index in seen if typ == "load_progress" and turn == 0]
    assert len(progress) == len(seen) >= 5, seen
    stages = [s for s, _ in progress]
    assert stages[0] == "llm" and stages[-1] == "ready" and "tts" in stages and "system_prompt" in stages, stages
    values = [i for _, i in progress]
    assert values == sorted(values) and values[-1] == 1000 and 0 <= values[0] < 500, values
    print(f"\n[llama-omni tts] load progress: {progress}")


def test_voice_reference_defaults_to_the_model_folder(tmp_path):
    """Without ref_audio, a default_ref_audio.wav in the model folder is the voice."""
    md = tmp_path / "models"
    md.mkdir()
    for item in Path(tier("text")).iterdir():  # the tiny set, linked, plus a voice of its own
        (md / item.name).symlink_to(item)
    (md / "default_ref_audio.wav").symlink_to(VOICE)
    with omni_py.Engine("llama-omni", model_dir=str(md), n_predict=64) as eng:
        assert eng.info["files"]["ref_audio"] == str(md / "default_ref_audio.wav")


def test_no_voice_reference_is_a_clear_error(tmp_path):
    """A libomni_c with no default voice beside it (built from a tree without the WAV) and a
    model folder without one: creating the engine says what to do, and the process goes on."""
    if not Path("/proc/self/maps").exists():
        print("skip: needs /proc/self/maps to find the loaded llama.cpp-omni libraries")
        pytest.skip("needs /proc/self/maps (Linux) to find the loaded llama.cpp-omni libraries")
    from omni_py import _library

    lib = Path(_library.load()[2])
    if not (lib.parent / "default_ref_audio.wav").exists():
        print(f"note: {lib.parent} has no default_ref_audio.wav; testing that library as it is")
    alone = tmp_path / "lib"
    alone.mkdir()
    shutil.copy2(lib, alone / lib.name)  # the library alone, its voice left behind
    upstream_dirs = {str(Path(line.split()[-1]).parent) for line in Path("/proc/self/maps").read_text().splitlines()
                     if re.search(r"/lib(omni|llama|ggml[\w-]*)\.(so|dylib)", line)}
    script = ("import omni_py\n"
              f"try:\n    omni_py.Engine('llama-omni', model_dir={tier('text')!r})\n"
              "except omni_py.ModelError as e:\n    print('ERROR', e)\n"
              "print('ENGINES', omni_py.engines())\n")
    env = dict(os.environ, OMNI_C_LIB=str(alone / lib.name), LD_LIBRARY_PATH=os.pathsep.join(sorted(upstream_dirs)),
               PYTHONPATH=str(DATA.parent.parent))
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert "ERROR" in out.stdout, out.stdout + out.stderr
    message = out.stdout.split("ERROR", 1)[1]
    assert "no voice reference" in message and "ref_audio" in message and "default_ref_audio.wav" in message
    assert str(alone) in message  # says where it looked
    assert "ENGINES" in out.stdout and "llama-omni" in out.stdout.split("ENGINES", 1)[1]


def test_duplex_video_frames_with_audio(speech_wav, image_jpg):
    """Omni duplex on the vision tier, as a video call feeds it: each step a camera frame, then
    its second of audio (one stream_prefill_from_memory call, frame first); every step ends
    without an error, and its stats count the frame."""
    md = tier("vision")
    with wave.open(io.BytesIO(speech_wav)) as w:
        rate = w.getframerate()
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").reshape(-1, w.getnchannels())[:, 0]
    with omni_py.Engine("llama-omni", model_dir=md, mode="duplex", media_type="omni") as eng:
        t0 = time.monotonic()
        for step in range(4):
            second = pcm[(step % max(1, len(pcm) // rate)) * rate:][:rate]
            eng.prefill(image=image_jpg)
            eng.prefill(audio=second, sample_rate=rate)
            evs, text = collect(eng.generate())
            types = [e.type for e in evs]
            assert "error" not in types and types[-1] == "turn_done" and evs[-1].reason == "completed", types
            assert evs[-2].stats["prefill_images"] == 1, evs[-2].stats
        print(f"\n[llama-omni vision duplex] 4 steps with a frame and 1 s of audio each in "
              f"{(time.monotonic() - t0) * 1000:.0f} ms")


def test_truncate_rewinds_the_kv_cache_to_the_words_heard(speech_wav):
    """omni_truncate on the real engine: the model's context (KV cache) is cut at the end of
    the words heard and the turn closed there (<|interrupt|><|im_end|>\\n<|im_start|>user\\n)."""
    md = tier("full")  # scripted "Hi", with token2wav so the turn has audio to cut by
    with omni_py.Engine("llama-omni", model_dir=md, n_predict=64, temperature=0, seed=1) as eng:
        cuts = []
        for played in ("nothing", "half"):
            eng.prefill(audio=speech_wav)
            turn = eng.generate()
            evs, text = collect(turn)
            chunks = [e for e in evs if e.type == "tts_chunk"]
            audio_ms = sum(e.pcm.size for e in evs if e.type == "audio") / 24
            before = eng.info
            reply = before["last_reply_kv"]
            assert reply["turn"] == turn.id and text == "Hi" and chunks and audio_ms > 0
            start, end0 = reply["start"], reply["chunk_ends"][0]
            assert start < end0 < before["kv_position"]
            played_ms = 0 if played == "nothing" else min(audio_ms, chunks[0].n_speech_tokens * 40) / 2
            heard = eng.truncate(turn.id, played_ms)
            after = eng.info
            fraction = played_ms / (chunks[0].n_speech_tokens * 40)
            assert heard == ("" if played == "nothing" else "Hi"[:round(fraction * 2)])
            # the KV cut falls where the words heard end, in proportion within their text chunk
            expect_cut = start + round(len(heard) / reply["text_ends"][0] * (end0 - start) + 1e-9)
            assert after["last_reply_kv"]["cut_at"] == expect_cut, (reply, after["last_reply_kv"], heard)
            assert expect_cut < end0  # the reply's unheard tokens left the KV cache
            cuts.append((before["kv_position"], expect_cut, after["kv_position"]))
            print(f"\n[llama-omni truncate {played}] KV {before['kv_position']} -> cut at {expect_cut} "
                  f"-> {after['kv_position']} after closing the turn (reply started at {start})")
        closing = cuts[0][2] - cuts[0][1]  # <|interrupt|><|im_end|>\n<|im_start|>user\n
        assert 0 < closing <= 12
        for _kv_before, cut, kv_after in cuts:
            assert kv_after == cut + closing  # the KV position moved back to the cut, plus the closing tokens
