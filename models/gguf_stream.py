"""Writing GGUF files tensor by tensor, so that multi-gigabyte model sets fit in little memory.

StreamGGUF collects the metadata and tensor specs first (each tensor's values come from a
generator of chunks), then writes the header and streams the tensors; the values of each
tensor come from its own RNG, so they do not depend on chunking or on the other tensors.
Used by the tiny and full-size generators (models/tiny.py, models/fullsize.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

import numpy as np


Chunks = Callable[[np.random.Generator], Iterator[np.ndarray]]
CHUNK_ELEMS = 1 << 22


def normal(shape, std, reuse: bool = False) -> Chunks:
    """N(0, std) values; with reuse, one random block repeated (same object: converted once)."""
    n = int(np.prod(shape))

    def gen(rng):
        left, block = n, None
        while left:
            k = min(left, CHUNK_ELEMS)
            if block is None or not reuse:
                block = rng.standard_normal(k, dtype=np.float32) * np.float32(std)
            yield block if k == len(block) else block[:k]
            left -= k
    return gen


def const(shape, value) -> Chunks:
    n = int(np.prod(shape))

    def gen(rng):
        left = n
        while left:
            k = min(left, CHUNK_ELEMS)
            yield np.full(k, value, dtype=np.float32)
            left -= k
    return gen


def array(arr: np.ndarray) -> Chunks:
    def gen(rng):
        yield np.ascontiguousarray(arr, dtype=np.float32).reshape(-1)
    return gen


def rows(shape, rows: Callable[[int, int], np.ndarray]) -> Chunks:
    """Row-chunked generator for big 2-D tensors: rows(start, stop) -> (stop-start, shape[1])."""
    per = max(1, CHUNK_ELEMS // int(shape[1]))

    def gen(rng):
        for s in range(0, shape[0], per):
            yield np.asarray(rows(s, min(shape[0], s + per)), dtype=np.float32).reshape(-1)
    return gen


class StreamGGUF:
    """Collect KV + tensor specs, then write the file tensor by tensor (no full copy in memory)."""

    def __init__(self, arch: str, seed: int):
        import gguf  # local import: only the generator needs it
        self.gguf = gguf
        self.w = gguf.GGUFWriter(path=None, arch=arch)
        self.specs: list[tuple[str, tuple, np.dtype, Chunks]] = []
        self.seed = seed

    def tensor(self, name: str, shape, gen: Chunks, f16: bool = False) -> None:
        """shape is numpy order (ggml ne reversed)."""
        self.specs.append((name, tuple(int(s) for s in shape), np.dtype(np.float16 if f16 else np.float32), gen))

    def n_params(self) -> int:
        return sum(int(np.prod(s)) for _, s, _, _ in self.specs)

    def write(self, path: Path) -> None:
        w = self.w
        for name, shape, dt, _ in self.specs:
            w.add_tensor_info(name, shape, dt, int(np.prod(shape)) * dt.itemsize)
        w.write_header_to_file(path=Path(path))
        w.write_kv_data_to_file()
        w.write_ti_data_to_file()
        fout = w.fout[0]
        for i, (name, shape, dt, gen) in enumerate(self.specs):
            # per-tensor RNG: content does not depend on chunking or on the other tensors
            rng = np.random.default_rng([self.seed, i])
            nbytes = int(np.prod(shape)) * dt.itemsize
            w.write_padding(fout, fout.tell())
            written, last = 0, (None, None)
            for chunk in gen(rng):
                b = last[1] if chunk is last[0] else chunk.astype(dt, copy=False)
                last = (chunk, b)
                b.tofile(fout)
                written += b.nbytes
            if written != nbytes:
                raise RuntimeError(f"{name}: wrote {written} bytes, expected {nbytes}")
            w.write_padding(fout, nbytes)
        w.close()


def write_stream(s: StreamGGUF, p: Path) -> int:
    s.write(p)
    return s.n_params()


# Layer helpers in PyTorch's parameter naming (name.weight, name.bias).
def linear(s: StreamGGUF, name: str, n_in: int, n_out: int, std: float, f16: bool, bias: bool = True) -> None:
    s.tensor(name + ".weight", (n_out, n_in), normal((n_out, n_in), std), f16=f16)
    if bias:
        s.tensor(name + ".bias", (n_out,), normal((n_out,), std))


def conv1d(s: StreamGGUF, name: str, c_in: int, c_out: int, k: int, std: float) -> None:
    s.tensor(name + ".weight", (c_out, c_in, k), normal((c_out, c_in, k), std))
    s.tensor(name + ".bias", (c_out,), normal((c_out,), std))


def layer_norm(s: StreamGGUF, name: str, n: int) -> None:
    s.tensor(name + ".weight", (n,), const((n,), 1.0))
    s.tensor(name + ".bias", (n,), const((n,), 0.0))
