"""Long fuzz runs of libomni_c's parsers, with the numbers printed.

    cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DOMNI_FUZZ=ON
    cmake --build build-fuzz -j2
    python tests/fuzz/run_fuzz.py --build build-fuzz --runs 1000000          # every target
    python tests/fuzz/run_fuzz.py --build build-fuzz --runs 1000000 fuzz_image

Each target starts from a seed corpus made by the fixture script (tests/make_test_data.py
--fuzz-corpus: short clips in every audio format, small images in every JPEG/PNG variant) in a
work folder outside the repository (default: a temporary folder; --work to keep it), runs
`-runs=N` executions under `nice`, and reports executions, executions per second, the corpus it
grew (files, bytes), coverage and crashes. A crash leaves its input in the work folder; copy it
to tests/fuzz/regressions/<target>/ and ctest replays it from then on. Exit status 1 on a crash.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TARGETS = ("fuzz_audio_file", "fuzz_image", "fuzz_pcm", "fuzz_options", "fuzz_next_event", "fuzz_model_check")
# Which seed folder each target starts from (None: the fuzzer starts from nothing) and the
# longest input it makes: a little above the largest seed, so executions stay short.
SEEDS = {"fuzz_audio_file": ("audio", 16384), "fuzz_image": ("image", 4096),
         "fuzz_pcm": (None, 4096), "fuzz_options": (None, 1024), "fuzz_next_event": (None, 64),
         "fuzz_model_check": ("gguf", 65536)}
# Extra libFuzzer flags. fuzz_next_event: the engine's threads allocate while an input runs, so
# libFuzzer's per-input leak check (a whole LeakSanitizer scan whenever an input's mallocs
# outnumber its frees) ran on most inputs and halved the rate; leaks are still checked at exit.
EXTRA_FLAGS = {"fuzz_next_event": ["-detect_leaks=0"]}
# fuzz_model_check's first input byte: the role (models/layout.py's files, in model_check.h's order).
GGUF_ROLES = {"MiniCPM-o-4_5-Q4_K_M.gguf": 0, "MiniCPM-o-4_5-audio-F16.gguf": 1, "MiniCPM-o-4_5-vision-F16.gguf": 2,
              "MiniCPM-o-4_5-tts-F16.gguf": 3, "MiniCPM-o-4_5-projector-F16.gguf": 4, "encoder.gguf": 5,
              "flow_matching.gguf": 6, "flow_extra.gguf": 7, "hifigan2.gguf": 8, "prompt_cache.gguf": 9}


def make_seeds(work: Path) -> Path:
    seeds = work / "seeds"
    if not seeds.exists():
        subprocess.run([sys.executable, str(ROOT / "tests" / "make_test_data.py"), "--fuzz-corpus", str(seeds)],
                       check=True)
    if not (seeds / "gguf").exists():
        gguf_seeds(seeds / "gguf")
    return seeds


def gguf_seeds(out: Path) -> None:
    """The headers (first 64 KB) of every file of the tiny model sets already generated
    (models/tiny.py), each behind the role byte fuzz_model_check reads."""
    out.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    from models.tiny import default_cache_root

    for path in sorted(default_cache_root().glob("*/**/*.gguf")):
        role = GGUF_ROLES.get(path.name)
        if role is not None and not path.is_symlink():
            with open(path, "rb") as f:
                head = f.read(65535)
            (out / f"{path.parent.parent.name}-{path.parent.name}-{path.name}").write_bytes(bytes([role]) + head)
    if not any(out.iterdir()):
        print("no tiny model sets generated yet (python -m models.tiny): fuzz_model_check starts from nothing")


def folder_size(d: Path) -> tuple[int, int]:
    files = [p for p in d.iterdir() if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def run_target(binary: Path, work: Path, seeds: Path, runs: int, nice: int, timeout_s: int) -> dict:
    name = binary.name
    corpus = work / "corpus" / name
    corpus.mkdir(parents=True, exist_ok=True)
    seed_dir, max_len = SEEDS[name]
    seed_args = [str(seeds / seed_dir)] if seed_dir else []
    n_seed_files, _ = folder_size(seeds / seed_dir) if seed_dir else (0, 0)
    crashes = work / "crashes" / name
    crashes.mkdir(parents=True, exist_ok=True)
    cmd = ["nice", "-n", str(nice), str(binary), f"-runs={runs}", f"-max_len={max_len}", "-timeout=20",
           "-rss_limit_mb=2048", "-print_final_stats=1", "-print_pcs=0", f"-artifact_prefix={crashes}/",
           *EXTRA_FLAGS.get(name, []), str(corpus), *seed_args]
    t0 = time.monotonic()
    log = work / f"{name}.log"
    env = dict(os.environ, LSAN_OPTIONS=f"suppressions={HERE / 'lsan.supp'}:print_suppressions=0")
    with open(log, "w") as out:
        rc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, timeout=timeout_s, env=env).returncode
    wall = time.monotonic() - t0
    text = log.read_text(errors="replace")
    stat = dict(re.findall(r"stat::(\w+):\s+(\d+)", text))
    cov = re.findall(r"cov: (\d+) ft: (\d+)", text)
    files, size = folder_size(corpus)
    return {
        "target": name, "rc": rc, "executions": int(stat.get("number_of_executed_units", 0)),
        "exec_per_s": int(stat.get("average_exec_per_sec", 0)), "wall_s": wall,
        "seed_files": n_seed_files, "corpus_files": files, "corpus_bytes": size,
        "coverage": int(cov[-1][0]) if cov else 0, "features": int(cov[-1][1]) if cov else 0,
        "peak_rss_mb": int(stat.get("peak_rss_mb", 0)),
        "crashes": sorted(p.name for p in crashes.iterdir()), "log": str(log),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("targets", nargs="*", help="default: every target the build has")
    ap.add_argument("--build", default="build-fuzz", help="the -DOMNI_FUZZ=ON build folder")
    ap.add_argument("--runs", type=int, default=1_000_000, help="executions per target")
    ap.add_argument("--work", help="keep seeds, corpora, logs and crashes here (default: a temporary folder)")
    ap.add_argument("--nice", type=int, default=10)
    ap.add_argument("--timeout", type=int, default=6 * 3600, help="seconds per target at most")
    args = ap.parse_args(argv)

    build = Path(args.build).resolve()
    if not args.targets:
        args.targets = [t for t in TARGETS if (build / "tests" / "fuzz" / t).exists()]
        for t in sorted(set(TARGETS) - set(args.targets)):
            print(f"{t}: not in this build (fuzz_model_check needs LLAMA_OMNI_DIR at configure time)")
    binaries = [build / "tests" / "fuzz" / t for t in args.targets]
    missing = [str(b) for b in binaries if not b.exists()]
    if missing:
        print("not built: " + ", ".join(missing) + " (configure with clang and -DOMNI_FUZZ=ON)", file=sys.stderr)
        return 2
    work = Path(args.work or tempfile.mkdtemp(prefix="omni-fuzz-"))
    work.mkdir(parents=True, exist_ok=True)
    seeds = make_seeds(work)

    results = []
    for b in binaries:
        print(f"== {b.name}: {args.runs:,} executions (nice {args.nice})", flush=True)
        r = run_target(b, work, seeds, args.runs, args.nice, args.timeout)
        results.append(r)
        print(f"   {r['executions']:,} executions in {r['wall_s']:.0f} s ({r['exec_per_s']:,}/s), "
              f"corpus {r['corpus_files']} files / {r['corpus_bytes']:,} bytes, cov {r['coverage']}, "
              f"crashes {len(r['crashes'])}, exit {r['rc']}", flush=True)

    print("\n| target | executions | exec/s | seeds | corpus files | corpus bytes | coverage (edges) | peak RSS MB | crashes |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['target']} | {r['executions']:,} | {r['exec_per_s']:,} | {r['seed_files']} | {r['corpus_files']} "
              f"| {r['corpus_bytes']:,} | {r['coverage']} | {r['peak_rss_mb']} | {len(r['crashes'])} |")
    bad = [r for r in results if r["crashes"] or r["rc"] != 0 or r["executions"] < args.runs]
    for r in bad:
        print(f"\n{r['target']}: exit {r['rc']}, crashes {r['crashes']} (log {r['log']})")
    if not args.work and not bad:
        shutil.rmtree(work)
    elif not args.work:
        print(f"work folder kept for the crashes: {work}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
