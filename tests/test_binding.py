"""omni_py over the sim engine: what a Python program sees."""
from __future__ import annotations

import hashlib
import io
import re
import threading
import time

import numpy as np
import pytest
import soundfile as sf

import omni_py
from omni_py import _library


def test_cdef_is_the_header_block():
    header = _library.header_path().read_text()
    cdef = _library.cdef_source(header)
    declared = set(re.findall(r"\b(omni_[a-z_0-9]+)\s*\(", cdef))
    assert {"omni_create", "omni_generate", "omni_interrupt", "omni_destroy", "omni_wait"} <= declared
    _, lib, _ = _library.load()
    for name in declared:  # every declared function resolves in the loaded library
        assert callable(getattr(lib, name)), name
    with pytest.raises(omni_py.OmniError, match="OMNI_CDEF_BEGIN"):
        _library.cdef_source("int omni_x(void);")


def test_names_come_from_the_header():
    """Event and status names are the library's, generated from omni_c.h's enums: a value
    added to the header is named everywhere without another list to update."""
    ffi, lib, _ = _library.load()
    declared = _library.event_names().declared()
    for value, constant in ffi.typeof("omni_event_type").elements.items():
        assert declared[value] == constant.removeprefix("OMNI_EVENT_").lower()
    assert _library.event_names()(999) == "unknown"
    for value, constant in ffi.typeof("omni_status").elements.items():
        assert _library.status_name(value) == constant
        if value:  # every error status has its exception class, numbered from the header
            cls = omni_py.errors.BY_NAME[constant]
            assert cls.status == value and isinstance(omni_py.errors.error_for(value, constant, "x"), cls)


def test_abi_major_mismatch_is_refused(monkeypatch):
    monkeypatch.setattr(_library, "_loaded", None)
    monkeypatch.setattr(_library, "ABI_MAJOR", 99)
    with pytest.raises(omni_py.OmniError, match=r"C ABI 1\.\d+, but this omni_py needs ABI 99"):
        _library.load()


def test_library_search_order(monkeypatch, tmp_path):
    monkeypatch.setenv("OMNI_C_LIB", str(tmp_path / "libx.so"))
    paths = _library.candidate_paths()
    assert paths[0] == tmp_path / "libx.so"
    assert paths[1].parent.name == "omni_py"
    assert any(p.parts[-3].startswith("build") and p.parts[-2] == "capi" for p in paths[2:])


def test_library_info():
    info = omni_py.library_info()
    assert info["abi"].startswith("1.") and "sim" in info["engines"]


def test_turn_events(speech_wav):
    with omni_py.Engine("sim") as eng:
        eng.prefill(audio=speech_wav)
        turn = eng.generate()
        events = list(turn.events(timeout=10))
    types = [e.type for e in events]
    assert types[-2:] == ["stats", "turn_done"]
    assert types.count("end_of_turn") == 1 and types.index("end_of_turn") > types.index("text")
    assert {"text", "tts_chunk", "audio"} <= set(types)
    assert [e.seq for e in events] == sorted(e.seq for e in events)
    assert all(e.turn_id == turn.id for e in events)
    text = "".join(e.text for e in events if e.type == "text")
    duration = sf.info(io.BytesIO(speech_wav)).duration
    assert text.startswith(f"Turn 1. I heard {duration:.1f} seconds of audio.")
    audio = [e for e in events if e.type == "audio"]
    assert all(e.sample_rate == 24000 and e.pcm.dtype == np.int16 for e in audio)
    assert [e.index for e in audio] == list(range(len(audio)))
    pcm = np.concatenate([e.pcm for e in audio]).astype(np.float32) / 32768
    assert np.sqrt(np.mean(pcm ** 2)) > 0.05  # audible
    stats = events[-2].stats
    assert stats["reason"] == "completed" and stats["audio_samples"] == len(pcm)
    assert events[-1].reason == "completed"


def test_deterministic(speech_wav):
    def run():
        with omni_py.Engine("sim") as eng:
            r = eng.chat(audio=speech_wav)
        return r["text"], hashlib.sha1(r["audio"].tobytes()).hexdigest()

    assert run() == run()


