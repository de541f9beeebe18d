"""Download the published MiniCPM-o 4.5 GGUF files into the seed layout.

    python -m models.download [--dest DIR] [--quant Q4_K_M] [--no-vision] [--no-tts] [--if-missing [--ask]]

The default destination is $OMNI_MODEL_DIR, else ~/.cache/omni/models: both are folders the
server looks in, so it finds the files without flags. One hub API call lists the files that
match and their sizes; huggingface_hub then fetches each one (progress bar, retries, HTTP ranges)
into DEST/.partial/, which a later run resumes from where it stopped. Each file is checked against
the hub's listing (size, SHA-256, GGUF header) before it is moved into place; a bad one is removed
and named. Then the token2wav files are linked into tts/ so tts/ is a complete `tts_bin_dir`.
Problems are reported in words, not tracebacks.
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from . import layout

REPO_ID = "openbmb/MiniCPM-o-4_5-gguf"
QUANTS = ("Q4_K_M", "Q8_0", "F16")
GGUF_MAGIC = b"GGUF"
PARTIAL_DIR = ".partial"  # unfinished files, kept between runs so the next one resumes


class DownloadError(Exception):
    """A download problem, said in words a user can act on."""


@dataclass
class RemoteFile:
    path: str
    size: int | None
    sha256: str | None  # LFS files only


@dataclass
class Plan:
    repo_id: str
    commit: str
    files: list[RemoteFile]

    @property
    def total_bytes(self) -> int:
        return sum(f.size or 0 for f in self.files)


def default_dest() -> Path:
    """Where a download goes when no --dest is given: the first folder the server searches that a
    user would pick ($OMNI_MODEL_DIR), else its per-user default."""
    env = os.environ.get(layout.ENV_MODEL_DIR)
    return Path(env).expanduser() if env else layout.user_cache_models()


def allow_patterns(quant: str = "Q4_K_M", *, vision: bool = True, tts: bool = True) -> list[str]:
    """Files to fetch. Pure function so it can be tested without the network."""
    if not re.fullmatch(r"[A-Za-z0-9_]+", quant):
        raise ValueError(f"bad quant {quant!r}")
    pats = [f"{layout.LLM_PREFIX}{quant}.gguf", "audio/*.gguf"]
    if vision:
        pats.append("vision/*.gguf")
    if tts:
        pats.append("tts/*.gguf")
        # The published repo uses token2wav-gguf/, the seed layout token2wav/: accept either.
        pats += [f"{d}/*.gguf" for d in layout.TOKEN2WAV_DIRS]
    return pats


def _hub():
    try:
        import huggingface_hub
    except ImportError as e:  # optional dependency: pip install '.[models]'
        raise DownloadError("huggingface_hub is not installed: pip install 'huggingface_hub>=0.24' "
                            "(or pip install -e '.[models]')") from e
    return huggingface_hub


def _endpoint() -> str:
    return os.environ.get("HF_ENDPOINT", "https://huggingface.co")


def _in_words(exc: Exception, repo_id: str, name: str = "") -> DownloadError:
    """huggingface_hub's exceptions (while fetching file `name`, if any), said for a person."""
    from huggingface_hub import errors

    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    if isinstance(exc, getattr(errors, "LocalEntryNotFoundError", ())) or type(exc).__name__ in (
            "ConnectError", "ConnectionError", "ConnectTimeout", "ReadTimeout", "TimeoutException"):
        return DownloadError(f"cannot reach the hub at {_endpoint()} ({exc.__class__.__name__}); check the "
                             "network and run the same command again: finished files are kept, partial ones resume")
    if isinstance(exc, getattr(errors, "RevisionNotFoundError", ())):
        return DownloadError(f"the hub has no such revision of {repo_id}")
    if isinstance(exc, getattr(errors, "EntryNotFoundError", ())):
        return DownloadError(f"the hub lists {name} in {repo_id} but does not have it (HTTP {status}); "
                             "try again later or pick another --revision")
    if isinstance(exc, getattr(errors, "GatedRepoError", ())):
        return DownloadError(f"{repo_id} needs you to accept its licence on the hub and a token (HF_TOKEN)")
    if isinstance(exc, getattr(errors, "RepositoryNotFoundError", ())):
        return DownloadError(f"the hub has no repository {repo_id} (or it is private: set HF_TOKEN)")
    if status is not None:
        return DownloadError(f"the hub answered HTTP {status} for {name or repo_id}")
    return DownloadError(f"the download stopped: {exc}; run the same command again to resume it")


