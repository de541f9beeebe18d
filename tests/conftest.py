"""Shared pytest fixtures: where the test assets are."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ASSETS = REPO.parent / "shared" / "assets"


@pytest.fixture(scope="session")
def assets() -> Path:
    if not ASSETS.is_dir():
        pytest.fail(f"test assets missing: {ASSETS} (the shared/ folder must sit beside the repository)")
    return ASSETS


@pytest.fixture(scope="session")
def speech_wav(assets) -> bytes:
    return (assets / "test_case" / "audio_test_case" / "audio_test_case_0000.wav").read_bytes()


@pytest.fixture(scope="session")
def image_jpg(assets) -> bytes:
    return (assets / "test_case" / "omni_test_case" / "omni_test_case_0000.jpg").read_bytes()


@pytest.fixture
def slow_server():
    """A sim server whose turns last seconds (400 tokens at 20 ms), for stop/busy/disconnect tests."""
    from webapp.testing import running_server, sim_config

    with running_server(sim_config(engine_extra={"llm_ms_per_token": 20, "reply_tokens": 400})) as s:
        yield s
