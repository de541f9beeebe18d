"""models/download.py against a stand-in of the Hugging Face Hub on loopback (tests/hub_standin.py):
the real huggingface_hub transfer with tiny files. A user sees progress, an interrupted file
resumes (in the same run and in the next one), a corrupt or missing file is reported in words,
and afterwards the server finds the files without being told where they are."""
from __future__ import annotations

import fcntl
import os
import pty
import random
import re
import select
import socket
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

pytest.importorskip("huggingface_hub", reason="huggingface_hub is not installed (pip install -e '.[models]')")

from hub_standin import HubStandin  # noqa: E402

from models import download, layout  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
LLM = "MiniCPM-o-4_5-Q4_K_M.gguf"
AUDIO = "audio/MiniCPM-o-4_5-audio-F16.gguf"


def published_set() -> dict[str, bytes]:
    """The published repo's file names, each a small GGUF-headed file (plus files a download skips).
    The two that tests cut are 24 MB: huggingface_hub writes 10 MiB pieces, so a file cut half-way
    has a piece on disk to resume from."""
    rng = random.Random(45)
    names = [LLM, "MiniCPM-o-4_5-Q8_0.gguf", AUDIO, "vision/MiniCPM-o-4_5-vision-F16.gguf",
             "tts/MiniCPM-o-4_5-tts-F16.gguf", "tts/MiniCPM-o-4_5-projector-F16.gguf"]
    names += [f"token2wav-gguf/{f}" for f in layout.TOKEN2WAV_FILES]
    files = {n: b"GGUF" + rng.randbytes(24_000_000 if n in (LLM, AUDIO) else rng.randrange(40_000, 90_000))
             for n in names}
    files["README.md"] = b"# MiniCPM-o 4.5 GGUF\n"
    return files


@pytest.fixture
def hub():
    with HubStandin(download.REPO_ID, published_set()) as h:
        yield h


@pytest.fixture
def home(tmp_path):
    h = tmp_path / "home"
    h.mkdir()
    return h


