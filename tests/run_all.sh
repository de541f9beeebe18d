#!/usr/bin/env bash
# The whole test suite, as the README and CI run it:
#   1. libomni_c + C tests (ABI, pull API; C, Node.js, Go, Rust, C# and Java consumers) under ctest;
#   2. the same C tests built with AddressSanitizer + UndefinedBehaviorSanitizer;
#   3. the C tests and the thread stress built with ThreadSanitizer (sim engine);
#   4. the fuzz targets (clang, libFuzzer, ASan + UBSan), a few seconds each (docs/reliability.md);
#   5. pytest (binding, server, browser, models; real-engine tests when LLAMA_OMNI_DIR is set).
# LLAMA_OMNI_DIR may name a llama.cpp-omni tree built already or never built; a never-built tree
# is compiled once (by pip's build or the first one below), never per build folder.
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${JOBS:-2}
# Each stage's title with the time spent so far (CI must stay well under 30 minutes).
stage() { echo "== [$((SECONDS / 60))m$((SECONDS % 60))s] $*"; }
trap 'echo "== [$((SECONDS / 60))m$((SECONDS % 60))s] tests/run_all.sh done"' EXIT
real=()
if [ -n "${LLAMA_OMNI_DIR:-}" ]; then real=(-DLLAMA_OMNI_DIR="$LLAMA_OMNI_DIR"); fi

# An omni build folder that compiled llama.cpp-omni from this same tree (build/ from an earlier
# run, or pip's build/<wheel tag>): its libraries are linked instead of compiling llama.cpp again.
omni_built_upstream() {
  [ ${#real[@]} -gt 0 ] && [ -z "${LLAMA_OMNI_BUILD_DIR:-}" ] || return 0
  local want d got
  want=$(cd "$LLAMA_OMNI_DIR" 2>/dev/null && pwd -P) || return 0
  for d in build build/*/; do
    d=${d%/}
    got=$(sed -n 's/^LLAMA_OMNI_DIR:PATH=//p' "$d/CMakeCache.txt" 2>/dev/null)
    if [ -n "$got" ] && [ "$(cd "$got" 2>/dev/null && pwd -P)" = "$want" ] && ls "$d"/bin/libomni.* >/dev/null 2>&1; then
      echo "$PWD/$d"
      return 0
    fi
  done
}

stage "libomni_c (Release) + ctest"
reuse=$(omni_built_upstream)
if [ -n "$reuse" ] && [ "$reuse" != "$PWD/build" ]; then real+=(-DLLAMA_OMNI_BUILD_DIR="$reuse"); fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "${real[@]}" >/dev/null
cmake --build build -j"$jobs"
(cd build && ctest --output-on-failure)

stage "libomni_c with ASan + UBSan + ctest"
# Never a second compile of llama.cpp: this build links what the first one linked or made.
reuse=$(omni_built_upstream)
if [ -n "$reuse" ] && [ "$reuse" = "$PWD/build" ]; then real+=(-DLLAMA_OMNI_BUILD_DIR="$reuse"); fi
cmake -S . -B build-asan -DOMNI_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug "${real[@]}" >/dev/null
cmake --build build-asan -j"$jobs"
(cd build-asan && ctest --output-on-failure)

stage "libomni_c with ThreadSanitizer + the C tests and the thread stress (sim engine)"
cmake -S . -B build-tsan -DOMNI_TSAN=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-tsan -j"$jobs"
(cd build-tsan && ctest --output-on-failure)

stage "fuzz targets, ${OMNI_FUZZ_SECONDS:-10} s each (tests/fuzz/run_fuzz.py makes the long runs)"
if command -v clang >/dev/null && command -v clang++ >/dev/null; then
  # With LLAMA_OMNI_DIR this build also fuzzes the model-file checks, on ggml's GGUF reader
  # from the libraries the builds above linked.
  cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DOMNI_FUZZ=ON \
        -DOMNI_FUZZ_SECONDS="${OMNI_FUZZ_SECONDS:-10}" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${real[@]}" >/dev/null
  cmake --build build-fuzz -j"$jobs"
  (cd build-fuzz && ctest --output-on-failure)
else
  echo "fuzz targets skipped: clang is not installed (they need clang with libFuzzer: Debian clang libclang-rt-14-dev)"
fi

stage "pytest"
# Test the library just built, not an older installed copy.
export OMNI_C_LIB="$PWD/build/capi/$(cd build/capi && ls libomni_c.so libomni_c.dylib 2>/dev/null | head -1)"
python -m pytest "$@"
