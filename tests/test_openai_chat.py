"""/v1/models and /v1/chat/completions through the official `openai` package, against a real
server on the sim engine (zero delays)."""
from __future__ import annotations

import base64
import io
import sys
from pathlib import Path

import numpy as np
import pytest
import requests
import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from webapp.testing import running_server, sim_config  # noqa: E402

openai = pytest.importorskip("openai", reason="the openai package is not installed (pip install -e '.[test]')")

DATA = ROOT / "tests/data"
QUESTION = (DATA / "question_en.wav").read_bytes()
QUESTION_S = sf.info(str(DATA / "question_en.wav")).duration


def audio_message(wav: bytes = QUESTION, fmt: str = "wav", text: str | None = None) -> dict:
    parts = [{"type": "input_audio", "input_audio": {"data": base64.b64encode(wav).decode(), "format": fmt}}]
    if text:
        parts.insert(0, {"type": "text", "text": text})
    return {"role": "user", "content": parts}


@pytest.fixture(scope="module")
def server():
    with running_server(sim_config(engine_extra={"reply_tokens": 30})) as s:
        yield s


@pytest.fixture
def client(server):
    return openai.OpenAI(base_url=server.url + "/v1", api_key="unused", max_retries=0)


def test_models(client):
    models = client.models.list()
    assert [m.id for m in models.data] == ["minicpm-o-4.5"] and models.data[0].owned_by == "openbmb"
    assert client.models.retrieve("gpt-4o-audio-preview").id == "gpt-4o-audio-preview"  # any id is an alias


def test_audio_out_not_streaming(client):
    r = client.chat.completions.create(model="gpt-4o-audio-preview", modalities=["text", "audio"],
                                       audio={"voice": "alloy", "format": "wav"}, messages=[audio_message()])
    msg = r.choices[0].message
    assert r.choices[0].finish_reason == "stop" and msg.content is None
    assert msg.audio.transcript.startswith(f"Turn 1. I heard {QUESTION_S:.1f} seconds of audio.")
    assert msg.audio.id.startswith("audio_") and msg.audio.expires_at > r.created
    pcm, rate = sf.read(io.BytesIO(base64.b64decode(msg.audio.data)), dtype="int16")
    assert rate == 24000 and len(pcm) > 24000 and np.abs(pcm).max() > 1000
    assert r.usage.completion_tokens_details.audio_tokens == round(len(pcm) / 960)
    assert r.usage.prompt_tokens_details.audio_tokens == round(QUESTION_S * 10)


@pytest.mark.parametrize("fmt", ["flac", "mp3", "pcm16"])
def test_other_formats(client, fmt):
    r = client.chat.completions.create(model="m", modalities=["text", "audio"], audio={"voice": "x", "format": fmt},
                                       messages=[audio_message()])
    data = base64.b64decode(r.choices[0].message.audio.data)
    if fmt == "pcm16":
        assert len(data) % 2 == 0 and len(data) > 48000
    else:
        info = sf.info(io.BytesIO(data))
        assert info.samplerate == 24000 and info.duration > 1


def test_streaming_audio(client):
    stream = client.chat.completions.create(model="gpt-4o-audio-preview", modalities=["text", "audio"],
                                            audio={"voice": "alloy", "format": "pcm16"}, stream=True,
                                            stream_options={"include_usage": True}, messages=[audio_message()])
    transcript, pcm, finish, usage, ids = "", b"", None, None, set()
    chunks = list(stream)
    for chunk in chunks:
        if chunk.usage:
            usage = chunk.usage
        if not chunk.choices:
            continue
        delta = chunk.choices[0].delta
        finish = chunk.choices[0].finish_reason or finish
        # openai 3.x types it (ChoiceDelta.audio); older SDKs keep it as an extra field
        audio = getattr(delta, "audio", None) or (delta.model_extra or {}).get("audio")
        if audio is not None and not isinstance(audio, dict):
            audio = audio.model_dump(exclude_none=True)
        if audio:
            transcript += audio.get("transcript", "")
            pcm += base64.b64decode(audio.get("data", ""))
            ids.add(audio.get("id"))
        assert delta.content is None
    assert chunks[0].choices[0].delta.role == "assistant"
    assert transcript.startswith("Turn 1. I heard ") and finish == "stop"
    assert len(pcm) > 48000 and len(ids - {None}) == 1
    assert usage.completion_tokens_details.audio_tokens == round(len(pcm) / 2 / 960)


def test_text_only(client):
    r = client.chat.completions.create(model="m", messages=[audio_message(text="please answer")])
    assert r.choices[0].message.audio is None and r.choices[0].message.content.startswith("Turn 1. I heard")
    stream = client.chat.completions.create(model="m", messages=[audio_message()], stream=True)
    text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    assert text.startswith("Turn 1. I heard")


