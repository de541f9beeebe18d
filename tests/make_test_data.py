"""Make the media files the tests use (tests/data/), from nothing but this script.

    python tests/make_test_data.py            # rewrite tests/data/ (committed; small)
    python tests/make_test_data.py --fuzz-corpus DIR
                                              # small seeds for the fuzz targets (not committed):
                                              # DIR/audio and DIR/image, every format and variant
                                              # the decoders take, a few KB each

Speech is spoken by espeak-ng (Debian/Homebrew `espeak-ng`), so tests hear real words; where
espeak-ng is missing the script says so and writes a synthetic speech-like signal instead
(a pitch contour with formant-like harmonics and syllable envelopes), which the sim engine and
the voice-activity detectors treat the same way. Images are drawn with numpy and encoded by
Pillow (`pip install pillow`, needed only here). Corrupt variants are cut from the good files.

Every clip lasts a fixed, round duration because tests assert what the sim engine says about
it ("I heard 1.0 seconds of audio").
"""
from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf

DATA = Path(__file__).resolve().parent / "data"
RATE = 16000

# name -> (espeak voice, words, seconds). Each phrase fits in its duration at espeak's pace.
SPEECH = {
    "speech_en.wav": ("en-us", "Hello, how are you?", 1.0),
    "speech_en_2.wav": ("en-us", "Good morning.", 1.0),
    "question_en.wav": ("en-us", "What can you see in this picture? Tell me in a few words.", 4.0),
    "speech_zh.wav": ("cmn", "你好", 1.0),
    "voice_ref.wav": ("en-us+f3", "This is the voice the model should speak with. "
                                  "It is clear, calm and friendly.", 6.0),
}


def _espeak(voice: str, words: str) -> np.ndarray | None:
    exe = shutil.which("espeak-ng")
    if exe is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "s.wav"
        subprocess.run([exe, "-v", voice, "-s", "175", "-w", str(out), words], check=True)
        pcm, rate = sf.read(str(out), dtype="float32")
    # espeak-ng speaks at 22.05 kHz; linear resampling is plenty for test speech.
    t = np.arange(int(len(pcm) * RATE / rate)) * (rate / RATE)
    return np.interp(t, np.arange(len(pcm)), pcm).astype(np.float32)


def _synthetic_speech(seconds: float, seed: int) -> np.ndarray:
    """Voiced syllables: a wandering 110-220 Hz pitch with decaying harmonics, 4 per second."""
    rng = np.random.default_rng(seed)
    n = int(seconds * RATE)
    t = np.arange(n) / RATE
    f0 = 150 + 40 * np.sin(2 * np.pi * 0.7 * t + rng.uniform(0, 6))
    phase = 2 * np.pi * np.cumsum(f0) / RATE
    voiced = sum(np.sin(k * phase) / k for k in range(1, 12))
    syllables = np.clip(np.sin(2 * np.pi * 4 * t), 0, None) ** 0.5
    return (0.25 * voiced * syllables / np.abs(voiced).max()).astype(np.float32)


def _fit(pcm: np.ndarray, seconds: float) -> np.ndarray:
    """Trim leading/trailing silence, then pad or cut to exactly `seconds`, speech centred."""
    loud = np.flatnonzero(np.abs(pcm) > 0.01)
    if loud.size:
        pcm = pcm[loud[0]:loud[-1] + 1]
    n = int(round(seconds * RATE))
    pcm = pcm[:n]
    out = np.zeros(n, np.float32)
    start = (n - len(pcm)) // 2
    out[start:start + len(pcm)] = pcm
    peak = np.abs(out).max()
    return out * (0.5 / peak) if peak > 0 else out


