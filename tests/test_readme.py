"""The README's examples run as written: the Python snippet, and the C snippet compiled
against the header and the library the tests use."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import soundfile as sf

from omni_py import _library

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def block(lang: str, must_contain: str) -> str:
    for body in re.findall(rf"```{lang}\n(.*?)```", README, re.S):
        if must_contain in body:
            return body
    raise AssertionError(f"no ```{lang} block containing {must_contain!r} in README.md")


def test_python_example(tmp_path, speech_wav):
    (tmp_path / "question.wav").write_bytes(speech_wav)
    script = tmp_path / "example.py"
    script.write_text(block("python", "omni_py.Engine"))
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Turn 1. I heard ") and out.stdout.rstrip().endswith("[completed]")
    info = sf.info(str(tmp_path / "reply.wav"))
    assert info.samplerate == 24000 and info.duration > 1


def test_c_example(tmp_path, speech_wav):
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        pytest.skip("no C compiler (cc/gcc) on PATH to build the README's C example")
    _, _, lib_path = _library.load()
    main = r'''
#include <stdlib.h>
int chat(const void *wav, size_t wav_len);
int main(int argc, char **argv) {
    FILE *f = fopen(argv[1], "rb");
    static unsigned char buf[1 << 22];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    return chat(buf, n);
}
'''
    src = tmp_path / "chat.c"
    src.write_text(block("c", "omni_create") + main)
    exe = tmp_path / "chat"
    lib_dir = str(Path(lib_path).parent)
    subprocess.run([cc, str(src), "-I", str(ROOT / "capi" / "include"), "-L", lib_dir, "-l:" + Path(lib_path).name,
                    f"-Wl,-rpath,{lib_dir}", "-o", str(exe)], check=True, capture_output=True, text=True)
    (tmp_path / "q.wav").write_bytes(speech_wav)
    out = subprocess.run([str(exe), str(tmp_path / "q.wav")], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Turn 1. I heard ") and "[completed]" in out.stdout