def test_audio_forms_agree(speech_wav):
    data, rate = sf.read(io.BytesIO(speech_wav), dtype="float32")
    stereo = np.stack([data, data], axis=1)
    flac = io.BytesIO()
    sf.write(flac, data, rate, format="FLAC")
    texts = set()
    for kwargs in ({"audio": speech_wav}, {"audio": data, "sample_rate": rate},
                   {"audio": (data * 32767).astype(np.int16), "sample_rate": rate},
                   {"audio": stereo, "sample_rate": rate}, {"audio": flac.getvalue()}):
        with omni_py.Engine("sim", reply_tokens=8) as eng:
            texts.add(eng.chat(**kwargs)["text"])
    assert len(texts) == 1, texts


def test_mp3_bytes(speech_wav):
    data, rate = sf.read(io.BytesIO(speech_wav), dtype="float32")
    buf = io.BytesIO()
    try:
        sf.write(buf, data, rate, format="MP3")
    except Exception as exc:  # libsndfile without MP3 support
        pytest.skip(f"soundfile cannot write MP3 here to make a test file: {exc}")
    with omni_py.Engine("sim", reply_tokens=8) as eng:
        assert eng.chat(audio=buf.getvalue())["text"].startswith("Turn 1. I heard ")


def test_image_in_omni_mode(speech_wav, image_jpg):
    with omni_py.Engine("sim", media_type="omni") as eng:
        eng.prefill(audio=speech_wav, image=image_jpg)
        text = eng.generate().collect(10)["text"]
    assert re.search(r"and saw a \d+ by \d+ image", text)


@pytest.mark.parametrize("call, exc, message", [
    (lambda e: e.prefill(audio=np.array([0.1, np.nan], np.float32), sample_rate=16000), omni_py.InvalidArgument,
     "sample 1 is not finite"),
    (lambda e: e.prefill(audio=np.zeros(0, np.float32), sample_rate=16000), omni_py.InvalidArgument, "empty"),
    (lambda e: e.prefill(audio=np.zeros(10, np.float32), sample_rate=0), omni_py.InvalidArgument, "0 Hz"),
    (lambda e: e.prefill(audio=np.zeros(10, np.float32), sample_rate=10**9), omni_py.InvalidArgument, "out of range"),
    (lambda e: e.prefill(audio=b"RIFF\x00\x00garbage"), omni_py.BadMedia, "not a decodable"),
    (lambda e: e.prefill(audio=b""), omni_py.InvalidArgument, "empty"),
    (lambda e: e.prefill(image=b"\xff\xd8\xff"), omni_py.Unsupported, "takes no images"),
    (lambda e: e.prefill(audio=np.zeros((2, 2, 2), np.float32), sample_rate=16000), ValueError, "1-D"),
    (lambda e: e.generate(), omni_py.StateError, "nothing was prefilled"),
    (lambda e: e.set_option("mode", "duplex"), omni_py.InvalidArgument, "fixed when the engine is created"),
    (lambda e: e.set_option("reply_tokens", "lots"), omni_py.InvalidArgument, "reply_tokens"),
    (lambda e: e.prefill(audio=np.zeros(16000 * 700, np.float32), sample_rate=16000), omni_py.TooLarge,
     "max_audio_seconds"),
])
def test_bad_input_is_a_clear_error_and_engine_keeps_working(call, exc, message, speech_wav):
    with omni_py.Engine("sim", reply_tokens=5) as eng:
        with pytest.raises(exc, match=message):
            call(eng)
        assert eng.chat(audio=speech_wav)["reason"] == "completed"


def test_bad_options():
    with pytest.raises(omni_py.InvalidArgument, match="unknown option 'colour'"):
        omni_py.Engine("sim", colour="blue")
    with pytest.raises(omni_py.InvalidArgument, match="one of simplex, duplex"):
        omni_py.Engine("sim", mode="triplex")
    with pytest.raises(omni_py.Unsupported, match="not compiled into"):
        omni_py.Engine("warp-drive")