def test_history_continues_when_the_client_sends_our_reply_back(client):
    first = client.chat.completions.create(model="m", modalities=["text", "audio"],
                                           audio={"voice": "alloy", "format": "wav"}, messages=[audio_message()])
    history = [audio_message(), {"role": "assistant", "audio": {"id": first.choices[0].message.audio.id}},
               audio_message()]
    raw = client.chat.completions.with_raw_response.create(model="m", modalities=["text", "audio"],
                                                           audio={"voice": "alloy", "format": "wav"},
                                                           messages=history)
    assert raw.headers["x-omni-history"] == "continued"
    assert raw.parse().choices[0].message.audio.transcript.startswith("Turn 2.")
    # the same by transcript (clients that keep text only); a changed history starts over
    history += [{"role": "assistant", "content": raw.parse().choices[0].message.audio.transcript}, audio_message()]
    third = client.chat.completions.with_raw_response.create(model="m", messages=history)
    assert third.headers["x-omni-history"] == "continued"
    assert third.parse().choices[0].message.content.startswith("Turn 3.")
    other = [audio_message(), {"role": "assistant", "content": "something else"}, audio_message()]
    raw = client.chat.completions.with_raw_response.create(model="m", messages=other)
    assert raw.headers["x-omni-history"].startswith("new; 2 earlier message(s) not replayed")
    assert raw.parse().choices[0].message.content.startswith("Turn 1.")


@pytest.mark.parametrize("kwargs,param,code,words", [
    (dict(modalities=["text", "audio"]), "audio", "missing_required_parameter", "'audio' is required"),
    (dict(modalities=["text", "audio"], audio={"voice": "a", "format": "wav"}, stream=True), "audio.format",
     "unsupported_format", "only supported audio format when streaming is pcm16"),
    (dict(modalities=["text", "audio"], audio={"voice": "a", "format": "aac"}), "audio.format",
     "unsupported_format", "cannot be produced here"),
    (dict(tools=[{"type": "function", "function": {"name": "f"}}]), "tools", "unsupported_parameter",
     "function calling are not supported"),
    (dict(modalities=["video"]), "modalities[0]", "invalid_value", "'text' or 'audio'"),
    (dict(messages=[{"role": "user", "content": "hello"}]), "messages[0].content", "unsupported_content",
     "text input is not supported"),
    (dict(messages=[{"role": "user", "content": [{"type": "input_audio", "input_audio": {"data": "QUJD",
                                                                                          "format": "ogg"}}]}]),
     "messages[0].content[0].input_audio.format", "invalid_value", "'wav', 'mp3' or 'flac'"),
    (dict(messages=[{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://x/y.jpg"}}]}]),
     "messages[0].content[0].image_url.url", "unsupported_image_url", "data URI"),
    (dict(messages=[{"role": "user"}, ]), "messages[0].content", "unsupported_content", "needs an 'input_audio'"),
    (dict(messages=[]), "messages", "invalid_type", "at least 1 item"),
])
def test_bad_requests_get_openai_errors(client, kwargs, param, code, words):
    args = {"model": "m", "messages": [audio_message()], **kwargs}
    with pytest.raises(openai.BadRequestError) as e:
        client.chat.completions.create(**args)
    err = e.value.body
    assert e.value.status_code == 400 and err["type"] == "invalid_request_error", err
    assert err["param"] == param and err["code"] == code and words in err["message"], err
    # the server keeps working
    assert client.chat.completions.create(model="m", messages=[audio_message()]).choices[0].message.content


def test_broken_audio_file_is_refused(client):
    bad = (DATA / "bad_garbage.bin").read_bytes()
    with pytest.raises(openai.BadRequestError) as e:
        client.chat.completions.create(model="m", messages=[audio_message(bad)])
    assert "not an audio file" in e.value.body["message"] or "complete audio file" in e.value.body["message"]
    assert e.value.body["type"] == "invalid_request_error" and "param" in e.value.body  # OpenAI's shape
    assert client.chat.completions.create(model="m", messages=[audio_message()]).choices[0].message.content


def test_a_body_that_is_not_json_gets_an_openai_error(server):
    r = requests.post(server.url + "/v1/chat/completions", data=b"{nope", headers={"Content-Type": "application/json"})
    err = r.json()["error"]
    assert r.status_code == 400 and err["code"] == "invalid_json" and err["type"] == "invalid_request_error", err
    assert err["param"] is None and "not valid JSON" in err["message"]


def test_openapi_document_describes_the_endpoints(server):
    doc = requests.get(server.url + "/openapi.json").json()
    assert doc["openapi"].startswith("3.") and {"/v1/models", "/v1/chat/completions"} <= set(doc["paths"])
    req = doc["components"]["schemas"]["ChatCompletionRequest"]
    assert "messages" in req["required"] and "modalities" in req["properties"]
    fmt = doc["components"]["schemas"]["AudioParam"]["properties"]["format"]
    assert set(fmt["enum"]) >= {"wav", "pcm16", "mp3"}
