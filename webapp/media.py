"""Decoding and checking client media before it reaches the engine: strict base64, audio
(encoded file or raw float32 PCM, as the reference accepts), duration limits."""
from __future__ import annotations

import base64
import binascii
import io
import re
import struct

import numpy as np
import soundfile as sf

from .errors import ApiError

_WS = re.compile(r"\s+")
RAW_PCM_RATE = 16000  # the reference's rate for headerless float32 PCM


def b64decode(value, field: str) -> bytes:
    if not isinstance(value, str):
        raise ApiError("wrong_type", f"'{field}' must be a base64 string, not {type(value).__name__}")
    if value.startswith("data:"):
        raise ApiError("bad_base64", f"'{field}' must be bare base64; remove the data-URL prefix "
                                          f"'{value[:value.find(',') + 1] if ',' in value else 'data:...'}'")
    try:
        return base64.b64decode(_WS.sub("", value), validate=True)
    except (binascii.Error, ValueError) as e:
        raise ApiError("bad_base64", f"'{field}' is not valid base64: {e}") from None


# The checks below are capi/src/media.cpp's, in the same order, over the same libsndfile
# (soundfile binds it), so a file this module passes the engine decodes, and a file it refuses
# the engine would refuse too (tests/test_media_parity.py feeds both the same files).
MIN_RATE, MAX_RATE = 4000, 384000  # kMinSampleRate / kMaxSampleRate in capi/src/media.h
_KIND = {"WAV": "WAV", "WAVEX": "WAV", "RF64": "WAV", "FLAC": "FLAC", "OGG": "OGG", "MP3": "MP3"}


def _is_container(data: bytes) -> bool:
    """Starts like a WAV, FLAC, OGG or MP3 file (media.cpp's starts_like_audio_file)."""
    return data[:4] in (b"RIFF", b"fLaC", b"OggS", b"RF64") or data[:3] == b"ID3" or (
        len(data) > 1 and data[0] == 0xFF and (data[1] & 0xE0) == 0xE0)


def _wav_cut_short(data: bytes) -> str | None:
    """Why a WAV is cut short (its data chunk announces more bytes than follow), else None.
    libsndfile quietly plays such a file as a shorter clip; media.cpp refuses it the same way."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return None
    pos = 12
    while pos + 8 <= len(data):
        chunk, size = data[pos:pos + 4], struct.unpack_from("<I", data, pos + 4)[0]
        if chunk == b"data":
            have = len(data) - pos - 8
            if size != 0xFFFFFFFF and size > have:  # 0xFFFFFFFF: size unknown (streaming)
                return f"the WAV file is cut short: its header announces {size} bytes of samples, only {have} follow"
            return None
        pos += 8 + size + (size & 1)
    return None


def decode_audio_file(data: bytes) -> float:
    """Decode an audio file in full and return its duration in seconds; ApiError 400
    bad_audio / empty_audio when libomni_c would refuse it (OMNI_ERR_BAD_MEDIA)."""
    try:
        f = sf.SoundFile(io.BytesIO(data))
    except Exception as e:  # soundfile raises its own LibsndfileError / RuntimeError
        raise ApiError("bad_audio", f"the audio file could not be decoded: {e}") from None
    with f:
        kind = _KIND.get(f.format, "audio")
        cut = _wav_cut_short(data)
        if cut:
            raise ApiError("bad_audio", cut)
        if not MIN_RATE <= f.samplerate <= MAX_RATE:
            raise ApiError("bad_audio", f"the {kind} file has an unsupported sample rate of {f.samplerate} Hz "
                                        f"(allowed: {MIN_RATE} to {MAX_RATE})")
        frames = 0
        try:  # a broken FLAC or OGG only shows while decoding
            while len(block := f.read(65536, dtype="float32")):
                frames += len(block)
        except Exception as e:
            raise ApiError("bad_audio", f"the {kind} file stops decoding after {frames} samples: {e}") from None
        if frames == 0:
            raise ApiError("empty_audio", f"the {kind} file holds no audio samples")
        return frames / f.samplerate


class Audio:
    """Checked audio: either `file_bytes` (a WAV/FLAC/OGG/MP3 the engine decodes) or
    `samples` + `sample_rate` (PCM)."""

    def __init__(self, seconds: float, file_bytes: bytes | None = None, samples: np.ndarray | None = None,
                 sample_rate: int | None = None):
        self.seconds, self.file_bytes, self.samples, self.sample_rate = seconds, file_bytes, samples, sample_rate

    def prefill_args(self) -> dict:
        if self.file_bytes is not None:
            return {"audio": self.file_bytes}
        return {"audio": self.samples, "sample_rate": self.sample_rate}


def check_seconds(seconds: float, max_seconds: float) -> None:
    if seconds <= 0:
        raise ApiError("empty_audio", "the audio holds no samples")
    if seconds > max_seconds:
        raise ApiError("audio_too_long", f"the audio lasts {seconds:.1f} s; the limit is {max_seconds:g} s "
                                         "per request")


def parse_audio(data: bytes, max_seconds: float, raw_rate: int = RAW_PCM_RATE) -> Audio:
    """Accept an encoded audio file, or headerless float32 LE mono PCM (the reference's
    fallback) when it really looks like PCM; anything else is refused with a reason."""
    if not data:
        raise ApiError("empty_audio", "the audio is empty (0 bytes)")
    if _is_container(data):
        seconds = decode_audio_file(data)
        check_seconds(seconds, max_seconds)
        return Audio(seconds, file_bytes=data)
    if len(data) % 4:
        raise ApiError("bad_audio", f"the bytes are not an audio file (WAV, FLAC, OGG, MP3) and, at {len(data)} "
                                    "bytes, not float32 PCM either (length is not a multiple of 4)")
    samples = np.frombuffer(data, dtype="<f4")
    if not np.all(np.isfinite(samples)) or float(np.max(np.abs(samples))) > 2.0:
        raise ApiError("bad_audio", "the bytes are not an audio file (WAV, FLAC, OGG, MP3) and do not look like "
                                    "float32 PCM in [-1, 1] either")
    check_seconds(len(samples) / raw_rate, max_seconds)
    return Audio(len(samples) / raw_rate, samples=samples.astype(np.float32), sample_rate=raw_rate)


def pcm16_to_array(data: bytes) -> np.ndarray:
    if len(data) % 2:
        raise ApiError("bad_audio", f"a PCM16 frame must have an even number of bytes, got {len(data)}")
    return np.frombuffer(data, dtype="<i2").astype(np.int16)


def wav_header(sample_rate: int = 24000, channels: int = 1, n_bytes: int | None = None) -> bytes:
    """A PCM16 WAV header; with n_bytes=None the sizes say 'unknown' (0xFFFFFFFF), the
    convention streaming players accept, so the file can be sent while it is generated."""
    data_size = 0xFFFFFFFF if n_bytes is None else n_bytes
    riff_size = 0xFFFFFFFF if n_bytes is None else 36 + n_bytes
    return struct.pack("<4sI4s4sIHHIIHH4sI", b"RIFF", riff_size, b"WAVE", b"fmt ", 16, 1, channels, sample_rate,
                       sample_rate * channels * 2, channels * 2, 16, b"data", data_size)