def test_interrupt_is_fast_and_next_turn_works(speech_wav):
    with omni_py.Engine("sim", timing="m4", reply_tokens=100) as eng:
        eng.prefill(audio=speech_wav)
        turn = eng.generate()
        with pytest.raises(omni_py.StateError, match="still running"):
            eng.prefill(audio=speech_wav)
            eng.generate()
        events = turn.events(timeout=10)
        first = next(e for e in events if e.type == "text")
        t0 = time.monotonic()
        eng.interrupt()
        done = next(e for e in events if e.type == "turn_done")
        assert done.reason == "interrupted"
        assert time.monotonic() - t0 < 0.05
        assert first.turn_id == done.turn_id
        for opt in ("first_token_ms", "llm_ms_per_token", "tts_ms_per_token", "t2w_ms_per_window"):
            eng.set_option(opt, 0)
        r = eng.generate().collect(10)  # input prefilled during the running turn counts for the next
        assert r["reason"] == "completed" and r["text"].startswith("Turn 2.")


def test_reset_starts_a_new_conversation(speech_wav):
    with omni_py.Engine("sim", reply_tokens=5) as eng:
        assert eng.chat(audio=speech_wav)["text"].startswith("Turn 1.")
        assert eng.chat(audio=speech_wav)["text"].startswith("Turn 2.")
        eng.reset()
        assert eng.chat(audio=speech_wav)["text"].startswith("Turn 1.")


def test_callback_exception_never_reaches_c(speech_wav):
    def boom(ev):
        raise RuntimeError("consumer bug")

    with omni_py.Engine("sim", reply_tokens=5, on_event=boom) as eng:
        eng.prefill(audio=speech_wav)
        turn = eng.generate()
        eng.wait(10)
        assert eng.info["busy"] is False
        assert eng.callback_errors and isinstance(eng.callback_errors[0], RuntimeError)
        with pytest.raises(omni_py.StateError, match="on_event"):
            next(iter(turn))
        eng.prefill(audio=speech_wav)  # still works
        eng.generate()
        eng.wait(10)


def test_on_event_receives_every_event(speech_wav):
    seen = []
    with omni_py.Engine("sim", reply_tokens=5, on_event=seen.append) as eng:
        eng.prefill(audio=speech_wav)
        eng.generate()
        eng.wait(10)
    assert seen[-1].type == "turn_done" and seen[-1].reason == "completed"
    assert [e.seq for e in seen] == list(range(seen[0].seq, seen[0].seq + len(seen)))


def test_failure_event(speech_wav):
    with omni_py.Engine("sim", fail_at_token=3) as eng:
        r = eng.chat(audio=speech_wav)
    types = [e.type for e in r["events"]]
    assert r["reason"] == "failed" and types[-3:] == ["error", "stats", "turn_done"]
    assert "fail_at_token" in r["events"][-3].text


def test_close_mid_turn_and_after(speech_wav):
    eng = omni_py.Engine("sim", timing="m4")
    eng.prefill(audio=speech_wav)
    turn = eng.generate()
    eng.close()
    assert turn.wait(timeout=5).reason == "interrupted"
    eng.close()  # twice is fine
    with pytest.raises(omni_py.StateError, match="closed"):
        eng.prefill(audio=speech_wav)


def test_chinese_text_is_whole_utf8(speech_wav):
    with omni_py.Engine("sim", language="zh") as eng:
        r = eng.chat(audio=speech_wav)
    pieces = [e.text for e in r["events"] if e.type == "text"]
    assert len(pieces) > 3 and "\ufffd" not in "".join(pieces)
    assert r["text"].startswith("第1轮。我听到了")


def test_duplex_listens_then_speaks():
    loud = (0.3 * np.sin(np.arange(16000) * 0.05)).astype(np.float32)
    quiet = np.zeros(16000, np.float32)
    with omni_py.Engine("sim", mode="duplex") as eng:
        eng.prefill(audio=loud, sample_rate=16000)
        step = eng.generate().collect(5)
        assert [e.type for e in step["events"]][0] == "listen" and step["text"] == ""
        spoken = ""
        for _ in range(10):
            eng.prefill(audio=quiet, sample_rate=16000)
            step = eng.generate().collect(5)
            spoken += step["text"]
            if step["text"] == "" and spoken:
                break
        assert spoken.startswith("Turn 1. I heard 1.0 seconds of audio.")


