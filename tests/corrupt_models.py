"""Broken copies of the tiny model sets (models/tiny.py), one per way a model file can be wrong.

Each case writes a model folder next to the tests' temporary files: the unchanged files are
symbolic links into the cached tiny set, the broken one is rewritten with the `gguf` package
(read every key and tensor, change one thing, write it back). The cases are the conditions
libomni would abort, segfault or read out of bounds on (docs/reliability.md); the llama-omni
adapter must refuse each with OMNI_ERR_MODEL naming the file.

    python tests/corrupt_models.py OUT_DIR      # write every case under OUT_DIR (for a look)
"""
from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from models import layout  # noqa: E402


def _link_tree(src: Path, dst: Path) -> None:
    """dst mirrors src with a symbolic link per file (the big files are never copied)."""
    for p in src.rglob("*"):
        if p.is_file() or p.is_symlink():
            q = dst / p.relative_to(src)
            q.parent.mkdir(parents=True, exist_ok=True)
            q.symlink_to(p.resolve())


def rewrite_gguf(src: Path, dst: Path, *, keys: dict | None = None, drop_keys: tuple = (),
                 tensors: dict | None = None, drop_tensors: tuple = ()) -> None:
    """Copy a GGUF, replacing keys ({name: (value, GGUFValueType)}) and tensors ({name: ndarray})."""
    import gguf

    r = gguf.GGUFReader(str(src))
    arch = "unknown"
    if "general.architecture" in r.fields:
        f = r.fields["general.architecture"]
        arch = bytes(f.parts[f.data[0]]).decode()
    dst.unlink(missing_ok=True)
    w = gguf.GGUFWriter(str(dst), arch)
    keys, tensors = dict(keys or {}), dict(tensors or {})
    for name, field in r.fields.items():
        if name.startswith("GGUF.") or name == "general.architecture" or name in drop_keys:
            continue
        if name in keys:
            value, vtype = keys.pop(name)
            _add_key(w, name, value, vtype)
            continue
        vtype = field.types[0]
        if vtype == gguf.GGUFValueType.ARRAY:
            sub = field.types[-1]
            if sub == gguf.GGUFValueType.STRING:
                value = [bytes(field.parts[i]).decode("utf-8", "replace") for i in field.data]
            else:
                value = [field.parts[i][0].item() for i in field.data]
            w.add_key_value(name, value, vtype, sub_type=sub)
        elif vtype == gguf.GGUFValueType.STRING:
            w.add_key_value(name, bytes(field.parts[field.data[0]]).decode("utf-8", "replace"), vtype)
        else:
            w.add_key_value(name, field.parts[field.data[0]][0].item(), vtype)
    for name, (value, vtype) in keys.items():  # new keys
        _add_key(w, name, value, vtype)
    for t in r.tensors:
        if t.name in drop_tensors:
            continue
        data = tensors.pop(t.name, None)
        if data is None:
            shape = tuple(int(x) for x in reversed(t.shape))  # ne order -> numpy order
            data = np.asarray(t.data)
            if t.tensor_type in (gguf.GGMLQuantizationType.F32, gguf.GGMLQuantizationType.F16):
                data = data.reshape(shape)
                w.add_tensor(t.name, data)
            else:  # quantized: keep the raw bytes
                w.add_tensor(t.name, data, raw_shape=data.shape, raw_dtype=t.tensor_type)
            continue
        w.add_tensor(t.name, data)
    for name, data in tensors.items():  # new tensors
        w.add_tensor(name, data)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def _add_key(w, name, value, vtype) -> None:
    import gguf

    if vtype == gguf.GGUFValueType.ARRAY:
        w.add_key_value(name, value, vtype, sub_type=gguf.GGUFValueType.FLOAT32)
    else:
        w.add_key_value(name, value, vtype)


@dataclass
class Case:
    name: str
    tier: str                   # the tiny set it starts from
    broken: str                 # the file it breaks, relative to the model folder
    expect: tuple               # words the error message must contain
    make: Callable[[Path, Path], None]  # (original file, destination)
    options: dict               # engine options beyond model_dir


