"""libomni_c and the webapp judge media alike: the same audio and image files (tests/media_cases.py)
go to the C ABI (through omni_py, sim engine) and to the webapp's checks, and each layer accepts
or refuses every file as expected, with corresponding codes. Audio: the webapp checks files
itself (webapp/media.py, soundfile) before the engine decodes them again (capi/src/media.cpp,
libsndfile), so a refusal must come from the webapp (bad_audio), never from the engine after
the webapp let it through. Images: the webapp leaves them to the engine and names its refusal."""
from __future__ import annotations

import base64

import pytest
import requests

import omni_py
from media_cases import audio_cases, image_cases
from webapp import media
from webapp.errors import ApiError
from webapp.testing import running_server, sim_config

AUDIO = audio_cases()
IMAGES = image_cases()

# verdict -> (what omni_py raises, the webapp's error code); None: accepted.
AUDIO_EXPECT = {
    "ok": (None, None),
    "bad": (omni_py.BadMedia, "bad_audio"),
    "no_samples": (omni_py.BadMedia, "empty_audio"),
    "empty": (omni_py.InvalidArgument, "empty_audio"),
}
# verdict -> (what omni_py raises, (HTTP status, error code) of the webapp's prefill)
IMAGE_EXPECT = {
    "ok": (None, (200, None)),
    "bad": (omni_py.BadMedia, (400, "bad_image")),
    "too_large": (omni_py.TooLarge, (413, "too_large")),
    "empty": (omni_py.InvalidArgument, (400, "bad_image")),
}


def c_outcome(**prefill):
    """What the C ABI says: None when accepted, else the exception class (with a real message)."""
    with omni_py.Engine("sim", media_type="omni") as eng:
        try:
            eng.prefill(**prefill)
        except omni_py.OmniError as e:
            assert len(e.message) > 15, e.message
            return type(e)
        assert eng.chat()["reason"] == "completed"  # what was accepted makes a turn
    return None


@pytest.mark.parametrize("name", list(AUDIO))
def test_audio_file_judged_alike(name):
    data, verdict = AUDIO[name]
    try:
        media.parse_audio(data, max_seconds=600)
        web = None
    except ApiError as e:
        web = e.code
    assert (c_outcome(audio=data), web) == AUDIO_EXPECT[verdict]


@pytest.fixture(scope="module")
def omni_server():
    with running_server(sim_config(media_type="omni")) as s:
        assert requests.post(s.url + "/omni/init_sys_prompt", json={"media_type": 2}).status_code == 200
        yield s


@pytest.mark.parametrize("name", list(IMAGES))
def test_image_judged_alike(name, omni_server):
    data, verdict = IMAGES[name]
    r = requests.post(omni_server.url + "/omni/streaming_prefill", json={"image": base64.b64encode(data).decode()})
    web = (r.status_code, r.json()["error"]["code"] if r.status_code != 200 else None)
    assert (c_outcome(image=data), web) == IMAGE_EXPECT[verdict], r.text