def _image(width: int, height: int, seed: int) -> np.ndarray:
    """A picture with structure (gradient, disc, bars), so encoders have something to encode."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    img = np.zeros((height, width, 3), np.float32)
    img[..., 0] = x / width
    img[..., 1] = y / height
    img[..., 2] = 0.5 + 0.5 * np.sin(x / 23.0)
    cx, cy, r = width * rng.uniform(0.3, 0.7), height * rng.uniform(0.3, 0.7), min(width, height) / 4
    img[(x - cx) ** 2 + (y - cy) ** 2 < r * r] = rng.uniform(0, 1, 3)
    img[:, (x[0] // 40) % 5 == 0] *= 0.3
    return (img * 255).astype(np.uint8)


def _encode(img: np.ndarray, fmt: str) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format=fmt, quality=85) if fmt == "JPEG" else Image.fromarray(img).save(buf, format=fmt)
    return buf.getvalue()


def main() -> int:
    DATA.mkdir(exist_ok=True)
    spoken = shutil.which("espeak-ng") is not None
    if not spoken:
        print("espeak-ng not found: writing synthetic speech-like audio instead of spoken words",
              file=sys.stderr)
    for i, (name, (voice, words, seconds)) in enumerate(SPEECH.items()):
        pcm = _espeak(voice, words) if spoken else None
        pcm = _fit(pcm if pcm is not None else _synthetic_speech(seconds, i), seconds)
        sf.write(str(DATA / name), pcm, RATE, subtype="PCM_16")
    wav = (DATA / "speech_en.wav").read_bytes()
    pcm = sf.read(str(DATA / "speech_en.wav"), dtype="float32")[0]
    sf.write(str(DATA / "speech_en.flac"), pcm, RATE, format="FLAC")
    (DATA / "speech_en.mp3").write_bytes(_mp3(pcm))

    jpg = _encode(_image(960, 540, 1), "JPEG")
    (DATA / "picture.jpg").write_bytes(jpg)
    (DATA / "picture_2.jpg").write_bytes(_encode(_image(640, 480, 2), "JPEG"))
    (DATA / "picture.png").write_bytes(_encode(_image(448, 448, 3), "PNG"))

    # Broken files, each a different way to fail.
    (DATA / "bad_truncated.wav").write_bytes(wav[:100])
    (DATA / "bad_truncated.jpg").write_bytes(jpg[: len(jpg) // 2])
    (DATA / "bad_garbage.bin").write_bytes(np.random.default_rng(7).integers(0, 256, 4096, np.uint8).tobytes())
    for p in sorted(DATA.iterdir()):
        print(f"{p.name:24} {p.stat().st_size:8} bytes")
    return 0


# (container, subtype, channels, rate) of the audio seeds: every WAV sample format libsndfile
# reads, WAVEX/RF64 headers, FLAC, OGG Vorbis/Opus and MP3, mono and stereo.
AUDIO_SEEDS = [("WAV", st, 1, RATE) for st in ("PCM_U8", "PCM_16", "PCM_24", "PCM_32", "FLOAT", "DOUBLE",
                                               "ULAW", "ALAW", "IMA_ADPCM", "MS_ADPCM", "GSM610")] + [
    ("WAV", "PCM_16", 2, 44100), ("WAVEX", "PCM_16", 2, 8000), ("RF64", "FLOAT", 1, RATE),
    ("FLAC", "PCM_16", 1, RATE), ("FLAC", "PCM_24", 2, 48000), ("OGG", "VORBIS", 1, RATE),
    ("OGG", "OPUS", 1, 48000), ("MP3", "MPEG_LAYER_III", 1, RATE)]


def fuzz_corpus(out: Path) -> None:
    """Seeds for tests/fuzz: short clips (0.05 s) in every audio format of AUDIO_SEEDS and small
    images (JPEG baseline/progressive/grey/4:4:4/CMYK, PNG grey/palette/alpha/1-bit/16-bit), plus
    tests/data's broken files. Small seeds keep each fuzz execution short."""
    audio, image = out / "audio", out / "image"
    audio.mkdir(parents=True, exist_ok=True)
    image.mkdir(parents=True, exist_ok=True)
    pcm = sf.read(str(DATA / "speech_en.wav"), dtype="float32")[0]
    for container, subtype, channels, rate in AUDIO_SEEDS:
        clip = np.interp(np.arange(int(0.05 * rate)) * (RATE / rate), np.arange(len(pcm)), pcm)[:, None]
        clip = np.repeat(clip, channels, axis=1).astype(np.float32)
        buf = io.BytesIO()
        buf.name = "seed." + {"WAVEX": "wav", "RF64": "wav", "MP3": "mp3"}.get(container, container.lower())
        sf.write(buf, clip, rate, format=container, subtype=subtype)
        (audio / f"{container}_{subtype}_{channels}ch_{rate}.{buf.name.split('.')[-1]}").write_bytes(buf.getvalue())
    for name in ("bad_truncated.wav", "bad_garbage.bin", "speech_en.mp3"):
        (audio / name).write_bytes((DATA / name).read_bytes()[:4096])
    try:
        from PIL import Image
    except ImportError:
        print("Pillow not found (pip install pillow): image seeds are tests/data's pictures only", file=sys.stderr)
        for name in ("picture.jpg", "picture.png", "bad_truncated.jpg"):
            (image / name).write_bytes((DATA / name).read_bytes())
        return
    rgb = Image.fromarray(_image(24, 16, 4))
    variants = {
        "baseline.jpg": (rgb, dict(format="JPEG", quality=80)),
        "progressive.jpg": (rgb, dict(format="JPEG", progressive=True)),
        "grey.jpg": (rgb.convert("L"), dict(format="JPEG")),
        "444.jpg": (rgb, dict(format="JPEG", subsampling=0)),
        "cmyk.jpg": (rgb.convert("CMYK"), dict(format="JPEG")),
        "rgb.png": (rgb, dict(format="PNG")),
        "grey.png": (rgb.convert("L"), dict(format="PNG")),
        "palette.png": (rgb.convert("P"), dict(format="PNG")),
        "alpha.png": (rgb.convert("RGBA"), dict(format="PNG")),
        "bits1.png": (rgb.convert("1"), dict(format="PNG")),
        "wide.png": (Image.fromarray(_image(64, 1, 5)), dict(format="PNG")),
    }
    for name, (img, kw) in variants.items():
        buf = io.BytesIO()
        img.save(buf, **kw)
        (image / name).write_bytes(buf.getvalue())
    grey16 = Image.fromarray((np.asarray(rgb.convert("L"), np.uint16) * 257))
    buf = io.BytesIO()
    grey16.save(buf, format="PNG")
    (image / "grey16.png").write_bytes(buf.getvalue())
    (image / "bad_truncated.jpg").write_bytes((image / "baseline.jpg").read_bytes()[:200])


def _mp3(pcm: np.ndarray) -> bytes:
    """MP3 through libsndfile (1.1+ writes MPEG layer III)."""
    buf = io.BytesIO()
    buf.name = "x.mp3"
    sf.write(buf, pcm, RATE, format="MP3")
    return buf.getvalue()


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--fuzz-corpus":
        fuzz_corpus(Path(sys.argv[2]))
        sys.exit(0)
    sys.exit(main())
