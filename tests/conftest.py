"""Shared pytest fixtures: the test media (tests/data, made by tests/make_test_data.py)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def speech_wav() -> bytes:
    return (DATA / "speech_en.wav").read_bytes()


@pytest.fixture(scope="session")
def image_jpg() -> bytes:
    return (DATA / "picture.jpg").read_bytes()


def extra_speech_files() -> list[Path]:
    """Optional real recordings for extra cases: every *.wav under $OMNI_EXTRA_SPEECH_DIR.
    Nothing in the suite needs them; when the variable is unset the list is empty."""
    root = os.environ.get("OMNI_EXTRA_SPEECH_DIR")
    return sorted(Path(root).rglob("*.wav")) if root else []


@pytest.fixture
def slow_server():
    """A sim server whose turns last seconds (400 tokens at 20 ms), for stop/busy/disconnect tests."""
    from webapp.testing import running_server, sim_config

    with running_server(sim_config(engine_extra={"llm_ms_per_token": 20, "reply_tokens": 400})) as s:
        yield s