def plan(quant: str = "Q4_K_M", *, vision: bool = True, tts: bool = True, repo_id: str = REPO_ID,
         revision: str | None = None, token: str | None = None) -> Plan:
    """Ask the hub which files match (one API call) and check that every part is there."""
    hub = _hub()
    pats = allow_patterns(quant, vision=vision, tts=tts)
    try:
        info = hub.HfApi().model_info(repo_id, revision=revision, files_metadata=True, token=token)
    except Exception as e:  # noqa: BLE001 - every hub/network failure is reported in words
        raise _in_words(e, repo_id) from e
    files = [RemoteFile(s.rfilename, s.size, s.lfs.sha256 if s.lfs else None) for s in (info.siblings or [])]
    chosen = [f for f in files if any(fnmatch.fnmatch(f.path, p) for p in pats)]
    # Each part must be there; token2wav may sit under either folder name.
    parts = [(pats[0], "the LLM"), ("audio/*.gguf", "the audio encoder")]
    if vision:
        parts.append(("vision/*.gguf", "the vision encoder"))
    if tts:
        parts.append(("tts/*.gguf", "the TTS model"))
    missing = [f"{what} ({pat})" for pat, what in parts if not any(fnmatch.fnmatch(f.path, pat) for f in chosen)]
    if tts and not any(fnmatch.fnmatch(f.path, f"{d}/*.gguf") for f in chosen for d in layout.TOKEN2WAV_DIRS):
        missing.append("the token2wav vocoder (token2wav-gguf/*.gguf)")
    if missing:
        hint = f" (published quantisations: {', '.join(QUANTS)})" if pats[0] in " ".join(missing) else ""
        raise DownloadError(f"{repo_id} on the hub has no file for {', '.join(missing)}{hint}")
    return Plan(repo_id, info.sha, chosen)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 22), b""):
            h.update(block)
    return h.hexdigest()


def _head(path: Path) -> bytes:
    with open(path, "rb") as f:
        return f.read(len(GGUF_MAGIC))


def _problem(path: Path, f: RemoteFile, *, hash_it: bool) -> str | None:
    """What is wrong with a local copy of f, in words, or None."""
    if not path.is_file():
        return "is missing"
    size = path.stat().st_size
    if f.size is not None and size != f.size:
        return f"has {size} bytes, the hub says {f.size}"
    if hash_it and f.sha256 and _sha256(path) != f.sha256:
        return "is corrupt (its SHA-256 differs from the hub's)"
    if f.path.endswith(".gguf") and _head(path) != GGUF_MAGIC:
        return "is not a GGUF file"
    return None


def _fetch(hub, the_plan: Plan, f: RemoteFile, dest: Path, token: str | None, say) -> str | None:
    """One file into dest, resumable across runs; returns a problem in words, or None.

    huggingface_hub's snapshot_download resumes a cut transfer only within one run (newer
    releases delete the partial file when a run fails), so a 5 GB LLM would start over after a
    Ctrl+C. The transfer itself (retries, ranged resume, progress bar) stays the library's: we
    keep the partial file under .partial/ and hand its size to huggingface_hub's http_get."""
    from huggingface_hub.file_download import http_get
    from huggingface_hub.utils import build_hf_headers

    target = dest / f.path
    if target.is_file() and _problem(target, f, hash_it=False) is None:
        return None  # finished in an earlier run
    part = dest / PARTIAL_DIR / (f.path + ".part")
    part.parent.mkdir(parents=True, exist_ok=True)
    have = part.stat().st_size if part.is_file() else 0
    if f.size is not None and have > f.size:
        part.unlink()
        have = 0
    if have:
        say(f"resuming {f.path} at {_gb(have)} of {_gb(f.size or 0)}")
    if f.size is None or have < f.size:
        meta = hub.get_hf_file_metadata(hub.hf_hub_url(the_plan.repo_id, f.path, revision=the_plan.commit),
                                        token=token)
        with open(part, "ab") as out:
            http_get(meta.location, out, resume_size=have, headers=build_hf_headers(token=token),
                     expected_size=meta.size, displayed_filename=f.path)
    why = _problem(part, f, hash_it=True)
    if why:
        part.unlink(missing_ok=True)
        return f"{f.path} {why}"
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(part, target)
    return None


