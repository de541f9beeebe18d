#!/usr/bin/env bash
# The whole test suite, as the README and CI run it:
#   1. libomni_c + C tests (ABI, pull API; C, Node.js, Go, Rust, C# and Java consumers) under ctest;
#   2. the same C tests built with AddressSanitizer + UndefinedBehaviorSanitizer;
#   3. pytest (binding, server, browser, models; real-engine tests when LLAMA_OMNI_DIR is set).
# LLAMA_OMNI_DIR may name a llama.cpp-omni tree built already or never built (then the first
# build compiles it, once).
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${JOBS:-2}
real=()
if [ -n "${LLAMA_OMNI_DIR:-}" ]; then real=(-DLLAMA_OMNI_DIR="$LLAMA_OMNI_DIR"); fi

echo "== libomni_c (Release) + ctest"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "${real[@]}" >/dev/null
cmake --build build -j"$jobs"
(cd build && ctest --output-on-failure)

echo "== libomni_c with ASan + UBSan + ctest"
# When the first build compiled llama.cpp-omni itself (a tree never built), this one links the
# libraries it made (build/bin) instead of compiling llama.cpp a second time.
if [ ${#real[@]} -gt 0 ] && [ -z "${LLAMA_OMNI_BUILD_DIR:-}" ] && ls build/bin/libomni.* >/dev/null 2>&1; then
  real+=(-DLLAMA_OMNI_BUILD_DIR="$PWD/build")
fi
cmake -S . -B build-asan -DOMNI_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug "${real[@]}" >/dev/null
cmake --build build-asan -j"$jobs"
(cd build-asan && ctest --output-on-failure)

echo "== pytest"
# Test the library just built, not an older installed copy.
export OMNI_C_LIB="$PWD/build/capi/$(cd build/capi && ls libomni_c.so libomni_c.dylib 2>/dev/null | head -1)"
python -m pytest "$@"