def _truncate(src: Path, dst: Path) -> None:
    data = src.read_bytes()
    dst.write_bytes(data[: int(len(data) * 0.6)])


def _wrong_shape(src: Path, dst: Path) -> None:
    """The projector's second layer takes 16 more inputs than the first one gives."""
    import gguf
    r = gguf.GGUFReader(str(src))
    t = next(t for t in r.tensors if t.name == "audio_projector.linear2.weight")
    p, h = (int(x) for x in t.shape)                         # ne order [P, H]
    rewrite_gguf(src, dst, tensors={"audio_projector.linear2.weight": np.zeros((h, p + 16), np.float32)})


def _missing_tensor(src: Path, dst: Path) -> None:
    rewrite_gguf(src, dst, drop_tensors=("v.position_embd.weight",))  # used although declared optional


def _wrong_n_fft(src: Path, dst: Path) -> None:
    import gguf
    rewrite_gguf(src, dst, keys={"n_fft": (400, gguf.GGUFValueType.UINT32)})


def _wrong_key_type(src: Path, dst: Path) -> None:
    import gguf
    rewrite_gguf(src, dst, keys={"d_model": (64, gguf.GGUFValueType.INT32)})  # u32 expected


def _vocoder_of_another_model(src: Path, dst: Path) -> None:
    """A HiFT-style vocoder of a smaller configuration (fewer, narrower layers), as another
    CosyVoice-family model would ship it, under MiniCPM-o's file name."""
    import gguf
    w = gguf.GGUFWriter(str(dst), "hift")
    rng = np.random.default_rng(5)
    for name, shape in (("conv_pre.weight", (256, 80, 7)), ("conv_pre.bias", (256,)),
                        ("ups.0.weight", (256, 128, 16)), ("ups.0.bias", (128,)),
                        ("conv_post.weight", (18, 128, 7)), ("conv_post.bias", (18,))):
        w.add_tensor(name, (rng.standard_normal(shape) * 0.02).astype(np.float32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


CASES = [
    Case("truncated_gguf", "text", layout.LLM_DEFAULT, ("cut short",), _truncate, {}),
    Case("wrong_tensor_shape", "text", layout.AUDIO_REL, ("audio_projector.linear2.weight", "shape"), _wrong_shape, {}),
    Case("missing_tensor", "vision", layout.VISION_REL, ("v.position_embd.weight", "missing"), _missing_tensor,
         {"media_type": "omni"}),
    Case("wrong_n_fft", "text", layout.AUDIO_REL, ("n_fft", "400", "201"), _wrong_n_fft, {}),
    Case("wrong_key_type", "text", layout.AUDIO_REL, ("d_model", "i32", "u32"), _wrong_key_type, {}),
    Case("token2wav_of_another_model", "full", "token2wav/hifigan2.gguf", ("hifigan2.gguf", "246"),
         _vocoder_of_another_model, {"use_tts": "true"}),
]


def make_case(case: Case, tiny_dir: Path, out: Path) -> Path:
    """The model folder for `case` under out/<case.name>, from the tiny set in tiny_dir."""
    dst = out / case.name
    if dst.exists():
        shutil.rmtree(dst)
    _link_tree(tiny_dir, dst)
    target = dst / case.broken
    original = target.resolve()
    target.unlink()
    case.make(original, target)
    if case.broken.startswith("token2wav/"):  # tts/ holds links to token2wav/ (the engine's tts_bin_dir)
        twin = dst / "tts" / Path(case.broken).name
        if twin.is_symlink() or twin.exists():
            twin.unlink()
            twin.symlink_to(target)
    return dst


def main(argv: list[str]) -> int:
    from models.tiny import ensure_tiny_models

    out = Path(argv[1] if len(argv) > 1 else "corrupt-models")
    for case in CASES:
        tiny = ensure_tiny_models(case.tier, scripted=True)
        print(make_case(case, tiny, out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