def download(dest: str | Path | None = None, quant: str = "Q4_K_M", *, vision: bool = True, tts: bool = True,
             repo_id: str = REPO_ID, revision: str | None = None, token: str | None = None,
             the_plan: Plan | None = None, say=print) -> Path:
    """Fetch into dest (resumable), check every file, normalise the layout. Returns dest."""
    hub = _hub()
    dest = Path(dest).expanduser() if dest else default_dest()
    the_plan = the_plan or plan(quant, vision=vision, tts=tts, repo_id=repo_id, revision=revision, token=token)
    dest.mkdir(parents=True, exist_ok=True)
    say(f"downloading {len(the_plan.files)} files ({_gb(the_plan.total_bytes)}) of {repo_id} "
        f"at {the_plan.commit[:12]} into {dest}; each is checked (size, SHA-256, GGUF header)")
    problems = []
    for f in the_plan.files:
        try:
            why = _fetch(hub, the_plan, f, dest, token, say)
        except Exception as e:  # noqa: BLE001 - every hub/network failure is reported in words
            raise _in_words(e, repo_id, f.path) from e
        if why:
            problems.append(why)
    if problems:
        raise DownloadError("; ".join(problems) + ". Removed; run the same command again to fetch "
                            + ("it" if len(problems) == 1 else "them") + " again")
    shutil.rmtree(dest / PARTIAL_DIR, ignore_errors=True)
    layout.link_token2wav_into_tts(dest)
    return dest


def _gb(n: int) -> str:
    return f"{n / 1e9:.1f} GB" if n >= 1e8 else f"{n / 1e6:.1f} MB" if n >= 1e5 else f"{n} bytes"


def _confirm(question: str) -> bool:
    try:
        return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")
    except EOFError:
        return False


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m models.download", description=__doc__.splitlines()[0])
    ap.add_argument("--dest", default=None, help=f"model dir to create or complete (default {default_dest()})")
    ap.add_argument("--quant", default="Q4_K_M", help=f"LLM quantisation ({', '.join(QUANTS)}; default Q4_K_M)")
    ap.add_argument("--no-vision", action="store_true", help="skip the vision encoder")
    ap.add_argument("--no-tts", action="store_true", help="skip TTS, projector and token2wav (text-only replies)")
    ap.add_argument("--repo", default=REPO_ID, help=f"Hugging Face repo id (default {REPO_ID})")
    ap.add_argument("--revision", default=None, help="git revision / tag / commit on the hub")
    ap.add_argument("--dry-run", action="store_true", help="print what would be fetched and exit")
    ap.add_argument("--if-missing", action="store_true",
                    help="do nothing when the server already finds model files (the folders it searches)")
    ap.add_argument("--ask", action="store_true", help="ask before downloading (on a terminal; otherwise say how)")
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    vision, tts = not args.no_vision, not args.no_tts
    dest = Path(args.dest).expanduser() if args.dest else default_dest()
    if args.dry_run:
        print(f"repo {args.repo} -> {dest}")
        for p in allow_patterns(args.quant, vision=vision, tts=tts):
            print("  ", p)
        return 0
    say = lambda msg: print(f"models.download: {msg}", flush=True)  # noqa: E731
    if args.if_missing:
        found = layout.find_model_dir()
        if found is not None:
            say(f"model files found in {found}")
            return 0
    try:
        the_plan = None
        if args.ask:
            if not sys.stdin.isatty():
                say("no MiniCPM-o 4.5 model files were found, so the simulator runs. To download them "
                    f"into {dest}: ./run.sh --download (or python -m models.download)")
                return 0
            try:
                the_plan = plan(args.quant, vision=vision, tts=tts, repo_id=args.repo, revision=args.revision)
            except DownloadError as e:
                say(f"no MiniCPM-o 4.5 model files were found and the hub cannot tell what to download: {e}")
                return 0
            if not _confirm(f"No MiniCPM-o 4.5 model files were found. Download the published GGUF set "
                            f"({len(the_plan.files)} files, {_gb(the_plan.total_bytes)}) into {dest}?"):
                say("not downloading; the simulator runs")
                return 0
        download(dest, args.quant, vision=vision, tts=tts, repo_id=args.repo, revision=args.revision,
                 the_plan=the_plan, say=say)
    except DownloadError as e:
        say(f"download failed: {e}")
        return 1
    except KeyboardInterrupt:
        say("interrupted; run the same command again to resume")
        return 130
    files = sorted(str(p.relative_to(dest)) for p in dest.rglob("*.gguf") if p.is_file())
    say(f"model dir: {dest.resolve()} ({len(files)} GGUF files)")
    if not layout.is_model_dir(dest):
        say(f"no {layout.LLM_PREFIX}*.gguf LLM arrived: not a model folder")
        return 1
    say(f"the engine reports what it loads: omni-server --model-dir {dest} (GET /health: model_files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