def test_concurrent_threads_one_engine(speech_wav):
    """Several threads hammering one engine: each call either works or gets a clear StateError."""
    outcomes = []
    with omni_py.Engine("sim", reply_tokens=5) as eng:
        def worker():
            for _ in range(5):
                try:
                    eng.prefill(audio=speech_wav)
                    eng.generate()
                    outcomes.append("ok")
                except omni_py.StateError:
                    outcomes.append("busy")
                eng.wait(5)

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert eng.info["busy"] is False
    assert "ok" in outcomes and len(outcomes) == 20


def test_close_while_other_threads_use_the_engine(speech_wav):
    """close() waits for calls in flight (a server closing an engine that /health still reads)."""
    eng = omni_py.Engine("sim", timing="m4")
    eng.prefill(audio=speech_wav)
    eng.generate()
    errors, stop = [], threading.Event()

    def reader():
        while not stop.is_set():
            try:
                assert eng.info["kind"] == "sim"
            except omni_py.StateError as e:
                assert "closed" in str(e)
                return
            except BaseException as e:  # noqa: BLE001
                errors.append(e)
                return

    def waiter():
        try:
            eng.wait()  # blocked in C until close() interrupts the turn
        except omni_py.StateError:
            pass

    threads = [threading.Thread(target=reader) for _ in range(3)] + [threading.Thread(target=waiter)]
    for t in threads:
        t.start()
    eng.close()
    stop.set()
    for t in threads:
        t.join(5)
    assert not errors and not any(t.is_alive() for t in threads)


def test_close_from_on_event_is_refused(speech_wav):
    box = {}

    def on_event(ev):
        if ev.type == "text" and "engine" in box and "error" not in box:
            try:
                box["engine"].close()
            except omni_py.StateError as e:
                box["error"] = e

    with omni_py.Engine("sim", reply_tokens=5, on_event=on_event) as eng:
        box["engine"] = eng
        eng.prefill(audio=speech_wav)
        eng.generate()
        eng.wait(10)
    assert "on_event" in str(box["error"])


def test_truncate_cuts_what_was_not_heard(speech_wav):
    with omni_py.Engine("sim", reply_tokens=30) as eng:
        r = eng.chat(audio=speech_wav)
        chunks = [e for e in r["events"] if e.type == "tts_chunk"]
        turn = r["events"][0].turn_id
        with pytest.raises(omni_py.InvalidArgument):
            eng.truncate(turn, -5)
        with pytest.raises(omni_py.StateError, match="most recent"):
            eng.truncate(turn + 1, 0)
        # two chunks and half of the third were played
        played = 40 * (chunks[0].n_speech_tokens + chunks[1].n_speech_tokens + chunks[2].n_speech_tokens / 2)
        heard = eng.truncate(turn, played)
        assert heard == chunks[0].text + chunks[1].text + chunks[2].text[:round(len(chunks[2].text) / 2)]
        assert r["text"].startswith(heard) and eng.info["history_chars"] == len(heard)
        assert f"I remember {len(heard)} characters" in eng.chat(audio=speech_wav)["text"]


def test_truncate_while_the_chunk_is_still_spoken():
    """Audio streams before its TTS chunk is reported (upstream does the same): a barge-in in
    the first chunk keeps the words at the speaking pace, not the whole reply, not nothing."""
    with omni_py.Engine("sim", tts_ms_per_token=5, llm_ms_per_token=1, reply_tokens=40) as eng:
        eng.prefill(audio=np.zeros(16000, np.int16), sample_rate=16000)
        turn, text, samples, chunks = eng.generate(), "", 0, 0
        for ev in turn:
            text += ev.text if ev.type == "text" and ev.text else ""
            chunks += ev.type == "tts_chunk"
            if ev.type == "audio":
                samples += len(ev.pcm)
                if not chunks:
                    eng.interrupt()
        assert samples > 0 and chunks == 0  # interrupted before the first chunk was reported
        heard = eng.truncate(turn.id, samples / 24)
        assert 0 < len(heard) < len(text) / 2 and text.startswith(heard), (heard, text)
        assert eng.info["history_chars"] == len(heard)
