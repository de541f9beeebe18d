"""Audio and image files, good and bad, that every layer must judge alike: libomni_c on each
engine and the webapp (tests/test_media_parity.py, tests/test_llama_omni.py). Built from
tests/data plus variants made here from nothing but the standard library and soundfile.

Each case is (bytes, verdict). Audio verdicts: "ok", "bad", "no_samples" (a file that decodes
to nothing), "empty" (0 bytes). Image verdicts: "ok", "bad", "too_large", "empty".
"""
from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import soundfile as sf

DATA = Path(__file__).resolve().parent / "data"


def _read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def _sound(fmt: str, subtype: str | None = None, rate: int = 16000, channels: int = 1, seconds: float = 0.5) -> bytes:
    t = np.arange(int(rate * seconds)) / rate
    tone = 0.3 * np.sin(2 * np.pi * 220 * t).astype(np.float32)
    buf = io.BytesIO()
    buf.name = f"x.{fmt.lower()}"  # soundfile picks the container by name for OGG/MP3
    sf.write(buf, np.repeat(tone[:, None], channels, axis=1), rate, format=fmt, subtype=subtype)
    return buf.getvalue()


def _streamed_wav() -> bytes:
    """A WAV whose sizes say "unknown" (0xFFFFFFFF), as the webapp itself streams replies."""
    from webapp.media import wav_header

    return wav_header(16000, 1, None) + (np.ones(8000, np.int16) * 1000).tobytes()


def audio_cases() -> dict[str, tuple[bytes, str]]:
    wav, flac, mp3 = _read("speech_en.wav"), _read("speech_en.flac"), _read("speech_en.mp3")
    return {
        "speech_en.wav": (wav, "ok"),
        "speech_en.flac": (flac, "ok"),
        "speech_en.mp3": (mp3, "ok"),
        "OGG Vorbis": (_sound("OGG", "VORBIS"), "ok"),
        "OGG Opus 48 kHz": (_sound("OGG", "OPUS", rate=48000), "ok"),
        "WAV stereo 44.1 kHz 24-bit": (_sound("WAV", "PCM_24", rate=44100, channels=2), "ok"),
        "WAV float": (_sound("WAV", "FLOAT"), "ok"),
        "WAV 8 kHz 8-bit": (_sound("WAV", "PCM_U8", rate=8000), "ok"),
        "WAV streamed, size unknown": (_streamed_wav(), "ok"),
        # MP3 frames stand alone: a cut MP3 plays up to the cut, in every layer (players agree).
        "MP3 cut in half": (mp3[: len(mp3) // 2], "ok"),
        "bad_truncated.wav": (_read("bad_truncated.wav"), "bad"),
        "WAV cut inside its header": (wav[:30], "bad"),
        "FLAC cut in half": (flac[: len(flac) // 2], "bad"),
        "RIFF with junk": (b"RIFF\x10\x00\x00\x00WAVEjunkjunkjunk", "bad"),
        "WAV at 2 kHz": (_sound("WAV", "PCM_16", rate=2000), "bad"),
        "AIFF (not taken)": (_sound("AIFF", "PCM_16"), "bad"),
        "bad_garbage.bin": (_read("bad_garbage.bin"), "bad"),
        "picture.jpg as audio": (_read("picture.jpg"), "bad"),
        "WAV with no samples": (_sound("WAV", "PCM_16", seconds=0), "no_samples"),
        "0 bytes": (b"", "empty"),
    }


# ---- images ---------------------------------------------------------------------------------

def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


_ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def png(width: int, height: int, color_type: int = 2, bit_depth: int = 8, interlaced: bool = False) -> bytes:
    """A valid PNG with a diagonal pattern; any standard colour type, bit depth and interlace."""
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[color_type]
    passes = _ADAM7 if interlaced else [(0, 0, 1, 1)]
    raw = bytearray()
    for x0, y0, dx, dy in passes:
        w, h = (width - x0 + dx - 1) // dx, (height - y0 + dy - 1) // dy
        if w <= 0 or h <= 0:
            continue
        row_bytes = (w * channels * bit_depth + 7) // 8
        for y in range(h):
            raw += b"\x00" + bytes((i * 7 + y * 3) & 0xFF for i in range(row_bytes))
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, int(interlaced))
    plte = _chunk(b"PLTE", bytes(range(256)) * 3) if color_type == 3 else b""
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + plte + _chunk(b"IDAT", zlib.compress(bytes(raw)))
            + _chunk(b"IEND", b""))


def _bad_crc(data: bytes) -> bytes:
    """The PNG with its IDAT chunk's CRC flipped."""
    i = data.index(b"IDAT")
    n = struct.unpack(">I", data[i - 4:i])[0]
    crc = i + 4 + n
    return data[:crc] + bytes(b ^ 0xFF for b in data[crc:crc + 4]) + data[crc + 4:]


def _damaged_scan(jpg: bytes) -> bytes:
    """The JPEG with a run of its entropy-coded data overwritten (as a bad disk or transfer would)."""
    sos = jpg.index(b"\xff\xda")
    at = sos + (len(jpg) - sos) // 2
    return jpg[:at] + b"\xff\xd3" * 16 + jpg[at + 32:]


def _bmp(width: int = 4, height: int = 4) -> bytes:
    row = b"\x80\x40\x20" * width + b"\x00" * ((4 - width * 3 % 4) % 4)
    pixels = row * height
    return (b"BM" + struct.pack("<IHHI", 54 + len(pixels), 0, 0, 54)
            + struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, len(pixels), 2835, 2835, 0, 0) + pixels)


_GIF_1x1 = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
            b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")


def image_cases() -> dict[str, tuple[bytes, str]]:
    jpg, pic_png = _read("picture.jpg"), _read("picture.png")
    return {
        "picture.jpg": (jpg, "ok"),
        "picture_2.jpg": (_read("picture_2.jpg"), "ok"),
        "picture.png": (pic_png, "ok"),
        "PNG 16-bit grey": (png(64, 48, color_type=0, bit_depth=16), "ok"),
        "PNG palette": (png(64, 48, color_type=3), "ok"),
        "PNG RGBA interlaced": (png(33, 17, color_type=6, interlaced=True), "ok"),
        "bad_truncated.jpg": (_read("bad_truncated.jpg"), "bad"),
        "JPEG head + garbage": (jpg[:200] + bytes(range(256)) * 4, "bad"),
        "JPEG without its end marker": (jpg[:-2], "bad"),
        "JPEG with a damaged scan": (_damaged_scan(jpg), "bad"),
        "PNG cut in half": (pic_png[: len(pic_png) // 2], "bad"),
        "PNG without IEND": (pic_png[:-12], "bad"),
        "PNG with a bad IDAT checksum": (_bad_crc(pic_png), "bad"),
        "GIF (not taken)": (_GIF_1x1, "bad"),
        "BMP (not taken)": (_bmp(), "bad"),
        "bad_garbage.bin": (_read("bad_garbage.bin"), "bad"),
        "speech_en.wav as image": (_read("speech_en.wav"), "bad"),
        "PNG 8193 px wide": (png(8193, 200, color_type=0), "too_large"),
        "PNG 650x10 (65:1)": (png(650, 10, color_type=0), "too_large"),
        "0 bytes": (b"", "empty"),
    }
