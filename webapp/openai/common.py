"""What every OpenAI-compatible endpoint shares: ids, the model's names, OpenAI-style
errors from pydantic validation, audio encoding and resampling, token estimates."""
from __future__ import annotations

import base64
import io
import secrets
import time
from typing import TypeVar

import numpy as np
import soundfile as sf
import soxr
from pydantic import BaseModel, TypeAdapter, ValidationError

from ..errors import ApiError

MODEL_ID = "minicpm-o-4.5"
OWNED_BY = "openbmb"
CREATED = 1767225600  # 2026-01-01: MiniCPM-o 4.5's release year; clients only need an int
ENGINE_RATE = 24000   # the engine's reply audio (token2wav) and OpenAI's PCM rate
AUDIO_EXPIRES_S = 3600
# MiniCPM-o's own token rates, for `usage`: the audio encoder makes 10 tokens per second of
# input; each speech token of the reply is 40 ms of audio.
INPUT_AUDIO_TOKENS_PER_S = 10
SPEECH_TOKEN_MS = 40

T = TypeVar("T")


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(10)}"


def now() -> int:
    return int(time.time())


def model_ids(conv) -> list[str]:
    """The model's id, then the loaded model file's name (when a real model runs)."""
    ids = [MODEL_ID]
    try:
        model = conv.health().get("model")
    except Exception:  # noqa: BLE001 - a missing engine simply has no file name
        model = None
    path = str(model or "")
    if path.endswith(".gguf"):
        name = path.rsplit("/", 1)[-1].removesuffix(".gguf")
        if name and name not in ids:
            ids.append(name)
    return ids


# -- validation ---------------------------------------------------------------------------
def _param(loc: tuple, data) -> str:
    """The JSON path of an error location, e.g. messages[0].content[1].input_audio.format.
    pydantic puts union branch names and tag values into locations; walking the client's
    own JSON along the location tells them from real keys."""
    out, node = "", data
    for i, part in enumerate(loc):
        if isinstance(part, int):
            out += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            continue
        if isinstance(node, dict):
            if part in node:
                out, node = out + ("." if out else "") + part, node[part]
            elif i == len(loc) - 1:
                out += ("." if out else "") + part  # a missing field
            continue  # else a union branch or tag, not a key of the client's
        if "[" not in part and part not in _BRANCHES:
            out += ("." if out else "") + part
    return out


_BRANCHES = {"str", "int", "bool", "float", "dict", "list", "none", "function-after", "json-or-python"}


def validation_error(e: ValidationError, data=None, prefix: str = "") -> ApiError:
    """The most specific problem of a ValidationError, worded for the client."""
    errs = sorted(e.errors(include_url=False), key=lambda x: len(x["loc"]), reverse=True)
    err = errs[0]
    param = _param(tuple(err["loc"]), data)
    if prefix:
        param = prefix + ("." if param and not param.startswith("[") else "") + param
    kind = err["type"]
    if kind == "missing":
        code, msg = "missing_required_parameter", f"Missing required parameter: '{param}'."
    elif kind == "extra_forbidden":
        code, msg = "unknown_parameter", f"Unknown parameter: '{param}'."
    else:
        got = err.get("input")
        shown = repr(got) if not isinstance(got, (dict, list)) else type(got).__name__
        code = "invalid_value" if "literal" in kind or "enum" in kind or "union_tag" in kind else "invalid_type"
        msg = f"Invalid value for '{param or 'body'}': {err['msg']} (got {shown[:80]})."
    return ApiError(code, msg, type="invalid_request_error", param=param or None)


def parse(schema: type[T] | TypeAdapter, data, prefix: str = "") -> T:
    try:
        if isinstance(schema, TypeAdapter):
            return schema.validate_python(data)
        return schema.model_validate(data)  # type: ignore[union-attr]
    except ValidationError as e:
        raise validation_error(e, data, prefix) from None


def invalid(message: str, param: str | None = None, code: str = "invalid_value") -> ApiError:
    """An OpenAI-style client error; `code` is one of webapp/errors.json (its HTTP status too)."""
    return ApiError(code, message, type="invalid_request_error", param=param)


def dump(model: BaseModel) -> dict:
    return model.model_dump(mode="json", exclude_none=False)


# -- audio ----------------------------------------------------------------------------------
# format -> (soundfile format, subtype); raw PCM16 needs no container
_CONTAINERS = {"wav": ("WAV", "PCM_16"), "flac": ("FLAC", "PCM_16"), "mp3": ("MP3", "MPEG_LAYER_III"),
               "opus": ("OGG", "OPUS")}


def writable_formats() -> list[str]:
    """The reply formats this machine's libsndfile can write, plus raw pcm16."""
    have = sf.available_formats()
    out = ["pcm16"]
    for name, (fmt, subtype) in _CONTAINERS.items():
        if fmt in have and subtype in sf.available_subtypes(fmt):
            out.append(name)
    return out


def encode_audio(pcm: np.ndarray, fmt: str, rate: int = ENGINE_RATE) -> bytes:
    """int16 mono PCM -> the bytes of `fmt` (OpenAI's audio.format names)."""
    if fmt == "pcm16":
        return pcm.astype("<i2").tobytes()
    if fmt not in writable_formats():
        raise invalid(f"audio.format '{fmt}' cannot be produced here; use one of {', '.join(writable_formats())}",
                      "audio.format", "unsupported_format")
    container, subtype = _CONTAINERS[fmt]
    buf = io.BytesIO()
    data = pcm if len(pcm) else np.zeros(ENGINE_RATE // 100, np.int16)  # encoders refuse 0 frames
    sf.write(buf, data, rate, format=container, subtype=subtype)
    return buf.getvalue()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def resample(pcm: np.ndarray, rate_in: int, rate_out: int) -> np.ndarray:
    """int16 mono PCM at another rate (soxr, high quality)."""
    if rate_in == rate_out or not len(pcm):
        return pcm.astype(np.int16)
    return soxr.resample(pcm.astype(np.int16), rate_in, rate_out)


class ResamplerStream:
    """Resampling of a PCM stream cut into pieces, without clicks at the joins."""

    def __init__(self, rate_in: int, rate_out: int):
        self.same = rate_in == rate_out
        self._rs = None if self.same else soxr.ResampleStream(rate_in, rate_out, 1, dtype="int16")

    def __call__(self, pcm: np.ndarray, last: bool = False) -> np.ndarray:
        if self.same:
            return pcm.astype(np.int16)
        return self._rs.resample_chunk(pcm.astype(np.int16), last=last)


def tokens_for_input_audio(ms: float) -> int:
    return int(round(ms / 1000 * INPUT_AUDIO_TOKENS_PER_S))


def tokens_for_speech(samples: int, rate: int = ENGINE_RATE) -> int:
    return int(round(samples / rate * 1000 / SPEECH_TOKEN_MS)) if rate else 0