def run(args, home, endpoint, *, terminal=False, typed=b""):
    """`python -m models.download ARGS` as a user runs it: HOME is a fresh folder, the hub is the
    stand-in; with terminal=True on a pseudo-terminal (where progress bars draw), `typed` typed in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGING", "OMNI_MODEL"))}
    env.update(HOME=str(home), HF_ENDPOINT=endpoint, HF_HOME=str(home / "hf"), PYTHONPATH=str(REPO),
               HF_HUB_DISABLE_TELEMETRY="1")
    cmd = [sys.executable, "-m", "models.download", *args]
    if not terminal:
        r = subprocess.run(cmd, cwd=home, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           timeout=120)
        return r.returncode, r.stdout + r.stderr
    main, sub = pty.openpty()
    fcntl.ioctl(sub, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))  # 120 columns, as a window has
    proc = subprocess.Popen(cmd, cwd=home, env=env, stdin=sub, stdout=sub, stderr=sub)
    os.close(sub)
    os.write(main, typed)
    out, deadline = b"", time.monotonic() + 120
    while time.monotonic() < deadline:
        if select.select([main], [], [], deadline - time.monotonic())[0]:
            try:
                data = os.read(main, 65536)
            except OSError:  # the program ended and closed the terminal
                break
            if not data:
                break
            out += data
    os.close(main)
    return proc.wait(timeout=10), out.decode(errors="replace")


def default_dir(home: Path) -> Path:
    return home / ".cache" / "omni" / "models"


def server_choice(home: Path) -> tuple[Path | None, str]:
    """The model folder omni-server picks with no flags (its own argument parsing and search), and
    the reason for its engine that /health shows."""
    code = ("from webapp.cli import server_parser, settings_from_args; "
            "s, why = settings_from_args(server_parser().parse_args([])); print(s.options.get(\"model_dir\")); print(why)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OMNI_MODEL")}
    env.update(HOME=str(home), PYTHONPATH=str(REPO))
    out = subprocess.run([sys.executable, "-c", code], cwd=home, env=env, capture_output=True, text=True,
                         check=True).stdout.strip()
    found, why = out.split("\n", 1)
    return (None if found == "None" else Path(found)), why


def server_model_dir(home: Path) -> Path | None:
    return server_choice(home)[0]


def test_download_shows_progress_resumes_a_cut_file_and_the_server_finds_it(hub, home):
    hub.cut.add(LLM)  # the first transfer of the LLM stops half-way
    found, why = server_choice(home)
    assert found is None and "./run.sh --download" in why, why  # the simulator runs and says how
    rc, out = run([], home, hub.url, terminal=True)
    assert rc == 0, out
    assert "downloading 10 files (48.5 MB)" in out and str(default_dir(home)) in out, out
    assert re.search(r"MiniCPM-o-4_5-Q4_K_M\.gguf: +100%", out), f"no progress bar for the LLM in: {out}"
    dest = default_dir(home)
    for name in [n for n in hub.files if n.endswith(".gguf") and "Q8_0" not in n]:
        assert (dest / name).read_bytes() == hub.files[name], name
    assert not (dest / "MiniCPM-o-4_5-Q8_0.gguf").exists() and not (dest / "README.md").exists()
    # The cut file was fetched again from where it stopped, not from the start.
    ranges = [rng for method, path, rng in hub.requests if method == "GET" and path == f"/cdn/{LLM}"]
    assert ranges[0] is None and ranges[1] is not None, ranges
    resumed_at = int(ranges[1].removeprefix("bytes=").rstrip("-"))
    assert 0 < resumed_at < len(hub.files[LLM])
    # tts/ is a complete tts_bin_dir and the server finds the folder with no flags.
    assert all((dest / "tts" / f).resolve().is_file() for f in layout.TOKEN2WAV_FILES)
    assert server_model_dir(home) == dest.resolve()
    # Asked again, nothing is fetched.
    before = len(hub.requests)
    rc, out = run(["--if-missing"], home, hub.url)
    assert rc == 0 and f"model files found in {dest.resolve()}" in out, out
    assert len(hub.requests) == before


def test_a_download_that_failed_half_way_resumes_on_the_next_run(hub, home):
    hub.cut.add(AUDIO)      # half the file arrives...
    hub.refuse.add(AUDIO)   # ...and the retry is refused: this run fails
    rc, out = run([], home, hub.url)
    assert rc == 1, out
    assert "download failed" in out and "HTTP 503" in out and AUDIO in out, out
    assert "Traceback" not in out
    gets = [rng for method, path, rng in hub.requests if method == "GET" and path == f"/cdn/{AUDIO}"]
    rc, out = run([], home, hub.url)
    assert rc == 0, out
    later = [rng for method, path, rng in hub.requests if method == "GET" and path == f"/cdn/{AUDIO}"][len(gets):]
    assert later and later[0] is not None and later[0] != "bytes=0-", later
    assert (default_dir(home) / AUDIO).read_bytes() == hub.files[AUDIO]


def test_a_corrupt_file_is_reported_removed_and_fetched_again(hub, home):
    hub.corrupt.add(AUDIO)
    rc, out = run(["--no-vision"], home, hub.url)
    assert rc == 1, out
    assert f"{AUDIO} is corrupt" in out and "run the same command again" in out, out
    assert not (default_dir(home) / AUDIO).exists()
    # The folder has its LLM, so the server finds it; the engine owns the layout and names the
    # missing audio encoder when it loads (tests/test_llama_omni.py covers that message).
    assert server_model_dir(home) == default_dir(home).resolve()
    hub.corrupt.clear()
    rc, out = run(["--no-vision"], home, hub.url)
    assert rc == 0, out
    assert (default_dir(home) / AUDIO).read_bytes() == hub.files[AUDIO]
    assert not (default_dir(home) / "vision").exists()


def test_a_missing_file_is_reported_in_words(hub, home):
    del hub.files["vision/MiniCPM-o-4_5-vision-F16.gguf"]
    rc, out = run([], home, hub.url)
    assert rc == 1 and "has no file for the vision encoder (vision/*.gguf)" in out, out
    rc, out = run(["--quant", "Q2_K"], home, hub.url)
    assert rc == 1 and "the LLM (MiniCPM-o-4_5-Q2_K.gguf)" in out and "Q4_K_M" in out, out
    # Listed by the hub but not served.
    hub.files["vision/MiniCPM-o-4_5-vision-F16.gguf"] = b"GGUF" + b"\0" * 1000
    hub.gone.add("vision/MiniCPM-o-4_5-vision-F16.gguf")
    rc, out = run([], home, hub.url)
    assert rc == 1 and "lists vision/MiniCPM-o-4_5-vision-F16.gguf" in out and "does not have it" in out, out
    assert "Traceback" not in out


def test_an_unreachable_hub_is_reported_in_words(home):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again before the download runs: nothing listens there
    rc, out = run([], home, f"http://127.0.0.1:{port}")
    assert rc == 1 and "cannot reach the hub" in out and "Traceback" not in out, out


def test_without_a_terminal_ask_says_how_and_fetches_nothing(hub, home):
    rc, out = run(["--if-missing", "--ask"], home, hub.url)
    assert rc == 0 and "./run.sh --download" in out, out
    assert hub.requests == []


def test_on_a_terminal_ask_shows_the_size_and_a_no_fetches_nothing(hub, home):
    rc, out = run(["--if-missing", "--ask"], home, hub.url, terminal=True, typed=b"n\n")
    assert rc == 0 and "Download the published GGUF set (10 files, 48.5 MB)" in out and "not downloading" in out, out
    assert not default_dir(home).exists()
