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
